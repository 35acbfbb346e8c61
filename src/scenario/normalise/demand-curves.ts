// Demand curves as the scenario gives them: a shape (flat, daily, spike, double11) scaled to a
// volume, a per-interval CSV, an event log counted per minute, or explicit arrival times — each
// into a piecewise-constant rate on its own grid. CSVs are streamed row by row.

import { InputError } from '../../errors.js';
import { curveFromWeights, shapeMinuteWeights, type ShapeParams } from '../curves.js';
import { cellNumber, cellPlace, cellString, readCsv, type CsvHeader, type CsvRow } from '../csv.js';
import { formatDateTime, formatDuration, parseDateTime, parseLocalDateTime } from '../time.js';
import { fail, dur, type PathSeg, type FileAccess } from './helpers.js';
import type { RawCurve } from '../schema.js';
import type { Calendar, RateCurve } from '../types.js';

export function curve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const has = (k: keyof RawCurve) => raw[k] !== undefined;
  if (has('at')) {
    for (const k of Object.keys(raw) as (keyof RawCurve)[]) if (k !== 'at') fail([...path, k], 'does not go with at (explicit arrival times)', true);
    const times = raw.at!.map((d, i) => dur(d, [...path, 'at', i]));
    times.forEach((t, i) => {
      if (i > 0 && t < times[i - 1]) fail([...path, 'at', i], `arrival times must not go back (${raw.at![i - 1]} then ${raw.at![i]})`);
      if (t >= cal.horizonSec) fail([...path, 'at', i], `${raw.at![i]} is not before the end of the horizon`);
    });
    const rates = new Float64Array(cal.intervals);
    times.forEach((t) => { rates[Math.floor(t / cal.intervalSec)] += 1 / cal.intervalSec; });
    return { stepSec: cal.intervalSec, rates, times: Float64Array.from(times), source: 'explicit times' };
  }
  if (has('csv') === has('shape')) fail(path, 'needs exactly one of shape, csv or at');
  if (has('csv')) {
    for (const k of ['total', 'perDay', 'hourly', 'peak', 'firstHourShare', 'halfLife', 'dayFactor'] as const) {
      if (has(k)) fail([...path, k], 'applies to shapes, not to a csv curve', true);
    }
    if (has('timestamps')) {
      if (has('column')) fail([...path, 'column'], 'names the volume column of a per-interval CSV; with timestamps every row is one arrival', true);
      return eventLogCurve(raw, cal, path, files);
    }
    return csvCurve(raw, cal, path, files);
  }
  for (const k of ['column', 'scale', 'timestamps'] as const) if (has(k)) fail([...path, k], 'applies to a csv curve, not to a shape', true);
  if (has('total') === has('perDay')) fail(path, 'needs exactly one of total (contacts over the horizon) or perDay (contacts on an ordinary day)');
  const shape = raw.shape!;
  const p: ShapeParams = { shape };
  if (has('hourly')) {
    if (shape === 'flat') fail([...path, 'hourly'], "does not apply to the flat shape; use shape: daily", true);
    if (raw.hourly!.every((w) => w === 0)) fail([...path, 'hourly'], 'must not be all zero');
    // relative weights: any scale will do, as long as they add up to a finite number
    if (!Number.isFinite(raw.hourly!.reduce((a, x) => a + x, 0))) fail([...path, 'hourly'], 'the weights are too large to add up; they are relative, use smaller numbers');
    p.hourly = raw.hourly;
  }
  const spiky = shape === 'spike' || shape === 'double11';
  for (const k of ['peak', 'firstHourShare', 'halfLife', 'dayFactor'] as const) {
    if (has(k) && !spiky) fail([...path, k], `applies to the spike and double11 shapes, not to ${shape}`, true);
  }
  if (spiky) {
    let peakMs: number;
    if (raw.peak !== undefined) {
      try {
        peakMs = parseDateTime(raw.peak).epochMs;
      } catch (e) {
        return fail([...path, 'peak'], (e as Error).message);
      }
    } else if (shape === 'double11') {
      peakMs = double11Midnight(cal);
    } else {
      return fail(path, 'the spike shape needs peak (the ISO date-time the spike starts)');
    }
    p.peakSec = (peakMs - cal.startMs) / 1000;
    const reach = shape === 'double11' ? 30 * 86400 : 86400; // the Double-11 calendar reaches weeks around its peak
    if (p.peakSec < -reach || p.peakSec >= cal.horizonSec + (shape === 'double11' ? reach : 0)) {
      fail([...path, 'peak'], `${formatDateTime(peakMs, cal.offsetMinutes)} is outside the horizon`);
    }
    if (has('firstHourShare')) p.firstHourShare = raw.firstHourShare;
    if (has('halfLife')) {
      p.halfLifeSec = dur(raw.halfLife!, [...path, 'halfLife']);
      // shorter, and the decay underflows within the first minute (the spike's shape is lost)
      if (!(p.halfLifeSec >= 1)) fail([...path, 'halfLife'], `must be at least 1s, got '${raw.halfLife}'`);
    }
    if (has('dayFactor')) p.dayFactor = raw.dayFactor;
  }
  const w = shapeMinuteWeights(cal, p);
  const c = curveFromWeights(cal, w, { total: raw.total, perDay: raw.perDay }, `shape ${shape}`);
  // a last guard for parameters that are each in range but together overflow (dayFactor 1e308)
  if (!c.rates.every(Number.isFinite)) fail(path, 'its parameters give arrival rates that are not finite numbers; check dayFactor, firstHourShare, halfLife and hourly');
  return c;
}

