// Replications → the result every reporter renders: per report bin and channel, per pool, over
// the horizon, and every target with its value, 95% confidence interval and verdict. Pure and
// deterministic: replications are taken in index order, whatever order they finished in.

import type { RepResult } from './layout.js';
import { formatDateTime, formatDuration } from '../scenario/time.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { DayCounter } from './daily.js';
import { POOL_LEVEL, poolLevelIndex, QUEUE_FIELD, type PoolLevel, type StatsLayout } from './recorder.js';
import { asFloat64, estimateInto, estimated } from './student.js';
import { judgeOnce, DEFAULT_CONFIDENCE, type Est, type SequentialJudge, type TargetJudgement, type Verdict, type WindowJudgement } from './verdict.js';
import { BinSums, CHANNEL_FIGURES, deadlineWindow } from './windows.js';

export type { Est } from './verdict.js';

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
  /** serviceLevel: what the share counts (ServiceLevelBasis). */
  readonly slOf: Target['slOf'];
  /** Horizon scope: the value. Interval and day scope: the worst evaluated window (by its mean). Its interval is the decision interval (verdict.ts). */
  readonly value: Est;
  readonly worstStart: string | null;
  /** Windows with something to measure, and how many of them meet, miss or are undecided at the run's confidence. */
  readonly evaluated: number;
  readonly meets: number;
  readonly misses: number;
  readonly undecided: number;
  readonly verdict: Verdict | 'none';
  /** The windows that miss, in order. */
  readonly missed: readonly WindowJudgement[];
  /** The undecided windows, in order. */
  readonly undecidedWindows: readonly WindowJudgement[];
  /** The most replications behind any of its windows. */
  readonly replications: number;
  /** Every window meets (or there is nothing to measure). */
  readonly pass: boolean;
}

/** How the run's verdicts were reached (verdict.ts, docs/verdicts.md). */
export interface DecisionSummary {
  readonly confidence: number;
  /** The look schedule (replication counts) and how many of its looks were taken. */
  readonly looks: readonly number[];
  readonly looksTaken: number;
  /** Windows judged at the last look, and the one-sided error of each undecided window's interval there. */
  readonly windows: number;
  readonly alpha: number;
  /** Present when the run stopped at the first look with a miss (`check --fail-fast`). */
  readonly failFast?: true;
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
  readonly decision: DecisionSummary;
  readonly warnings: readonly string[];
  readonly totals: { readonly events: number; readonly peakContacts: number; readonly peakOrders: number; readonly cost: number; readonly agentHours: number };
}

/**
 * The estimate of per-replication values as a report shows it: mean and confidence interval
 * (the mean alone when there is no interval), written without an Estimate object in between.
 * Every metric is ≥ 0 and shares are ≤ 1: the t-interval is clipped to that range (it can reach
 * past it with few replications and a value near the edge).
 */
function estOf(values: ArrayLike<number>, max = Infinity): Est {
  estimateInto(asFloat64(values));
  const mean = estimated[0], half = estimated[1];
  return Number.isNaN(half) ? { mean, lo: mean, hi: mean } : { mean, lo: Math.max(0, mean - half), hi: Math.min(max, mean + half) };
}
const SHARES = new Set(['serviceLevel', 'abandonRate', 'occupancy']);

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

type ChannelFigure = (typeof CHANNEL_FIGURES)[number];
const CHANNEL_MAX = CHANNEL_FIGURES.map((k) => (SHARES.has(k) ? 1 : Infinity));

/**
 * A channel's figures over bins [b0, b1), estimated over the replications. `per` is scratch of
 * the summary's (one array per figure, as long as the replications): a summary makes
 * about 10^5 of these, and an array and an object per replication and row were most of its time.
 */
