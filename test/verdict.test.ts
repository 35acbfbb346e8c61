// The decision rule (src/stats/verdict.ts, docs/verdicts.md): its pieces against published
// values, and its verdicts against Erlang C where the truth is known exactly.
import { describe, expect, it } from 'vitest';
import { simulateSequential } from '../src/parallel/runner.js';
import { summarise } from '../src/stats/summary.js';
import { erlangCMetrics } from '../src/staffing/erlang.js';
import { tQuantile } from '../src/stats/student.js';
import {
  lookSchedule, replayLooks, singleLook, verdictOf, windowAlpha, windowEstimate, zQuantile, SequentialJudge,
} from '../src/stats/verdict.js';
import { scenarioFromYaml } from './helpers.js';
import { targetSamples } from '../src/stats/windows.js';

describe('the pieces', () => {
  it('looks double from the first up to the budget, which is always the last look', () => {
    expect(lookSchedule(10, 10)).toEqual([10]);
    expect(lookSchedule(10, 5)).toEqual([10]);
    expect(lookSchedule(10, 40)).toEqual([10, 20, 40]);
    expect(lookSchedule(10, 50)).toEqual([10, 20, 40, 50]);
    expect(lookSchedule(8, 333)).toEqual([8, 16, 32, 64, 128, 256, 333]);
  });

  it('each window of each look gets (1 − c) / (K · m): Bonferroni over windows and looks', () => {
    expect(windowAlpha({ confidence: 0.95, looks: [10, 20, 40] }, 100)).toBeCloseTo(0.05 / 300, 15);
    expect(windowAlpha(singleLook(0.9, 10), 1)).toBeCloseTo(0.1, 15);
  });

  it('normal quantiles match the published table (Abramowitz & Stegun, table 26.1)', () => {
    expect(zQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(zQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(zQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(zQuantile(1 - 1e-6)).toBeCloseTo(4.753424, 4);
    expect(zQuantile(0.5)).toBeCloseTo(0, 9);
  });

  it('Student t quantiles match published tables (NIST/SEMATECH e-Handbook, table 1.4.2.7)', () => {
    // upper critical values t(1 − α, ν)
    expect(tQuantile(0.95, 1)).toBeCloseTo(6.314, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(tQuantile(0.99, 19)).toBeCloseTo(2.539, 3);
    expect(tQuantile(0.995, 29)).toBeCloseTo(2.756, 3);
    expect(tQuantile(0.999, 100)).toBeCloseTo(3.174, 3);
    // and the normal limit
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('a window that varies gets the Student-t interval at its one-sided error', () => {
    const xs = [0.91, 0.88, 0.95, 0.9, 0.93, 0.87, 0.92];
    const n = xs.length, mean = xs.reduce((a, b) => a + b) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const half = tQuantile(1 - 0.01, n - 1) * sd / Math.sqrt(n);
    const e = windowEstimate(xs, null, 0.01, 1);
    expect(e.mean).toBeCloseTo(mean, 12);
    expect(e.lo).toBeCloseTo(mean - half, 12);
    expect(e.hi).toBeCloseTo(mean + half, 12);
    expect(e.n).toBe(n);
    // undefined replications (nothing to measure) are left out
    expect(windowEstimate([...xs, NaN], null, 0.01, 1)).toEqual(e);
  });

  it('a window that never varied is decided by its pooled counts: Clopper–Pearson when every contact came out alike', () => {
    // 10 replications, every one of 120 contacts answered in time: the exact lower bound α^(1/N)
    const e = windowEstimate(new Array(10).fill(1), { kind: 'share', successes: 120, trials: 120 }, 0.001, 1);
    expect(e.lo).toBeCloseTo(0.001 ** (1 / 120), 12);
    expect(e.hi).toBe(1);
    expect(verdictOf({ sense: 'atLeast', bound: 0.9 }, e)).toBe('meets'); // 0.9441 ≥ 0.9
    expect(verdictOf({ sense: 'atLeast', bound: 0.95 }, e)).toBe('undecided');
    // nobody abandoned in 200 contacts: the upper bound 1 − α^(1/N)
    const ab = windowEstimate(new Array(10).fill(0), { kind: 'share', successes: 0, trials: 200 }, 0.001, 1);
    expect(ab.hi).toBeCloseTo(1 - 0.001 ** (1 / 200), 12);
    // no complaint on 5,000 orders: Poisson's upper bound −ln(α)/N per order
    const c = windowEstimate(new Array(5).fill(0), { kind: 'rate', successes: 0, trials: 5000 }, 0.001);
    expect(c.hi).toBeCloseTo((1000 * -Math.log(0.001)) / 5000, 12);
  });

  it('meets, misses and undecided follow the interval against the bound, for both senses', () => {
    const e = { mean: 0.9, lo: 0.85, hi: 0.95 };
    expect(verdictOf({ sense: 'atLeast', bound: 0.8 }, e)).toBe('meets');
    expect(verdictOf({ sense: 'atLeast', bound: 0.9 }, e)).toBe('undecided');
    expect(verdictOf({ sense: 'atLeast', bound: 0.96 }, e)).toBe('misses');
    expect(verdictOf({ sense: 'atMost', bound: 0.96 }, e)).toBe('meets');
    expect(verdictOf({ sense: 'atMost', bound: 0.9 }, e)).toBe('undecided');
    expect(verdictOf({ sense: 'atMost', bound: 0.8 }, e)).toBe('misses');
    expect(verdictOf({ sense: 'atLeast', bound: 0.5 }, { mean: NaN, lo: NaN, hi: NaN })).toBe('undecided');
  });
});

// The Erlang C example (DOMAIN.md): 100 calls per 30 minutes, AHT 180 s, 14 agents, SL20 = 0.8884
// exactly. Three targets on the same service level, over a 10-day horizon: bounds 1.5 points
// below, at and 1.5 points above the exact value.
describe('verdicts against Erlang C, with looks of 10, 20 and 40 replications', () => {
  const exact = erlangCMetrics(100 / 1800, 180, 14, 20).serviceLevel;
  const below = Number((exact - 0.015).toFixed(4)), above = Number((exact + 0.015).toFixed(4));
  const yaml = `
name: erlang c verdicts
seed: 5
replications: 10
calendar: { start: 2026-01-05T00:00+08:00, horizon: 10d, interval: 60m }
intents: [general]
channels: { phone: { patience: none } }
demand: [{ channel: phone, intent: general, curve: { shape: flat, perDay: 4800 } }]
pools: [{ name: agents, channel: phone, skills: [general], handleTime: { default: { exponential: 180s } }, staffing: 14 }]
targets:
  - { channel: phone, serviceLevel: { within: 20s, atLeast: ${below} }, scope: horizon }
  - { channel: phone, serviceLevel: { within: 20s, atLeast: ${exact} }, scope: horizon }
  - { channel: phone, serviceLevel: { within: 20s, atLeast: ${above} }, scope: horizon }
`;
  const s = scenarioFromYaml(yaml);
  const rule = { confidence: 0.95, looks: lookSchedule(10, 40) };

  it('below the exact value meets, at it stays undecided with a small budget, above it misses', async () => {
    const out = (await simulateSequential(s, rule))!;
    const [lo, at, hi] = out.judge.targets();
    expect(lo.verdict).toBe('meets');
    expect(at.verdict).toBe('undecided');
    expect(hi.verdict).toBe('misses');
    // the decided windows kept their first look; only the undecided one used the whole budget
    expect(lo.replications).toBe(10);
    expect(hi.replications).toBe(10);
    expect(at.replications).toBe(40);
    expect(out.reps.length).toBe(40);
    // and the truth lies inside every interval shown
    for (const t of [lo, at, hi]) {
      expect(t.windows[0].value.lo).toBeLessThanOrEqual(exact);
      expect(t.windows[0].value.hi).toBeGreaterThanOrEqual(exact);
    }
  });

  it('when every window is decided at a look, no more replications are run', async () => {
    const decided = { ...s, targets: [s.targets[0], s.targets[2]] };
    const out = (await simulateSequential(decided, rule))!;
    expect(out.reps.length).toBe(10);
    expect(out.judge.looksTaken).toBe(1);
    expect(out.result.decision.looksTaken).toBe(1);
  });

  it('a run\'s summary is made when read, equals the one made at once, and cannot be read once another run went on from its judge', async () => {
    const first = (await simulateSequential(s, rule, { enough: (j) => j.looksTaken >= 1 }))!;
    expect(first.reps.length).toBe(10);
    const eager = summarise({ ...s, replications: 10 }, first.layout, first.reps, { judge: first.judge });
    expect(JSON.stringify(first.result)).toBe(JSON.stringify(eager));
    expect(first.result).toBe(first.result); // made once
    const unread = (await simulateSequential(s, rule, { enough: (j) => j.looksTaken >= 1 }))!;
    const more = (await simulateSequential(s, rule, { from: unread }))!;
    expect(more.reps.length).toBe(40);
    expect(() => unread.result).toThrow(/went on from it/);
    expect(more.result.decision.looksTaken).toBe(3);
  });

  it('looks replayed over replications run in advance (merged shards) give the same verdicts on the same replications', async () => {
    const live = (await simulateSequential(s, rule))!;
    const all = (await simulateSequential(s, { ...rule, looks: [40] }))!; // 40 at once, as shards would
    const { judge, used } = replayLooks(s, all.layout, all.reps, rule);
    expect(used.length).toBe(live.reps.length);
    expect(JSON.stringify(judge.targets())).toBe(JSON.stringify(live.judge.targets()));
  });

  it('under --fail-fast (stopAtMiss) a run stops at the first look with a miss, with that look\'s verdicts; without a miss it is not shortened', async () => {
    const ff = { ...rule, stopAtMiss: true as const };
    const stopped = (await simulateSequential(s, ff))!;
    expect(stopped.reps.length).toBe(10);
    expect(stopped.judge.looksTaken).toBe(1);
    expect(stopped.judge.targets().map((t) => t.verdict)).toEqual(['meets', 'undecided', 'misses']);
    // the verdicts are those a run without it had after its first look
    const first = (await simulateSequential(s, rule, { enough: (j) => j.looksTaken >= 1 }))!;
    expect(JSON.stringify(stopped.judge.targets())).toBe(JSON.stringify(first.judge.targets()));
    expect(stopped.result.decision.failFast).toBe(true);
    expect(first.result.decision.failFast).toBeUndefined();
    // with nothing that misses it takes every look a run without it takes
    const noMiss = { ...s, targets: [s.targets[0], s.targets[1]] }, short = { confidence: 0.95, looks: [10, 20] };
    const plain = (await simulateSequential(noMiss, short))!, fast = (await simulateSequential(noMiss, { ...short, stopAtMiss: true as const }))!;
    expect(fast.reps.length).toBe(20);
    expect(JSON.stringify(fast.judge.targets())).toBe(JSON.stringify(plain.judge.targets()));
    // replayed over replications run in advance (merge), it stops at the same look
    const all = (await simulateSequential(s, { ...rule, looks: [20] }))!;
    const { judge, used } = replayLooks(s, all.layout, all.reps, ff);
    expect(used.length).toBe(10);
    expect(JSON.stringify(judge.targets())).toBe(JSON.stringify(stopped.judge.targets()));
  });

  it('a judge takes the looks of its schedule and no more', async () => {
    const out = (await simulateSequential(s, singleLook(0.95, 10)))!;
    const j = new SequentialJudge(s, out.layout, singleLook(0.95, 10));
    expect(j.next).toBe(10);
    j.look(out.reps);
    expect(j.next).toBeNull();
    expect(() => j.look(out.reps)).toThrow(/every look/);
  });
});

// check on plans that meet by construction: the Erlang C example with 14 agents (every interval
// has SL20 ≈ 0.888) against a bound 2 points below, in 48 half-hour intervals, over 40 seeds.
// With probability at least 0.95 no window of a run gets a wrong verdict, so at most 5% of the
// seeds may find a window that "misses". The same windows judged one by one at 95% (no
// correction for 48 windows and three looks) fail far more often: the test can tell the two apart.
describe('the false-alarm rate of check on plans that meet', () => {
  const exact = erlangCMetrics(100 / 1800, 180, 14, 20).serviceLevel;
  const yaml = (seed: number) => `
name: meets by construction
seed: ${seed}
replications: 10
calendar: { start: 2026-01-05T00:00+08:00, horizon: 1d, interval: 30m }
intents: [general]
channels: { phone: { patience: none } }
demand: [{ channel: phone, intent: general, curve: { shape: flat, perDay: 4800 } }]
pools: [{ name: agents, channel: phone, skills: [general], handleTime: { default: { exponential: 180s } }, staffing: 14 }]
targets:
  - { channel: phone, serviceLevel: { within: 20s, atLeast: ${(exact - 0.02).toFixed(4)} }, scope: interval }
`;
  it('at 0.95 confidence at most 5% of seeds fail; judging each window alone at 95% fails more often', async () => {
    const SEEDS = 40;
    let alarms = 0, naiveAlarms = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const s = scenarioFromYaml(yaml(seed));
      const out = (await simulateSequential(s, { confidence: 0.95, looks: lookSchedule(10, 40) }))!;
      if (out.judge.targets()[0].misses > 0) alarms++;
      // the uncorrected rule: each window's own one-sided 95% interval, at the first look and at
      // every later one the run took (as a naive sequential check would)
      const samples = targetSamples(s, out.layout, out.reps, s.targets[0]);
      let naive = false;
      for (const n of lookSchedule(10, 40).filter((k) => k <= out.reps.length)) {
        for (const w of samples) {
          const e = windowEstimate(Array.from(w.values).slice(0, n), w.pooled, 0.05, 1);
          if (e.hi < s.targets[0].bound) naive = true;
        }
      }
      if (naive) naiveAlarms++;
    }
    expect(alarms / SEEDS, `${alarms} of ${SEEDS} seeds failed`).toBeLessThanOrEqual(0.05);
    expect(naiveAlarms / SEEDS, `uncorrected: ${naiveAlarms} of ${SEEDS}`).toBeGreaterThan(0.05);
  }, 120_000);
});
