// Parsing and checking command-line values. Each failure is a UsageError naming the option.

import { InputError, UsageError } from '../errors.js';
import { parseDateTime, parseDuration } from '../scenario/time.js';

export function intOption(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`must be a whole number from ${min} to ${max}, got '${value}'`, { path: option });
  }
  return n;
}

export function durationOption(value: string, option: string, minSec: number, maxSec: number): number {
  let s: number;
  try {
    s = parseDuration(value);
  } catch (e) {
    throw new UsageError((e as Error).message, { path: option });
  }
  if (s < minSec || s > maxSec || s % 60 !== 0) {
    throw new UsageError(`must be whole minutes from ${minSec / 60}m to ${maxSec / 3600}h, got '${value}'`, { path: option });
  }
  return s;
}

/** A date-time with offset, or a plain YYYY-MM-DD taken as local midnight in the given offset. */
export function timeOption(value: string, option: string, offsetMinutes: number): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  try {
    if (day) {
      const sign = offsetMinutes < 0 ? '-' : '+';
      const a = Math.abs(offsetMinutes);
      const off = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
      return parseDateTime(`${value.trim()}T00:00${off}`).epochMs;
    }
    return parseDateTime(value).epochMs;
  } catch (e) {
    throw new UsageError((e as Error).message.replace('an ISO date-time', 'a date (YYYY-MM-DD) or an ISO date-time'), { path: option });
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
