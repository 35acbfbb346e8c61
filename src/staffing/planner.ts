// The planner: the cheapest staffing per interval and pool that meets every target.
//
//   stage 0  measure the offered load per interval and channel by simulating with ample staff
//            (it includes the bot, the order flow, retrials: whatever the scenario drives);
//   stage 1  analytical start: Erlang A/C on the modified offered load (time-lagged, DOMAIN.md),
//            allocated to the cheapest pools per unit of capacity, within their constraints;
//            the same on the plain per-interval load is kept as the naive (spreadsheet) plan;
//   stage 2  iterative staffing in the spirit of Feldman, Mandelbaum, Massey & Whitt (2008):
//            simulate, set each interval's capacity to the smallest s with P(N ≥ s) ≤ α for the
//            number N of the channel's contacts in the system, repeat until stable;
//   stage 3  search with common random numbers on the real targets: add agents where a target
//            fails, remove them in rounds where every target still holds with a margin, until no
//            removal is accepted;
//   verify   the final plan (and the naive one) on fresh replications, with confidence intervals.
//
// Pure: takes a Scenario, returns plain data; progress and cancellation come in as callbacks.

import type { RepResult } from '../model/replication.js';
import { simulateScenarioAsync, simulateSequential, type RunOutput, type SequentialOptions, type SequentialOutput } from '../parallel/runner.js';
import type { ReplicationPool } from '../parallel/pool.js';
import type { Pool, Scenario, Target } from '../scenario/types.js';
import type { SimulationResult } from '../stats/summary.js';
import { lookSchedule, meets, singleLook, windowEstimate, type DecisionRule, type SequentialJudge } from '../stats/verdict.js';
import { metricMax, targetSamples, type WindowSample } from '../stats/windows.js';
import { erlangA, erlangCMetrics, firstMeeting } from './erlang.js';
import { peakLoadPerStep } from './offered-load.js';
import { expectedArrivals } from '../scenario/curves.js';

export interface PlanOptions {
  /** Replications per evaluation during the search (common random numbers: the same ones each time). */
  readonly searchReps: number;
  /** Fresh replications of the verification's first look. */
  readonly verifyReps: number;
  /** The most replications the verification may add while a window is undecided (looks double up to it). */
  readonly maxReps: number;
  /** The confidence of every verdict (verdict.ts); the search's own cushion is taken at it too. */
  readonly confidence: number;
  /** Most simulation rounds in stages 2 and 3 together. */
  readonly maxRounds: number;
  /** Stop after stage 2 (iterative staffing) and verify that: for studying the stage alone. */
  readonly isaOnly?: boolean;
  /** Rounds of iterative staffing (default 3). */
  readonly isaRounds?: number;
  /**
   * How iterative staffing rounds: 'up' (default) takes the smallest s with P(N ≥ s) ≤ α, safe for
   * service-level targets; 'nearest' takes the s whose P(N ≥ s) is nearest α, which keeps the
   * delay probability centred on α over time (Feldman et al.'s time-stability experiments).
   */
  readonly isaRounding?: 'up' | 'nearest';
  /** α for iterative staffing instead of the one derived from the stationary solution. */
  readonly isaAlpha?: number;
  readonly onProgress?: (p: PlanProgress) => void;
  readonly shouldStop?: () => boolean;
  /** Worker threads (the base scenario is shared with them once; each candidate sends its staffing). */
  readonly pool?: ReplicationPool;
}

export interface PlanProgress {
  readonly stage: string;
  readonly round: number;
  readonly cost: number;
  readonly failing: number;
  readonly worst: string;
}

export type Staffing = Int32Array[]; // per pool, per interval

export interface PlanStageLog extends PlanProgress {
  readonly agentHours: number;
}

export interface Infeasible {
  readonly target: string;
  readonly path: string;
  readonly windows: readonly string[];
}

export interface PlanResult {
  readonly scenario: Scenario; // with the final staffing
  readonly plan: Staffing;
  readonly start: Staffing;
  readonly naive: Staffing;
  readonly log: readonly PlanStageLog[];
  readonly verified: SimulationResult;
  readonly naiveVerified: SimulationResult;
  readonly cost: number;
  readonly naiveCost: number;
  readonly agentHours: number;
  readonly naiveAgentHours: number;
  /** Replications simulated in all (search, stages, verification). */
  readonly replicationsRun: number;
  readonly infeasible: readonly Infeasible[];
  readonly alpha: readonly number[];
}

export class PlanStopped extends Error {}

/**
 * The search (stages 0–3) simulates replications from this index on; the verification uses
 * replications 0, 1, 2, … — the ones `peakplan check` runs with the same seed, so that checking
 * the plan CSV reproduces the plan's own verdicts, and the search never saw them.
 */
export const SEARCH_FIRST = 1_000_000;

/**
 * Iterative staffing holds the delay probability a little below the stationary solutions' (by
 * this much), so the search starts from the safe side and trims; only where it starts.
 */
const ISA_CUSHION = 0.01;
/** The most Erlang servers a stationary staffing is searched up to (a pool holds at most LIMITS.agentsPerPool agents). */
const MAX_SERVERS = 1e6;

export interface AnalyticalOptions {
  /** Replications of the ample-staff run that measures the offered load. */
  readonly searchReps: number;
  /** Also the naive plan (Erlang on the plain per-interval load; default true). It costs as much again. */
  readonly naive?: boolean;
  readonly shouldStop?: () => boolean;
  readonly pool?: ReplicationPool;
}

export interface AnalyticalStaffing {
  /** Per pool and interval: Erlang A/C on the modified offered load, within the planning constraints. */
  readonly start: Staffing;
  /** The same on the plain per-interval load (the spreadsheet plan); null when not asked for. */
  readonly naive: Staffing | null;
  readonly measured: Measured;
  /** Per channel: the mean delay probability of the stationary solutions (less ISA_CUSHION). */
  readonly alpha: number[];
  /** Per channel and interval: the delay probability each stationary solution runs at (NaN: none). */
  readonly alphaAt: Float64Array[];
  readonly replicationsRun: number;
}

const clone = (x: Staffing): Staffing => x.map((a) => Int32Array.from(a));

/**
 * Lets the event loop turn every 50 ms of the planner's own computing (the Erlang stage takes
 * seconds on a month of intervals), so that a signal is seen there too, and stops the plan when
 * it was one. Awaited in loops: a resolved promise costs next to nothing.
 */
