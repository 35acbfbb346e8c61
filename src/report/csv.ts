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
