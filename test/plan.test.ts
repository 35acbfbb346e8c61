// The planner: the Erlang C minimum on a stationary system, constraints respected, infeasible
// targets ending with exit 1 and a named target, and plans that round-trip through simulate --plan.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../src/staffing/planner.js';
import { peakLoadPerStep, modifiedOfferedLoad } from '../src/staffing/offered-load.js';
import { scenarioFromYaml } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

const mmc = (extra = '', target = '{ channel: phone, serviceLevel: { within: 20s, atLeast: 0.8 }, scope: horizon }') => `
name: stationary
seed: 2
calendar: { start: 2026-01-05T00:00+08:00, horizon: 2d, interval: 60m }
intents: [general]
channels: { phone: { patience: none } }
demand: [{ channel: phone, intent: general, curve: { shape: flat, perDay: 4800 } }]
pools:
  - name: agents
    channel: phone
    skills: [general]
    costPerHour: 40
    handleTime: { default: { exponential: 180s } }
    staffing: 1
${extra}
targets:
  - ${target}
`;

describe('modified offered load', () => {
  it('lags a sinusoid by π/4 with amplitude 1/√2 (DOMAIN.md: λ = 100 + 20 sin t, μ = 1)', () => {
    // steps of 0.01 time units; after the transient, m(t) = 100 + 14.14 sin(t − π/4)
    const dt = 0.01, n = 4000;
    const rates = Float64Array.from({ length: n }, (_, k) => 100 + 20 * Math.sin((k + 0.5) * dt));
    const m = modifiedOfferedLoad(rates, dt, 1, 1);
    for (const k of [3000, 3200, 3500, 3900]) {
      const t = (k + 1) * dt;
      expect(m[k]).toBeCloseTo(100 + 20 / Math.SQRT2 * Math.sin(t - Math.PI / 4), 1);
    }
  });
  it('the peak per step is at least the load at both ends', () => {
    const p = peakLoadPerStep([10, 0, 0], 60, 60);
    expect(p[1]).toBeGreaterThanOrEqual(p[2]);
  });
});

describe('plan on a stationary M/M/c', () => {
  const s = scenarioFromYaml(mmc());
  const r = plan(s, { searchReps: 4, verifyReps: 10, margin: 0.01, maxRounds: 10 });
  it('starts from the Erlang C minimum: 14 agents in every interval', () => {
    expect(Array.from(r.start[0]).every((x) => x === 14)).toBe(true);
    expect(Array.from(r.naive[0]).every((x) => x === 14)).toBe(true);
  });
  it('ends at the Erlang C minimum in almost every interval, meeting the target on fresh replications', () => {
    const x = Array.from(r.plan[0]);
    expect(x.filter((v) => v === 14).length / x.length).toBeGreaterThanOrEqual(0.85);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(13);
    expect(r.verified.targets[0].pass).toBe(true);
    expect(r.infeasible).toEqual([]);
  });
});

describe('constraints', () => {
  it('respects min, max and maxStep', () => {
    const s = scenarioFromYaml(mmc('    planning: { min: 15, max: 40, maxStep: 1 }').replace('    staffing: 1\n\n    planning', '    staffing: 1\n    planning'));
    const r = plan(s, { searchReps: 3, verifyReps: 4, margin: 0.01, maxRounds: 4 });
    const x = Array.from(r.plan[0]);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...x)).toBeLessThanOrEqual(40);
    for (let i = 1; i < x.length; i++) expect(Math.abs(x[i] - x[i - 1])).toBeLessThanOrEqual(1);
  });
  it('an agent cap too low is infeasible: exit 1 naming the target and intervals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-plan-'));
    const file = join(dir, 's.yaml');
    const yaml = mmc('    planning: { max: 11 }', '{ channel: phone, serviceLevel: { within: 20s, atLeast: 0.8 }, scope: interval }').replace('    staffing: 1\n\n    planning', '    staffing: 1\n    planning');
    writeFileSync(file, yaml);
    const res = run(['plan', file, '--search-reps', '2', '--reps', '3', '--max-rounds', '4', '--no-progress']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/cannot meet targets\[0\] \(phone serviceLevel 80%<20s \(interval\)\) within the planning constraints in \d+ window\(s\), first 2026-01-0[56]T/);
    expect(res.stdout).toMatch(/Infeasible within the planning constraints/);
  });
});

describe('a plan round-trips', () => {
  it('plan --out writes a CSV that simulate --plan reproduces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-rt-'));
    const out = join(dir, 'plan.csv');
    const p = run(['plan', 'scenarios/teaching-mmc.yaml', '--out', out, '--reps', '5', '--json', '--no-progress']);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('interval_start,pool,agents');
    expect(csv.length - 1).toBe(j.plan[0].agents.length);
    const sim = run(['simulate', 'scenarios/teaching-mmc.yaml', '--plan', out, '--json', '--reps', '5']);
    expect(sim.status).toBe(0);
    const sj = JSON.parse(sim.stdout);
    // same staffing: the simulated agent-hours equal the plan's
    expect(sj.totals.agentHours).toBeCloseTo(j.agentHours, 6);
  });
});
