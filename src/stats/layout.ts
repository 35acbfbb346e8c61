// What one replication measured, as plain typed arrays (RepResult), and the layout of those
// arrays for a scenario and report grain (makeLayout): the unit that worker threads send back,
// shards write to disk and every summary reads. Here in stats/, not in the model: the statistics
// read replications and never need the simulator that made them.

import { secondsOfLocalDay } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { DayCounter } from './daily.js';
import type { ChannelCounter, StatsLayout } from './recorder.js';

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