/** 11 Nov 00:00 local in the horizon's first year that reaches it (the Double-11 spike). */
function double11Midnight(cal: Calendar): number {
  const local = new Date(cal.startMs + cal.offsetMinutes * 60000);
  let y = local.getUTCFullYear();
  const at = (year: number) => Date.UTC(year, 10, 11) - cal.offsetMinutes * 60000;
  if (at(y) < cal.startMs - 86400000) y += 1;
  return at(y);
}

// CSV curves are streamed (csv.ts): rows are folded into the curve's rates as they are read, so a
// file's memory is that of its curve (per interval or per minute), whatever its number of rows.

function csvCurve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const column = raw.column ?? 'volume';
  const src = files.openFile(raw.csv!, [...path, 'csv']);
  const rates = new Float64Array(cal.intervals);
  const scale = raw.scale ?? 1;
  readCsv(src, ['interval_start', column], {
    maxRows: cal.intervals,
    count(t, rows, extraLine) {
      if (rows !== cal.intervals) {
        throw new InputError(`has ${rows} data rows but the scenario has ${cal.intervals} intervals of ${cal.intervalSec / 60}m`, { file: t.file, line: extraLine });
      }
    },
    row(t, row, i) {
      checkIntervalStart(t, row, cal, i);
      const v = cellNumber(t, row, column);
      const len = Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
      rates[i] = (v * scale) / len;
    },
  });
  return { stepSec: cal.intervalSec, rates, source: src.file };
}

/**
 * An event log (one row per contact or order, its time in the `timestamps` column, any order):
 * counted per minute of the horizon — the model needs the rate, not each time (replaying exact
 * times is what `at` is for) — so memory is one number per minute however long the log.
 */
