// One replication of the contact centre on the event engine: arrivals, the bot, queues with
// priorities and overflow, agents with chat concurrency and shifts, abandonment and retrials.
//
// Performance shape (see docs/architecture.md): contacts and agents are struct-of-arrays with free
// lists, queues are intrusive doubly-linked lists over contact slots (O(1) append, pop and
// removal on abandonment), timers are cancelled lazily by comparing the popped event's key with
// the one the contact holds, and the hot loop allocates nothing.
//
// Rules that matter for results, stated once:
// - Same-time events run in this order: service completions, bot completions, interval
//   boundaries (staffing changes, statistics bins), retrials, arrivals, overflow timers, patience
//   timers. So work that ends at a boundary belongs to the interval that ends, an arrival at a
//   boundary sees the new staffing, and a contact whose patience runs out at the very moment an
//   agent frees up is served.
// - An offered contact goes to the first pool (in scenario order) among those that take it at once
//   and have a free chat slot, to that pool's least-loaded agent. A freed agent takes the waiting
//   contact of highest priority (lowest number), first-come-first-served within a priority.
// - Shift ends (routing.handover): 'finish-in-hand' picks the leavers at the boundary (idle agents
//   first, then the least loaded); they take no new work and leave when their chats are done.
//   'first-free' lets idle agents go at once and then each agent that next frees a slot leave,
//   finishing its other chats, until the pool is down to its new size.
// - Every random quantity of a contact (arrival time, bot outcome and time, VIP flag, handle-time
//   and patience uniforms) is drawn when it arrives, from streams named after its channel and
//   intent, so the staffing never changes what the customers do. Retrial decisions and delays are
//   drawn at abandonment from a per-channel stream.

import type { Distribution } from '../engine/distributions.js';
import { EventQueue } from '../engine/event-queue.js';
import { openStream, type RandomStream } from '../engine/random.js';
import { Recorder, type StatsLayout } from '../stats/recorder.js';
import type { CompiledModel, PoolDef } from './compile.js';

// Event types (low 3 bits of the payload) and their same-time priorities.
const EV_DONE = 0, EV_BOT = 1, EV_EDGE = 2, EV_RETRY = 3, EV_ARRIVAL = 4, EV_OVERFLOW = 5, EV_PATIENCE = 6;
const PRI = [0, 1, 2, 3, 4, 5, 6];

// Contact states.
const FREE = 0, IN_BOT = 1, WAITING = 2, IN_SERVICE = 3, AWAIT_RETRY = 4;
// Agent states.
const OFF = 0, ON = 1, LEAVING = 2;

/** What a trace record says happened; see TraceSink. */
export const TRACE_EVENTS = ['arrive', 'bot-resolved', 'offer', 'answer', 'done', 'abandon', 'retry', 'overflow', 'agent-on', 'agent-leaving', 'agent-off'] as const;
export type TraceEvent = (typeof TRACE_EVENTS)[number];

/**
 * Receives one flat record per model event when tracing (tests, `simulate --trace`). Arguments
 * are plain numbers so that tracing allocates nothing it does not keep: `contact` is the contact's
 * serial number (order of arrival from 0, -1 for agent events), `queue` its queue, `pool` and
 * `agent` the agent involved (-1 when none).
 */
export type TraceSink = (t: number, event: TraceEvent, contact: number, queue: number, pool: number, agent: number) => void;

export interface RunConfig {
  readonly seed: number;
  readonly replication: number;
  readonly layout: StatsLayout;
  /** Cooperative cancellation: checked every few thousand events. */
  readonly shouldStop?: () => boolean;
  readonly trace?: TraceSink;
}

export interface RunTotals {
  /** arrivals + service completions + abandonments (the peers' definition). */
  readonly events: number;
  /** Contacts still in the system at the end of the horizon, per channel. */
  readonly inSystem: Float64Array;
  readonly peakContacts: number;
}

