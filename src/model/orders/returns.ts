// Returns after delivery: a share of each category comes back after the return lag; each return
// opens an after-sales ticket (and, for some customers, a chat), and a closed ticket starts the
// refund, which is late after its promise — and late refunds cause complaints.

import { EV_REFUND, EV_RETURN, PRI } from '../events.js';
import { Day } from '../../stats/daily.js';
import type { OrderParts } from './host.js';
import { O, OI, unref } from './records.js';

export class ReturnsFlow {
  /**
   * Returned orders whose refund is still to come (their ticket open, or the refund on its way):
   * the only order records whose life depends on the staffing (the tape's peak, tape.ts).
   */
  refundsPending = 0;

  constructor(private readonly x: OrderParts) {}

  /** Order o is delivered at `at` (known when it ships): does it come back, and when? */
  afterDelivery(o: number, at: number): void {
    const { s, store } = this.x;
    const of = store.f, oi = store.i;
    const rt = s.returns;
    const cat = oi[o * O.INTS + OI.CAT];
    if (rt !== null && of[o * O.DOUBLES + O.U_RETURN] < s.orders!.categories[cat].returnRate) {
      const back = at + rt.lag.quantile(of[o * O.DOUBLES + O.U_RETURN_LAG]);
      if (back < this.x.horizon) {
        oi[o * O.INTS + OI.REFS]++;
        this.x.host.eq.push(back, PRI[EV_RETURN], (o << 4) | EV_RETURN);
        this.x.tape?.returned(back, of, o * O.DOUBLES);
      }
    }
  }

  onReturn(o: number): void {
    const { s, store, host, src } = this.x;
    const of = store.f, oi = store.i;
    const now = host.eq.now;
    const f = o * O.DOUBLES;
    const rt = s.returns!;
    host.daily.add(Day.RETURNS, now);
    of[f + O.RETURNED] = now;
    // the after-sales ticket keeps the order alive until the refund
    if (rt.refund !== null) {
      oi[o * O.INTS + OI.REFS]++;
      this.refundsPending++;
    }
    host.spawnContact(src.returnTicket, now, rt.refund !== null ? o : -1);
    if (rt.chat !== null && of[f + O.U_RET_CHAT] < rt.chat.probability) host.spawnContact(src.returnChat, now, -1);
    unref(store, o);
  }

  /** The after-sales ticket of order o was closed: the refund follows after the processing time. */
  onTicketClosed(o: number): void {
    const { s, store, host } = this.x;
    const of = store.f, oi = store.i;
    const rf = s.returns!.refund!;
    const at = host.eq.now + rf.time.quantile(of[o * O.DOUBLES + O.U_REFUND]);
    if (at < this.x.horizon) host.eq.push(at, PRI[EV_REFUND], (o << 4) | EV_REFUND);
    else {
      this.refundsPending--;
      unref(store, o);
    }
  }

  onRefund(o: number): void {
    const { s, store, host } = this.x;
    const of = store.f, oi = store.i;
    const now = host.eq.now;
    const rf = s.returns!.refund!;
    host.daily.add(Day.REFUNDS, now);
    const over = now - of[o * O.DOUBLES + O.RETURNED] - rf.promiseSec;
    if (over > 0) {
      host.daily.add(Day.REFUNDS_LATE, now);
      if (host.complaints.afterLateRefund(of[o * O.DOUBLES + O.U_REFUND_COMPLAINT], over)) host.complain('refund', now);
    }
    this.refundsPending--;
    unref(store, o);
  }
}
