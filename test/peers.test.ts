// Peers' published values: peakplan's formulas and simulation against what other tools print and
// test, each case naming its source (repository, file and commit as mirrored on 2026-12-02).
import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../src/parallel/runner.js';
import { agentsForServiceLevel, erlangA, erlangCMetrics } from '../src/staffing/erlang.js';
import { POOL_LEVEL, poolLevelIndex, QUEUE_FIELD } from '../src/stats/recorder.js';
import { estimate } from '../src/stats/student.js';
import { expectNear, scenarioFromYaml, sum } from './helpers.js';

// 100 contacts per 30 minutes, AHT 3 minutes: 10 erlangs (both Erlang C peers' example)
const LAM = 100 / 1800, AHT = 180;

describe('pyworkforce (rodrigo-arenas/pyworkforce @ ca48925, pyworkforce/queuing/tests)', () => {
  // test_erlang.py: transactions 100, aht 3, interval 30, asa 0.33 (minutes: the answer-time
  // target), shrinkage 0.3; values asserted with round(x, 3)
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  it('ErlangC required_positions(0.8, max_occupancy 0.85): raw 14, positions 20, SL 0.888, occupancy 0.714, P(wait) 0.174', () => {
    const raw = agentsForServiceLevel(LAM, AHT, 0.33 * 60, 0.8);
    expect(raw).toBe(14);
    expect(Math.ceil(raw / (1 - 0.3))).toBe(20); // pyworkforce's shrinkage: ceil(raw / (1 − shrinkage))
    const m = erlangCMetrics(LAM, AHT, 14, 0.33 * 60);
    expect(r3(m.serviceLevel)).toBe(0.888);
    expect(r3(m.occupancy)).toBe(0.714);
    expect(r3(m.pWait)).toBe(0.174);
  });
  it('ErlangC with max_occupancy 0.7 (test_over_occupancy_erlangc): raw 15, positions 22, SL 0.941, occupancy 0.667, P(wait) 0.102', () => {
    const raw = Math.max(agentsForServiceLevel(LAM, AHT, 0.33 * 60, 0.8), Math.ceil(10 / 0.7)); // its occupancy cap: ceil(A / max)
    expect(raw).toBe(15);
    expect(Math.ceil(raw / (1 - 0.3))).toBe(22);
    const m = erlangCMetrics(LAM, AHT, 15, 0.33 * 60);
    expect(r3(m.serviceLevel)).toBe(0.941);
    expect(r3(m.occupancy)).toBe(0.667);
    expect(r3(m.pWait)).toBe(0.102);
  });
  it('Erlang A at 14 agents, patience 5, asa 20/60 (test_abandonment.py @ 20c1439): P(wait) 0.14526, P(abandon) 0.013984, occupancy 0.704297, ASA 0.069919 min, SL 0.916792', () => {
    const a = erlangA(LAM, AHT, 300, 14, 20);
    expect(Math.round(a.pWait * 1e5) / 1e5).toBe(0.14526);
    expect(Math.round(a.pAbandon * 1e6) / 1e6).toBe(0.013984);
    expect(Math.round(a.occupancy * 1e6) / 1e6).toBe(0.704297);
    // pyworkforce's ASA is Lq / λ over every arrival, abandoned ones too: peakplan's meanWait
    expect(Math.round((a.meanWait / 60) * 1e6) / 1e6).toBe(0.069919);
    expect(Math.round(a.serviceLevel * 1e6) / 1e6).toBe(0.916792);
  });
});

