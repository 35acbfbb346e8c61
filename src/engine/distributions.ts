// Distributions as inverse CDFs. Every sample is quantile(u) of one uniform u, so that a
// contact can draw its uniforms once, when it arrives, and the same contact gets the same
// handle time and patience whichever pool serves it and whatever the staffing: common random
// numbers hold at the level of the individual contact, not just of the streams.
//
// Distributions validate themselves on construction; nothing is silently coerced.

export type DistSpec =
  | { kind: 'exponential'; mean: number }
  | { kind: 'deterministic'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'lognormal'; mean: number; cv: number }
  | { kind: 'gamma'; mean: number; cv: number }
  | { kind: 'empirical'; values: readonly number[] }
  | { kind: 'never' };

// Numeric codes so that the hot path switches on a small integer.
const EXP = 0, DET = 1, UNI = 2, LOGN = 3, GAM = 4, EMP = 5, NEVER = 6;

export class Distribution {
  readonly spec: DistSpec;
  readonly mean: number;
  /** Coefficient of variation (sd / mean); 0 for a constant, Infinity-free. */
  readonly cv: number;
  private readonly code: number;
  private readonly a: number;
  private readonly b: number;
  private readonly values: Float64Array;

  constructor(spec: DistSpec) {
    this.spec = spec;
    this.values = new Float64Array(0);
    const finite = (x: number, what: string) => {
      if (!Number.isFinite(x)) throw new RangeError(`${spec.kind}: ${what} must be finite, got ${x}`);
    };
    switch (spec.kind) {
      case 'exponential':
        finite(spec.mean, 'mean');
        if (!(spec.mean > 0)) throw new RangeError(`exponential: mean must be > 0, got ${spec.mean}`);
        this.code = EXP; this.a = spec.mean; this.b = 0;
        this.mean = spec.mean; this.cv = 1;
        break;
      case 'deterministic':
        finite(spec.value, 'value');
        if (!(spec.value >= 0)) throw new RangeError(`deterministic: value must be ≥ 0, got ${spec.value}`);
        this.code = DET; this.a = spec.value; this.b = 0;
        this.mean = spec.value; this.cv = 0;
        break;
      case 'uniform':
        finite(spec.min, 'min'); finite(spec.max, 'max');
        if (!(spec.min >= 0)) throw new RangeError(`uniform: min must be ≥ 0, got ${spec.min}`);
        if (!(spec.max >= spec.min)) throw new RangeError(`uniform: max must be ≥ min, got [${spec.min}, ${spec.max}]`);
        this.code = UNI; this.a = spec.min; this.b = spec.max - spec.min;
        this.mean = (spec.min + spec.max) / 2;
        this.cv = this.mean > 0 ? (spec.max - spec.min) / Math.sqrt(12) / this.mean : 0;
        break;
      case 'lognormal': {
        finite(spec.mean, 'mean'); finite(spec.cv, 'cv');
        if (!(spec.mean > 0)) throw new RangeError(`lognormal: mean must be > 0, got ${spec.mean}`);
        if (!(spec.cv > 0)) throw new RangeError(`lognormal: cv must be > 0, got ${spec.cv}`);
        const s2 = Math.log1p(spec.cv * spec.cv);
        this.code = LOGN; this.a = Math.log(spec.mean) - s2 / 2; this.b = Math.sqrt(s2);
        this.mean = spec.mean; this.cv = spec.cv;
        break;
      }
      case 'gamma': {
        finite(spec.mean, 'mean'); finite(spec.cv, 'cv');
        if (!(spec.mean > 0)) throw new RangeError(`gamma: mean must be > 0, got ${spec.mean}`);
        if (!(spec.cv > 0)) throw new RangeError(`gamma: cv must be > 0, got ${spec.cv}`);
        const shape = 1 / (spec.cv * spec.cv);
        this.code = GAM; this.a = shape; this.b = spec.mean / shape;
        this.mean = spec.mean; this.cv = spec.cv;
        break;
      }
      case 'empirical': {
        if (spec.values.length === 0) throw new RangeError('empirical: needs at least one value');
        for (const v of spec.values) {
          finite(v, 'every value');
          if (!(v >= 0)) throw new RangeError(`empirical: values must be ≥ 0, got ${v}`);
        }
        this.code = EMP; this.a = spec.values.length; this.b = 0;
        this.values = Float64Array.from(spec.values);
        let s = 0, s2 = 0;
        for (const v of spec.values) { s += v; s2 += v * v; }
        this.mean = s / spec.values.length;
        const variance = Math.max(0, s2 / spec.values.length - this.mean * this.mean);
        this.cv = this.mean > 0 ? Math.sqrt(variance) / this.mean : 0;
        break;
      }
      case 'never':
        this.code = NEVER; this.a = 0; this.b = 0;
        this.mean = Infinity; this.cv = 0;
        break;
      default:
        throw new RangeError(`unknown distribution ${(spec as { kind: string }).kind}`);
    }
  }

