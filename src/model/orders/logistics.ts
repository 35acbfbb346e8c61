// Logistics: the warehouse's daily dispatch wave (the oldest orders first, up to the day's
// capacity, at the cutoff), carriers' transit stretched by volume, delivery against the promise,
// where-is-my-order contacts from customers still waiting, and the complaints late parcels cause.
//
// Rules (docs/model.md): orders placed up to the day's cutoff are eligible for that day's wave;
// transit = the carrier's time × (shipped that day / normalPerDay)^elasticity when above normal;
// a parcel delivered after the promise (order time + promise) is late. A customer whose parcel
// has not arrived by the promise + `after` contacts the store with probability `probability`, so
// the chance rises with lateness.
//
// How, without an event per parcel: a parcel's delivery time is known the moment it ships, so the
// dispatch wave counts its delivery (on the day it happens), its lateness and its return there,
// and schedules an event only where something happens at that time: the complaint of a late
// parcel's customer. Likewise a where-is-my-order check is decided as soon as its outcome is
// known, and an event scheduled only for the customers who do contact the store: at dispatch (the
// parcel arrives after the check time, or not), and for orders still in the warehouse, at their
// placement or at each wave, once no wave can ship them before their check. Parcels in transit at
// a day's end are those shipped less those delivered by then. Before (an event per order for its
// placement, its delivery and its check) these were 45% of the events of a replication of the
// built-in scenario; the results are the same, event for event (the same-time order of
// docs/model.md included: a delivery at the very time of a check comes first).

import { EV_DISPATCH, EV_LATE_PARCEL, EV_WISMO, PRI } from '../events.js';
import { Day } from '../../stats/daily.js';
import type { OrderParts } from './host.js';
import { O, OI, unref } from './records.js';
import type { ReturnsFlow } from './returns.js';

export class LogisticsFlow {
  // Warehouse FIFO: orders created and not yet shipped, in placement order, in a ring of order
  // numbers with their placement times beside them. Orders are created up to the lookahead before
  // their placement, so the ring's first `scan - head` are placed and `scan` is the first not yet
  // known to be. Why a ring and not a list through the records: counting the orders placed before
  // a wave read each record days after it was written, a cache miss per order (2% of a built-in
  // replication); the ring's times are read in order.
  private ringO = new Int32Array(1024);
  private ringT = new Float64Array(1024);
  private mask = 1023;
  /** Ring positions (they only grow; an entry is at position & mask): first in, first not known placed, next free. */
  private head = 0;
  private scan = 0;
  private tail = 0;
  /** The dispatch waves' times, in order. */
  private readonly waves: number[] = [];
  /** The first wave after the order last placed (placements come in time order). */
  private waveAt = 0;
  private shipped = 0;
  /** Deliveries up to each day's end (scheduled at dispatch, by the first day end at or after them). */
  private readonly deliveredBy: Float64Array;
  /** Deliveries up to the last day end passed, and that day. */
  private delivered = 0;
  private dayEndsPassed = 0;
  private readonly dayEnd: Float64Array;

  constructor(private readonly x: OrderParts, private readonly returns: ReturnsFlow) {
    const { s, host } = x;
    this.deliveredBy = new Float64Array(s.days);
    this.dayEnd = Float64Array.from({ length: s.days }, (_, d) => Math.min(host.daily.dayStart(d + 1), x.horizon));
  }

  /** Schedule the day's dispatch waves. */
  start(): void {
    const { s, host } = this.x;
    const lg = s.logistics!;
    for (let d = 0; d < s.days; d++) {
      const at = host.daily.dayStart(d) + lg.cutoffSec;
      if (at >= 0 && at < this.x.horizon) {
        host.eq.push(at, PRI[EV_DISPATCH], (d << 4) | EV_DISPATCH);
        this.x.tape?.push(this.x.tape.start, at, PRI[EV_DISPATCH], (d << 4) | EV_DISPATCH);
        this.waves.push(at);
      }
    }
  }