interface ArrivalStream {
  readonly channel: number;
  readonly intent: number;
  readonly type: number;
  readonly stepSec: number;
  readonly rates: Float64Array;
  readonly times: Float64Array | null;
  step: number;
  readonly arrivals: RandomStream;
  readonly handle: RandomStream;
  readonly patience: RandomStream;
  readonly routing: RandomStream;
  readonly bot: RandomStream | null;
}

export class Simulation {
  readonly rec: Recorder;
  private readonly m: CompiledModel;
  private readonly eq = new EventQueue(4096);
  private readonly horizon: number;
  private readonly nI: number;
  private readonly streams: ArrivalStream[];
  private readonly retryRng: RandomStream[];
  private readonly botOn: boolean[];
  private readonly botResolve: readonly number[];
  private readonly botTime: Distribution | null;
  private readonly vipShare: Float64Array;

  // ---- contacts (struct of arrays, free list) ----
  private cap = 0;
  private freeHead = -1;
  private live = 0;
  peakLive = 0;
  private cState = new Uint8Array(0);
  private cType = new Int32Array(0);
  private cQueue = new Int32Array(0);
  private cEsc = new Uint8Array(0); // escalated by the bot
  private cAttempts = new Uint8Array(0);
  private cArrBin = new Int32Array(0);
  private cOfferBin = new Int32Array(0);
  private cOfferT = new Float64Array(0);
  private cUWork = new Float64Array(0);
  private cUPat = new Float64Array(0);
  private cPatKey = new Float64Array(0);
  private cOvKey = new Float64Array(0);
  private cOvTier = new Int32Array(0);
  private cNext = new Int32Array(0); // queue links; doubles as the free-list link
  private cPrev = new Int32Array(0);
  private cAgent = new Int32Array(0);
  private cSlot = new Int32Array(0);
  private cWork = new Float64Array(0); // work left at cLastT, in seconds at rate 1
  private cRate = new Float64Array(0);
  private cLastT = new Float64Array(0);
  private cStartT = new Float64Array(0);
  private cDoneKey = new Float64Array(0);
  private cSerial = new Float64Array(0);
  private serial = 0;
  private readonly trace: TraceSink | null;

  // ---- queues ----
  private readonly qHead: Int32Array;
  private readonly qTail: Int32Array;
  private readonly qPri: Int32Array;
  private readonly qChannel: Int32Array;

  // ---- agents ----
  private readonly kMax: number;
  private agCap = 0;
  private agFree: number[] = [];
  private agCount = 0;
  private agPool = new Int32Array(0);
  private agLoad = new Int32Array(0);
  private agState = new Uint8Array(0);
  private agPos = new Int32Array(0);
  private agStart = new Float64Array(0);
  private agChats = new Int32Array(0);
  // Level sets: agents ON in pool p with load L are in sets[p * (kMax + 1) + L] (a stack with
  // positions, for O(1) removal). pickAgent scans L = 0 .. k-1: least loaded first.
  private readonly sets: Int32Array[];
  private readonly setSize: Int32Array;
  private readonly onDuty: Int32Array;
  private readonly pendingLeave: Int32Array;

  private events = 0;
  private edge = 0;
  private readonly intervalSec: number;
  private readonly binSec: number;