function pauser(shouldStop: (() => boolean) | undefined): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 50) return;
    await new Promise((res) => setImmediate(res));
    last = performance.now();
    if (shouldStop?.()) throw new PlanStopped('stopped');
  };
}

export function withStaffing(s: Scenario, staff: Staffing): Scenario {
  return { ...s, pools: s.pools.map((p, i) => ({ ...p, staffing: staff[i] })) };
}

/** Paid cost of a staffing: agent-hours / (1 − shrinkage) × cost per hour. */
export function staffingCost(s: Scenario, staff: Staffing): { cost: number; agentHours: number } {
  const cal = s.calendar;
  let cost = 0, hours = 0;
  s.pools.forEach((p, pi) => {
    let sec = 0;
    for (let i = 0; i < cal.intervals; i++) sec += staff[pi][i] * Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
    hours += sec / 3600;
    cost += (sec / 3600 / (1 - p.shrinkage)) * p.costPerHour;
  });
  return { cost, agentHours: hours };
}

/** Capacity an agent of the pool adds to its channel, in Erlang servers (work units). */
function serversPerAgent(p: Pool): number {
  return p.speed[p.concurrency - 1] * p.efficiency;
}

/** Cheaper per unit of capacity first; pools that only take overflow come last. */
function poolOrder(s: Scenario, ch: number): number[] {
  const unitCost = (p: Pool) => (p.costPerHour / (1 - p.shrinkage) + 1e-9) / serversPerAgent(p);
  const overflowOnly = (p: Pool) => p.skills.every((k) => k.afterSec > 0);
  return s.pools
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.channel === ch && !p.planning.fixed)
    .sort((a, b) => Number(overflowOnly(a.p)) - Number(overflowOnly(b.p)) || unitCost(a.p) - unitCost(b.p) || a.i - b.i)
    .map(({ i }) => i);
}

/**
 * Put `servers` of capacity on channel ch in interval i, within bounds. The capacity is split by
 * the intents' shares of the channel's work and each share goes to the cheapest pool that takes
 * that intent at once, so a pool is never staffed for work it has no skill for.
 */
function allocate(s: Scenario, staff: Staffing, ch: number, i: number, servers: number, shares?: readonly number[]): void {
  let need = servers;
  for (const pi of s.pools.map((p, k) => ({ p, k })).filter(({ p }) => p.channel === ch && p.planning.fixed)) need -= staff[pi.k][i] * serversPerAgent(pi.p);
  const order = poolOrder(s, ch);
  for (const pi of order) staff[pi][i] = s.pools[pi].planning.min[i];
  for (const pi of order) need -= staff[pi][i] * serversPerAgent(s.pools[pi]);
  if (need <= 0) return;
  const want = new Float64Array(s.pools.length);
  const nI = s.intents.length;
  const parts = shares && shares.some((x) => x > 0) ? shares : Array.from({ length: nI }, (_, it) => (it === 0 ? 1 : 0));
  for (let it = 0; it < nI; it++) {
    if (!(parts[it] > 0)) continue;
    let rest = need * parts[it];
    const eligible = order.filter((pi) => s.pools[pi].skills.some((k) => k.intent === it && k.afterSec === 0));
    for (const pi of eligible.length > 0 ? eligible : order) {
      const p = s.pools[pi];
      const room = (p.planning.max[i] - staff[pi][i]) * serversPerAgent(p) - want[pi];
      if (room <= 0) continue;
      const take = Math.min(room, rest);
      want[pi] += take;
      rest -= take;
      if (rest <= 1e-9) break;
    }
  }
  for (const pi of order) if (want[pi] > 0) staff[pi][i] = Math.min(s.pools[pi].planning.max[i], staff[pi][i] + Math.ceil(want[pi] / serversPerAgent(s.pools[pi]) - 1e-9));
}

/** Enforce maxStep by raising the lower neighbour (never lowers: keeps targets met). */
function smooth(s: Scenario, staff: Staffing): void {
  s.pools.forEach((p, pi) => {
    const step = p.planning.maxStep;
    if (!Number.isFinite(step)) return;
    const x = staff[pi];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 1; i < x.length; i++) if (x[i - 1] - x[i] > step) x[i] = Math.min(p.planning.max[i], x[i - 1] - step);
      for (let i = x.length - 2; i >= 0; i--) if (x[i + 1] - x[i] > step) x[i] = Math.min(p.planning.max[i], x[i + 1] - step);
    }
  });
}

/** Servers needed by Erlang A/C in one interval for every interval-scope live target of the channel. */
function erlangServers(s: Scenario, ch: number, lam: number, aht: number): number {
  if (!(lam > 0)) return 0;
  const patience = s.channels[ch].patience.mean;
  const targets = s.targets.filter((t) => t.channel === ch && (t.metric === 'serviceLevel' || t.metric === 'averageWait' || t.metric === 'abandonment'));
  let c = Math.max(1, Math.floor(lam * aht));
  // Erlang A's service level is exact but costs O(c²) per evaluation; for large systems (where
  // abandonment is small at a good service level) Erlang C on the load that does not abandon is
  // a close and fast stand-in. The search stage works on simulated values anyway.
  const big = lam * aht > 150;
  const ok = (c: number) =>
    targets.every((t) => {
      // only a service-level target needs P(answered within t), the costly part of Erlang A; an
      // average-wait target needs the answered contacts' mean wait (t = 0 skips the former), an
      // abandonment target neither
      const exact = !big && t.metric !== 'abandonment';
      let m = Number.isFinite(patience) ? erlangA(lam, aht, patience, c, t.metric === 'serviceLevel' ? t.withinSec : 0, exact) : null;
      if (m !== null && big) {
        const e2 = erlangCMetrics(lam * (1 - m.pAbandon), aht, c, t.withinSec || 20);
        m = { ...m, serviceLevel: e2.serviceLevel * (1 - m.pAbandon), meanWaitAnswered: e2.asa };
      }
      const e = m === null ? erlangCMetrics(lam, aht, c, t.withinSec || 20) : null;
      const value = t.metric === 'serviceLevel' ? (m ? m.serviceLevel : e!.serviceLevel)
        : t.metric === 'averageWait' ? (m ? m.meanWaitAnswered : e!.asa) : (m ? m.pAbandon : 0);
      return meets(t, value);
    }) && (Number.isFinite(patience) || c > lam * aht);
  if (targets.length === 0) return Math.ceil(lam * aht); // deferred work or no live target: carry the load
  if (Number.isFinite(patience)) {
    // Erlang C (closed form, fast) staffs at least as much as Erlang A needs: find it first, then
    // the fewest at or below it that Erlang A finds enough (or above it, for an abandonment target).
    const okC = (k: number) => targets.every((t) => {
      const e = erlangCMetrics(lam, aht, k, t.withinSec || 20);
      return t.metric === 'abandonment' || meets(t, t.metric === 'serviceLevel' ? e.serviceLevel : e.asa);
    });
    const cc = firstMeeting(Math.max(c, Math.floor(lam * aht) + 1), okC, MAX_SERVERS);
    return ok(cc) ? firstMeeting(1, ok, cc) : firstMeeting(cc + 1, ok, MAX_SERVERS);
  }
  return firstMeeting(c, ok, MAX_SERVERS);
}

