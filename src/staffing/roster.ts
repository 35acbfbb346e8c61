// Rostering: turn a per-interval requirement into shifts — how many agents start each allowed
// shift (length, start time, break) — at the lowest paid cost, as an integer program solved by
// HiGHS (the `highs` package, HiGHS compiled to WebAssembly). One program per pool:
//
//   minimise   Σ_j cost_j · x_j
//   subject to Σ_j a_ij · x_j ≥ need_i   for every interval i   (a_ij = 1 when shift j works in i)
//              x_j ≥ 0 integer
//
// Without breaks the coverage matrix has consecutive ones (totally unimodular), so the LP is
// already integral; breaks make it a true integer program.

import highsLoader from 'highs';

export interface ShiftRules {
  /** Allowed shift lengths (s), e.g. 4 h, 6 h, 8 h. */
  readonly lengthsSec: readonly number[];
  /** Shifts start every this many seconds from the horizon start. */
  readonly startEverySec: number;
  /** A break of breakSec after breakAfterSec of work, for shifts longer than breakAfterSec + breakSec. */
  readonly breakAfterSec: number;
  readonly breakSec: number;
}

export const DEFAULT_SHIFTS: ShiftRules = { lengthsSec: [4 * 3600, 6 * 3600, 8 * 3600], startEverySec: 3600, breakAfterSec: 4 * 3600, breakSec: 1800 };

export interface Shift {
  readonly startInterval: number;
  readonly lengthSec: number;
  readonly agents: number;
}

export interface Roster {
  readonly shifts: readonly Shift[];
  /** Agents working in each interval under the roster (≥ need). */
  readonly coverage: Int32Array;
  readonly paidHours: number;
  readonly status: string;
}

type Highs = { solve(lp: string, opts?: Record<string, unknown>): { Status: string; Columns: Record<string, { Primal: number }> } };
let solver: Highs | null = null;

export async function loadSolver(): Promise<Highs> {
  if (solver === null) solver = (await (highsLoader as unknown as () => Promise<Highs>)()) as Highs;
  return solver;
}

/** Which intervals shift (start, length) works in, breaks taken out. */
export function shiftCover(startInterval: number, lengthSec: number, intervalSec: number, n: number, r: ShiftRules): number[] {
  const len = Math.round(lengthSec / intervalSec);
  const out: number[] = [];
  const withBreak = lengthSec > r.breakAfterSec + r.breakSec;
  const b0 = Math.round(r.breakAfterSec / intervalSec), b1 = b0 + Math.max(1, Math.round(r.breakSec / intervalSec));
  for (let k = 0; k < len; k++) {
    if (withBreak && k >= b0 && k < b1) continue;
    const i = startInterval + k;
    if (i >= 0 && i < n) out.push(i);
  }
  return out;
}

/** Cheapest shifts covering `need` (agents per interval); costPerHour applies to paid (whole-shift) hours. */
export function roster(highs: Highs, need: Int32Array, intervalSec: number, rules: ShiftRules, timeLimitSec = 30): Roster {
  const n = need.length;
  const step = Math.max(1, Math.round(rules.startEverySec / intervalSec));
  const maxLen = Math.max(...rules.lengthsSec);
  const vars: { start: number; len: number; cover: number[] }[] = [];
  // starts from before the horizon (to cover its first intervals) to its end
  for (let s = -Math.floor(maxLen / intervalSec / step) * step; s < n; s += step) {
    for (const len of rules.lengthsSec) {
      const cover = shiftCover(s, len, intervalSec, n, rules);
      if (cover.some((i) => need[i] > 0)) vars.push({ start: s, len, cover });
    }
  }
  const coverage = new Int32Array(n);
  if (vars.length === 0 || need.every((x) => x === 0)) return { shifts: [], coverage, paidHours: 0, status: 'Optimal' };
  const rows: string[][] = Array.from({ length: n }, () => []);
  vars.forEach((v, j) => { for (const i of v.cover) rows[i].push(`x${j}`); });
  const lines: string[] = ['Minimize', ' obj: ' + vars.map((v, j) => `${v.len / 3600} x${j}`).join(' + '), 'Subject To'];
  for (let i = 0; i < n; i++) {
    if (need[i] <= 0) continue;
    if (rows[i].length === 0) throw new RangeError(`no allowed shift covers interval ${i}`);
    lines.push(` c${i}: ${rows[i].join(' + ')} >= ${need[i]}`);
  }
  lines.push('General', ' ' + vars.map((_, j) => `x${j}`).join(' '), 'End');
  const res = highs.solve(lines.join('\n'), { time_limit: timeLimitSec, mip_rel_gap: 1e-4 });
  const shifts: Shift[] = [];
  let paid = 0;
  vars.forEach((v, j) => {
    const x = Math.round(res.Columns[`x${j}`]?.Primal ?? 0);
    if (x <= 0) return;
    shifts.push({ startInterval: v.start, lengthSec: v.len, agents: x });
    paid += (x * v.len) / 3600;
    for (const i of v.cover) coverage[i] += x;
  });
  return { shifts, coverage, paidHours: paid, status: res.Status };
}
