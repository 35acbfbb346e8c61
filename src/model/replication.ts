// Running one replication and packing what it measured into plain typed arrays: the unit that
// worker threads send back and shards write to disk. Summaries are computed from these, in
// replication order, so the result does not depend on where or in what order they ran.

import { outOfMemory } from '../scenario/limits.js';
import type { Scenario } from '../scenario/types.js';
import { secondsOfLocalDay } from '../scenario/time.js';
import type { DayCounter } from '../stats/daily.js';
import { CHANNEL_COUNTERS, type ChannelCounter, type StatsLayout } from '../stats/recorder.js';
import type { CompiledModel } from './compile.js';
import { Simulation, type TraceSink } from './simulation.js';

export interface RepResult {
  readonly replication: number;
  readonly counters: Record<ChannelCounter, Float64Array>;
  readonly within: Float64Array;
  /** Abandoned with a wait at most each service-level threshold, laid out like `within`. */
  readonly abandonedWithin: Float64Array;
  readonly maxK: number;
  /** ∫ level dt per bin: [bin * nLevels + level], levels = channels' queues then 4 per pool. */
  readonly area: Float64Array;
  readonly nLevels: number;
  /** 90th percentile of the answered waits per (report bin, channel); NaN where none. */
  readonly p90: Float64Array;
  /** Over the horizon, per channel. */
  readonly p90Horizon: Float64Array;
  readonly inSystem: Float64Array;
  /** Horizon totals per queue (channel × intent × vip), see QUEUE_FIELDS. */
  readonly queueTotals: Float64Array;
  readonly events: number;
  readonly peakContacts: number;
  readonly peakOrders: number;
  /** Per local day (see DAY_COUNTERS), backlogs at day end per channel, deadline counters. */
  readonly day: Record<DayCounter, Float64Array>;
  readonly backlogEnd: Float64Array;
  /** With layout.trackNumberInSystem: [channel][interval][n] = seconds with n contacts offered and not finished. */
  readonly nInSystem?: Float64Array[][];
  readonly deadlines: { readonly frKnown: Float64Array; readonly frMet: Float64Array; readonly rsKnown: Float64Array; readonly rsMet: Float64Array; readonly maxK: number };
}

export function makeLayout(s: Scenario, reportSec: number, trackNumberInSystem = false, noQuantiles = false): StatsLayout {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const binSec = gcd(s.calendar.intervalSec, reportSec);
  const slThresholds = s.channels.map((_, ch) => {
    const th = s.targets.filter((t) => t.channel === ch && t.metric === 'serviceLevel').map((t) => t.withinSec);
    return th.length > 0 ? [...new Set(th)] : [s.channels[ch].deferred ? DEFAULT_TICKET_SL_SEC : DEFAULT_SL_SEC];
  });
  return {
    binSec,
    nBins: Math.ceil(s.calendar.horizonSec / binSec - 1e-9),
    horizonSec: s.calendar.horizonSec,
    nChannels: s.channels.length,
    nPools: s.pools.length,
    poolChannel: s.pools.map((p) => p.channel),
    slThresholds,
    binsPerReport: reportSec / binSec,
    binsPerInterval: s.calendar.intervalSec / binSec,
    trackNumberInSystem,
    noQuantiles,
    nQueues: s.channels.length * s.intents.length * 2,
    daily: {
      nDays: s.days,
      localStartSec: secondsOfLocalDay(s.calendar.startMs, s.calendar.offsetMinutes, 0),
      nChannels: s.channels.length,
      nTypes: s.channels.length * s.intents.length,
      firstReply: s.channels.map((_, ch) => [...new Set(s.targets.filter((t) => t.channel === ch && t.metric === 'firstReply').map((t) => t.withinSec))]),
      resolved: s.channels.map((_, ch) => [...new Set(s.targets.filter((t) => t.channel === ch && t.metric === 'resolved').map((t) => t.withinSec))]),
    },
  };
}

/** The service-level threshold reported for a channel that has no service-level target. */
export const DEFAULT_SL_SEC = 20;
/** …and for a deferred channel (tickets): first reply within a day. */
export const DEFAULT_TICKET_SL_SEC = 86400;

export function runReplication(model: CompiledModel, layout: StatsLayout, seed: number, replication: number, shouldStop?: () => boolean, trace?: TraceSink): RepResult {
  const sim = new Simulation(model, { seed, replication, layout, shouldStop, trace });
  let totals;
  try {
    totals = sim.run();
  } catch (e) {
    // a typed array that could not grow: memory ran out before MAX_LIVE (limits.ts) was reached
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(e.message)) throw outOfMemory(model.scenario, sim.peakLive, replication);
    throw e;
  } finally {
    sim.giveBackStorage();
  }
  const rec = sim.rec;
  const p90 = new Float64Array(rec.hist.length);
  rec.hist.forEach((h, i) => { p90[i] = h === null ? NaN : h.quantile(0.9); });
  const counters = {} as Record<ChannelCounter, Float64Array>;
  Object.assign(counters, rec.counters());
  return {
    replication,
    counters,
    within: rec.within,
    abandonedWithin: rec.abandonedWithin,
    maxK: rec.maxK,
    area: rec.area,
    nLevels: rec.nLevels,
    p90,
    p90Horizon: Float64Array.from({ length: layout.nChannels }, (_, ch) => rec.horizonHistogram(ch).quantile(0.9)),
    inSystem: totals.inSystem,
    queueTotals: rec.queueTotals,
    events: totals.events,
    peakContacts: totals.peakContacts,
    peakOrders: totals.peakOrders,
    nInSystem: sim.nInSystem ?? undefined,
    day: sim.daily.c,
    backlogEnd: sim.daily.backlogEnd,
    deadlines: { frKnown: sim.daily.frKnown, frMet: sim.daily.frMet, rsKnown: sim.daily.rsKnown, rsMet: sim.daily.rsMet, maxK: sim.daily.maxK },
  };
}
