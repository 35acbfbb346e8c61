// The order flow of a replication, recorded once and played back on later runs of the same
// replication with other staffing.
//
// Why: nothing the order flow does depends on the agents. Orders, their questions, the warehouse,
// the carriers and the returns come from the order streams, in order sequence, whatever the
// staffing; only a return's refund waits for its ticket to be closed. The planner runs the same
// replications again and again with other staffing (the search's common random numbers, the
// verification after each repair, the naive plan), and the order flow was about a third of each
// replication of the built-in scenario: drawing sixteen uniforms per order, the Poisson counts,
// the lags and transits through their inverse CDFs, the warehouse queue.
//
// What is recorded is what the order flow did to the rest of the model, in the order it did it,
// per handler: each contact it created (source and arrival time: the contact's own uniforms are
// drawn when it is created, from its source's streams, so playing the call back draws them
// again), each event it scheduled (time, priority, payload), and each return (time and the three
// uniforms its ticket, chat and refund read later). Played back, the same calls happen at the
// same events in the same order, so the event list hands out the same sequence numbers and the
// run is the same to the bit (test/order-tape.test.ts compares every array of a replication run
// both ways, with other staffing than the recording's). What it only counted (orders, parcels
// shipped, delivered and late, by day) is added at the end of the horizon, and the warehouse and
// transit levels at each day's end are read back.
//
// Tapes are found by what the order flow is (flowKey), not by object: compare's two sides and a
// sweep's points over agents, the bot or the demand curves load their scenarios apart and play
// one recording. Memory: a tape holds 15 bytes per contact and event it scheduled (3 MB for a
// replication of the built-in scenario); each thread keeps at most TAPE_BUDGET bytes of them,
// dropping the oldest, and never records a tape past TAPE_MAX. Only runs that ask for it
// (orderTape: the planner, compare, sweep) record or play.

import { createHash } from 'node:crypto';
import type { RecordStore } from '../../engine/store.js';
import type { Scenario } from '../../scenario/types.js';
import type { DayCounter } from '../../stats/daily.js';
import { EV_RETURN, PRI } from '../events.js';
import { OrderParts, type OrderHost, type OrderSources } from './host.js';
import { LogisticsFlow } from './logistics.js';
import { O, OI, orderStore } from './records.js';
import { ReturnsFlow } from './returns.js';

const SPAWN = 0, PUSH = 1, RETURN = 2, END = 3;
/** The layout OrderTape.encode writes; a file of another is not read. */
const TAPE_FORMAT = 1;

/** The day counters only the order flow's own handlers add to (flow.ts create, logistics.ts waves and finish). */
const COUNTED: readonly DayCounter[] = ['orders', 'shipped', 'shippedLate', 'delivered', 'deliveredLate', 'lateParcels'];

/** Bytes of tapes a thread keeps (oldest dropped first). */
const TAPE_BUDGET = 256 * 2 ** 20;
/** A replication whose tape would grow past this is not recorded (a long horizon of many orders). */
const TAPE_MAX = 64 * 2 ** 20;

/** One handler's operations, in order: a growable list of (kind, time, a, b); b is a priority (< 2^9, event-queue.ts). */
class Ops {
  kind = new Uint8Array(1024);
  t = new Float64Array(1024);
  a = new Int32Array(1024);
  b = new Int16Array(1024);
  n = 0;

  add(kind: number, t: number, a: number, b: number): void {
    if (this.n === this.kind.length) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.t[i] = t;
    this.a[i] = a;
    this.b[i] = b;
  }

  private grow(): void {
    const cap = 2 * this.kind.length;
    this.resize(2 * this.kind.length);
  }

  private resize(cap: number): void {
    const k = new Uint8Array(cap), t = new Float64Array(cap), a = new Int32Array(cap), b = new Int16Array(cap);
    const n = Math.min(cap, this.n);
    k.set(this.kind.subarray(0, n));
    t.set(this.t.subarray(0, n));
    a.set(this.a.subarray(0, n));
    b.set(this.b.subarray(0, n));
    this.kind = k;
    this.t = t;
    this.a = a;
    this.b = b;
  }

  /** The recording is over: no room kept beyond what it holds. */
  trim(): void {
    if (this.n < this.kind.length) this.resize(this.n);
  }

  get bytes(): number {
    return this.kind.length * 15;
  }
}

/**
 * What the order flow of a scenario is, as a key: everything its handlers read (the orders, the
 * warehouse and carriers, the returns, the complaint rules, the calendar and days, the day
 * busyness that drives the order arrivals) and what fixes the indices of the contact sources it
 * creates contacts from (the channels and intents, how many demand curves come first, whether
 * complaints have a source). Not the staffing, the pools, the bot or the demand curves' volumes:
 * two scenarios that differ only there (two plans compared, a sweep over agents or the bot) have
 * the same order flow, and one plays the other's tape. Computed once per combination of those
 * parts' objects (a scenario with other staffing shares them).
 */
