// Parsing and checking command-line values. Each failure is a UsageError naming the option.

import { InputError, UsageError } from '../errors.js';
import { parseDateTime, parseDuration } from '../scenario/time.js';
import { expectedWork } from '../scenario/limits.js';
import type { Scenario } from '../scenario/types.js';
import { BUDGET_MAX_FACTOR, BUDGET_MIN_FACTOR, BUDGET_WORK, DEFAULT_CONFIDENCE, DEFAULT_UNDECIDED } from '../defaults.js';
import { lookSchedule, type DecisionRule, type UndecidedPolicy } from '../stats/verdict.js';

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

/**
 * A date-time with offset; or, in the scenario's own time zone (the given offset), a plain
 * YYYY-MM-DD (local midnight) or a local YYYY-MM-DDTHH:MM without an offset.
 */
export function timeOption(value: string, option: string, offsetMinutes: number): number {
  const v = value.trim();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  const off = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return parseDateTime(`${v}T00:00${off}`).epochMs;
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v)) return parseDateTime(`${v.replace(' ', 'T')}${off}`).epochMs;
    return parseDateTime(v).epochMs;
  } catch (e) {
    // the message quotes what the user wrote, not the offset this function appended
    throw new UsageError((e as Error).message.replaceAll(`${v.replace(' ', 'T')}${off}`, v).replaceAll(`${v}T00:00${off}`, v).replace('an ISO date-time', "a date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH:MM, in the scenario's time zone) or an ISO date-time"), { path: option });
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** `--confidence`: a share from 0.5 to below 1, or a percentage. */
export function confidenceOption(v: string): number {
  const x = Number(v.trim().replace(/%$/, '')) / (v.trim().endsWith('%') ? 100 : 1);
  if (!Number.isFinite(x) || x < 0.5 || x >= 1) throw new UsageError(`must be a confidence from 0.5 to below 1, e.g. 0.95 or 95%, got '${v}'`, { path: '--confidence' });
  return x;
}

/** `--undecided fail|warn`: what an undecided window does to the exit code. */
export function undecidedOption(v: string): UndecidedPolicy {
  const x = v.trim().toLowerCase();
  if (x !== 'fail' && x !== 'warn') throw new UsageError(`must be 'fail' (exit 1) or 'warn' (exit 0 with a warning), got '${v}'`, { path: '--undecided' });
  return x;
}

export interface DecisionCliOptions {
  confidence?: string;
  maxReps?: string;
  undecided?: string;
}

/**
 * The default budget of a sequential run (--max-reps): as many replications as cost about
 * BUDGET_WORK contacts and orders in all (a few seconds of one core), at least BUDGET_MIN_FACTOR
 * and at most BUDGET_MAX_FACTOR times the first look. Precision is bought where it is cheap: a
 * six-hour spike of 3,000 contacts gets hundreds of replications, the 28-day built-in scenario
 * four times its first look. Deterministic: it depends on the scenario's expected volume only.
 */
export function defaultMaxReps(s: Scenario, first: number): number {
  const work = Math.max(1, expectedWork(s));
  return Math.min(BUDGET_MAX_FACTOR * first, Math.max(BUDGET_MIN_FACTOR * first, Math.floor(BUDGET_WORK / work)));
}

/** The decision rule and the undecided policy of a command, from its options and first look. */
export function decisionOptions(o: DecisionCliOptions, first: number, s: Scenario): { rule: DecisionRule; policy: UndecidedPolicy } {
  const confidence = o.confidence !== undefined ? confidenceOption(o.confidence) : DEFAULT_CONFIDENCE;
  const max = o.maxReps !== undefined ? intOption(o.maxReps, '--max-reps', 1, 100000) : defaultMaxReps(s, first);
  if (max < first) throw new UsageError(`must be at least the first look's ${first} replications (--reps), got ${max}`, { path: '--max-reps' });
  return { rule: { confidence, looks: lookSchedule(first, max) }, policy: undecidedOption(o.undecided ?? DEFAULT_UNDECIDED) };
}