  /** Orders placed before t and not shipped (an order placed at a wave's or a day end's very time comes after it). */
  private placedBefore(t: number): number {
    const ringT = this.ringT, mask = this.mask, tail = this.tail;
    let k = this.scan;
    while (k < tail && ringT[k & mask] < t) k++;
    this.scan = k;
    return k - this.head;
  }

  /** Order o, placed at placedAt, at the end of the ring (which doubles when full, in order). */
  private enqueue(o: number, placedAt: number): void {
    if (this.tail - this.head > this.mask) {
      const n = this.tail - this.head, cap = 2 * (this.mask + 1);
      const ro = new Int32Array(cap), rt = new Float64Array(cap);
      for (let j = 0; j < n; j++) {
        ro[j] = this.ringO[(this.head + j) & this.mask];
        rt[j] = this.ringT[(this.head + j) & this.mask];
      }
      this.ringO = ro;
      this.ringT = rt;
      this.mask = cap - 1;
      this.scan -= this.head;
      this.tail = n;
      this.head = 0;
    }
    this.ringO[this.tail & this.mask] = o;
    this.ringT[this.tail & this.mask] = placedAt;
    this.tail++;
  }

  /** The index of the first wave after t, from index `from` on (waves.length: none). */
  private waveAfter(t: number, from: number): number {
    let k = from;
    while (k < this.waves.length && this.waves[k] <= t) k++;
    return k;
  }

  /** At a day's end (time t): orders in the warehouse. */
  warehouseAt(t: number): number {
    const n = this.placedBefore(t);
    this.x.tape?.levels.push(n);
    return n;
  }

  /** At day d's end: parcels shipped and not yet delivered. */
  transitAtDayEnd(d: number): number {
    for (; this.dayEndsPassed <= d; this.dayEndsPassed++) this.delivered += this.deliveredBy[this.dayEndsPassed];
    this.x.tape?.levels.push(this.shipped - this.delivered);
    return this.shipped - this.delivered;
  }

  /** Order o, placed at placedAt, joins the warehouse queue; its where-is-my-order check is planned. */
  placed(o: number, placedAt: number): void {
    const { s, store, host } = this.x;
    const of = store.f, oi = store.i;
    const lg = s.logistics!;
    const f = o * O.DOUBLES, n = o * O.INTS;
    of[f + O.PROMISED] = placedAt + lg.promiseSec;
    this.enqueue(o, placedAt);
    oi[n + OI.REFS]++; // the warehouse holds it until shipped
    let check = Infinity;
    if (lg.wismo !== null && of[f + O.U_WISMO] < lg.wismo.probability) {
      const at = of[f + O.PROMISED] + lg.wismo.after.quantile(of[f + O.U_WISMO_AFTER]);
      if (at < this.x.horizon) check = at;
    }
    // no wave can ship it before its check: the customer will ask
    this.waveAt = this.waveAfter(placedAt, this.waveAt);
    if (check < (this.waves[this.waveAt] ?? Infinity)) {
      host.eq.push(check, PRI[EV_WISMO], EV_WISMO);
      this.x.tape?.push(this.x.tape.gen, check, PRI[EV_WISMO], EV_WISMO);
      check = Infinity;
    }
    of[f + O.WISMO_AT] = check;
  }

