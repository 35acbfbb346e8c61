// Bounded histograms of waiting times for quantiles: waits of exactly 0 (answered at once, often
// most contacts) are a count of their own, bucket 1 holds waits under 0.1 s, then buckets 2% wide
// up to ~12 days. A quantile is reported at its bucket's geometric middle: within 1% of the exact
// order statistic.
//
// A replication keeps one histogram per report bin and channel (8,064 in the built-in scenario)
// and one per channel over the whole horizon. The bins' histograms share one pool of chunks of
// CHUNK buckets, a chunk taken only when a wait falls in it: the waits of one bin cluster in one
// or two chunks of the thirteen (the built-in scenario touches 3,500 chunks, 0.9 MB). Before, each
// histogram owned an array as long as its longest wait, allocated, zeroed and copied as it grew
// (6 MB a replication), and the horizon's histogram was merged from all of them at the end;
// together a twentieth of a `check` replication. The counts, and so every quantile, are the same.

const MIN = 0.1;
const LOG_RATIO = Math.log(1.02);
export const BUCKETS = 2 + Math.ceil(Math.log(1e6 / MIN) / LOG_RATIO);
const CHUNK = 64;
const CHUNKS = Math.ceil(BUCKETS / CHUNK);

/** The bucket of a wait w > 0. */
function bucketOf(w: number): number {
  if (w < MIN) return 1;
  const b = 2 + Math.floor(Math.log(w / MIN) / LOG_RATIO);
  return b >= BUCKETS ? BUCKETS - 1 : b;
}

function bucketValue(b: number): number {
  if (b === 0) return 0;
  if (b === 1) return MIN / 2;
  return MIN * Math.exp((b - 2 + 0.5) * LOG_RATIO);
}

/**
 * `count` histograms (one per report bin and channel) and, per group (channel), the sum of its
 * members over the horizon. Histogram i belongs to group i % groups.
 */
export class WaitHistograms {
  /** Waits of 0 per histogram (batched: the recorder adds the answers at once of a bin together). */
  private readonly zeros: Float64Array;
  /** Waits per histogram. */
  private readonly n: Float64Array;
  /** Per histogram, CHUNKS entries: the chunk of the pool holding those buckets, or -1. */
  private readonly dir: Int32Array;
  private pool: Uint32Array;
  private chunksUsed = 0;
  private readonly groups: number;
  /** The horizon's histogram per group: zeros, n, and every bucket. */
  private readonly hzZeros: Float64Array;
  private readonly hzN: Float64Array;
  private readonly hz: Uint32Array;

  constructor(readonly count: number, groups: number) {
    this.groups = groups;
    this.zeros = new Float64Array(count);
    this.n = new Float64Array(count);
    this.dir = new Int32Array(count * CHUNKS).fill(-1);
    this.pool = new Uint32Array(count > 0 ? 256 * CHUNK : 0);
    this.hzZeros = new Float64Array(groups);
    this.hzN = new Float64Array(groups);
    this.hz = new Uint32Array(count > 0 ? groups * BUCKETS : 0);
  }

  /** Count `count` waits of w in histogram i (several at once: the recorder batches waits of 0). */
  add(i: number, w: number, count: number): void {
    const g = i % this.groups;
    this.n[i] += count;
    this.hzN[g] += count;
    if (w <= 0) {
      this.zeros[i] += count;
      this.hzZeros[g] += count;
      return;
    }
    const b = bucketOf(w);
    const d = i * CHUNKS + (b >> 6);
    let k = this.dir[d];
    if (k < 0) k = this.dir[d] = this.takeChunk();
    this.pool[k * CHUNK + (b & (CHUNK - 1))] += count;
    this.hz[g * BUCKETS + b] += count;
  }

  private takeChunk(): number {
    if ((this.chunksUsed + 1) * CHUNK > this.pool.length) {
      const g = new Uint32Array(this.pool.length * 2);
      g.set(this.pool);
      this.pool = g;
    }
    return this.chunksUsed++;
  }

  /** The q-quantile (0 < q < 1) of histogram i, NaN when empty. */
  quantile(i: number, q: number): number {
    const n = this.n[i];
    if (n === 0) return NaN;
    const rank = Math.ceil(q * n);
    let cum = this.zeros[i];
    if (cum >= rank) return 0;
    const pool = this.pool;
    for (let c = 0; c < CHUNKS; c++) {
      const k = this.dir[i * CHUNKS + c];
      if (k < 0) continue;
      for (let j = 0, at = k * CHUNK; j < CHUNK; j++) {
        cum += pool[at + j];
        if (cum >= rank) return bucketValue(c * CHUNK + j);
      }
    }
    return bucketValue(BUCKETS - 1);
  }

  /** The q-quantile over the horizon of group g (the sum of its histograms), NaN when empty. */
  horizonQuantile(g: number, q: number): number {
    const n = this.hzN[g];
    if (n === 0) return NaN;
    const rank = Math.ceil(q * n);
    let cum = this.hzZeros[g];
    if (cum >= rank) return 0;
    for (let b = 1, at = g * BUCKETS; b < BUCKETS; b++) {
      cum += this.hz[at + b];
      if (cum >= rank) return bucketValue(b);
    }
    return bucketValue(BUCKETS - 1);
  }

  /** Histogram i as [zeros, bucket 1, bucket 2, …] up to its last chunk in use, or null when empty (tests). */
  dense(i: number): number[] | null {
    if (this.n[i] === 0) return null;
    let last = -1;
    for (let c = 0; c < CHUNKS; c++) if (this.dir[i * CHUNKS + c] >= 0) last = c;
    const out = [this.zeros[i]];
    for (let b = 1; b < (last + 1) * CHUNK && b < BUCKETS; b++) {
      const k = this.dir[i * CHUNKS + (b >> 6)];
      out.push(k < 0 ? 0 : this.pool[k * CHUNK + (b & (CHUNK - 1))]);
    }
    return out;
  }
}
