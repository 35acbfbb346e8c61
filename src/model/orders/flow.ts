// The order flow that drives most of a promotion's contacts: orders arrive on their curve, each
// with its category and the questions it causes before and after (a Poisson number per cause, at
// its lead or lag); placed orders go to logistics (logistics.ts), delivered ones may come back
// (returns.ts). Every uniform an order will ever need is drawn when it is created, from the
// order streams, in order sequence (common random numbers).

import { openStream, type RandomStream } from '../../engine/random.js';
import type { RecordStore } from '../../engine/store.js';
import type { Scenario } from '../../scenario/types.js';
import { EV_ORDER_GEN, PRI } from '../events.js';
import { OrderParts, type OrderHost, type OrderSources } from './host.js';
import { Day } from '../../stats/daily.js';
import { LogisticsFlow } from './logistics.js';
import { O, OI, orderStore } from './records.js';
import { ReturnsFlow } from './returns.js';
import { keepTape, type OrderTape } from './tape.js';

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
  /** Per cause, P(no question) = e^-perOrder: most orders ask nothing, and need no more than this. */
  private readonly noneP: Float64Array;
  /** Placement time of the first order the pending ORDER_GEN event will create. */
  private pendingAt = 0;
  /** Orders created so far: their serial numbers (the trace's order ids). */
  private serial = 0;
  readonly logistics: LogisticsFlow | null;
  readonly returns: ReturnsFlow;

  /** Recording this replication's order flow for later runs with other staffing (tape.ts), or null. */
  private readonly tape: OrderTape | null;

  constructor(s: Scenario, host: OrderHost, sources: OrderSources, seed: number, replication: number, tape: OrderTape | null = null) {
    this.s = s;
    this.host = host;
    this.src = sources;
    const o = s.orders!;
    this.attrs = openStream(seed, replication, 'orders/attributes');
    this.causeRng = o.causes.map((_, i) => openStream(seed, replication, `orders/cause${i}`));
    this.lookahead = o.causes.some((c) => c.lead !== null) ? o.lookaheadSec : 0;
    this.horizon = s.calendar.horizonSec;
    this.noneP = Float64Array.from(o.causes, (c) => (c.perOrder <= 0 ? 1 : Math.exp(-c.perOrder)));
    this.cumShare = new Float64Array(o.categories.length);
    let acc = 0;
    o.categories.forEach((c, i) => { acc += c.share; this.cumShare[i] = acc; });
    this.store = orderStore(s, () => host.eq.now);
    this.tape = tape;
    const parts = new OrderParts(s, host, this.store, sources, this.horizon, tape);
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
      this.tape?.push(this.tape.start, Math.max(0, t - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
    }
    this.logistics?.start();
    this.tape?.end(this.tape.start);
  }

  /**
   * The order process reached the next order: this order, placed at pendingAt (now, or up to the
   * lookahead later), and the ones after it that are due within GEN_BATCH_SEC are created now, in
   * order. Why in batches: one event per order was 15% of the events of a replication of the
   * built-in scenario. Nothing an order does depends on when it is created: its uniforms come from
   * the order streams in order sequence, its questions are timed from its placement (never before
   * the time its own creation was due, so never before now), and the warehouse only counts it from
   * its placement on (logistics.ts).
   */
  onGenerate(): void {
    const now = this.host.eq.now;
    const until = now + GEN_BATCH_SEC;
    let placedAt = this.pendingAt;
    for (let k = 1; ; k++) {
      this.create(placedAt, now);
      placedAt = this.host.nextOrderTime(placedAt);
      if (placedAt >= this.horizon) {
        this.tape?.end(this.tape.gen);
        return;
      }
      if (placedAt - this.lookahead >= until || k === GEN_BATCH_MAX) break;
    }
    this.pendingAt = placedAt;
    this.host.eq.push(Math.max(now, placedAt - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
    if (this.tape !== null) {
      this.tape.push(this.tape.gen, Math.max(now, placedAt - this.lookahead), PRI[EV_ORDER_GEN], (0 << 4) | EV_ORDER_GEN);
      this.tape.end(this.tape.gen);
    }
  }

  /** One order, placed at placedAt ≥ now: its uniforms, its questions, its place in the warehouse. */
  private create(placedAt: number, now: number): void {
    const store = this.store;
    const o = store.alloc();
    // (recording: the most records alive this call that do not depend on the staffing, tape.ts)
    if (this.tape !== null) this.tape.genPeak = Math.max(this.tape.genPeak, store.live - this.returns.refundsPending);
    const of = store.f, oi = store.i, f = o * O.DOUBLES, n = o * O.INTS;
    const a = this.attrs;
    // Every uniform the order will need, in a fixed order: category, then its fate.
    const uc = a.u();
    let cat = 0;
    while (cat < this.cumShare.length - 1 && uc >= this.cumShare[cat]) cat++;
    oi[n + OI.CAT] = cat;
    oi[n + OI.REFS] = 0;
    of[f + O.PLACED] = placedAt;
    const serial = this.serial++;
    if (this.host.traceOrder !== null) this.host.traceOrder(placedAt, serial);
    for (let k = O.U_TRANSIT; k <= O.U_REFUND_COMPLAINT; k++) of[f + k] = a.u();
    // Questions this order causes: a Poisson number per cause, each at its lag or lead.
    const causes = this.s.orders!.causes;
    for (let i = 0; i < causes.length; i++) {
      const cz = causes[i];
      const uCount = a.u();
      if (cz.categories !== null && !cz.categories[cat]) continue;
      const count = uCount <= this.noneP[i] ? 0 : poissonQuantile(cz.perOrder, uCount, this.noneP[i]);
      const rng = this.causeRng[i];
      for (let j = 0; j < count; j++) {
        const u = rng.u();
        let at = placedAt;
        if (cz.lag !== null) at += cz.lag.quantile(u);
        else if (cz.lead !== null) at -= Math.min(cz.lead.quantile(u), this.lookahead);
        if (at < 0) continue; // a question before the horizon began
        if (at < now) at = now; // rounding only
        if (at < this.horizon) {
          this.host.spawnContact(this.src.causes[i], at, -1, serial);
          this.tape?.spawn(this.tape.gen, this.src.causes[i], at);
        }
      }
    }
    // Placed (counted on the day of its placement) and, with logistics, into the warehouse.
    this.host.daily.add(Day.ORDERS, placedAt);
    this.logistics?.placed(o, placedAt);
    if (oi[n + OI.REFS] === 0) store.release(o);
  }

  /** At the end of the horizon (late parcels still in the warehouse). */
  finish(end: number): void {
    this.logistics?.finish(end);
    if (this.tape !== null) {
      this.tape.close(this.s, this.host.daily.c);
      keepTape(this.tape);
    }
  }

  /** The run is over: the store goes to the next replication on this thread (spare.ts). */
  giveBackStorage(): void {
    this.store.giveBack();
  }
}

/** Orders due within this many seconds of the one whose creation is due are created with it. */
const GEN_BATCH_SEC = 3600;
/** ... at most this many at once (a burst of orders never holds more records than this early). */
const GEN_BATCH_MAX = 512;

/**
 * Smallest k with P(Poisson(mean) ≤ k) ≥ u: one uniform per draw (common random numbers). `p0` is
 * e^-mean, which the caller keeps (one Math.exp per order and cause was 1% of a replication).
 */
export function poissonQuantile(mean: number, u: number, p0 = Math.exp(-mean)): number {
  if (mean <= 0) return 0;
  let k = 0, p = p0, cum = p;
  while (cum < u && k < 10000) {
    k++;
    p *= mean / k;
    cum += p;
  }
  return k;
}
