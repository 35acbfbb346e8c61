// The Double-11 demand drivers, each alone against a hand computation, conservation of every
// order, parcel, return, complaint and ticket, and monotonicity under common random numbers.
import { describe, expect, it } from 'vitest';
import type { RepResult } from '../src/model/replication.js';
import { DAY_COUNTERS, Day } from '../src/stats/daily.js';
import { runYaml, sum } from './helpers.js';

const DAY = 86400;

/** A scenario with only the order flow: `n` orders at `at` (explicit times), one chat desk. */
function orderYaml(o: { at: string[]; days: number; logistics: string; returns?: string; complaints?: string; extra?: string; reps?: number; seed?: number; categories?: string; channels?: string; pools?: string }) {
  return `
name: drivers
seed: ${o.seed ?? 3}
replications: ${o.reps ?? 20}
calendar: { start: 2026-11-01T00:00+08:00, horizon: ${o.days}d, interval: 60m }
intents: [logistics, returns, complaint]
channels:
  chat: { patience: none }
  tickets: { deferred: true }
  ${o.channels ?? ''}
orders:
  curve: { at: [${o.at.join(', ')}] }
  categories: ${o.categories ?? '{ general: { share: 1, returnRate: 0.3 } }'}
logistics:
${o.logistics}
${o.returns ?? ''}
${o.complaints ?? ''}
pools:
  - { name: desk, channel: chat, skills: [logistics, returns], handleTime: { default: { exponential: 1m } }, staffing: 200 }
  - { name: back_office, channel: tickets, skills: [returns, complaint], handleTime: { default: { deterministic: 10m } }, staffing: 50 }
  ${o.pools ?? ''}
${o.extra ?? ''}`;
}
const times = (n: number, at: string) => Array.from({ length: n }, () => at);
const tot = (r: RepResult, k: keyof RepResult['day']) => sum(r.day[k]);

it('the day counters\' indices name the counters the reports read', () => {
  expect([Day.ORDERS, Day.SHIPPED, Day.SHIPPED_LATE, Day.DELIVERED, Day.DELIVERED_LATE, Day.LATE_PARCELS, Day.WISMO, Day.RETURNS, Day.REFUNDS, Day.REFUNDS_LATE,
    Day.COMPLAINTS_WAIT, Day.COMPLAINTS_ABANDON, Day.COMPLAINTS_LATE, Day.COMPLAINTS_REFUND, Day.WAREHOUSE_END, Day.IN_TRANSIT_END].map((i) => DAY_COUNTERS[i]))
    .toEqual(['orders', 'shipped', 'shippedLate', 'delivered', 'deliveredLate', 'lateParcels', 'wismo', 'returns', 'refunds', 'refundsLate',
      'complaintsWait', 'complaintsAbandon', 'complaintsLate', 'complaintsRefund', 'warehouseEnd', 'inTransitEnd']);
});

describe('warehouse: deterministic dispatch capacity gives the exact backlog curve', () => {
  // 10 orders at 01:00 on day 0, 2 more at 18:00 on day 1 (after that day's 16:00 wave); the warehouse
  // ships 3 a day at 16:00, oldest first: shipped 3, 3, 3, 3; at day end waiting 7, 6, 3, 0.
  const out = runYaml(orderYaml({
    at: [...times(10, '1h'), '42h', '42h'],
    days: 5,
    reps: 1,
    logistics: `  dispatch: { perDay: 3, cutoff: "16:00" }\n  transit: { deterministic: 1d }\n  promise: 3d`,
  }));
  const r = out.reps[0];
  it('ships up to capacity each day, oldest first', () => expect(Array.from(r.day.shipped)).toEqual([3, 3, 3, 3, 0]));
  it('leaves this backlog at each day end', () => expect(Array.from(r.day.warehouseEnd)).toEqual([7, 6, 3, 0, 0]));
  it('delivers a day after dispatch', () => expect(Array.from(r.day.delivered)).toEqual([0, 3, 3, 3, 3]));
  it('counts parcels shipped after 48 h as shipped late', () => {
    // the 10 day-0 orders (01:00) are late from day 2 01:00: the day-2 and day-3 waves ship late ones
    expect(Array.from(r.day.shippedLate)).toEqual([0, 0, 3, 1, 0]);
  });
  it('counts late parcels by their promised day', () => {
    // promise = order + 3 d. Day-0 orders are promised day 3 01:00: delivered day 1, 2 (on time),
    // day 3 16:00+1d = day 4 (late) → the 3 shipped on day 2 arrive day 3 16:00 (late, promised 01:00)
    // and 1 shipped day 3 arrives day 4: 4 late on day 3. The 42 h orders (day 1 18:00) promise
    // day 4 18:00; shipped day 3 16:00 → delivered day 4 16:00, on time.
    expect(Array.from(r.day.lateParcels)).toEqual([0, 0, 0, 4, 0]);
  });
});

