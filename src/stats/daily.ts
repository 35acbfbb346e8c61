// Per local day: the order flow (orders, dispatch, deliveries, lateness, returns, refunds), the
// contacts and complaints it causes, backlogs at day end, and ticket deadline attainment. Like the
// interval recorder, memory follows the number of days, never the volume.

export const DAY_COUNTERS = [
  'orders', // placed that day
  'shipped', // handed to carriers
  'shippedLate', // of which after the ship-within promise
  'delivered',
  'deliveredLate', // after the promised delivery time
  'lateParcels', // not delivered by the promise, by the promised day (still on the way at the end too)
  'wismo', // where-is-my-order contacts
  'returns', // returns started
  'refunds',
  'refundsLate', // refunds later than the refund promise
  'complaintsWait', // complaints after a long wait for an agent
  'complaintsAbandon', // after giving up on a live contact
  'complaintsLate', // after a late delivery
  'complaintsRefund', // after a late refund
  'warehouseEnd', // orders waiting for dispatch at the end of the day
  'inTransitEnd', // parcels on the way at the end of the day
] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];

/**
 * The counters' indices, in DAY_COUNTERS order, for the model's hot paths: add() with a string key
 * was a megamorphic property lookup on every order (3% of a built-in replication). A const enum,
 * so the model's code holds the numbers themselves (model/records.ts says why).
 */
export const enum Day {
  ORDERS = 0, SHIPPED, SHIPPED_LATE, DELIVERED, DELIVERED_LATE, LATE_PARCELS, WISMO, RETURNS, REFUNDS,
  REFUNDS_LATE, COMPLAINTS_WAIT, COMPLAINTS_ABANDON, COMPLAINTS_LATE, COMPLAINTS_REFUND, WAREHOUSE_END,
  IN_TRANSIT_END,
}

export interface DailyLayout {
  readonly nDays: number;
  /** Seconds after local midnight at the start of the horizon. */
  readonly localStartSec: number;
  readonly nChannels: number;
  readonly nTypes: number;
  /** Deadline thresholds (s) per channel, for first reply and for resolution. */
  readonly firstReply: readonly (readonly number[])[];
  readonly resolved: readonly (readonly number[])[];
}

export class DailyRecorder {
  readonly layout: DailyLayout;
  /** Every counter, counter by counter: [counter * nDays + day]. */
  private readonly flat: Float64Array;
  /** The same numbers, one view per counter. */
  readonly c: Record<DayCounter, Float64Array>;
  /** Open contacts (waiting or in service) per channel at the end of each day: [day * nChannels + ch]. */
  readonly backlogEnd: Float64Array;
  /**
   * Deadline attainment by creation day and type (channel × intent), per threshold k:
   * known = outcome decided (met, or still open past the deadline at the end of the horizon),
   * met = within the deadline. Laid out [(day * nTypes + type) * maxK + k].
   */
  readonly frKnown: Float64Array;
  readonly frMet: Float64Array;
  readonly rsKnown: Float64Array;
  readonly rsMet: Float64Array;
  readonly maxK: number;

  constructor(layout: DailyLayout) {
    this.layout = layout;
    const n = layout.nDays;
    this.flat = new Float64Array(DAY_COUNTERS.length * n);
    this.c = Object.fromEntries(DAY_COUNTERS.map((k, i) => [k, this.flat.subarray(i * n, (i + 1) * n)])) as Record<DayCounter, Float64Array>;
    this.backlogEnd = new Float64Array(n * layout.nChannels);
    this.maxK = Math.max(1, ...layout.firstReply.map((t) => t.length), ...layout.resolved.map((t) => t.length));
    const size = n * layout.nTypes * this.maxK;
    this.frKnown = new Float64Array(size);
    this.frMet = new Float64Array(size);
    this.rsKnown = new Float64Array(size);
    this.rsMet = new Float64Array(size);
  }

  dayOf(t: number): number {
    const d = Math.floor((this.layout.localStartSec + t) / 86400);
    return d < this.layout.nDays ? (d < 0 ? 0 : d) : this.layout.nDays - 1;
  }

  /** Seconds from the horizon start to the start of local day d (negative for a partial first day). */
  dayStart(d: number): number {
    return d * 86400 - this.layout.localStartSec;
  }

  /** n more of counter k on the day of time t. */
  add(k: Day, t: number, n = 1): void {
    this.flat[k * this.layout.nDays + this.dayOf(t)] += n;
  }

  /** Set counter k of day d. */
  set(k: Day, d: number, v: number): void {
    this.flat[k * this.layout.nDays + d] = v;
  }

  /** A ticket (or contact) created at `created` got its first reply after `wait` seconds. */
  firstReply(ch: number, type: number, created: number, wait: number): void {
    this.deadline(this.layout.firstReply[ch], this.frKnown, this.frMet, type, created, wait);
  }

  resolvedAfter(ch: number, type: number, created: number, took: number): void {
    this.deadline(this.layout.resolved[ch], this.rsKnown, this.rsMet, type, created, took);
  }

  /** One outcome against each deadline threshold: known, and met when within it. */
  private deadline(th: readonly number[], known: Float64Array, met: Float64Array, type: number, created: number, took: number): void {
    if (th.length === 0) return;
    const base = (this.dayOf(created) * this.layout.nTypes + type) * this.maxK;
    for (let k = 0; k < th.length; k++) {
      known[base + k]++;
      if (took <= th[k]) met[base + k]++;
    }
  }

  /**
   * At the end of the horizon: an open contact created at `created` (with or without a first
   * reply) has missed every deadline already behind it; deadlines still ahead are censored.
   */
  openAtEnd(ch: number, type: number, created: number, end: number, replied: boolean): void {
    const base = (this.dayOf(created) * this.layout.nTypes + type) * this.maxK;
    const age = end - created;
    if (!replied) {
      const fr = this.layout.firstReply[ch];
      for (let k = 0; k < fr.length; k++) if (age > fr[k]) this.frKnown[base + k]++;
    }
    const rs = this.layout.resolved[ch];
    for (let k = 0; k < rs.length; k++) if (age > rs[k]) this.rsKnown[base + k]++;
  }
}
