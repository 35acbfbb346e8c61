// Builders for test scenarios: YAML text through the real loader, so tests cover it too.
import { loadScenarioText } from '../src/scenario/load.js';
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
