// People, not FTE: the cover's shifts handed to people in time order under the pool's labour rules
// (one shift a local day, rest between shifts, consecutive days, days off and hours per week,
// nights, fairness), then every break placed inside its window where the cover has the most to
// spare, with at most the allowed share of the people on shift on break at once. A shift nobody
// may take is left open and named with the rules that stopped each person; a rule the roster
// cannot keep (weekly minimum hours) is named too — never a silent pass.

import type { RosterRules } from '../scenario/types.js';
import { breakLengths, breakOffsets, isNight, paidSec, workIntervals, type PlacedShift, type ShiftCalendar } from './shifts.js';
import type { CoverShift } from './cover.js';

export interface PersonShift extends PlacedShift {
  readonly person: string;
  readonly day: number;
  readonly paidHours: number;
  readonly night: boolean;
  readonly weekend: boolean;
}

export interface OpenShift {
  readonly start: number;
  readonly len: number;
  /** Why nobody could take it: rule → how many people it stopped. */
  readonly why: Readonly<Record<string, number>>;
}

export interface PeopleRoster {
  readonly people: readonly string[];
  readonly shifts: readonly PersonShift[];
  readonly open: readonly OpenShift[];
  /** Rules the roster breaks (weekly minimum hours; breaks over the cap), one line each. */
  readonly violations: readonly string[];
  /** People on shift, on break and working, per interval. */
  readonly scheduled: Int32Array;
  readonly onBreak: Int32Array;
  readonly working: Int32Array;
  readonly spread: { readonly weekend: readonly [number, number]; readonly night: readonly [number, number]; readonly hours: readonly [number, number] };
}

interface Person {
  readonly name: string;
  lastEnd: number;
  readonly days: Set<number>;
  readonly weekHours: Map<number, number>;
  readonly weekDays: Map<number, number>;
  readonly weekNights: Map<number, number>;
  weekends: number;
  nights: number;
  hours: number;
}

const person = (name: string): Person => ({ name, lastEnd: -Infinity, days: new Set(), weekHours: new Map(), weekDays: new Map(), weekNights: new Map(), weekends: 0, nights: 0, hours: 0 });