export function flowKey(s: Scenario): string {
  if (s.orders === null) return '';
  const parts = identities(s);
  let known = keys.get(s.orders);
  if (known === undefined) keys.set(s.orders, (known = []));
  const hit = known.find((k) => k.parts.every((x, i) => x === parts[i]));
  if (hit !== undefined) return hit.key;
  // Typed arrays (the per-minute order curve, the busyness factors) by their bytes: written out
  // number by number they were 1.1 MB of text and 30 ms here, 100 ms in each cold worker.
  const text = JSON.stringify([s.orders, s.logistics, s.returns, s.complaints, s.calendar, s.days, s.busyness, s.demand.length, s.channels.map((c) => c.name), s.intents], (_k, v) =>
    ArrayBuffer.isView(v) ? `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}` : v instanceof Map ? [...v] : v instanceof Set ? [...v] : typeof v === 'number' ? String(v) : v);
  const key = createHash('sha256').update(text).digest('hex');
  known.push({ parts, key });
  return key;
}

function identities(s: Scenario): readonly unknown[] {
  return [s.orders, s.logistics, s.returns, s.complaints, s.calendar, s.days, s.busyness, s.demand, s.channels, s.intents];
}

/** flowKey's results by the scenario's orders object, with the other parts' objects they were computed for. */
const keys = new WeakMap<object, { parts: readonly unknown[]; key: string }[]>();

export class OrderTape {
  readonly start = new Ops();
  readonly gen = new Ops();
  readonly dispatch = new Ops();
  /** Per return: its ticket chat, refund and refund-complaint uniforms. */
  private ret = new Float64Array(3 * 256);
  private nRet = 0;
  /** The warehouse and in-transit levels the day ends read, in the order they read them. */
  readonly levels: number[] = [];
  /**
   * Per order event (onGenerate call): the most order records alive during it less the returns
   * still waiting for their refund. Orders are allocated only there and only those returns'
   * records live as long as the agents take over their tickets, so the run's peak is the largest
   * of these plus the refunds pending at that moment in the run played back.
   */
  readonly genPeaks: number[] = [];
  /** (recording: this call's, so far) */
  genPeak = -Infinity;
  /** COUNTED per day, at the end of the horizon: [c * days + d]. */
  counted = new Float64Array(0);
  /** Recording went past TAPE_MAX: not kept. */
  tooLong = false;

  constructor(readonly key: string, readonly seed: number, readonly replication: number) {}

  get bytes(): number {
    return this.start.bytes + this.gen.bytes + this.dispatch.bytes + this.ret.byteLength + 8 * (this.levels.length + this.counted.length);
  }

  // ---- recording (the order flow calls these as it goes) ----

  spawn(ops: Ops, source: number, at: number): void {
    if (this.tooLong) return;
    ops.add(SPAWN, at, source, 0);
    this.check(ops);
  }

  push(ops: Ops, t: number, priority: number, payload: number): void {
    if (this.tooLong) return;
    ops.add(PUSH, t, payload, priority);
    this.check(ops);
  }

  /** A return at t of the order whose record holds its uniforms. */
  returned(t: number, of: Float64Array, f: number): void {
    if (this.tooLong) return;
    if (3 * this.nRet + 3 > this.ret.length) {
      const g = new Float64Array(2 * this.ret.length);
      g.set(this.ret);
      this.ret = g;
    }
    const i = this.nRet++;
    this.ret[3 * i] = of[f + O.U_RET_CHAT];
    this.ret[3 * i + 1] = of[f + O.U_REFUND];
    this.ret[3 * i + 2] = of[f + O.U_REFUND_COMPLAINT];
    this.dispatch.add(RETURN, t, i, 0);
    this.check(this.dispatch);
  }

  end(ops: Ops): void {
    if (this.tooLong) return;
    ops.add(END, 0, 0, 0);
    if (ops === this.gen) {
      this.genPeaks.push(this.genPeak);
      this.genPeak = -Infinity;
    }
  }

  /** Past TAPE_MAX the recording stops (and is not kept): memory never follows a long run's volume. */
  private check(ops: Ops): void {
    if (ops.n % 65536 === 0 && this.bytes > TAPE_MAX) this.tooLong = true;
  }

  /** The run reached the end of its horizon: what the order flow counted. */
  close(s: Scenario, counters: Record<DayCounter, Float64Array>): void {
    this.start.trim();
    this.gen.trim();
    this.dispatch.trim();
    this.ret = this.ret.slice(0, 3 * this.nRet);
    const days = s.days;
    this.counted = new Float64Array(COUNTED.length * days);
    COUNTED.forEach((name, c) => this.counted.set(counters[name].subarray(0, days), c * days));
  }

