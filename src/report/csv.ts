// CSV for spreadsheets: stable documented columns (docs/outputs.md), plain numbers without
// thousands separators, text cells that start with = + - @ (or tab/CR) neutralised against formula
// injection, and an optional UTF-8 BOM so Excel shows Chinese names correctly.

import { stringify } from 'csv-stringify/sync';
import type { Est, SimulationResult } from '../stats/summary.js';

export interface CsvOptions {
  /** Prefix a UTF-8 byte-order mark (Excel). */
  readonly bom?: boolean;
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
      x.start, safeText(x.channel), ...e(x.arrivals), ...e(x.botResolved), ...e(x.offered), ...e(x.answered), ...e(x.abandoned),
      num(x.serviceLevel.mean), num(x.serviceLevel.lo), num(x.serviceLevel.hi), num(x.slWithinSec), num(x.abandonRate.mean),
      num(x.averageWait.mean), num(x.averageWait.lo), num(x.averageWait.hi), num(x.p90Wait.mean), num(x.occupancy.mean), num(x.agents.mean), num(x.queue.mean),
    ]);
  }
  return (o.bom ? '\uFEFF' : '') + stringify(rows, { record_delimiter: o.bom ? '\r\n' : '\n' });
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
  for (const d of r.days) {
    rows.push([
      d.date, num(d.orders.mean), num(d.shipped.mean), num(d.shippedLate.mean), num(d.delivered.mean), num(d.deliveredLate.mean), num(d.lateParcels.mean),
      num(d.warehouseEnd.mean), num(d.inTransitEnd.mean), num(d.wismo.mean), num(d.returns.mean), num(d.refunds.mean), num(d.refundsLate.mean),
      num(d.complaints.mean), num(d.complaintsBy.wait.mean), num(d.complaintsBy.abandon.mean), num(d.complaintsBy.late.mean),
      num(d.complaintsBy.refund.mean), num(d.complaintsPer1000Orders.mean),
      ...d.channels.flatMap((c) => [num(c.arrivals.mean), num(c.backlogEnd.mean)]),
      ...d.deadlines.map((x) => num(x.attainment.mean)),
    ]);
  }
  return (o.bom ? '\uFEFF' : '') + stringify(rows, { record_delimiter: o.bom ? '\r\n' : '\n' });
}
