// Replications → the result every reporter renders: per report bin and channel, per pool, over
// the horizon, and every target with its value, 95% confidence interval and verdict. Pure and
// deterministic: replications are taken in index order, whatever order they finished in.

import type { RepResult } from '../model/replication.js';
import { formatDateTime, formatDuration } from '../scenario/time.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { DayCounter } from './daily.js';
import { QUEUE_FIELDS, type StatsLayout } from './recorder.js';
import { estimate, type Estimate } from './student.js';

export interface Est {
  readonly mean: number;
  /** 95% confidence interval over replications; equal to mean when it cannot be computed. */
  readonly lo: number;
  readonly hi: number;
}

export interface ChannelStats {
  readonly arrivals: Est;
  readonly botResolved: Est;
  readonly offered: Est;
  readonly answered: Est;
  readonly abandoned: Est;
  /** Answered within slWithinSec / (answered + abandoned). */
  readonly serviceLevel: Est;
  readonly slWithinSec: number;
  readonly abandonRate: Est;
  /** Average wait of answered contacts (seconds). */
  readonly averageWait: Est;
  readonly p90Wait: Est;
  readonly occupancy: Est;
  /** Average scheduled agents over the row (all the channel's pools). */
  readonly agents: Est;
  readonly queue: Est;
}

export interface ChannelRow extends ChannelStats {
  readonly start: string;
  readonly startSec: number;
  readonly channel: string;
}

export interface PoolRow {
  readonly start: string;
  readonly startSec: number;
  readonly pool: string;
  readonly scheduled: Est;
  readonly present: Est;
  readonly occupancy: Est;
  readonly slotUtilisation: Est;
}

export interface PoolSummary {
  readonly pool: string;
  readonly kind: string;
  readonly channel: string;
  readonly agentHours: number;
  readonly paidHours: number;
  readonly cost: number;
  readonly occupancy: Est;
}

export interface TargetResult {
  readonly id: string;
  readonly path: string;
  readonly channel: string;
  readonly metric: Target['metric'];
  readonly scope: Target['scope'];
  readonly sense: Target['sense'];
  readonly bound: number;
  readonly withinSec: number;
  /** Horizon scope: the value. Interval scope: the worst evaluated interval. */
  readonly value: Est;
  readonly worstStart: string | null;
  readonly evaluated: number;
  readonly missed: readonly { start: string; value: Est }[];
  readonly pass: boolean;
  /** True when the whole confidence interval lies on the right side of the bound. */
  readonly confident: boolean;
}

/** Over the horizon, per channel × intent × VIP (queues that saw contacts). */
export interface QueueSummary {
  readonly channel: string;
  readonly intent: string;
  readonly vip: boolean;
  readonly offered: Est;
  readonly answered: Est;
  readonly abandoned: Est;
  /** Mean wait of answered contacts (s). */
  readonly averageWait: Est;
  /** Share of resolved contacts that had to wait at all. */
  readonly pWait: Est;
}

/** One local day: the order flow, what it caused, backlogs at day end and deadline attainment. */
export interface DayRow {
  readonly date: string;
  readonly orders: Est;
  readonly shipped: Est;
  readonly shippedLate: Est;
  readonly delivered: Est;
  readonly deliveredLate: Est;
  /** Parcels not delivered by their promise, by the promised day (including ones still on the way at the end). */
  readonly lateParcels: Est;
  readonly wismo: Est;
  readonly returns: Est;
  readonly refunds: Est;
  readonly refundsLate: Est;
  readonly complaints: Est;
  readonly complaintsBy: { readonly wait: Est; readonly abandon: Est; readonly late: Est; readonly refund: Est };
  readonly complaintsPer1000Orders: Est;
  /** Orders waiting for dispatch and parcels in transit at the end of the day. */
  readonly warehouseEnd: Est;
  readonly inTransitEnd: Est;
  /** Per channel: contacts that arrived that day, and open contacts (backlog) at the end of the day. */
  readonly channels: readonly { readonly channel: string; readonly arrivals: Est; readonly backlogEnd: Est }[];
  /** Deadline attainment of the contacts created that day, for each deadline in the targets. */
  readonly deadlines: readonly { readonly channel: string; readonly intent: string | null; readonly kind: 'firstReply' | 'resolved'; readonly withinSec: number; readonly attainment: Est }[];
}

