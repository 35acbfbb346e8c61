// peakplan replan (issue 16): the re-forecast converges to the true factor as actuals accumulate,
// with its interval shrinking; a surge re-plans the rest of the horizon with more agents, but only
// from now plus the notice; bad actuals and times are refused, located.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { reforecast } from '../src/replan/forecast.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the re-forecast', () => {
  it('on actuals drawn at 1.2 × the forecast, moves towards 1.2 as they accumulate, its interval shrinking', () => {
    const rng = seedrandom('replan-1.2');
    // Poisson draws (by inversion) of 1.2 × 100 expected contacts per interval
    const poisson = (m: number) => { let k = 0, p = Math.exp(-m), c = p; const u = rng(); while (u > c) { k++; p *= m / k; c += p; } return k; };
    let A = 0, E = 0;
    const at: { n: number; f: ReturnType<typeof reforecast> }[] = [];
    for (let n = 1; n <= 256; n++) {
      A += poisson(120); E += 100;
      if ([1, 4, 16, 64, 256].includes(n)) at.push({ n, f: reforecast(A, E) });
    }
    // with nothing yet, the forecast stands; then the actuals take over
    expect(reforecast(0, 0).factor).toBe(1);
    for (let i = 1; i < at.length; i++) {
      expect(at[i].f.hi - at[i].f.lo, `width at ${at[i].n}`).toBeLessThan(at[i - 1].f.hi - at[i - 1].f.lo);
      expect(Math.abs(at[i].f.factor - 1.2), `distance at ${at[i].n}`).toBeLessThan(Math.abs(at[0].f.factor - 1.2));
    }
    const last = at[at.length - 1].f;
    expect(last.lo).toBeLessThan(1.2);
    expect(last.hi).toBeGreaterThan(1.2);
    // and the interval is the posterior's: about 2 × 1.96 × √(prior + A) / (prior + E) wide
    expect((last.hi - last.lo) / ((2 * 1.96 * Math.sqrt(200 + A)) / (200 + E))).toBeCloseTo(1, 2);
    // the weight of the forecast is the prior's: after as many expected contacts as the prior, halfway
    expect(reforecast(240, 200, 200).factor).toBeCloseTo(1.1, 12);
  });
});

