// The roster for people: per pool the integer program's status, gap and time limit, people,
// shifts, paid hours and cost against the two-step roster's (the cover of the interval plan) on
// the same fresh replications; the coverage hour by hour (required, scheduled, on break, working,
// over/under) for the window shown; fairness spreads; what the rules left open or broke; and the
// roster's verified targets. Also its JSON (docs/outputs.md).

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { formatDateTime, shortLabel } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { SimulationResult } from '../stats/summary.js';
import type { Staffing } from '../staffing/staffing.js';
import type { RosterResult } from '../roster/improve.js';
import { breakLengths, type ShiftCalendar } from '../roster/shifts.js';
import { count, money, pct } from './format.js';
import { renderTargets } from './table.js';

const plain = { head: [], border: [] };
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export interface RosterOutcome {
  readonly sc: ShiftCalendar;
  /** The integer program's cover of the interval plan with its people (today's two steps). */
  readonly twoStep: { readonly result: RosterResult; readonly verified: SimulationResult };
  /** Improved with the simulation in the loop: the roster peakplan hands out. */
  readonly joint: { readonly result: RosterResult; readonly verified: SimulationResult };
  readonly rounds: number;
  readonly timeLimitSec: number;
  readonly replications: number;
}

const met = (r: SimulationResult) => `${r.targets.filter((t) => t.verdict === 'meets').length} of ${r.targets.length} met`;

export function renderRoster(s: Scenario, plan: Staffing, o: RosterOutcome, v: { colour: ChalkInstance; fromSec: number; toSec: number }): string {
  const c = v.colour;
  const cal = s.calendar, iv = cal.intervalSec;
  const j = o.joint.result, t2 = o.twoStep.result;
  const out: string[] = ['', c.bold('Roster') + ` — shifts of people under the labour rules: the integer program's cover of the plan (HiGHS), improved with the simulation in the loop (${o.rounds} rounds, common random numbers)`];
  const t = new Table({ head: ['pool', 'solver', 'gap', 'people', 'shifts', 'paid hours', 'two-step paid hours', 'cost', 'open shifts', 'broken rules'], style: plain, chars });
  j.pools.forEach((x) => {
    if (x.people === null) return;
    const two = t2.pools[x.pool];
    const cv = x.cover!;
    t.push([s.pools[x.pool].name, `${cv.status}${cv.status === 'Time limit reached' ? ` (${o.timeLimitSec}s)` : ''}`, Number.isFinite(cv.gap) ? pct(cv.gap, 2) : '–', String(x.people.people.length), count(x.people.shifts.length),
      count(x.paidHours), count(two.paidHours), money(x.cost), String(x.people.open.length), String(x.people.violations.length)]);
  });
  out.push(t.toString());
  const saved = t2.paidHours > 0 ? 1 - j.paidHours / t2.paidHours : 0;
  out.push(`Two-step roster (cover of the plan): ${count(t2.paidHours)} paid hours, cost ${money(t2.cost)}, targets ${met(o.twoStep.verified)}; ` +
    `with the simulation in the loop: ${count(j.paidHours)} paid hours (${saved >= 0 ? '−' : '+'}${pct(Math.abs(saved), 1)}), cost ${money(j.cost)}, targets ${met(o.joint.verified)} — both on the same ${o.joint.verified.replications} fresh replications.`);
  out.push(c.dim(`Solver: HiGHS, time limit ${o.timeLimitSec}s per pool, gap against the LP bound; paid hours are shift hours less unpaid breaks (docs/roster.md).`));

  // coverage by hour over the window, all rostered pools together
  const pools = j.pools.filter((x) => x.people !== null);
  if (pools.length > 0) {
    const per = Math.max(1, Math.round(3600 / iv));
    const a = Math.floor(v.fromSec / iv), b = Math.min(cal.intervals, Math.ceil(v.toSec / iv));
    const ct = new Table({ head: ['hour', 'required', 'gross required', 'scheduled', 'on break', 'working', 'productive', 'over/under'], style: plain, chars, colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] });
    for (let h = a; h < b; h += per) {
      let req = 0, gr = 0, sch = 0, brk = 0, wk = 0, pr = 0;
      const m = Math.min(per, b - h);
      for (let i = h; i < h + m; i++) {
        for (const x of pools) { req += plan[x.pool][i]; gr += x.gross![i]; sch += x.people!.scheduled[i]; brk += x.people!.onBreak[i]; wk += x.people!.working[i]; pr += x.productive[i]; }
      }
      const f = (z: number) => (Math.round((z / m) * 10) / 10).toString();
      const ou = (pr - req) / m;
      ct.push([shortLabel(cal.startMs + h * iv * 1000, cal.offsetMinutes), f(req), f(gr), f(sch), f(brk), f(wk), f(pr), ou < -0.05 ? c.yellow(f(pr - req)) : f(pr - req)]);
    }
    out.push('Coverage per hour, rostered pools together (means of the intervals): required is the interval plan, gross required ⌈that ÷ (1 − roster.absence)⌉, working is scheduled less breaks, productive ⌊working × (1 − absence)⌋ is what the simulation staffs; --coverage-out for every interval and pool.');
    out.push(ct.toString());
    const ft = new Table({ head: ['pool', 'weekend shifts per person', 'night shifts per person', 'paid hours per person'], style: plain, chars });
    for (const x of pools) {
      const sp = x.people!.spread;
      ft.push([s.pools[x.pool].name, `${sp.weekend[0]}–${sp.weekend[1]}`, `${sp.night[0]}–${sp.night[1]}`, `${count(sp.hours[0])}–${count(sp.hours[1])}`]);
    }
    out.push('Fairness (least–most per person over the horizon):');
    out.push(ft.toString());
  }
  out.push(c.bold('Targets of the roster') + ` (verified on ${o.joint.verified.replications} fresh replications)`);
  out.push(renderTargets(o.joint.verified.targets, c));
  return out.join('\n') + '\n';
}

