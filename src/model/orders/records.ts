// The order record and its life: one record per order alive (placed or about to be, in the
// warehouse, in transit, waiting for its return or refund), in a RecordStore. Every uniform an
// order will ever need is drawn when it is created (O_U_*), so a slower warehouse or a higher
// return rate changes outcomes monotonically for the very same orders (tested). A record counts
// what still refers to it (events pending, the warehouse) and is freed when that reaches zero.

import { RecordStore } from '../../engine/store.js';
import { MAX_LIVE, tooManyInSystem } from '../../scenario/limits.js';
import type { Scenario } from '../../scenario/types.js';

// Doubles: times and the order's uniforms.
export const O_PLACED = 0, O_PROMISED = 1, O_DISPATCHED = 2, O_DELIVERED = 3, O_RETURNED = 4, O_U_TRANSIT = 5, O_U_WISMO = 6,
  O_U_WISMO_AFTER = 7, O_U_LATE = 8, O_U_RETURN = 9, O_U_RETURN_LAG = 10, O_U_RET_CHAT = 11, O_U_REFUND = 12,
  O_U_REFUND_COMPLAINT = 13;
/** A record of OD doubles: the 14 above, then four int32s in the last two. */
export const OD = 16;
/** int32 width of a record, and its int32 fields (after the doubles). */
export const OI = 2 * OD;
export const I_CAT = 28, I_STATE = 29, I_NEXT = 30, I_REFS = 31;

// Order states.
export const PENDING = 0, PLACED = 1, SHIPPED = 2, DELIVERED = 3;

export function orderStore(s: Scenario, now: () => number): RecordStore {
  return new RecordStore('orders', OD, I_NEXT, MAX_LIVE.orders, () => { throw tooManyInSystem(s, 'orders', now()); });
}

/** One reference to order o fewer; the record is free at none. */
export function unref(store: RecordStore, o: number): void {
  if (--store.i[o * OI + I_REFS] === 0) store.release(o);
}