export interface Measured {
  /** Offered contacts per second per interval and channel. */
  readonly rate: Float64Array[];
  /** Mean handle time per channel (s), weighted by what was offered. */
  readonly aht: number[];
  /** Per channel, each intent's share of the channel's work (offered × handle time). */
  readonly shares: number[][];
}

function measure(s: Scenario, reps: readonly RepResult[]): Measured {
  const cal = s.calendar, nc = s.channels.length, nI = s.intents.length;
  const rate = s.channels.map(() => new Float64Array(cal.intervals));
  const bins = reps[0].counters.offered.length / nc;
  const perInterval = Math.round(bins / cal.intervals) || 1;
  for (const r of reps) {
    for (let b = 0; b < bins; b++) {
      const i = Math.min(cal.intervals - 1, Math.floor(b / perInterval));
      for (let ch = 0; ch < nc; ch++) rate[ch][i] += r.counters.offered[b * nc + ch] / reps.length / cal.intervalSec;
    }
  }
  const shares = s.channels.map(() => new Array(nI).fill(0));
  const aht = s.channels.map((_, ch) => {
    let n = 0, w = 0;
    for (let it = 0; it < nI; it++) {
      const pool = s.pools.find((p) => p.channel === ch && p.handleTime[it] !== null) ?? s.pools.find((p) => p.tickets?.channel === ch && p.handleTime[it] !== null);
      if (!pool) continue;
      const offered = reps.reduce((a, r) => a + r.queueTotals[(ch * nI + it) * 2 * 5] + r.queueTotals[((ch * nI + it) * 2 + 1) * 5], 0);
      n += offered;
      w += offered * (pool.handleTime[it]!.mean / pool.efficiency);
      shares[ch][it] = offered * (pool.handleTime[it]!.mean / pool.efficiency);
    }
    if (w > 0) for (let it = 0; it < nI; it++) shares[ch][it] /= w;
    return n > 0 ? w / n : 300;
  });
  return { rate, aht, shares };
}

/**
 * Stages 0 and 1 of the planner, on their own: what is offered per interval (measured with ample
 * staff, or the demand curves' exact rates without an order flow), then Erlang on the modified
 * offered load (`start`) and on the plain per-interval load (`naive`, what a spreadsheet gives),
 * each allocated to pools within their planning constraints. Reports show `start` as the
 * analytical requirement; `plan` refines it by simulation.
 */
export async function analyticalStaffing(base: Scenario, o: AnalyticalOptions): Promise<AnalyticalStaffing> {
  const cal = base.calendar;
  // ---- stage 0: what is offered, with ample staff -------------------------------------------
  const ample: Staffing = base.pools.map((p) => (p.planning.fixed ? Int32Array.from(p.staffing) : Int32Array.from(p.planning.max, (m) => Math.min(m, 1000))));
  if (o.shouldStop?.()) throw new PlanStopped('stopped');
  const measured = await simulateScenarioAsync({ ...withStaffing(base, ample), replications: o.searchReps }, {
    reportSec: cal.intervalSec, firstReplication: SEARCH_FIRST, shouldStop: o.shouldStop, noQuantiles: true, pool: o.pool, base, skipSummary: true,
  });
  if (measured === null) throw new PlanStopped('stopped');
  const m0 = measure(base, measured.reps);
  if (base.orders === null) {
    // Without an order flow the forecast is the demand curves themselves: plan on their exact
    // expected rates (the bot's share removed) rather than on one noisy sample of them.
    base.channels.forEach((_, ch) => {
      const exact = new Float64Array(cal.intervals);
      for (const d of base.demand) {
        if (d.channel !== ch) continue;
        const keep = base.bot !== null && base.bot.channels[ch] ? 1 - base.bot.resolve[d.intent] : 1;
        for (let i = 0; i < cal.intervals; i++) exact[i] += (expectedArrivals(d.curve, i * cal.intervalSec, Math.min(cal.horizonSec, (i + 1) * cal.intervalSec)) * keep) / cal.intervalSec;
      }
      m0.rate[ch].set(exact);
    });
  }

  // ---- stage 1: Erlang on the modified offered load (and the naive plain-load plan) -----------
  const start: Staffing = base.pools.map((p) => (p.planning.fixed ? Int32Array.from(p.staffing) : Int32Array.from(p.planning.min)));
  const naive: Staffing = clone(start);
  const alpha = base.channels.map(() => 0.2);
  // the delay probability each interval's stationary solution runs at: stage 2 holds it steady
  const alphaAt = base.channels.map(() => new Float64Array(cal.intervals).fill(NaN));
  const pause = pauser(o.shouldStop);
  for (let ch = 0; ch < base.channels.length; ch++) {
    if (!base.pools.some((p) => p.channel === ch)) continue;
    const aht = m0.aht[ch];
    const mol = base.channels[ch].deferred ? deferredLoad(base, ch, m0.rate[ch], aht) : peakLoadPerStep(m0.rate[ch], cal.intervalSec, aht);
    let pw = 0, n = 0;
    for (let i = 0; i < cal.intervals; i++) {
      await pause();
      const cMol = erlangServers(base, ch, mol[i] / aht, aht);
      allocate(base, start, ch, i, cMol, m0.shares[ch]);
      if (o.naive !== false) allocate(base, naive, ch, i, erlangServers(base, ch, m0.rate[ch][i], aht), m0.shares[ch]);
      if (mol[i] > 0.5 && !base.channels[ch].deferred) {
        const p = base.channels[ch].patience.mean;
        const w = Number.isFinite(p) ? erlangA(mol[i] / aht, aht, p, cMol, 20, false).pWait : erlangCMetrics(mol[i] / aht, aht, cMol, 20).pWait;
        alphaAt[ch][i] = Math.min(0.6, Math.max(0.02, w - ISA_CUSHION));
        pw += w;
        n++;
      }
    }
    // the delay probability the stationary solution runs at: stage 2 holds it steady in time
    // (a little lower, so that the stabilised staffing starts the search on the safe side)
    if (n > 0) alpha[ch] = Math.min(0.5, Math.max(0.02, pw / n - ISA_CUSHION));
  }
  coverDeadlines(base, start);
  smooth(base, start);
  smooth(base, naive);
  return { start, naive: o.naive !== false ? naive : null, measured: m0, alpha, alphaAt, replicationsRun: o.searchReps };
}