/** The roster in plan --json: per pool the solver's status and gap, people, shifts and what the rules left open or broke. */
export function rosterJson(s: Scenario, plan: Staffing, o: RosterOutcome) {
  const cal = s.calendar, iv = cal.intervalSec;
  const at = (i: number) => formatDateTime(cal.startMs + i * iv * 1000, cal.offsetMinutes);
  const side = (x: RosterOutcome['joint']) => ({ paidHours: x.result.paidHours, cost: x.result.cost, targets: x.verified.targets });
  return {
    method: 'cover of the plan (integer program), then the simulation in the loop (common random numbers)',
    rounds: o.rounds, timeLimitSec: o.timeLimitSec,
    ...side(o.joint),
    twoStep: side(o.twoStep),
    pools: o.joint.result.pools.filter((x) => x.people !== null).map((x) => {
      const p = s.pools[x.pool], pe = x.people!, cv = x.cover!;
      const lens = (len: number) => breakLengths(len, iv, p.roster);
      return {
        pool: p.name, status: cv.status, gap: Number.isFinite(cv.gap) ? cv.gap : null, binding: cv.binding,
        uncovered: Array.from(cv.uncovered).flatMap((u, i) => (u > 0 ? [{ start: at(i), agents: u }] : [])),
        people: pe.people, paidHours: x.paidHours, cost: x.cost, twoStepPaidHours: o.twoStep.result.pools[x.pool].paidHours,
        shifts: pe.shifts.map((sh) => ({ person: sh.person, date: o.sc.date(sh.day), start: at(sh.start), end: at(sh.start + sh.len), breaks: sh.breaks.map((b, k) => ({ start: at(b), end: at(b + lens(sh.len)[k]) })), paidHours: sh.paidHours, night: sh.night, weekend: sh.weekend })),
        open: pe.open.map((q) => ({ start: at(q.start), end: at(q.start + q.len), why: q.why })),
        violations: pe.violations,
        spread: pe.spread,
        coverage: { required: Array.from(plan[x.pool]), grossRequired: Array.from(x.gross!), scheduled: Array.from(pe.scheduled), onBreak: Array.from(pe.onBreak), working: Array.from(pe.working), productive: Array.from(x.productive) },
        absence: p.roster.absence,
      };
    }),
  };
}
