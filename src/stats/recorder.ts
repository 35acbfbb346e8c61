// Streaming statistics of one replication, per time bin. Memory follows the number of bins and
// channels, never the number of contacts: counts and sums are accumulated as events happen,
// levels (queue length, agents present, busy) are integrated over time, and wait-time quantiles
// come from bounded log-bucket histograms.
//
// Attribution: a contact's outcome (answered, abandoned, its wait) belongs to the bin in which it
// was offered to the agents (the usual contact-centre convention: a 10:14 contact answered at
// 10:16 counts for the 10:00 interval). Levels and completions belong to the clock.

import type { DailyLayout } from './daily.js';
import { WaitHistograms } from './histogram.js';

export interface StatsLayout {
  readonly binSec: number;
  readonly nBins: number;
  readonly horizonSec: number;
  readonly nChannels: number;
  readonly nPools: number;
  readonly poolChannel: readonly number[];
  /** Service-level thresholds (seconds) tracked per channel. */
  readonly slThresholds: readonly (readonly number[])[];
  /** Report bins for wait quantiles: binsPerReport base bins make one report bin. */
  readonly binsPerReport: number;
  /** Queues (channel × intent × vip) for the horizon totals per queue. */
  readonly nQueues: number;
  readonly daily: DailyLayout;
  /** The planner needs no wait quantiles: skip the histograms (and their memory). */
  readonly noQuantiles?: boolean;
  /** For the planner: time-weighted histograms of contacts in the system per interval and channel. */
  readonly trackNumberInSystem?: boolean;
  /** Base bins per planning interval. */
  readonly binsPerInterval: number;
}

/** Horizon totals per queue, laid out [queue * QUEUE_FIELD.count + field]. */
export const QUEUE_FIELDS = ['offered', 'answered', 'abandoned', 'waitAnswered', 'answeredAtOnce'] as const;
/** Field indices of the queue totals (QUEUE_FIELDS by name). */
export const QUEUE_FIELD = { offered: 0, answered: 1, abandoned: 2, waitAnswered: 3, answeredAtOnce: 4, count: 5 } as const;
// the same as plain numbers, for the hot paths below
const Q_OFFERED = 0, Q_ANSWERED = 1, Q_ABANDONED = 2, Q_WAIT = 3, Q_AT_ONCE = 4, Q_COUNT = 5;

/**
 * The time-weighted levels of a pool, at level index nChannels + pool * POOL_LEVEL.count + level
 * (the queue length of each channel comes first, at its channel index): agents present (on
 * duty, and leavers finishing their chats), work-based busy, chat slots in use, scheduled.
 */
export const POOL_LEVEL = { present: 0, busy: 1, slots: 2, scheduled: 3, count: 4 } as const;
export type PoolLevel = 0 | 1 | 2 | 3;
const L_PRESENT = 0, L_BUSY = 1, L_SCHEDULED = 3, L_COUNT = 4;

/** The level index of a pool level in a replication's `area` (∫ level dt per bin). */
export function poolLevelIndex(nChannels: number, pool: number, level: PoolLevel): number {
  return nChannels + pool * L_COUNT + level;
}

/** Per-bin counters, each laid out [bin * nChannels + channel]. */
export const CHANNEL_COUNTERS = [
  'arrived', // new contacts (first attempts), by arrival time
  'botResolved', // resolved by the bot, by arrival bin
  'offered', // attempts that reached the agents' queue (escalations, direct contacts, retrials)
  'retrials', // of which retrials
  'answered', // offered attempts a human answered, by offer bin
  'answeredAtOnce', // of which with no wait at all (1 - this / (answered + abandoned) = P(wait))
  'abandoned', // offered attempts that gave up waiting, by offer bin
  'retried', // of the abandoned, those that will try again
  'waitAnswered', // sum of waits of answered attempts (s)
  'waitAbandoned', // sum of waits of abandoned attempts (s)
  'completed', // services finished, by clock
  'handleSum', // their durations (s)
] as const;
export type ChannelCounter = (typeof CHANNEL_COUNTERS)[number];

export class Recorder {
  readonly layout: StatsLayout;
  // One field per counter (not a Record built at run time) so that V8 gives the hot path plain
  // fast property loads.
  readonly arrived: Float64Array;
  readonly botResolved: Float64Array;
  readonly offered: Float64Array;
  readonly retrials: Float64Array;
  readonly answered: Float64Array;
  readonly answeredAtOnce: Float64Array;
  readonly abandoned: Float64Array;
  readonly retried: Float64Array;
  readonly waitAnswered: Float64Array;
  readonly waitAbandoned: Float64Array;
  readonly completed: Float64Array;
  readonly handleSum: Float64Array;
  private readonly nc: number;
  private readonly binsPerReport: number;
  private readonly noQuantiles: boolean;
  /** Service-level thresholds per channel, flattened: thresholds[ch * maxK + k], unused = -1. */
  private readonly thresholds: Float64Array;
  /** answeredWithin[(bin * nChannels + ch) * maxK + k]: answered with wait ≤ slThresholds[ch][k]. */
  readonly within: Float64Array;
  /** abandonedWithin[(bin * nChannels + ch) * maxK + k]: abandoned with wait ≤ slThresholds[ch][k]. */
  readonly abandonedWithin: Float64Array;
  readonly maxK: number;
  /** ∫ level dt per bin, laid out [bin * nLevels + level]; see levelIndex. */
  readonly area: Float64Array;
  /** Wait histograms of answered attempts per (report bin, channel): [reportBin * nChannels + ch]. */
  readonly hist: WaitHistograms;
  readonly queueTotals: Float64Array;

