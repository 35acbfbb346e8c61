// The normalised scenario: readonly plain data with every unit resolved (times in seconds from
// the start of the horizon, rates per second, names resolved to indices). The model compiles
// it; nothing downstream ever sees the raw file again.

import type { Distribution } from '../engine/distributions.js';

export interface Calendar {
  /** ISO start as written, e.g. 2026-11-10T00:00+08:00. */
  readonly start: string;
  /** Epoch milliseconds of the start. */
  readonly startMs: number;
  /** The start's UTC offset in minutes (+480 for +08:00); labels and daily patterns use it. */
  readonly offsetMinutes: number;
  readonly intervalSec: number;
  readonly intervals: number;
  readonly horizonSec: number;
}

export interface Retrial {
  readonly probability: number;
  readonly delay: Distribution;
  readonly maxRetrials: number;
}

export interface Channel {
  readonly name: string;
  /** Deferred work (e-mail, tickets): never abandons, worked from a backlog. */
  readonly deferred: boolean;
  readonly patience: Distribution;
  readonly retrial: Retrial | null;
  /** Share of contacts from VIP customers (served with routing.vipPriority). */
  readonly vipShare: number;
}

/** Arrival rate piecewise constant on a grid of `stepSec` seconds from the horizon start. */
export interface RateCurve {
  readonly stepSec: number;
  /** Contacts per second in each step; covers the horizon exactly. */
  readonly rates: Float64Array;
  /** Explicit arrival times (seconds from the start, ascending), replacing the rates when set. */
  readonly times?: Float64Array;
  /** Where the curve came from, for reports (e.g. "shape double11" or "fixtures/x.csv"). */
  readonly source: string;
}

export interface DemandStream {
  readonly channel: number;
  readonly intent: number;
  readonly curve: RateCurve;
}

export interface Bot {
  /** Per channel: does the bot answer first? */
  readonly channels: readonly boolean[];
  /** Per intent: share the bot resolves on its own. */
  readonly resolve: readonly number[];
  readonly time: Distribution;
  /** Patience of escalated contacts = channel patience × this factor. */
  readonly escalatedPatienceFactor: number;
}

export interface Skill {
  readonly intent: number;
  /** The pool takes such a contact only once it has waited this long (overflow); 0 = at once. */
  readonly afterSec: number;
}

export type PoolKind = 'permanent' | 'temporary' | 'borrowed';

export interface PoolPlanning {
  /** Bounds per interval (max is 0 outside the availability window). */
  readonly min: Int32Array;
  readonly max: Int32Array;
  /** Largest change between consecutive intervals (Infinity: none). */
  readonly maxStep: number;
  /** Keep the scenario's staffing as it is. */
  readonly fixed: boolean;
}

export interface Pool {
  readonly name: string;
  readonly kind: PoolKind;
  readonly channel: number;
  readonly skills: readonly Skill[];
  readonly concurrency: number;
  /** speed[n-1] = chats-worth of throughput of an agent holding n chats (speed[0] = 1). */
  readonly speed: readonly number[];
  readonly efficiency: number;
  readonly costPerHour: number;
  readonly shrinkage: number;
  /** Per intent; null for intents the pool has no skill for. */
  readonly handleTime: readonly (Distribution | null)[];
  /** Agents on duty per scenario interval. */
  readonly staffing: Int32Array;
  /** What `plan` may do with this pool (see docs/scenario.md). */
  readonly planning: PoolPlanning;
  /** Blending: tickets of a deferred channel this pool also works when an agent has no live work. */
  readonly tickets: { readonly channel: number; readonly skills: readonly Skill[] } | null;
  /** How its people may be rostered (plan --shifts; docs/scenario.md "roster"). */
  readonly roster: RosterRules;
}

/** A break inside a shift: its start lies `withinSec` after the shift's start, at the interval grain. */
export interface BreakRule {
  readonly lengthSec: number;
  readonly withinSec: readonly [number, number];
  /** Paid breaks count in the paid hours; unpaid ones do not. */
  readonly paid: boolean;
  /** Only shifts at least this long take it. */
  readonly minShiftSec: number;
}

/**
 * Labour rules for one pool's roster, over the whole horizon. Weeks are the horizon's blocks of
 * seven local days from its first day; a night shift works some of its time in the night window.
 */
export interface RosterRules {
  readonly lengthsSec: readonly number[];
  /** Shift starts: every `everySec` of local time, from `fromSec` to `toSec` after local midnight (to may pass midnight: from > to). */
  readonly starts: { readonly everySec: number; readonly fromSec: number; readonly toSec: number };
  readonly breaks: readonly BreakRule[];
  /** At most this share of the people on shift in an interval are on break at once (at least one may be). */
  readonly maxOnBreak: number;
  /** Share of the people rostered expected absent on the day (sickness, no-shows): the roster covers ⌈need ÷ (1 − absence)⌉. */
  readonly absence: number;
  /** People in the pool: their names (numbered when only a headcount is given); null: as many as needed. */
  readonly people: readonly string[] | null;
  readonly restSec: number;
  readonly maxConsecutiveDays: number;
  readonly daysOffPerWeek: number;
  readonly weeklyHours: { readonly min: number; readonly max: number };
  readonly night: { readonly fromSec: number; readonly toSec: number; readonly maxPerWeek: number };
  /** Temps: no shift shorter than this (included in lengths) and none starting before the horizon's start plus the notice. */
  readonly minBookingSec: number;
  readonly noticeSec: number;
  /** Largest difference between people of a pool in weekend and in night shifts (Infinity: unbounded). */
  readonly fairness: { readonly weekendSpread: number; readonly nightSpread: number };
}

