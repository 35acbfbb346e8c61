// Starting from a live state (simulate --state): an empty state changes nothing, byte for byte; a
// queue with no arrivals drains as hand-computed with deterministic handle times and as M/M/c
// theory says with exponential ones; patience is drawn given the time already waited; a state for
// another scenario is refused at its place.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/model/compile.js';
import { makeLayout, runReplication } from '../src/model/replication.js';
import { simulateScenario } from '../src/parallel/runner.js';
import { readState } from '../src/scenario/state.js';
import { estimate, tQuantile } from '../src/stats/student.js';
import { scenarioFromYaml } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'peakplan-state-'));

describe('simulate --state', () => {
  it('an empty state gives byte-identical results to a plain run', () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ at: '2026-11-03T00:00+08:00', waiting: [] }));
    const a = run(['simulate', 'scenarios/teaching-chat.yaml', '--json']);
    const b = run(['simulate', 'scenarios/teaching-chat.yaml', '--json', '--state', empty]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('five waiting chats, no arrivals, two agents, 10-minute chats: answered at 0, 0, 10, 10, 20 minutes (longest-waiting first)', () => {
    const log = join(dir, 'drain.csv');
    const r = run(['simulate', 'fixtures/state/drain.yaml', '--state', 'fixtures/state/five-waiting.json', '--interval', '30m', '--json', '--log', log]);
    expect(r.status, r.stderr).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(log, 'utf8'), { columns: true });
    expect(rows.map((x) => [x.answered.slice(11, 19), Number(x.wait_s)])).toEqual([
      ['00:00:00', 120], ['00:00:00', 60], ['00:10:00', 600], ['00:10:00', 600], ['00:20:00', 1200],
    ]);
    const j = JSON.parse(r.stdout);
    const first = j.rows.find((x: any) => x.start === '2026-11-11T00:00+08:00');
    // within 3 minutes: the two that had waited 2 and 1 minutes, answered at once
    expect(first.serviceLevel.mean).toBe(2 / 5);
    expect(first.offered.mean).toBe(5);
    expect(first.arrivals.mean).toBe(0);
    expect(j.channels[0].stats.averageWait.mean).toBeCloseTo((120 + 60 + 600 + 600 + 1200) / 5, 9);
  });

  it('a chat in service with 5 minutes left holds its agent: the three waiting are answered at 0, 5 and 10 minutes', () => {
    const log = join(dir, 'busy.csv');
    const r = run(['simulate', 'fixtures/state/drain.yaml', '--state', 'fixtures/state/busy-and-waiting.json', '--interval', '30m', '--json', '--log', log]);
    expect(r.status, r.stderr).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(log, 'utf8'), { columns: true });
    // the contact in service: answered before the horizon, done 5 minutes in; not offered again
    expect(rows[0].offered).toBe('');
    expect(Number(rows[0].handle_s)).toBe(300);
    expect(rows.slice(1).map((x) => [x.answered.slice(11, 19), Number(x.wait_s)])).toEqual([['00:00:00', 0], ['00:05:00', 300], ['00:10:00', 600]]);
    const first = JSON.parse(r.stdout).rows.find((x: any) => x.start === '2026-11-11T00:00+08:00');
    expect(first.offered.mean).toBe(3);
    expect(first.answered.mean).toBe(3);
    // busy 5 + 10 + 10 + 10 of 2 × 30 agent-minutes
    expect(first.occupancy.mean).toBeCloseTo(35 / 60, 5); // (JSON keeps 6 significant digits)
  });

  it('refuses more in service than the first interval\'s agents can hold', () => {
    const f = join(dir, 'too-busy.json');
    writeFileSync(f, JSON.stringify({ at: '2026-11-11T00:00+08:00', inService: [{ pool: 'desk', channel: 'chat', intent: 'general', remaining: [60, 60, 60] }] }));
    const r = run(['simulate', 'fixtures/state/drain.yaml', '--state', f]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/too-busy\.json: inService\[0\]\.remaining: 3 contacts in service for pool 'desk', more than its 2 agents of the first interval can hold \(2\)$/);
  });

  it('contacts in the bot go on through it: the bot resolves its share of them, the rest are offered', () => {
    const yaml = `
name: bot at the start
seed: 5
replications: 1
calendar: { start: 2026-11-11T00:00+08:00, horizon: 2h, interval: 30m }
intents: [general]
channels: { chat: { patience: none } }
bot: { channels: [chat], resolve: { general: 0.7 }, time: { exponential: 1m } }
demand: [{ channel: chat, intent: general, curve: { shape: flat, total: 0 } }]
pools:
  - { name: desk, channel: chat, skills: [general], handleTime: { default: { exponential: 2m } }, staffing: 40 }
`;
    const file = join(dir, 'bot.yaml'), st = join(dir, 'bot.json');
    writeFileSync(file, yaml);
    writeFileSync(st, JSON.stringify({ at: '2026-11-11T00:00+08:00', inBot: [{ channel: 'chat', intent: 'general', count: 1000 }] }));
    const r = run(['simulate', file, '--state', st, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout).channels[0].stats;
    expect(c.arrivals.mean).toBe(1000);
    expect(c.botResolved.mean + c.offered.mean).toBe(1000);
    // binomial(1000, 0.7): 99% of draws within 2.58 standard deviations
    expect(Math.abs(c.botResolved.mean - 700)).toBeLessThanOrEqual(2.58 * Math.sqrt(1000 * 0.7 * 0.3));
  });

  it('20 waiting, 3 agents, exponential 5-minute service, no arrivals: the drain takes (N − c)/(cμ) + H_c/μ and the mean wait is Σ (k − c)/(cμ) / N (M/M/c)', () => {
    const s0 = scenarioFromYaml(`
name: mmc drain
seed: 17
replications: 400
calendar: { start: 2026-11-11T00:00+08:00, horizon: 8h, interval: 30m }
intents: [general]
channels: { chat: { patience: none } }
demand: [{ channel: chat, intent: general, curve: { shape: flat, total: 0 } }]
pools:
  - { name: desk, channel: chat, skills: [general], handleTime: { default: { exponential: 5m } }, staffing: 3 }
`);
    const N = 20, c = 3, mean = 300;
    const s = { ...s0, initial: readState(JSON.stringify({ at: '2026-11-11T00:00+08:00', waiting: [{ channel: 'chat', intent: 'general', waited: Array(N).fill(0) }] }), 'state.json', s0) };
    const model = compile(s), layout = makeLayout(s, 1800, false, true);
    const drains: number[] = [];
    for (let r = 0; r < s.replications; r++) {
      let last = 0;
      runReplication(model, layout, s.seed, r, undefined, (t, ev) => { if (ev === 'done') last = Math.max(last, t); });
      drains.push(last);
    }
    const theory = ((N - c) * mean) / c + mean * (1 + 1 / 2 + 1 / 3);
    const e = estimate(drains);
    const tol = tQuantile(0.995, drains.length - 1) * Math.sqrt(drains.reduce((a, x) => a + (x - e.mean) ** 2, 0) / (drains.length - 1)) / Math.sqrt(drains.length);
    expect(Math.abs(e.mean - theory), `drain ${e.mean} against ${theory} ± ${tol}`).toBeLessThanOrEqual(tol);
    // the mean wait of the twenty, from the same replications' summary
    const out = simulateScenario(s, { reportSec: 1800 });
    const w = out.result.channels[0].stats.averageWait;
    let sum = 0;
    for (let k = c + 1; k <= N; k++) sum += ((k - c) * mean) / c;
    expect(sum / N).toBeGreaterThanOrEqual(w.lo);
    expect(sum / N).toBeLessThanOrEqual(w.hi);
  });

  it('patience is drawn given the wait so far: deterministic 5 minutes after 2 waited gives up at 3; after 6 waited, at once', () => {
    const yaml = readFileSync(join(ROOT, 'fixtures/state/drain.yaml'), 'utf8').replace('patience: none', 'patience: { deterministic: 5m }').replace('staffing: 2', 'staffing: 0');
    const file = join(dir, 'impatient.yaml');
    writeFileSync(file, yaml);
    const st = join(dir, 'two.json');
    writeFileSync(st, JSON.stringify({ at: '2026-11-11T00:00+08:00', waiting: [{ channel: 'chat', intent: 'general', waited: ['2m', '6m'] }] }));
    const log = join(dir, 'impatient.csv');
    const r = run(['simulate', file, '--state', st, '--log', log]);
    expect(r.status, r.stderr).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(log, 'utf8'), { columns: true });
    expect(rows.map((x) => [x.outcome, x.abandoned.slice(11, 19), Number(x.wait_s)]).sort()).toEqual([
      ['abandoned', '00:00:00', 360], ['abandoned', '00:03:00', 300],
    ]);
  });

  it.each([
    [{ at: '2026-11-11T02:00+08:00', waiting: [] }, /five\.json: at: the state is for 2026-11-11T02:00\+08:00 but the scenario starts at 2026-11-11T00:00\+08:00/],
    [{ at: '2026-11-11T00:00+08:00', waiting: [{ channel: 'phone', intent: 'general', waited: [1] }] }, /five\.json: waiting\[0\]\.channel: unknown channel "phone" \(the scenario has: chat\); is the state for another scenario\?$/],
    [{ at: '2026-11-11T00:00+08:00', waiting: [{ channel: 'chat', intent: 'general', waited: [-3] }] }, /five\.json: waiting\[0\]\.waited\[0\]: must be ≥ 0 seconds, got -3$/],
    ['{ not json', /five\.json: is not JSON/],
  ])('a bad state is refused at its place, exit 2 (%#)', (state, message) => {
    const f = join(dir, 'five.json');
    writeFileSync(f, typeof state === 'string' ? state : JSON.stringify(state));
    const out = join(dir, 'never.csv');
    const r = run(['simulate', 'fixtures/state/drain.yaml', '--state', f, '--csv', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});
