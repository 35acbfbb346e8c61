// A pool's labour rules for rostering (`pools[].roster`): shift lengths and starts, breaks in
// windows, rest, consecutive days, days off, weekly hours, nights, headcount, temps' booking and
// notice, fairness. Defaults make the rules of an ordinary contact centre; every value is checked
// against the calendar here, with the path of what is wrong.

import type { RawScenario } from '../schema.js';
import type { BreakRule, Calendar, PoolKind, RosterRules } from '../types.js';
import { parseClock } from '../time.js';
import { dur, fail, type FileAccess, type PathSeg } from './helpers.js';
import { InputError } from '../../errors.js';
import { cellPlace, cellString, readCsv, type CsvSource } from '../csv.js';

export const DEFAULT_SHIFT_LENGTHS_SEC = [4 * 3600, 6 * 3600, 8 * 3600];
export const DEFAULT_BREAKS: readonly BreakRule[] = [{ lengthSec: 1800, withinSec: [3 * 3600, 5 * 3600], paid: true, minShiftSec: 6 * 3600 }];

type RawRoster = NonNullable<RawScenario['pools'][number]['roster']>;

export function rosterRules(raw: RawRoster | undefined, _kind: PoolKind, name: string, cal: Calendar, path: PathSeg[], files: FileAccess): RosterRules {
  const r = raw ?? {};
  const iv = cal.intervalSec;
  const grain = (sec: number, at: PathSeg[], what: string) => {
    if (sec % iv !== 0) fail(at, `${what} must be a whole number of the ${iv / 60}-minute intervals, got ${sec / 60} minutes`);
    return sec;
  };
  const clock = (text: string | undefined, at: PathSeg[], fallback: number) => {
    if (text === undefined) return fallback;
    try {
      return parseClock(text);
    } catch (e) {
      return fail(at, (e as Error).message);
    }
  };
  const minBookingSec = r.minBooking !== undefined ? dur(r.minBooking, [...path, 'minBooking']) : 0;
  const lengthsSec = (r.shifts ?? null) === null
    ? DEFAULT_SHIFT_LENGTHS_SEC.filter((l) => l % iv === 0 && l >= minBookingSec)
    : r.shifts!.map((x, k) => grain(dur(x, [...path, 'shifts', k]), [...path, 'shifts', k], 'a shift length'));
  lengthsSec.forEach((l, k) => {
    if (l <= 0 || l > 16 * 3600) fail([...path, 'shifts', k], `must be a shift length from one interval to 16h, got ${l / 3600}h`);
    if (l < minBookingSec) fail([...path, 'shifts', k], `is shorter than the minimum booking (${minBookingSec / 3600}h)`);
    if (lengthsSec.indexOf(l) !== k) fail([...path, 'shifts', k], 'is listed twice');
  });
  if (lengthsSec.length === 0) fail([...path, 'shifts'], `no default shift length (4h, 6h, 8h) fits the minimum booking of ${minBookingSec / 3600}h; list the lengths`);
  const sp: PathSeg[] = [...path, 'starts'];
  const everySec = r.starts?.every !== undefined ? grain(dur(r.starts.every, [...sp, 'every']), [...sp, 'every'], 'the start step') : Math.max(iv, 3600 - (3600 % iv));
  if (everySec <= 0 || everySec > 86400) fail([...sp, 'every'], 'must be from one interval to 1d');
  const fromSec = clock(r.starts?.from, [...sp, 'from'], 0);
  const toSec = clock(r.starts?.to, [...sp, 'to'], 86400);
  if (fromSec % iv !== 0) fail([...sp, 'from'], `must lie on the ${iv / 60}-minute interval grain`);
  const breaks: BreakRule[] = r.breaks === undefined ? DEFAULT_BREAKS.map((b) => ({ ...b })) : r.breaks.map((b, k) => {
    const bp: PathSeg[] = [...path, 'breaks', k];
    const lengthSec = grain(dur(b.length, [...bp, 'length']), [...bp, 'length'], 'a break');
    if (lengthSec <= 0) fail([...bp, 'length'], 'must be at least one interval');
    const w0 = grain(dur(b.within[0], [...bp, 'within', 0]), [...bp, 'within', 0], 'a break window');
    const w1 = grain(dur(b.within[1], [...bp, 'within', 1]), [...bp, 'within', 1], 'a break window');
    if (w1 < w0) fail([...bp, 'within', 1], `must not be before the window's start (${w0 / 3600}h)`);
    const minShiftSec = b.minShift !== undefined ? dur(b.minShift, [...bp, 'minShift']) : w0 + lengthSec;
    if (minShiftSec < w0 + lengthSec) fail([...bp, 'minShift'], `a shift of ${minShiftSec / 3600}h cannot hold a break starting ${w0 / 3600}h in`);
    return { lengthSec, withinSec: [w0, w1] as const, paid: b.paid ?? true, minShiftSec };
  });
  // two breaks of one shift must not overlap whatever their placement: their windows are kept apart
  for (let a = 0; a < breaks.length; a++) {
    for (let b = a + 1; b < breaks.length; b++) {
      const [x, y] = breaks[a].withinSec[0] <= breaks[b].withinSec[0] ? [breaks[a], breaks[b]] : [breaks[b], breaks[a]];
      if (x.withinSec[1] + x.lengthSec > y.withinSec[0]) fail([...path, 'breaks', b], 'its window overlaps another break\'s (a break must end before the next one\'s window opens)');
    }
  }
  let people: string[] | null;
  if (r.people === undefined) people = null;
  else if (typeof r.people === 'number') people = Array.from({ length: r.people }, (_, k) => `${name}-${String(k + 1).padStart(String(r.people).length, '0')}`);
  else if (Array.isArray(r.people)) {
    people = r.people.slice();
    const seen = new Map<string, number>();
    people.forEach((x, k) => { if (seen.has(x)) fail([...path, 'people', k], `'${x}' is already people[${seen.get(x)}]`); seen.set(x, k); });
  } else {
    people = staffCsv(files.openFile(r.people.csv, [...path, 'people', 'csv']), name);
    if (people.length === 0) fail([...path, 'people', 'csv'], `has no rows for pool '${name}'`);
  }
  const weeklyMin = r.weeklyHours?.min ?? 0, weeklyMax = r.weeklyHours?.max ?? 48;
  if (weeklyMin > weeklyMax) fail([...path, 'weeklyHours', 'min'], `must not be above max (${weeklyMin} > ${weeklyMax})`);
  if (weeklyMax > 168) fail([...path, 'weeklyHours', 'max'], 'must be at most 168 (hours in a week)');
  const daysOff = r.daysOffPerWeek ?? 1;
  const maxConsecutiveDays = r.maxConsecutiveDays ?? 6;
  if (daysOff === 7) fail([...path, 'daysOffPerWeek'], 'leaves no working day in a week');
  const restSec = r.rest !== undefined ? dur(r.rest, [...path, 'rest']) : 11 * 3600;
  if (restSec > 7 * 86400) fail([...path, 'rest'], 'must be at most 7d');
  const noticeSec = r.notice !== undefined ? dur(r.notice, [...path, 'notice']) : 0;
  if (noticeSec >= cal.horizonSec) fail([...path, 'notice'], `leaves no time to work in the ${cal.horizonSec / 86400}-day horizon`);
  const np: PathSeg[] = [...path, 'night'];
  return {
    lengthsSec,
    starts: { everySec, fromSec, toSec },
    breaks,
    maxOnBreak: r.maxOnBreak ?? 1,
    absence: r.absence ?? 0,
    people,
    restSec,
    maxConsecutiveDays,
    daysOffPerWeek: daysOff,
    weeklyHours: { min: weeklyMin, max: weeklyMax },
    night: { fromSec: clock(r.night?.from, [...np, 'from'], 22 * 3600), toSec: clock(r.night?.to, [...np, 'to'], 6 * 3600), maxPerWeek: r.night?.maxPerWeek ?? 7 },
    minBookingSec,
    noticeSec,
    fairness: { weekendSpread: r.fairness?.weekendSpread ?? Infinity, nightSpread: r.fairness?.nightSpread ?? Infinity },
  };
}

/**
 * A staff CSV (`people: { csv }`): a row per person, `name` and, when the file lists several pools,
 * `pool`; this pool's people are its rows (all of them without a pool column). A name twice for
 * the same pool is refused at its row.
 */
function staffCsv(src: CsvSource, pool: string): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  readCsv(src, ['name'], {
    row(t, row) {
      const col = t.header.indexOf('pool');
      if (col >= 0 && (row.cells[col] ?? '').trim() !== pool) return;
      const n = cellString(t, row, 'name').trim();
      if (n === '') throw new InputError('is empty; every person needs a name', cellPlace(t, row, 'name'));
      if (seen.has(n)) throw new InputError(`'${n}' is already listed for pool '${pool}' (line ${seen.get(n)})`, cellPlace(t, row, 'name'));
      seen.set(n, row.line);
      out.push(n);
    },
  });
  return out;
}
