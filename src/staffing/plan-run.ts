// One run of the planner: its scenario and options, the simulations it asks for (and what they
// cost in replications and rounds), the stage log, and what the stages learn about windows as
// they go (how often each failed, which interval-pools cannot give an agent up, what cannot be
// met within the constraints). The stages (iterative.ts, search.ts, verify.ts) share it.

import { simulateScenarioAsync, simulateSequential, type RunOutput, type SequentialOptions, type SequentialOutput } from '../parallel/runner.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { DecisionRule } from '../stats/verdict.js';
import { SEARCH_FIRST } from './analytical.js';
import type { PlanOptions, PlanStageLog } from './planner.js';
import { addFor, samplesOf, type Failure } from './search-rules.js';
import { PlanStopped, smooth, staffingCost, withStaffing, type Staffing } from './staffing.js';
import { tQuantile } from '../stats/student.js';

/**
 * A day or horizon target the planner has bought agents for: what its failing windows were, per
 * replication, when it first failed on these replications, and every agent added for it since.
 */
interface Bought {
  readonly windows: readonly number[];
  /** Per replication index: the sense-adjusted mean over those windows at the baseline. */
  readonly base: Map<number, number>;
  readonly delta: Staffing;
  rounds: number;
}

/** A target that agents do not move (or only at a cost past all reason): reported, not bought. */
export interface NotByStaffing {
  readonly target: Target;
  /** Agent-hours added for it before the planner gave up, and what they did (paired, same replications). */
  readonly addedHours: number;
  readonly improvement: { readonly mean: number; readonly lo: number; readonly hi: number };
  /** Agent-hours it would take at that rate to close the remaining gap (Infinity when agents do not move it). */
  readonly neededHours: number;
  readonly why: string;
}

/** A target is given up after agents were added for it in this many rounds, at the least. */
const ROUNDS_BEFORE_JUDGING = 2;

export class PlanRun {
  readonly log: PlanStageLog[] = [];
  /** Replications simulated so far (every stage). */
  repsRun = 0;
  /** Simulation rounds of stages 2 and 3 so far (bounded by maxRounds). */
  rounds = 0;
  /** Interval-pools where agents had to be added, or a single agent could not go: the search leaves them. */
  readonly tight: Uint8Array[];
  /** Per target path: windows agents could not be added for (at the planning maximum). */
  readonly infeasible = new Map<string, { t: Target; windows: Set<string> }>();
  // How often each window has failed so far (search and verification): a window that fails again
  // after agents were added gets twice the step, then four times (at most eight), so a stubborn
  // window is fixed in two or three simulation rounds rather than one agent per round. Rounds are
  // the cost of planning (each is a batch of replications); an agent too many in one interval is cheap.
  private readonly failedBefore = new Map<string, number>();
  // A window whose mean holds and only its interval crosses the bound is short of precision as
  // much as of capacity (a complaint rate driven by late parcels does not fall with more agents):
  // it gets one step at a time, never an escalated one, and after three such rounds no more.
  private readonly noisy = new Map<string, number>();

  /** Day and horizon targets agents were bought for, by path (see Bought). */
  private readonly bought = new Map<string, Bought>();
  /** Targets that staffing does not meet: their failures are no longer bought for. */
  readonly notByStaffing = new Map<string, NotByStaffing>();

  constructor(readonly base: Scenario, readonly o: PlanOptions) {
    this.tight = base.pools.map(() => new Uint8Array(base.calendar.intervals));
  }

  /**
   * Replications of a staffing (the search's, from SEARCH_FIRST, unless `first` says otherwise).
   * Here and in verify the same replications come back with other staffing round after round, so
   * each thread plays their order flow back from its first run (model/orders/tape.ts).
   */
  async search(staff: Staffing, reps = this.o.searchReps, first = SEARCH_FIRST, trackN = false, quantiles = false, rule?: DecisionRule): Promise<RunOutput> {
    const o = this.o;
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    this.repsRun += reps;
    const s = { ...withStaffing(this.base, staff), replications: reps };
    const opts = {
      reportSec: this.base.calendar.intervalSec, firstReplication: first, shouldStop: o.shouldStop, trackNumberInSystem: trackN, noQuantiles: !quantiles,
      pool: o.pool, base: this.base, skipSummary: !quantiles, orderTape: true, tapeCache: o.tapeCache,
    };
    const out = rule !== undefined ? await simulateSequential(s, rule, opts) : await simulateScenarioAsync(s, opts);
    if (out === null) throw new PlanStopped('stopped');
    return out;
  }

