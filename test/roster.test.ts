// Rostering by integer programming: the roster covers the requirement in every interval, and on a
// hand-checked case it finds the cheapest shifts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHIFTS, loadSolver, roster, shiftCover } from '../src/staffing/roster.js';

describe('roster', () => {
  it('a shift with a break does not work during the break', () => {
    const c = shiftCover(0, 8 * 3600, 900, 100, DEFAULT_SHIFTS);
    expect(c).toHaveLength(30); // 32 quarter-hours less a 30-minute break
    expect(c).not.toContain(16);
    expect(c).not.toContain(17);
  });
  it('finds the cheapest cover: two agents for 8 hours are four 4-hour shifts (an 8-hour one has a break)', async () => {
    const need = new Int32Array(48);
    for (let i = 8; i < 40; i++) need[i] = 2; // 02:00–10:00 in quarter-hours
    const r = roster(await loadSolver(), need, 900, { ...DEFAULT_SHIFTS, lengthsSec: [4 * 3600, 8 * 3600], startEverySec: 900 });
    expect(r.status).toBe('Optimal');
    expect(r.paidHours).toBe(16);
    for (let i = 0; i < 48; i++) expect(r.coverage[i]).toBeGreaterThanOrEqual(need[i]);
  });
  it('covers a varying requirement in every interval', async () => {
    const need = Int32Array.from({ length: 96 }, (_, i) => Math.round(10 + 8 * Math.sin((i / 96) * 2 * Math.PI)));
    const r = roster(await loadSolver(), need, 900, DEFAULT_SHIFTS);
    for (let i = 0; i < 96; i++) expect(r.coverage[i]).toBeGreaterThanOrEqual(need[i]);
    const needHours = need.reduce((a, b) => a + b, 0) / 4;
    expect(r.paidHours).toBeGreaterThanOrEqual(needHours);
    expect(r.paidHours).toBeLessThan(needHours * 1.3); // shifts of 4–8 h waste little on a smooth curve
  });
});
