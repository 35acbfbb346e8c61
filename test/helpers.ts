// Builders for test scenarios: YAML text through the real loader, so tests cover it too.
import { loadScenario, loadScenarioText } from '../src/scenario/load.js';
import { expectedArrivals } from '../src/scenario/curves.js';
import type { Scenario } from '../src/scenario/types.js';
import { simulateScenario } from '../src/parallel/runner.js';

export function scenarioFromYaml(yaml: string, baseDir = process.cwd()): Scenario {
  return loadScenarioText(yaml, 'test.yaml', baseDir);
}

export interface MmcOptions {
  perMinute: number; // arrival rate
  aht: string; // e.g. '3m'
  agents: number;
  patience?: string; // e.g. '5m'; default none
  days?: number;
  reps?: number;
  seed?: number;
  concurrency?: number;
  handle?: string; // distribution YAML, default exponential aht
  sl?: string; // SL threshold for the target
  extra?: string;
}

/** A single-queue M/M/c(+M) scenario: flat Poisson demand, one pool. */
export function mmcYaml(o: MmcOptions): string {
  const days = o.days ?? 10;
  return `
name: mmc
seed: ${o.seed ?? 1}
replications: ${o.reps ?? 20}
calendar: { start: 2026-01-01T00:00+00:00, horizon: ${days}d, interval: 60m }
intents: [general]
channels:
  phone:
    patience: ${o.patience ? `{ exponential: ${o.patience} }` : 'none'}
demand:
  - channel: phone
    intent: general
    curve: { shape: flat, total: ${o.perMinute * 1440 * days} }
pools:
  - name: agents
    channel: phone
    skills: [general]
    concurrency: ${o.concurrency ?? 1}
    handleTime: { default: ${o.handle ?? `{ exponential: ${o.aht} }`} }
    staffing: ${o.agents}
targets:
  - channel: phone
    serviceLevel: { within: ${o.sl ?? '20s'}, atLeast: 0.8 }
    scope: horizon
${o.extra ?? ''}`;
}

export function runYaml(yaml: string) {
  return simulateScenario(scenarioFromYaml(yaml));
}

import { expect } from 'vitest';
import { estimate } from '../src/stats/student.js';
import type { RepResult } from '../src/model/replication.js';

/**
 * Asserts that theory lies inside the replications' confidence interval for the mean. The level
 * is 99.9%: with fixed seeds a test either always passes or always fails, and at 99.9% a correct
 * model fails about one test in a thousand — the band is the replication CI, never widened by hand.
 */
export function expectNear(values: ArrayLike<number>, theory: number, what: string, level = 0.999): void {
  const e = estimate(values, level);
  const msg = `${what}: simulated ${e.mean.toPrecision(5)} ± ${e.half.toPrecision(3)} (${level * 100}% CI over ${e.n} replications), theory ${theory.toPrecision(5)}`;
  expect(Math.abs(e.mean - theory), msg).toBeLessThanOrEqual(e.half);
}

export const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** Per-replication horizon totals of one channel's counter. */
export function perRep(reps: readonly RepResult[], f: (r: RepResult) => number): number[] {
  return reps.map(f);
}

/**
 * The mean of `reps` independent Poisson counts with this expectation lies within 3.29 of its
 * standard deviations, sqrt(expected / reps), with probability 99.9% (normal approximation):
 * the band a count of contacts gets instead of a number picked by hand.
 */
export function expectPoisson(mean: number, expected: number, reps: number, what: string): void {
  const half = 3.29 * Math.sqrt(expected / reps);
  expect(Math.abs(mean - expected), `${what}: ${mean} against ${expected.toFixed(1)} expected (± ${half.toFixed(1)}, 99.9% over ${reps} replications)`).toBeLessThanOrEqual(half);
}

/** Expected arrivals of every demand stream of a scenario file, summed (exact from its curves). */
export function expectedDemand(file: string): number {
  const s = loadScenario(file, {});
  return s.demand.reduce((a, d) => a + expectedArrivals(d.curve), 0);
}