  /** The verification's replications 0, 1, … of a staffing, in the rule's looks (or going on from an earlier run). */
  async verify(staff: Staffing, rule: DecisionRule, more: Pick<SequentialOptions, 'enough' | 'from'>): Promise<SequentialOutput> {
    const o = this.o;
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    const before = more.from?.reps.length ?? 0;
    const out = await simulateSequential({ ...withStaffing(this.base, staff), replications: rule.looks[0] }, rule, {
      reportSec: this.base.calendar.intervalSec, firstReplication: 0, shouldStop: o.shouldStop, pool: o.pool, base: this.base, orderTape: true, tapeCache: o.tapeCache, ...more,
    });
    if (out === null) throw new PlanStopped('stopped');
    this.repsRun += out.reps.length - before;
    return out;
  }

  record(stage: string, staff: Staffing, failing: number, worst: string): void {
    const { cost, agentHours } = staffingCost(this.base, staff);
    const entry = { stage, round: this.rounds, cost, failing, worst, agentHours };
    this.log.push(entry);
    this.o.onProgress?.(entry);
  }

  /** How many steps a failure gets this time (0: no more). */
  private escalation(f: Failure): number {
    const key = `${f.target.path}@${f.window}`;
    if (f.ciOnly) {
      const n = (this.noisy.get(key) ?? 0) + 1;
      this.noisy.set(key, n);
      return n > 3 ? 0 : 1;
    }
    const k = this.failedBefore.get(key) ?? 0;
    this.failedBefore.set(key, k + 1);
    return 2 ** Math.min(3, k);
  }

  /** Agents for every failure, then smoothing; returns how many were added. */
  addAll(staff: Staffing, failures: readonly Failure[], out: RunOutput): number {
    let added = 0;
    this.judgeBought(staff, failures, out);
    for (const f of failures) {
      if (this.notByStaffing.has(f.target.path)) continue;
      const times = this.escalation(f);
      if (times === 0) continue;
      const before = f.target.scope !== 'interval' ? staff.map((x) => Int32Array.from(x)) : null;
      const n = addFor(this.base, staff, f, out, times, this.tight);
      if (n === 0 && !f.ciOnly) {
        const key = f.target.path;
        if (!this.infeasible.has(key)) this.infeasible.set(key, { t: f.target, windows: new Set() });
        this.infeasible.get(key)!.windows.add(f.window);
      }
      if (before !== null && n > 0) this.recordBought(f, before, staff, out, failures);
      added += n;
    }
    smooth(this.base, staff);
    return added;
  }

  /** The failures agents can still fix (what staffing does not meet is left out). */
  buyable<T extends { target: Target }>(failures: readonly T[]): T[] {
    return failures.filter((f) => !this.notByStaffing.has(f.target.path));
  }

  /** Remember what a day or horizon target's windows were before its first agents, and add up the agents. */
  private recordBought(f: Failure, before: Staffing, staff: Staffing, out: RunOutput, failures: readonly Failure[]): void {
    const key = f.target.path;
    let b = this.bought.get(key);
    const reps = new Set(out.reps.map((r) => r.replication));
    // a baseline on other replications (the search's, now the verification's) cannot be paired
    if (b !== undefined && ![...b.base.keys()].every((r) => reps.has(r))) b = undefined;
    if (b === undefined) {
      const windows = failures.filter((x) => x.target.path === key).map((x) => x.windowIndex);
      b = { windows, base: this.valuesOf(f.target, windows, out), delta: staff.map((x) => new Int32Array(x.length)), rounds: 0 };
      this.bought.set(key, b);
    }
    for (let pi = 0; pi < staff.length; pi++) for (let i = 0; i < staff[pi].length; i++) b.delta[pi][i] += staff[pi][i] - before[pi][i];
  }