  constructor(model: CompiledModel, private readonly cfg: RunConfig) {
    this.m = model;
    const s = model.scenario;
    this.horizon = s.calendar.horizonSec;
    this.intervalSec = s.calendar.intervalSec;
    this.binSec = cfg.layout.binSec;
    this.nI = model.nIntents;
    this.rec = new Recorder(cfg.layout);
    this.trace = cfg.trace ?? null;
    const { seed, replication: r } = cfg;
    this.botOn = s.channels.map((_, c) => s.bot?.channels[c] ?? false);
    this.botResolve = s.bot?.resolve ?? [];
    this.botTime = s.bot?.time ?? null;
    this.vipShare = Float64Array.from(s.channels.map((c) => c.vipShare));
    this.streams = s.demand.map((d) => {
      const tag = `${s.channels[d.channel].name}/${s.intents[d.intent]}`;
      return {
        channel: d.channel,
        intent: d.intent,
        type: d.channel * this.nI + d.intent,
        stepSec: d.curve.stepSec,
        rates: d.curve.rates,
        times: d.curve.times ?? null,
        step: 0,
        arrivals: openStream(seed, r, `arrivals/${tag}`),
        handle: openStream(seed, r, `handle/${tag}`),
        patience: openStream(seed, r, `patience/${tag}`),
        routing: openStream(seed, r, `routing/${tag}`),
        bot: this.botOn[d.channel] ? openStream(seed, r, `bot/${tag}`) : null,
      };
    });
    this.retryRng = s.channels.map((c) => openStream(seed, r, `retrial/${c.name}`));

    const nq = model.queues.length;
    this.qHead = new Int32Array(nq).fill(-1);
    this.qTail = new Int32Array(nq).fill(-1);
    this.qPri = Int32Array.from(model.queues.map((q) => q.priority));
    this.qChannel = Int32Array.from(model.queues.map((q) => q.channel));

    this.kMax = Math.max(1, ...model.pools.map((p) => p.concurrency));
    const nSets = model.pools.length * (this.kMax + 1);
    this.sets = Array.from({ length: nSets }, () => new Int32Array(16));
    this.setSize = new Int32Array(nSets);
    this.onDuty = new Int32Array(model.pools.length);
    this.pendingLeave = new Int32Array(model.pools.length);
    this.growContacts(1024);
    this.growAgents(64);
  }

  // ==== the loop ============================================================================

  run(): RunTotals {
    const eq = this.eq;
    eq.push(0, PRI[EV_EDGE], (0 << 3) | EV_EDGE);
    for (let i = 0; i < this.streams.length; i++) this.scheduleArrival(i, 0);
    const stop = this.cfg.shouldStop;
    let guard = 0;
    for (;;) {
      const p = eq.next();
      if (p < 0) break;
      const id = p >> 3;
      switch (p & 7) {
        case EV_DONE: this.onDone(id); break;
        case EV_ARRIVAL: this.onArrival(id); break;
        case EV_PATIENCE: this.onPatience(id); break;
        case EV_EDGE: if (!this.onEdge()) return this.totals(); break;
        case EV_BOT: this.onBotDone(id); break;
        case EV_OVERFLOW: this.onOverflow(id); break;
        case EV_RETRY: this.onRetry(id); break;
      }
      if (stop !== undefined && ++guard === 65536) {
        guard = 0;
        if (stop()) throw new Error('stopped');
      }
    }
    return this.totals();
  }

  private totals(): RunTotals {
    const inSystem = new Float64Array(this.m.nChannels);
    for (let c = 0; c < this.cap; c++) {
      if (this.cState[c] !== FREE) inSystem[this.m.queues[this.cQueue[c]].channel]++;
    }
    return { events: this.events, inSystem, peakContacts: this.peakLive };
  }

  // ==== arrivals =============================================================================

  /** Next arrival of stream i after time t: walk the piecewise-constant rate, exact. */
  private scheduleArrival(i: number, t: number): void {
    const s = this.streams[i];
    if (s.times !== null) {
      // explicit arrival times (traces, teaching scenarios): the next one in the list
      if (s.step < s.times.length && s.times[s.step] < this.horizon) {
        this.eq.push(s.times[s.step++], PRI[EV_ARRIVAL], (i << 3) | EV_ARRIVAL);
      }
      return;
    }
    let e = -Math.log1p(-s.arrivals.u()); // unit exponential = integrated hazard to the next arrival
    const rates = s.rates, step = s.stepSec, n = rates.length;
    let k = s.step;
    while (k < n) {
      const end = Math.min((k + 1) * step, this.horizon);
      const r = rates[k];
      const avail = r * (end - t);
      if (e <= avail && r > 0) {
        s.step = k;
        const at = t + e / r;
        this.eq.push(at < end ? at : end, PRI[EV_ARRIVAL], (i << 3) | EV_ARRIVAL);
        return;
      }
      e -= avail;
      t = end;
      k++;
      if (t >= this.horizon) break;
    }
    s.step = n;
  }

