// The simulator against queueing theory: Erlang C, Erlang A, chat concurrency as k servers,
// non-preemptive priorities (Cobham), Little's law and Poisson arrival counts.
import { describe, expect, it } from 'vitest';
import { erlangA, erlangCMetrics, serviceLevelBases } from '../src/staffing/erlang.js';
import { targetSamples } from '../src/stats/windows.js';
import { POOL_LEVEL, poolLevelIndex, QUEUE_FIELD } from '../src/stats/recorder.js';
import { expectNear, mmcYaml, runYaml, sum } from './helpers.js';

const LAM = 100 / 1800; // 100 contacts per 30 minutes, per second
const AHT = 180;

const pWait = (r: { counters: Record<string, Float64Array> }) =>
  1 - sum(r.counters.answeredAtOnce) / (sum(r.counters.answered) + sum(r.counters.abandoned));
const within = (r: { within: Float64Array; maxK: number; counters: Record<string, Float64Array> }) => {
  let w = 0;
  for (let i = 0; i < r.within.length; i += r.maxK) w += r.within[i];
  return w / (sum(r.counters.answered) + sum(r.counters.abandoned));
};
const asa = (r: { counters: Record<string, Float64Array> }) => sum(r.counters.waitAnswered) / sum(r.counters.answered);
const pAbandon = (r: { counters: Record<string, Float64Array> }) =>
  sum(r.counters.abandoned) / (sum(r.counters.answered) + sum(r.counters.abandoned));

describe('Erlang C (M/M/c): 100 contacts per 30 min, AHT 180 s, 14 agents', () => {
  const out = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 14, days: 10, reps: 20 }));
  const theory = erlangCMetrics(LAM, AHT, 14, 20);

  it('theory is the published example', () => {
    expect(theory.pWait).toBeCloseTo(0.1741, 4);
    expect(theory.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(theory.asa).toBeCloseTo(7.84, 2);
  });
  it('P(wait)', () => expectNear(out.reps.map(pWait), theory.pWait, 'P(wait)'));
  it('service level within 20 s', () => expectNear(out.reps.map(within), theory.serviceLevel, 'SL20'));
  it('average wait', () => expectNear(out.reps.map(asa), theory.asa, 'ASA'));
  it('occupancy = A / c', () => {
    const occ = out.reps.map((r) => {
      const nc = 1, nl = r.nLevels;
      let busy = 0, present = 0;
      for (let b = 0; b < r.area.length / nl; b++) { busy += r.area[b * nl + poolLevelIndex(nc, 0, POOL_LEVEL.busy)]; present += r.area[b * nl + poolLevelIndex(nc, 0, POOL_LEVEL.present)]; }
      return busy / present;
    });
    expectNear(occ, theory.occupancy, 'occupancy');
  });
  it('the summary reports the same service level', () => {
    const s = out.result.channels[0].stats.serviceLevel;
    expect(s.lo).toBeLessThanOrEqual(theory.serviceLevel);
    expect(s.hi).toBeGreaterThanOrEqual(theory.serviceLevel);
  });
});

describe('Erlang A (M/M/c+M): same, patience 5 min, 13 agents', () => {
  const out = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 13, patience: '5m', days: 10, reps: 20 }));
  const theory = erlangA(LAM, AHT, 300, 13, 20);

  it('theory is the published example', () => {
    expect(theory.pWait).toBeCloseTo(0.2258, 4);
    expect(theory.pAbandon).toBeCloseTo(0.025, 4);
  });
  it('P(wait)', () => expectNear(out.reps.map(pWait), theory.pWait, 'P(wait)'));
  it('P(abandon)', () => expectNear(out.reps.map(pAbandon), theory.pAbandon, 'P(abandon)'));
  it('mean wait of answered contacts', () => expectNear(out.reps.map(asa), theory.meanWaitAnswered, 'Wq served'));
  it('service level within 20 s', () => expectNear(out.reps.map(within), theory.serviceLevel, 'SL20'));
});

describe('the four service-level definitions (docs/model.md) against Erlang A: 100 / 30 min, AHT 180 s, patience 5 min, 13 agents', () => {
  // Peers count abandoned contacts differently: over all offered (peakplan's default, as in
  // ../shared/peers), over answered only, over those who did not give up before 20 s, and
  // P(wait ≤ 20 s) whether the wait ended in an answer or in giving up.
  const bases = ['offered', 'answered', 'offeredExceptShortAbandons', 'allWaits'] as const;
  const extra = bases.map((b) => `  - { channel: phone, serviceLevel: { within: 20s, atLeast: 0.8, of: ${b} }, scope: horizon }`).join('\n');
  const out = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 13, patience: '5m', days: 10, reps: 20, extra }));
  const theory = serviceLevelBases(erlangA(LAM, AHT, 300, 13, 20));
  it('theory: 85.8% of offered, 88.0% of answered, 86.8% without short abandons, 87.0% of all waits', () => {
    expect(theory.offered).toBeCloseTo(0.8582, 4);
    expect(theory.answered).toBeCloseTo(0.8801, 4);
    expect(theory.offeredExceptShortAbandons).toBeCloseTo(0.8683, 4);
    expect(theory.allWaits).toBeCloseTo(0.8698, 4);
  });
  bases.forEach((b, i) => it(`simulation: ${b}`, () => {
    const t = out.model.scenario.targets[i + 1];
    expect(t.slOf).toBe(b);
    const [w] = targetSamples(out.model.scenario, out.layout, out.reps, t);
    expectNear(w.values, theory[b], `SL20 of ${b}`);
  }));
});