export interface SimulationResult {
  readonly tool: 'peakplan';
  readonly kind: 'simulation';
  readonly scenario: { readonly name: string; readonly file: string };
  readonly seed: number;
  readonly replications: number;
  readonly start: string;
  readonly end: string;
  readonly interval: string;
  readonly reportInterval: string;
  readonly channels: readonly { readonly channel: string; readonly deferred: boolean; readonly stats: ChannelStats; readonly inSystemAtEnd: Est }[];
  readonly pools: readonly PoolSummary[];
  readonly queues: readonly QueueSummary[];
  /** Per local day; the order flow's figures are 0 when the scenario has no orders. */
  readonly days: readonly DayRow[];
  /** What drove the demand: true when the scenario has each part. */
  readonly drivers: { readonly orders: boolean; readonly logistics: boolean; readonly returns: boolean; readonly complaints: boolean };
  readonly rows: readonly ChannelRow[];
  readonly poolRows: readonly PoolRow[];
  readonly targets: readonly TargetResult[];
  readonly warnings: readonly string[];
  readonly totals: { readonly events: number; readonly peakContacts: number; readonly peakOrders: number; readonly cost: number; readonly agentHours: number };
}

// Every metric is ≥ 0 and shares are ≤ 1: the t-interval is clipped to that range (it can
// reach past it with few replications and a value near the edge).
const est = (e: Estimate, max = Infinity): Est => ({
  mean: e.mean,
  lo: Number.isNaN(e.half) ? e.mean : Math.max(0, e.mean - e.half),
  hi: Number.isNaN(e.half) ? e.mean : Math.min(max, e.mean + e.half),
});
const SHARES = new Set(['serviceLevel', 'abandonRate', 'occupancy']);

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Sums of one replication over base bins [b0, b1) for a channel. */
class Window {
  constructor(readonly s: Scenario, readonly layout: StatsLayout) {}

  sum(arr: Float64Array, b0: number, b1: number, stride: number, off: number): number {
    let x = 0;
    for (let b = b0; b < b1; b++) x += arr[b * stride + off];
    return x;
  }

  /** Seconds covered by bins [b0, b1) (the last bin may be partial). */
  length(b0: number, b1: number): number {
    return Math.min(b1 * this.layout.binSec, this.layout.horizonSec) - b0 * this.layout.binSec;
  }

  channel(r: RepResult, ch: number, b0: number, b1: number, k: number) {
    const nc = this.layout.nChannels;
    const c = r.counters;
    const answered = this.sum(c.answered, b0, b1, nc, ch);
    const abandoned = this.sum(c.abandoned, b0, b1, nc, ch);
    let within = 0;
    for (let b = b0; b < b1; b++) within += r.within[(b * nc + ch) * r.maxK + k];
    let busy = 0, present = 0, scheduled = 0;
    this.s.pools.forEach((p, pi) => {
      if (p.channel !== ch) return;
      busy += this.sum(r.area, b0, b1, r.nLevels, nc + pi * 4 + 1);
      present += this.sum(r.area, b0, b1, r.nLevels, nc + pi * 4 + 0);
      scheduled += this.sum(r.area, b0, b1, r.nLevels, nc + pi * 4 + 3);
    });
    const len = this.length(b0, b1);
    return {
      arrivals: this.sum(c.arrived, b0, b1, nc, ch),
      botResolved: this.sum(c.botResolved, b0, b1, nc, ch),
      offered: this.sum(c.offered, b0, b1, nc, ch),
      answered,
      abandoned,
      serviceLevel: ratio(within, answered + abandoned),
      abandonRate: ratio(abandoned, answered + abandoned),
      averageWait: ratio(this.sum(c.waitAnswered, b0, b1, nc, ch), answered),
      occupancy: ratio(busy, present),
      agents: scheduled / len,
      queue: this.sum(r.area, b0, b1, r.nLevels, ch) / len,
    };
  }
}