  private onArrival(i: number): void {
    const now = this.eq.now;
    this.events++;
    this.scheduleArrival(i, now);
    const s = this.streams[i];
    const c = this.alloc();
    const ch = s.channel;
    const vip = this.vipShare[ch] > 0 && s.routing.u() < this.vipShare[ch];
    this.cSerial[c] = this.serial++;
    this.cType[c] = s.type;
    this.cQueue[c] = s.type * 2 + (vip ? 1 : 0);
    this.cAttempts[c] = 0;
    this.cUWork[c] = s.handle.u();
    this.cUPat[c] = s.patience.u();
    const bin = this.rec.binOf(now);
    this.cArrBin[c] = bin;
    this.rec.c.arrived[bin * this.m.nChannels + ch]++;
    if (this.trace !== null) this.trace(now, 'arrive', this.cSerial[c], this.cQueue[c], -1, -1);
    if (s.bot !== null) {
      const resolved = s.bot.u() < this.botResolve[s.intent];
      const t = this.botTime!.quantile(s.bot.u());
      this.cState[c] = IN_BOT;
      this.cEsc[c] = resolved ? 0 : 1;
      this.eq.push(now + t, PRI[EV_BOT], (c << 3) | EV_BOT);
    } else {
      this.cEsc[c] = 0;
      this.offer(c, now);
    }
  }

  private onBotDone(c: number): void {
    if (this.cEsc[c] === 0) {
      this.rec.c.botResolved[this.cArrBin[c] * this.m.nChannels + this.qChannel[this.cQueue[c]]]++;
      if (this.trace !== null) this.trace(this.eq.now, 'bot-resolved', this.cSerial[c], this.cQueue[c], -1, -1);
      this.release(c);
    } else {
      this.offer(c, this.eq.now);
    }
  }

  private onRetry(c: number): void {
    this.offer(c, this.eq.now);
  }

  /** The contact reaches the agents: served at once if a pool has room, else it queues. */
  private offer(c: number, now: number): void {
    const q = this.cQueue[c];
    const ch = this.qChannel[q];
    const bin = this.rec.binOf(now);
    this.cOfferT[c] = now;
    this.cOfferBin[c] = bin;
    this.rec.offered(ch, q, bin, this.cAttempts[c] > 0);
    if (this.trace !== null) this.trace(now, 'offer', this.cSerial[c], q, -1, -1);
    const route = this.m.routes[this.cType[c]];
    const imm = route.immediate;
    for (let j = 0; j < imm.length; j++) {
      const a = this.pickAgent(imm[j]);
      if (a >= 0) {
        this.startService(c, a, now);
        return;
      }
    }
    this.cState[c] = WAITING;
    this.enqueue(c, q);
    this.rec.queue(ch, 1, now);
    const pat = (this.cEsc[c] === 1 ? this.m.escalatedPatience : this.m.patience)[ch];
    if (!pat.isNever) {
      this.cPatKey[c] = this.eq.push(now + pat.quantile(this.cUPat[c]), PRI[EV_PATIENCE], (c << 3) | EV_PATIENCE);
    } else this.cPatKey[c] = -1;
    if (route.tiers.length > 0) {
      this.cOvTier[c] = 0;
      this.cOvKey[c] = this.eq.push(now + route.tiers[0].afterSec, PRI[EV_OVERFLOW], (c << 3) | EV_OVERFLOW);
    } else this.cOvKey[c] = -1;
  }