describe('Erlang A, heavy load with short patience (λ = 10/min, AHT 3 m, c = 27, patience 1 m)', () => {
  // offered load 30 E on 27 agents: overloaded, held stable by abandonment; exercises the queue
  const out = runYaml(mmcYaml({ perMinute: 10, aht: '3m', agents: 27, patience: '1m', days: 4, reps: 20 }));
  const theory = erlangA(10 / 60, 180, 60, 27, 20);
  it('P(wait)', () => expectNear(out.reps.map(pWait), theory.pWait, 'P(wait)'));
  it('P(abandon)', () => expectNear(out.reps.map(pAbandon), theory.pAbandon, 'P(abandon)'));
});

describe('chat concurrency without slowdown is agents × k servers', () => {
  const k3 = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 5, concurrency: 3, days: 5, reps: 10 }));
  const k1 = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 15, days: 5, reps: 10 }));
  it('gives the very same contacts the very same waits (common random numbers)', () => {
    for (let r = 0; r < 10; r++) {
      expect(Array.from(k3.reps[r].counters.waitAnswered)).toEqual(Array.from(k1.reps[r].counters.waitAnswered));
      expect(Array.from(k3.reps[r].counters.answeredAtOnce)).toEqual(Array.from(k1.reps[r].counters.answeredAtOnce));
    }
  });
  it('and matches Erlang C with c = 15', () => {
    const theory = erlangCMetrics(LAM, AHT, 15, 20);
    expectNear(k3.reps.map(pWait), theory.pWait, 'P(wait)');
    expectNear(k3.reps.map(asa), theory.asa, 'ASA');
  });
});

describe('non-preemptive priorities (Cobham): two classes, same service, 14 agents', () => {
  const yaml = mmcYaml({ perMinute: 0, aht: '3m', agents: 14, days: 10, reps: 20 })
    .replace('intents: [general]', 'intents: [urgent, normal]')
    .replace(/demand:[\s\S]*?pools:/, `demand:
  - { channel: phone, intent: urgent, curve: { shape: flat, total: ${0.3 * (100 / 30) * 1440 * 10} } }
  - { channel: phone, intent: normal, curve: { shape: flat, total: ${0.7 * (100 / 30) * 1440 * 10} } }
routing:
  priority: { urgent: 1, normal: 5 }
pools:`)
    .replace('skills: [general]', 'skills: [urgent, normal]');
  const out = runYaml(yaml);
  // W_k = C(c, A) / (c μ (1 - σ_{k-1})(1 - σ_k)), σ_k = Σ_{i ≤ k} λ_i / (c μ)
  const c = 14, mu = 1 / AHT;
  const C = erlangCMetrics(LAM, AHT, c, 20).pWait;
  const s1 = (0.3 * LAM) / (c * mu), s2 = LAM / (c * mu);
  const w1 = C / (c * mu * (1 - s1)), w2 = C / (c * mu * (1 - s1) * (1 - s2));
  const F = QUEUE_FIELD.count;
  const queueWait = (q: number) => out.reps.map((r) => r.queueTotals[q * F + QUEUE_FIELD.waitAnswered] / r.queueTotals[q * F + QUEUE_FIELD.answered]);
  // queues: (channel 0, intent 0 urgent, non-VIP) = 0, (channel 0, intent 1 normal, non-VIP) = 2
  it('top class waits as theory says', () => expectNear(queueWait(0), w1, 'urgent mean wait'));
  it('low class waits as theory says', () => expectNear(queueWait(2), w2, 'normal mean wait'));
  it('and the difference between the classes, paired replication by replication, is Cobham\'s', () => {
    const d = queueWait(2).map((x, i) => x - queueWait(0)[i]);
    expectNear(d, w2 - w1, 'normal − urgent mean wait');
  });
});

describe("Little's law", () => {
  const out = runYaml(mmcYaml({ perMinute: 100 / 30, aht: '3m', agents: 13, patience: '5m', days: 10, reps: 5 }));
  it('time-average queue = arrival rate × mean wait (∫Q dt = Σ waits)', () => {
    for (const r of out.reps) {
      let area = 0;
      for (let b = 0; b < r.area.length / r.nLevels; b++) area += r.area[b * r.nLevels];
      const waits = sum(r.counters.waitAnswered) + sum(r.counters.waitAbandoned);
      // They differ only by the waits of contacts still queued at the end (a few, each < a few patience spans)
      expect(Math.abs(area - waits) / area).toBeLessThan(2e-3);
    }
  });
  it('time-average busy agents = completion rate × mean handle time', () => {
    for (const r of out.reps) {
      let busy = 0;
      for (let b = 0; b < r.area.length / r.nLevels; b++) busy += r.area[b * r.nLevels + 2];
      expect(Math.abs(busy - sum(r.counters.handleSum)) / busy).toBeLessThan(2e-3);
    }
  });
});
