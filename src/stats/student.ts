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

/** Mean and Student-t confidence half-width of per-replication values, skipping NaN. */
export function estimate(values: ArrayLike<number>, level = 0.95): Estimate {
  let defined = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) defined++;
  // without NaNs the values themselves (no copy: a summary estimates ~100,000 times)
  // (plain arrays throughout: simple-statistics' loops slow down for good once they see two kinds)
  let xs = values as number[];
  if (defined < values.length || !Array.isArray(values)) {
    xs = [];
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) xs.push(values[i]);
  }
  const n = defined;
  if (n === 0) return { mean: NaN, half: NaN, n };
  const mean = ssMean(xs);
  if (n === 1) return { mean, half: NaN, n };
  const sd = sampleStandardDeviation(xs);
  return { mean, half: tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n)), n };
}
