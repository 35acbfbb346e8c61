// A bounded histogram of waiting times for quantiles: bucket 0 holds waits of exactly 0 (answered
// at once, often most contacts), bucket 1 waits under 0.1 s, then buckets 2% wide up to ~12 days.
// A quantile is reported at its bucket's geometric middle: within 1% of the exact order statistic.

const MIN = 0.1;
const LOG_RATIO = Math.log(1.02);
export const BUCKETS = 2 + Math.ceil(Math.log(1e6 / MIN) / LOG_RATIO);

export class WaitHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  n = 0;

  /** Count `count` waits of w (several at once: the recorder batches waits of 0). */
  add(w: number, count = 1): void {
    let b: number;
    if (w <= 0) b = 0;
    else if (w < MIN) b = 1;
    else {
      b = 2 + Math.floor(Math.log(w / MIN) / LOG_RATIO);
      if (b >= BUCKETS) b = BUCKETS - 1;
    }
    this.counts[b] += count;
    this.n += count;
  }

  merge(o: WaitHistogram): void {
    for (let b = 0; b < BUCKETS; b++) this.counts[b] += o.counts[b];
    this.n += o.n;
  }

  /** The q-quantile (0 < q < 1), NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil(q * this.n);
    let cum = 0;
    for (let b = 0; b < BUCKETS; b++) {
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
