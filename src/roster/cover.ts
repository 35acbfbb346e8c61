// The cover: how many people start each allowed shift, at the lowest paid cost, so that the
// agents working (breaks out) reach the requirement in every interval — an integer program
// solved by HiGHS (the `highs` package, HiGHS compiled to WebAssembly). One program per pool:
//
//   minimise   Σ_j paid_j · cost · x_j  +  M · Σ_i u_i
//   subject to Σ_j a_ij · x_j + u_i ≥ need_i       every interval i (a_ij = 1: shift j works in i)
//              Σ_{j starts on day d} x_j ≤ P        every local day d        } with a headcount P
//              Σ_{j in week w} paid_j x_j ≤ P·H     every week w             } (what people can
//              Σ_{j in week w} x_j ≤ P·(7 − off)    every week w             }  work at most)
//              Σ_{j night, week w} x_j ≤ P·N       every week w             }
//              x_j ≥ 0 integer, u_i ≥ 0
//
// The slack u_i (penalised far above any shift) keeps the program feasible whatever the rules:
// what it cannot cover is named, interval by interval, instead of a bare "infeasible". Breaks sit
// in the middle of their windows here; people.ts places them. The LP relaxation's optimum is the
// bound the gap is measured against.

import highsLoader from 'highs';
import type { RosterRules } from '../scenario/types.js';
import { defaultBreaks, isNight, paidSec, ShiftCalendar, shiftTypes, workIntervals, type ShiftType } from './shifts.js';

type HighsResult = { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> };
export type Highs = { solve(lp: string, opts?: Record<string, unknown>): HighsResult };
let solver: Highs | null = null;

export async function loadSolver(): Promise<Highs> {
  if (solver === null) solver = (await (highsLoader as unknown as () => Promise<Highs>)()) as Highs;
  return solver;
}

export interface CoverShift extends ShiftType {
  readonly count: number;
}

export interface Cover {
  readonly shifts: readonly CoverShift[];
  /** Agents working per interval with the default break placement. */
  readonly coverage: Int32Array;
  /** Agents short per interval (the slack the program had to use). */
  readonly uncovered: Int32Array;
  readonly paidHours: number;
  readonly status: string;
  /** Relative gap of the integer solution to the LP bound (0 when they agree). */
  readonly gap: number;
  readonly timeLimitSec: number;
  /** Aggregate rules at their limit in the solution (headcount per day, weekly hours, …). */
  readonly binding: readonly string[];
}

export interface CoverOptions {
  readonly timeLimitSec?: number;
}

export const DEFAULT_TIME_LIMIT_SEC = 30;

/** One column of a cover program: the periods it works in, its cost, and at most how many of it. */
export interface CoverColumn {
  readonly work: readonly number[];
  readonly cost: number;
  readonly upper?: number;
}

export interface CoverModel {
  readonly columns: readonly CoverColumn[];
  readonly need: ArrayLike<number>;
  /** 'cost': meet the need at least cost; 'absDeviation': minimise Σ |coverage − need| (pyworkforce's MinAbsDifference). */
  readonly objective: 'cost' | 'absDeviation';
  /** With 'cost': the penalty per agent short in a period, or null to require the need (then the program may be infeasible). */
  readonly slackPenalty: number | null;
  /** At most this many working in any period (and, with absDeviation, |coverage − need| at most this too). */
  readonly maxPerPeriod?: number;
  readonly aggregates?: readonly { readonly vars: readonly number[]; readonly weights: readonly number[]; readonly limit: number }[];
  readonly timeLimitSec: number;
}

export interface CoverSolution {
  readonly x: readonly number[];
  readonly status: string;
  readonly objective: number;
  /** Relative gap to the LP bound (NaN without a bound). */
  readonly gap: number;
  /** Agents short per period (slack used). */
  readonly uncovered: Int32Array;
}