function channelEstimates(w: BinSums, reps: readonly RepResult[], ch: number, b0: number, b1: number, per: Float64Array[]): Record<ChannelFigure, Est> {
  for (let i = 0; i < reps.length; i++) w.channelInto(reps[i], ch, b0, b1, 0, per, i);
  // a literal in CHANNEL_FIGURES' order (keys set one by one made each object a dictionary)
  const e = (k: number) => estOf(per[k], CHANNEL_MAX[k]);
  return {
    arrivals: e(0), botResolved: e(1), offered: e(2), answered: e(3), abandoned: e(4), serviceLevel: e(5),
    abandonRate: e(6), averageWait: e(7), occupancy: e(8), agents: e(9), queue: e(10),
  };
}

export interface SummaryOptions {
  /** A judge that has taken its looks (check, plan): its verdicts are the targets'. Default: one look at `confidence`. */
  readonly judge?: SequentialJudge;
  readonly confidence?: number;
  /** False: leave the targets out (one replication's KPIs, where no verdict can be given). */
  readonly targets?: boolean;
  /**
   * Rows every this many of the layout's report bins (default 1): the same replications summarised
   * at a coarser grain (the HTML report's horizon charts over a run kept at its interval grain).
   * Wait quantiles are kept per report bin in the replication, so a coarser row's p90 is NaN.
   */
  readonly regroup?: number;
}