  // ==== waiting ==============================================================================

  private onPatience(c: number): void {
    if (this.cPatKey[c] !== this.eq.key || this.cState[c] !== WAITING) return; // stale timer
    const now = this.eq.now;
    this.events++;
    const q = this.cQueue[c];
    const ch = this.qChannel[q];
    this.unlink(c, q);
    this.rec.queue(ch, -1, now);
    this.cOvKey[c] = -1;
    const rt = this.m.scenario.channels[ch].retrial;
    let retry = false;
    if (rt !== null && this.cAttempts[c] < rt.maxRetrials) {
      const rng = this.retryRng[ch];
      if (rng.u() < rt.probability) {
        retry = true;
        const delay = rt.delay.quantile(rng.u());
        this.cUPat[c] = rng.u();
        this.cAttempts[c]++;
        this.cEsc[c] = 0;
        this.cState[c] = AWAIT_RETRY;
        this.eq.push(now + delay, PRI[EV_RETRY], (c << 3) | EV_RETRY);
      }
    }
    this.rec.abandoned(ch, q, this.cOfferBin[c], now - this.cOfferT[c], retry);
    if (this.trace !== null) this.trace(now, retry ? 'retry' : 'abandon', this.cSerial[c], q, -1, -1);
    if (!retry) this.release(c);
  }

  private onOverflow(c: number): void {
    if (this.cOvKey[c] !== this.eq.key || this.cState[c] !== WAITING) return;
    const tiers = this.m.routes[this.cType[c]].tiers;
    const tier = this.cOvTier[c];
    const pools = tiers[tier].pools;
    for (let j = 0; j < pools.length; j++) {
      const a = this.pickAgent(pools[j]);
      if (a >= 0) {
        this.takeFromQueue(c);
        if (this.trace !== null) this.trace(this.eq.now, 'overflow', this.cSerial[c], this.cQueue[c], pools[j], a);
        this.startService(c, a, this.eq.now);
        return;
      }
    }
    if (tier + 1 < tiers.length) {
      this.cOvTier[c] = tier + 1;
      this.cOvKey[c] = this.eq.push(this.cOfferT[c] + tiers[tier + 1].afterSec, PRI[EV_OVERFLOW], (c << 3) | EV_OVERFLOW);
    } else this.cOvKey[c] = -1;
  }

  private enqueue(c: number, q: number): void {
    const tail = this.qTail[q];
    this.cPrev[c] = tail;
    this.cNext[c] = -1;
    if (tail >= 0) this.cNext[tail] = c;
    else this.qHead[q] = c;
    this.qTail[q] = c;
  }

  private unlink(c: number, q: number): void {
    const p = this.cPrev[c], n = this.cNext[c];
    if (p >= 0) this.cNext[p] = n;
    else this.qHead[q] = n;
    if (n >= 0) this.cPrev[n] = p;
    else this.qTail[q] = p;
  }

  /** Remove a waiting contact from its queue as it is taken into service. */
  private takeFromQueue(c: number): void {
    const q = this.cQueue[c];
    this.unlink(c, q);
    this.rec.queue(this.qChannel[q], -1, this.eq.now);
  }

  /** The waiting contact pool p should take next, or -1. */
  private pickContact(pool: PoolDef, now: number): number {
    const qs = pool.queues, after = pool.queueAfter;
    let best = -1, bestPri = 0, bestT = 0;
    for (let j = 0; j < qs.length; j++) {
      const q = qs[j];
      const head = this.qHead[q];
      if (head < 0) continue;
      const pri = this.qPri[q];
      if (best >= 0 && pri > bestPri) break; // queues are sorted by priority
      const t = this.cOfferT[head];
      if (after[j] > 0 && t + after[j] > now) continue; // not waited long enough for this pool
      if (best < 0 || t < bestT) {
        best = head;
        bestPri = pri;
        bestT = t;
      }
    }
    return best;
  }