export type Handover = 'finish-in-hand' | 'first-free';

export interface Routing {
  /** priority[channel * intents + intent]; lower is served first. */
  readonly priority: Int32Array;
  readonly vipPriority: number;
  readonly handover: Handover;
}

export type TargetMetric =
  | 'serviceLevel' | 'averageWait' | 'abandonment' | 'occupancy'
  | 'firstReply' | 'resolved' | 'complaintsPer1000Orders';
export type TargetScope = 'interval' | 'day' | 'horizon';

export interface Target {
  readonly id: string;
  /** -1 for complaintsPer1000Orders (all channels). */
  readonly channel: number;
  /** firstReply / resolved: only this intent (-1: all). */
  readonly intent: number;
  readonly metric: TargetMetric;
  /** serviceLevel, firstReply, resolved: the threshold in seconds. */
  readonly withinSec: number;
  /** atLeast for serviceLevel, atMost otherwise (seconds for averageWait). */
  readonly bound: number;
  readonly sense: 'atLeast' | 'atMost';
  readonly scope: TargetScope;
  /** Interval-scope targets skip intervals whose mean offered contacts is below this. */
  readonly minOffered: number;
  /** Where it was declared, for messages: targets[2]. */
  readonly path: string;
  /** serviceLevel: what the share counts (docs/model.md); 'offered' for every other metric. */
  readonly slOf: ServiceLevelBasis;
}

/**
 * What a service level counts: answered within t over answered + abandoned ('offered', the
 * default), over answered only, over answered + those who abandoned after t
 * ('offeredExceptShortAbandons'), or every contact whose wait (to an answer or to giving up)
 * was at most t over answered + abandoned ('allWaits', P(W ≤ t) in Erlang A).
 */
export type ServiceLevelBasis = 'offered' | 'answered' | 'offeredExceptShortAbandons' | 'allWaits';

export interface OrderCategory {
  readonly name: string;
  /** Share of orders, normalised to sum to 1. */
  readonly share: number;
  readonly returnRate: number;
}

export interface OrderCause {
  readonly channel: number;
  readonly intent: number;
  /** Mean number of such contacts per order (Poisson). */
  readonly perOrder: number;
  /** The contact comes this long after the order (lag) or before it (lead). */
  readonly lag: Distribution | null;
  readonly lead: Distribution | null;
  /** Only orders of these categories cause it (null: all). */
  readonly categories: readonly boolean[] | null;
}

export interface Orders {
  readonly curve: RateCurve;
  readonly categories: readonly OrderCategory[];
  readonly lookaheadSec: number;
  readonly causes: readonly OrderCause[];
}

export interface ChannelIntent {
  readonly channel: number;
  readonly intent: number;
}

export interface Logistics {
  /** Parcels the warehouse can hand to carriers on each local day of the horizon. */
  readonly dispatchPerDay: Float64Array;
  /** Seconds after local midnight of the daily dispatch wave. */
  readonly cutoffSec: number;
  readonly shipWithinSec: number;
  readonly transit: Distribution;
  readonly congestion: { readonly normalPerDay: number; readonly elasticity: number } | null;
  readonly promiseSec: number;
  readonly wismo: (ChannelIntent & { readonly probability: number; readonly after: Distribution }) | null;
}

export interface Returns {
  readonly lag: Distribution;
  readonly ticket: ChannelIntent;
  readonly chat: (ChannelIntent & { readonly probability: number }) | null;
  readonly refund: { readonly time: Distribution; readonly promiseSec: number } | null;
}

export interface Complaints {
  readonly ticket: ChannelIntent;
  /** Complaint probability after an answered wait w: max / (1 + exp(-(w - midpoint) / scale)). */
  readonly wait: { readonly midpointSec: number; readonly scaleSec: number; readonly max: number } | null;
  readonly abandoned: number;
  readonly late: { readonly perDay: number; readonly max: number } | null;
  readonly refundDelay: { readonly perDay: number; readonly max: number } | null;
}

export interface Scenario {
  readonly name: string;
  /** Path the scenario was read from, as the user wrote it. */
  readonly file: string;
  readonly seed: number;
  readonly replications: number;
  readonly calendar: Calendar;
  readonly intents: readonly string[];
  readonly channels: readonly Channel[];
  readonly demand: readonly DemandStream[];
  /** Daily busyness factor on order and demand curves (forecast error), or null. */
  readonly busyness: Distribution | null;
  readonly orders: Orders | null;
  readonly logistics: Logistics | null;
  readonly returns: Returns | null;
  readonly complaints: Complaints | null;
  /** Local days the horizon touches (the first may be partial). */
  readonly days: number;
  readonly bot: Bot | null;
  readonly routing: Routing;
  readonly pools: readonly Pool[];
  readonly targets: readonly Target[];
  readonly warnings: readonly string[];
  /** A live state the replications start from (simulate --state), or null/absent: an empty system. */
  readonly initial?: InitialState | null;
}

/**
 * What is in the system at the horizon's start (docs/state.md): contacts waiting per queue with
 * the seconds they have already waited (a deferred channel's tickets: their ages).
 */
export interface InitialState {
  readonly waiting: readonly { readonly channel: number; readonly intent: number; readonly vip: boolean; readonly waitedSec: readonly number[] }[];
  /** Contacts in service at the start: per pool (and channel, intent), each one's remaining work in seconds at one chat. */
  readonly inService?: readonly { readonly pool: number; readonly channel: number; readonly intent: number; readonly remainingSec: readonly number[] }[];
  /** Contacts talking to the bot at the start, per channel and intent: they go on through it (a fresh conversation). */
  readonly inBot?: readonly { readonly channel: number; readonly intent: number; readonly count: number }[];
}