export function summarise(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], o: SummaryOptions = {}): SimulationResult {
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const w = new BinSums(s, layout);
  const cal = s.calendar;
  const label = (sec: number) => formatDateTime(cal.startMs + sec * 1000, cal.offsetMinutes);
  const nc = layout.nChannels;
  const regroup = o.regroup ?? 1;
  if (!Number.isInteger(regroup) || regroup < 1) throw new Error(`regroup must be a whole number ≥ 1, got ${regroup}`);
  const bpr = layout.binsPerReport * regroup;
  const nReport = Math.ceil(layout.nBins / bpr);
  const reportSec = layout.binSec * bpr;

  const rows: ChannelRow[] = [];
  const poolRows: PoolRow[] = [];
  const nr = sorted.length;
  const per = CHANNEL_FIGURES.map(() => new Float64Array(nr));
  const [scheduled, present, occupancy, slotUtilisation] = [0, 1, 2, 3].map(() => new Float64Array(nr));
  const { present: PRESENT, busy: BUSY, slots: SLOTS, scheduled: SCHEDULED } = POOL_LEVEL;
  for (let rb = 0; rb < nReport; rb++) {
    const b0 = rb * bpr, b1 = Math.min(layout.nBins, b0 + bpr);
    const start = label(b0 * layout.binSec), startSec = b0 * layout.binSec;
    for (let ch = 0; ch < nc; ch++) {
      const e = channelEstimates(w, sorted, ch, b0, b1, per);
      let p90Wait: Est = { mean: NaN, lo: NaN, hi: NaN };
      if (regroup === 1) {
        for (let i = 0; i < nr; i++) per[0][i] = sorted[i].p90[rb * nc + ch];
        p90Wait = estOf(per[0]);
      }
      rows.push({
        start, startSec, channel: s.channels[ch].name,
        arrivals: e.arrivals, botResolved: e.botResolved, offered: e.offered, answered: e.answered, abandoned: e.abandoned,
        serviceLevel: e.serviceLevel, abandonRate: e.abandonRate, averageWait: e.averageWait, occupancy: e.occupancy, agents: e.agents, queue: e.queue,
        slWithinSec: layout.slThresholds[ch][0],
        p90Wait,
      });
    }
    const len = w.length(b0, b1);
    for (let pi = 0; pi < s.pools.length; pi++) {
      const p = s.pools[pi];
      const lv = (r: RepResult, which: PoolLevel) => w.sum(r.area, b0, b1, r.nLevels, poolLevelIndex(nc, pi, which));
      for (let i = 0; i < nr; i++) {
        const r = sorted[i];
        const pres = lv(r, PRESENT);
        scheduled[i] = lv(r, SCHEDULED) / len;
        present[i] = pres / len;
        occupancy[i] = ratio(lv(r, BUSY), pres);
        slotUtilisation[i] = ratio(lv(r, SLOTS), pres * p.concurrency);
      }
      poolRows.push({
        start, startSec, pool: p.name,
        scheduled: estOf(scheduled),
        present: estOf(present),
        occupancy: estOf(occupancy, 1),
        slotUtilisation: estOf(slotUtilisation, 1),
      });
    }
  }

  const channels = s.channels.map((c, ch) => {
    const e = channelEstimates(w, sorted, ch, 0, layout.nBins, per);
    return {
      channel: c.name,
      deferred: c.deferred,
      stats: { ...e, slWithinSec: layout.slThresholds[ch][0], p90Wait: estOf(sorted.map((r) => r.p90Horizon[ch])) },
      inSystemAtEnd: estOf(sorted.map((r) => r.inSystem[ch])),
    };
  });

  const pools: PoolSummary[] = s.pools.map((p, pi) => {
    let agentSec = 0;
    for (let i = 0; i < cal.intervals; i++) agentSec += p.staffing[i] * Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
    const agentHours = agentSec / 3600;
    const paidHours = agentHours / (1 - p.shrinkage);
    const level = (r: RepResult, which: PoolLevel) => w.sum(r.area, 0, layout.nBins, r.nLevels, poolLevelIndex(nc, pi, which));
    const occ = (r: RepResult) => ratio(level(r, POOL_LEVEL.busy), level(r, POOL_LEVEL.present));
    return {
      pool: p.name, kind: p.kind, channel: s.channels[p.channel].name,
      agentHours, paidHours, cost: paidHours * p.costPerHour,
      occupancy: estOf(sorted.map(occ), 1),
    };
  });

  const judge = o.judge ?? judgeOnce(o.targets === false ? { ...s, targets: [] } : s, layout, sorted, o.confidence ?? DEFAULT_CONFIDENCE);
  const { targets, decision } = verdictsOf(s, judge);
  const queues: QueueSummary[] = [];
  for (let q = 0; q < layout.nQueues; q++) {
    const get = (f: number) => sorted.map((r) => r.queueTotals[q * QUEUE_FIELD.count + f]);
    const offered = get(QUEUE_FIELD.offered);
    if (offered.every((x) => x === 0)) continue;
    const ans = get(QUEUE_FIELD.answered), ab = get(QUEUE_FIELD.abandoned), wait = get(QUEUE_FIELD.waitAnswered), atOnce = get(QUEUE_FIELD.answeredAtOnce);
    const nI = s.intents.length;
    queues.push({
      channel: s.channels[Math.floor(q / 2 / nI)].name,
      intent: s.intents[Math.floor(q / 2) % nI],
      vip: q % 2 === 1,
      offered: estOf(offered),
      answered: estOf(ans),
      abandoned: estOf(ab),
      averageWait: estOf(wait.map((x, i) => ratio(x, ans[i]))),
      pWait: estOf(atOnce.map((x, i) => ratio(ans[i] + ab[i] - x, ans[i] + ab[i])), 1),
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
    decision,
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

/** Every target's result and how the verdicts were reached, from a judge that took its looks. */
function verdictsOf(s: Scenario, judge: SequentialJudge): { targets: TargetResult[]; decision: DecisionSummary } {
  return {
    targets: judge.targets().map((j) => targetResult(s, j)),
    decision: { confidence: judge.rule.confidence, looks: judge.rule.looks, looksTaken: judge.looksTaken, windows: judge.windowsJudged, alpha: judge.alpha, ...(judge.rule.stopAtMiss === true ? { failFast: true as const } : {}) },
  };
}

/** What `check` reports of a run: the targets and their verdicts (its tables, JSON and JUnit read nothing else). */
export type Verdicts = Pick<SimulationResult, 'scenario' | 'seed' | 'replications' | 'targets' | 'decision' | 'warnings'>;

/**
 * The verdicts of a sequential run without the rest of its summary: the same targets and decision
 * summarise gives, without the 8,000 report rows of 13 estimates each a built-in run has, which
 * a check never shows (a tenth of its time, on the main thread after the last replication).
 */
export function verdicts(s: Scenario, reps: readonly RepResult[], judge: SequentialJudge): Verdicts {
  return { scenario: { name: s.name, file: s.file }, seed: s.seed, replications: reps.length, ...verdictsOf(s, judge), warnings: s.warnings };
}

function targetResult(s: Scenario, j: TargetJudgement): TargetResult {
  const t = j.target;
  let worst: WindowJudgement | null = null;
  for (const w of j.windows) if (worst === null || (t.sense === 'atLeast' ? w.value.mean < worst.value.mean : w.value.mean > worst.value.mean)) worst = w;
  return {
    id: t.id, path: t.path, channel: t.channel >= 0 ? s.channels[t.channel].name : 'all', metric: t.metric, scope: t.scope,
    sense: t.sense, bound: t.bound, withinSec: t.withinSec, slOf: t.slOf,
    value: worst?.value ?? { mean: NaN, lo: NaN, hi: NaN },
    worstStart: t.scope === 'horizon' ? null : (worst?.start ?? null),
    evaluated: j.windows.length,
    meets: j.meets,
    misses: j.misses,
    undecided: j.undecided,
    verdict: j.verdict,
    missed: j.windows.filter((w) => w.verdict === 'misses'),
    undecidedWindows: j.windows.filter((w) => w.verdict === 'undecided'),
    replications: j.replications,
    pass: j.verdict === 'meets' || j.verdict === 'none',
  };
}

function dayRows(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], w: BinSums, label: (sec: number) => string): DayRow[] {
  const dl = layout.daily;
  const nc = dl.nChannels;
  const rows: DayRow[] = [];
  const per = (f: (r: RepResult) => number) => estOf(reps.map(f));
  for (let d = 0; d < dl.nDays; d++) {
    const c = (k: DayCounter) => per((r) => r.day[k][d]);
    const complaints = (r: RepResult) => r.day.complaintsWait[d] + r.day.complaintsAbandon[d] + r.day.complaintsLate[d] + r.day.complaintsRefund[d];
    const a = Math.max(0, d * 86400 - dl.localStartSec), b = Math.min(layout.horizonSec, (d + 1) * 86400 - dl.localStartSec);
    const b0 = Math.ceil(a / layout.binSec - 1e-9), b1 = Math.min(layout.nBins, Math.ceil(b / layout.binSec - 1e-9));
    const deadlines: DayRow['deadlines'][number][] = [];
    for (const t of s.targets) {
      if (t.metric !== 'firstReply' && t.metric !== 'resolved') continue;
      if (deadlines.some((x) => x.kind === t.metric && x.channel === s.channels[t.channel].name && x.withinSec === t.withinSec && x.intent === (t.intent >= 0 ? s.intents[t.intent] : null))) continue;
      const win = deadlineWindow(t, layout, reps, d, d + 1);
      deadlines.push({ channel: s.channels[t.channel].name, intent: t.intent >= 0 ? s.intents[t.intent] : null, kind: t.metric, withinSec: t.withinSec, attainment: estOf(win.values, 1) });
    }
    rows.push({
      date: label(a).slice(0, 10),
      orders: c('orders'), shipped: c('shipped'), shippedLate: c('shippedLate'), delivered: c('delivered'), deliveredLate: c('deliveredLate'), lateParcels: c('lateParcels'),
      wismo: c('wismo'), returns: c('returns'), refunds: c('refunds'), refundsLate: c('refundsLate'),
      complaints: per(complaints),
      complaintsBy: { wait: c('complaintsWait'), abandon: c('complaintsAbandon'), late: c('complaintsLate'), refund: c('complaintsRefund') },
      complaintsPer1000Orders: estOf(reps.map((r) => (r.day.orders[d] > 0 ? (1000 * complaints(r)) / r.day.orders[d] : NaN))),
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