describe('where-is-my-order contacts follow the lateness', () => {
  // 1,500 orders at 01:00, all shipped at 02:00, delivered 3 d later; promised after 2 d, so each
  // is late by L = 1 d + 1 h. A customer asks at promise + after (exponential, mean 12 h) if the
  // parcel has not come, with probability 0.6: expected 1,500 × 0.6 × (1 − e^{−L/12h}).
  const n = 1500, reps = 20;
  const out = runYaml(orderYaml({
    at: times(n, '1h'), days: 6, reps,
    logistics: `  dispatch: { perDay: 100000, cutoff: "02:00" }\n  transit: { deterministic: 3d }\n  promise: 2d
  wismo: { channel: chat, intent: logistics, probability: 0.6, after: { exponential: 12h } }`,
  }));
  const L = DAY + 3600;
  const p = 0.6 * (1 - Math.exp(-L / (12 * 3600)));
  it('matches the expected count (binomial, 99.9% band)', () => {
    const total = out.reps.reduce((a, r) => a + tot(r, 'wismo'), 0);
    const N = n * reps;
    expect(Math.abs(total - N * p)).toBeLessThan(3.29 * Math.sqrt(N * p * (1 - p)));
  });
  it('and every one of them reached the chat desk', () => {
    for (const r of out.reps) expect(sum(r.counters.arrived)).toBe(tot(r, 'wismo'));
  });
  it('on-time parcels cause none', () => {
    const early = runYaml(orderYaml({
      at: times(300, '1h'), days: 6, reps: 3,
      logistics: `  dispatch: { perDay: 100000, cutoff: "02:00" }\n  transit: { deterministic: 1d }\n  promise: 2d
  wismo: { channel: chat, intent: logistics, probability: 0.6, after: { exponential: 12h } }`,
    }));
    for (const r of early.reps) expect(tot(r, 'wismo')).toBe(0);
  });
});

describe('where-is-my-order and transit at the instants where events coincide (hand-computed)', () => {
  // One parcel a day ships at 16:00, transit exactly 1 d, promise 1 d, every customer asks at
  // promise + 15 h unless the parcel has come. A and B at 01:00, C at 02:00, D at 16:00 on day 0
  // (placed at the wave's very time: after it). A ships day 0, arrives day 1 16:00 — the very time
  // of its check, and a delivery comes first: no question. B ships day 1 16:00, the time of its
  // check; the wave comes first, the parcel is on its way: asks. C (check day 1 17:00) and D
  // (check day 2 07:00) are still in the warehouse at their checks: ask.
  const out = runYaml(orderYaml({
    at: ['1h', '1h', '2h', '16h'], days: 5, reps: 1,
    logistics: `  dispatch: { perDay: 1, cutoff: "16:00" }\n  transit: { deterministic: 1d }\n  promise: 1d
  wismo: { channel: chat, intent: logistics, probability: 1, after: { deterministic: 15h } }`,
  }));
  const r = out.reps[0];
  it('asks on the days of B, C and D, never for A', () => expect(Array.from(r.day.wismo)).toEqual([0, 2, 1, 0, 0]));
  it('ships one a day and delivers a day later', () => {
    expect(Array.from(r.day.shipped)).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(r.day.delivered)).toEqual([0, 1, 1, 1, 1]);
    expect(Array.from(r.day.inTransitEnd)).toEqual([1, 1, 1, 1, 0]);
  });
  // Waves at midnight: the wave at a day's start comes after the day end at the same instant, and a
  // delivery at a day end comes before it.
  const midnight = (transit: string) => runYaml(orderYaml({
    at: ['1h'], days: 3, reps: 1,
    logistics: `  dispatch: { perDay: 5, cutoff: "00:00" }\n  transit: { deterministic: ${transit} }\n  promise: 3d`,
  })).reps[0];
  it('a parcel shipped at midnight and delivered at the next is never in transit at a day end', () => {
    const m = midnight('1d');
    expect(Array.from(m.day.warehouseEnd)).toEqual([1, 0, 0]);
    expect(Array.from(m.day.inTransitEnd)).toEqual([0, 0, 0]);
    expect(Array.from(m.day.delivered)).toEqual([0, 0, 1]);
  });
  it('nor one delivered the instant it ships', () => {
    const m = midnight('0s');
    expect(Array.from(m.day.inTransitEnd)).toEqual([0, 0, 0]);
    expect(Array.from(m.day.delivered)).toEqual([0, 1, 0]);
  });
});

