// Regressions of what fuzzing and hand exploration found below the command line (the command-line
// cases are in the bad-input table of cli.test.ts and in edge.test.ts): every distribution the
// schema allows gives finite, non-negative durations for every uniform; scenarios whose numbers
// are each within range but extreme together still load and run, or are refused with a place.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Distribution, gammaQuantile } from '../src/engine/distributions.js';
import { InputError } from '../src/errors.js';
import { simulateScenario } from '../src/parallel/runner.js';
import { LIMITS, MAX_LIVE, tooManyInSystem } from '../src/scenario/limits.js';
import { ReplicationPool, workerFailure } from '../src/parallel/pool.js';
import { scenarioFromYaml } from './helpers.js';

const SEED = 7;
/** Uniforms as the random streams give them, including both ends of (0, 1). */
const U = [1e-16, 1e-12, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.92818, 0.99, 0.999999, 1 - 1e-12, 1 - 2 ** -53];

describe('distributions across the schema ranges', () => {
  it('a gamma with a large cv (tiny shape) no longer returns NaN: it crashed a run with exit 3', () => {
    // shape 1/cv² = 1e-4: Newton's first step was 0 × ∞ for a quarter of a percent of uniforms
    for (const u of [0.92818, 0.95, 0.99]) expect(Number.isFinite(gammaQuantile(u, 1e-4))).toBe(true);
    const d = new Distribution({ kind: 'gamma', mean: 300, cv: 100 });
    for (let i = 1; i < 20000; i++) expect(d.quantile(i / 20000)).toBeGreaterThanOrEqual(0);
  });

  it('every duration distribution gives finite values ≥ 0 for every uniform (mean 1 ms to 1000 days, cv up to 100)', () => {
    const mean = fc.double({ min: 1e-3, max: 1000 * 86400, noNaN: true });
    const cv = fc.double({ min: 1e-3, max: 100, noNaN: true });
    const spec = fc.oneof(
      fc.record({ kind: fc.constant('exponential' as const), mean }),
      fc.record({ kind: fc.constant('lognormal' as const), mean, cv }),
      fc.record({ kind: fc.constant('gamma' as const), mean, cv }),
      fc.tuple(mean, mean).map(([a, b]) => ({ kind: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
      fc.record({ kind: fc.constant('deterministic' as const), value: mean }),
    );
    fc.assert(fc.property(spec, (s) => {
      const d = new Distribution(s);
      for (const u of U) {
        const q = d.quantile(u);
        expect(Number.isFinite(q) && q >= 0, `${JSON.stringify(s)} at u = ${u}: ${q}`).toBe(true);
      }
    }), { seed: SEED, numRuns: 400 });
  });
});

describe('extreme but valid scenarios run', () => {
  const yaml = (handle: string, extra = '') => `
name: extreme
replications: 2
calendar: { start: 2026-11-11T00:00+08:00, horizon: 6h, interval: 30m }
intents: [presale]
channels: { chat: { patience: { exponential: 4m } } }
demand:
  - { channel: chat, intent: presale, curve: { shape: flat, total: 500 } }
pools:
  - { name: desk, channel: chat, skills: [presale], handleTime: { default: ${handle} }, staffing: 4 }
${extra}`;

  it.each([
    ['a gamma handle time with cv 100', '{ gamma: { mean: 5m, cv: 100 } }'],
    ['a gamma handle time of 1 µs with cv 100 (it crashed: event at NaN)', '{ gamma: { mean: 0.001ms, cv: 100 } }'],
    ['a lognormal handle time with cv 100', '{ lognormal: { mean: 5m, cv: 100 } }'],
    ['a handle time of 100,000 days', '{ deterministic: 100000d }'],
  ])('%s', (_, handle) => {
    const out = simulateScenario(scenarioFromYaml(yaml(handle)));
    for (const r of out.reps) {
      expect(r.counters.arrived.reduce((a, x) => a + x, 0)).toBeGreaterThan(400);
      expect(r.counters.waitAnswered.every(Number.isFinite)).toBe(true);
    }
  });

  it('a handle time of days on a live channel (a unit slip: 30d for 30m) runs with a warning', () => {
    // found by the fuzzer: plan then staffed 16,000 agents and ran for minutes
    const s = scenarioFromYaml(yaml('{ gamma: { mean: 30d, cv: 0.6 } }'));
    expect(s.warnings).toEqual(["pool 'desk': handle times of days on a live channel (chat: up to 30d a contact, for presale); is the unit right?"]);
    expect(scenarioFromYaml(yaml('{ gamma: { mean: 30m, cv: 0.6 } }')).warnings).toEqual([]);
  });

  it('the size limits are the documented ones', () => {
    expect(LIMITS).toEqual({ contactsPerReplication: 1e9, ordersPerReplication: 1e9, agentsPerPool: 1_000_000, resultBytes: 4 * 1024 ** 3 });
  });

  it('the largest scenario the limits allow is not refused: 1e9 contacts expected, a million agents', () => {
    // loading only (running it is the stress benchmark's job)
    const s = scenarioFromYaml(yaml('{ exponential: 5m }').replace('total: 500', `total: ${LIMITS.contactsPerReplication}`).replace('staffing: 4', `staffing: ${LIMITS.agentsPerPool}`));
    expect(s.pools[0].staffing[0]).toBe(LIMITS.agentsPerPool);
    expect(() => scenarioFromYaml(yaml('{ exponential: 5m }').replace('total: 500', `total: ${LIMITS.contactsPerReplication * 1.01}`))).toThrow(InputError);
  });
});

describe('runs that outgrow memory stop with a located message (exit 2), also on worker threads', () => {
  it('the message names the file, the time and the cause', () => {
    const s = scenarioFromYaml(`
name: x
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 30m }
intents: [a]
channels: { phone: { patience: none } }
demand: [{ channel: phone, intent: a, curve: { shape: flat, total: 10 } }]
pools: [{ name: p, channel: phone, skills: [a], handleTime: { default: { exponential: 1m } }, staffing: 1 }]
`);
    const e = tooManyInSystem(s, 'contacts', 3723.5, 0);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(`test.yaml: more than ${MAX_LIVE.contacts.toLocaleString('en-US')} contacts in the system at once by 2026-11-11T01:02:03+08:00 (replication 1): the demand is far beyond what the agents serve, and waiting customers do not give up (patience); peakplan stops rather than exhaust memory`);
  });

  it("a worker's input error reaches the command line as an input error (exit 2), anything else as a bug", async () => {
    // A replication that outgrows MAX_LIVE on a worker throws an InputError there; it crosses the
    // thread boundary as { detail, place } and is rebuilt as one (running such a run here would
    // take gigabytes, so the reply is checked on its own)
    const e = workerFailure({ ok: false, error: 'stack', input: { detail: 'more than 8,388,608 contacts in the system at once', place: { file: 'big.yaml' } } });
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('big.yaml: more than 8,388,608 contacts in the system at once');
    // a real worker's failure (a task for a scenario it never received) comes back as a bug, on
    // the asynchronous and the blocking path, instead of hanging the main thread
    const task = { staffing: null, reportSec: 3600, trackNumberInSystem: false, noQuantiles: false };
    const pool = new ReplicationPool(1);
    const unshared = (p: ReplicationPool) => (p as unknown as { shared: Map<unknown, number> }).shared;
    const s = scenarioFromYaml(`
name: w
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1h, interval: 30m }
intents: [a]
channels: { phone: { patience: none } }
demand: [{ channel: phone, intent: a, curve: { shape: flat, total: 10 } }]
pools: [{ name: p, channel: phone, skills: [a], handleTime: { default: { exponential: 1m } }, staffing: 1 }]
`);
    unshared(pool).set(s, 99); // as if shared, but never sent
    await expect(pool.run(s, task, [0])).rejects.toThrow(/replication worker failed: Error: scenario 99 was not shared with this worker/);
    const sync = new ReplicationPool(1);
    try {
      unshared(sync).set(s, 99);
      const err = (() => { try { sync.runSync(s, task, [0]); } catch (x) { return x; } })();
      expect(err).not.toBeInstanceOf(InputError);
      expect(String(err)).toMatch(/scenario 99 was not shared/);
    } finally {
      sync.close();
    }
  });

});

describe('a process that runs many commands', () => {
  it('keeps no worker threads from a command whose input was refused', () => {
    // simulate and plan start their workers before loading the scenario (they boot while it
    // loads); when loading fails, nothing takes them, and main() must close them: the fuzzer's
    // long-lived children ran out of address space for new threads when it did not
    const script = [
      `const { main } = await import('./dist/cli/main.js');`,
      `const { warmWorkers } = await import('./dist/parallel/pool.js');`,
      `const codes = [];`,
      `for (const cmd of ['simulate', 'plan']) codes.push(await main(['node', 'peakplan', cmd, 'fixtures/bad/bad-duration.yaml', '--workers', '2', '--no-progress']));`,
      `console.log(JSON.stringify({ codes, left: warmWorkers() }));`,
      `process.exit(0);`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ codes: [2, 2], left: 0 });
  });
});