/**
 * A deferred channel's load per interval: its work need not be done as it arrives, only by its
 * deadline, so the capacity an interval needs is the work that arrived over the trailing window of
 * half the tightest deadline in the targets (12 h for a 24 h first reply; 12 h without deadlines),
 * spread over that window. The load of one interval alone would leave the team at zero between
 * tickets and staff it for fifteen minutes at a time when one arrives; the trailing window keeps
 * one agent on duty while any ticket of the window may still be waiting.
 */
function deferredLoad(s: Scenario, ch: number, rate: Float64Array, aht: number): Float64Array {
  const cal = s.calendar;
  let deadline = 24 * 3600;
  for (const t of s.targets) if (t.channel === ch && (t.metric === 'firstReply' || t.metric === 'resolved') && t.withinSec > 0) deadline = Math.min(deadline, t.withinSec);
  const w = Math.max(1, Math.round(deadline / 2 / cal.intervalSec));
  const out = new Float64Array(rate.length);
  let sum = 0;
  for (let i = 0; i < rate.length; i++) {
    sum += rate[i];
    if (i >= w) sum -= rate[i - w];
    out[i] = (Math.max(0, sum) / w) * aht;
  }
  return out;
}

/**
 * A deferred channel with a deadline target is never left without an agent who can answer it for
 * longer than a quarter of the deadline: rare tickets (a complaint on the first, quiet day) that
 * the ample-staff measurement happened not to see would otherwise wait for the next staffed
 * interval, past their deadline (with one interval per half-deadline, two complaints close
 * together already missed it on fresh replications). One agent-interval per quarter is cheap.
 */
function coverDeadlines(s: Scenario, staff: Staffing): void {
  const cal = s.calendar;
  for (const t of s.targets) {
    if (t.channel < 0 || !s.channels[t.channel].deferred || (t.metric !== 'firstReply' && t.metric !== 'resolved') || !(t.withinSec > 0)) continue;
    const pools = poolOrder(s, t.channel).filter((pi) => t.intent < 0 || s.pools[pi].skills.some((k) => k.intent === t.intent));
    const fixed = s.pools.map((p, pi) => pi).filter((pi) => s.pools[pi].channel === t.channel && s.pools[pi].planning.fixed && (t.intent < 0 || s.pools[pi].skills.some((k) => k.intent === t.intent)));
    if (pools.length === 0) continue;
    const w = Math.max(1, Math.floor(t.withinSec / 4 / cal.intervalSec));
    let gap = 0;
    for (let i = 0; i < cal.intervals; i++) {
      const on = pools.some((pi) => staff[pi][i] > 0) || fixed.some((pi) => staff[pi][i] > 0);
      gap = on ? 0 : gap + 1;
      if (gap < w) continue;
      const pi = pools.find((q) => s.pools[q].planning.max[i] > staff[q][i]);
      if (pi === undefined) continue;
      staff[pi][i]++;
      gap = 0;
    }
  }
}