  // Contacts answered at once (wait 0) in the current bin, per queue, not yet added to the bin's
  // counters: such an answer only increments integer counts (answered, answeredAtOnce, every
  // service-level count, the histogram's zero bucket, the queue totals), which do not depend on
  // the order of additions, so closeBin adds them in one go, and the common answer costs one
  // increment instead of a dozen (bench/run.mjs). Waits of 0 add nothing to the wait sums.
  private readonly atOnce: Float64Array;
  /** Likewise, new contacts that went straight to the agents in the current bin (arrived and offered). */
  private readonly direct: Float64Array;
  private readonly queuesPerChannel: number;

  // Time-weighted levels: index ch for queue length, then per pool 4 levels.
  private readonly level: Float64Array;
  private readonly acc: Float64Array;
  // -0 rather than 0: a double from the start (times are doubles; only subtracted from, so -0 and
  // 0 give the same results), so that the first closeBin does not change the object's field
  // representation, which makes V8 throw away the optimised code of every caller mid-run.
  private binStart = -0;
  private bin = 0;
  readonly nLevels: number;

  constructor(layout: StatsLayout) {
    // Written again here, not only by the initialisers: V8 treats a field that has never been
    // re-assigned as a constant and folds its value into optimised code; the first closeBin,
    // an hour into the run, then made it throw away that code in every caller (the level
    // updates, the handlers). --trace-deopt on the M/M/c+M bench: 23 deoptimisations before, 14
    // after, about 5% faster warm-up.
    this.binStart = -0;
    this.bin = 0;
    this.layout = layout;
    const nb = layout.nBins, nc = layout.nChannels, np = layout.nPools;
    this.arrived = new Float64Array(nb * nc);
    this.botResolved = new Float64Array(nb * nc);
    this.offered = new Float64Array(nb * nc);
    this.retrials = new Float64Array(nb * nc);
    this.answered = new Float64Array(nb * nc);
    this.answeredAtOnce = new Float64Array(nb * nc);
    this.abandoned = new Float64Array(nb * nc);
    this.retried = new Float64Array(nb * nc);
    this.waitAnswered = new Float64Array(nb * nc);
    this.waitAbandoned = new Float64Array(nb * nc);
    this.completed = new Float64Array(nb * nc);
    this.handleSum = new Float64Array(nb * nc);
    this.nc = nc;
    this.noQuantiles = layout.noQuantiles === true;
    this.binsPerReport = layout.binsPerReport;
    this.maxK = Math.max(1, ...layout.slThresholds.map((t) => t.length));
    this.thresholds = new Float64Array(nc * this.maxK).fill(-1);
    layout.slThresholds.forEach((th, ch) => th.forEach((x, k) => { this.thresholds[ch * this.maxK + k] = x; }));
    this.within = new Float64Array(nb * nc * this.maxK);
    this.abandonedWithin = new Float64Array(nb * nc * this.maxK);
    this.hist = new WaitHistograms(this.noQuantiles ? 0 : Math.ceil(nb / layout.binsPerReport) * nc, nc);
    this.queueTotals = new Float64Array(layout.nQueues * QUEUE_FIELDS.length);
    this.nLevels = nc + L_COUNT * np;
    this.area = new Float64Array(nb * this.nLevels);
    this.level = new Float64Array(this.nLevels);
    this.acc = new Float64Array(this.nLevels);
    this.atOnce = new Float64Array(layout.nQueues);
    this.direct = new Float64Array(layout.nQueues);
    this.queuesPerChannel = layout.nQueues / nc; // queues are numbered channel by channel
  }

  /** The counters by name (for packing a replication's result). */
  counters(): Record<ChannelCounter, Float64Array> {
    return { arrived: this.arrived, botResolved: this.botResolved, offered: this.offered, retrials: this.retrials, answered: this.answered, answeredAtOnce: this.answeredAtOnce, abandoned: this.abandoned, retried: this.retried, waitAnswered: this.waitAnswered, waitAbandoned: this.waitAbandoned, completed: this.completed, handleSum: this.handleSum };
  }

  get currentBin(): number {
    return this.bin;
  }

  // Time-weighted levels without a per-change dt: over a bin [A, B],
  //   ∫ L dt = L(B)·(B − A) − Σ_j δ_j·(t_j − A)
  // for changes δ_j at times t_j, so a change costs one multiply-add (acc += δ·(t − A)) and the
  // area is settled once, when the bin closes. Times are taken from the bin start to keep the
  // products small and exact enough.
  private move(li: number, delta: number, t: number): void {
    this.acc[li] += delta * (t - this.binStart);
    this.level[li] += delta;
  }