describe('CRAN ErlangC 0.1.0 (cran/ErlangC @ b1210c7, README and tests)', () => {
  // 100 calls in 30 minutes, AHT 180 s, answer within 20 s
  it.each([
    [14, 0.1741319, 0.88835, 7.83593701177724, 0.7142857],
    [13, 0.2852705, 0.7955948, 17.1162271821896, 0.7692308],
    [12, 0.4493882, 0.640158, 40.4449401868444, 0.8333333],
    [11, 0.6821182, 0.3896138, 122.78127684408, 0.9090909],
  ])('%i agents: P(wait) %f, service level %f, ASA %f s, occupancy %f', (c, pw, sl, asa, occ) => {
    const m = erlangCMetrics(LAM, AHT, c, 20);
    expect(m.pWait).toBeCloseTo(pw, 7);
    expect(m.serviceLevel).toBeCloseTo(sl, 6);
    expect(m.asa).toBeCloseTo(asa, 8);
    expect(m.occupancy).toBeCloseTo(occ, 7);
  });
  it('calculate_agents for 80% in 20 s: 14 agents (20 with shrinkage 0.3: 14 / 0.7)', () => {
    expect(agentsForServiceLevel(LAM, AHT, 20, 0.8)).toBe(14);
  });
});

describe("Ciw (CiwPython/Ciw @ 05f1727, tests/test_simulation.py::test_priority_system_compare_literature)", () => {
  // One server, non-preemptive priorities: class 0 arrives at 0.2, class 1 at 0.6, both served
  // at rate 1 (minutes here). The literature's mean sojourn times are 2.0 and 6.0 (Cobham:
  // waits 1.0 and 5.0 plus the service of 1.0); Ciw's own seeded run asserts 1.84736 and
  // 5.71125 from 25 runs of 180 time units, which peakplan is not held to.
  const yaml = `
name: ciw priorities
seed: 3
replications: 20
calendar: { start: 2026-01-05T00:00+00:00, horizon: 20d, interval: 60m }
intents: [first, second]
channels: { phone: { patience: none } }
demand:
  - { channel: phone, intent: first, curve: { shape: flat, total: ${0.2 * 1440 * 20} } }
  - { channel: phone, intent: second, curve: { shape: flat, total: ${0.6 * 1440 * 20} } }
routing: { priority: { first: 1, second: 2 } }
pools: [{ name: server, channel: phone, skills: [first, second], handleTime: { default: { exponential: 1m } }, staffing: 1 }]
`;
  const out = simulateScenario(scenarioFromYaml(yaml));
  const F = QUEUE_FIELD.count;
  // queues: (channel 0, intent 0, non-VIP) = 0 and (channel 0, intent 1, non-VIP) = 2
  const sojourn = (q: number) => out.reps.map((r) => (r.queueTotals[q * F + QUEUE_FIELD.waitAnswered] / r.queueTotals[q * F + QUEUE_FIELD.answered]) / 60 + 1);
  it('class 0: mean sojourn 2.0', () => expectNear(sojourn(0), 2.0, 'class 0 sojourn (min)'));
  it('class 1: mean sojourn 6.0', () => expectNear(sojourn(2), 6.0, 'class 1 sojourn (min)'));
});

