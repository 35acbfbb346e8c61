// The engine's pieces on their own: event order, lazy cancellation keys, random streams and
// distributions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Distribution, gammaQuantile, gammaP, normalQuantile } from '../src/engine/distributions.js';
import { EventQueue } from '../src/engine/event-queue.js';
import { openStream } from '../src/engine/random.js';

describe('EventQueue', () => {
  it('pops in (time, priority, seq) order, for any pushes', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), (evs) => {
      const q = new EventQueue(2);
      evs.forEach(([t, p], i) => q.push(t, p, i));
      const got: number[] = [];
      for (let x = q.next(); x >= 0; x = q.next()) got.push(x);
      const want = evs.map((e, i) => ({ t: e[0], p: e[1], i })).sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i).map((e) => e.i);
      expect(got).toEqual(want);
    }));
  });
  it('keeps order when handlers push while an event is held (fused pop+push)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 100 }), (delays) => {
      const q = new EventQueue(2);
      q.push(0, 0, 0);
      const seen: number[] = [];
      let k = 0;
      for (let x = q.next(); x >= 0; x = q.next()) {
        seen.push(q.now);
        if (k < delays.length) q.push(q.now + delays[k++], 0, k);
        if (k < delays.length && k % 3 === 0) q.push(q.now + delays[k++], 1, k);
      }
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    }));
  });
  it('gives every event a distinct key, usable as a cancellation token', () => {
    const q = new EventQueue();
    q.push(5, 2, 1);
    const k1 = q.lastKey;
    q.push(5, 2, 2);
    const k2 = q.lastKey;
    q.push(1, 0, 3);
    const k3 = q.lastKey;
    expect(new Set([k1, k2, k3]).size).toBe(3);
    q.next();
    expect(q.key).toBe(k3);
  });
  it('refuses to schedule into the past', () => {
    const q = new EventQueue();
    q.push(10, 0, 0);
    q.next();
    expect(() => q.push(9, 0, 1)).toThrow(/past/);
    expect(() => q.push(NaN, 0, 1)).toThrow();
  });
});

describe('random streams', () => {
  it('are reproducible from (seed, replication, name) and independent by name', () => {
    const a = openStream(7, 0, 'arrivals/chat/presale'), b = openStream(7, 0, 'arrivals/chat/presale');
    const c = openStream(7, 1, 'arrivals/chat/presale'), d = openStream(7, 0, 'handle/chat/presale');
    const xa = Array.from({ length: 5 }, () => a.u());
    expect(Array.from({ length: 5 }, () => b.u())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.u())).not.toEqual(xa);
    expect(Array.from({ length: 5 }, () => d.u())).not.toEqual(xa);
  });
  it('give uniforms strictly inside (0, 1) with the right mean', () => {
    const s = openStream(1, 0, 'x');
    let sum = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const u = s.u();
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(3.29 * Math.sqrt(1 / 12 / n));
  });
});

/** Mean and cv of a distribution by midpoint integration of its quantile function. */
function moments(d: Distribution, n = 200000) {
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = d.quantile((i + 0.5) / n);
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, cv: Math.sqrt(Math.max(0, s2 / n - mean * mean)) / mean };
}

describe('distributions by inverse CDF', () => {
  it.each([
    [{ kind: 'exponential', mean: 180 }],
    [{ kind: 'lognormal', mean: 300, cv: 0.8 }],
    [{ kind: 'gamma', mean: 300, cv: 0.5 }],
    [{ kind: 'gamma', mean: 60, cv: 1.5 }],
    [{ kind: 'uniform', min: 60, max: 120 }],
    [{ kind: 'empirical', values: [30, 60, 90, 600] }],
    [{ kind: 'deterministic', value: 42 }],
  ] as const)('%j has its stated mean and cv', (spec) => {
    const d = new Distribution(spec as never);
    const m = moments(d);
    expect(m.mean / d.mean).toBeCloseTo(1, 2);
    if (d.cv > 0) expect(m.cv / d.cv).toBeCloseTo(1, 1);
  });
  it('normal quantile inverts the normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 5);
  });
  it('gamma quantile inverts the gamma CDF', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.2, max: 50, noNaN: true }), (p, a) => {
      expect(gammaP(a, gammaQuantile(p, a))).toBeCloseTo(p, 7);
    }));
  });
  it('are monotone in u', () => {
    const d = new Distribution({ kind: 'lognormal', mean: 100, cv: 2 });
    let prev = 0;
    for (let i = 1; i < 1000; i++) {
      const x = d.quantile(i / 1000);
      expect(x).toBeGreaterThanOrEqual(prev);
      prev = x;
    }
  });
  it.each([
    [{ kind: 'exponential', mean: 0 }, /mean must be > 0/],
    [{ kind: 'uniform', min: 5, max: 1 }, /max must be ≥ min/],
    [{ kind: 'empirical', values: [] }, /at least one value/],
    [{ kind: 'lognormal', mean: 10, cv: -1 }, /cv must be > 0/],
    [{ kind: 'deterministic', value: -1 }, /≥ 0/],
    [{ kind: 'gamma', mean: Infinity, cv: 1 }, /finite/],
  ] as const)('refuses %j', (spec, msg) => {
    expect(() => new Distribution(spec as never)).toThrow(msg);
  });
});
