// The machine-readable result: the same object the table shows, numbers rounded to six
// significant digits (deterministic, and stable against last-bit noise in diffs), NaN as null.

import type { SimulationResult } from '../stats/summary.js';

export const RESULT_SCHEMA_VERSION = 1;

function round(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0 || Number.isInteger(x)) return x;
  return Number(x.toPrecision(6));
}

export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'number') return round(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, round);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJsonValue(x);
    return o;
  }
  return v;
}

export function renderJson(r: SimulationResult, version: string): string {
  return JSON.stringify({ schemaVersion: RESULT_SCHEMA_VERSION, version, ...(toJsonValue(r) as object) }, null, 2) + '\n';
}