  // ==== service ==============================================================================

  /** The least-loaded agent of pool p with a free slot, or -1. */
  private pickAgent(p: number): number {
    const k = this.m.pools[p].concurrency;
    const base = p * (this.kMax + 1);
    for (let l = 0; l < k; l++) {
      const n = this.setSize[base + l];
      if (n > 0) return this.sets[base + l][n - 1];
    }
    return -1;
  }

  private startService(c: number, a: number, now: number): void {
    const p = this.agPool[a];
    const pool = this.m.pools[p];
    const q = this.cQueue[c];
    const ch = this.qChannel[q];
    this.rec.answered(ch, q, this.cOfferBin[c], now - this.cOfferT[c]);
    if (this.trace !== null) this.trace(now, 'answer', this.cSerial[c], q, p, a);
    this.cState[c] = IN_SERVICE;
    this.cPatKey[c] = -1;
    this.cOvKey[c] = -1;
    this.cAgent[c] = a;
    this.cStartT[c] = now;
    const work = pool.handle[this.cType[c] % this.nI]!.quantile(this.cUWork[c]);
    const load = this.agLoad[a];
    // add the chat to the agent
    this.agChats[a * this.kMax + load] = c;
    this.cSlot[c] = load;
    this.setMove(a, p, load, load + 1);
    this.agLoad[a] = load + 1;
    this.rec.pool(p, 2, 1, now);
    this.rec.pool(p, 1, pool.busyStep[load + 1], now);
    this.cWork[c] = work;
    this.cLastT[c] = now;
    if (pool.flatRate) {
      const r = pool.rate[1];
      this.cRate[c] = r;
      this.cDoneKey[c] = this.eq.push(now + work / r, PRI[EV_DONE], (c << 3) | EV_DONE);
    } else {
      this.cRate[c] = 0; // set by reschedule
      this.reschedule(a, pool, now);
    }
  }

  /** The agent's load changed: every chat it holds progresses at the new per-chat rate. */
  private reschedule(a: number, pool: PoolDef, now: number): void {
    const load = this.agLoad[a];
    if (load === 0) return;
    const r = pool.rate[load];
    const base = a * this.kMax;
    for (let j = 0; j < load; j++) {
      const c = this.agChats[base + j];
      let w = this.cWork[c] - (now - this.cLastT[c]) * this.cRate[c];
      if (w < 0) w = 0;
      this.cWork[c] = w;
      this.cLastT[c] = now;
      this.cRate[c] = r;
      this.cDoneKey[c] = this.eq.push(now + w / r, PRI[EV_DONE], (c << 3) | EV_DONE);
    }
  }

  private onDone(c: number): void {
    if (this.cDoneKey[c] !== this.eq.key || this.cState[c] !== IN_SERVICE) return; // rescheduled
    const now = this.eq.now;
    this.events++;
    const a = this.cAgent[c];
    const p = this.agPool[a];
    const pool = this.m.pools[p];
    const ch = pool.channel;
    const bin = this.rec.currentBin * this.m.nChannels + ch;
    this.rec.c.completed[bin]++;
    this.rec.c.handleSum[bin] += now - this.cStartT[c];
    if (this.trace !== null) this.trace(now, 'done', this.cSerial[c], this.cQueue[c], p, a);
    // remove the chat from the agent
    const base = a * this.kMax;
    const load = this.agLoad[a];
    const last = this.agChats[base + load - 1];
    const slot = this.cSlot[c];
    this.agChats[base + slot] = last;
    this.cSlot[last] = slot;
    this.agLoad[a] = load - 1;
    this.rec.pool(p, 2, -1, now);
    this.rec.pool(p, 1, -pool.busyStep[load], now);
    this.release(c);

    if (this.agState[a] === ON) {
      if (this.pendingLeave[p] > 0) {
        // 'first-free': this agent is the next to go; it finishes what it still holds
        this.pendingLeave[p]--;
        this.setRemove(a, p, load);
        this.agState[a] = LEAVING;
        this.onDuty[p]--;
        if (this.trace !== null) this.trace(now, 'agent-leaving', -1, -1, p, a);
      } else {
        this.setMove(a, p, load, load - 1);
        const next = this.pickContact(pool, now);
        if (next >= 0) {
          this.takeFromQueue(next);
          this.startService(next, a, now); // reschedules the agent's chats at the new load
          return;
        }
      }
    }
    if (this.agState[a] === LEAVING && load === 1) this.agentOff(a, p, now);
    else if (!pool.flatRate) this.reschedule(a, pool, now);
  }