  /** The value at probability u, 0 < u < 1. */
  quantile(u: number): number {
    switch (this.code) {
      // u lies on a 2^-32 grid inside (0, 1), so 1 - u is exact and never 0; Math.log is
      // ~10% faster end to end than Math.log1p in V8 (bench/run.mjs).
      case EXP: return -Math.log(1 - u) * this.a;
      case DET: return this.a;
      case UNI: return this.a + this.b * u;
      case LOGN: return Math.exp(this.a + this.b * normalQuantile(u));
      case GAM: return gammaQuantile(u, this.a) * this.b;
      case EMP: return this.values[Math.min(this.values.length - 1, Math.floor(u * this.a))];
      default: return Infinity;
    }
  }

  /** True when every sample is +Infinity (no abandonment). */
  get isNever(): boolean {
    return this.code === NEVER;
  }

  /** Scaled copy: every sample multiplied by f > 0. */
  scaled(f: number): Distribution {
    const s = this.spec;
    switch (s.kind) {
      case 'exponential': return new Distribution({ kind: 'exponential', mean: s.mean * f });
      case 'deterministic': return new Distribution({ kind: 'deterministic', value: s.value * f });
      case 'uniform': return new Distribution({ kind: 'uniform', min: s.min * f, max: s.max * f });
      case 'lognormal': return new Distribution({ kind: 'lognormal', mean: s.mean * f, cv: s.cv });
      case 'gamma': return new Distribution({ kind: 'gamma', mean: s.mean * f, cv: s.cv });
      case 'empirical': return new Distribution({ kind: 'empirical', values: s.values.map((v) => v * f) });
      case 'never': return this;
    }
  }
}

// ---- special functions ---------------------------------------------------------------------

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a1 = -3.969683028665376e1, a2 = 2.209460984245205e2, a3 = -2.759285104469687e2;
  const a4 = 1.38357751867269e2, a5 = -3.066479806614716e1, a6 = 2.506628277459239;
  const b1 = -5.447609879822406e1, b2 = 1.615858368580409e2, b3 = -1.556989798598866e2;
  const b4 = 6.680131188771972e1, b5 = -1.328068155288572e1;
  const c1 = -7.784894002430293e-3, c2 = -3.223964580411365e-1, c3 = -2.400758277161838;
  const c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783;
  const d1 = 7.784695709041462e-3, d2 = 3.224671290700398e-1, d3 = 2.445134137142996;
  const d4 = 3.754408661907416;
  const plow = 0.02425;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
      (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log1p(-p));
  return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const gln = logGamma(a);
  if (x < a + 1) {
    // series
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  // continued fraction for Q(a, x) (modified Lentz)
  let b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** Quantile of the unit-scale gamma distribution with shape a (Numerical Recipes' invgammp). */
export function gammaQuantile(p: number, a: number): number {
  const a1 = a - 1, gln = logGamma(a), eps = 1e-10;
  let x: number, lna1 = 0, afac = 0;
  if (a > 1) {
    lna1 = Math.log(a1);
    afac = Math.exp(a1 * (lna1 - 1) - gln);
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    x = Math.max(1e-3, a * Math.pow(1 - 1 / (9 * a) - z / (3 * Math.sqrt(a)), 3));
  } else {
    const t = 1 - a * (0.253 + a * 0.12);
    if (p < t) x = Math.pow(p / t, 1 / a);
    else x = 1 - Math.log(1 - (p - t) / (1 - t));
  }
  for (let j = 0; j < 100; j++) {
    if (x <= 0) return 0;
    const err = gammaP(a, x) - p;
    let t = a > 1 ? afac * Math.exp(-(x - a1) + a1 * (Math.log(x) - lna1)) : Math.exp(-x + a1 * Math.log(x) - gln);
    if (t === 0) break;
    const u = err / t;
    t = u / (1 - 0.5 * Math.min(1, u * ((a - 1) / x - 1)));
    // Very small shapes (a gamma with a large cv) start from x so close to 0 that the density
    // overflows and the step is 0 × ∞ = NaN; the starting guess p^(1/a) is already exact there.
    if (!Number.isFinite(t)) break;
    x -= t;
    if (x <= 0) x = 0.5 * (x + t);
    if (Math.abs(t) < eps * x) break;
  }
  return x;
}
