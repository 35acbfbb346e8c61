// The one decision rule of peakplan: every window a target is judged over (each interval, each
// day, or the horizon) *meets*, *misses* or is *undecided* at a stated confidence c, and the
// claim holds for the whole run at once — with probability at least c, no window of any target
// gets a wrong verdict, however many windows there are and however many times more replications
// were added before deciding (docs/verdicts.md).
//
// How: replications come in looks fixed before the first one (n0, 2·n0, 4·n0, … up to a
// budget). At a look with m judged windows, each window's interval is the Student-t interval
// whose one-sided error is α' = (1 − c) / (K · m), K the number of looks in the schedule
// (Bonferroni over windows and looks: valid whatever the dependence between them). A window
// meets when its whole interval is on the right side of the bound, misses when it is all on the
// wrong side, and is undecided otherwise; a decided window keeps its verdict and its estimate,
// and later looks are spent on the undecided ones.

import type { RepResult } from './layout.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { StatsLayout } from './recorder.js';
import { DEFAULT_CONFIDENCE } from '../defaults.js';
import { tQuantile } from './student.js';
import { metricMax, targetSamples, type Pooled, type WindowSample } from './windows.js';

export type Verdict = 'meets' | 'misses' | 'undecided';

/** Mean and interval over replications (the interval equals the mean when it cannot be computed). */
export interface Est {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

export interface DecisionRule {
  /** The probability that no window of the run gets a wrong verdict (e.g. 0.95). */
  readonly confidence: number;
  /** Replication counts at which windows are judged, increasing, fixed before the first look. */
  readonly looks: readonly number[];
  /**
   * Stop at the first look at which a window misses (`check --fail-fast`): the run fails whatever
   * the later looks would decide, so a red CI run says so without spending the budget. Absent
   * (not false) otherwise, so that results without it keep their bytes.
   */
  readonly stopAtMiss?: true;
}

export { DEFAULT_CONFIDENCE } from '../defaults.js';

/** Looks at n0, 2·n0, 4·n0, … and finally `max` (one look when max ≤ n0). */
export function lookSchedule(first: number, max: number): number[] {
  const looks = [first];
  while (looks[looks.length - 1] * 2 < max) looks.push(looks[looks.length - 1] * 2);
  if (max > looks[looks.length - 1]) looks.push(max);
  return looks;
}

/** A rule that judges once, on the replications there are. */
export function singleLook(confidence: number, replications: number): DecisionRule {
  return { confidence, looks: [replications] };
}

/** The one-sided error of each window's interval at a look with m judged windows. */
export function windowAlpha(rule: DecisionRule, m: number): number {
  return (1 - rule.confidence) / (rule.looks.length * Math.max(1, m));
}

const EPS = 1e-12;

export function meets(t: Pick<Target, 'sense' | 'bound'>, x: number): boolean {
  return t.sense === 'atLeast' ? x >= t.bound - EPS : x <= t.bound + EPS;
}

/** Verdict of an interval [lo, hi] against a target's bound. */
export function verdictOf(t: Pick<Target, 'sense' | 'bound'>, e: Est): Verdict {
  if (Number.isNaN(e.mean)) return 'undecided';
  const [good, bad] = t.sense === 'atLeast' ? [e.lo, e.hi] : [e.hi, e.lo];
  if (meets(t, good)) return 'meets';
  if (!meets(t, bad)) return 'misses';
  return 'undecided';
}

export interface WindowEstimate extends Est {
  /** Replications where the value is defined. */
  readonly n: number;
}

/**
 * A window's mean and two-sided interval at one-sided error `alpha` on each side. Values that
 * never varied say nothing about the spread through their standard deviation: then the pooled
 * counts decide — Clopper–Pearson's exact bound when every contact (ticket, order) came out the
 * same way (all answered in time: the lower bound α^(1/N) for N contacts), the binomial or
 * Poisson standard error otherwise.
 */
export function windowEstimate(values: ArrayLike<number>, pooled: Pooled | null, alpha: number, max = Infinity): WindowEstimate {
  let n = 0, sum = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) { n++; sum += values[i]; }
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const mean = sum / n;
  if (n === 1) return { mean, lo: mean, hi: mean, n };
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) ss += (values[i] - mean) ** 2;
  const clip = (lo: number, hi: number): WindowEstimate => ({ mean, lo: Math.max(0, lo), hi: Math.min(max, hi), n });
  if (ss > 0) {
    const half = tQuantile(1 - alpha, n - 1) * Math.sqrt(ss / (n - 1) / n);
    return clip(mean - half, mean + half);
  }
  if (pooled === null || !(pooled.trials > 0)) return clip(mean, mean);
  const N = pooled.trials;
  if (pooled.kind === 'share') {
    const p = pooled.successes / N;
    // every trial a success (or every one a failure): the exact one-sided bounds
    if (p >= 1 - EPS) return clip(alpha ** (1 / N), 1);
    if (p <= EPS) return clip(0, 1 - alpha ** (1 / N));
    const half = zQuantile(1 - alpha) * Math.sqrt((p * (1 - p)) / N);
    return clip(mean - half, mean + half);
  }
  // a rate per 1,000 orders: complaints are Poisson given the orders
  const k = pooled.successes;
  if (k === 0) return clip(0, (1000 * -Math.log(alpha)) / N);
  const half = (zQuantile(1 - alpha) * 1000 * Math.sqrt(k)) / N;
  return clip(mean - half, mean + half);
}

/** Standard normal quantile (P. J. Acklam's rational approximation: relative error below 1.2e-9). */
export function zQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

