// The order flow that drives most of a promotion's contacts: orders (with categories and the
// questions they cause before and after), the warehouse's daily dispatch capacity, carriers'
// transit times stretched by volume, promised delivery, where-is-my-order contacts, returns with
// their after-sales tickets and refunds, and the complaints lateness causes.
//
// Common random numbers: every uniform an order will ever need is drawn when the order is
// created, from the order streams, in order sequence. A slower warehouse or a higher return rate
// therefore changes outcomes monotonically for the very same orders (tested).
//
// Rules (docs/model.md): orders placed up to the day's cutoff are eligible for that day's dispatch
// wave, which ships the oldest first up to the day's capacity; transit = the carrier's time ×
// (shipped that day / normalPerDay)^elasticity when above normal; a parcel delivered after the
// promise (order time + promise) is late. A customer whose parcel has not arrived by the promise +
// `after` contacts the store with probability `probability`, so the chance rises with lateness.

import type { Distribution } from '../engine/distributions.js';
import type { EventQueue } from '../engine/event-queue.js';
import { openStream, type RandomStream } from '../engine/random.js';
import { giveBuffer, takeBuffer } from '../engine/spare.js';
import { MAX_LIVE, tooManyInSystem } from '../scenario/limits.js';
import type { Scenario } from '../scenario/types.js';
import type { DailyRecorder } from '../stats/daily.js';
import { EV_DELIVERY, EV_DISPATCH, EV_ORDER, EV_ORDER_GEN, EV_REFUND, EV_RETURN, EV_WISMO, PRI } from './events.js';

export type ComplaintKind = 'wait' | 'abandon' | 'late' | 'refund';

/** What the order flow needs from the contact centre. */
export interface OrderHost {
  readonly eq: EventQueue;
  readonly daily: DailyRecorder;
  /** A contact of a source, drawn now, arriving at `at` (≥ now); `order` links tickets to orders. */
  spawnContact(source: number, at: number, order: number): void;
  complain(kind: ComplaintKind, now: number): void;
  /** The next order time after t from the order arrival process, or Infinity. */
  nextOrderTime(t: number): number;
}

/** Contact sources the order flow creates contacts from (indices into the host's sources). */
export interface OrderSources {
  readonly causes: readonly number[];
  readonly wismo: number;
  readonly returnTicket: number;
  readonly returnChat: number;
}

// Order record layout.
const O_PLACED = 0, O_PROMISED = 1, O_DISPATCHED = 2, O_DELIVERED = 3, O_RETURNED = 4, O_U_TRANSIT = 5, O_U_WISMO = 6,
  O_U_WISMO_AFTER = 7, O_U_LATE = 8, O_U_RETURN = 9, O_U_RETURN_LAG = 10, O_U_RET_CHAT = 11, O_U_REFUND = 12,
  O_U_REFUND_COMPLAINT = 13;
const OF = 14;
const I_CAT = 0, I_STATE = 1, I_NEXT = 2, I_REFS = 3;
const OI = 4;
// Order states.
const PENDING = 0, PLACED = 1, SHIPPED = 2, DELIVERED = 3;

export class OrderFlow {
  private readonly s: Scenario;
  private readonly host: OrderHost;
  private readonly src: OrderSources;
  private readonly attrs: RandomStream;
  private readonly causeRng: RandomStream[];
  private readonly lookahead: number;
  private readonly horizon: number;
  private readonly cumShare: Float64Array;

  private cap = 0;
  private freeHead = -1;
  private of = new Float64Array(0);
  private oi = new Int32Array(0);
  live = 0;
  peakLive = 0;

  // Warehouse FIFO (orders placed, not yet shipped), linked through I_NEXT.
  /** Placement time of the order the pending ORDER_GEN event will create. */
  private pendingAt = 0;
  private whHead = -1;
  private whTail = -1;
  private whCount = 0;
  private inTransit = 0;

