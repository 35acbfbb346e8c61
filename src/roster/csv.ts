// A roster of people as CSV, and back: one row per person and shift (person, pool, date, start,
// end, breaks, paid hours, cost) that opens in Excel, the coverage per interval and pool
// (required, scheduled, on break, working, over/under), and the reader that turns a roster file
// into the agents working per pool and interval (simulate --roster, check --roster).

import { InputError } from '../errors.js';
import { csvText, csvTime, safeText } from '../report/csv.js';
import { cellPlace, cellString, readCsv, textSource, type CsvHeader, type CsvRow } from '../scenario/csv.js';
import { suggest } from '../scenario/normalise/helpers.js';
import { formatDateTime, parseDateTime, parseLocalDateTime, secondsOfLocalDay } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { PersonShift } from './people.js';
import { breakLengths, type ShiftCalendar } from './shifts.js';

export const ROSTER_COLUMNS = ['person', 'pool', 'date', 'start', 'end', 'breaks', 'paid_hours', 'cost'];

const clockText = (sec: number) => `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`;
const num = (x: number) => String(Number(x.toPrecision(10)));

export interface PoolPeople {
  readonly pool: number;
  readonly shifts: readonly PersonShift[];
}

/** The people's roster: a row per shift in time order, breaks as local 'HH:MM-HH:MM' separated by '; '. */
export function renderPeopleRosterCsv(s: Scenario, sc: ShiftCalendar, pools: readonly PoolPeople[], excel = false): string {
  const cal = s.calendar, iv = cal.intervalSec;
  const at = (i: number) => csvTime(formatDateTime(cal.startMs + i * iv * 1000, cal.offsetMinutes), excel);
  const rows: { key: [number, string, number]; cells: string[] }[] = [];
  for (const { pool, shifts } of pools) {
    const p = s.pools[pool];
    const lens = (len: number) => breakLengths(len, iv, p.roster);
    for (const sh of shifts) {
      const bl = lens(sh.len);
      const breaks = sh.breaks.map((b, k) => `${clockText(sc.clock(b))}-${clockText(sc.clock(b + bl[k]))}`).join('; ');
      rows.push({
        key: [sh.start, sh.person, pool],
        cells: [safeText(sh.person), safeText(p.name), sc.date(sh.day), at(sh.start), at(sh.start + sh.len), breaks, num(sh.paidHours), num(sh.paidHours * p.costPerHour)],
      });
    }
  }
  rows.sort((a, b) => a.key[0] - b.key[0] || a.key[2] - b.key[2] || (a.key[1] < b.key[1] ? -1 : a.key[1] > b.key[1] ? 1 : 0));
  return csvText([ROSTER_COLUMNS, ...rows.map((r) => r.cells)], excel);
}

export interface CoverageRow {
  readonly pool: number;
  readonly required: ArrayLike<number>;
  readonly gross: ArrayLike<number>;
  readonly scheduled: ArrayLike<number>;
  readonly onBreak: ArrayLike<number>;
  readonly working: ArrayLike<number>;
  readonly productive: ArrayLike<number>;
}

/**
 * interval_start, pool, required (the plan's agents), gross_required (⌈÷ (1 − roster.absence)⌉),
 * scheduled (on shift), on_break, working (scheduled − on break), productive (⌊working × (1 −
 * absence)⌋, what the simulation staffs), over_under (productive − required).
 */
export function renderCoverageCsv(s: Scenario, rows: readonly CoverageRow[], excel = false): string {
  const cal = s.calendar;
  const out: string[][] = [['interval_start', 'pool', 'required', 'gross_required', 'scheduled', 'on_break', 'working', 'productive', 'over_under']];
  for (let i = 0; i < cal.intervals; i++) {
    const t = csvTime(formatDateTime(cal.startMs + i * cal.intervalSec * 1000, cal.offsetMinutes), excel);
    for (const r of rows) out.push([t, safeText(s.pools[r.pool].name), String(r.required[i]), String(r.gross[i]), String(r.scheduled[i]), String(r.onBreak[i]), String(r.working[i]), String(r.productive[i]), String(r.productive[i] - r.required[i])]);
  }
  return csvText(out, excel);
}

/**
 * Agents per pool and interval from a roster CSV (pools it does not name are left out): people on
 * shift and not on break, times (1 − the pool's roster.absence), floored — as plan --shifts staffs them.
 */
export function readPeopleRosterCsv(text: string, file: string, s: Scenario): Map<string, Int32Array> {
  return new Map([...readPeopleRoster(text, file, s)].map(([pool, x]) => [pool, x.productive]));
}

export interface RosterCounts {
  /** Working people whose shift started before interval `startedBefore` (readPeopleRoster's), per interval. */
  readonly started: Int32Array;
  readonly scheduled: Int32Array;
  readonly onBreak: Int32Array;
  readonly working: Int32Array;
  readonly productive: Int32Array;
  readonly people: number;
}

