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
import { DELIVERED, I_NEXT, I_REFS, I_STATE, O_DELIVERED, O_DISPATCHED, O_PLACED, O_PROMISED, O_U_LATE, O_U_TRANSIT, O_U_WISMO, O_U_WISMO_AFTER, OD, OI, PLACED, SHIPPED, unref } from './records.js';
import type { ReturnsFlow } from './returns.js';

export class LogisticsFlow {
  // Warehouse FIFO (orders placed, not yet shipped), linked through I_NEXT.
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
    const lg = s.logistics!;
    const f = o * OD, n = o * OI;
    store.f[f + O_PROMISED] = now + lg.promiseSec;
    store.i[n + I_NEXT] = -1;
    if (this.whTail >= 0) store.i[this.whTail * OI + I_NEXT] = o;
    else this.whHead = o;
    this.whTail = o;
    this.whCount++;
    store.i[n + I_REFS]++; // the warehouse holds it until shipped (released at delivery)
    if (lg.wismo !== null) {
      const at = store.f[f + O_PROMISED] + lg.wismo.after.quantile(store.f[f + O_U_WISMO_AFTER]);
      if (at < this.x.horizon) {
        store.i[n + I_REFS]++;
        host.eq.push(at, PRI[EV_WISMO], (o << 4) | EV_WISMO);
      }
    }
  }

  /** The day's dispatch wave: oldest orders first, up to the day's capacity. */
  onDispatch(day: number): void {
    const { s, store, host } = this.x;
    const now = host.eq.now;
    const lg = s.logistics!;
    const n = Math.min(this.whCount, Math.floor(lg.dispatchPerDay[day]));
    let stretch = 1;
    if (lg.congestion !== null && n > lg.congestion.normalPerDay) stretch = Math.pow(n / lg.congestion.normalPerDay, lg.congestion.elasticity);
    for (let j = 0; j < n; j++) {
      const o = this.whHead;
      this.whHead = store.i[o * OI + I_NEXT];
      if (this.whHead < 0) this.whTail = -1;
      this.whCount--;
      const f = o * OD;
      store.i[o * OI + I_STATE] = SHIPPED;
      store.f[f + O_DISPATCHED] = now;
      host.daily.add('shipped', now);
      if (now > store.f[f + O_PLACED] + lg.shipWithinSec) host.daily.add('shippedLate', now);
      const at = now + lg.transit.quantile(store.f[f + O_U_TRANSIT]) * stretch;
      store.f[f + O_DELIVERED] = at;
      this.inTransit++;
      if (at < this.x.horizon) host.eq.push(at, PRI[EV_DELIVERY], (o << 4) | EV_DELIVERY);
    }
  }

  onDelivered(o: number): void {
    const { store, host } = this.x;
    const now = host.eq.now;
    const f = o * OD;
    store.i[o * OI + I_STATE] = DELIVERED;
    this.inTransit--;
    host.daily.add('delivered', now);
    const late = now - store.f[f + O_PROMISED];
    if (late > 0) {
      host.daily.add('deliveredLate', now);
      host.daily.add('lateParcels', store.f[f + O_PROMISED]);
      if (host.complaints.afterLateParcel(store.f[f + O_U_LATE], late)) host.complain('late', now);
    }
    this.returns.afterDelivery(o, now);
    unref(store, o); // the warehouse/transit hold
  }

  onWismoCheck(o: number): void {
    const { s, store, host, src } = this.x;
    const now = host.eq.now;
    const wm = s.logistics!.wismo!;
    if (store.i[o * OI + I_STATE] !== DELIVERED && store.f[o * OD + O_U_WISMO] < wm.probability) {
      host.daily.add('wismo', now);
      host.spawnContact(src.wismo, now, -1);
    }
    unref(store, o);
  }

  /** At the end of the horizon: parcels not delivered although their promise has passed are late. */
  finish(end: number): void {
    const { store, host } = this.x;
    for (let o = 0; o < store.cap; o++) {
      const st = store.i[o * OI + I_STATE];
      if ((st === PLACED || st === SHIPPED) && store.i[o * OI + I_REFS] > 0 && store.f[o * OD + O_PROMISED] < end) {
        host.daily.add('lateParcels', store.f[o * OD + O_PROMISED]);
      }
    }
  }
}