type ChannelValues = ReturnType<Window['channel']>;
const CHANNEL_KEYS: readonly (keyof ChannelValues)[] = [
  'arrivals', 'botResolved', 'offered', 'answered', 'abandoned', 'serviceLevel', 'abandonRate', 'averageWait', 'occupancy', 'agents', 'queue',
];

function estimates(reps: readonly RepResult[], f: (r: RepResult) => ChannelValues): Record<keyof ChannelValues, Est> {
  const per = reps.map(f);
  const out = {} as Record<keyof ChannelValues, Est>;
  for (const k of CHANNEL_KEYS) out[k] = est(estimate(per.map((v) => v[k])), SHARES.has(k) ? 1 : Infinity);
  return out;
}

export function summarise(s: Scenario, layout: StatsLayout, reps: readonly RepResult[]): SimulationResult {
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const w = new Window(s, layout);
  const cal = s.calendar;
  const label = (sec: number) => formatDateTime(cal.startMs + sec * 1000, cal.offsetMinutes);
  const nc = layout.nChannels;
  const bpr = layout.binsPerReport;
  const nReport = Math.ceil(layout.nBins / bpr);
  const reportSec = layout.binSec * bpr;

  const rows: ChannelRow[] = [];
  const poolRows: PoolRow[] = [];
  for (let rb = 0; rb < nReport; rb++) {
    const b0 = rb * bpr, b1 = Math.min(layout.nBins, b0 + bpr);
    for (let ch = 0; ch < nc; ch++) {
      const e = estimates(sorted, (r) => w.channel(r, ch, b0, b1, 0));
      rows.push({
        start: label(b0 * layout.binSec),
        startSec: b0 * layout.binSec,
        channel: s.channels[ch].name,
        ...e,
        slWithinSec: layout.slThresholds[ch][0],
        p90Wait: est(estimate(sorted.map((r) => r.p90[rb * nc + ch]))),
      });
    }
    s.pools.forEach((p, pi) => {
      const len = w.length(b0, b1);
      const lv = (r: RepResult, which: number) => w.sum(r.area, b0, b1, r.nLevels, nc + pi * 4 + which);
      poolRows.push({
        start: label(b0 * layout.binSec),
        startSec: b0 * layout.binSec,
        pool: p.name,
        scheduled: est(estimate(sorted.map((r) => lv(r, 3) / len))),
        present: est(estimate(sorted.map((r) => lv(r, 0) / len))),
        occupancy: est(estimate(sorted.map((r) => ratio(lv(r, 1), lv(r, 0)))), 1),
        slotUtilisation: est(estimate(sorted.map((r) => ratio(lv(r, 2), lv(r, 0) * p.concurrency))), 1),
      });
    });
  }

  const channels = s.channels.map((c, ch) => {
    const e = estimates(sorted, (r) => w.channel(r, ch, 0, layout.nBins, 0));
    return {
      channel: c.name,
      deferred: c.deferred,
      stats: { ...e, slWithinSec: layout.slThresholds[ch][0], p90Wait: est(estimate(sorted.map((r) => r.p90Horizon[ch]))) },
      inSystemAtEnd: est(estimate(sorted.map((r) => r.inSystem[ch]))),
    };
  });

  const pools: PoolSummary[] = s.pools.map((p, pi) => {
    let agentSec = 0;
    for (let i = 0; i < cal.intervals; i++) agentSec += p.staffing[i] * Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
    const agentHours = agentSec / 3600;
    const paidHours = agentHours / (1 - p.shrinkage);
    const occ = (r: RepResult) => ratio(w.sum(r.area, 0, layout.nBins, r.nLevels, nc + pi * 4 + 1), w.sum(r.area, 0, layout.nBins, r.nLevels, nc + pi * 4));
    return {
      pool: p.name, kind: p.kind, channel: s.channels[p.channel].name,
      agentHours, paidHours, cost: paidHours * p.costPerHour,
      occupancy: est(estimate(sorted.map(occ)), 1),
    };
  });

  const targets = s.targets.map((t) => evaluateTarget(s, layout, w, sorted, t));
  const F = QUEUE_FIELDS.length;
  const queues: QueueSummary[] = [];
  for (let q = 0; q < layout.nQueues; q++) {
    const get = (f: number) => sorted.map((r) => r.queueTotals[q * F + f]);
    const offered = get(0);
    if (offered.every((x) => x === 0)) continue;
    const ans = get(1), ab = get(2), wait = get(3), atOnce = get(4);
    const nI = s.intents.length;
    queues.push({
      channel: s.channels[Math.floor(q / 2 / nI)].name,
      intent: s.intents[Math.floor(q / 2) % nI],
      vip: q % 2 === 1,
      offered: est(estimate(offered)),
      answered: est(estimate(ans)),
      abandoned: est(estimate(ab)),
      averageWait: est(estimate(wait.map((x, i) => ratio(x, ans[i])))),
      pWait: est(estimate(atOnce.map((x, i) => ratio(ans[i] + ab[i] - x, ans[i] + ab[i]))), 1),
    });
  }
  return {
    tool: 'peakplan',
    kind: 'simulation',
    scenario: { name: s.name, file: s.file },
    seed: s.seed,
    replications: sorted.length,
    start: label(0),
    end: label(cal.horizonSec),
    interval: formatDuration(cal.intervalSec),
    reportInterval: formatDuration(reportSec),
    channels,
    pools,
    queues,
    days: dayRows(s, layout, sorted, w, label),
    drivers: { orders: s.orders !== null, logistics: s.logistics !== null, returns: s.returns !== null, complaints: s.complaints !== null },
    rows,
    poolRows,
    targets,
    warnings: s.warnings,
    totals: {
      events: sorted.reduce((a, r) => a + r.events, 0),
      peakContacts: sorted.reduce((a, r) => Math.max(a, r.peakContacts), 0),
      peakOrders: sorted.reduce((a, r) => Math.max(a, r.peakOrders), 0),
      cost: pools.reduce((a, p) => a + p.cost, 0),
      agentHours: pools.reduce((a, p) => a + p.agentHours, 0),
    },
  };
}