  /** Per replication: the sense-adjusted mean of the target's value over these windows (higher is better). */
  private valuesOf(t: Target, windows: readonly number[], out: RunOutput): Map<number, number> {
    const ti = this.base.targets.indexOf(t);
    const samples = samplesOf(this.base, out)[ti];
    const sorted = [...out.reps].sort((a, b) => a.replication - b.replication);
    const sign = t.sense === 'atLeast' ? 1 : -1;
    const m = new Map<number, number>();
    sorted.forEach((r, k) => {
      let sum = 0, n = 0;
      for (const w of windows) {
        const v = samples.find((x) => x.index === w)?.values[k];
        if (v !== undefined && Number.isFinite(v)) { sum += v; n++; }
      }
      if (n > 0) m.set(r.replication, (sign * sum) / n);
    });
    return m;
  }

  /**
   * Before buying again for a day or horizon target that still fails: what did the agents bought
   * for it so far do, on the same replications (common random numbers)? When the paired
   * improvement is not above zero at the plan's confidence, or closing the rest of the gap at its
   * rate would take more agent-hours than the whole plan has, staffing does not meet it: its
   * agents are taken back, and it is reported with what drives it (docs/verdicts.md).
   */
  private judgeBought(staff: Staffing, failures: readonly Failure[], out: RunOutput): void {
    for (const [key, b] of this.bought) {
      if (this.notByStaffing.has(key)) continue;
      const f = failures.find((x) => x.target.path === key);
      if (f === undefined) continue; // it holds now: the agents did it
      b.rounds++;
      if (b.rounds < ROUNDS_BEFORE_JUDGING) continue;
      const now = this.valuesOf(f.target, b.windows, out);
      const d: number[] = [];
      for (const [r, v0] of b.base) { const v1 = now.get(r); if (v1 !== undefined) d.push(v1 - v0); }
      if (d.length < 2) continue;
      const mean = d.reduce((a, x) => a + x, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / (d.length - 1));
      const half = tQuantile(this.o.confidence, d.length - 1) * (sd / Math.sqrt(d.length));
      const improvement = { mean, lo: mean - half, hi: mean + half };
      const h = this.base.calendar.intervalSec / 3600;
      const addedHours = b.delta.reduce((a, x) => a + x.reduce((c, v) => c + v, 0), 0) * h;
      const planHours = staff.reduce((a, x) => a + x.reduce((c, v) => c + v, 0), 0) * h;
      // the gap still to close, in the same sense-adjusted units
      const sign = f.target.sense === 'atLeast' ? 1 : -1;
      const gapNow = Math.max(0, sign * f.target.bound - [...now.values()].reduce((a, x) => a + x, 0) / Math.max(1, now.size));
      const moved = improvement.lo > 0;
      const neededHours = moved ? (gapNow / mean) * addedHours : Infinity;
      if (moved && neededHours <= planHours) continue;
      for (let pi = 0; pi < staff.length; pi++) {
        const p = this.base.pools[pi];
        for (let i = 0; i < staff[pi].length; i++) staff[pi][i] = Math.max(p.planning.min[i], staff[pi][i] - b.delta[pi][i]);
      }
      const why = moved
        ? `${addedHours.toFixed(0)} agent-hours moved it by ${mean.toPrecision(3)} (paired, [${improvement.lo.toPrecision(3)}, ${improvement.hi.toPrecision(3)}]); closing the rest would take about ${neededHours.toFixed(0)} agent-hours, more than the whole plan's ${planHours.toFixed(0)}`
        : `${addedHours.toFixed(0)} agent-hours did not move it at ${Math.round(this.o.confidence * 1000) / 10}% confidence (paired change ${mean.toPrecision(3)}, [${improvement.lo.toPrecision(3)}, ${improvement.hi.toPrecision(3)}])`;
      this.notByStaffing.set(key, { target: f.target, addedHours, improvement, neededHours, why });
      this.infeasible.delete(key);
    }
  }
}
