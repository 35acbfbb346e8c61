// Student-t quantiles for replication confidence intervals, exact to ~1e-10 (bisection on the
// CDF through the regularized incomplete beta function), cached per (df, level).

import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import { logGamma } from '../engine/distributions.js';

function betacf(a: number, b: number, x: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < 1e-300) d = 1e-300;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (bt * betacf(a, b, x)) / a : 1 - (bt * betacf(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

// By p, then by degrees of freedom: a summary asks for the same few thousands of times (a key
// string per call was a tenth of a summary's garbage).
const cache = new Map<number, Map<number, number>>();

/** The p-quantile of Student's t (0.5 < p < 1). */
export function tQuantile(p: number, df: number): number {
  let byDf = cache.get(p);
  if (byDf === undefined) cache.set(p, (byDf = new Map()));
  const hit = byDf.get(df);
  if (hit !== undefined) return hit;
  let lo = 0, hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  byDf.set(df, q);
  return q;
}

export interface Estimate {
  /** Mean over the replications where the value is defined (NaN if none). */
  readonly mean: number;
  /** Half-width of the confidence interval (NaN with fewer than two defined values). */
  readonly half: number;
  /** Replications where the value was defined. */
  readonly n: number;
}

/**
 * What `estimateInto` found: the mean and the half-width (a typed array, so that writing them
 * boxes no double, where an Estimate object per call was a quarter of a summary's garbage).
 */
export const estimated = new Float64Array(2);

// The last quantile asked for: a summary asks for the same one ~160,000 times in a row.
let lastP = NaN, lastDf = NaN, lastQ = NaN;

/**
 * Mean and Student-t confidence half-width of the values that are not NaN, written to
 * `estimated`; returns how many there were. The arithmetic is simple-statistics' `mean` and
 * `sampleStandardDeviation` of those values, the same operations in the same order (its
 * compensated sum from the first value, then the squared deviations from that mean), so the
 * same to the bit, without the copy that leaving the NaNs out took and the library's type check
 * of each element: a summary makes ~160,000 estimates of ten or so values. Float64Arrays only:
 * plain arrays of small integers, of doubles and typed arrays by turns made V8 throw the
 * optimised code away again and again (`asFloat64` copies the rare other ones).
 * test/property.test.ts holds it to `estimateReference` (simple-statistics itself) on random inputs.
 */
export function estimateInto(values: Float64Array, level = 0.95): number {
  let n = 0, sum = 0, correction = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) continue;
    if (n++ === 0) { sum = x; continue; }
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) correction += sum - t + x;
    else correction += x - t + sum;
    sum = t;
  }
  if (n === 0) {
    estimated[0] = NaN;
    estimated[1] = NaN;
    return 0;
  }
  const mean = (sum + correction) / n;
  estimated[0] = mean;
  if (n === 1) {
    estimated[1] = NaN;
    return 1;
  }
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) continue;
    const d = x - mean;
    ss += d * d;
  }
  const p = 1 - (1 - level) / 2, df = n - 1;
  if (p !== lastP || df !== lastDf) {
    lastQ = tQuantile(p, df);
    lastP = p;
    lastDf = df;
  }
  estimated[1] = lastQ * (Math.sqrt(ss / df) / Math.sqrt(n));
  return n;
}

/** The values as a Float64Array: themselves if they are one, else a copy. */
export function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** Mean and Student-t confidence half-width of per-replication values, skipping NaN. */
export function estimate(values: ArrayLike<number>, level = 0.95): Estimate {
  const n = estimateInto(asFloat64(values), level);
  return { mean: estimated[0], half: estimated[1], n };
}

/** The same estimate through simple-statistics itself: the definition `estimate` is held to. */
export function estimateReference(values: ArrayLike<number>, level = 0.95): Estimate {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) xs.push(values[i]);
  const n = xs.length;
  if (n === 0) return { mean: NaN, half: NaN, n };
  const mean = ssMean(xs);
  if (n === 1) return { mean, half: NaN, n };
  return { mean, half: tQuantile(1 - (1 - level) / 2, n - 1) * (sampleStandardDeviation(xs) / Math.sqrt(n)), n };
}