export function meets(t: Target, x: number): boolean {
  return t.sense === 'atLeast' ? x >= t.bound - 1e-12 : x <= t.bound + 1e-12;
}

/** One window a target is evaluated over: per-replication values and whether it counts. */
interface WindowValue {
  readonly start: string;
  readonly values: number[];
  /** Average volume behind the value (offered contacts, tickets with a known outcome, orders). */
  readonly volume: number;
}

/** Per-replication value of a live metric over bins [b0, b1). */
function liveWindow(t: Target, layout: StatsLayout, w: Window, reps: readonly RepResult[], b0: number, b1: number, start: string): WindowValue {
  const k = t.metric === 'serviceLevel' ? layout.slThresholds[t.channel].indexOf(t.withinSec) : 0;
  const per = reps.map((r) => w.channel(r, t.channel, b0, b1, k));
  const values = per.map((v) =>
    t.metric === 'serviceLevel' ? v.serviceLevel : t.metric === 'averageWait' ? v.averageWait : t.metric === 'abandonment' ? v.abandonRate : v.occupancy);
  const volume = t.metric === 'occupancy' ? estimate(per.map((v) => v.agents)).mean : estimate(per.map((v) => v.offered)).mean;
  return { start, values, volume };
}

/** Per-replication deadline attainment (firstReply / resolved) of tickets created on days [d0, d1). */
function deadlineWindow(t: Target, layout: StatsLayout, reps: readonly RepResult[], d0: number, d1: number, start: string): WindowValue {
  const dl = layout.daily;
  const ths = t.metric === 'firstReply' ? dl.firstReply[t.channel] : dl.resolved[t.channel];
  const k = ths.indexOf(t.withinSec);
  const nI = dl.nTypes / dl.nChannels;
  const types = t.intent >= 0 ? [t.channel * nI + t.intent] : Array.from({ length: nI }, (_, i) => t.channel * nI + i);
  let volume = 0;
  const values = reps.map((r) => {
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
    return ratio(mt, kn);
  });
  return { start, values, volume };
}