  /** The day's dispatch wave: oldest orders first, up to the day's capacity. */
  onDispatch(day: number): void {
    const { s, store, host } = this.x;
    const of = store.f;
    const now = host.eq.now;
    const lg = s.logistics!;
    const horizon = this.x.horizon;
    const waiting = this.placedBefore(now);
    const n = Math.min(waiting, Math.floor(lg.dispatchPerDay[day]));
    let stretch = 1;
    if (lg.congestion !== null && n > lg.congestion.normalPerDay) stretch = Math.pow(n / lg.congestion.normalPerDay, lg.congestion.elasticity);
    host.daily.add(Day.SHIPPED, now, n);
    let shippedLate = 0;
    for (let j = 0; j < n; j++) {
      const o = this.ringO[this.head++ & this.mask];
      const f = o * O.DOUBLES;
      if (now > of[f + O.PLACED] + lg.shipWithinSec) shippedLate++;
      const at = now + lg.transit.quantile(of[f + O.U_TRANSIT]) * stretch;
      this.shipped++;
      const promised = of[f + O.PROMISED];
      // the check (at or after now) finds the parcel still on its way
      const check = of[f + O.WISMO_AT];
      if (check < at) {
        host.eq.push(check, PRI[EV_WISMO], EV_WISMO);
        this.x.tape?.push(this.x.tape.dispatch, check, PRI[EV_WISMO], EV_WISMO);
      }
      if (at < horizon) {
        const d = this.dayEndOf(at);
        if (d < this.dayEndsPassed) this.delivered++; // at the very time of a day end just passed
        else this.deliveredBy[d]++;
        host.daily.add(Day.DELIVERED, at);
        const late = at - promised;
        if (late > 0) {
          host.daily.add(Day.DELIVERED_LATE, at);
          host.daily.add(Day.LATE_PARCELS, promised);
          if (host.complaints.afterLateParcel(of[f + O.U_LATE], late)) {
            host.eq.push(at, PRI[EV_LATE_PARCEL], EV_LATE_PARCEL);
            this.x.tape?.push(this.x.tape.dispatch, at, PRI[EV_LATE_PARCEL], EV_LATE_PARCEL);
          }
        }
        this.returns.afterDelivery(o, at);
      } else if (promised < horizon) host.daily.add(Day.LATE_PARCELS, promised); // still on the way at the end
      unref(store, o);
    }
    if (shippedLate > 0) host.daily.add(Day.SHIPPED_LATE, now, shippedLate);
    // Orders left waiting whose check comes before the next wave: the customer will ask.
    const next = this.waves[this.waveAfter(now, 0)] ?? Infinity;
    for (let k = this.head; k < this.scan; k++) {
      const f = this.ringO[k & this.mask] * O.DOUBLES;
      if (of[f + O.PROMISED] >= next) break; // its check and every later one's (placement order) are at or after next
      if (of[f + O.WISMO_AT] < next) {
        host.eq.push(of[f + O.WISMO_AT], PRI[EV_WISMO], EV_WISMO);
        this.x.tape?.push(this.x.tape.dispatch, of[f + O.WISMO_AT], PRI[EV_WISMO], EV_WISMO);
        of[f + O.WISMO_AT] = Infinity;
      }
    }
    this.x.tape?.end(this.x.tape.dispatch);
  }

  /** The day whose end is the first at or after t (a delivery at a day end's very time comes before it). */
  private dayEndOf(t: number): number {
    let d = this.x.host.daily.dayOf(t);
    while (d > 0 && t <= this.dayEnd[d - 1]) d--;
    while (d < this.dayEnd.length - 1 && t > this.dayEnd[d]) d++;
    return d;
  }

  /** A late parcel arrives and its customer complains. */
  onLateParcel(): void {
    this.x.host.complain('late', this.x.host.eq.now);
  }

  /** A customer whose parcel has not come asks where it is. */
  onWismo(): void {
    const { host, src } = this.x;
    const now = host.eq.now;
    host.daily.add(Day.WISMO, now);
    host.spawnContact(src.wismo, now, -1);
  }

  /** At the end of the horizon: orders still in the warehouse whose promise has passed are late. */
  finish(end: number): void {
    const { store, host } = this.x;
    const of = store.f;
    for (let k = this.head; k < this.tail; k++) {
      const o = this.ringO[k & this.mask];
      if (of[o * O.DOUBLES + O.PROMISED] < end) host.daily.add(Day.LATE_PARCELS, of[o * O.DOUBLES + O.PROMISED]);
    }
  }
}
