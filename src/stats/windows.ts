// The windows a target is judged over (each interval, each local day, or the whole horizon) and,
// for each, its value in every replication: the raw material of verdicts (verdict.ts), of the
// planner's search and of the reports. Pure; replications are taken in the order given.

import type { RepResult } from './layout.js';
import { formatDateTime } from '../scenario/time.js';
import type { Scenario, ServiceLevelBasis, Target } from '../scenario/types.js';
import { POOL_LEVEL, poolLevelIndex, type StatsLayout } from './recorder.js';

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Sums of one replication over base bins [b0, b1) for a channel. */
export class BinSums {
  /** Per channel, its pools' indices. */
  private readonly poolsOf: number[][];
  /**
   * What within and agentTime found, in their order: sums for every window of every row and
   * replication, where a tuple per call was a tenth of a summary's time in garbage.
   */
  readonly got = new Float64Array(3);

  constructor(readonly s: Scenario, readonly layout: StatsLayout) {
    this.poolsOf = s.channels.map((_, ch) => s.pools.flatMap((p, pi) => (p.channel === ch ? [pi] : [])));
  }

  sum(arr: Float64Array, b0: number, b1: number, stride: number, off: number): number {
    let x = 0;
    for (let b = b0; b < b1; b++) x += arr[b * stride + off];
    return x;
  }

  /** Seconds covered by bins [b0, b1) (the last bin may be partial). */
  length(b0: number, b1: number): number {
    return Math.min(b1 * this.layout.binSec, this.layout.horizonSec) - b0 * this.layout.binSec;
  }

  /** Answered and abandoned within the channel's threshold k, over bins [b0, b1): got[0], got[1]. */
  within(r: RepResult, ch: number, b0: number, b1: number, k: number): void {
    const nc = this.layout.nChannels;
    let within = 0, abandonedWithin = 0;
    for (let b = b0; b < b1; b++) {
      within += r.within[(b * nc + ch) * r.maxK + k];
      abandonedWithin += r.abandonedWithin[(b * nc + ch) * r.maxK + k];
    }
    this.got[0] = within;
    this.got[1] = abandonedWithin;
  }

  /** ∫ busy, present and scheduled agents of the channel's pools over bins [b0, b1): got[0], got[1], got[2]. */
  agentTime(r: RepResult, ch: number, b0: number, b1: number): void {
    const nc = this.layout.nChannels;
    let busy = 0, present = 0, scheduled = 0;
    const pools = this.poolsOf[ch];
    for (let j = 0; j < pools.length; j++) {
      const pi = pools[j];
      busy += this.sum(r.area, b0, b1, r.nLevels, poolLevelIndex(nc, pi, POOL_LEVEL.busy));
      present += this.sum(r.area, b0, b1, r.nLevels, poolLevelIndex(nc, pi, POOL_LEVEL.present));
      scheduled += this.sum(r.area, b0, b1, r.nLevels, poolLevelIndex(nc, pi, POOL_LEVEL.scheduled));
    }
    this.got[0] = busy;
    this.got[1] = present;
    this.got[2] = scheduled;
  }

  /**
   * A channel's figures over bins [b0, b1) in one replication, written to out[0..CHANNEL_FIGURES)
   * in the order of CHANNEL_FIGURES (the summary fills one array per figure, replication by
   * replication: no object per replication and row).
   */
  channelInto(r: RepResult, ch: number, b0: number, b1: number, k: number, out: Float64Array[], i: number): void {
    const nc = this.layout.nChannels;
    const c = r.counters;
    const answered = this.sum(c.answered, b0, b1, nc, ch);
    const abandoned = this.sum(c.abandoned, b0, b1, nc, ch);
    const got = this.got;
    this.within(r, ch, b0, b1, k);
    const within = got[0];
    this.agentTime(r, ch, b0, b1);
    const busy = got[0], present = got[1], scheduled = got[2];
    const len = this.length(b0, b1);
    out[0][i] = this.sum(c.arrived, b0, b1, nc, ch);
    out[1][i] = this.sum(c.botResolved, b0, b1, nc, ch);
    out[2][i] = this.sum(c.offered, b0, b1, nc, ch);
    out[3][i] = answered;
    out[4][i] = abandoned;
    out[5][i] = ratio(within, answered + abandoned);
    out[6][i] = ratio(abandoned, answered + abandoned);
    out[7][i] = ratio(this.sum(c.waitAnswered, b0, b1, nc, ch), answered);
    out[8][i] = ratio(busy, present);
    out[9][i] = scheduled / len;
    out[10][i] = this.sum(r.area, b0, b1, r.nLevels, ch) / len;
  }
}