  constructor(s: Scenario, host: OrderHost, sources: OrderSources, seed: number, replication: number) {
    this.s = s;
    this.host = host;
    this.src = sources;
    const o = s.orders!;
    this.attrs = openStream(seed, replication, 'orders/attributes');
    this.causeRng = o.causes.map((_, i) => openStream(seed, replication, `orders/cause${i}`));
    this.lookahead = o.causes.some((c) => c.lead !== null) ? o.lookaheadSec : 0;
    this.horizon = s.calendar.horizonSec;
    this.cumShare = new Float64Array(o.categories.length);
    let acc = 0;
    o.categories.forEach((c, i) => { acc += c.share; this.cumShare[i] = acc; });
    this.use(takeBuffer('orders.f', 1024 * OF * 8), takeBuffer('orders.i', 1024 * OI * 4)); // spares from the last replication, or 1,024 orders
  }

  /** Schedule the first order and the dispatch waves. */
  start(): void {
    const t = this.host.nextOrderTime(0);
    if (t < this.horizon) {
      this.pendingAt = t;
      this.host.eq.push(Math.max(0, t - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
    }
    const lg = this.s.logistics;
    if (lg !== null) {
      for (let d = 0; d < this.s.days; d++) {
        const at = this.host.daily.dayStart(d) + lg.cutoffSec;
        if (at >= 0 && at < this.horizon) this.host.eq.push(at, PRI[EV_DISPATCH], (d << 4) | EV_DISPATCH);
      }
    }
  }

  get warehouse(): number {
    return this.whCount;
  }

  get transit(): number {
    return this.inTransit;
  }

  /** The order process reached the next order, placed at pendingAt (now, or up to the lookahead later). */
  onGenerate(): void {
    const now = this.host.eq.now;
    const placedAt = this.pendingAt;
    const o = this.alloc();
    const f = o * OF, n = o * OI;
    const a = this.attrs;
    // Every uniform the order will need, in a fixed order: category, then its fate.
    const uc = a.u();
    let cat = 0;
    while (cat < this.cumShare.length - 1 && uc >= this.cumShare[cat]) cat++;
    this.oi[n + I_CAT] = cat;
    this.oi[n + I_STATE] = PENDING;
    this.oi[n + I_REFS] = 1; // the ORDER event
    this.of[f + O_PLACED] = placedAt;
    this.of[f + O_DELIVERED] = Infinity;
    for (let k = O_U_TRANSIT; k <= O_U_REFUND_COMPLAINT; k++) this.of[f + k] = a.u();
    // Questions this order causes: a Poisson number per cause, each at its lag or lead.
    const causes = this.s.orders!.causes;
    for (let i = 0; i < causes.length; i++) {
      const cz = causes[i];
      const uCount = a.u();
      if (cz.categories !== null && !cz.categories[cat]) continue;
      const count = poissonQuantile(cz.perOrder, uCount);
      const rng = this.causeRng[i];
      for (let j = 0; j < count; j++) {
        const u = rng.u();
        let at = placedAt;
        if (cz.lag !== null) at += cz.lag.quantile(u);
        else if (cz.lead !== null) at -= Math.min(cz.lead.quantile(u), this.lookahead);
        if (at < 0) continue; // a question before the horizon began
        if (at < now) at = now; // rounding only
        if (at < this.horizon) this.host.spawnContact(this.src.causes[i], at, -1);
      }
    }
    this.host.eq.push(placedAt, PRI[EV_ORDER], (o << 4) | EV_ORDER);
    // The next order.
    const next = this.host.nextOrderTime(placedAt);
    if (next < this.horizon) {
      this.pendingAt = next;
      this.host.eq.push(Math.max(now, next - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
    }
  }

  /** The order is placed: into the warehouse queue, and a where-is-my-order check is planned. */
  onPlaced(o: number): void {
    const now = this.host.eq.now;
    const f = o * OF, n = o * OI;
    this.host.daily.add('orders', now);
    this.oi[n + I_STATE] = PLACED;
    const lg = this.s.logistics;
    if (lg === null) {
      this.unref(o);
      return;
    }
    this.of[f + O_PROMISED] = now + lg.promiseSec;
    // warehouse FIFO
    this.oi[n + I_NEXT] = -1;
    if (this.whTail >= 0) this.oi[this.whTail * OI + I_NEXT] = o;
    else this.whHead = o;
    this.whTail = o;
    this.whCount++;
    this.oi[n + I_REFS]++; // the warehouse holds it until shipped (released at delivery)
    if (lg.wismo !== null) {
      const at = this.of[f + O_PROMISED] + lg.wismo.after.quantile(this.of[f + O_U_WISMO_AFTER]);
      if (at < this.horizon) {
        this.oi[n + I_REFS]++;
        this.host.eq.push(at, PRI[EV_WISMO], (o << 4) | EV_WISMO);
      }
    }
    this.unref(o); // the ORDER event itself
  }

  /** The day's dispatch wave: oldest orders first, up to the day's capacity. */
  onDispatch(day: number): void {
    const now = this.host.eq.now;
    const lg = this.s.logistics!;
    const n = Math.min(this.whCount, Math.floor(lg.dispatchPerDay[day]));
    let stretch = 1;
    if (lg.congestion !== null && n > lg.congestion.normalPerDay) stretch = Math.pow(n / lg.congestion.normalPerDay, lg.congestion.elasticity);
    for (let j = 0; j < n; j++) {
      const o = this.whHead;
      this.whHead = this.oi[o * OI + I_NEXT];
      if (this.whHead < 0) this.whTail = -1;
      this.whCount--;
      const f = o * OF;
      this.oi[o * OI + I_STATE] = SHIPPED;
      this.of[f + O_DISPATCHED] = now;
      this.host.daily.add('shipped', now);
      if (now > this.of[f + O_PLACED] + lg.shipWithinSec) this.host.daily.add('shippedLate', now);
      const at = now + lg.transit.quantile(this.of[f + O_U_TRANSIT]) * stretch;
      this.of[f + O_DELIVERED] = at;
      this.inTransit++;
      if (at < this.horizon) this.host.eq.push(at, PRI[EV_DELIVERY], (o << 4) | EV_DELIVERY);
    }
  }

  onDelivered(o: number): void {
    const now = this.host.eq.now;
    const f = o * OF;
    this.oi[o * OI + I_STATE] = DELIVERED;
    this.inTransit--;
    this.host.daily.add('delivered', now);
    const late = now - this.of[f + O_PROMISED];
    const cp = this.s.complaints;
    if (late > 0) {
      this.host.daily.add('deliveredLate', now);
      this.host.daily.add('lateParcels', this.of[f + O_PROMISED]);
      if (cp !== null && cp.late !== null && this.of[f + O_U_LATE] < Math.min(cp.late.max, (cp.late.perDay * late) / 86400)) {
        this.host.complain('late', now);
      }
    }
    const rt = this.s.returns;
    const cat = this.oi[o * OI + I_CAT];
    if (rt !== null && this.of[f + O_U_RETURN] < this.s.orders!.categories[cat].returnRate) {
      const at = now + rt.lag.quantile(this.of[f + O_U_RETURN_LAG]);
      if (at < this.horizon) {
        this.oi[o * OI + I_REFS]++;
        this.host.eq.push(at, PRI[EV_RETURN], (o << 4) | EV_RETURN);
      }
    }
    this.unref(o); // the warehouse/transit hold
  }

  onWismoCheck(o: number): void {
    const now = this.host.eq.now;
    const wm = this.s.logistics!.wismo!;
    if (this.oi[o * OI + I_STATE] !== DELIVERED && this.of[o * OF + O_U_WISMO] < wm.probability) {
      this.host.daily.add('wismo', now);
      this.host.spawnContact(this.src.wismo, now, -1);
    }
    this.unref(o);
  }

  onReturn(o: number): void {
    const now = this.host.eq.now;
    const f = o * OF;
    const rt = this.s.returns!;
    this.host.daily.add('returns', now);
    this.of[f + O_RETURNED] = now;
    // the after-sales ticket keeps the order alive until the refund
    if (rt.refund !== null) this.oi[o * OI + I_REFS]++;
    this.host.spawnContact(this.src.returnTicket, now, rt.refund !== null ? o : -1);
    if (rt.chat !== null && this.of[f + O_U_RET_CHAT] < rt.chat.probability) this.host.spawnContact(this.src.returnChat, now, -1);
    this.unref(o);
  }

  /** The after-sales ticket of order o was closed: the refund follows after the processing time. */
  onTicketClosed(o: number): void {
    const rf = this.s.returns!.refund!;
    const at = this.host.eq.now + rf.time.quantile(this.of[o * OF + O_U_REFUND]);
    if (at < this.horizon) this.host.eq.push(at, PRI[EV_REFUND], (o << 4) | EV_REFUND);
    else this.unref(o);
  }

  onRefund(o: number): void {
    const now = this.host.eq.now;
    const rf = this.s.returns!.refund!;
    this.host.daily.add('refunds', now);
    const over = now - this.of[o * OF + O_RETURNED] - rf.promiseSec;
    if (over > 0) {
      this.host.daily.add('refundsLate', now);
      const cp = this.s.complaints;
      if (cp !== null && cp.refundDelay !== null && this.of[o * OF + O_U_REFUND_COMPLAINT] < Math.min(cp.refundDelay.max, (cp.refundDelay.perDay * over) / 86400)) {
        this.host.complain('refund', now);
      }
    }
    this.unref(o);
  }

  /** At the end of the horizon: parcels not delivered although their promise has passed are late. */
  finish(end: number): void {
    if (this.s.logistics === null) return;
    for (let o = 0; o < this.cap; o++) {
      const st = this.oi[o * OI + I_STATE];
      if ((st === PLACED || st === SHIPPED) && this.oi[o * OI + I_REFS] > 0 && this.of[o * OF + O_PROMISED] < end) {
        this.host.daily.add('lateParcels', this.of[o * OF + O_PROMISED]);
      }
    }
  }

  // Storage ----------------------------------------------------------------------------------

  private unref(o: number): void {
    if (--this.oi[o * OI + I_REFS] === 0) {
      this.oi[o * OI + I_NEXT] = this.freeHead;
      this.freeHead = o;
      this.live--;
    }
  }

  private alloc(): number {
    if (this.freeHead < 0) this.grow(this.cap * 2);
    const o = this.freeHead;
    this.freeHead = this.oi[o * OI + I_NEXT];
    if (++this.live > this.peakLive) this.peakLive = this.live;
    return o;
  }

  private grow(cap: number): void {
    if (cap > MAX_LIVE.orders) throw tooManyInSystem(this.s, 'orders', this.host.eq.now);
    const f = new ArrayBuffer(cap * OF * 8), i = new ArrayBuffer(cap * OI * 4);
    new Float64Array(f).set(this.of);
    new Int32Array(i).set(this.oi);
    this.use(f, i);
  }

  /** The order records live in these buffers from now on; new slots go onto the free list, lowest first. */
  private use(f: ArrayBuffer, i: ArrayBuffer): void {
    const cap = Math.min(Math.floor(f.byteLength / (OF * 8)), Math.floor(i.byteLength / (OI * 4)));
    this.of = new Float64Array(f);
    this.oi = new Int32Array(i);
    for (let o = cap - 1; o >= this.cap; o--) {
      this.oi[o * OI + I_NEXT] = this.freeHead;
      this.freeHead = o;
    }
    this.cap = cap;
  }

  /** The run is over: the stores go to the next replication on this thread (spare.ts). */
  giveBackStorage(): void {
    giveBuffer('orders.f', this.of.buffer as ArrayBuffer);
    giveBuffer('orders.i', this.oi.buffer as ArrayBuffer);
  }
}

/** Smallest k with P(Poisson(mean) ≤ k) ≥ u: one uniform per draw (common random numbers). */
export function poissonQuantile(mean: number, u: number): number {
  if (mean <= 0) return 0;
  let k = 0, p = Math.exp(-mean), cum = p;
  while (cum < u && k < 10000) {
    k++;
    p *= mean / k;
    cum += p;
  }
  return k;
}

export type { Distribution };