  // ==== shifts and bins ======================================================================

  /** A bin edge; at interval edges the staffing changes. Returns false at the end of the horizon. */
  private onEdge(): boolean {
    const now = this.eq.now;
    if (this.edge > 0) this.rec.closeBin(now);
    if (now >= this.horizon) return false;
    if (Math.abs(now / this.intervalSec - Math.round(now / this.intervalSec)) < 1e-9) {
      const i = Math.round(now / this.intervalSec);
      for (let p = 0; p < this.m.pools.length; p++) this.setStaff(p, this.m.pools[p].staffing[i], now);
    }
    this.edge++;
    const next = Math.min(this.edge * this.binSec, this.horizon);
    this.eq.push(next, PRI[EV_EDGE], EV_EDGE);
    return true;
  }

  private setStaff(p: number, n: number, now: number): void {
    const pool = this.m.pools[p];
    this.rec.pool(p, 3, n - this.rec.poolLevel(p, 3), now);
    const effective = this.onDuty[p] - this.pendingLeave[p];
    if (n > effective) {
      let add = n - effective;
      const undo = Math.min(add, this.pendingLeave[p]);
      this.pendingLeave[p] -= undo;
      add -= undo;
      for (let j = 0; j < add; j++) {
        const a = this.agentOn(p, now);
        // a new agent takes waiting work at once, up to its concurrency
        for (let s = 0; s < pool.concurrency; s++) {
          const next = this.pickContact(pool, now);
          if (next < 0) break;
          this.takeFromQueue(next);
          this.startService(next, a, now);
        }
      }
      return;
    }
    let remove = effective - n;
    const base = p * (this.kMax + 1);
    // idle agents go first, under either rule
    while (remove > 0 && this.setSize[base] > 0) {
      const a = this.senior(base);
      this.setRemove(a, p, 0);
      this.onDuty[p]--;
      this.agentOff(a, p, now);
      remove--;
    }
    if (remove === 0) return;
    if (this.m.scenario.routing.handover === 'first-free') {
      this.pendingLeave[p] += remove;
      return;
    }
    // 'finish-in-hand': the least-loaded agents are told to leave now and finish their chats
    for (let l = 1; l <= pool.concurrency && remove > 0; l++) {
      while (remove > 0 && this.setSize[base + l] > 0) {
        const a = this.senior(base + l);
        this.setRemove(a, p, l);
        this.agState[a] = LEAVING;
        this.onDuty[p]--;
        if (this.trace !== null) this.trace(now, 'agent-leaving', -1, -1, p, a);
        remove--;
      }
    }
  }

  /** The member of a level set on duty longest (then the lowest number): the next to go home. */
  private senior(set: number): number {
    const arr = this.sets[set], n = this.setSize[set];
    let best = arr[0];
    for (let j = 1; j < n; j++) {
      const a = arr[j];
      if (this.agStart[a] < this.agStart[best] || (this.agStart[a] === this.agStart[best] && a < best)) best = a;
    }
    return best;
  }