function eventLogCurve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const column = raw.timestamps!;
  const src = files.openFile(raw.csv!, [...path, 'csv']);
  const steps = Math.ceil(cal.horizonSec / 60 - 1e-9);
  const counts = new Float64Array(steps);
  const endMs = cal.startMs + cal.horizonSec * 1000;
  // Logs are mostly in time order, so a row usually shares all but its seconds with the row whose
  // minute was last parsed in full: then only the two digits are read (parsing every time in full
  // took more than half the load time of a large log).
  let prefix = '', suffix = '', minuteMs = NaN;
  readCsv(src, [column], {
    row(t, row) {
      const text = cellString(t, row, column);
      let ms: number;
      const s1 = text.charCodeAt(17) - 48, s0 = text.charCodeAt(18) - 48;
      if (prefix !== '' && text.length === prefix.length + 2 + suffix.length && text.startsWith(prefix) && text.endsWith(suffix) && s1 >= 0 && s1 <= 5 && s0 >= 0 && s0 <= 9) {
        ms = minuteMs + (s1 * 10 + s0) * 1000;
      } else {
        try {
          ms = parseDateTime(text).epochMs;
        } catch (e) {
          throw new InputError((e as Error).message, cellPlace(t, row, column));
        }
        // 'YYYY-MM-DDTHH:MM:SS<offset>' (the form with seconds) can take the short way next time
        if (text.length >= 20 && text.charCodeAt(16) === 58 && text === text.trim()) {
          prefix = text.slice(0, 17);
          suffix = text.slice(19);
          minuteMs = ms - (text.charCodeAt(17) - 48) * 10000 - (text.charCodeAt(18) - 48) * 1000;
        }
      }
      if (ms < cal.startMs || ms >= endMs) {
        throw new InputError(`${text.trim()} is outside the horizon (${formatDateTime(cal.startMs, cal.offsetMinutes)} to ${formatDateTime(endMs, cal.offsetMinutes)})`, cellPlace(t, row, column));
      }
      counts[Math.floor((ms - cal.startMs) / 60000)]++;
    },
  });
  const scale = raw.scale ?? 1;
  for (let i = 0; i < steps; i++) counts[i] = (counts[i] * scale) / Math.min(60, cal.horizonSec - i * 60);
  return { stepSec: 60, rates: counts, source: src.file };
}

function checkIntervalStart(t: CsvHeader, row: CsvRow, cal: Calendar, i: number): void {
  const text = cellString(t, row, 'interval_start');
  let ms: number;
  try {
    ms = parseDateTime(text).epochMs;
  } catch (e) {
    throw new InputError((e as Error).message, cellPlace(t, row, 'interval_start'));
  }
  const want = cal.startMs + i * cal.intervalSec * 1000;
  if (ms !== want) {
    throw new InputError(`expected ${formatDateTime(want, cal.offsetMinutes)} (interval ${i + 1}), got ${text}`, cellPlace(t, row, 'interval_start'));
  }
}

// Plan CSVs list every pool at one interval start in a row: remember the last one parsed.
let lastIndex: { cal: Calendar; text: string; k: number } | null = null;

export function intervalIndexOf(cal: Calendar, text: string): number {
  if (lastIndex !== null && lastIndex.cal === cal && lastIndex.text === text) return lastIndex.k;
  const k = intervalIndexOfUncached(cal, text);
  lastIndex = { cal, text, k };
  return k;
}

function intervalIndexOfUncached(cal: Calendar, text: string): number {
  // an offset, or a spreadsheet's local time read in the scenario's own offset
  let ms: number;
  try {
    ms = parseDateTime(text).epochMs;
  } catch (e) {
    const local = parseLocalDateTime(text, cal.offsetMinutes);
    if (local === null) throw new RangeError(`${(e as Error).message.replace(/, got '.*'$/, '')} or a local time such as 2026-11-10 00:00 (read at the scenario's offset), got '${text}'`);
    ms = local;
  }
  const k = (ms - cal.startMs) / (cal.intervalSec * 1000);
  if (!Number.isInteger(k) || k < 0 || k >= cal.intervals) {
    // a plan made for another scenario: say which intervals this one has
    const last = formatDateTime(cal.startMs + (cal.intervals - 1) * cal.intervalSec * 1000, cal.offsetMinutes);
    throw new RangeError(`${text} is not the start of one of the scenario's intervals (${formatDateTime(cal.startMs, cal.offsetMinutes)} to ${last}, every ${formatDuration(cal.intervalSec)}); was the plan made for another scenario?`);
  }
  return k;
}

/** Rows of a plan CSV (interval_start, pool, agents) for the named pools: a source, or its text. */
