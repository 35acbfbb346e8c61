// The order flow that drives most of a promotion's contacts: orders arrive on their curve, each
// with its category and the questions it causes before and after (a Poisson number per cause, at
// its lead or lag); placed orders go to logistics (logistics.ts), delivered ones may come back
// (returns.ts). Every uniform an order will ever need is drawn when it is created, from the
// order streams, in order sequence (common random numbers).

import { openStream, type RandomStream } from '../../engine/random.js';
import type { RecordStore } from '../../engine/store.js';
import type { Scenario } from '../../scenario/types.js';
import { EV_ORDER, EV_ORDER_GEN, PRI } from '../events.js';
import type { OrderHost, OrderParts, OrderSources } from './host.js';
import { LogisticsFlow } from './logistics.js';
import { O, OI, OrderState, orderStore, unref } from './records.js';
import { ReturnsFlow } from './returns.js';

export type { OrderHost, OrderSources } from './host.js';

export class OrderFlow {
  private readonly s: Scenario;
  private readonly host: OrderHost;
  private readonly src: OrderSources;
  private readonly store: RecordStore;
  private readonly attrs: RandomStream;
  private readonly causeRng: RandomStream[];
  private readonly lookahead: number;
  private readonly horizon: number;
  private readonly cumShare: Float64Array;
  /** Placement time of the order the pending ORDER_GEN event will create. */
  private pendingAt = 0;
  readonly logistics: LogisticsFlow | null;
  readonly returns: ReturnsFlow;

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
    this.store = orderStore(s, () => host.eq.now);
    const parts: OrderParts = { s, host, store: this.store, src: sources, horizon: this.horizon };
    this.returns = new ReturnsFlow(parts);
    this.logistics = s.logistics !== null ? new LogisticsFlow(parts, this.returns) : null;
  }

  /** Most orders alive at once. */
  get peakLive(): number {
    return this.store.peakLive;
  }

  /** Schedule the first order and the dispatch waves. */
  start(): void {
    const t = this.host.nextOrderTime(0);
    if (t < this.horizon) {
      this.pendingAt = t;
      this.host.eq.push(Math.max(0, t - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
    }
    this.logistics?.start();
  }

  /** The order process reached the next order, placed at pendingAt (now, or up to the lookahead later). */
  onGenerate(): void {
    const now = this.host.eq.now;
    const placedAt = this.pendingAt;
    const store = this.store;
    const o = store.alloc();
    const of = store.f, oi = store.i, f = o * O.DOUBLES, n = o * O.INTS;
    const a = this.attrs;
    // Every uniform the order will need, in a fixed order: category, then its fate.
    const uc = a.u();
    let cat = 0;
    while (cat < this.cumShare.length - 1 && uc >= this.cumShare[cat]) cat++;
    oi[n + OI.CAT] = cat;
    oi[n + OI.STATE] = OrderState.PENDING;
    oi[n + OI.REFS] = 1; // the ORDER event
    of[f + O.PLACED] = placedAt;
    of[f + O.DELIVERED] = Infinity;
    for (let k = O.U_TRANSIT; k <= O.U_REFUND_COMPLAINT; k++) of[f + k] = a.u();
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

  /** The order is placed: counted, and into the warehouse queue when there is logistics. */
  onPlaced(o: number): void {
    const now = this.host.eq.now;
    this.host.daily.add('orders', now);
    this.store.i[o * O.INTS + OI.STATE] = OrderState.PLACED;
    this.logistics?.placed(o, now);
    unref(this.store, o); // the ORDER event itself
  }

  /** At the end of the horizon (late parcels still on the way). */
  finish(end: number): void {
    this.logistics?.finish(end);
  }

  /** The run is over: the store goes to the next replication on this thread (spare.ts). */
  giveBackStorage(): void {
    this.store.giveBack();
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