/** Solves a cover program with HiGHS: the integer program, and its LP relaxation for the gap. */
export function solveCover(highs: Highs, m: CoverModel): CoverSolution {
  const n = m.need.length;
  const rows: string[][] = Array.from({ length: n }, () => []);
  m.columns.forEach((c, j) => { for (const i of c.work) rows[i].push(`x${j}`); });
  const obj: string[] = m.objective === 'cost' ? m.columns.map((c, j) => `${c.cost} x${j}`) : [];
  const cons: string[] = [];
  const bounds: string[] = [];
  const sum = (i: number) => rows[i].join(' + ');
  for (let i = 0; i < n; i++) {
    const need = m.need[i];
    if (m.objective === 'absDeviation') {
      // t_i ≥ |coverage_i − need_i|, t_i ≤ maxPerPeriod (as pyworkforce bounds it)
      obj.push(`t${i}`);
      cons.push(` p${i}: ${rows[i].length ? sum(i) + ' - ' : ''}t${i} <= ${need}`);
      cons.push(` q${i}: ${rows[i].length ? sum(i) + ' + ' : ''}t${i} >= ${need}`);
      if (m.maxPerPeriod !== undefined) bounds.push(` 0 <= t${i} <= ${m.maxPerPeriod}`);
    } else if (need > 0) {
      if (m.slackPenalty !== null) {
        obj.push(`${m.slackPenalty} u${i}`);
        cons.push(` c${i}: ${rows[i].length ? sum(i) + ' + ' : ''}u${i} >= ${need}`);
      } else if (rows[i].length > 0) {
        cons.push(` c${i}: ${sum(i)} >= ${need}`);
      } else {
        cons.push(` c${i}: 0 x0 >= ${need}`); // nothing covers it: infeasible, and HiGHS says so
      }
    }
    if (m.maxPerPeriod !== undefined && rows[i].length > 0) cons.push(` m${i}: ${sum(i)} <= ${m.maxPerPeriod}`);
  }
  (m.aggregates ?? []).forEach((a, k) => cons.push(` a${k}: ${a.vars.map((j, q) => `${a.weights[q]} x${j}`).join(' + ')} <= ${a.limit}`));
  m.columns.forEach((c, j) => { if (c.upper !== undefined) bounds.push(` 0 <= x${j} <= ${c.upper}`); });
  if (obj.length === 0) obj.push('0 x0');
  const head = ['Minimize', ' obj: ' + obj.join(' + '), 'Subject To', ...cons, ...(bounds.length ? ['Bounds', ...bounds] : [])];
  const ints = m.columns.map((_, j) => `x${j}`);
  const res = highs.solve([...head, 'General', ' ' + ints.join(' '), 'End'].join('\n'), { time_limit: m.timeLimitSec, mip_rel_gap: 1e-4 });
  const lp = highs.solve([...head, 'End'].join('\n'), { time_limit: m.timeLimitSec });
  const ok = res.Status === 'Optimal' || res.Status === 'Time limit reached';
  const x = m.columns.map((_, j) => (ok ? Math.max(0, Math.round(res.Columns[`x${j}`]?.Primal ?? 0)) : 0));
  const uncovered = new Int32Array(n);
  if (ok) {
    const cov = new Float64Array(n);
    m.columns.forEach((c, j) => { for (const i of c.work) cov[i] += x[j]; });
    for (let i = 0; i < n; i++) uncovered[i] = Math.max(0, m.need[i] - cov[i]);
  }
  const bound = lp.Status === 'Optimal' ? lp.ObjectiveValue : NaN;
  const gap = ok && Number.isFinite(bound) ? (res.ObjectiveValue > 1e-9 ? Math.max(0, (res.ObjectiveValue - bound) / res.ObjectiveValue) : 0) : NaN;
  return { x, status: res.Status, objective: ok ? res.ObjectiveValue : NaN, gap, uncovered };
}

/** Cheapest shifts covering `need` under the pool's rules. */
export function cover(highs: Highs, sc: ShiftCalendar, need: Int32Array, r: RosterRules, o: CoverOptions = {}): Cover {
  const n = need.length;
  const iv = sc.iv;
  const timeLimitSec = o.timeLimitSec ?? DEFAULT_TIME_LIMIT_SEC;
  const coverage = new Int32Array(n);
  if (need.every((x) => x <= 0)) return { shifts: [], coverage, uncovered: new Int32Array(n), paidHours: 0, status: 'Optimal', gap: 0, timeLimitSec, binding: [] };
  const types = shiftTypes(sc, r)
    .map((t) => ({ t, work: workIntervals({ ...t, breaks: defaultBreaks(t, iv, r) }, iv, r, n), paid: paidSec(t.len, iv, r) / 3600 }))
    .filter((x) => x.work.some((i) => need[i] > 0));
  // the penalty: more than any shift could cost, so slack is used only where no shift can help
  const M = 1000 * Math.max(16, ...types.map((x) => x.paid));
  const aggregates: { name: string; vars: number[]; weights: number[]; limit: number }[] = [];
  if (r.people !== null) {
    const P = r.people.length;
    const byDay = new Map<number, number[]>(), byWeek = new Map<number, number[]>();
    types.forEach((x, j) => {
      const d = sc.dayOf(x.t.start);
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d)!.push(j);
      const w = sc.weekOf(d);
      if (!byWeek.has(w)) byWeek.set(w, []);
      byWeek.get(w)!.push(j);
    });
    for (const [d, js] of byDay) aggregates.push({ name: `people on ${sc.date(d)} (headcount ${P})`, vars: js, weights: js.map(() => 1), limit: P });
    for (const [w, js] of byWeek) {
      aggregates.push({ name: `weeklyHours.max in week ${w + 1} (${P} people × ${r.weeklyHours.max} h)`, vars: js, weights: js.map((j) => types[j].paid), limit: P * r.weeklyHours.max });
      aggregates.push({ name: `daysOffPerWeek in week ${w + 1} (${P} people × ${7 - r.daysOffPerWeek} days)`, vars: js, weights: js.map(() => 1), limit: P * (7 - r.daysOffPerWeek) });
      const nights = js.filter((j) => isNight(sc, types[j].t, r));
      if (nights.length > 0 && r.night.maxPerWeek < 7) aggregates.push({ name: `night.maxPerWeek in week ${w + 1} (${P} people × ${r.night.maxPerWeek})`, vars: nights, weights: nights.map(() => 1), limit: P * r.night.maxPerWeek });
    }
  }
  const sol = solveCover(highs, {
    columns: types.map((x) => ({ work: x.work, cost: x.paid })), need, objective: 'cost', slackPenalty: M, aggregates, timeLimitSec,
  });
  const shifts: CoverShift[] = [];
  let paid = 0;
  types.forEach((t, j) => {
    if (sol.x[j] <= 0) return;
    shifts.push({ ...t.t, count: sol.x[j] });
    paid += sol.x[j] * t.paid;
    for (const i of t.work) coverage[i] += sol.x[j];
  });
  const binding = aggregates.filter((a) => a.vars.reduce((q, j, k) => q + a.weights[k] * sol.x[j], 0) >= a.limit - 1e-6).map((a) => a.name);
  return { shifts, coverage, uncovered: sol.uncovered, paidHours: paid, status: sol.status, gap: sol.gap, timeLimitSec, binding };
}
