// A bounded histogram of waiting times for quantiles: waits of exactly 0 (answered at once, often
// most contacts) are a count of their own, bucket 1 holds waits under 0.1 s, then buckets 2% wide
// up to ~12 days. A quantile is reported at its bucket's geometric middle: within 1% of the exact
// order statistic.
//
// The buckets are allocated only when a wait above 0 comes, and only as far as the longest wait
// seen (rounded up to CHUNK): a replication keeps one histogram per report interval and channel
// (8,064 in the built-in scenario), most of them of zeros only, and allocating and zeroing all
// 816 buckets of each was a tenth of a `check` replication.

const MIN = 0.1;
const LOG_RATIO = Math.log(1.02);
export const BUCKETS = 2 + Math.ceil(Math.log(1e6 / MIN) / LOG_RATIO);
const CHUNK = 64;
const NONE = new Uint32Array(0);

export class WaitHistogram {
  /** Waits above 0 by bucket (index 0 unused: zeros are counted in `zeros`). */
  counts: Uint32Array = NONE;
  zeros = 0;
  n = 0;

  /** Count `count` waits of w (several at once: the recorder batches waits of 0). */
  add(w: number, count = 1): void {
    this.n += count;
    if (w <= 0) {
      this.zeros += count;
      return;
    }
    let b: number;
    if (w < MIN) b = 1;
    else {
      b = 2 + Math.floor(Math.log(w / MIN) / LOG_RATIO);
      if (b >= BUCKETS) b = BUCKETS - 1;
    }
    if (b >= this.counts.length) this.grow(b);
    this.counts[b] += count;
  }

  private grow(b: number): void {
    const g = new Uint32Array(Math.min(BUCKETS, Math.ceil((b + 1) / CHUNK) * CHUNK));
    g.set(this.counts);
    this.counts = g;
  }

  merge(o: WaitHistogram): void {
    if (o.counts.length > this.counts.length) this.grow(o.counts.length - 1);
    for (let b = 1; b < o.counts.length; b++) this.counts[b] += o.counts[b];
    this.zeros += o.zeros;
    this.n += o.n;
  }

  /** The q-quantile (0 < q < 1), NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil(q * this.n);
    let cum = this.zeros;
    if (cum >= rank) return 0;
    for (let b = 1; b < this.counts.length; b++) {
      cum += this.counts[b];
      if (cum >= rank) return bucketValue(b);
    }
    return bucketValue(BUCKETS - 1);
  }
}

function bucketValue(b: number): number {
  if (b === 0) return 0;
  if (b === 1) return MIN / 2;
  return MIN * Math.exp((b - 2 + 0.5) * LOG_RATIO);
}
