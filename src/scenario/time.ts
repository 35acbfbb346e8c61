// Durations ('45s', '3m', '1h30m') and ISO date-times with a fixed UTC offset. Pure.

const UNIT_SEC: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a duration string; throws RangeError with a user-facing message. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;
  const compact = text.replace(/\s+/g, '');
  let total = 0, consumed = 0;
  for (const m of compact.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * UNIT_SEC[m[2]];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== compact.length || !Number.isFinite(total)) {
    throw new RangeError(`must be a duration such as '45s', '3m', '2h', '1d' or '1h30m', got '${text}'`);
  }
  return total;
}

/** '3m', '1h30m', '45s', '1.5s': the shortest exact form, for labels and normalised output. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return String(sec);
  if (sec === 0) return '0s';
  // beyond an hour, seconds are noise in a message: round to the minute
  let rest = sec >= 3600 ? Math.round(sec / 60) * 60000 : Math.round(sec * 1000);
  const parts: string[] = [];
  for (const [unit, ms] of [['d', 86400000], ['h', 3600000], ['m', 60000]] as const) {
    if (rest >= ms) {
      parts.push(`${Math.floor(rest / ms)}${unit}`);
      rest %= ms;
    }
  }
  if (rest > 0) parts.push(rest % 1000 === 0 ? `${rest / 1000}s` : `${rest / 1000}s`);
  return parts.join('');
}

export interface ZonedTime {
  readonly epochMs: number;
  readonly offsetMinutes: number;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses 2026-11-10T00:00+08:00 (seconds optional, offset required). */
export function parseDateTime(text: string): ZonedTime {
  const m = ISO_RE.exec(text.trim());
  if (!m) throw new RangeError(`must be an ISO date-time with a UTC offset such as 2026-11-10T00:00+08:00, got '${text}'`);
  const [, y, mo, d, h, mi, s, off] = m;
  // Date.UTC reads years 0–99 as 1900–1999: refuse what no contact centre needs rather than
  // silently move a 0099 date to 1999
  if (+y < 1970) throw new RangeError(`'${text}' is before 1970`);
  let offsetMinutes = 0;
  if (off !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    if (Math.abs(offsetMinutes) > 14 * 60) throw new RangeError(`UTC offset ${off} is out of range`);
  }
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
  const back = new Date(local);
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) {
    throw new RangeError(`'${text}' is not a valid date-time`);
  }
  return { epochMs: local - offsetMinutes * 60000, offsetMinutes };
}

const LOCAL_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A date-time as a spreadsheet writes it, without an offset — '2026-11-11 00:00' (peakplan's
 * `--excel` CSVs, which Excel reads as dates), '2026/11/11 0:00' (Excel re-saving one) — read as
 * wall-clock time at `offsetMinutes`; null when the text is not of that form.
 */
export function parseLocalDateTime(text: string, offsetMinutes: number): number | null {
  const m = LOCAL_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (+y < 1970) throw new RangeError(`'${text}' is before 1970`);
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
  const back = new Date(local);
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) {
    throw new RangeError(`'${text}' is not a valid date-time`);
  }
  return local - offsetMinutes * 60000;
}

/** 'YYYY-MM-DD HH:MM' local time at the given offset: what Excel reads as a date cell. */
export function formatLocalDateTime(epochMs: number, offsetMinutes: number): string {
  return formatDateTime(epochMs, offsetMinutes).slice(0, 16).replace('T', ' ');
}

/** 'YYYY-MM-DDTHH:MM+08:00' in the given offset. */
export function formatDateTime(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  const secs = d.getUTCSeconds();
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` +
    (secs ? `:${pad(secs)}` : '') + `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** 'MM-DD HH:MM' local, the short label used in tables. */
export function shortLabel(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Seconds since local midnight of a time given as seconds from the horizon start. */
export function secondsOfLocalDay(startMs: number, offsetMinutes: number, t: number): number {
  const localSec = (startMs + offsetMinutes * 60000) / 1000 + t;
  return ((localSec % 86400) + 86400) % 86400;
}

/** Parses 'HH:MM' to seconds after midnight. */
export function parseClock(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || +m[1] > 23 || +m[2] > 59) throw new RangeError(`must be a time of day 'HH:MM', got '${text}'`);
  return +m[1] * 3600 + +m[2] * 60;
}