  // ---- playing back ----

  /** Play `ops` from `from` to its next END; returns where the next call starts. */
  play(ops: Ops, from: number, host: OrderHost, store: RecordStore): number {
    for (let i = from; i < ops.n; i++) {
      switch (ops.kind[i]) {
        case SPAWN: host.spawnContact(ops.a[i], ops.t[i], -1); break;
        case PUSH: host.eq.push(ops.t[i], ops.b[i], ops.a[i]); break;
        case RETURN: {
          // a record of the few fields the return, its ticket and its refund read (returns.ts)
          const o = store.alloc(), f = o * O.DOUBLES, k = 3 * ops.a[i];
          store.f[f + O.U_RET_CHAT] = this.ret[k];
          store.f[f + O.U_REFUND] = this.ret[k + 1];
          store.f[f + O.U_REFUND_COMPLAINT] = this.ret[k + 2];
          store.i[o * O.INTS + OI.REFS] = 1; // the return's event
          host.eq.push(ops.t[i], PRI[EV_RETURN], (o << 4) | EV_RETURN);
          break;
        }
        default: return i + 1;
      }
    }
    return ops.n;
  }

  // ---- on disk (parallel/tape-cache.ts keeps them between runs) ----

  /**
   * The tape as bytes: a header line (what it is a tape of, and of which code), then every
   * array, each 8-byte aligned, then the SHA-256 of all of it, so that a file cut short or
   * changed is never played (decode returns null and the replication runs afresh).
   */
  encode(code: string): Uint8Array {
    const parts: ArrayBufferView[] = [];
    const put = (a: ArrayBufferView) => {
      parts.push(Uint32Array.of(a.byteLength), a);
      const pad = (8 - ((a.byteLength + 4) % 8)) % 8;
      if (pad > 0) parts.push(new Uint8Array(pad));
    };
    const head = new TextEncoder().encode(JSON.stringify({ format: TAPE_FORMAT, code, key: this.key, seed: this.seed, replication: this.replication }));
    put(head);
    for (const ops of [this.start, this.gen, this.dispatch]) {
      put(ops.kind.subarray(0, ops.n)); put(ops.t.subarray(0, ops.n)); put(ops.a.subarray(0, ops.n)); put(ops.b.subarray(0, ops.n));
    }
    put(this.ret.subarray(0, 3 * this.nRet));
    put(Float64Array.from(this.levels));
    put(Float64Array.from(this.genPeaks));
    put(this.counted);
    const size = parts.reduce((a, x) => a + x.byteLength, 0);
    const out = new Uint8Array(size + 32);
    let at = 0;
    for (const x of parts) {
      out.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), at);
      at += x.byteLength;
    }
    out.set(createHash('sha256').update(out.subarray(0, size)).digest(), size);
    return out;
  }

  /** The tape `encode` wrote, if these bytes are whole and are this replication's of this order flow and code; else null. */
  static decode(bytes: Uint8Array, code: string, key: string, seed: number, replication: number): OrderTape | null {
    if (bytes.byteLength < 36) return null;
    const size = bytes.byteLength - 32;
    const sum = createHash('sha256').update(bytes.subarray(0, size)).digest();
    if (!sum.equals(bytes.subarray(size))) return null;
    let at = 0;
    // each array copied out (aligned, and not a view of the file's buffer)
    const take = (): ArrayBuffer | null => {
      if (at + 4 > size) return null;
      const len = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
      const from = at + 4;
      if (from + len > size) return null;
      at = from + len + ((8 - ((len + 4) % 8)) % 8);
      return new Uint8Array(bytes.subarray(from, from + len)).buffer; // a copy (a Buffer's slice is a view)
    };
    const head = take();
    if (head === null) return null;
    let h: { format?: unknown; code?: unknown; key?: unknown; seed?: unknown; replication?: unknown };
    try {
      h = JSON.parse(new TextDecoder().decode(head));
    } catch {
      return null;
    }
    if (h.format !== TAPE_FORMAT || h.code !== code || h.key !== key || h.seed !== seed || h.replication !== replication) return null;
    const tape = new OrderTape(key, seed, replication);
    for (const ops of [tape.start, tape.gen, tape.dispatch]) {
      const k = take(), t = take(), a = take(), b = take();
      if (k === null || t === null || a === null || b === null) return null;
      ops.kind = new Uint8Array(k); ops.t = new Float64Array(t); ops.a = new Int32Array(a); ops.b = new Int16Array(b);
      ops.n = ops.kind.length;
      if (ops.t.length !== ops.n || ops.a.length !== ops.n || ops.b.length !== ops.n) return null;
    }
    const ret = take(), levels = take(), peaks = take(), counted = take();
    if (ret === null || levels === null || peaks === null || counted === null || at !== size) return null;
    tape.ret = new Float64Array(ret);
    tape.nRet = tape.ret.length / 3;
    for (const x of new Float64Array(levels)) tape.levels.push(x);
    for (const x of new Float64Array(peaks)) tape.genPeaks.push(x);
    tape.counted = new Float64Array(counted);
    return tape;
  }

  /** Add what the order flow counted per day. */
  addCounted(s: Scenario, counters: Record<DayCounter, Float64Array>): void {
    const days = s.days;
    COUNTED.forEach((name, c) => {
      const to = counters[name];
      for (let d = 0; d < days; d++) to[d] += this.counted[c * days + d];
    });
  }

}