export interface WindowJudgement {
  /** Interval index, day index, or 0 for the horizon. */
  readonly index: number;
  readonly start: string;
  /** The mean and the window's decision interval (see windowAlpha) at the look that decided it, or at the last look. */
  readonly value: Est;
  /** Replications behind the value. */
  readonly n: number;
  readonly verdict: Verdict;
}

export interface TargetJudgement {
  readonly target: Target;
  /** The windows with something to measure, in order. */
  readonly windows: readonly WindowJudgement[];
  readonly meets: number;
  readonly misses: number;
  readonly undecided: number;
  /** misses when a window misses; else undecided when one is; meets when every window meets; none without windows. */
  readonly verdict: Verdict | 'none';
  /** The most replications behind any of its windows (what deciding it took). */
  readonly replications: number;
}

export function targetVerdict(misses: number, undecided: number, evaluated: number): Verdict | 'none' {
  return evaluated === 0 ? 'none' : misses > 0 ? 'misses' : undecided > 0 ? 'undecided' : 'meets';
}

/** What a run's verdict means for its exit code: undecided windows fail or only warn. */
export type UndecidedPolicy = 'fail' | 'warn';

export function passes(verdict: Verdict | 'none', policy: UndecidedPolicy): boolean {
  return verdict === 'meets' || verdict === 'none' || (verdict === 'undecided' && policy === 'warn');
}

/**
 * Judges every target of a scenario over looks of growing replication counts. Call `look` with
 * the first `rule.looks[k]` replications (in index order) for k = 0, 1, …; stop when `done`.
 */
export class SequentialJudge {
  private readonly frozen: Map<number, WindowJudgement>[];
  private current: WindowJudgement[][] = [];
  private taken = 0;
  private lastN = 0;
  private m = 0;

  constructor(readonly s: Scenario, readonly layout: StatsLayout, readonly rule: DecisionRule) {
    this.frozen = s.targets.map(() => new Map());
  }

  /** Replications the next look needs, or null when every window is decided or the budget is spent. */
  get next(): number | null {
    if (this.taken > 0 && this.done) return null;
    return this.taken < this.rule.looks.length ? this.rule.looks[this.taken] : null;
  }

  /**
   * True after a look in which no evaluated window is left undecided, or, under `stopAtMiss`, in
   * which one misses. Stopping early keeps the confidence: the Bonferroni bound covers every
   * window at every look of the schedule, and a run that stops judges a subset of those.
   */
  get done(): boolean {
    if (this.taken === 0) return false;
    if (this.rule.stopAtMiss === true && this.current.some((ws) => ws.some((w) => w.verdict === 'misses'))) return true;
    return this.current.every((ws) => ws.every((w) => w.verdict !== 'undecided'));
  }

  get looksTaken(): number {
    return this.taken;
  }

  /** Windows judged at the last look (the m of its Bonferroni level). */
  get windowsJudged(): number {
    return this.m;
  }

  /** The one-sided error each undecided window was judged at in the last look. */
  get alpha(): number {
    return windowAlpha(this.rule, this.m);
  }

  get replications(): number {
    return this.lastN;
  }

  look(reps: readonly RepResult[]): void {
    if (this.taken >= this.rule.looks.length) throw new Error('every look of the schedule was taken');
    const samples = this.s.targets.map((t) => targetSamples(this.s, this.layout, reps, t));
    this.judgeSamples(samples, reps.length);
  }

  /** The same from samples computed elsewhere (the planner reuses them). */
  judgeSamples(samples: readonly (readonly WindowSample[])[], n: number): void {
    this.taken++;
    this.lastN = n;
    this.m = samples.reduce((a, ws) => a + ws.filter((w) => w.evaluated).length, 0);
    const alpha = windowAlpha(this.rule, this.m);
    this.current = samples.map((ws, ti) => {
      const t = this.s.targets[ti];
      const frozen = this.frozen[ti];
      const out: WindowJudgement[] = [];
      for (const w of ws) {
        const f = frozen.get(w.index);
        if (f !== undefined) { out.push(f); continue; }
        if (!w.evaluated) continue;
        const e = windowEstimate(w.values, w.pooled, alpha, metricMax(t));
        const j: WindowJudgement = { index: w.index, start: w.start, value: { mean: e.mean, lo: e.lo, hi: e.hi }, n: e.n, verdict: verdictOf(t, e) };
        if (j.verdict !== 'undecided') frozen.set(w.index, j);
        out.push(j);
      }
      return out;
    });
  }

  targets(): TargetJudgement[] {
    return this.s.targets.map((t, ti) => {
      const windows = this.current[ti] ?? [];
      let m = 0, x = 0, u = 0, reps = 0;
      for (const w of windows) {
        if (w.verdict === 'meets') m++;
        else if (w.verdict === 'misses') x++;
        else u++;
        reps = Math.max(reps, w.n);
      }
      return { target: t, windows, meets: m, misses: x, undecided: u, verdict: targetVerdict(x, u, windows.length), replications: reps };
    });
  }
}

/** Judge once, on the replications there are (what `simulate` and the reports show). */
export function judgeOnce(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], confidence = DEFAULT_CONFIDENCE): SequentialJudge {
  const j = new SequentialJudge(s, layout, singleLook(confidence, reps.length));
  j.look(reps);
  return j;
}

/**
 * The looks of a sequential run replayed over replications computed in advance (shards merged
 * afterwards): the same judge and the same replications as the run that stopped by itself.
 */
export function replayLooks(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], rule: DecisionRule): { judge: SequentialJudge; used: readonly RepResult[] } {
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const judge = new SequentialJudge(s, layout, rule);
  let used: readonly RepResult[] = [];
  for (let need = judge.next; need !== null && need <= sorted.length; need = judge.next) {
    used = sorted.slice(0, need);
    judge.look(used);
  }
  return { judge, used };
}
