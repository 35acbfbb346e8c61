// Rosters of people under labour rules (src/roster): every rule holds in every roster, over random
// rule sets and requirements (a property test); the cover program on hand-checked cases; what the
// rules cannot cover is named, never a bare "infeasible".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cover, loadSolver } from '../src/roster/cover.js';
import { assignPeople } from '../src/roster/people.js';
import { breakLengths, breakOffsets, inClockWindow, paidSec, ShiftCalendar } from '../src/roster/shifts.js';
import type { Calendar, RosterRules } from '../src/scenario/types.js';
import { scenarioFromYaml } from './helpers.js';

/** A 60-minute calendar of `days` days from a Monday midnight at +08:00. */
function calendar(days: number, intervalSec = 3600): Calendar {
  const startMs = Date.parse('2026-11-09T00:00:00+08:00');
  return { start: '2026-11-09T00:00+08:00', startMs, offsetMinutes: 480, intervalSec, intervals: (days * 86400) / intervalSec, horizonSec: days * 86400 };
}

const rulesOf = (o: Partial<RosterRules>): RosterRules => ({
  lengthsSec: [4 * 3600, 8 * 3600], starts: { everySec: 3600, fromSec: 0, toSec: 86400 },
  breaks: [{ lengthSec: 3600, withinSec: [3 * 3600, 5 * 3600], paid: false, minShiftSec: 6 * 3600 }],
  maxOnBreak: 1, absence: 0, people: null, restSec: 11 * 3600, maxConsecutiveDays: 6, daysOffPerWeek: 1,
  weeklyHours: { min: 0, max: 48 }, night: { fromSec: 22 * 3600, toSec: 6 * 3600, maxPerWeek: 7 },
  minBookingSec: 0, noticeSec: 0, fairness: { weekendSpread: Infinity, nightSpread: Infinity }, ...o,
});

describe('the cover program', () => {
  it('finds the hand-computed cheapest cover: 2 agents for 8 hours are four 4-hour shifts when an 8-hour one loses an unpaid hour', async () => {
    const cal = calendar(1);
    const need = new Int32Array(cal.intervals);
    for (let i = 9; i < 17; i++) need[i] = 2;
    const c = cover(await loadSolver(), new ShiftCalendar(cal), need, rulesOf({}));
    expect(c.status).toBe('Optimal');
    // an 8h shift works 7 of its hours (a break) and is paid 7: four 4h shifts (16 h) cover
    // exactly; 8h shifts would leave an hour to cover with more shifts
    expect(c.paidHours).toBe(16);
    expect(c.shifts.every((x) => x.len === 4)).toBe(true);
    expect(Array.from(c.coverage)).toEqual(Array.from(need));
    expect(c.gap).toBeCloseTo(0, 9);
  });
  it('with paid 8-hour shifts and no break, one shift per agent: 16 paid hours in two shifts', async () => {
    const cal = calendar(1);
    const need = new Int32Array(cal.intervals);
    for (let i = 9; i < 17; i++) need[i] = 2;
    const c = cover(await loadSolver(), new ShiftCalendar(cal), need, rulesOf({ lengthsSec: [8 * 3600], breaks: [] }));
    expect(c.paidHours).toBe(16);
    expect(c.shifts).toEqual([{ start: 9, len: 8, count: 2 }]);
  });
  it('names what it cannot cover: shifts may start 08:00–12:00 only, so the evening is left uncovered, with slack, not "infeasible"', async () => {
    const cal = calendar(1);
    const need = new Int32Array(cal.intervals).fill(0);
    for (let i = 8; i < 22; i++) need[i] = 1;
    const c = cover(await loadSolver(), new ShiftCalendar(cal), need, rulesOf({ starts: { everySec: 3600, fromSec: 8 * 3600, toSec: 12 * 3600 }, breaks: [] }));
    expect(c.status).toBe('Optimal');
    // the latest start is 11:00 and the longest shift 8 h: 19:00 onwards is out of reach
    expect(Array.from(c.uncovered).flatMap((u, i) => (u > 0 ? [i] : []))).toEqual([19, 20, 21]);
  });
  it('a headcount binds: 3 people cannot cover 4 agents, and the daily headcount is named', async () => {
    const cal = calendar(2);
    const need = new Int32Array(cal.intervals);
    for (let i = 9; i < 13; i++) need[i] = 4;
    const c = cover(await loadSolver(), new ShiftCalendar(cal), need, rulesOf({ people: ['a', 'b', 'c'], breaks: [] }));
    expect(Array.from(c.uncovered).slice(9, 13)).toEqual([1, 1, 1, 1]);
    expect(c.binding).toContain('people on 2026-11-09 (headcount 3)');
  });
});