describe('peakplan replan on a surge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-replan-'));
  const planCsv = join(dir, 'plan.csv'), actuals = join(dir, 'sofar.csv'), next = join(dir, 'next.csv');
  let r: ReturnType<typeof run>;
  beforeAll(() => {
    expect(run(['plan', 'scenarios/teaching-chat.yaml', '--out', planCsv, '--no-progress']).status).toBe(0);
    // actuals: the scenario's own expected arrivals until 06:00, 30% higher
    const sim = JSON.parse(run(['simulate', 'scenarios/teaching-chat.yaml', '--interval', '30m', '--json']).stdout);
    const rows = sim.rows.filter((x: any) => x.start < '2026-11-03T06:00').map((x: any) => `${x.start},${x.channel},${Math.round(1.3 * x.arrivals.mean)}`);
    writeFileSync(actuals, ['interval_start,channel,arrivals', ...rows].join('\n') + '\n');
    r = run(['replan', 'scenarios/teaching-chat.yaml', '--plan', planCsv, '--actuals', actuals, '--now', '2026-11-03T06:00', '--notice', '1h', '--out', next, '--json', '--no-progress']);
  }, 120_000);

  it('re-forecasts the surge and calls agents in, only from now plus the notice', () => {
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const f = j.forecast[0];
    expect(f.factor).toBeGreaterThan(1.15);
    expect(f.lo).toBeGreaterThan(1);
    const before: Record<string, string>[] = parse(readFileSync(planCsv, 'utf8'), { columns: true });
    const after: Record<string, string>[] = parse(readFileSync(next, 'utf8'), { columns: true });
    expect(after.length).toBe(before.length);
    let more = 0;
    after.forEach((row, i) => {
      expect(row.interval_start).toBe(before[i].interval_start);
      // nothing changes before 07:00 (06:00 plus an hour's notice)
      if (row.interval_start < '2026-11-03T07:00') expect(row.agents, row.interval_start).toBe(before[i].agents);
      else if (Number(row.agents) > Number(before[i].agents)) more++;
    });
    expect(more).toBeGreaterThan(0);
    expect(j.changes.length).toBeGreaterThan(0);
    for (const c of j.changes) expect(c.from >= '11-03 07:00').toBe(true);
    expect(j.changes.some((c: any) => /^call in \d+ agents? for desk from 11-03 \d\d:\d\d to /.test(c.text))).toBe(true);
    // the plan in force misses on the surge; the new one meets, on the same seed
    expect(j.current.targets[0].verdict).toBe('misses');
    expect(j.replanned.targets.every((t: any) => t.verdict !== 'misses')).toBe(true);
    expect(j.pass).toBe(true);
  });

  it.each([
    [['--now', '2026-11-03T06:10'], /^error: --now: must be the start of one of the scenario's intervals/],
    [['--now', '2026-11-03T05:00'], /sofar\.csv:\d+:\d+: interval_start: 2026-11-03T05:00\+08:00 is at or after --now: actuals are what happened before it$/],
  ])('bad input is refused, exit 2, nothing written (%#)', (args, message) => {
    const out = join(dir, 'never.csv');
    const q = run(['replan', 'scenarios/teaching-chat.yaml', '--plan', planCsv, '--actuals', actuals, '--out', out, ...args]);
    expect(q.status).toBe(2);
    expect(q.stderr.trim()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('peakplan replan with the roster in force', () => {
  it('keeps the shifts already started: until they end, never fewer than the people on them, even in a lull', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-replan-roster-'));
    const roster = join(dir, 'roster.csv'), actuals = join(dir, 'sofar.csv'), next = join(dir, 'next.csv');
    expect(run(['plan', 'fixtures/roster/week.yaml', '--shifts', '--roster-out', roster, '--no-progress']).status).toBeLessThanOrEqual(1);
    const sim = JSON.parse(run(['simulate', 'fixtures/roster/week.yaml', '--roster', roster, '--interval', '30m', '--json']).stdout);
    // a lull: 60% of what the roster's own run expects, until 12:00 on the second day
    const rows = sim.rows.filter((x: any) => x.start < '2026-11-10T12:00').map((x: any) => `${x.start},${x.channel},${Math.round(0.6 * x.arrivals.mean)}`);
    writeFileSync(actuals, ['interval_start,channel,arrivals', ...rows].join('\n') + '\n');
    const r = run(['replan', 'fixtures/roster/week.yaml', '--roster', roster, '--actuals', actuals, '--now', '2026-11-10T12:00', '--json', '--out', next, '--no-progress']);
    const j = JSON.parse(r.stdout);
    expect(r.status).toBe(j.pass ? 0 : 1);
    expect(j.forecast[0].factor).toBeLessThan(0.8);
    expect(j.changes.some((c: any) => c.text.startsWith('release'))).toBe(true);
    // people whose shift began before 12:00 and who are working (not on break) in each interval after it
    const shifts: Record<string, string>[] = parse(readFileSync(roster, 'utf8'), { columns: true });
    const T = Date.parse('2026-11-10T12:00:00+08:00');
    const plan: Record<string, string>[] = parse(readFileSync(next, 'utf8'), { columns: true });
    let checked = 0;
    for (const row of plan) {
      const t = Date.parse(row.interval_start);
      if (t < T + 2 * 3.6e6) continue; // within the notice the plan in force stands anyway
      const on = shifts.filter((x) => Date.parse(x.start) < T && Date.parse(x.start) <= t && t < Date.parse(x.end)).filter((x) => {
        const clock = row.interval_start.slice(11, 16);
        return !x.breaks.split(';').map((b) => b.trim()).filter(Boolean).some((b) => { const [a, e] = b.split('-'); return clock >= a && clock < e; });
      }).length;
      expect(Number(row.agents), row.interval_start).toBeGreaterThanOrEqual(on);
      if (on > 0) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
