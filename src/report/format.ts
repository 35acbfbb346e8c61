// Number formatting shared by the human-facing reporters. Machine outputs (JSON, CSV) never
// use these: they carry plain numbers without thousands separators.

import type { Est } from '../stats/summary.js';

export const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');

export function secs(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x < 10) return `${x.toFixed(1)}s`;
  if (x < 120) return `${Math.round(x)}s`;
  if (x < 7200) return `${(x / 60).toFixed(1)}m`;
  return `${(x / 3600).toFixed(1)}h`;
}

export function count(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(1).replace(/\.0$/, '');
}

export function money(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–';
}

export function ci(e: Est, f: (x: number) => string): string {
  if (!Number.isFinite(e.lo) || e.lo === e.hi) return '';
  return `[${f(e.lo)}, ${f(e.hi)}]`;
}

/** A sparkline of a series on the Unicode block characters (for agents vs arrivals). */
export function sparkline(values: readonly number[], max = Math.max(...values.filter(Number.isFinite), 0)): string {
  const blocks = '▁▂▃▄▅▆▇█';
  return values
    .map((v) => (!Number.isFinite(v) || max <= 0 ? ' ' : blocks[Math.min(7, Math.max(0, Math.round((v / max) * 7)))]))
    .join('');
}