  private agentOn(p: number, now: number): number {
    let a: number;
    if (this.agFree.length > 0) a = this.agFree.pop()!;
    else {
      if (this.agCount === this.agCap) this.growAgents(this.agCap * 2);
      a = this.agCount++;
    }
    this.agPool[a] = p;
    this.agLoad[a] = 0;
    this.agState[a] = ON;
    this.agStart[a] = now;
    this.setAdd(a, p, 0);
    this.onDuty[p]++;
    this.rec.pool(p, 0, 1, now);
    if (this.trace !== null) this.trace(now, 'agent-on', -1, -1, p, a);
    return a;
  }

  private agentOff(a: number, p: number, now: number): void {
    this.agState[a] = OFF;
    this.agFree.push(a);
    this.rec.pool(p, 0, -1, now);
    if (this.trace !== null) this.trace(now, 'agent-off', -1, -1, p, a);
  }

  // Level sets --------------------------------------------------------------------------------

  private setAdd(a: number, p: number, l: number): void {
    const i = p * (this.kMax + 1) + l;
    let arr = this.sets[i];
    const n = this.setSize[i];
    if (n === arr.length) {
      const b = new Int32Array(n * 2);
      b.set(arr);
      arr = this.sets[i] = b;
    }
    arr[n] = a;
    this.agPos[a] = n;
    this.setSize[i] = n + 1;
  }

  private setRemove(a: number, p: number, l: number): void {
    const i = p * (this.kMax + 1) + l;
    const arr = this.sets[i];
    const n = this.setSize[i] - 1;
    const pos = this.agPos[a];
    const last = arr[n];
    arr[pos] = last;
    this.agPos[last] = pos;
    this.setSize[i] = n;
  }

  private setMove(a: number, p: number, from: number, to: number): void {
    this.setRemove(a, p, from);
    this.setAdd(a, p, to);
  }

  // Storage -----------------------------------------------------------------------------------

  private alloc(): number {
    if (this.freeHead < 0) this.growContacts(this.cap * 2);
    const c = this.freeHead;
    this.freeHead = this.cNext[c];
    if (++this.live > this.peakLive) this.peakLive = this.live;
    return c;
  }

  private release(c: number): void {
    this.cState[c] = FREE;
    this.cPatKey[c] = -1;
    this.cOvKey[c] = -1;
    this.cDoneKey[c] = -1;
    this.cNext[c] = this.freeHead;
    this.freeHead = c;
    this.live--;
  }

  private growContacts(cap: number): void {
    const old = this.cap;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.cState = g(this.cState); this.cType = g(this.cType); this.cQueue = g(this.cQueue);
    this.cEsc = g(this.cEsc); this.cAttempts = g(this.cAttempts); this.cArrBin = g(this.cArrBin);
    this.cOfferBin = g(this.cOfferBin); this.cOfferT = g(this.cOfferT); this.cUWork = g(this.cUWork);
    this.cUPat = g(this.cUPat); this.cPatKey = g(this.cPatKey); this.cOvKey = g(this.cOvKey);
    this.cOvTier = g(this.cOvTier); this.cNext = g(this.cNext); this.cPrev = g(this.cPrev);
    this.cAgent = g(this.cAgent); this.cSlot = g(this.cSlot); this.cWork = g(this.cWork);
    this.cRate = g(this.cRate); this.cLastT = g(this.cLastT); this.cStartT = g(this.cStartT);
    this.cDoneKey = g(this.cDoneKey); this.cSerial = g(this.cSerial);
    // new slots onto the free list, lowest index first
    for (let c = cap - 1; c >= old; c--) {
      this.cNext[c] = this.freeHead;
      this.freeHead = c;
    }
    this.cap = cap;
  }

  private growAgents(cap: number): void {
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.agPool = g(this.agPool, cap);
    this.agLoad = g(this.agLoad, cap);
    this.agState = g(this.agState, cap);
    this.agPos = g(this.agPos, cap);
    this.agStart = g(this.agStart, cap);
    this.agChats = g(this.agChats, cap * this.kMax);
    this.agCap = cap;
  }
}