/** The figures BinSums.channelInto writes, in its order (the summary's row fields, in theirs). */
export const CHANNEL_FIGURES = [
  'arrivals', 'botResolved', 'offered', 'answered', 'abandoned', 'serviceLevel', 'abandonRate', 'averageWait', 'occupancy', 'agents', 'queue',
] as const;

/**
 * Pooled counts behind a window's values over all replications, for a window whose value never
 * varied (verdict.ts): `successes` of `trials` for shares (answered in time of answered and
 * abandoned, tickets in time of known, …), complaints per order for the complaint rate.
 */
export interface Pooled {
  readonly kind: 'share' | 'rate';
  readonly successes: number;
  readonly trials: number;
}

/** One window of a target with its value in every replication. */
export interface WindowSample {
  /** Interval index, day index, or 0 for the horizon. */
  readonly index: number;
  readonly start: string;
  /** Per replication, in the order given; NaN where the window had nothing to measure. */
  readonly values: Float64Array;
  /** Average volume behind the value (offered contacts, tickets with a known outcome, orders). */
  readonly volume: number;
  readonly pooled: Pooled | null;
  /** False when the window has nothing to measure (too few contacts, no agents). */
  readonly evaluated: boolean;
}

/** The largest value a target's metric can take (shares are at most 1). */
export function metricMax(t: Target): number {
  return t.metric === 'averageWait' || t.metric === 'complaintsPer1000Orders' ? Infinity : 1;
}

export function isLive(t: Target): boolean {
  return t.metric === 'serviceLevel' || t.metric === 'averageWait' || t.metric === 'abandonment' || t.metric === 'occupancy';
}

/**
 * Numerator of a service level on each basis, its denominator left in `slDen` (docs/model.md
 * shows the four side by side): a number each, where a tuple per window and replication was
 * garbage in every look of a plan.
 */
let slDen = NaN;
function serviceLevelParts(basis: ServiceLevelBasis, within: number, abandonedWithin: number, answered: number, abandoned: number): number {
  switch (basis) {
    case 'answered': slDen = answered; return within;
    case 'offeredExceptShortAbandons': slDen = answered + abandoned - abandonedWithin; return within;
    case 'allWaits': slDen = answered + abandoned; return within + abandonedWithin;
    default: slDen = answered + abandoned; return within;
  }
}

export interface Raw {
  readonly values: Float64Array;
  readonly volume: number;
  readonly pooled: Pooled | null;
}

/**
 * A live target's values over bins [b0, b1) in every replication (every window of every target,
 * at every look: the largest part of the main thread's work in a plan). Each figure is the same
 * sum in the same order as BinSums.channelInto's, so the same to the bit; only the sums the
 * metric needs are taken, and none of them makes an object.
 */
function liveWindow(t: Target, layout: StatsLayout, w: BinSums, reps: readonly RepResult[], b0: number, b1: number): Raw {
  const k = t.metric === 'serviceLevel' ? layout.slThresholds[t.channel].indexOf(t.withinSec) : 0;
  const nc = layout.nChannels, ch = t.channel, metric = t.metric, n = reps.length;
  const values = new Float64Array(n);
  let volume = 0, succ = 0, trials = 0;
  for (let i = 0; i < n; i++) {
    const r = reps[i];
    const c = r.counters;
    const answered = w.sum(c.answered, b0, b1, nc, ch);
    const abandoned = w.sum(c.abandoned, b0, b1, nc, ch);
    if (metric === 'serviceLevel') {
      w.within(r, ch, b0, b1, k);
      const num = serviceLevelParts(t.slOf, w.got[0], w.got[1], answered, abandoned);
      const den = slDen;
      values[i] = ratio(num, den);
      succ += num;
      trials += den;
    } else {
      if (metric === 'occupancy') {
        w.agentTime(r, ch, b0, b1);
        values[i] = ratio(w.got[0], w.got[1]);
      } else values[i] = metric === 'averageWait' ? ratio(w.sum(c.waitAnswered, b0, b1, nc, ch), answered) : ratio(abandoned, answered + abandoned);
      trials += answered + abandoned;
      succ += abandoned;
    }
    volume += (metric === 'occupancy' ? w.got[2] / w.length(b0, b1) : w.sum(c.offered, b0, b1, nc, ch)) / n;
  }
  const pooled: Pooled | null = metric === 'serviceLevel' || metric === 'abandonment' ? { kind: 'share', successes: succ, trials } : null;
  return { values, volume, pooled };
}

