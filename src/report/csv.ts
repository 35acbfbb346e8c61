// CSV for spreadsheets: stable documented columns (docs/outputs.md), plain numbers without
// thousands separators, text cells that start with = + - @ (or tab/CR) neutralised against formula
// injection, and an optional UTF-8 BOM so Excel shows Chinese names correctly.

import { stringify } from 'csv-stringify/sync';
import type { Est, SimulationResult } from '../stats/summary.js';

export interface CsvOptions {
  /**
   * For Excel (`--excel`): a UTF-8 byte-order mark (Chinese names survive), CRLF line ends, and
   * times as local 'YYYY-MM-DD HH:MM', which Excel reads as date cells (ISO times with an offset
   * it leaves as text); peakplan reads both forms back (a plan CSV, a curve).
   */
  readonly bom?: boolean;
}

/** An ISO time for the CSV: as it is, or local 'YYYY-MM-DD HH:MM' for Excel. */
export function csvTime(iso: string, excel: boolean | undefined): string {
  return excel ? iso.slice(0, 16).replace('T', ' ') : iso;
}

/** The CSV text of rows: the BOM and CRLF for Excel. */
export function csvText(rows: string[][], excel: boolean | undefined): string {
  return (excel ? '\uFEFF' : '') + stringify(rows, { record_delimiter: excel ? '\r\n' : '\n' });
}

/** A text cell made safe for spreadsheets: a leading formula character gets a quote prefix. */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(10))) : '');

export const INTERVAL_COLUMNS = [
  'interval_start', 'channel', 'arrivals', 'bot_resolved', 'offered', 'answered', 'abandoned',
  'service_level', 'service_level_lo', 'service_level_hi', 'sl_threshold_s', 'abandon_rate',
  'avg_wait_s', 'avg_wait_s_lo', 'avg_wait_s_hi', 'p90_wait_s', 'occupancy', 'agents', 'avg_queue',
] as const;

export function renderIntervalCsv(r: SimulationResult, o: CsvOptions = {}): string {
  const rows: string[][] = [INTERVAL_COLUMNS.slice()];
  const e = (x: Est) => [num(x.mean)];
  for (const x of r.rows) {
    rows.push([
      csvTime(x.start, o.bom), safeText(x.channel), ...e(x.arrivals), ...e(x.botResolved), ...e(x.offered), ...e(x.answered), ...e(x.abandoned),
      num(x.serviceLevel.mean), num(x.serviceLevel.lo), num(x.serviceLevel.hi), num(x.slWithinSec), num(x.abandonRate.mean),
      num(x.averageWait.mean), num(x.averageWait.lo), num(x.averageWait.hi), num(x.p90Wait.mean), num(x.occupancy.mean), num(x.agents.mean), num(x.queue.mean),
    ]);
  }
  return csvText(rows, o.bom);
}

export const POOL_COLUMNS = ['interval_start', 'pool', 'kind', 'channel', 'scheduled', 'present', 'occupancy', 'occupancy_lo', 'occupancy_hi', 'slot_utilisation'] as const;

/** One row per report interval and pool: agents scheduled and present, occupancy and chat-slot use. */
export function renderPoolCsv(r: SimulationResult, o: CsvOptions = {}): string {
  const rows: string[][] = [POOL_COLUMNS.slice()];
  const meta = new Map(r.pools.map((p) => [p.pool, p]));
  for (const x of r.poolRows) {
    const p = meta.get(x.pool);
    rows.push([
      csvTime(x.start, o.bom), safeText(x.pool), p?.kind ?? '', safeText(p?.channel ?? ''), num(x.scheduled.mean), num(x.present.mean),
      num(x.occupancy.mean), num(x.occupancy.lo), num(x.occupancy.hi), num(x.slotUtilisation.mean),
    ]);
  }
  return csvText(rows, o.bom);
}

export const DAY_COLUMNS = [
  'date', 'orders', 'shipped', 'shipped_late', 'delivered', 'delivered_late', 'late_parcels', 'warehouse_end', 'in_transit_end',
  'wismo', 'returns', 'refunds', 'refunds_late', 'complaints', 'complaints_wait', 'complaints_abandon', 'complaints_late',
  'complaints_refund', 'complaints_per_1000_orders',
] as const;

/**
 * One row per local day: the order flow, what it caused, then per channel `arrivals_<channel>` and
 * `backlog_end_<channel>`, then each deadline of the targets as `<channel>[/<intent>]_<kind>_<within>_s`.
 */
export function renderDailyCsv(r: SimulationResult, o: CsvOptions = {}): string {
  const first = r.days[0];
  const chanCols = r.channels.flatMap((c) => [`arrivals_${c.channel}`, `backlog_end_${c.channel}`]);
  const dlCols = (first?.deadlines ?? []).map((d) => `${d.channel}${d.intent ? '/' + d.intent : ''}_${d.kind === 'firstReply' ? 'first_reply' : 'resolved'}_within_${d.withinSec}s`);
  const rows: string[][] = [[...DAY_COLUMNS, ...chanCols.map(safeText), ...dlCols.map(safeText)]];
  // what the scenario does not model is blank, never 0: no orders, no logistics, no returns, no complaints
  const dv = r.drivers;
  const when = (on: boolean) => (x: Est) => (on ? num(x.mean) : '');
  const o_ = when(dv.orders), lg = when(dv.logistics), rt = when(dv.returns && dv.logistics), cp = when(dv.complaints);
  for (const d of r.days) {
    rows.push([
      d.date, o_(d.orders), lg(d.shipped), lg(d.shippedLate), lg(d.delivered), lg(d.deliveredLate), lg(d.lateParcels),
      lg(d.warehouseEnd), lg(d.inTransitEnd), lg(d.wismo), rt(d.returns), rt(d.refunds), rt(d.refundsLate),
      cp(d.complaints), cp(d.complaintsBy.wait), cp(d.complaintsBy.abandon), cp(d.complaintsBy.late),
      cp(d.complaintsBy.refund), dv.orders && dv.complaints ? num(d.complaintsPer1000Orders.mean) : '',
      ...d.channels.flatMap((c) => [num(c.arrivals.mean), num(c.backlogEnd.mean)]),
      ...d.deadlines.map((x) => num(x.attainment.mean)),
    ]);
  }
  return csvText(rows, o.bom);
}