  /** Contacts waiting in a channel's queue: +1 or -1 at time t. */
  queue(ch: number, delta: number, t: number): void {
    this.move(ch, delta, t);
  }

  /** An agent of pool p comes on duty (+1) or goes home (-1). */
  agentPresent(p: number, delta: number, t: number): void {
    this.move(this.nc + p * L_COUNT + L_PRESENT, delta, t);
  }

  /** The pool's scheduled agents become n at time t (a staffing change at an interval edge). */
  setScheduled(p: number, n: number, t: number): void {
    const li = this.nc + p * L_COUNT + L_SCHEDULED;
    this.move(li, n - this.level[li], t);
  }

  /** A chat starts (+1) or ends (-1): slots in use and work-based busy level change together. */
  poolWork(p: number, slots: number, busy: number, t: number): void {
    const li = this.nc + p * L_COUNT + L_BUSY; // busy, then slots at li + 1
    const x = t - this.binStart;
    this.acc[li] += busy * x;
    this.acc[li + 1] += slots * x;
    this.level[li] += busy;
    this.level[li + 1] += slots;
  }

  poolLevel(p: number, which: PoolLevel): number {
    return this.level[this.nc + p * L_COUNT + which];
  }

  queueLevel(ch: number): number {
    return this.level[ch];
  }

  /** Close the current bin at its right edge t and open the next. */
  closeBin(t: number): void {
    this.flushCounts();
    const len = t - this.binStart, base = this.bin * this.nLevels;
    for (let li = 0; li < this.nLevels; li++) {
      this.area[base + li] += this.level[li] * len - this.acc[li];
      this.acc[li] = 0;
    }
    this.binStart = t;
    if (this.bin < this.layout.nBins - 1) this.bin++;
  }

  /** A new contact of this queue arrives now and is offered at once (no bot): arrived + recordOffer. */
  arriveDirect(queue: number): void {
    this.direct[queue]++;
  }

  recordOffer(ch: number, queue: number, bin: number, retrial: boolean): void {
    const i = bin * this.layout.nChannels + ch;
    this.offered[i]++;
    if (retrial) this.retrials[i]++;
    this.queueTotals[queue * Q_COUNT + Q_OFFERED]++;
  }

  recordAbandon(ch: number, queue: number, offerBin: number, wait: number, retrying: boolean): void {
    const i = offerBin * this.layout.nChannels + ch;
    this.abandoned[i]++;
    this.waitAbandoned[i] += wait;
    const maxK = this.maxK, tb = ch * maxK, base = i * maxK;
    for (let k = 0; k < maxK; k++) if (wait <= this.thresholds[tb + k]) this.abandonedWithin[base + k]++;
    if (retrying) this.retried[i]++;
    this.queueTotals[queue * Q_COUNT + Q_ABANDONED]++;
  }

  recordAnswer(ch: number, queue: number, offerBin: number, wait: number): void {
    if (wait === 0 && offerBin === this.bin) {
      this.atOnce[queue]++;
      return;
    }
    this.countAnswer(ch, queue, offerBin, wait, 1);
  }

  /** n answers of a queue offered in offerBin, each with this wait. */
  private countAnswer(ch: number, queue: number, offerBin: number, wait: number, n: number): void {
    const nc = this.nc;
    const i = offerBin * nc + ch;
    this.answered[i] += n;
    const qt = queue * Q_COUNT;
    this.queueTotals[qt + Q_ANSWERED] += n;
    if (wait === 0) {
      this.answeredAtOnce[i] += n;
      this.queueTotals[qt + Q_AT_ONCE] += n;
    } else {
      // n is 1 here: sums of waits are added one by one, in event order
      this.waitAnswered[i] += wait;
      this.queueTotals[qt + Q_WAIT] += wait;
    }
    const maxK = this.maxK, tb = ch * maxK, base = i * maxK;
    for (let k = 0; k < maxK; k++) if (wait <= this.thresholds[tb + k]) this.within[base + k] += n;
    if (this.noQuantiles) return;
    this.hist.add(((offerBin / this.binsPerReport) | 0) * nc + ch, wait, n);
  }

  /** The current bin's batched counts (see atOnce) into its counters. */
  private flushCounts(): void {
    const a = this.atOnce, d = this.direct;
    for (let q = 0; q < a.length; q++) {
      const ch = Math.floor(q / this.queuesPerChannel);
      if (d[q] > 0) {
        const i = this.bin * this.nc + ch;
        this.arrived[i] += d[q];
        this.offered[i] += d[q];
        this.queueTotals[q * Q_COUNT + Q_OFFERED] += d[q];
        d[q] = 0;
      }
      if (a[q] > 0) {
        this.countAnswer(ch, q, this.bin, 0, a[q]);
        a[q] = 0;
      }
    }
  }

}