/** Deadline attainment (firstReply / resolved) of tickets created on days [d0, d1). */
export function deadlineWindow(t: Target, layout: StatsLayout, reps: readonly RepResult[], d0: number, d1: number): Raw {
  const dl = layout.daily;
  const ths = t.metric === 'firstReply' ? dl.firstReply[t.channel] : dl.resolved[t.channel];
  const k = ths.indexOf(t.withinSec);
  const nI = dl.nTypes / dl.nChannels;
  const types = t.intent >= 0 ? [t.channel * nI + t.intent] : Array.from({ length: nI }, (_, i) => t.channel * nI + i);
  let volume = 0, succ = 0, trials = 0;
  const values = new Float64Array(reps.length);
  reps.forEach((r, ri) => {
    const known = t.metric === 'firstReply' ? r.deadlines.frKnown : r.deadlines.rsKnown;
    const met = t.metric === 'firstReply' ? r.deadlines.frMet : r.deadlines.rsMet;
    let kn = 0, mt = 0;
    for (let d = d0; d < d1; d++) {
      for (const ty of types) {
        const i = (d * dl.nTypes + ty) * r.deadlines.maxK + k;
        kn += known[i];
        mt += met[i];
      }
    }
    volume += kn / reps.length;
    trials += kn;
    succ += mt;
    values[ri] = ratio(mt, kn);
  });
  return { values, volume, pooled: { kind: 'share', successes: succ, trials } };
}

function complaintsWindow(reps: readonly RepResult[], d0: number, d1: number): Raw {
  let volume = 0, events = 0, exposure = 0;
  const values = new Float64Array(reps.length);
  reps.forEach((r, ri) => {
    let c = 0, o = 0;
    for (let d = d0; d < d1; d++) {
      c += r.day.complaintsWait[d] + r.day.complaintsAbandon[d] + r.day.complaintsLate[d] + r.day.complaintsRefund[d];
      o += r.day.orders[d];
    }
    volume += o / reps.length;
    events += c;
    exposure += o;
    values[ri] = o > 0 ? (1000 * c) / o : NaN;
  });
  return { values, volume, pooled: { kind: 'rate', successes: events, trials: exposure } };
}

/** Base bins [b0, b1) of local day d. */
export function dayBins(layout: StatsLayout, d: number): [number, number] {
  const dl = layout.daily;
  const a = Math.max(0, d * 86400 - dl.localStartSec), b = Math.min(layout.horizonSec, (d + 1) * 86400 - dl.localStartSec);
  return [Math.max(0, Math.ceil(a / layout.binSec - 1e-9)), Math.min(layout.nBins, Math.ceil(b / layout.binSec - 1e-9))];
}

/** Every window of a target, in order, with its per-replication values (replications as given). */
export function targetSamples(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], t: Target): WindowSample[] {
  const w = new BinSums(s, layout);
  const cal = s.calendar;
  const label = (sec: number) => formatDateTime(cal.startMs + sec * 1000, cal.offsetMinutes);
  const bpi = cal.intervalSec / layout.binSec;
  const dl = layout.daily;
  const live = isLive(t);
  const one = (d0: number, d1: number, b0: number, b1: number): Raw =>
    live ? liveWindow(t, layout, w, reps, b0, b1)
      : t.metric === 'complaintsPer1000Orders' ? complaintsWindow(reps, d0, d1)
        : deadlineWindow(t, layout, reps, d0, d1);
  const out: WindowSample[] = [];
  const push = (index: number, start: string, raw: Raw) => {
    let defined = false;
    for (const v of raw.values) if (!Number.isNaN(v)) { defined = true; break; }
    const evaluated = defined && (t.scope === 'horizon' || (t.metric === 'occupancy' ? raw.volume > 0 : raw.volume >= t.minOffered));
    out.push({ index, start, values: raw.values, volume: raw.volume, pooled: raw.pooled, evaluated });
  };
  if (t.scope === 'horizon') push(0, label(0), one(0, dl.nDays, 0, layout.nBins));
  else if (t.scope === 'day') {
    for (let d = 0; d < dl.nDays; d++) {
      const [b0, b1] = dayBins(layout, d);
      push(d, label(Math.max(0, d * 86400 - dl.localStartSec)), one(d, d + 1, b0, b1));
    }
  } else {
    for (let i = 0; i < cal.intervals; i++) push(i, label(i * bpi * layout.binSec), one(0, 0, i * bpi, Math.min(layout.nBins, (i + 1) * bpi)));
  }
  return out;
}
