// peakplan's roster integer program (src/roster/cover.ts) on pyworkforce's shift-scheduling test
// instances: pyworkforce/scheduling/tests/test_shifts.py at rodrigo-arenas/pyworkforce
// ca48925 (v0.5.4). Its tests assert only the status; the optimal objectives below were found by
// exhaustive search over every integer assignment and agree with pyworkforce's own CP-SAT solve
// (157 is also its documentation's example, docs/guide/scheduling.md). Days are independent in
// pyworkforce's model, so the two days are one program here with a column per day and shift.
import { describe, expect, it } from 'vitest';
import { loadSolver, solveCover, type CoverColumn } from '../src/roster/cover.js';

const REQUIRED = [
  [9, 11, 17, 9, 7, 12, 5, 11, 8, 9, 18, 17, 8, 12, 16, 8, 7, 12, 11, 10, 13, 19, 16, 7],
  [13, 13, 12, 15, 18, 20, 13, 16, 17, 8, 13, 11, 6, 19, 11, 20, 19, 17, 10, 13, 14, 23, 16, 8],
];
const COVERAGE: Record<string, number[]> = {
  Morning: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  Afternoon: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
  Night: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
  Mixed: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
};
const NAMES = Object.keys(COVERAGE);

/** A column per day and shift (day-major, as pyworkforce's resources_shifts), at most `maxShift` each. */
function columns(maxShift: number, cost: Record<string, number> | null): CoverColumn[] {
  const out: CoverColumn[] = [];
  for (let d = 0; d < 2; d++) {
    for (const name of NAMES) {
      const work = COVERAGE[name].flatMap((a, p) => (a ? [d * 24 + p] : []));
      out.push({ work, cost: cost?.[name] ?? 1, upper: maxShift });
    }
  }
  return out;
}
const need = REQUIRED.flat();

describe("pyworkforce's shift-scheduling instances through peakplan's roster program", () => {
  it('MinRequiredResources (max_period_concurrency 25, max_shift_concurrency 25): 113 resources, the need met everywhere', async () => {
    const s = solveCover(await loadSolver(), { columns: columns(25, null), need, objective: 'cost', slackPenalty: null, maxPerPeriod: 25, timeLimitSec: 30 });
    expect(s.status).toBe('Optimal');
    expect(s.objective).toBeCloseTo(113, 9);
    expect(s.x.reduce((a, b) => a + b, 0)).toBe(113);
    expect(Array.from(s.uncovered).every((u) => u === 0)).toBe(true);
    // day totals: 50 and 63
    expect(s.x.slice(0, 4).reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('with shift costs {Morning 8, Afternoon 8, Night 10, Mixed 7}: 979, and the unique solution', async () => {
    const s = solveCover(await loadSolver(), { columns: columns(25, { Morning: 8, Afternoon: 8, Night: 10, Mixed: 7 }), need, objective: 'cost', slackPenalty: null, maxPerPeriod: 25, timeLimitSec: 30 });
    expect(s.status).toBe('Optimal');
    expect(s.objective).toBeCloseTo(979, 9);
    // (Morning, Afternoon, Night, Mixed) per day
    expect(s.x).toEqual([12, 13, 19, 6, 20, 17, 23, 3]);
  });

  it('MinAbsDifference (25, 20): Σ |coverage − need| = 157 (76 + 81)', async () => {
    const s = solveCover(await loadSolver(), { columns: columns(20, null), need, objective: 'absDeviation', slackPenalty: null, maxPerPeriod: 25, timeLimitSec: 30 });
    expect(s.status).toBe('Optimal');
    expect(s.objective).toBeCloseTo(157, 9);
    const dev = (d: number) => REQUIRED[d].reduce((a, r, p) => a + Math.abs(NAMES.reduce((c, name, k) => c + COVERAGE[name][p] * s.x[d * 4 + k], 0) - r), 0);
    expect(dev(0)).toBe(76);
    expect(dev(1)).toBe(81);
  });

  it('the infeasible cases: MinRequiredResources with at most 20 per shift, MinAbsDifference with at most 10 per period', async () => {
    const highs = await loadSolver();
    // day 2, period 21 needs 23 and only Night covers it
    expect(solveCover(highs, { columns: columns(20, null), need, objective: 'cost', slackPenalty: null, maxPerPeriod: 25, timeLimitSec: 30 }).status).toBe('Infeasible');
    expect(solveCover(highs, { columns: columns(20, null), need, objective: 'absDeviation', slackPenalty: null, maxPerPeriod: 10, timeLimitSec: 30 }).status).toBe('Infeasible');
  });

  it('with slack instead of hard cover, the infeasible case names what is short: Night covers period 21 of day 2 with 20 of 23', async () => {
    const s = solveCover(await loadSolver(), { columns: columns(20, null), need, objective: 'cost', slackPenalty: 1000, maxPerPeriod: 25, timeLimitSec: 30 });
    expect(s.status).toBe('Optimal');
    const short = Array.from(s.uncovered).flatMap((u, i) => (u > 0 ? [[i, u]] : []));
    expect(short).toEqual([[24 + 21, 3]]);
  });
});