export async function plan(base: Scenario, o: PlanOptions): Promise<PlanResult> {
  const cal = base.calendar;
  const nP = base.pools.length;
  const log: PlanStageLog[] = [];
  let repsRun = 0;
  let rounds = 0;
  const searchScenario = async (staff: Staffing, reps = o.searchReps, first = SEARCH_FIRST, trackN = false, quantiles = false, rule?: DecisionRule): Promise<RunOutput> => {
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    repsRun += reps;
    const s = { ...withStaffing(base, staff), replications: reps };
    const opts = {
      reportSec: cal.intervalSec, firstReplication: first, shouldStop: o.shouldStop, trackNumberInSystem: trackN, noQuantiles: !quantiles,
      pool: o.pool, base, skipSummary: !quantiles,
    };
    const out = rule !== undefined ? await simulateSequential(s, rule, opts) : await simulateScenarioAsync(s, opts);
    if (out === null) throw new PlanStopped('stopped');
    return out;
  };
  const verifyScenario = async (staff: Staffing, rule: DecisionRule, more: Pick<SequentialOptions, 'enough' | 'from'>): Promise<SequentialOutput> => {
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    const before = more.from?.reps.length ?? 0;
    const out = await simulateSequential({ ...withStaffing(base, staff), replications: rule.looks[0] }, rule, {
      reportSec: cal.intervalSec, firstReplication: 0, shouldStop: o.shouldStop, pool: o.pool, base, ...more,
    });
    if (out === null) throw new PlanStopped('stopped');
    repsRun += out.reps.length - before;
    return out;
  };
  const record = (stage: string, staff: Staffing, failing: number, worst: string) => {
    const { cost, agentHours } = staffingCost(base, staff);
    const entry = { stage, round: rounds, cost, failing, worst, agentHours };
    log.push(entry);
    o.onProgress?.(entry);
  };

  // ---- stages 0 and 1: the measured offered load and the analytical (Erlang) staffing ---------
  const analytical = await analyticalStaffing(base, { ...o, naive: true });
  repsRun += analytical.replicationsRun;
  const { start, alpha, alphaAt, measured: m0 } = analytical;
  const naive = analytical.naive!; // asked for above
  record('analytical start (Erlang on the modified offered load)', start, -1, '');

  // ---- stage 2: iterative staffing (ISA) on the number in system -----------------------------
  let staff = clone(start);
  {
    const live = base.channels.map((c, ch) => !c.deferred && base.pools.some((p) => p.channel === ch && !p.planning.fixed));
    for (let it = 0; it < (o.isaRounds ?? 2) && rounds < o.maxRounds; it++) {
      rounds++;
      const out = await searchScenario(staff, o.searchReps, SEARCH_FIRST, true);
      const hist = numberInSystemTail(out.reps, o.isaRounding === 'nearest');
      let changed = 0;
      base.channels.forEach((_, ch) => {
        if (!live[ch]) return;
        const kOf = (pi: number) => base.pools[pi].concurrency;
        const order = poolOrder(base, ch);
        for (let i = 0; i < cal.intervals; i++) {
          const a = o.isaAlpha ?? (Number.isNaN(alphaAt[ch][i]) ? alpha[ch] : alphaAt[ch][i]);
          const sNeeded = hist.smallestWithTail(ch, i, a);
          if (sNeeded < 0) continue;
          // contacts → agents: each agent holds up to k contacts at once
          const before = order.reduce((a, pi) => a + staff[pi][i], 0);
          const servers = order.length > 0 ? sNeeded * (serversPerAgent(base.pools[order[0]]) / kOf(order[0])) : 0;
          allocate(base, staff, ch, i, servers, m0.shares[ch]);
          const after = order.reduce((a, pi) => a + staff[pi][i], 0);
          if (after !== before) changed++;
        }
      });
      smooth(base, staff);
      record(`iterative staffing, round ${it + 1}`, staff, -1, `${changed} interval changes`);
      if (changed === 0) break;
    }
  }

  // ---- stage 3: search on the targets with common random numbers -----------------------------
  // Every candidate is simulated on the same search replications (A), so two candidates differ by
  // what their staffing does, not by luck. A window is "ok" on A when its one-sided lower bound
  // at the plan's confidence (for that window alone) meets the target: the search trims towards
  // that frontier and adds where it is not reached. Over-trimming where A happened to be lucky is
  // what the verification on fresh replications (B) then repairs. Intervals that no interval
  // target judges (too quiet: below minOffered) keep the analytical staffing as their floor —
  // nothing measures them, and below it a removal "works" only because nobody looks.
  // The search's replications A grow (doubling) while windows hold on their mean but not yet on
  // their interval: what they lack is precision, which agents would buy dearly and replications
  // cheaply — up to a quarter of the verification's budget, so that what the search trims to can
  // be confirmed on the verification's larger, fresh set.
  let nA = o.searchReps;
  const searchBudget = Math.max(o.searchReps, Math.floor(Math.max(o.verifyReps, o.maxReps) / 4));
  rounds++;
  const firstSearch = await searchScenario(staff, nA);
  const floor: Staffing = staff.map((x, pi) => Int32Array.from(x, (v, i) => Math.min(v, start[pi][i])));
  const judged = judgedIntervals(base, samplesOf(base, firstSearch));
  base.pools.forEach((p, pi) => { for (let i = 0; i < cal.intervals; i++) if (judged[p.channel][i]) floor[pi][i] = p.planning.min[i]; });
  const tight: Uint8Array[] = base.pools.map(() => new Uint8Array(cal.intervals));
  // agents the next removal round takes from each interval-pool (0: not tried yet)
  const step: Int32Array[] = base.pools.map(() => new Int32Array(cal.intervals));
  const infeasible = new Map<string, { t: Target; windows: Set<string> }>();
  // How often each window has failed so far (search and verification): a window that fails again
  // after agents were added gets twice the step, then four times (at most eight), so a stubborn
  // window is fixed in two or three simulation rounds rather than one agent per round. Rounds are
  // the cost of planning (each is a batch of replications); an agent too many in one interval is cheap.
  const failedBefore = new Map<string, number>();
  // A window whose mean holds and only its interval crosses the bound is short of precision as
  // much as of capacity (a complaint rate driven by late parcels does not fall with more agents):
  // it gets one step at a time, never an escalated one, and after three such rounds no more (`0`).
  const noisy = new Map<string, number>();
  const escalation = (f: Failure): number => {
    const key = `${f.target.path}@${f.window}`;
    if (f.ciOnly) {
      const n = (noisy.get(key) ?? 0) + 1;
      noisy.set(key, n);
      return n > 3 ? 0 : 1;
    }
    const k = failedBefore.get(key) ?? 0;
    failedBefore.set(key, k + 1);
    return 2 ** Math.min(3, k);
  };
  const addAll = (failures: readonly Failure[], out: RunOutput): { added: number; gaveUp: number } => {
    let added = 0, gaveUp = 0;
    for (const f of failures) {
      const times = escalation(f);
      if (times === 0) { gaveUp++; continue; }
      const n = addFor(base, staff, f, out, times, tight);
      if (n === 0 && !f.ciOnly) {
        const key = f.target.path;
        if (!infeasible.has(key)) infeasible.set(key, { t: f.target, windows: new Set() });
        infeasible.get(key)!.windows.add(f.window);
      }
      added += n;
    }
    smooth(base, staff);
    return { added, gaveUp };
  };
  let out: RunOutput | null = firstSearch;
  // After a removal round that put some removals back, `out` is that round's trial and these are
  // the windows its put-back removals broke: the staffing now has the agents back, so they are
  // not failures, and the next round tries further removals at once rather than simulating first.
  let excused: Set<string> | null = null;
  let costBefore = 0, smallGains = 0;
  const keyOf = (f: Failure) => `${f.target.path}@${f.windowIndex}`;
  while (!o.isaOnly && rounds < o.maxRounds) {
    if (out === null) {
      rounds++;
      out = await searchScenario(staff, nA);
    }
    const notOk = findFailures(base, out, o.confidence).filter((f) => !excused?.has(keyOf(f)));
    excused = null;
    const failures = notOk.filter((f) => !f.ciOnly);
    infeasible.clear(); // what this round cannot fix (a window fixed since is not infeasible)
    record(`search: targets on ${nA} replications (common random numbers)`, staff, failures.length, failures[0]?.describe ?? '');
    if (failures.length > 0) {
      const { added } = addAll(failures, out);
      out = null;
      if (added === 0) break; // nothing can be added: infeasible within the planning constraints
      continue;
    }
    if (notOk.length > 0 && nA * 2 <= searchBudget) {
      nA *= 2;
      out = null;
      continue;
    }
    // Removal round: every interval-pool whose windows are all ok gives up `step` agents at once
    // (a twelfth of its agents at first, so a spike interval of 300 agents converges in a few
    // rounds, not in hundreds). The removals that break no window nearby are kept and their step
    // doubles; those next to a broken interval window are put back and their step halves, and a
    // removal of one agent that breaks a window marks the interval tight. A broken day or horizon
    // window blames nobody in particular: everything is put back and every step halves, and once
    // the steps are single agents the channels it covers are done.
    const slack = slackIntervals(base, out, o.confidence);
    const candidates: [number, number][] = [];
    for (let pi = 0; pi < nP; pi++) {
      const p = base.pools[pi];
      if (p.planning.fixed) continue;
      for (let i = 0; i < cal.intervals; i++) {
        if (tight[pi][i] || !slack[p.channel][i] || staff[pi][i] <= Math.max(p.planning.min[i], floor[pi][i])) continue;
        // the most expensive pool of the channel with agents goes first
        const order = poolOrder(base, p.channel).filter((q) => staff[q][i] > Math.max(base.pools[q].planning.min[i], floor[q][i]));
        if (order[order.length - 1] === pi) candidates.push([pi, i]);
      }
    }
    if (candidates.length === 0 || rounds >= o.maxRounds) break;
    if (costBefore === 0) costBefore = staffingCost(base, staff).cost;
    const trial = clone(staff);
    const took = new Map<string, number>();
    for (const [pi, i] of candidates) {
      const room = staff[pi][i] - Math.max(base.pools[pi].planning.min[i], floor[pi][i]);
      const k = Math.max(1, Math.min(room, step[pi][i] > 0 ? step[pi][i] : Math.floor(staff[pi][i] / 12)));
      trial[pi][i] -= k;
      took.set(`${pi}/${i}`, k);
    }
    smooth(base, trial);
    rounds++;
    const tried = await searchScenario(trial, nA);
    const bad = findFailures(base, tried, o.confidence);
    if (bad.length === 0) {
      for (const [pi, i] of candidates) step[pi][i] = 2 * took.get(`${pi}/${i}`)!;
      staff = trial;
      out = tried;
      record('search: removed agents', staff, 0, `${candidates.length} interval-pools lowered`);
      costBefore = staffingCost(base, staff).cost;
      smallGains = 0;
      continue;
    }
    // A broken interval window blames the removal nearest before it (its own interval's, else the
    // one just before, else the one before that: the backlog a removal leaves lasts a handle time
    // or two), not every removal around it; an innocent one put back would only cost a round.
    // agents taken per channel and interval in this trial
    const removalKey = (ch: number, i: number) => `${ch}/${i}`;
    const tookAt = new Map<string, number>();
    for (const [pi, i] of candidates) tookAt.set(removalKey(base.pools[pi].channel, i), (tookAt.get(removalKey(base.pools[pi].channel, i)) ?? 0) + took.get(`${pi}/${i}`)!);
    const near = new Set<string>();
    const global = new Set<number>();
    const explained = new Set<string>();
    for (const f of bad) {
      if (f.target.scope !== 'interval') {
        for (const ch of f.target.channel >= 0 ? [f.target.channel] : base.channels.map((_, c) => c)) global.add(ch);
        explained.add(keyOf(f));
        continue;
      }
      for (const [ch, i] of f.intervals(base)) {
        // the nearest removal at or before the window, and any larger one just before it (a big
        // cut an interval earlier leaves a backlog that a small one here does not explain)
        let nearest = -1;
        for (let d = 0; d <= 2; d++) {
          const k = tookAt.get(removalKey(ch, i - d));
          if (k === undefined) continue;
          if (nearest < 0 || k > nearest) { near.add(`${ch}/${i - d}`); explained.add(keyOf(f)); }
          if (nearest < 0) nearest = k;
        }
      }
    }
    let kept = 0;
    for (const [pi, i] of candidates) {
      const ch = base.pools[pi].channel;
      const k = took.get(`${pi}/${i}`)!;
      if (global.has(ch)) {
        trial[pi][i] = staff[pi][i];
        if (k === 1) tight[pi][i] = 1;
        step[pi][i] = Math.max(1, Math.floor(k / 2));
      } else if (near.has(`${ch}/${i}`)) {
        trial[pi][i] = staff[pi][i];
        if (k === 1) tight[pi][i] = 1;
        step[pi][i] = Math.max(1, Math.floor(k / 2));
      } else {
        step[pi][i] = 2 * k;
        kept++;
      }
    }
    // smooth() may have raised neighbours of removals now put back: start from the staffing again
    for (let pi = 0; pi < nP; pi++) for (let i = 0; i < cal.intervals; i++) trial[pi][i] = Math.max(trial[pi][i], Math.min(staff[pi][i], trial[pi][i]));
    smooth(base, trial);
    staff = trial;
    out = tried;
    excused = explained;
    record('search: removals tried, some put back', staff, bad.length, `${kept} of ${candidates.length} kept`);
    // Diminishing returns: two removal rounds in a row that each saved less than TRIM_GAIN of the
    // cost end the trimming (each round simulates the whole horizon again; what is left is the
    // last agent here and there, and the verification may put it back anyway).
    const now = staffingCost(base, staff).cost;
    smallGains = now > costBefore * (1 - TRIM_GAIN) ? smallGains + 1 : 0;
    costBefore = now;
    if (smallGains >= 2) break;
  }

  // ---- verification on fresh replications (B), with repairs that only add -------------------
  // A plan tuned on the search's replications can miss on fresh ones (DOMAIN.md: over-fitting
  // the seeds). The verification judges every window with the decision rule of every command
  // (verdict.ts): replications are added in looks while a window is undecided, up to maxReps.
  // A window that misses, or is still undecided at the budget, gets agents and the plan is judged
  // again on the same replications B; the repairs never remove, so what B lets pass was never
  // chosen for passing on B.
  const rule: DecisionRule = { confidence: o.confidence, looks: lookSchedule(o.verifyReps, Math.max(o.verifyReps, o.maxReps)) };
  // A round's looks stop early once more replications could not spare an agent: every window
  // still undecided either holds on the wrong side of its mean (it gets agents anyway) or cannot
  // move (every contact in time already). Once a round finds nothing to repair, its looks go on to
  // the budget, to decide what can be decided, before the plan's verdict is given.
  const sparesNothing = (j: SequentialJudge) => j.targets().every((tj) => tj.windows.every((w) => w.verdict !== 'undecided' || saturated(tj.target, w.value.mean) || !meets(tj.target, w.value.mean)));
  let verified: SequentialOutput | null = null;
  for (let round = 0; round <= VERIFY_REPAIRS; round++) {
    verified = await verifyScenario(staff, rule, { enough: sparesNothing });
    let misses = o.isaOnly ? [] : verificationFailures(base, verified);
    if (misses.length === 0 && verified.judge.next !== null) {
      verified = await verifyScenario(staff, rule, { from: verified });
      misses = o.isaOnly ? [] : verificationFailures(base, verified);
    }
    record(`${round === 0 ? 'verification on fresh replications' : 'verification after repair'} (${verified.reps.length} of at most ${rule.looks[rule.looks.length - 1]})`, staff, misses.length, misses[0]?.describe ?? '');
    if (misses.length === 0 || round === VERIFY_REPAIRS) break;
    const { added } = addAll(misses, verified);
    if (added === 0) break;
  }
  // the plan's verdict is the whole rule on the final plan (what `check` with the same seed and
  // budget reproduces), also when the repairs ran out in a round that stopped its looks early
  if (verified!.judge.next !== null) verified = await verifyScenario(staff, rule, { from: verified! });
  // the naive plan, for comparison, on the verification's first look
  const naiveVerified = (await searchScenario(naive, o.verifyReps, 0, false, true, singleLook(o.confidence, o.verifyReps))).result;
  const c = staffingCost(base, staff), nc = staffingCost(base, naive);
  // what the search could not add for and the verification still does not see met
  const stillMissing = verified!.result.targets.filter((t) => t.verdict !== 'meets' && t.verdict !== 'none').map((t) => t.path);
  return {
    scenario: withStaffing(base, staff),
    plan: staff,
    start,
    naive,
    log,
    verified: verified!.result,
    naiveVerified,
    cost: c.cost,
    naiveCost: nc.cost,
    agentHours: c.agentHours,
    naiveAgentHours: nc.agentHours,
    replicationsRun: repsRun,
    infeasible: [...infeasible.values()].filter(({ t }) => stillMissing.includes(t.path)).map(({ t, windows }) => ({ target: t.id, path: t.path, windows: [...windows].slice(0, 50) })),
    alpha,
  };
}

