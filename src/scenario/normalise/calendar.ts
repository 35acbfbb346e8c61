// The calendar section: start, horizon and interval, with their rules.

import type { RawScenario } from '../schema.js';
import { parseDateTime } from '../time.js';
import type { Calendar } from '../types.js';
import { dur, fail } from './helpers.js';

export function calendar(raw: RawScenario['calendar']): Calendar {
  let start;
  try {
    start = parseDateTime(raw.start);
  } catch (e) {
    return fail(['calendar', 'start'], (e as Error).message);
  }
  const intervalSec = dur(raw.interval, ['calendar', 'interval']);
  if (!(intervalSec >= 60 && intervalSec <= 3600 && intervalSec % 60 === 0)) {
    fail(['calendar', 'interval'], `must be a whole number of minutes from 1m to 60m, got '${raw.interval}'`);
  }
  const horizonSec = dur(raw.horizon, ['calendar', 'horizon']);
  if (!(horizonSec > 0)) fail(['calendar', 'horizon'], `must be longer than 0, got '${raw.horizon}'`);
  if (horizonSec > 366 * 86400) fail(['calendar', 'horizon'], `must be at most 366d, got '${raw.horizon}'`);
  return {
    start: raw.start,
    startMs: start.epochMs,
    offsetMinutes: start.offsetMinutes,
    intervalSec,
    intervals: Math.ceil(horizonSec / intervalSec - 1e-9),
    horizonSec,
  };
}