describe('returns follow the lag distribution after delivery', () => {
  // 4,000 orders at 00:00 shipped at 01:00, delivered 1 d later (day 1 01:00); 30% return, lag
  // uniform 12 h–60 h → returns fall on day 1 (from 13:00: 11 h of 48), day 2 (24 h), day 3 (13 h).
  const n = 4000, reps = 20, rate = 0.3;
  const out = runYaml(orderYaml({
    at: times(n, '0s'), days: 5, reps,
    logistics: `  dispatch: { perDay: 100000, cutoff: "01:00" }\n  transit: { deterministic: 1d }\n  promise: 3d`,
    returns: `returns:\n  lag: { uniform: [12h, 60h] }\n  ticket: { channel: tickets, intent: returns }`,
  }));
  const share = [0, 11 / 48, 24 / 48, 13 / 48, 0];
  it.each([0, 1, 2, 3, 4])('day %i', (d) => {
    const N = n * reps, p = rate * share[d];
    const got = out.reps.reduce((a, r) => a + r.day.returns[d], 0);
    expect(Math.abs(got - N * p)).toBeLessThanOrEqual(3.29 * Math.sqrt(N * p * (1 - p)) + 1e-9);
  });
  it('each return opens one after-sales ticket', () => {
    for (const r of out.reps) expect(sum(r.counters.arrived.filter((_, i) => i % 2 === 1))).toBe(tot(r, 'returns'));
  });
});

describe('conservation: every order, parcel, return, complaint and ticket is accounted for', () => {
  const yaml = orderYaml({
    at: [], days: 8, reps: 4,
    logistics: `  dispatch: { perDay: 2500, cutoff: "16:00" }\n  transit: { lognormal: { mean: 2d, cv: 0.5 } }\n  congestion: { normalPerDay: 1500, elasticity: 0.4 }\n  promise: 3d
  wismo: { channel: chat, intent: logistics, probability: 0.5, after: { exponential: 12h } }`,
    returns: `returns:\n  lag: { lognormal: { mean: 1d, cv: 0.6 } }\n  ticket: { channel: tickets, intent: returns }\n  chat: { channel: chat, intent: returns, probability: 0.4 }\n  refund: { time: { exponential: 12h }, promise: 36h }`,
    complaints: `complaints:\n  ticket: { channel: tickets, intent: complaint }\n  wait: { midpoint: 30s, scale: 10s, max: 0.2 }\n  abandoned: 0.3\n  late: { perDay: 0.1, max: 0.5 }\n  refundDelay: { perDay: 0.2, max: 0.6 }`,
    channels: '',
    pools: '',
  }).replace('curve: { at: [] }', 'curve: { shape: double11, perDay: 1500 }')
    .replace("chat: { patience: none }", "chat: { patience: { exponential: 2m }, retrial: { probability: 0.5, delay: { exponential: 10m } } }")
    .replace('staffing: 200', 'staffing: 6')
    .replace('staffing: 50', 'staffing: 3')
    .replace('start: 2026-11-01T00:00+08:00', 'start: 2026-11-08T00:00+08:00');
  const out = runYaml(yaml);
  const last = (a: Float64Array) => a[a.length - 1];
  it('orders = shipped + waiting in the warehouse', () => {
    for (const r of out.reps) expect(tot(r, 'orders')).toBe(tot(r, 'shipped') + last(r.day.warehouseEnd));
  });
  it('shipped = delivered + in transit', () => {
    for (const r of out.reps) expect(tot(r, 'shipped')).toBe(tot(r, 'delivered') + last(r.day.inTransitEnd));
  });
  it('contacts: arrived = bot-resolved + finished + abandoned for good + still in the system, per channel', () => {
    for (const r of out.reps) {
      for (let ch = 0; ch < 2; ch++) {
        const col = (a: Float64Array) => sum(a.filter((_, i) => i % 2 === ch));
        expect(col(r.counters.arrived)).toBe(col(r.counters.botResolved) + col(r.counters.completed) + col(r.counters.abandoned) - col(r.counters.retried) + r.inSystem[ch]);
      }
    }
  });
  it('tickets: created = returns + complaints, and resolved + open at the end = created', () => {
    for (const r of out.reps) {
      const created = sum(r.counters.arrived.filter((_, i) => i % 2 === 1));
      const complaints = tot(r, 'complaintsWait') + tot(r, 'complaintsAbandon') + tot(r, 'complaintsLate') + tot(r, 'complaintsRefund');
      expect(created).toBe(tot(r, 'returns') + complaints);
      expect(complaints).toBeGreaterThan(0);
      const done = sum(r.counters.completed.filter((_, i) => i % 2 === 1));
      expect(done + r.backlogEnd[r.backlogEnd.length - 1]).toBe(created);
      expect(r.inSystem[1]).toBe(r.backlogEnd[r.backlogEnd.length - 1]);
    }
  });
  it('refunds ≤ returns, late refunds ≤ refunds, late deliveries ≤ deliveries', () => {
    for (const r of out.reps) {
      expect(tot(r, 'refunds')).toBeLessThanOrEqual(tot(r, 'returns'));
      expect(tot(r, 'refundsLate')).toBeLessThanOrEqual(tot(r, 'refunds'));
      expect(tot(r, 'deliveredLate')).toBeLessThanOrEqual(tot(r, 'delivered'));
      expect(tot(r, 'refunds')).toBeGreaterThan(0);
    }
  });
});