/** A removal round that saves less than this share of the cost is a small one (see the search). */
const TRIM_GAIN = 0.0002;

/** Rounds of repair after the first verification, each on the same fresh replications. */
const VERIFY_REPAIRS = 4;

// ---- failures and slack ---------------------------------------------------------------------

interface Failure {
  readonly target: Target;
  readonly windowIndex: number;
  readonly window: string;
  readonly gap: number;
  /** The mean holds; only the interval crosses the bound (precision is short as much as capacity). */
  readonly ciOnly: boolean;
  readonly describe: string;
  /** (channel, interval) pairs where agents would help. */
  intervals(s: Scenario): [number, number][];
}

/** Per target, its windows with their per-replication values on a run. */
function samplesOf(s: Scenario, out: RunOutput): WindowSample[][] {
  const sorted = [...out.reps].sort((a, b) => a.replication - b.replication);
  return s.targets.map((t) => targetSamples(s, out.layout, sorted, t));
}

/** Per channel and interval: does an evaluated interval-scope window of a live target judge it? */
function judgedIntervals(s: Scenario, samples: readonly WindowSample[][]): Uint8Array[] {
  const out = s.channels.map(() => new Uint8Array(s.calendar.intervals));
  s.targets.forEach((t, ti) => {
    if (t.scope !== 'interval' || t.channel < 0) return;
    for (const w of samples[ti]) if (w.evaluated) out[t.channel][w.index] = 1;
  });
  return out;
}

