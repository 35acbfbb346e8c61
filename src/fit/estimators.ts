// The estimators `peakplan fit` uses, written out (no statistics library has censored patience or
// the gamma MLE): lognormal and gamma by maximum likelihood from streamed sums, Kolmogorov–Smirnov
// goodness of fit, exponential patience from censored waits with its exact (χ²) interval, the
// Kaplan–Meier curve with Greenwood's variance, and Wilson's interval for a share.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x), Lanczos (g = 7, 9 terms): 15 digits for x > 0. */
export function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return LN_SQRT_2PI + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) and ψ'(x): recurrence up to 6, then the asymptotic series. */
export function digamma(x: number): number {
  let r = 0;
  while (x < 6) { r -= 1 / x; x += 1; }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
export function trigamma(x: number): number {
  let r = 0;
  while (x < 6) { r += 1 / (x * x); x += 1; }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** Regularised lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lg = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 1000; n++) { term *= x / (a + n); sum += term; if (Math.abs(term) < Math.abs(sum) * 1e-15) break; }
    return sum * Math.exp(-x + a * Math.log(x) - lg);
  }
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - lg) * h;
}

/** Φ(x) by erf (Abramowitz–Stegun 7.1.26 is too coarse for KS; this is W. J. Cody's rational form's accuracy class via erfc series). */
export function normalCdf(x: number): number {
  // erfc by a continued fraction / series split, 1e-14 relative
  const z = Math.abs(x) / Math.SQRT2;
  let erfc: number;
  if (z < 2.5) {
    let sum = z, term = z;
    for (let n = 1; n < 200; n++) { term *= (-z * z) / n; const add = term / (2 * n + 1); sum += add; if (Math.abs(add) < 1e-17) break; }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0;
    for (let n = 60; n >= 1; n--) f = (n / 2) / (z + f);
    erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
  }
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Streamed sums of a positive sample: enough for both maximum-likelihood fits. */
export class PositiveSums {
  n = 0; sum = 0; sumLog = 0; sumLog2 = 0; sum2 = 0;
  add(x: number): void { this.n++; this.sum += x; this.sum2 += x * x; const l = Math.log(x); this.sumLog += l; this.sumLog2 += l * l; }
}

export interface DistFit {
  readonly kind: 'lognormal' | 'gamma';
  readonly mean: number;
  readonly cv: number;
  readonly logLik: number;
  readonly cdf: (x: number) => number;
}

export function lognormalFit(s: PositiveSums): DistFit {
  const mu = s.sumLog / s.n;
  const v = Math.max(1e-12, s.sumLog2 / s.n - mu * mu);
  const sd = Math.sqrt(v);
  const logLik = -s.sumLog - s.n * Math.log(sd) - s.n * LN_SQRT_2PI - s.n / 2;
  return { kind: 'lognormal', mean: Math.exp(mu + v / 2), cv: Math.sqrt(Math.exp(v) - 1), logLik, cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sd)) };
}

export function gammaFit(s: PositiveSums): DistFit {
  const mean = s.sum / s.n;
  const g = Math.log(mean) - s.sumLog / s.n; // ≥ 0 by Jensen
  let k = g > 1e-12 ? (3 - g + Math.sqrt((g - 3) ** 2 + 24 * g)) / (12 * g) : 1e6;
  for (let i = 0; i < 50 && g > 1e-12; i++) {
    const step = (Math.log(k) - digamma(k) - g) / (1 / k - trigamma(k));
    const next = k - step;
    k = next > 0 ? next : k / 2;
    if (Math.abs(step) < 1e-12 * k) break;
  }
  const theta = mean / k;
  const logLik = (k - 1) * s.sumLog - s.sum / theta - s.n * k * Math.log(theta) - s.n * lnGamma(k);
  return { kind: 'gamma', mean, cv: 1 / Math.sqrt(k), logLik, cdf: (x) => gammaP(k, x / theta) };
}

/** Kolmogorov–Smirnov: the largest gap between the sample's and the model's distribution, and its p-value (asymptotic). */
export function ksTest(sorted: Float64Array, cdf: (x: number) => number): { d: number; p: number } {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const lam = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let j = 1; j <= 100; j++) p += 2 * (j % 2 ? 1 : -1) * Math.exp(-2 * j * j * lam * lam);
  return { d, p: Math.min(1, Math.max(0, p)) };
}