function complaintsWindow(reps: readonly RepResult[], d0: number, d1: number, start: string): WindowValue {
  let volume = 0;
  const values = reps.map((r) => {
    let c = 0, o = 0;
    for (let d = d0; d < d1; d++) {
      c += r.day.complaintsWait[d] + r.day.complaintsAbandon[d] + r.day.complaintsLate[d] + r.day.complaintsRefund[d];
      o += r.day.orders[d];
    }
    volume += o / reps.length;
    return o > 0 ? (1000 * c) / o : NaN;
  });
  return { start, values, volume };
}

/** A target's value in one window (interval, day or the horizon) over the replications. */
export interface TargetWindow {
  /** Interval index, day index, or 0 for the horizon. */
  readonly index: number;
  readonly start: string;
  readonly value: Est;
  /** False when the window has nothing to measure (too few contacts, no agents). */
  readonly evaluated: boolean;
}

/** Every window of a target, in order: the planner searches on these, the report shows them. */
export function targetWindows(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], t: Target, level = 0.95): TargetWindow[] {
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const w = new Window(s, layout);
  const cal = s.calendar;
  const label = (sec: number) => formatDateTime(cal.startMs + sec * 1000, cal.offsetMinutes);
  const max = t.metric === 'averageWait' || t.metric === 'complaintsPer1000Orders' ? Infinity : 1;
  const bpi = cal.intervalSec / layout.binSec;
  const dl = layout.daily;
  const dayBins = (d: number): [number, number] => {
    const a = Math.max(0, d * 86400 - dl.localStartSec), b = Math.min(layout.horizonSec, (d + 1) * 86400 - dl.localStartSec);
    return [Math.max(0, Math.ceil(a / layout.binSec - 1e-9)), Math.min(layout.nBins, Math.ceil(b / layout.binSec - 1e-9))];
  };
  const live = t.metric === 'serviceLevel' || t.metric === 'averageWait' || t.metric === 'abandonment' || t.metric === 'occupancy';
  const one = (d0: number, d1: number, b0: number, b1: number, start: string) =>
    live ? liveWindow(t, layout, w, sorted, b0, b1, start)
      : t.metric === 'complaintsPer1000Orders' ? complaintsWindow(sorted, d0, d1, start)
        : deadlineWindow(t, layout, sorted, d0, d1, start);
  const raw: WindowValue[] = [];
  if (t.scope === 'horizon') raw.push(one(0, dl.nDays, 0, layout.nBins, label(0)));
  else if (t.scope === 'day') for (let d = 0; d < dl.nDays; d++) { const [b0, b1] = dayBins(d); raw.push(one(d, d + 1, b0, b1, label(Math.max(0, d * 86400 - dl.localStartSec)))); }
  else for (let i = 0; i < cal.intervals; i++) raw.push(one(0, 0, i * bpi, Math.min(layout.nBins, (i + 1) * bpi), label(i * bpi * layout.binSec)));
  return raw.map((win, index) => {
    const value = est(estimate(win.values, level), max);
    const evaluated = !Number.isNaN(value.mean) && (t.scope === 'horizon' || (t.metric === 'occupancy' ? win.volume > 0 : win.volume >= t.minOffered));
    return { index, start: win.start, value, evaluated };
  });
}