describe('monotone under common random numbers', () => {
  const base = (perDay: number, returnRate: number) => orderYaml({
    at: [], days: 10, reps: 5,
    logistics: `  dispatch: { perDay: ${perDay}, cutoff: "16:00" }\n  transit: { lognormal: { mean: 2d, cv: 0.5 } }\n  promise: 3d`,
    returns: `returns:\n  lag: { lognormal: { mean: 1d, cv: 0.6 } }\n  ticket: { channel: tickets, intent: returns }`,
    categories: `{ apparel: { share: 0.6, returnRate: ${returnRate} }, electronics: { share: 0.4, returnRate: ${returnRate / 4} } }`,
  }).replace('curve: { at: [] }', 'curve: { shape: double11, perDay: 1500 }').replace('start: 2026-11-01T00:00+08:00', 'start: 2026-11-08T00:00+08:00');
  it('a slower warehouse never gives fewer late parcels (same orders, same transit draws)', () => {
    const fast = runYaml(base(3000, 0.2)), slow = runYaml(base(2200, 0.2));
    for (let i = 0; i < 5; i++) {
      expect(tot(slow.reps[i], 'orders')).toBe(tot(fast.reps[i], 'orders'));
      // late parcels are counted by their promised day, including ones still on the way at the end,
      // so the horizon does not hide lateness (shipped-late counts, by dispatch day, would)
      expect(tot(slow.reps[i], 'lateParcels')).toBeGreaterThanOrEqual(tot(fast.reps[i], 'lateParcels'));
    }
    expect(fast.reps.reduce((a, r) => a + tot(r, 'lateParcels'), 0)).toBeLessThan(slow.reps.reduce((a, r) => a + tot(r, 'lateParcels'), 0));
  });
  it('a higher return rate never gives fewer after-sales tickets', () => {
    const low = runYaml(base(3000, 0.15)), high = runYaml(base(3000, 0.35));
    for (let i = 0; i < 5; i++) {
      expect(tot(high.reps[i], 'returns')).toBeGreaterThanOrEqual(tot(low.reps[i], 'returns'));
      const tickets = (r: RepResult) => sum(r.counters.arrived.filter((_, j) => j % 2 === 1));
      expect(tickets(high.reps[i])).toBeGreaterThanOrEqual(tickets(low.reps[i]));
    }
  });
});
