// One replication of the contact centre on the event engine: arrivals, the bot, queues with
// priorities and overflow, agents with chat concurrency and shifts, abandonment and retrials.
//
// Performance shape (see docs/architecture.md): contacts and agents are struct-of-arrays with free
// lists, queues are intrusive doubly-linked lists over contact slots (O(1) append, pop and
// removal on abandonment), timers are cancelled lazily by comparing the popped event's key with
// the one the contact holds, and the hot loop allocates nothing.
//
// Rules that matter for results, stated once:
// - Same-time events run in this order: service completions, bot completions and deliveries,
//   interval boundaries and day ends, retrials and dispatch waves, arrivals (and orders, returns,
//   refunds, where-is-my-order checks), overflow timers, patience timers. So work that ends at a boundary belongs to the interval that ends, an arrival at a
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
import { RecordStore } from '../engine/store.js';
import type { InitialState } from '../scenario/types.js';
import { MAX_LIVE, tooManyInSystem } from '../scenario/limits.js';
import { DailyRecorder, Day } from '../stats/daily.js';
import { Recorder, type StatsLayout } from '../stats/recorder.js';
import { Agents } from './agents.js';
import { buildArrivals, nextArrival, type ArrivalProcess, type ContactSource } from './arrivals.js';
import { COMPLAINT_COUNTER, ComplaintRules, type ComplaintKind } from './complaints.js';
import type { CompiledModel, PoolDef } from './compile.js';
import { EV_ARRIVAL, EV_BOT, EV_DAYEND, EV_DISPATCH, EV_DONE, EV_EDGE, EV_LATE_PARCEL, EV_ORDER_GEN, EV_OVERFLOW, EV_PATIENCE, EV_REFUND, EV_RETRY, EV_RETURN, EV_SPAWN, EV_WISMO, PRI } from './events.js';
import { OrderFlow } from './orders/flow.js';
import { findTape, newTape, OrderReplay } from './orders/tape.js';
import { Queues } from './queues.js';
import { A, AgentState, ContactState, F, I, Rec } from './records.js';
import type { TraceSink } from './trace.js';

export { TRACE_EVENTS, type TraceEvent, type TraceSink } from './trace.js';

export interface RunConfig {
  readonly seed: number;
  readonly replication: number;
  readonly layout: StatsLayout;
  /** Cooperative cancellation: checked every few thousand events. */
  readonly shouldStop?: () => boolean;
  readonly trace?: TraceSink;
  /** false: never take the plain fast paths (for the test that they change nothing). */
  readonly fastPaths?: boolean;
  /**
   * Record this replication's order flow, or play it back if this thread recorded it before
   * (orders/tape.ts): for runs that repeat replications with other staffing (the planner's).
   */
  readonly orderTape?: boolean;
}

export interface RunTotals {
  /** arrivals + service completions + abandonments (the peers' definition). */
  readonly events: number;
  /** Contacts still in the system at the end of the horizon, per channel. */
  readonly inSystem: Float64Array;
  readonly peakContacts: number;
  /** Most orders alive at once (placed or pending, not yet through delivery, returns, refunds). */
  readonly peakOrders: number;
}

export class Simulation {
  readonly rec: Recorder;
  private readonly m: CompiledModel;
  readonly eq = new EventQueue(4096);
  private readonly horizon: number;
  private readonly nI: number;
  private readonly sources: ContactSource[];
  private readonly stateSources: ReadonlyMap<number, number>;
  /** Tracing only: the order that caused each contact not yet arrived (contact serial → order serial). */
  private readonly orderOf: Map<number, number> | null;
  /** Tracing only: an order placed (OrderHost). */
  readonly traceOrder: ((placedAt: number, serial: number) => void) | null;
  private readonly botStateSources: ReadonlyMap<number, number>;
  private readonly processes: ArrivalProcess[];
  private readonly retryRng: RandomStream[];
  /** Busyness factor per local day of this replication (forecast error), or null. */
  private readonly dayFactor: Float64Array | null;
  private readonly localStart: number;
  readonly daily: DailyRecorder;
  private readonly hasDeadlines: boolean;
  /** What makes customers complain (complaints.ts); the order flow asks it too. */
  readonly complaints: ComplaintRules;
  private readonly waitComplaints: boolean;
  private readonly orders: OrderFlow | OrderReplay | null;
  private readonly complaintSource: number;
  /** Contacts offered and not yet finished, per channel (the backlog of deferred channels). */
  private readonly open: Float64Array;
  /** Planner only: time-weighted histogram of `open` per channel and interval. */
  readonly nInSystem: Float64Array[][] | null;
  private readonly nLast: Float64Array;
  private readonly binsPerInterval: number;
  private readonly botOn: boolean[];
  private readonly botResolve: readonly number[];
  private readonly botTime: Distribution | null;
  private readonly vipShare: Float64Array;
  /** Handle-time distribution by pool * nTypes + type (no integer division in the hot path). */
  private readonly handleOf: (Distribution | null)[];
  /** 1 for a pool of one contact per agent at a flat rate and no tickets: the fast paths (onArrival, onDone). */
  private readonly plainPool: Uint8Array;
  private readonly nTypes: number;