/**
 * The search's rule on its own replications: a window is ok when the one-sided lower bound (upper
 * for 'at most') at confidence c, for that window alone, meets the target. It is a cushion for the
 * search, not a verdict: the plan's verdicts come from the verification (verdict.ts).
 */
function searchBound(t: Target, w: WindowSample, confidence: number): { mean: number; bound: number } {
  const e = windowEstimate(w.values, w.pooled, 1 - confidence, metricMax(t));
  return { mean: e.mean, bound: t.sense === 'atLeast' ? e.lo : e.hi };
}

/**
 * Ok for the search: its bound meets, or every replication is at the good end of the range (all
 * tickets in time): a 99% deadline on a day of ten tickets cannot be shown on the search's few
 * replications, but nothing there asks for agents either, and the verification, with many more
 * replications, judges it. Without this the search could never trim such a team.
 */
function searchOk(t: Target, w: WindowSample, confidence: number): { ok: boolean; mean: number } {
  const { mean, bound } = searchBound(t, w, confidence);
  if (meets(t, bound)) return { ok: true, mean };
  let same = true;
  for (const v of w.values) if (!Number.isNaN(v) && v !== mean) { same = false; break; }
  return { ok: same && saturated(t, mean), mean };
}

function failure(s: Scenario, t: Target, index: number, start: string, mean: number, ciOnly: boolean): Failure {
  const cal = s.calendar;
  const gap = Math.abs(mean - t.bound) / (t.metric === 'averageWait' || t.metric === 'complaintsPer1000Orders' ? Math.max(t.bound, 1e-9) : 1);
  return {
    target: t,
    windowIndex: index,
    window: start,
    gap,
    ciOnly,
    describe: `${t.id} at ${start.slice(5, 16).replace('T', ' ')}: ${mean.toFixed(3)}`,
    intervals(sc) {
      const chs = t.channel >= 0 ? [t.channel] : sc.channels.map((_, i) => i).filter((i) => !sc.channels[i].deferred);
      const res: [number, number][] = [];
      for (const ch of chs) {
        if (t.scope === 'interval') res.push([ch, index]);
        else {
          // day or horizon: the intervals of that window where the channel is worst off
          const [a, b0] = t.scope === 'day' ? dayRange(sc, index) : [0, cal.intervals];
          // a deadline reaches past the day: a ticket of its last hours is answered the next
          // morning, so the half-deadline after the day helps as much as the day itself
          const past = t.scope === 'day' && (t.metric === 'firstReply' || t.metric === 'resolved') ? Math.ceil(t.withinSec / 2 / cal.intervalSec) : 0;
          const b = Math.min(cal.intervals, b0 + past);
          for (let i = a; i < b; i++) res.push([ch, i]);
        }
      }
      return res;
    },
  };
}

/** Windows that are not ok on the search's replications, worst first. */
function findFailures(s: Scenario, out: RunOutput, confidence: number): Failure[] {
  const fails: Failure[] = [];
  const samples = samplesOf(s, out);
  s.targets.forEach((t, ti) => {
    for (const w of samples[ti]) {
      if (!w.evaluated) continue;
      const { ok, mean } = searchOk(t, w, confidence);
      if (ok) continue;
      fails.push(failure(s, t, w.index, w.start, mean, meets(t, mean)));
    }
  });
  fails.sort((a, b) => b.gap - a.gap);
  return fails;
}

