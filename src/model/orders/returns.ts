// Returns after delivery: a share of each category comes back after the return lag; each return
// opens an after-sales ticket (and, for some customers, a chat), and a closed ticket starts the
// refund, which is late after its promise — and late refunds cause complaints.

import { EV_REFUND, EV_RETURN, PRI } from '../events.js';
import type { OrderParts } from './host.js';
import { I_CAT, I_REFS, O_RETURNED, O_U_REFUND, O_U_REFUND_COMPLAINT, O_U_RET_CHAT, O_U_RETURN, O_U_RETURN_LAG, OD, OI, unref } from './records.js';

export class ReturnsFlow {
  constructor(private readonly x: OrderParts) {}

  /** Order o was delivered now: does it come back, and when? */
  afterDelivery(o: number, now: number): void {
    const { s, store } = this.x;
    const rt = s.returns;
    const cat = store.i[o * OI + I_CAT];
    if (rt !== null && store.f[o * OD + O_U_RETURN] < s.orders!.categories[cat].returnRate) {
      const at = now + rt.lag.quantile(store.f[o * OD + O_U_RETURN_LAG]);
      if (at < this.x.horizon) {
        store.i[o * OI + I_REFS]++;
        this.x.host.eq.push(at, PRI[EV_RETURN], (o << 4) | EV_RETURN);
      }
    }
  }

  onReturn(o: number): void {
    const { s, store, host, src } = this.x;
    const now = host.eq.now;
    const f = o * OD;
    const rt = s.returns!;
    host.daily.add('returns', now);
    store.f[f + O_RETURNED] = now;
    // the after-sales ticket keeps the order alive until the refund
    if (rt.refund !== null) store.i[o * OI + I_REFS]++;
    host.spawnContact(src.returnTicket, now, rt.refund !== null ? o : -1);
    if (rt.chat !== null && store.f[f + O_U_RET_CHAT] < rt.chat.probability) host.spawnContact(src.returnChat, now, -1);
    unref(store, o);
  }

  /** The after-sales ticket of order o was closed: the refund follows after the processing time. */
  onTicketClosed(o: number): void {
    const { s, store, host } = this.x;
    const rf = s.returns!.refund!;
    const at = host.eq.now + rf.time.quantile(store.f[o * OD + O_U_REFUND]);
    if (at < this.x.horizon) host.eq.push(at, PRI[EV_REFUND], (o << 4) | EV_REFUND);
    else unref(store, o);
  }

  onRefund(o: number): void {
    const { s, store, host } = this.x;
    const now = host.eq.now;
    const rf = s.returns!.refund!;
    host.daily.add('refunds', now);
    const over = now - store.f[o * OD + O_RETURNED] - rf.promiseSec;
    if (over > 0) {
      host.daily.add('refundsLate', now);
      if (host.complaints.afterLateRefund(store.f[o * OD + O_U_REFUND_COMPLAINT], over)) host.complain('refund', now);
    }
    unref(store, o);
  }
}