function evaluateTarget(s: Scenario, layout: StatsLayout, _w: Window, reps: readonly RepResult[], t: Target): TargetResult {
  const base = {
    id: t.id, path: t.path, channel: t.channel >= 0 ? s.channels[t.channel].name : 'all', metric: t.metric, scope: t.scope,
    sense: t.sense, bound: t.bound, withinSec: t.withinSec,
  };
  const confidentOf = (e: Est) => (t.sense === 'atLeast' ? e.lo >= t.bound : e.hi <= t.bound);
  let worst: { start: string; value: Est } | null = null;
  let evaluated = 0, confident = true;
  const missed: { start: string; value: Est }[] = [];
  for (const win of targetWindows(s, layout, reps, t)) {
    if (!win.evaluated) continue;
    evaluated++;
    const v = { start: win.start, value: win.value };
    if (!meets(t, win.value.mean)) missed.push(v);
    if (!confidentOf(win.value)) confident = false;
    if (worst === null || (t.sense === 'atLeast' ? win.value.mean < worst.value.mean : win.value.mean > worst.value.mean)) worst = v;
  }
  return {
    ...base,
    value: worst?.value ?? { mean: NaN, lo: NaN, hi: NaN },
    worstStart: t.scope === 'horizon' ? null : (worst?.start ?? null),
    evaluated,
    missed,
    pass: missed.length === 0,
    confident,
  };
}

function dayRows(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], w: Window, label: (sec: number) => string): DayRow[] {
  const dl = layout.daily;
  const nc = dl.nChannels;
  const rows: DayRow[] = [];
  const per = (f: (r: RepResult) => number) => est(estimate(reps.map(f)));
  for (let d = 0; d < dl.nDays; d++) {
    const c = (k: DayCounter) => per((r) => r.day[k][d]);
    const complaints = (r: RepResult) => r.day.complaintsWait[d] + r.day.complaintsAbandon[d] + r.day.complaintsLate[d] + r.day.complaintsRefund[d];
    const a = Math.max(0, d * 86400 - dl.localStartSec), b = Math.min(layout.horizonSec, (d + 1) * 86400 - dl.localStartSec);
    const b0 = Math.ceil(a / layout.binSec - 1e-9), b1 = Math.min(layout.nBins, Math.ceil(b / layout.binSec - 1e-9));
    const deadlines: DayRow['deadlines'][number][] = [];
    for (const t of s.targets) {
      if (t.metric !== 'firstReply' && t.metric !== 'resolved') continue;
      if (deadlines.some((x) => x.kind === t.metric && x.channel === s.channels[t.channel].name && x.withinSec === t.withinSec && x.intent === (t.intent >= 0 ? s.intents[t.intent] : null))) continue;
      const win = deadlineWindow(t, layout, reps, d, d + 1, '');
      deadlines.push({ channel: s.channels[t.channel].name, intent: t.intent >= 0 ? s.intents[t.intent] : null, kind: t.metric, withinSec: t.withinSec, attainment: est(estimate(win.values), 1) });
    }
    rows.push({
      date: label(a).slice(0, 10),
      orders: c('orders'), shipped: c('shipped'), shippedLate: c('shippedLate'), delivered: c('delivered'), deliveredLate: c('deliveredLate'), lateParcels: c('lateParcels'),
      wismo: c('wismo'), returns: c('returns'), refunds: c('refunds'), refundsLate: c('refundsLate'),
      complaints: per(complaints),
      complaintsBy: { wait: c('complaintsWait'), abandon: c('complaintsAbandon'), late: c('complaintsLate'), refund: c('complaintsRefund') },
      complaintsPer1000Orders: est(estimate(reps.map((r) => (r.day.orders[d] > 0 ? (1000 * complaints(r)) / r.day.orders[d] : NaN)))),
      warehouseEnd: c('warehouseEnd'), inTransitEnd: c('inTransitEnd'),
      channels: s.channels.map((ch, ci) => ({
        channel: ch.name,
        arrivals: per((r) => w.sum(r.counters.arrived, b0, b1, nc, ci)),
        backlogEnd: per((r) => r.backlogEnd[d * nc + ci]),
      })),
      deadlines,
    });
  }
  return rows;
}
