// Logistics: the warehouse's daily dispatch wave (the oldest orders first, up to the day's
// capacity, at the cutoff), carriers' transit stretched by volume, delivery against the promise,
// where-is-my-order contacts from customers still waiting, and the complaints late parcels cause.
//
// Rules (docs/model.md): orders placed up to the day's cutoff are eligible for that day's wave;
// transit = the carrier's time × (shipped that day / normalPerDay)^elasticity when above normal;
// a parcel delivered after the promise (order time + promise) is late. A customer whose parcel
// has not arrived by the promise + `after` contacts the store with probability `probability`, so
// the chance rises with lateness.

import { EV_DELIVERY, EV_DISPATCH, EV_WISMO, PRI } from '../events.js';
import type { OrderParts } from './host.js';
import { O, OI, OrderState, unref } from './records.js';
import type { ReturnsFlow } from './returns.js';

export class LogisticsFlow {
  // Warehouse FIFO (orders placed, not yet shipped), linked through OI.NEXT.
  private whHead = -1;
  private whTail = -1;
  private whCount = 0;
  private inTransit = 0;

  constructor(private readonly x: OrderParts, private readonly returns: ReturnsFlow) {}

  /** Schedule the day's dispatch waves. */
  start(): void {
    const { s, host } = this.x;
    const lg = s.logistics!;
    for (let d = 0; d < s.days; d++) {
      const at = host.daily.dayStart(d) + lg.cutoffSec;
      if (at >= 0 && at < this.x.horizon) host.eq.push(at, PRI[EV_DISPATCH], (d << 4) | EV_DISPATCH);
    }
  }

  get warehouse(): number {
    return this.whCount;
  }

  get transit(): number {
    return this.inTransit;
  }

  /** A placed order joins the warehouse queue, and its where-is-my-order check is planned. */
  placed(o: number, now: number): void {
    const { s, store, host } = this.x;
    const of = store.f, oi = store.i;
    const lg = s.logistics!;
    const f = o * O.DOUBLES, n = o * O.INTS;
    of[f + O.PROMISED] = now + lg.promiseSec;
    oi[n + OI.NEXT] = -1;
    if (this.whTail >= 0) oi[this.whTail * O.INTS + OI.NEXT] = o;
    else this.whHead = o;
    this.whTail = o;
    this.whCount++;
    oi[n + OI.REFS]++; // the warehouse holds it until shipped (released at delivery)
    if (lg.wismo !== null) {
      const at = of[f + O.PROMISED] + lg.wismo.after.quantile(of[f + O.U_WISMO_AFTER]);
      if (at < this.x.horizon) {
        oi[n + OI.REFS]++;
        host.eq.push(at, PRI[EV_WISMO], (o << 4) | EV_WISMO);
      }
    }
  }

  /** The day's dispatch wave: oldest orders first, up to the day's capacity. */
  onDispatch(day: number): void {
    const { s, store, host } = this.x;
    const of = store.f, oi = store.i;
    const now = host.eq.now;
    const lg = s.logistics!;
    const n = Math.min(this.whCount, Math.floor(lg.dispatchPerDay[day]));
    let stretch = 1;
    if (lg.congestion !== null && n > lg.congestion.normalPerDay) stretch = Math.pow(n / lg.congestion.normalPerDay, lg.congestion.elasticity);
    for (let j = 0; j < n; j++) {
      const o = this.whHead;
      this.whHead = oi[o * O.INTS + OI.NEXT];
      if (this.whHead < 0) this.whTail = -1;
      this.whCount--;
      const f = o * O.DOUBLES;
      oi[o * O.INTS + OI.STATE] = OrderState.SHIPPED;
      of[f + O.DISPATCHED] = now;
      host.daily.add('shipped', now);
      if (now > of[f + O.PLACED] + lg.shipWithinSec) host.daily.add('shippedLate', now);
      const at = now + lg.transit.quantile(of[f + O.U_TRANSIT]) * stretch;
      of[f + O.DELIVERED] = at;
      this.inTransit++;
      if (at < this.x.horizon) host.eq.push(at, PRI[EV_DELIVERY], (o << 4) | EV_DELIVERY);
    }
  }

  onDelivered(o: number): void {
    const { store, host } = this.x;
    const of = store.f, oi = store.i;
    const now = host.eq.now;
    const f = o * O.DOUBLES;
    oi[o * O.INTS + OI.STATE] = OrderState.DELIVERED;
    this.inTransit--;
    host.daily.add('delivered', now);
    const late = now - of[f + O.PROMISED];
    if (late > 0) {
      host.daily.add('deliveredLate', now);
      host.daily.add('lateParcels', of[f + O.PROMISED]);
      if (host.complaints.afterLateParcel(of[f + O.U_LATE], late)) host.complain('late', now);
    }
    this.returns.afterDelivery(o, now);
    unref(store, o); // the warehouse/transit hold
  }

  onWismoCheck(o: number): void {
    const { s, store, host, src } = this.x;
    const of = store.f, oi = store.i;
    const now = host.eq.now;
    const wm = s.logistics!.wismo!;
    if (oi[o * O.INTS + OI.STATE] !== OrderState.DELIVERED && of[o * O.DOUBLES + O.U_WISMO] < wm.probability) {
      host.daily.add('wismo', now);
      host.spawnContact(src.wismo, now, -1);
    }
    unref(store, o);
  }

  /** At the end of the horizon: parcels not delivered although their promise has passed are late. */
  finish(end: number): void {
    const { store, host } = this.x;
    const of = store.f, oi = store.i;
    for (let o = 0; o < store.cap; o++) {
      const st = oi[o * O.INTS + OI.STATE];
      if ((st === OrderState.PLACED || st === OrderState.SHIPPED) && oi[o * O.INTS + OI.REFS] > 0 && of[o * O.DOUBLES + O.PROMISED] < end) {
        host.daily.add('lateParcels', of[o * O.DOUBLES + O.PROMISED]);
      }
    }
  }
}