// ---- every rule holds in every roster ----
const ruleSets = fc.record({
  lengths: fc.subarray([4, 6, 8, 10], { minLength: 1 }),
  startFrom: fc.integer({ min: 0, max: 12 }),
  startSpan: fc.integer({ min: 6, max: 24 }),
  every: fc.constantFrom(1, 2),
  rest: fc.integer({ min: 8, max: 14 }),
  maxConsecutiveDays: fc.integer({ min: 2, max: 6 }),
  daysOff: fc.integer({ min: 1, max: 3 }),
  weeklyMax: fc.integer({ min: 16, max: 48 }),
  nightsPerWeek: fc.integer({ min: 0, max: 5 }),
  breakWindow: fc.integer({ min: 0, max: 2 }),
  maxOnBreak: fc.constantFrom(0.2, 0.5, 1),
  headcount: fc.option(fc.integer({ min: 3, max: 30 }), { nil: null }),
  weekendSpread: fc.option(fc.integer({ min: 0, max: 3 }), { nil: Infinity }),
  nightSpread: fc.option(fc.integer({ min: 0, max: 3 }), { nil: Infinity }),
  needs: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 24, maxLength: 24 }),
  dayFactors: fc.array(fc.double({ min: 0.3, max: 1.5, noNaN: true }), { minLength: 14, maxLength: 14 }),
});

