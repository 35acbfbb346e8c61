// The machine-readable result: the same object the table shows, numbers rounded to six
// significant digits (deterministic, and stable against last-bit noise in diffs), NaN as null.

import type { SimulationResult } from '../stats/summary.js';

export const RESULT_SCHEMA_VERSION = 1;

function round(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0 || Number.isInteger(x)) return x;
  return Number(x.toPrecision(6));
}

/**
 * JSON text of any result, indented by two: numbers rounded as above, typed arrays as arrays.
 * The rounding happens in JSON.stringify's replacer rather than on a rounded deep copy made first:
 * the same text, without a second copy of the result in memory (a 366-day horizon's result is
 * about 100 MB of objects) and in about half the time.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, jsonReplacer, 2) + '\n';
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number') return round(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, round);
  return v;
}

export function renderJson(r: SimulationResult, version: string): string {
  return jsonText({ schemaVersion: RESULT_SCHEMA_VERSION, version, ...r });
}