// ---- the thread's tapes ----

/** Tapes by `flowKey/seed/replication`, oldest first (a Map keeps insertion order). */
const tapes = new Map<string, OrderTape>();
let keptBytes = 0;

const tapeKey = (key: string, seed: number, replication: number) => `${key}/${seed}/${replication}`;

/** The tape of this replication of this scenario's order flow, if this thread recorded it. */
export function findTape(s: Scenario, seed: number, replication: number): OrderTape | null {
  if (s.orders === null) return null;
  return tapes.get(tapeKey(flowKey(s), seed, replication)) ?? null;
}

/** A new tape to record this replication into. */
export function newTape(s: Scenario, seed: number, replication: number): OrderTape {
  return new OrderTape(flowKey(s), seed, replication);
}

/** Keep a finished recording (dropping the oldest past the budget). */
export function keepTape(tape: OrderTape): void {
  if (tape.tooLong) return;
  const bytes = tape.bytes;
  const k = tapeKey(tape.key, tape.seed, tape.replication);
  if (bytes > TAPE_MAX || tapes.has(k)) return;
  tapes.set(k, tape);
  keptBytes += bytes;
  for (const [old, t] of tapes) {
    if (keptBytes <= TAPE_BUDGET) break;
    tapes.delete(old);
    keptBytes -= t.bytes;
  }
}

/** Forget every tape of this thread (tests). */
export function dropTapes(): void {
  tapes.clear();
  keptBytes = 0;
}

/**
 * The order flow played back from a tape: the same surface as OrderFlow for the simulation. The
 * returns' tickets, chats and refunds run for real (on records of just the fields they read),
 * and so do the events the tape schedules: checks, late parcels' complaints, returns.
 */
export class OrderReplay {
  private readonly store: RecordStore;
  readonly returns: ReturnsFlow;
  readonly logistics: ReplayLogistics | null;
  private genAt = 0;
  private genCall = 0;
  private peak = 0;

  constructor(private readonly s: Scenario, private readonly host: OrderHost, src: OrderSources, private readonly tape: OrderTape) {
    this.store = orderStore(s, () => host.eq.now);
    const parts = new OrderParts(s, host, this.store, src, s.calendar.horizonSec, null);
    this.returns = new ReturnsFlow(parts);
    this.logistics = s.logistics !== null ? new ReplayLogistics(new LogisticsFlow(parts, this.returns), tape, host, this.store) : null;
  }

  /** As the recording's start: its first order event and the dispatch waves. */
  start(): void {
    this.tape.play(this.tape.start, 0, this.host, this.store);
  }

  onGenerate(): void {
    this.peak = Math.max(this.peak, this.tape.genPeaks[this.genCall++] + this.returns.refundsPending);
    this.genAt = this.tape.play(this.tape.gen, this.genAt, this.host, this.store);
  }

  /** Most order records alive at once in the run recorded, had it had this run's staffing (see genPeaks). */
  get peakLive(): number {
    return this.peak;
  }

  finish(_end: number): void {
    this.tape.addCounted(this.s, this.host.daily.c);
  }

  giveBackStorage(): void {
    this.store.giveBack();
  }
}

/** Logistics played back: the waves' effects from the tape; checks and late parcels' complaints as LogisticsFlow handles them. */
class ReplayLogistics {
  private dispatchAt = 0;
  private level = 0;

  constructor(private readonly real: LogisticsFlow, private readonly tape: OrderTape, private readonly host: OrderHost, private readonly store: RecordStore) {}

  onDispatch(_day: number): void {
    this.dispatchAt = this.tape.play(this.tape.dispatch, this.dispatchAt, this.host, this.store);
  }

  onLateParcel(): void {
    this.real.onLateParcel();
  }

  onWismo(): void {
    this.real.onWismo();
  }

  warehouseAt(_t: number): number {
    return this.tape.levels[this.level++];
  }

  transitAtDayEnd(_d: number): number {
    return this.tape.levels[this.level++];
  }
}
