// Stage 1 of the planner, with the measurement it needs: Erlang A/C on the modified offered load
// per interval (time-lagged, DOMAIN.md), allocated to the cheapest pools per unit of capacity
// within their constraints; the same on the plain per-interval load is the naive (spreadsheet)
// plan. Deferred channels are staffed for the work of a trailing window and never left
// uncovered for long. `report` shows `start` as the analytical requirement.

import type { ReplicationPool } from '../parallel/pool.js';
import { simulateScenarioAsync } from '../parallel/runner.js';
import { expectedArrivals } from '../scenario/curves.js';
import type { Scenario } from '../scenario/types.js';
import { meets } from '../stats/verdict.js';
import { erlangA, erlangCMetrics, firstMeeting } from './erlang.js';
import { measure, type Measured } from './measure.js';
import { peakLoadPerStep } from './offered-load.js';
import { allocate, clone, pauser, PlanStopped, poolOrder, smooth, withStaffing, type Staffing } from './staffing.js';

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
export const ISA_CUSHION = 0.01;
/** The most Erlang servers a stationary staffing is searched up to (a pool holds at most LIMITS.agentsPerPool agents). */
const MAX_SERVERS = 1e6;

export interface AnalyticalOptions {
  /** Replications of the ample-staff run that measures the offered load. */
  readonly searchReps: number;
  /** Also the naive plan (Erlang on the plain per-interval load; default true). It costs as much again. */
  readonly naive?: boolean;
  readonly shouldStop?: () => boolean;
  readonly pool?: ReplicationPool;
  readonly tapeCache?: string;
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
    orderTape: true, // the search's replications: recorded here, played back in every round after (model/orders/tape.ts)
    tapeCache: o.tapeCache,
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

