// The formulas themselves against exact reference values (../shared/peers/erlang_examples.jsonl,
// computed independently in Python) and closed forms.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { agentsForServiceLevel, erlangA, erlangB, erlangC, erlangCMetrics, firstMeeting } from '../src/staffing/erlang.js';

describe('Erlang B and C', () => {
  it('Erlang B, 10 servers, 10 E', () => expect(erlangB(10, 10)).toBeCloseTo(0.21458, 5));
  it('M/M/3 at a = 2 waits with probability 4/9', () => expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12));
  it('M/M/2 at ρ = 0.5: 2ρ²/(1+ρ) = 1/3', () => expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12));
  it('M/M/1: P(wait) = ρ, Wq = ρ/(μ−λ), SL = 1 − ρ e^{−(μ−λ)t}', () => {
    const m = erlangCMetrics(0.5, 1, 1, 1);
    expect(m.pWait).toBeCloseTo(0.5, 12);
    expect(m.asa).toBeCloseTo(1, 12);
    expect(m.serviceLevel).toBeCloseTo(0.69673, 5);
  });
  it('100 calls / 30 min, AHT 180 s: SL20 for 11–15 agents and the fewest agents for 80/20', () => {
    const sl = [11, 12, 13, 14, 15].map((c) => erlangCMetrics(100 / 1800, 180, c, 20).serviceLevel);
    [0.38961381172915277, 0.6401580403740064, 0.795594788417783, 0.8883500191794668, 0.9414528428690222].forEach((x, i) =>
      expect(sl[i]).toBeCloseTo(x, 10));
    expect(erlangCMetrics(100 / 1800, 180, 11, 20).asa).toBeCloseTo(122.78127684408003, 8);
    expect(agentsForServiceLevel(100 / 1800, 180, 20, 0.8)).toBe(14);
  });
  it('unstable load waits for sure', () => expect(erlangC(10, 10)).toBe(1));
});

describe('Erlang A from the birth–death chain', () => {
  it('θ = μ reduces to Poisson occupancy (λ = 10/min, AHT 3, patience 3, c = 33)', () => {
    const a = erlangA(10 / 60, 180, 180, 33, 20);
    expect(a.pWait).toBeCloseTo(0.315459, 6);
    expect(a.pAbandon).toBeCloseTo(0.034352, 6);
    expect(a.meanWaitAnswered / 60).toBeCloseTo(0.09673, 5);
    expect(a.serviceLevel).toBeCloseTo(0.85286, 5);
  });
  it('large system (λ = 1000/min, AHT 3, patience 5, c = 3100)', () => {
    const a = erlangA(1000 / 60, 180, 300, 3100, 20);
    expect(a.pWait).toBeCloseTo(0.037326, 6);
    expect(a.pAbandon).toBeCloseTo(0.00017672, 8);
    expect(a.meanWaitAnswered / 60).toBeCloseTo(0.00087988, 8);
  });
  it('very long patience approaches Erlang C (λ = 10/min, c = 33)', () => {
    const a = erlangA(10 / 60, 180, 1e7 * 60, 33, 20);
    expect(a.pWait).toBeCloseTo(0.490488, 5);
    expect(a.serviceLevel).toBeCloseTo(0.64855, 4);
  });
  it('no patience limit equals the Erlang C closed form', () => {
    const a = erlangA(100 / 1800, 180, Infinity, 14, 20);
    const c = erlangCMetrics(100 / 1800, 180, 14, 20);
    expect(a.pWait).toBeCloseTo(c.pWait, 10);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 8);
    expect(a.meanWait).toBeCloseTo(c.asa, 8);
  });
});

/** The whole birth–death chain from state 0, summed plainly: the reference for the windowed one. */
function fullChain(lam: number, aht: number, patience: number, c: number) {
  const mu = 1 / aht, theta = 1 / patience;
  const logp = [0];
  for (let n = 1; ; n++) {
    const death = n <= c ? n * mu : c * mu + (n - c) * theta;
    logp.push(logp[n - 1] + Math.log(lam / death));
    if (n > c && logp[n] < Math.max(...logp.slice(-2000)) - 60) break;
  }
  const max = Math.max(...logp);
  const w = logp.map((l) => Math.exp(l - max));
  const z = w.reduce((x, y) => x + y, 0);
  let pWait = 0, queue = 0;
  w.forEach((x, n) => { if (n >= c) { pWait += x / z; queue += ((n - c) * x) / z; } });
  return { pWait, pAbandon: (theta * queue) / lam };
}

describe('Erlang A on very large loads', () => {
  // Below min(c, a) the chain is Poisson-shaped, and erlangA leaves out the states more than 12
  // standard deviations under it: nothing the sums can see may go missing.
  for (const [a, c, patienceSec] of [[20000, 20100, 120], [20000, 19800, 60], [5000, 5200, 1e6], [400, 390, 30]] as const) {
    it(`a = ${a} erlangs, c = ${c}, patience ${patienceSec} s: the same as the whole chain`, () => {
      const lam = a / 180;
      const got = erlangA(lam, 180, patienceSec, c, 20, false);
      const ref = fullChain(lam, 180, patienceSec, c);
      // both add up ~10^4 logarithms, each rounded to ~1e-16 of its size: they agree to ~1e-11 of
      // the value, where a window too narrow by a few deviations would lose ~1e-3
      expect(Math.abs(got.pWait - ref.pWait)).toBeLessThan(1e-9 * ref.pWait);
      expect(Math.abs(got.pAbandon - ref.pAbandon)).toBeLessThan(1e-9 * ref.pAbandon);
    });
  }
  it('θ = μ: Poisson occupancy at a = 10^5 (P(N ≥ c) by the normal tail, to its accuracy)', () => {
    // with patience = handle time every state's death rate is n·μ: N ~ Poisson(a), and with
    // c = a + 2√a, P(N ≥ c) ≈ 1 − Φ(2 − 0.5/√a) = 0.0229 (continuity-corrected; skew shifts it
    // by ~1e-3 at this a)
    const a = 1e5, c = a + 2 * Math.sqrt(a);
    const got = erlangA(a / 180, 180, 180, c, 20, false);
    expect(got.pWait).toBeGreaterThan(0.021);
    expect(got.pWait).toBeLessThan(0.025);
    expect(got.pAbandon * a).toBeCloseTo(got.meanQueue, 6); // Little, for the abandoning queue
  });
});

describe('the fewest servers that meet a target', () => {
  it('is what counting up gives, in O(log) evaluations (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 30_000 }), (lo, extra, threshold) => {
      const hi = lo + extra;
      let calls = 0;
      const ok = (c: number) => { calls++; return c >= threshold; };
      let counted = lo;
      while (counted < hi && counted < threshold) counted++;
      expect(firstMeeting(lo, ok, hi)).toBe(counted);
      expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(extra + 2)) + 3);
    }), { seed: 20261202, numRuns: 500 });
  });
  it('agentsForServiceLevel at 10^5 erlangs: just enough, one fewer is not', () => {
    const lam = 1e5 / 3600, aht = 3600;
    const c = agentsForServiceLevel(lam, aht, 20, 0.8, 300);
    expect(erlangA(lam, aht, 300, c, 20).serviceLevel).toBeGreaterThanOrEqual(0.8);
    if (c > Math.floor(lam * aht)) expect(erlangA(lam, aht, 300, c - 1, 20).serviceLevel).toBeLessThan(0.8);
  });
});