// ContactCenters (umontreal-simul/contactcenters @ dd71c17, doc/examples/MMC.java, MMCAb.java and
// their published output MMC.res, MMCAb.res): an 8-hour day starting empty, Poisson arrivals at
// 4.2 a minute, exponential service of mean 2 minutes, 12 agents, acceptable wait 20 s; arrivals
// stop at 480 minutes and the contacts still queued are served; 1,000 days (replications), 95%
// Student (counts) or delta-method (ratios) intervals. MMCAb: exponential patience of mean 1
// minute. Their service level counts the served only (`of: answered`); "service level with
// abandonment" leaves the contacts who gave up before 20 s out (`of: offeredExceptShortAbandons`).
// Occupancy is ∫ busy / ∫ agents over [0, 480] only.
describe('ContactCenters MMC and MMCAb: the same day, 1,000 replications, within the combined intervals', () => {
  const day = (patience: string) => scenarioFromYaml(`
name: contactcenters
seed: 1
replications: 1000
calendar: { start: 2026-01-05T08:00+00:00, horizon: 9h, interval: 30m }
intents: [call]
channels: { phone: { patience: ${patience} } }
demand: [{ channel: phone, intent: call, curve: { shape: flat, total: 1 } }]
pools: [{ name: agents, channel: phone, skills: [call], handleTime: { default: { exponential: 2m } }, staffing: 12 }]
`);
  // the 8-hour day of Poisson arrivals, then an hour in which the last queue drains
  const withDay = (s: ReturnType<typeof day>) => {
    const rates = new Float64Array(s.calendar.intervals);
    for (let i = 0; i < 16; i++) rates[i] = 4.2 / 60;
    return { ...s, demand: [{ ...s.demand[0], curve: { stepSec: s.calendar.intervalSec, rates, source: 'ContactCenters MMC: 4.2 a minute for 480 minutes' } }] };
  };
  /** Ours within 3.29/1.96 of the combined 95% half-widths of ours and theirs (a 99.9% test that the means agree). */
  const agrees = (xs: number[], theirs: number, theirLo: number, theirHi: number, what: string) => {
    const e = estimate(xs, 0.95);
    const half = (3.29 / 1.96) * Math.hypot(e.half, (theirHi - theirLo) / 2);
    expect(Math.abs(e.mean - theirs), `${what}: peakplan ${e.mean.toFixed(4)} ± ${e.half.toFixed(4)}, ContactCenters ${theirs} (${theirLo}, ${theirHi})`).toBeLessThanOrEqual(half);
  };
  const figures = (patience: string) => {
    const s = withDay(day(patience));
    const out = simulateScenario(s, { reportSec: 1800 });
    const nc = 1, slOf = (r: (typeof out.reps)[number]) => {
      let inTarget = 0, abWithin = 0;
      for (let b = 0; b < out.layout.nBins; b++) { inTarget += r.within[b * r.maxK]; abWithin += r.abandonedWithin[b * r.maxK]; }
      return { inTarget, abWithin };
    };
    const occ = (r: (typeof out.reps)[number]) => {
      let busy = 0, present = 0;
      for (let b = 0; b < 16; b++) {
        busy += r.area[b * r.nLevels + poolLevelIndex(nc, 0, POOL_LEVEL.busy)];
        present += r.area[b * r.nLevels + poolLevelIndex(nc, 0, POOL_LEVEL.present)];
      }
      return busy / present;
    };
    return {
      inTarget: out.reps.map((r) => slOf(r).inTarget),
      sl: out.reps.map((r) => slOf(r).inTarget / sum(r.counters.answered)),
      slAb: out.reps.map((r) => slOf(r).inTarget / (sum(r.counters.answered) + sum(r.counters.abandoned) - slOf(r).abWithin)),
      abandoned: out.reps.map((r) => sum(r.counters.abandoned)),
      speed: out.reps.map((r) => sum(r.counters.waitAnswered) / sum(r.counters.answered) / 60),
      occupancy: out.reps.map(occ),
      leftAtEnd: out.reps.map((r) => r.inSystem[0]),
    };
  };
  it('MMC: in target 1816.158, service level 0.902, speed of answer 0.099 min, occupancy 0.695', () => {
    const f = figures('none');
    expect(Math.max(...f.leftAtEnd)).toBe(0); // the day's last contacts were all served
    agrees(f.inTarget, 1816.158, 1812.618, 1819.698, 'number in target');
    agrees(f.sl, 0.902, 0.900, 0.904, 'service level');
    agrees(f.speed, 0.099, 0.097, 0.102, 'speed of answer (min)');
    agrees(f.occupancy, 0.695, 0.694, 0.697, 'occupancy over the 8 hours');
  });
  it('MMCAb: abandoned 58.609, in target 1906.008, service level 0.975, with abandonment 0.968, speed of answer 0.024 min, occupancy 0.675', () => {
    const f = figures('{ exponential: 1m }');
    agrees(f.abandoned, 58.609, 57.660, 59.558, 'number abandoned');
    agrees(f.inTarget, 1906.008, 1903.785, 1908.231, 'number in target');
    agrees(f.sl, 0.975, 0.974, 0.975, 'service level (served)');
    agrees(f.slAb, 0.968, 0.968, 0.969, 'service level with abandonment');
    agrees(f.speed, 0.024, 0.023, 0.024, 'speed of answer (min)');
    agrees(f.occupancy, 0.675, 0.674, 0.677, 'occupancy over the 8 hours');
  });
});
