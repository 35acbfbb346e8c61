// The formulas themselves against exact reference values (../shared/peers/erlang_examples.jsonl,
// computed independently in Python) and closed forms.
import { describe, expect, it } from 'vitest';
import { agentsForServiceLevel, erlangA, erlangB, erlangC, erlangCMetrics } from '../src/staffing/erlang.js';

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