/** Windows of the verification that miss, or are undecided where agents can still move them. */
function verificationFailures(s: Scenario, v: SequentialOutput): Failure[] {
  const fails: Failure[] = [];
  for (const j of v.judge.targets()) {
    const t = j.target;
    for (const w of j.windows) {
      if (w.verdict === 'meets') continue;
      // a value at the end of its range (every contact in time, no abandonment) cannot be moved
      // by agents: only more replications would decide it
      if (w.verdict === 'undecided' && saturated(t, w.value.mean)) continue;
      fails.push(failure(s, t, w.index, w.start, w.value.mean, w.verdict === 'undecided' && meets(t, w.value.mean)));
    }
  }
  fails.sort((a, b) => b.gap - a.gap);
  return fails;
}

/** A mean at the good end of the metric's range: more agents cannot move it. */
function saturated(t: Target, mean: number): boolean {
  return t.sense === 'atLeast' ? mean >= metricMax(t) - 1e-12 : mean <= 1e-12;
}

function dayRange(s: Scenario, d: number): [number, number] {
  const local0 = (s.calendar.startMs / 1000 + s.calendar.offsetMinutes * 60) % 86400;
  const a = Math.max(0, Math.ceil((d * 86400 - local0) / s.calendar.intervalSec));
  const b = Math.min(s.calendar.intervals, Math.ceil(((d + 1) * 86400 - local0) / s.calendar.intervalSec));
  return [a, b];
}

/** Add agents for one failure (the step times `times`); returns how many could be added. */
function addFor(s: Scenario, staff: Staffing, f: Failure, out: RunOutput, times = 1, tight?: Uint8Array[]): number {
  const pairs = f.intervals(s);
  let chosen = pairs;
  // a day or horizon window: spread over its busiest tenth for that channel, where waits build up
  // (the busiest intervals that still have room: a pool at its maximum there is skipped, not the end)
  let spread = pairs.length;
  // bigger misses take bigger steps (a deadline met by 30% needs more than one agent), and bigger
  // intervals too: one agent in a spike interval of 500 moves its service level by a hair
  const size = f.target.scope === 'interval' ? pairs.reduce((a, [ch, i]) => a + s.pools.reduce((b, p, pi) => b + (p.channel === ch ? staff[pi][i] : 0), 0), 0) : 0;
  let step = (1 + Math.min(4, Math.floor(f.gap * 5))) * times * Math.max(1, Math.round(size / 100));
  if (f.target.scope !== 'interval' && pairs.every(([ch]) => s.channels[ch].deferred)) {
    // Deferred work (tickets) is served whenever an agent is free before its deadline: capacity
    // helps spread over the whole window, one team working the day, and piled into a few
    // intervals it would stand idle there (and make a roster of fifteen-minute shifts). An agent
    // in every fourth interval of the window (the day and half a deadline after) is a quarter
    // more of a team there; a window that fails again gets twice that (escalation).
    step = Math.max(1, Math.round(step / 2));
    chosen = pairs.filter((_, k) => k % 4 === 0);
  } else if (f.target.scope !== 'interval' && pairs.length > 8) {
    const ch = pairs[0][0];
    const nc = s.channels.length;
    const perInterval = out.reps[0].counters.offered.length / nc / s.calendar.intervals;
    const load = (i: number) => out.reps.reduce((a, r) => {
      let x = 0;
      for (let b = Math.floor(i * perInterval); b < Math.floor((i + 1) * perInterval); b++) x += r.counters.offered[b * nc + ch];
      return a + x;
    }, 0);
    const loads = new Map(pairs.map(([, i]) => [i, load(i)]));
    chosen = [...pairs].sort((a, b) => loads.get(b[1])! - loads.get(a[1])! || a[1] - b[1]);
    spread = Math.max(1, Math.ceil(pairs.length / 10));
  }
  let added = 0, places = 0;
  const it = f.target.intent;
  for (const [ch, i] of chosen) {
    if (places >= spread) break;
    const pools = poolOrder(s, ch).filter((pi) => it < 0 || s.pools[pi].skills.some((k) => k.intent === it));
    for (const pi of pools) {
      const room = s.pools[pi].planning.max[i] - staff[pi][i];
      if (room > 0) {
        const n = Math.min(room, step);
        staff[pi][i] += n;
        // where agents had to be added, the search does not take them away again
        if (tight && f.target.scope === 'interval') tight[pi][i] = 1;
        added += n;
        places++;
        break;
      }
    }
  }
  return added;
}

/** Per channel and interval: may an agent go? Every window touching it is ok on the search's replications. */
function slackIntervals(s: Scenario, out: RunOutput, confidence: number): Uint8Array[] {
  const cal = s.calendar;
  const ok = s.channels.map(() => new Uint8Array(cal.intervals).fill(1));
  const samples = samplesOf(s, out);
  s.targets.forEach((t, ti) => {
    const chs = t.channel >= 0 ? [t.channel] : s.channels.map((_, i) => i);
    for (const w of samples[ti]) {
      if (!w.evaluated || searchOk(t, w, confidence).ok) continue;
      const [a, b] = t.scope === 'interval' ? [w.index, w.index + 1] : t.scope === 'day' ? dayRange(s, w.index) : [0, cal.intervals];
      for (const ch of chs) for (let i = Math.max(0, a - 1); i < Math.min(cal.intervals, b + 1); i++) ok[ch][i] = 0;
    }
  });
  return ok;
}

// ---- the number in system, for stage 2 ------------------------------------------------------

interface TailTable {
  /** Smallest s with P(N ≥ s) ≤ alpha in interval i (time-weighted), or -1 without data. */
  smallestWithTail(ch: number, i: number, alpha: number): number;
}

function numberInSystemTail(reps: readonly RepResult[], nearest = false): TailTable {
  return {
    smallestWithTail(ch, i, alpha) {
      let total = 0;
      const acc = new Map<number, number>();
      for (const r of reps) {
        const h = r.nInSystem?.[ch]?.[i];
        if (!h) continue;
        for (let n = 0; n < h.length; n++) {
          if (h[n] > 0) { acc.set(n, (acc.get(n) ?? 0) + h[n]); total += h[n]; }
        }
      }
      if (total <= 0) return -1;
      const ns = [...acc.keys()].sort((a, b) => b - a);
      let tail = 0;
      for (const n of ns) {
        const p = (tail + acc.get(n)!) / total; // P(N ≥ n)
        if (p > alpha) {
          // s = n + 1 has P(N ≥ n + 1) = tail / total ≤ alpha; n itself has p > alpha
          return nearest && Math.abs(p - alpha) < Math.abs(tail / total - alpha) ? n : n + 1;
        }
        tail += acc.get(n)!;
      }
      return 0;
    },
  };
}