/** The χ² quantile by Wilson–Hilferty (within 0.1% for the degrees of freedom patience has). */
export function chi2Quantile(p: number, k: number): number {
  const z = normalQuantile(p);
  const a = 2 / (9 * k);
  return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

/** Φ⁻¹(p), Acklam's rational approximation refined by one Halley step. */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) { const q = Math.sqrt(-2 * Math.log(p)); x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1); }
  else if (p > 1 - 0.02425) { const q = Math.sqrt(-2 * Math.log(1 - p)); x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1); }
  else { const q = p - 0.5, r = q * q; x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1); }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Exponential patience from censored waits: every offered contact's wait is either its patience
 * (it abandoned) or a lower bound on it (answered first). The MLE of the mean is the total time
 * waited over the abandonments; 2·T/θ is χ² with 2d degrees of freedom, which gives its interval.
 */
export function censoredExponential(totalWait: number, abandoned: number, level = 0.95): { mean: number; lo: number; hi: number } {
  if (abandoned === 0) return { mean: Infinity, lo: totalWait > 0 ? (2 * totalWait) / chi2Quantile(level, 2) : NaN, hi: Infinity };
  const a = (1 - level) / 2;
  return { mean: totalWait / abandoned, lo: (2 * totalWait) / chi2Quantile(1 - a, 2 * abandoned), hi: (2 * totalWait) / chi2Quantile(a, 2 * abandoned) };
}

/** Kaplan–Meier: S(t) at each abandonment time, with Greenwood's standard error. */
export function kaplanMeier(waits: Float64Array, abandoned: Uint8Array): { t: number[]; s: number[]; se: number[] } {
  const idx = Array.from(waits.keys()).sort((a, b) => waits[a] - waits[b] || abandoned[b] - abandoned[a]);
  let atRisk = waits.length, s = 1, gw = 0;
  const out = { t: [] as number[], s: [] as number[], se: [] as number[] };
  for (let k = 0; k < idx.length;) {
    const t = waits[idx[k]];
    let d = 0, m = 0;
    while (k + m < idx.length && waits[idx[k + m]] === t) { d += abandoned[idx[k + m]]; m++; }
    if (d > 0) {
      s *= 1 - d / atRisk;
      if (atRisk > d) gw += d / (atRisk * (atRisk - d));
      out.t.push(t); out.s.push(s); out.se.push(s * Math.sqrt(gw));
    }
    atRisk -= m;
    k += m;
  }
  return out;
}

/** S(t) of a Kaplan–Meier curve (a step function; 1 before the first event). */
export function kmAt(km: { t: number[]; s: number[]; se: number[] }, t: number): { s: number; se: number } {
  let lo = 0, hi = km.t.length - 1, at = -1;
  while (lo <= hi) { const mid = (lo + hi) >> 1; if (km.t[mid] <= t) { at = mid; lo = mid + 1; } else hi = mid - 1; }
  return at < 0 ? { s: 1, se: 0 } : { s: km.s[at], se: km.se[at] };
}

/** Wilson's interval for a share of n. */
export function wilson(k: number, n: number, level = 0.95): { share: number; lo: number; hi: number } {
  if (n === 0) return { share: NaN, lo: NaN, hi: NaN };
  const z = normalQuantile(1 - (1 - level) / 2), p = k / n;
  const den = 1 + (z * z) / n, mid = (p + (z * z) / (2 * n)) / den, half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return { share: p, lo: Math.max(0, mid - half), hi: Math.min(1, mid + half) };
}

/** A reservoir of at most `cap` values, kept by a seeded generator: the same log gives the same sample. */
export class Reservoir {
  readonly xs: number[] = [];
  readonly flags: number[] = [];
  seen = 0;
  private state: number;
  constructor(readonly cap: number, seed = 0x9e3779b9) { this.state = seed >>> 0; }
  private next(): number { // xorshift32
    let x = this.state;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.state = x;
    return x / 4294967296;
  }
  add(x: number, flag = 0): void {
    this.seen++;
    if (this.xs.length < this.cap) { this.xs.push(x); this.flags.push(flag); return; }
    const j = Math.floor(this.next() * this.seen);
    if (j < this.cap) { this.xs[j] = x; this.flags[j] = flag; }
  }
}