/** A roster CSV's counts per pool and interval: on shift, on break, working, productive; and its people. */
export function readPeopleRoster(text: string, file: string, s: Scenario, startedBefore = 0): Map<string, RosterCounts> {
  const cal = s.calendar, iv = cal.intervalSec, n = cal.intervals;
  const names = s.pools.map((p) => p.name);
  const out = new Map<string, RosterCounts>();
  const busy = new Map<string, [number, number, number][]>(); // person → [start, end, line]
  const scheduled = new Map<string, Int32Array>(), onBreak = new Map<string, Int32Array>(), people = new Map<string, Set<string>>(), started = new Map<string, Int32Array>();
  const time = (t: CsvHeader, row: CsvRow, col: string): number => {
    const text = cellString(t, row, col);
    let ms: number | null;
    try {
      ms = parseDateTime(text).epochMs;
    } catch {
      try {
        ms = parseLocalDateTime(text, cal.offsetMinutes);
      } catch (e) {
        throw new InputError((e as Error).message, cellPlace(t, row, col));
      }
    }
    if (ms === null) throw new InputError(`must be a date-time such as 2026-11-11T08:00+08:00 or 2026-11-11 08:00 (the scenario's offset), got '${text}'`, cellPlace(t, row, col));
    const k = (ms - cal.startMs) / (iv * 1000);
    if (!Number.isInteger(k)) throw new InputError(`'${text}' is not on the scenario's ${iv / 60}-minute interval grain`, cellPlace(t, row, col));
    return k;
  };
  const working = new Map<string, Int32Array>();
  readCsv(textSource(text, file), ['person', 'pool', 'start', 'end'], {
    row(t, row) {
      let pool = cellString(t, row, 'pool');
      if (!names.includes(pool) && /^'[=+\-@\t\r]/.test(pool) && names.includes(pool.slice(1))) pool = pool.slice(1);
      if (!names.includes(pool)) {
        const hint = suggest(pool, names);
        throw new InputError(`unknown pool '${pool}'${hint ? `; did you mean '${hint}'?` : ''} (the scenario has: ${names.join(', ')})`, cellPlace(t, row, 'pool'));
      }
      const person = cellString(t, row, 'person');
      if (person.trim() === '') throw new InputError('is empty; every shift belongs to a person', cellPlace(t, row, 'person'));
      const start = time(t, row, 'start'), end = time(t, row, 'end');
      if (end <= start) throw new InputError(`must be after the start (${cellString(t, row, 'start')})`, cellPlace(t, row, 'end'));
      if (end - start > Math.round(24 * 3600 / iv)) throw new InputError('a shift of more than 24 hours', cellPlace(t, row, 'end'));
      if (end <= 0 || start >= n) throw new InputError(`the shift lies outside the scenario's horizon (${formatDateTime(cal.startMs, cal.offsetMinutes)} to ${formatDateTime(cal.startMs + cal.horizonSec * 1000, cal.offsetMinutes)})`, cellPlace(t, row, 'start'));
      const mine = busy.get(person) ?? [];
      const clash = mine.find(([a, b]) => start < b && a < end);
      if (clash) throw new InputError(`${person} already works a shift that overlaps this one (line ${clash[2]})`, cellPlace(t, row, 'start'));
      mine.push([start, end, row.line]);
      busy.set(person, mine);
      const off = new Set<number>();
      const bcol = t.header.indexOf('breaks');
      const btext = bcol >= 0 ? (row.cells[bcol] ?? '').trim() : '';
      if (btext !== '') {
        for (const part of btext.split(';').map((x) => x.trim()).filter((x) => x !== '')) {
          const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(part);
          if (!m || +m[1] > 23 || +m[3] > 23 || +m[2] > 59 || +m[4] > 59) throw new InputError(`each break must be 'HH:MM-HH:MM' (local), breaks separated by ';', got '${part}'`, cellPlace(t, row, 'breaks'));
          // the first such clock time at or after the shift's start, then the end after it
          const startClock = secondsOfLocalDay(cal.startMs, cal.offsetMinutes, start * iv);
          const b0Sec = (((+m[1] * 3600 + +m[2] * 60) - startClock) % 86400 + 86400) % 86400;
          const b1Sec = (((+m[3] * 3600 + +m[4] * 60) - startClock) % 86400 + 86400) % 86400;
          if (b0Sec % iv !== 0 || b1Sec % iv !== 0) throw new InputError(`the break '${part}' is not on the ${iv / 60}-minute interval grain`, cellPlace(t, row, 'breaks'));
          const b0 = start + b0Sec / iv, b1 = start + b1Sec / iv;
          if (b1 <= b0 || b1 > end) throw new InputError(`the break '${part}' does not lie inside the shift`, cellPlace(t, row, 'breaks'));
          for (let i = b0; i < b1; i++) off.add(i);
        }
      }
      if (!working.has(pool)) { working.set(pool, new Int32Array(n)); scheduled.set(pool, new Int32Array(n)); onBreak.set(pool, new Int32Array(n)); people.set(pool, new Set()); started.set(pool, new Int32Array(n)); }
      const w = working.get(pool)!, sch = scheduled.get(pool)!, brk = onBreak.get(pool)!, st = started.get(pool)!;
      people.get(pool)!.add(person);
      for (let i = Math.max(0, start); i < Math.min(n, end); i++) {
        sch[i]++;
        if (off.has(i)) brk[i]++;
        else { w[i]++; if (start < startedBefore) st[i]++; }
      }
    },
    end(t, rows) {
      if (rows === 0) throw new InputError('the roster has no shifts', { file: t.file });
    },
  });
  for (const [pool, w] of working) {
    const absence = s.pools.find((p) => p.name === pool)!.roster.absence;
    out.set(pool, { started: Int32Array.from(started.get(pool)!, (x) => Math.floor(x * (1 - absence) + 1e-9)), scheduled: scheduled.get(pool)!, onBreak: onBreak.get(pool)!, working: w, productive: Int32Array.from(w, (x) => Math.floor(x * (1 - absence) + 1e-9)), people: people.get(pool)!.size });
  }
  return out;
}