/** Hand the cover's shifts to people and place their breaks. `need` guides the breaks. */
export function assignPeople(sc: ShiftCalendar, poolName: string, r: RosterRules, shifts: readonly CoverShift[], need: Int32Array): PeopleRoster {
  const iv = sc.iv, n = sc.cal.intervals;
  const restIv = Math.ceil(r.restSec / iv - 1e-9);
  const fixed = r.people !== null;
  const people: Person[] = fixed ? r.people!.map(person) : [];
  let made = 0;
  const newName = () => `${poolName}-${String(++made).padStart(3, '0')}`;
  const instances: { start: number; len: number }[] = [];
  for (const sh of shifts) for (let k = 0; k < sh.count; k++) instances.push({ start: sh.start, len: sh.len });
  // in time order; at the same start the longer shift first (it is the harder one to place)
  instances.sort((a, b) => a.start - b.start || b.len - a.len);

  const out: { p: Person; start: number; len: number; day: number; paidHours: number; night: boolean; weekend: boolean }[] = [];
  const open: OpenShift[] = [];
  for (const sh of instances) {
    const day = sc.dayOf(sh.start), week = sc.weekOf(day);
    const paidHours = paidSec(sh.len, iv, r) / 3600;
    const night = isNight(sc, sh, r), weekend = sc.weekend(day);
    const minWeekend = people.length > 0 ? Math.min(...people.map((p) => p.weekends)) : 0;
    const minNight = people.length > 0 ? Math.min(...people.map((p) => p.nights)) : 0;
    const why: Record<string, number> = {};
    const stop = (rule: string) => { why[rule] = (why[rule] ?? 0) + 1; return false; };
    const eligible = (p: Person): boolean => {
      if (p.days.has(day)) return stop('one shift a day');
      if (sh.start - p.lastEnd < restIv) return stop(`rest ${r.restSec / 3600}h`);
      let run = 0;
      while (p.days.has(day - 1 - run)) run++;
      if (run + 1 > r.maxConsecutiveDays) return stop(`maxConsecutiveDays ${r.maxConsecutiveDays}`);
      if ((p.weekDays.get(week) ?? 0) + 1 > 7 - r.daysOffPerWeek) return stop(`daysOffPerWeek ${r.daysOffPerWeek}`);
      if ((p.weekHours.get(week) ?? 0) + paidHours > r.weeklyHours.max + 1e-9) return stop(`weeklyHours.max ${r.weeklyHours.max}`);
      if (night && (p.weekNights.get(week) ?? 0) + 1 > r.night.maxPerWeek) return stop(`night.maxPerWeek ${r.night.maxPerWeek}`);
      if (weekend && p.weekends + 1 - minWeekend > r.fairness.weekendSpread) return stop(`fairness.weekendSpread ${r.fairness.weekendSpread}`);
      if (night && p.nights + 1 - minNight > r.fairness.nightSpread) return stop(`fairness.nightSpread ${r.fairness.nightSpread}`);
      return true;
    };
    const below = (p: Person) => (r.weeklyHours.min > 0 && (p.weekHours.get(week) ?? 0) < r.weeklyHours.min ? 0 : 1);
    let best: Person | null = null;
    for (const p of people) {
      if (!eligible(p)) continue;
      if (best === null) { best = p; continue; }
      // who is still below the weekly minimum first; then the fewest hours; then the fewest
      // weekend or night shifts for a weekend or night shift (fair spreads); then the list's order
      const key = (q: Person) => [below(q), q.hours, weekend ? q.weekends : 0, night ? q.nights : 0];
      const a = key(p), b = key(best);
      for (let k = 0; k < a.length; k++) { if (a[k] !== b[k]) { if (a[k] < b[k]) best = p; break; } }
    }
    if (best === null && !fixed) {
      best = person(newName());
      people.push(best);
    }
    if (best === null) { open.push({ start: sh.start, len: sh.len, why }); continue; }
    const p = best;
    p.lastEnd = sh.start + sh.len;
    p.days.add(day);
    p.weekDays.set(week, (p.weekDays.get(week) ?? 0) + 1);
    p.weekHours.set(week, (p.weekHours.get(week) ?? 0) + paidHours);
    if (night) { p.weekNights.set(week, (p.weekNights.get(week) ?? 0) + 1); p.nights++; }
    if (weekend) p.weekends++;
    p.hours += paidHours;
    out.push({ p, start: sh.start, len: sh.len, day, paidHours, night, weekend });
  }

  // ---- breaks ----
  const scheduled = new Int32Array(n), onBreak = new Int32Array(n);
  for (const a of out) for (let i = Math.max(0, a.start); i < Math.min(n, a.start + a.len); i++) scheduled[i]++;
  const working = Int32Array.from(scheduled);
  const violations: string[] = [];
  const cap = (i: number) => Math.max(1, Math.floor(r.maxOnBreak * scheduled[i] + 1e-9));
  // the shifts with the fewest placements choose first
  const withBreaks = out.map((a, k) => ({ k, offs: breakOffsets(a.len, iv, r), lens: breakLengths(a.len, iv, r) })).filter((x) => x.offs.length > 0);
  withBreaks.sort((a, b) => a.offs.reduce((s, o) => s * o.length, 1) - b.offs.reduce((s, o) => s * o.length, 1) || a.k - b.k);
  const placed: number[][] = out.map(() => []);
  for (const { k, offs, lens } of withBreaks) {
    const a = out[k];
    const chosen: number[] = [];
    for (let b = 0; b < offs.length; b++) {
      let bestAt = -1, bestScore = -Infinity, bestOk = false;
      for (const o of offs[b]) {
        const at = a.start + o;
        let score = Infinity, ok = true;
        for (let j = 0; j < lens[b]; j++) {
          const i = at + j;
          if (i < 0 || i >= n) continue; // outside the horizon: costs nothing here
          score = Math.min(score, working[i] - 1 - need[i]);
          if (onBreak[i] + 1 > cap(i)) ok = false;
        }
        // keep to the cap first, then the most to spare, then the earliest
        if ((ok && !bestOk) || (ok === bestOk && score > bestScore)) { bestAt = at; bestScore = score; bestOk = ok; }
      }
      if (!bestOk) violations.push(`maxOnBreak ${r.maxOnBreak}: ${a.p.name}'s break at ${sc.date(sc.dayOf(bestAt))} interval ${bestAt} exceeds the cap (no placement in its window keeps it)`);
      for (let j = 0; j < lens[b]; j++) {
        const i = bestAt + j;
        if (i >= 0 && i < n) { onBreak[i]++; working[i]--; }
      }
      chosen.push(bestAt);
    }
    placed[k] = chosen;
  }

  // ---- weekly minimum hours, over the weeks that lie wholly in the horizon ----
  if (r.weeklyHours.min > 0) {
    const whole = Math.floor(sc.days() / 7);
    for (const p of people) {
      for (let w = 0; w < whole; w++) {
        const h = p.weekHours.get(w) ?? 0;
        if (h < r.weeklyHours.min - 1e-9) violations.push(`weeklyHours.min ${r.weeklyHours.min}: ${p.name} works ${h} h in week ${w + 1}`);
      }
    }
  }
  const shiftsOut: PersonShift[] = out.map((a, k) => ({ person: a.p.name, start: a.start, len: a.len, breaks: placed[k], day: a.day, paidHours: a.paidHours, night: a.night, weekend: a.weekend }));
  const range = (xs: number[]): [number, number] => (xs.length === 0 ? [0, 0] : [Math.min(...xs), Math.max(...xs)]);
  return {
    people: people.map((p) => p.name), shifts: shiftsOut, open, violations, scheduled, onBreak, working,
    spread: { weekend: range(people.map((p) => p.weekends)), night: range(people.map((p) => p.nights)), hours: range(people.map((p) => p.hours)) },
  };
}

/** The intervals a person's shift works, breaks out (for coverage from a roster). */
export function shiftWork(sh: PlacedShift, iv: number, r: RosterRules, n: number): number[] {
  return workIntervals(sh, iv, r, n);
}