  // ---- contacts ----
  // Contact records, array-of-structs in one store (records.ts): two views (double and int32) over
  // one buffer, so all fields of a contact share two or three cache lines and the hot loop holds
  // two base pointers instead of twenty-odd (measured ~20% faster than one typed array per
  // field). `cf` and `ci` are the store's views, taken again whenever it grows (only in alloc).
  private readonly contacts: RecordStore;
  private cf: Float64Array;
  private ci: Int32Array;
  private serial = 0;
  private readonly trace: TraceSink | null;
  /** Contacts the bot resolves are counted when created (newContact). */
  private readonly botShortcut: boolean;
  /**
   * Longer than any bot conversation: twice the time at the largest uniform a stream gives
   * (1 - 2^-33; twice, as a margin over the inverse CDFs' rounding).
   */
  private readonly botLongest: number;
  private readonly queues: Queues;
  private readonly agents: Agents;

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
    this.orderOf = this.trace !== null ? new Map() : null;
    this.traceOrder = this.trace !== null ? (placedAt, serial) => this.trace!(placedAt, 'order', serial, -1, -1, -1) : null;
    const { seed, replication: r } = cfg;
    this.botOn = s.channels.map((_, c) => s.bot?.channels[c] ?? false);
    this.botResolve = s.bot?.resolve ?? [];
    this.botTime = s.bot?.time ?? null;
    this.vipShare = Float64Array.from(s.channels.map((c) => c.vipShare));
    this.nTypes = model.nChannels * this.nI;
    this.handleOf = model.pools.flatMap((p) => Array.from({ length: this.nTypes }, (_, t) => p.handle[t % this.nI]));
    const fast = cfg.fastPaths !== false;
    this.botShortcut = fast && this.trace === null;
    this.botLongest = this.botTime !== null ? 2 * this.botTime.quantile(1 - 2 ** -33) : Infinity;
    this.plainPool = Uint8Array.from(model.pools, (p) => (fast && p.concurrency === 1 && p.flatRate && p.ticketQueues.length === 0 ? 1 : 0));
    const arrivals = buildArrivals(model, seed, r, this.plainPool, fast);
    this.sources = arrivals.sources;
    this.processes = arrivals.processes;
    this.dayFactor = arrivals.dayFactor;
    this.localStart = arrivals.localStart;
    this.complaintSource = arrivals.complaintSource;
    this.stateSources = arrivals.stateSources;
    this.botStateSources = arrivals.botStateSources;
    this.daily = new DailyRecorder(cfg.layout.daily);
    this.hasDeadlines = cfg.layout.daily.firstReply.some((t) => t.length > 0) || cfg.layout.daily.resolved.some((t) => t.length > 0);
    this.complaints = new ComplaintRules(s.complaints);
    this.waitComplaints = s.complaints?.wait != null;
    this.open = new Float64Array(model.nChannels);
    this.nInSystem = cfg.layout.trackNumberInSystem
      ? s.channels.map(() => Array.from({ length: s.calendar.intervals }, () => new Float64Array(8)))
      : null;
    this.nLast = new Float64Array(model.nChannels);
    this.binsPerInterval = cfg.layout.binsPerInterval;
    const taped = cfg.orderTape === true && this.trace === null && arrivals.orderSources !== null;
    const tape = taped ? findTape(s, seed, r) : null;
    this.orders = arrivals.orderSources === null ? null
      : tape !== null ? new OrderReplay(s, this, arrivals.orderSources, tape)
        : new OrderFlow(s, this, arrivals.orderSources, seed, r, taped ? newTape(s, seed, r) : null);
    this.retryRng = s.channels.map((c) => openStream(seed, r, `retrial/${c.name}`));
    this.contacts = new RecordStore('contacts', Rec.CF, 0, I.NEXT, MAX_LIVE.contacts, () => { throw tooManyInSystem(s, 'contacts', this.eq.now, cfg.replication); });
    this.cf = this.contacts.f;
    this.ci = this.contacts.i;
    this.queues = new Queues(model, this.contacts);
    this.agents = new Agents(model, this.rec, this.trace);
  }

  /** Shares of the sources and pools that take the fast paths (for tests and diagnostics). */
  plainShare(): { sources: number; pools: number } {
    const plain = this.sources.filter((s) => s.plain).length;
    const pools = this.plainPool.reduce((n, x) => n + x, 0);
    return { sources: plain / this.sources.length, pools: pools / this.plainPool.length };
  }

  // ==== the loop ============================================================================

  run(): RunTotals {
    const eq = this.eq;
    eq.push(0, PRI[EV_EDGE], (0 << 4) | EV_EDGE);
    for (let i = 0; i < this.processes.length; i++) if (this.processes[i].source >= 0) this.scheduleArrival(i, 0);
    this.orders?.start();
    if (this.m.scenario.initial) this.enterState(this.m.scenario.initial);
    for (let d = 0; d < this.m.scenario.days; d++) {
      const end = Math.min(this.daily.dayStart(d + 1), this.horizon);
      eq.push(end, PRI[EV_DAYEND], (d << 4) | EV_DAYEND);
    }
    const stop = this.cfg.shouldStop;
    let guard = 0;
    for (;;) {
      const p = eq.next();
      if (p < 0) break;
      const id = p >> 4;
      switch (p & 15) {
        case EV_DONE: this.onDone(id); break;
        case EV_ARRIVAL: this.onArrival(id); break;
        case EV_PATIENCE: this.onPatience(id); break;
        case EV_EDGE: if (!this.onEdge()) return this.totals(); break;
        case EV_BOT: this.onBotDone(id); break;
        case EV_OVERFLOW: this.onOverflow(id); break;
        case EV_RETRY: this.onRetry(id); break;
        case EV_SPAWN: this.arrive(id, eq.now); break;
        case EV_ORDER_GEN: this.orders!.onGenerate(); break;
        case EV_DISPATCH: this.orders!.logistics!.onDispatch(id); break;
        case EV_LATE_PARCEL: this.orders!.logistics!.onLateParcel(); break;
        case EV_WISMO: this.orders!.logistics!.onWismo(); break;
        case EV_RETURN: this.orders!.returns.onReturn(id); break;
        case EV_REFUND: this.orders!.returns.onRefund(id); break;
        case EV_DAYEND: this.onDayEnd(id); break;
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
    const end = this.horizon;
    this.orders?.finish(end);
    for (let c = 0; c < this.contacts.cap; c++) {
      const st = this.ci[c * Rec.CI + I.STATE];
      if (st === ContactState.FREE || st === ContactState.SCHEDULED) continue;
      const q = this.ci[c * Rec.CI + I.QUEUE];
      const ch = this.m.queues[q].channel;
      inSystem[ch]++;
      if (st === ContactState.WAITING || st === ContactState.IN_SERVICE) {
        this.daily.openAtEnd(ch, this.ci[c * Rec.CI + I.TYPE], this.cf[c * Rec.CF + F.OFFERT], end, st === ContactState.IN_SERVICE);
      }
    }
    return { events: this.events, inSystem, peakContacts: this.peakLive, peakOrders: this.orders?.peakLive ?? 0 };
  }

  /** Planner only: time spent at the current number in system, before it changes. */
  private nAccrue(ch: number, t: number): void {
    const dt = t - this.nLast[ch];
    if (dt <= 0) return;
    const i = Math.floor(this.rec.currentBin / this.binsPerInterval);
    const row = this.nInSystem![ch];
    let h = row[i];
    const n = this.open[ch];
    if (n >= h.length) {
      const g = new Float64Array(Math.max(n + 1, h.length * 2));
      g.set(h);
      h = row[i] = g;
    }
    h[n] += dt;
    this.nLast[ch] = t;
  }

  private onDayEnd(d: number): void {
    const nc = this.m.nChannels;
    for (let ch = 0; ch < nc; ch++) this.daily.backlogEnd[d * nc + ch] = this.open[ch];
    if (this.orders !== null) {
      const lg = this.orders.logistics;
      this.daily.set(Day.WAREHOUSE_END, d, lg !== null ? lg.warehouseAt(this.eq.now) : 0);
      this.daily.set(Day.IN_TRANSIT_END, d, lg !== null ? lg.transitAtDayEnd(d) : 0);
    }
  }

  // ==== arrivals =============================================================================

  private scheduleArrival(i: number, t: number): void {
    const at = nextArrival(this.processes[i], t, this.horizon, this.dayFactor, this.localStart);
    if (at < Infinity) this.eq.push(at, PRI[EV_ARRIVAL], (i << 4) | EV_ARRIVAL);
  }

  /** For the order flow: the next order time after t. */
  nextOrderTime(t: number): number {
    return nextArrival(this.processes[this.processes.length - 1], t, this.horizon, this.dayFactor, this.localStart);
  }

  /**
   * An arrival of process i. For a plain source this is newContact + arrive + offer and, when its
   * first pool is plain and has an idle agent, startService + beginService, written out in one
   * function: the same draws, records and state changes in the same order. Why: most contacts of
   * a simple model take this path; as five calls it ran about 20% slower on the M/M/c+M bench
   * (V8 inlines little of that chain: offer and beginService are over its size limit), and being
   * too large to inline into run() leaves V8's inlining budget there to the heap's pop, which
   * every event needs. test/fast-path.test.ts runs models with and without the fast paths
   * and demands identical results: a change to the general path must be made here too.
   */
  private onArrival(i: number): void {
    const now = this.eq.now;
    this.scheduleArrival(i, now);
    const si = this.processes[i].source;
    const s = this.sources[si];
    if (!s.plain) {
      const c = this.newContact(si, -1, now);
      if (c >= 0) this.arrive(c, now);
      return;
    }
    const c = this.alloc();
    const ci = this.ci, cf = this.cf, o = c * Rec.CI, f = c * Rec.CF;
    const ch = s.channel, type = s.type, q = type * 2; // never VIP
    const serial = this.serial++;
    cf[f + F.SERIAL] = serial;
    ci[o + I.TYPE] = type;
    ci[o + I.QUEUE] = q;
    ci[o + I.ATTEMPTS] = 0;
    ci[o + I.ORDER] = -1;
    ci[o + I.SOURCE] = si;
    cf[f + F.UWORK] = s.handle.u();
    cf[f + F.UPAT] = s.patience.u();
    ci[o + I.ESC] = 0;
    // arrive
    this.events++;
    const rec = this.rec, bin = rec.currentBin;
    ci[o + I.ARRBIN] = bin;
    if (this.trace !== null) this.trace(now, 'arrive', serial, q, -1, -1);
    // offer
    cf[f + F.OFFERT] = now;
    ci[o + I.OFFERBIN] = bin;
    rec.arriveDirect(q); // arrived and offered
    if (this.nInSystem !== null) this.nAccrue(ch, now);
    this.open[ch]++;
    if (this.trace !== null) this.trace(now, 'offer', serial, q, -1, -1);
    const p = s.fastPool;
    const agents = this.agents;
    const set = p * (agents.kMax + 1); // its agents with no contact
    const idle = p >= 0 ? agents.setSize[set] : 0;
    if (idle === 0) {
      this.place(c, q, ch, now);
      return;
    }
    // startService: the agent, the top of the level-0 set, leaves it (with one slot it joins no other)
    const a = agents.sets[set][idle - 1];
    agents.setSize[set] = idle - 1;
    const pool = this.m.pools[p];
    rec.poolWork(p, 1, pool.busyStep[1], now);
    // beginService (a plain source draws no complaints)
    rec.recordAnswer(ch, q, bin, 0);
    if (this.trace !== null) this.trace(now, 'answer', serial, q, p, a);
    if (this.hasDeadlines) this.daily.firstReply(ch, type, now, 0);
    ci[o + I.STATE] = ContactState.IN_SERVICE;
    ci[o + I.AGENT] = a;
    cf[f + F.STARTT] = now;
    const work = this.handleOf[p * this.nTypes + type]!.quantile(cf[f + F.UWORK]);
    const ag = agents.ag, g = a * agents.stride;
    ag[g + A.CHATS] = c;
    ci[o + I.SLOT] = 0;
    ag[g + A.LOAD] = 1;
    this.eq.push(now + work / pool.rate[1], PRI[EV_DONE], (c << 4) | EV_DONE);
    cf[f + F.DONEKEY] = this.eq.lastKey;
  }

  /**
   * Create a contact of a source that arrives at `at` (now or later), drawing every uniform it
   * will need (common random numbers). A contact the bot resolves before the horizon ends is
   * counted in full here instead — arrived and bot-resolved in its arrival bin, the only trace it
   * leaves in the results — and gets no record and no events (-1). Why: in the built-in scenario
   * four chats in five end with the bot, and their arrival and bot events were a third of a
   * replication's events. Off with the fast paths or a trace (the trace wants them at their time).
   */
  private newContact(si: number, order: number, at: number): number {
    const s = this.sources[si];
    const ch = s.channel;
    const vip = this.vipShare[ch] > 0 && s.routing.u() < this.vipShare[ch];
    const uWork = s.handle.u();
    const uPat = s.patience.u();
    const uComplaint = s.complaint !== null ? s.complaint.u() : 0;
    let esc = 0, botT = 0;
    if (s.bot !== null) {
      const resolved = s.bot.u() < this.botResolve[s.intent];
      const uTime = s.bot.u();
      esc = resolved ? 0 : 1;
      if (resolved && this.botShortcut && order < 0) {
        const now = this.eq.now;
        const arrival = at <= now ? now : at;
        // (its conversation's length matters only near the end of the horizon)
        if (arrival + this.botLongest <= this.horizon || arrival + this.botTime!.quantile(uTime) <= this.horizon) {
          this.serial++;
          this.events++; // its arrival (arrive)
          const i = (arrival === now ? this.rec.currentBin : this.binAt(arrival)) * this.m.nChannels + ch;
          this.rec.arrived[i]++;
          this.rec.botResolved[i]++;
          return -1;
        }
      }
      botT = this.botTime!.quantile(uTime);
    }
    const c = this.alloc();
    const o = c * Rec.CI, f = c * Rec.CF;
    this.cf[f + F.SERIAL] = this.serial++;
    this.ci[o + I.TYPE] = s.type;
    this.ci[o + I.QUEUE] = s.type * 2 + (vip ? 1 : 0);
    this.ci[o + I.ATTEMPTS] = 0;
    this.ci[o + I.ORDER] = order;
    this.ci[o + I.SOURCE] = si;
    this.cf[f + F.UWORK] = uWork;
    this.cf[f + F.UPAT] = uPat;
    if (s.complaint !== null) this.cf[f + F.UCOMPLAINT] = uComplaint;
    if (s.bot !== null) this.cf[f + F.BOTT] = botT;
    this.ci[o + I.ESC] = esc;
    return c;
  }

  /**
   * The initial state: its waiting contacts enter the queues at time 0, before the first interval's
   * agents come on duty (who then take them, longest-waiting first). Each counts as offered in the
   * first bin with the wait it already has, and its patience is drawn given that it has lasted so
   * far: P | P > waited, by the inverse of the patience distribution (bisection on its quantile).
   */
  private enterState(st: InitialState): void {
    // contacts in service hold their agents first: the first interval's agents come on duty now
    // (the first edge then finds them there), each takes its contact with the work it has left
    const busy = st.inService ?? [];
    if (busy.length > 0) {
      for (let p = 0; p < this.m.pools.length; p++) this.setStaff(p, this.m.pools[p].staffing[0], 0);
      for (const g of busy) {
        const type = g.channel * this.nI + g.intent;
        const si = this.stateSources.get(type)!;
        for (const work of g.remainingSec) {
          const a = this.agents.pickAgent(g.pool);
          if (a < 0) break; // checked when the state was read: cannot happen
          const c = this.newContact(si, -1, 0);
          const o = c * Rec.CI, f = c * Rec.CF;
          this.ci[o + I.QUEUE] = type * 2;
          this.ci[o + I.ARRBIN] = 0;
          this.cf[f + F.OFFERT] = 0;
          this.ci[o + I.OFFERBIN] = 0;
          this.events++;
          if (this.nInSystem !== null) this.nAccrue(g.channel, 0);
          this.open[g.channel]++;
          this.serveFromState(c, a, g.pool, work);
        }
      }
    }
    // contacts in the bot: a fresh conversation from now (exact for exponential bot times), counted
    // as arrivals of the first interval
    for (const g of st.inBot ?? []) {
      const si = this.botStateSources.get(g.channel * this.nI + g.intent)!;
      for (let j = 0; j < g.count; j++) this.spawnContact(si, 0, -1);
    }
    for (const g of st.waiting) {
      const type = g.channel * this.nI + g.intent;
      const si = this.stateSources.get(type)!;
      const q = type * 2 + (g.vip ? 1 : 0);
      const ch = g.channel;
      const pat = this.m.patience[ch];
      for (const w of [...g.waitedSec].sort((a, b) => b - a)) {
        const c = this.newContact(si, -1, 0);
        const o = c * Rec.CI, f = c * Rec.CF;
        this.ci[o + I.QUEUE] = q;
        this.ci[o + I.ARRBIN] = 0;
        this.cf[f + F.OFFERT] = -w;
        this.ci[o + I.OFFERBIN] = 0;
        this.events++;
        if (this.trace !== null) {
          this.trace(-w, 'arrive', this.cf[f + F.SERIAL], q, -1, -1, -1);
          this.trace(-w, 'offer', this.cf[f + F.SERIAL], q, -1, -1);
        }
        this.rec.recordOffer(ch, q, 0, false);
        if (this.nInSystem !== null) this.nAccrue(ch, 0);
        this.open[ch]++;
        if (busy.length > 0) {
          // agents already on duty with room take it now, with the wait it has
          const imm = this.m.routes[type].immediate;
          let a = -1;
          for (let j = 0; j < imm.length && a < 0; j++) a = this.agents.pickAgent(imm[j]);
          if (a >= 0) { this.startService(c, a, 0); continue; }
        }
        this.ci[o + I.STATE] = ContactState.WAITING;
        this.queues.enqueue(c, q);
        this.rec.queue(ch, 1, 0);
        if (!pat.isNever) {
          // the patience left: the quantile at F(w) + u (1 − F(w)), F(w) found by bisection
          let lo = 0, hi = 1;
          for (let k = 0; k < 60; k++) { const mid = (lo + hi) / 2; if (pat.quantile(mid) <= w) lo = mid; else hi = mid; }
          const u = lo + this.cf[f + F.UPAT] * (1 - lo);
          const left = Math.max(0, pat.quantile(u) - w);
          this.eq.push(left, PRI[EV_PATIENCE], (c << 4) | EV_PATIENCE);
          this.cf[f + F.PATKEY] = this.eq.lastKey;
        } else this.cf[f + F.PATKEY] = -1;
        const route = this.m.routes[type];
        if (route.tiers.length > 0) {
          this.ci[o + I.OVTIER] = 0;
          this.eq.push(Math.max(0, route.tiers[0].afterSec - w), PRI[EV_OVERFLOW], (c << 4) | EV_OVERFLOW);
          this.cf[f + F.OVKEY] = this.eq.lastKey;
        } else this.cf[f + F.OVKEY] = -1;
      }
    }
  }

  /**
   * A contact of the initial state in service with agent a: answered before the horizon (so no
   * answer is counted in it), `work` seconds of work at one chat left.
   */
  private serveFromState(c: number, a: number, p: number, work: number): void {
    const agents = this.agents, pool = this.m.pools[p];
    const g = a * agents.stride;
    const load = agents.ag[g + A.LOAD];
    agents.levelChanged(a, p, pool.concurrency, load, load + 1);
    this.rec.poolWork(p, 1, pool.busyStep[load + 1], 0);
    this.ci[c * Rec.CI + I.STATE] = ContactState.IN_SERVICE;
    this.ci[c * Rec.CI + I.AGENT] = a;
    this.cf[c * Rec.CF + F.STARTT] = 0;
    if (this.trace !== null) {
      this.trace(0, 'arrive', this.cf[c * Rec.CF + F.SERIAL], this.ci[c * Rec.CI + I.QUEUE], -1, -1, -1);
      this.trace(0, 'answer', this.cf[c * Rec.CF + F.SERIAL], this.ci[c * Rec.CI + I.QUEUE], p, a);
    }
    agents.ag[g + A.CHATS + load] = c;
    this.ci[c * Rec.CI + I.SLOT] = load;
    agents.ag[g + A.LOAD] = load + 1;
    if (pool.flatRate) {
      this.eq.push(work / pool.rate[1], PRI[EV_DONE], (c << 4) | EV_DONE);
      this.cf[c * Rec.CF + F.DONEKEY] = this.eq.lastKey;
    } else {
      this.cf[c * Rec.CF + F.WORK] = work;
      this.cf[c * Rec.CF + F.LASTT] = 0;
      this.cf[c * Rec.CF + F.RATE] = 0;
      this.reschedule(a, pool, 0);
    }
  }

  /** The statistics bin of an event at t (after the bin edges at t, as every arrival is). */
  private binAt(t: number): number {
    const w = this.binSec;
    let b = Math.floor(t / w);
    // the edges are at k * w exactly (onEdge): correct the division's rounding either way
    if (b * w > t) b--;
    else if ((b + 1) * w <= t) b++;
    return b;
  }

  /** A contact drawn now that arrives at `at` (questions caused by orders, tickets, complaints). */
  spawnContact(source: number, at: number, order: number, orderSerial = -1): void {
    const c = this.newContact(source, order, at);
    if (c < 0) return; // the bot resolved it
    if (this.orderOf !== null && orderSerial >= 0) this.orderOf.set(this.cf[c * Rec.CF + F.SERIAL], orderSerial);
    if (at <= this.eq.now) {
      this.arrive(c, this.eq.now);
    } else {
      this.ci[c * Rec.CI + I.STATE] = ContactState.SCHEDULED;
      this.eq.push(at, PRI[EV_SPAWN], (c << 4) | EV_SPAWN);
    }
  }

  /** A complaint: a ticket on the complaint channel, counted by what caused it. */
  complain(kind: ComplaintKind, now: number): void {
    this.daily.add(COMPLAINT_COUNTER[kind], now);
    this.spawnContact(this.complaintSource, now, -1);
  }

  private arrive(c: number, now: number): void {
    this.events++;
    const si = this.ci[c * Rec.CI + I.SOURCE];
    const bin = this.rec.currentBin; // bin edges are events, so the current bin holds `now`
    this.ci[c * Rec.CI + I.ARRBIN] = bin;
    this.rec.arrived[bin * this.m.nChannels + this.sources[si].channel]++;
    if (this.trace !== null) {
      const serial = this.cf[c * Rec.CF + F.SERIAL];
      const order = this.orderOf!.get(serial);
      if (order !== undefined) this.orderOf!.delete(serial);
      this.trace(now, 'arrive', serial, this.ci[c * Rec.CI + I.QUEUE], -1, -1, order ?? -1);
    }
    if (this.sources[si].bot !== null) {
      this.ci[c * Rec.CI + I.STATE] = ContactState.IN_BOT;
      this.eq.push(now + this.cf[c * Rec.CF + F.BOTT], PRI[EV_BOT], (c << 4) | EV_BOT);
    } else {
      this.offer(c, now);
    }
  }

  private onBotDone(c: number): void {
    if (this.ci[c * Rec.CI + I.ESC] === 0) {
      this.rec.botResolved[this.ci[c * Rec.CI + I.ARRBIN] * this.m.nChannels + this.queues.channel[this.ci[c * Rec.CI + I.QUEUE]]]++;
      if (this.trace !== null) this.trace(this.eq.now, 'bot-resolved', this.cf[c * Rec.CF + F.SERIAL], this.ci[c * Rec.CI + I.QUEUE], -1, -1);
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
    const q = this.ci[c * Rec.CI + I.QUEUE];
    const ch = this.queues.channel[q];
    const bin = this.rec.currentBin;
    this.cf[c * Rec.CF + F.OFFERT] = now;
    this.ci[c * Rec.CI + I.OFFERBIN] = bin;
    this.rec.recordOffer(ch, q, bin, this.ci[c * Rec.CI + I.ATTEMPTS] > 0);
    if (this.nInSystem !== null) this.nAccrue(ch, now);
    this.open[ch]++;
    if (this.trace !== null) this.trace(now, 'offer', this.cf[c * Rec.CF + F.SERIAL], q, -1, -1);
    this.place(c, q, ch, now);
  }

  /** An offered contact (of queue q, channel ch) is served at once if a pool has room, else it waits. */
  private place(c: number, q: number, ch: number, now: number): void {
    const route = this.m.routes[this.ci[c * Rec.CI + I.TYPE]];
    const imm = route.immediate;
    for (let j = 0; j < imm.length; j++) {
      const a = this.agents.pickAgent(imm[j]);
      if (a >= 0) {
        this.startService(c, a, now);
        return;
      }
    }
    const bl = route.blended;
    for (let j = 0; j < bl.length; j++) {
      const a = this.idleBlender(bl[j], now);
      if (a >= 0) {
        this.startTicket(c, a, now);
        return;
      }
    }
    this.ci[c * Rec.CI + I.STATE] = ContactState.WAITING;
    this.queues.enqueue(c, q);
    this.rec.queue(ch, 1, now);
    const pat = (this.ci[c * Rec.CI + I.ESC] === 1 ? this.m.escalatedPatience : this.m.patience)[ch];
    if (!pat.isNever) {
      this.eq.push(now + pat.quantile(this.cf[c * Rec.CF + F.UPAT]), PRI[EV_PATIENCE], (c << 4) | EV_PATIENCE);
      this.cf[c * Rec.CF + F.PATKEY] = this.eq.lastKey;
    } else this.cf[c * Rec.CF + F.PATKEY] = -1;
    if (route.tiers.length > 0) {
      this.ci[c * Rec.CI + I.OVTIER] = 0;
      this.eq.push(now + route.tiers[0].afterSec, PRI[EV_OVERFLOW], (c << 4) | EV_OVERFLOW);
      this.cf[c * Rec.CF + F.OVKEY] = this.eq.lastKey;
    } else this.cf[c * Rec.CF + F.OVKEY] = -1;
  }

  // ==== waiting ==============================================================================

  private onPatience(c: number): void {
    if (this.cf[c * Rec.CF + F.PATKEY] !== this.eq.key || this.ci[c * Rec.CI + I.STATE] !== ContactState.WAITING) return; // stale timer
    const now = this.eq.now;
    this.events++;
    const q = this.ci[c * Rec.CI + I.QUEUE];
    const ch = this.queues.channel[q];
    this.queues.unlink(c, q);
    this.rec.queue(ch, -1, now);
    this.cf[c * Rec.CF + F.OVKEY] = -1;
    const rt = this.m.scenario.channels[ch].retrial;
    let retry = false;
    if (rt !== null && this.ci[c * Rec.CI + I.ATTEMPTS] < rt.maxRetrials) {
      const rng = this.retryRng[ch];
      if (rng.u() < rt.probability) {
        retry = true;
        const delay = rt.delay.quantile(rng.u());
        this.cf[c * Rec.CF + F.UPAT] = rng.u();
        this.ci[c * Rec.CI + I.ATTEMPTS]++;
        this.ci[c * Rec.CI + I.ESC] = 0;
        this.ci[c * Rec.CI + I.STATE] = ContactState.AWAIT_RETRY;
        this.eq.push(now + delay, PRI[EV_RETRY], (c << 4) | EV_RETRY);
      }
    }
    this.rec.recordAbandon(ch, q, this.ci[c * Rec.CI + I.OFFERBIN], now - this.cf[c * Rec.CF + F.OFFERT], retry);
    if (this.nInSystem !== null) this.nAccrue(ch, now);
    this.open[ch]--;
    if (this.trace !== null) this.trace(now, retry ? 'retry' : 'abandon', this.cf[c * Rec.CF + F.SERIAL], q, -1, -1);
    if (!retry) {
      if (this.complaints.afterAbandon(this.cf[c * Rec.CF + F.UCOMPLAINT]) && !this.sources[this.ci[c * Rec.CI + I.SOURCE]].deferred) this.complain('abandon', now);
      this.release(c);
    }
  }

  private onOverflow(c: number): void {
    if (this.cf[c * Rec.CF + F.OVKEY] !== this.eq.key || this.ci[c * Rec.CI + I.STATE] !== ContactState.WAITING) return;
    const tiers = this.m.routes[this.ci[c * Rec.CI + I.TYPE]].tiers;
    const tier = this.ci[c * Rec.CI + I.OVTIER];
    const pools = tiers[tier].pools;
    for (let j = 0; j < pools.length; j++) {
      const a = this.agents.pickAgent(pools[j]);
      if (a >= 0) {
        this.takeFromQueue(c);
        if (this.trace !== null) this.trace(this.eq.now, 'overflow', this.cf[c * Rec.CF + F.SERIAL], this.ci[c * Rec.CI + I.QUEUE], pools[j], a);
        this.startService(c, a, this.eq.now);
        return;
      }
    }
    if (tier + 1 < tiers.length) {
      this.ci[c * Rec.CI + I.OVTIER] = tier + 1;
      this.eq.push(this.cf[c * Rec.CF + F.OFFERT] + tiers[tier + 1].afterSec, PRI[EV_OVERFLOW], (c << 4) | EV_OVERFLOW);
      this.cf[c * Rec.CF + F.OVKEY] = this.eq.lastKey;
    } else this.cf[c * Rec.CF + F.OVKEY] = -1;
  }

  /** Remove a waiting contact from its queue as it is taken into service. */
  private takeFromQueue(c: number): void {
    const q = this.ci[c * Rec.CI + I.QUEUE];
    this.queues.unlink(c, q);
    this.rec.queue(this.queues.channel[q], -1, this.eq.now);
  }

  /** The waiting contact pool p should take next, or -1. */
  private pickContact(pool: PoolDef, now: number): number {
    return this.queues.pickFrom(pool.queues, pool.queueAfter, now);
  }

  // ==== service ==============================================================================

  /** Start serving c on agent a, taken from a level set (a has a free slot). */
  private startService(c: number, a: number, now: number): void {
    const agents = this.agents;
    const p = agents.ag[a * agents.stride + A.POOL];
    const pool = this.m.pools[p];
    const load = agents.ag[a * agents.stride + A.LOAD];
    agents.levelChanged(a, p, pool.concurrency, load, load + 1);
    this.rec.poolWork(p, 1, pool.busyStep[load + 1], now);
    this.beginService(c, a, p, pool, now);
  }

  /**
   * A contact is answered by agent a: the statistics, trace and deadlines of its first reply, and
   * its state (pending patience and overflow timers are stale from now on). Returns its wait.
   */
  private answer(c: number, a: number, p: number, now: number): number {
    const q = this.ci[c * Rec.CI + I.QUEUE];
    const ch = this.queues.channel[q];
    const wait = now - this.cf[c * Rec.CF + F.OFFERT];
    this.rec.recordAnswer(ch, q, this.ci[c * Rec.CI + I.OFFERBIN], wait);
    if (this.trace !== null) this.trace(now, 'answer', this.cf[c * Rec.CF + F.SERIAL], q, p, a);
    if (this.hasDeadlines) this.daily.firstReply(ch, this.ci[c * Rec.CI + I.TYPE], this.cf[c * Rec.CF + F.OFFERT], wait);
    this.ci[c * Rec.CI + I.STATE] = ContactState.IN_SERVICE;
    this.ci[c * Rec.CI + I.AGENT] = a;
    this.cf[c * Rec.CF + F.STARTT] = now;
    return wait;
  }

  /** The part of starting a service that does not touch the agent's level set or work level. */
  private beginService(c: number, a: number, p: number, pool: PoolDef, now: number): void {
    const agents = this.agents;
    const wait = this.answer(c, a, p, now);
    // (a plain flag first: every answer passes here, and most scenarios have no wait complaints)
    if (this.waitComplaints && this.complaints.afterWait(this.cf[c * Rec.CF + F.UCOMPLAINT], wait) && !this.sources[this.ci[c * Rec.CI + I.SOURCE]].deferred) {
      this.complain('wait', now);
    }
    const work = this.handleOf[p * this.nTypes + this.ci[c * Rec.CI + I.TYPE]]!.quantile(this.cf[c * Rec.CF + F.UWORK]);
    const load = agents.ag[a * agents.stride + A.LOAD];
    agents.ag[a * agents.stride + A.CHATS + load] = c;
    this.ci[c * Rec.CI + I.SLOT] = load;
    agents.ag[a * agents.stride + A.LOAD] = load + 1;
    if (pool.flatRate) {
      this.eq.push(now + work / pool.rate[1], PRI[EV_DONE], (c << 4) | EV_DONE);
      this.cf[c * Rec.CF + F.DONEKEY] = this.eq.lastKey;
    } else {
      this.cf[c * Rec.CF + F.WORK] = work;
      this.cf[c * Rec.CF + F.LASTT] = now;
      this.cf[c * Rec.CF + F.RATE] = 0; // set by reschedule
      this.reschedule(a, pool, now);
    }
  }

  // ==== blending: live pools that also work tickets ===========================================

  /** The ticket a blending pool should take next (same rule as pickContact, on its ticket queues), or -1. */
  private pickTicket(pool: PoolDef, now: number): number {
    return this.queues.pickFrom(pool.ticketQueues, pool.ticketAfter, now);
  }

  /** An idle agent of a blending pool with no live contact waiting for it, or -1. */
  private idleBlender(p: number, now: number): number {
    const agents = this.agents;
    const base = p * (agents.kMax + 1);
    const n = agents.setSize[base];
    if (n === 0) return -1;
    if (this.pickContact(this.m.pools[p], now) >= 0) return -1; // live work first
    return agents.sets[base][n - 1];
  }

  /** A blending agent (idle, in its level-0 set or just taken out of it) works a ticket with all its slots. */
  private startTicket(c: number, a: number, now: number): void {
    const agents = this.agents;
    const p = agents.ag[a * agents.stride + A.POOL];
    const pool = this.m.pools[p];
    const k = pool.concurrency;
    if (agents.ag[a * agents.stride + A.LOAD] === 0 && agents.ag[a * agents.stride + A.TICKET] === 0 && agents.ag[a * agents.stride + A.STATE] === AgentState.ON) {
      // still in the level-0 set when coming from offer(); endTicket/onDone take it out themselves
      const i = p * (agents.kMax + 1);
      const arr = agents.sets[i];
      if (agents.setSize[i] > 0 && arr[agents.ag[a * agents.stride + A.POS]] === a) agents.setRemove(a, p, 0);
    }
    agents.ag[a * agents.stride + A.TICKET] = 1;
    agents.ag[a * agents.stride + A.LOAD] = k;
    agents.ag[a * agents.stride + A.CHATS] = c;
    this.ci[c * Rec.CI + I.SLOT] = 0;
    this.rec.poolWork(p, k, 1, now);
    this.answer(c, a, p, now);
    const work = this.handleOf[p * this.nTypes + this.ci[c * Rec.CI + I.TYPE]]!.quantile(this.cf[c * Rec.CF + F.UWORK]);
    this.eq.push(now + work / pool.rate[1], PRI[EV_DONE], (c << 4) | EV_DONE);
    this.cf[c * Rec.CF + F.DONEKEY] = this.eq.lastKey;
  }

  /** A blending agent finished its ticket: live work first, then the next ticket, else idle. */
  private endTicket(c: number, a: number, p: number, pool: PoolDef, now: number): void {
    const agents = this.agents;
    const k = pool.concurrency;
    this.release(c);
    agents.ag[a * agents.stride + A.TICKET] = 0;
    agents.ag[a * agents.stride + A.LOAD] = 0;
    this.rec.poolWork(p, -k, -1, now);
    if (agents.ag[a * agents.stride + A.STATE] === AgentState.ON && agents.pendingLeave[p] === 0) {
      agents.setAdd(a, p, 0);
      const next = this.pickContact(pool, now);
      if (next >= 0) {
        this.takeFromQueue(next);
        this.startService(next, a, now);
        return;
      }
      const t = this.pickTicket(pool, now);
      if (t >= 0) {
        this.takeFromQueue(t);
        this.startTicket(t, a, now);
      }
      return;
    }
    if (agents.ag[a * agents.stride + A.STATE] === AgentState.ON) {
      agents.pendingLeave[p]--;
      agents.ag[a * agents.stride + A.STATE] = AgentState.LEAVING;
      agents.onDuty[p]--;
      if (this.trace !== null) this.trace(now, 'agent-leaving', -1, -1, p, a);
    }
    agents.agentOff(a, p, now);
  }

  /** The agent's load changed: every chat it holds progresses at the new per-chat rate. */
  private reschedule(a: number, pool: PoolDef, now: number): void {
    const agents = this.agents;
    const load = agents.ag[a * agents.stride + A.LOAD];
    if (load === 0) return;
    const r = pool.rate[load];
    const base = a * agents.stride + A.CHATS;
    for (let j = 0; j < load; j++) {
      const c = agents.ag[base + j];
      let w = this.cf[c * Rec.CF + F.WORK] - (now - this.cf[c * Rec.CF + F.LASTT]) * this.cf[c * Rec.CF + F.RATE];
      if (w < 0) w = 0;
      this.cf[c * Rec.CF + F.WORK] = w;
      this.cf[c * Rec.CF + F.LASTT] = now;
      this.cf[c * Rec.CF + F.RATE] = r;
      this.eq.push(now + w / r, PRI[EV_DONE], (c << 4) | EV_DONE);
      this.cf[c * Rec.CF + F.DONEKEY] = this.eq.lastKey;
    }
  }

  private onDone(c: number): void {
    const agents = this.agents;
    const ci = this.ci, cf = this.cf, o = c * Rec.CI, f = c * Rec.CF;
    if (cf[f + F.DONEKEY] !== this.eq.key || ci[o + I.STATE] !== ContactState.IN_SERVICE) return; // rescheduled
    const now = this.eq.now;
    this.events++;
    const a = ci[o + I.AGENT];
    const ag = agents.ag, g = a * agents.stride;
    const p = ag[g + A.POOL];
    const pool = this.m.pools[p];
    const q = ci[o + I.QUEUE];
    const ch = this.queues.channel[q];
    const rec = this.rec;
    const bin = rec.currentBin * this.m.nChannels + ch;
    rec.completed[bin]++;
    rec.handleSum[bin] += now - cf[f + F.STARTT];
    if (this.trace !== null) this.trace(now, 'done', cf[f + F.SERIAL], q, p, a);
    if (this.nInSystem !== null) this.nAccrue(ch, now);
    this.open[ch]--;
    if (this.hasDeadlines) this.daily.resolvedAfter(ch, ci[o + I.TYPE], cf[f + F.OFFERT], now - cf[f + F.OFFERT]);
    const order = ci[o + I.ORDER];
    if (order >= 0) this.orders!.returns.onTicketClosed(order);
    if (this.plainPool[p] === 1) {
      // one contact per agent, no tickets, a flat rate: the agent is free now (the same steps as
      // below, for load 1, without what cannot apply; why: see onArrival)
      ag[g + A.LOAD] = 0;
      this.release(c);
      if (ag[g + A.STATE] === AgentState.ON && agents.pendingLeave[p] === 0) {
        const next = this.pickContact(pool, now);
        if (next >= 0) {
          this.takeFromQueue(next);
          this.beginService(next, a, p, pool, now);
          return;
        }
        agents.setAdd(a, p, 0);
        rec.poolWork(p, -1, -pool.busyStep[1], now);
        return;
      }
      this.slotFreedLeaving(a, p, pool, 1, now);
      return;
    }
    if (ag[g + A.TICKET] === 1) {
      this.endTicket(c, a, p, pool, now);
      return;
    }
    // remove the chat from the agent
    const load = ag[g + A.LOAD];
    const last = ag[g + A.CHATS + load - 1];
    const slot = ci[o + I.SLOT];
    ag[g + A.CHATS + slot] = last;
    ci[last * Rec.CI + I.SLOT] = slot;
    ag[g + A.LOAD] = load - 1;
    this.release(c);

    const k = pool.concurrency;
    if (ag[g + A.STATE] === AgentState.ON && agents.pendingLeave[p] === 0) {
      const next = this.pickContact(pool, now);
      if (next >= 0) {
        // straight back to `load` chats: level set and work level are unchanged
        this.takeFromQueue(next);
        this.beginService(next, a, p, pool, now);
        return;
      }
      if (load === 1 && pool.ticketQueues.length > 0) {
        const t = this.pickTicket(pool, now);
        if (t >= 0) {
          rec.poolWork(p, -1, -pool.busyStep[1], now);
          agents.levelChanged(a, p, k, 1, 0);
          this.takeFromQueue(t);
          this.startTicket(t, a, now);
          return;
        }
      }
      agents.levelChanged(a, p, k, load, load - 1);
      rec.poolWork(p, -1, -pool.busyStep[load], now);
      if (!pool.flatRate) this.reschedule(a, pool, now);
      return;
    }
    this.slotFreedLeaving(a, p, pool, load, now);
  }

  /** Agent a, which held `load` contacts, freed one and takes no new work: it is leaving or the next to. */
  private slotFreedLeaving(a: number, p: number, pool: PoolDef, load: number, now: number): void {
    const agents = this.agents;
    this.rec.poolWork(p, -1, -pool.busyStep[load], now);
    const g = a * agents.stride;
    if (agents.ag[g + A.STATE] === AgentState.ON) {
      // 'first-free': this agent is the next to go; it finishes what it still holds
      agents.pendingLeave[p]--;
      if (load < pool.concurrency) agents.setRemove(a, p, load);
      agents.ag[g + A.STATE] = AgentState.LEAVING;
      agents.onDuty[p]--;
      if (this.trace !== null) this.trace(now, 'agent-leaving', -1, -1, p, a);
    }
    if (load === 1) agents.agentOff(a, p, now);
    else if (!pool.flatRate) this.reschedule(a, pool, now);
  }

  // ==== shifts and bins ======================================================================

  /** A bin edge; at interval edges the staffing changes. Returns false at the end of the horizon. */
  private onEdge(): boolean {
    const now = this.eq.now;
    if (this.nInSystem !== null && this.edge > 0) for (let ch = 0; ch < this.m.nChannels; ch++) this.nAccrue(ch, now);
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
    const agents = this.agents;
    const pool = this.m.pools[p];
    this.rec.setScheduled(p, n, now);
    const effective = agents.onDuty[p] - agents.pendingLeave[p];
    if (n > effective) {
      let add = n - effective;
      const undo = Math.min(add, agents.pendingLeave[p]);
      agents.pendingLeave[p] -= undo;
      add -= undo;
      for (let j = 0; j < add; j++) {
        const a = agents.agentOn(p, now);
        // a new agent takes waiting work at once, up to its concurrency
        for (let s = 0; s < pool.concurrency; s++) {
          const next = this.pickContact(pool, now);
          if (next < 0) break;
          this.takeFromQueue(next);
          this.startService(next, a, now);
        }
        if (agents.ag[a * agents.stride + A.LOAD] === 0 && pool.ticketQueues.length > 0) {
          const t = this.pickTicket(pool, now);
          if (t >= 0) {
            this.takeFromQueue(t);
            this.startTicket(t, a, now);
          }
        }
      }
      return;
    }
    agents.sendHome(p, effective - n, this.m.scenario.routing.handover, now);
  }

  // Storage -----------------------------------------------------------------------------------

  private alloc(): number {
    const st = this.contacts;
    const c = st.alloc();
    if (st.i !== this.ci) {
      // the store grew: new views
      this.cf = st.f;
      this.ci = st.i;
    }
    return c;
  }

  /** Free a contact's slot. Its timer keys are cleared here, at the only point where a pending
   * stale timer could meet a new occupant of the slot; while it lives, its state makes them stale. */
  private release(c: number): void {
    this.ci[c * Rec.CI + I.STATE] = ContactState.FREE;
    this.cf[c * Rec.CF + F.PATKEY] = -1;
    this.cf[c * Rec.CF + F.OVKEY] = -1;
    this.cf[c * Rec.CF + F.DONEKEY] = -1;
    this.contacts.release(c);
  }

  /** Most contacts in the system at once in this replication. */
  get peakLive(): number {
    return this.contacts.peakLive;
  }

  /** The run is over and read: its big stores go to the next replication on this thread (spare.ts). */
  giveBackStorage(): void {
    this.contacts.giveBack();
    this.eq.giveBackStorage();
    this.orders?.giveBackStorage();
  }
}
