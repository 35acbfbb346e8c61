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

interface Held {
  readonly start: number;
  readonly len: number;
  readonly day: number;
  readonly paidHours: number;
  readonly night: boolean;
  readonly weekend: boolean;
}

interface Person {
  readonly name: string;
  readonly shifts: Held[];
}

const person = (name: string): Person => ({ name, shifts: [] });
const countOf = (p: Person, f: (h: Held) => boolean) => p.shifts.reduce((a, h) => a + (f(h) ? 1 : 0), 0);

/** Hand the cover's shifts to people and place their breaks. `need` guides the breaks. */
export function assignPeople(sc: ShiftCalendar, poolName: string, r: RosterRules, shifts: readonly CoverShift[], need: Int32Array): PeopleRoster {
  const iv = sc.iv, n = sc.cal.intervals;
  const restIv = Math.ceil(r.restSec / iv - 1e-9);
  const fixed = r.people !== null;
  const people: Person[] = fixed ? r.people!.map(person) : [];
  let made = 0;
  const instances: Held[] = [];
  for (const sh of shifts) {
    const day = sc.dayOf(sh.start);
    const h: Held = { start: sh.start, len: sh.len, day, paidHours: paidSec(sh.len, iv, r) / 3600, night: isNight(sc, sh, r), weekend: sc.weekend(day) };
    for (let k = 0; k < sh.count; k++) instances.push(h);
  }
  // in time order; at the same start the longer shift first (it is the harder one to place)
  instances.sort((a, b) => a.start - b.start || b.len - a.len);

  /** The first rule that stops person p from also working h (null: none), against all p's shifts. */
  const stopper = (p: Person, h: Held): string | null => {
    let days = 0, hours = 0, nights = 0;
    const worked = new Set<number>();
    const week = sc.weekOf(h.day);
    for (const q of p.shifts) {
      if (q.day === h.day) return 'one shift a day';
      // rest between the two, whichever comes first
      const gap = q.start < h.start ? h.start - (q.start + q.len) : q.start - (h.start + h.len);
      if (gap < restIv) return `rest ${r.restSec / 3600}h`;
      worked.add(q.day);
      if (sc.weekOf(q.day) === week) { days++; hours += q.paidHours; if (q.night) nights++; }
    }
    let run = 1;
    for (let d = h.day - 1; worked.has(d); d--) run++;
    for (let d = h.day + 1; worked.has(d); d++) run++;
    if (run > r.maxConsecutiveDays) return `maxConsecutiveDays ${r.maxConsecutiveDays}`;
    if (days + 1 > 7 - r.daysOffPerWeek) return `daysOffPerWeek ${r.daysOffPerWeek}`;
    if (hours + h.paidHours > r.weeklyHours.max + 1e-9) return `weeklyHours.max ${r.weeklyHours.max}`;
    if (h.night && nights + 1 > r.night.maxPerWeek) return `night.maxPerWeek ${r.night.maxPerWeek}`;
    return null;
  };

  const open: OpenShift[] = [];
  for (const h of instances) {
    const why: Record<string, number> = {};
    const week = sc.weekOf(h.day);
    const minWeekend = people.length > 0 ? Math.min(...people.map((p) => countOf(p, (q) => q.weekend))) : 0;
    const minNight = people.length > 0 ? Math.min(...people.map((p) => countOf(p, (q) => q.night))) : 0;
    const eligible = (p: Person): boolean => {
      let rule = stopper(p, h);
      if (rule === null && h.weekend && countOf(p, (q) => q.weekend) + 1 - minWeekend > r.fairness.weekendSpread) rule = `fairness.weekendSpread ${r.fairness.weekendSpread}`;
      if (rule === null && h.night && countOf(p, (q) => q.night) + 1 - minNight > r.fairness.nightSpread) rule = `fairness.nightSpread ${r.fairness.nightSpread}`;
      if (rule !== null) why[rule] = (why[rule] ?? 0) + 1;
      return rule === null;
    };
    const weekHours = (p: Person) => p.shifts.reduce((a, q) => a + (sc.weekOf(q.day) === week ? q.paidHours : 0), 0);
    const key = (q: Person) => [r.weeklyHours.min > 0 && weekHours(q) < r.weeklyHours.min ? 0 : 1, q.shifts.reduce((a, x) => a + x.paidHours, 0), h.weekend ? countOf(q, (x) => x.weekend) : 0, h.night ? countOf(q, (x) => x.night) : 0];
    let best: Person | null = null;
    let bestKey: number[] = [];
    for (const p of people) {
      if (!eligible(p)) continue;
      // who is still below the weekly minimum first; then the fewest hours; then the fewest
      // weekend or night shifts for a weekend or night shift (fair spreads); then the list's order
      const k = key(p);
      if (best === null || k.some((v, m) => v !== bestKey[m] && k.slice(0, m).every((w, z) => w === bestKey[z]) && v < bestKey[m])) { best = p; bestKey = k; }
    }
    if (best === null && !fixed) {
      // someone new, if the rules let anyone work this shift at all (a night shift with no nights allowed)
      const fresh = person(`${poolName}-${String(made + 1).padStart(3, '0')}`);
      if (stopper(fresh, h) === null) { made++; best = fresh; people.push(fresh); }
      else eligible(fresh);
    }
    if (best === null) { open.push({ start: h.start, len: h.len, why }); continue; }
    best.shifts.push(h);
  }

  // ---- fairness: people who joined later (or took fewer) bring the least down; move weekend and
  // night shifts from the most to the least loaded where every rule allows it ----
  const violations: string[] = [];
  for (const [flag, bound, rule] of [['weekend', r.fairness.weekendSpread, 'fairness.weekendSpread'], ['night', r.fairness.nightSpread, 'fairness.nightSpread']] as const) {
    if (!Number.isFinite(bound) || people.length === 0) continue;
    for (let guard = 0; guard < 10000; guard++) {
      const c = people.map((p) => countOf(p, (q) => q[flag]));
      const hi = Math.max(...c), lo = Math.min(...c);
      if (hi - lo <= bound) break;
      let moved = false;
      const donors = people.filter((_, k) => c[k] === hi), takers = people.filter((_, k) => c[k] === lo);
      for (const d of donors) {
        for (const q of d.shifts.filter((x) => x[flag])) {
          d.shifts.splice(d.shifts.indexOf(q), 1);
          const t = takers.find((p) => stopper(p, q) === null);
          if (t) { t.shifts.push(q); moved = true; break; }
          d.shifts.push(q);
        }
        if (moved) break;
      }
      if (!moved) { violations.push(`${rule} ${bound}: ${flag} shifts per person range from ${lo} to ${hi}, and no move between people keeps the other rules`); break; }
    }
  }
  const out = people.flatMap((p) => p.shifts.map((h) => ({ p, ...h }))).sort((a, b) => a.start - b.start || b.len - a.len || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0));

  // ---- breaks ----
  const scheduled = new Int32Array(n), onBreak = new Int32Array(n);
  for (const a of out) for (let i = Math.max(0, a.start); i < Math.min(n, a.start + a.len); i++) scheduled[i]++;
  const working = Int32Array.from(scheduled);
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
        const h = p.shifts.reduce((a, q) => a + (sc.weekOf(q.day) === w ? q.paidHours : 0), 0);
        if (h < r.weeklyHours.min - 1e-9) violations.push(`weeklyHours.min ${r.weeklyHours.min}: ${p.name} works ${h} h in week ${w + 1}`);
      }
    }
  }
  const shiftsOut: PersonShift[] = out.map((a, k) => ({ person: a.p.name, start: a.start, len: a.len, breaks: placed[k], day: a.day, paidHours: a.paidHours, night: a.night, weekend: a.weekend }));
  const range = (xs: number[]): [number, number] => (xs.length === 0 ? [0, 0] : [Math.min(...xs), Math.max(...xs)]);
  return {
    people: people.map((p) => p.name), shifts: shiftsOut, open, violations, scheduled, onBreak, working,
    spread: { weekend: range(people.map((p) => countOf(p, (q) => q.weekend))), night: range(people.map((p) => countOf(p, (q) => q.night))), hours: range(people.map((p) => p.shifts.reduce((a, q) => a + q.paidHours, 0))) },
  };
}

/** The intervals a person's shift works, breaks out (for coverage from a roster). */
export function shiftWork(sh: PlacedShift, iv: number, r: RosterRules, n: number): number[] {
  return workIntervals(sh, iv, r, n);
}