describe('labour rules hold in every roster (property test: random rules and requirements, two weeks)', () => {
  it('one shift a day, rest, consecutive days, days off, weekly hours, nights, breaks in their windows under the cap, fairness, headcount', async () => {
    const highs = await loadSolver();
    const cal = calendar(14);
    const sc = new ShiftCalendar(cal);
    await fc.assert(fc.asyncProperty(ruleSets, async (x) => {
      const r = rulesOf({
        lengthsSec: x.lengths.map((h) => h * 3600),
        starts: { everySec: x.every * 3600, fromSec: x.startFrom * 3600, toSec: ((x.startFrom + x.startSpan) % 24) * 3600 },
        breaks: [{ lengthSec: 3600, withinSec: [3 * 3600, (3 + x.breakWindow) * 3600], paid: false, minShiftSec: 6 * 3600 }],
        maxOnBreak: x.maxOnBreak,
        people: x.headcount === null ? null : Array.from({ length: x.headcount }, (_, k) => `p${k}`),
        restSec: x.rest * 3600, maxConsecutiveDays: x.maxConsecutiveDays, daysOffPerWeek: x.daysOff,
        weeklyHours: { min: 0, max: x.weeklyMax }, night: { fromSec: 22 * 3600, toSec: 6 * 3600, maxPerWeek: x.nightsPerWeek },
        fairness: { weekendSpread: x.weekendSpread, nightSpread: x.nightSpread },
      });
      const need = Int32Array.from({ length: cal.intervals }, (_, i) => Math.round(x.needs[i % 24] * x.dayFactors[Math.floor(i / 24)]));
      const c = cover(highs, sc, need, r, { timeLimitSec: 5 });
      const ro = assignPeople(sc, 'pool', r, c.shifts, need);
      const byPerson = new Map<string, typeof ro.shifts[number][]>();
      for (const sh of ro.shifts) byPerson.set(sh.person, [...(byPerson.get(sh.person) ?? []), sh]);
      if (r.people !== null) for (const p of byPerson.keys()) expect(r.people).toContain(p);
      for (const [, list] of byPerson) {
        list.sort((a, b) => a.start - b.start);
        const days = new Set(list.map((s) => s.day));
        expect(days.size, 'one shift a day').toBe(list.length);
        for (let k = 1; k < list.length; k++) expect(list[k].start - (list[k - 1].start + list[k - 1].len), 'rest').toBeGreaterThanOrEqual(x.rest);
        for (const d of days) {
          let run = 1;
          while (days.has(d - run)) run++;
          expect(run, 'consecutive days').toBeLessThanOrEqual(x.maxConsecutiveDays);
        }
        const weeks = new Map<number, typeof list>();
        for (const s of list) weeks.set(sc.weekOf(s.day), [...(weeks.get(sc.weekOf(s.day)) ?? []), s]);
        for (const [, w] of weeks) {
          expect(w.length, 'days off per week').toBeLessThanOrEqual(7 - x.daysOff);
          expect(w.reduce((a, s) => a + s.paidHours, 0), 'weekly hours').toBeLessThanOrEqual(x.weeklyMax + 1e-9);
          expect(w.filter((s) => s.night).length, 'nights per week').toBeLessThanOrEqual(x.nightsPerWeek);
        }
        for (const s of list) {
          expect(r.lengthsSec).toContain(s.len * 3600);
          expect(inClockWindow(sc.clock(s.start), r.starts.fromSec, r.starts.toSec), 'start window').toBe(true);
          expect(s.paidHours).toBe(paidSec(s.len, 3600, r) / 3600);
          const offs = breakOffsets(s.len, 3600, r);
          expect(s.breaks.length).toBe(offs.length);
          s.breaks.forEach((b, k) => expect(offs[k], 'break inside its window').toContain(b - s.start));
          // night: worked some time in 22:00–06:00, as flagged
          let night = false;
          for (let i = s.start; i < s.start + s.len; i++) if (inClockWindow(sc.clock(i), 22 * 3600, 6 * 3600)) night = true;
          expect(s.night).toBe(night);
        }
      }
      const counts = (f: (s: typeof ro.shifts[number]) => boolean) => [...byPerson.keys()].map((p) => byPerson.get(p)!.filter(f).length).concat(r.people === null ? [] : r.people.filter((p) => !byPerson.has(p)).map(() => 0));
      // a spread past its bound is never silent: the roster names the rule it breaks
      for (const [flag, bound] of [['weekend', x.weekendSpread], ['night', x.nightSpread]] as const) {
        if (!Number.isFinite(bound) || byPerson.size === 0) continue;
        const w = counts((s) => s[flag]);
        expect(Math.max(...w) - Math.min(...w) > bound, `${flag} spread`).toBe(ro.violations.some((v) => v.startsWith(`fairness.${flag}Spread`)));
      }
      // the coverage arrays are the shifts' own: scheduled, on break (within the cap unless named), working
      const sched = new Int32Array(cal.intervals), brk = new Int32Array(cal.intervals);
      for (const s of ro.shifts) {
        for (let i = Math.max(0, s.start); i < Math.min(cal.intervals, s.start + s.len); i++) sched[i]++;
        const bl = breakLengths(s.len, 3600, r);
        s.breaks.forEach((b, k) => { for (let j = 0; j < bl[k]; j++) if (b + j >= 0 && b + j < cal.intervals) brk[b + j]++; });
      }
      expect(Array.from(ro.scheduled)).toEqual(Array.from(sched));
      expect(Array.from(ro.onBreak)).toEqual(Array.from(brk));
      for (let i = 0; i < cal.intervals; i++) expect(ro.working[i]).toBe(sched[i] - brk[i]);
      const overCap = Array.from(brk).some((b, i) => b > Math.max(1, Math.floor(x.maxOnBreak * sched[i] + 1e-9)));
      expect(overCap).toBe(ro.violations.some((v) => v.startsWith('maxOnBreak')));
      // every cover shift is in the roster or named as open
      expect(ro.shifts.length + ro.open.length).toBe(c.shifts.reduce((a, s) => a + s.count, 0));
      for (const o of ro.open) expect(Object.keys(o.why).length > 0 || r.people !== null).toBe(true);
    }), { numRuns: 60, seed: 20261203 });
  }, 120_000);
});

