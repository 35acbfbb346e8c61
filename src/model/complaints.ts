// What makes a customer complain, every trigger as one rule, each deciding with the uniform the
// contact or order drew when it was created (common random numbers: a plan or a warehouse
// change moves a complaint only through the cause itself). A complaint becomes a ticket on the
// complaints channel and is counted by its cause in the day's figures (docs/model.md).

import type { Complaints } from '../scenario/types.js';
import { Day } from '../stats/daily.js';

export type ComplaintKind = 'wait' | 'abandon' | 'late' | 'refund';

/** The day counter of each cause. */
export const COMPLAINT_COUNTER: Record<ComplaintKind, Day> = {
  wait: Day.COMPLAINTS_WAIT, abandon: Day.COMPLAINTS_ABANDON, late: Day.COMPLAINTS_LATE, refund: Day.COMPLAINTS_REFUND,
};

export class ComplaintRules {
  constructor(private readonly c: Complaints | null) {}

  /** A long wait for an agent: a logistic curve of the wait, up to `max`. */
  afterWait(u: number, waitSec: number): boolean {
    const w = this.c?.wait;
    return w != null && u < w.max / (1 + Math.exp(-(waitSec - w.midpointSec) / w.scaleSec));
  }

  /** Giving up for good (no retrial): a fixed share. */
  afterAbandon(u: number): boolean {
    const c = this.c;
    return c !== null && c.abandoned > 0 && u < c.abandoned;
  }

  /** A parcel later than promised: a share per day late, up to `max`. */
  afterLateParcel(u: number, lateSec: number): boolean {
    const l = this.c?.late;
    return l != null && u < Math.min(l.max, (l.perDay * lateSec) / 86400);
  }

  /** A refund later than promised: a share per day late, up to `max`. */
  afterLateRefund(u: number, overSec: number): boolean {
    const r = this.c?.refundDelay;
    return r != null && u < Math.min(r.max, (r.perDay * overSec) / 86400);
  }
}
