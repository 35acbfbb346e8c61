// The order record and its life: one record per order alive (about to be placed, in the
// warehouse, waiting for its return or refund), in a RecordStore. Every uniform an
// order will ever need is drawn when it is created (O_U_*), so a slower warehouse or a higher
// return rate changes outcomes monotonically for the very same orders (tested). A record counts
// what still refers to it (events pending, the warehouse) and is freed when that reaches zero.

import { RecordStore } from '../../engine/store.js';
import { MAX_LIVE, tooManyInSystem } from '../../scenario/limits.js';
import type { Scenario } from '../../scenario/types.js';

// Const enums: their values are written into the code that uses them (records.ts says why).

/** Order fields read as doubles: times and the order's uniforms. */
export const enum O {
  PLACED = 0, PROMISED = 1, RETURNED = 2,
  /** When its where-is-my-order check is still to be decided, else Infinity (logistics.ts). */
  WISMO_AT = 3,
  // the uniforms, drawn in this order when the order is created
  U_TRANSIT = 4, U_WISMO = 5, U_WISMO_AFTER = 6, U_LATE = 7, U_RETURN = 8, U_RETURN_LAG = 9, U_RET_CHAT = 10,
  U_REFUND = 11, U_REFUND_COMPLAINT = 12,
  /** Doubles per order record. */
  DOUBLES = 13,
  /** int32s per order, in an array of their own (engine/store.ts says why). */
  INTS = 3,
}

/** Order fields read as int32s. */
export const enum OI { CAT = 0, NEXT = 1, REFS = 2 }

export function orderStore(s: Scenario, now: () => number): RecordStore {
  return new RecordStore('orders', O.DOUBLES, O.INTS, OI.NEXT, MAX_LIVE.orders, () => { throw tooManyInSystem(s, 'orders', now()); });
}

/** One reference to order o fewer; the record is free at none. */
export function unref(store: RecordStore, o: number): void {
  if (--store.i[o * O.INTS + OI.REFS] === 0) store.release(o);
}