describe('roster rules in the scenario', () => {
  const base = (roster: string) => `
name: r
calendar: { start: 2026-11-09T00:00+08:00, horizon: 2d, interval: 30m }
intents: [general]
channels: { chat: { patience: none } }
demand: [{ channel: chat, intent: general, curve: { shape: flat, perDay: 100 } }]
pools:
  - { name: desk, channel: chat, skills: [general], handleTime: { default: { exponential: 3m } }, staffing: 2, roster: ${roster} }
`;
  it('reads every key, with defaults for the rest', () => {
    const s = scenarioFromYaml(base('{ shifts: [6h, 9h], starts: { every: 30m, from: "07:00", to: "11:00" }, breaks: [{ length: 30m, within: [3h, 4h], paid: false }], maxOnBreak: 0.25, absence: 0.1, people: 12, rest: 12h, maxConsecutiveDays: 5, daysOffPerWeek: 2, weeklyHours: { min: 20, max: 40 }, night: { from: "23:00", to: "05:00", maxPerWeek: 2 }, fairness: { weekendSpread: 1 } }'));
    const r = s.pools[0].roster;
    expect(r.lengthsSec).toEqual([6 * 3600, 9 * 3600]);
    expect(r.starts).toEqual({ everySec: 1800, fromSec: 7 * 3600, toSec: 11 * 3600 });
    expect(r.breaks).toEqual([{ lengthSec: 1800, withinSec: [3 * 3600, 4 * 3600], paid: false, minShiftSec: 3.5 * 3600 }]);
    expect(r.people).toHaveLength(12);
    expect(r.people![0]).toBe('desk-01');
    expect([r.maxOnBreak, r.absence, r.restSec, r.maxConsecutiveDays, r.daysOffPerWeek]).toEqual([0.25, 0.1, 12 * 3600, 5, 2]);
    expect(r.weeklyHours).toEqual({ min: 20, max: 40 });
    expect(r.night).toEqual({ fromSec: 23 * 3600, toSec: 5 * 3600, maxPerWeek: 2 });
    expect(r.fairness).toEqual({ weekendSpread: 1, nightSpread: Infinity });
    const d = scenarioFromYaml(base('{}')).pools[0].roster;
    expect(d.lengthsSec).toEqual([4 * 3600, 6 * 3600, 8 * 3600]);
    expect(d.breaks).toEqual([{ lengthSec: 1800, withinSec: [3 * 3600, 5 * 3600], paid: true, minShiftSec: 6 * 3600 }]);
  });
  it('reads the people from a staff CSV: the rows of the pool, names as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-staff-'));
    writeFileSync(join(dir, 'staff.csv'), 'name,pool\n李伟,desk\nAnn Lee,desk\nBo,backoffice\n');
    const s = scenarioFromYaml(base('{ people: { csv: staff.csv } }'), dir);
    expect(s.pools[0].roster.people).toEqual(['李伟', 'Ann Lee']);
    writeFileSync(join(dir, 'twice.csv'), 'name,pool\nAnn,desk\nAnn,desk\n');
    expect(() => scenarioFromYaml(base('{ people: { csv: twice.csv } }'), dir)).toThrow(/twice\.csv:3:\d+: name: 'Ann' is already listed for pool 'desk' \(line 2\)$/);
    writeFileSync(join(dir, 'none.csv'), 'name,pool\nBo,backoffice\n');
    expect(() => scenarioFromYaml(base('{ people: { csv: none.csv } }'), dir)).toThrow(/pools\[0\]\.roster\.people\.csv: has no rows for pool 'desk'$/);
  });
  it.each([
    ['{ shifts: [4h10m] }', 'pools[0].roster.shifts[0]: a shift length must be a whole number of the 30-minute intervals, got 250 minutes'],
    ['{ starts: { from: "25:00" } }', "pools[0].roster.starts.from: must be a time of day 'HH:MM', got '25:00'"],
    ['{ breaks: [{ length: 30m, within: [4h, 3h] }] }', "pools[0].roster.breaks[0].within[1]: must not be before the window's start (4h)"],
    ['{ weeklyHours: { min: 50, max: 40 } }', 'pools[0].roster.weeklyHours.min: must not be above max (50 > 40)'],
    ['{ people: [ann, bob, ann] }', "pools[0].roster.people[2]: 'ann' is already people[0]"],
    ['{ daysOffPerWeek: 7 }', 'pools[0].roster.daysOffPerWeek: leaves no working day in a week'],
    ['{ minBooking: 5h, shifts: [4h, 6h] }', 'pools[0].roster.shifts[0]: is shorter than the minimum booking (5h)'],
  ])('%s is refused, located: %s', (roster, message) => {
    // file:line:column, then the path inside the scenario
    expect(() => scenarioFromYaml(base(roster))).toThrow(new RegExp(`^test\\.yaml:8:\\d+: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });
});
