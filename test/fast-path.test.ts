// The engine's speed work must not change a single number. Simulation takes fast paths for a
// plain source's arrival and a plain pool's completion (see onArrival): every model here runs
// with and without them and must give identical results, trace included. The event queue's
// buckets and rungs must pop in exactly (time, priority, scheduling) order on any time scale.
// And the in-house xor4096 generator must give seedrandom's numbers, output for output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { EventQueue } from '../src/engine/event-queue.js';
import { dropSpareBuffers, spareBytes } from '../src/engine/spare.js';
import { RandomStream, streamSeed } from '../src/engine/random.js';
import { compile } from '../src/model/compile.js';
import { makeLayout } from '../src/model/replication.js';
import { Simulation } from '../src/model/simulation.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { scenarioFromYaml } from './helpers.js';

/** Everything one replication measured, and its trace, as one string. */
function runAll(s: Scenario, replication: number, fastPaths: boolean, trackNumberInSystem: boolean, giveBack = false, traced = true): string {
  const records: string[] = [];
  const trace = traced ? (t: number, e: string, c: number, q: number, p: number, a: number) => { records.push(`${t} ${e} ${c} ${q} ${p} ${a}`); } : undefined;
  const layout = makeLayout(s, 3600, trackNumberInSystem);
  const sim = new Simulation(compile(s), { seed: s.seed, replication, layout, trace, fastPaths });
  const run = sim.run();
  // Untraced, contacts the bot resolves take no record on the fast path: the peak differs, by design.
  const totals = traced ? run : { ...run, peakContacts: undefined };
  const rec = sim.rec;
  const arrays = {
    totals, counters: rec.counters(), within: rec.within, area: rec.area, queueTotals: rec.queueTotals,
    hist: Array.from({ length: rec.hist.count }, (_, i) => rec.hist.dense(i)), day: sim.daily.c, backlogEnd: sim.daily.backlogEnd,
    frMet: sim.daily.frMet, rsMet: sim.daily.rsMet, nInSystem: sim.nInSystem,
  };
  // every number exactly (String keeps all digits and tells -0 from 0 only where it matters: never)
  const out = JSON.stringify(arrays, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, String) : v)) + '\n' + records.join('\n');
  if (giveBack) sim.giveBackStorage();
  return out;
}

const shifts = `
name: shifts, patience, retrials, first-free handover
seed: 5
replications: 2
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 30m }
intents: [general, billing]
channels:
  phone:
    patience: { exponential: 2m }
    retrial: { probability: 0.5, delay: { exponential: 5m }, maxRetrials: 2 }
demand:
  - { channel: phone, intent: general, curve: { shape: daily, perDay: 9000 } }
  - { channel: phone, intent: billing, curve: { shape: flat, perDay: 2000 } }
routing: { handover: first-free, priority: { billing: 1, default: 5 } }
pools:
  - name: agents
    channel: phone
    skills: [general, billing]
    handleTime: { default: { exponential: 4m }, billing: { deterministic: 6m } }
    staffing: { daily: { "00:00": 4, "08:00": 30, "12:00": 22, "18:00": 35, "22:00": 8 } }
targets:
  - { channel: phone, serviceLevel: { within: 20s, atLeast: 0.8 } }
`;

const mixed = `
name: plain and general side by side
seed: 8
replications: 2
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 60m }
intents: [presale, returns, complaint]
channels:
  phone: { patience: { lognormal: { mean: 3m, cv: 1 } } }
  chat: { patience: { exponential: 4m }, vipShare: 0.1 }
  tickets: { deferred: true }
bot:
  channels: [chat]
  resolve: { presale: 0.5, returns: 0.3, complaint: 0.1 }
  time: { exponential: 60s }
demand:
  - { channel: phone, intent: presale, curve: { shape: daily, perDay: 6000 } }
  - { channel: phone, intent: returns, curve: { shape: flat, perDay: 1500 } }
  - { channel: chat, intent: presale, curve: { shape: daily, perDay: 8000 } }
  - { channel: tickets, intent: returns, curve: { shape: flat, perDay: 400 } }
  - { channel: tickets, intent: complaint, curve: { shape: flat, perDay: 100 } }
routing: { priority: { complaint: 1, default: 5 } }
pools:
  - name: phone_core
    channel: phone
    skills: [presale, returns]
    handleTime: { default: { gamma: { mean: 4m, cv: 0.8 } } }
    staffing: { daily: { "00:00": 5, "09:00": 25, "21:00": 10 } }
  - name: phone_overflow
    channel: phone
    skills: [{ intent: presale, after: 30s }]
    handleTime: { default: { exponential: 5m } }
    staffing: 3
  - name: chat_team
    channel: chat
    skills: [presale, returns, complaint]
    concurrency: 3
    speed: [1.0, 1.7, 2.4]
    handleTime: { default: { exponential: 6m } }
    tickets: { channel: tickets, skills: [returns] }
    staffing: { daily: { "00:00": 4, "09:00": 20, "21:00": 6 } }
  - name: back_office
    channel: tickets
    skills: [returns, complaint]
    handleTime: { default: { lognormal: { mean: 20m, cv: 0.5 } } }
    staffing: { daily: { "00:00": 0, "09:00": 4, "18:00": 0 } }
targets:
  - { channel: phone, serviceLevel: { within: 20s, atLeast: 0.8 } }
  - { channel: tickets, intent: complaint, firstReply: { within: 4h, atLeast: 0.9 } }
  - { channel: tickets, intent: returns, resolved: { within: 24h, atLeast: 0.9 }, scope: day }
`;

describe('fast paths change nothing', () => {
  const cases: [string, () => Scenario][] = [
    ['shifts, patience, retrials', () => scenarioFromYaml(shifts)],
    ['plain and general side by side', () => scenarioFromYaml(mixed)],
    ['teaching-mmc', () => loadScenario('scenarios/teaching-mmc.yaml', { replications: 1 })],
    ['teaching-returns', () => loadScenario('scenarios/teaching-returns.yaml', { replications: 1 })],
  ];
  it.each(cases)('%s: identical results and trace with and without them', (_name, make) => {
    const s = make();
    for (let r = 0; r < Math.min(2, s.replications); r++) {
      for (const track of [false, true]) {
        const fast = runAll(s, r, true, track);
        expect(fast === runAll(s, r, false, track), `replication ${r}, trackNumberInSystem ${track}`).toBe(true);
      }
    }
  });
  it.each([...cases.slice(1), ['the built-in scenario', () => loadScenario('scenarios/double11.yaml', { replications: 1 })] as [string, () => Scenario]])(
    '%s: identical results without a trace (contacts the bot resolves counted when created)',
    (_name, make) => {
      const s = make();
      const fast = runAll(s, 0, true, false, false, false);
      expect(fast === runAll(s, 0, false, false, false, false)).toBe(true);
    },
  );
  it('the bot shortcut is taken (fewer contact records alive at the peak)', () => {
    const s = scenarioFromYaml(mixed);
    const peak = (fastPaths: boolean) => new Simulation(compile(s), { seed: s.seed, replication: 0, layout: makeLayout(s, 3600), fastPaths }).run().peakContacts;
    expect(peak(true)).toBeLessThan(peak(false));
  });
  it('the fast paths are taken at all (plain sources and pools exist in these models)', () => {
    // a guard against the equivalence above holding only because nothing is plain
    const s = scenarioFromYaml(shifts);
    const sim = new Simulation(compile(s), { seed: s.seed, replication: 0, layout: makeLayout(s, 3600) });
    expect(sim.plainShare()).toEqual({ sources: 1, pools: 1 });
  });
});

/** Pushes and pops against a plain sorted list; the payload is the push's serial number. */
function checkQueue(ops: readonly { pop: boolean; delay: number; pri: number }[]): number[] {
  const q = new EventQueue(4);
  const pending: { t: number; pri: number; id: number }[] = [];
  const widths = new Set<number>();
  let id = 0;
  const pop = () => {
    const p = q.next();
    if (pending.length === 0) {
      expect(p).toBe(-1);
      return;
    }
    let best = 0;
    for (let i = 1; i < pending.length; i++) {
      const a = pending[i], b = pending[best];
      if (a.t < b.t || (a.t === b.t && (a.pri < b.pri || (a.pri === b.pri && a.id < b.id)))) best = i;
    }
    const want = pending.splice(best, 1)[0];
    if (p !== want.id || q.now !== want.t) expect(`${p} at ${q.now}`).toBe(`${want.id} at ${want.t}`);
    widths.add((q as unknown as { w: number }).w);
  };
  for (const op of ops) {
    if (op.pop) pop();
    else {
      const t = q.now + op.delay;
      q.push(t, op.pri, id);
      pending.push({ t, pri: op.pri, id: id++ });
    }
  }
  while (pending.length > 0) pop();
  expect(q.next()).toBe(-1);
  // leave the stores dirty (events pending in every rung) and hand them to the next queue on this
  // thread, as a replication does (spare.ts): every later check runs on handed-down stores
  for (const d of [0.5, 3000, 5e5, 1e8, 1e12]) q.push(q.now + d, 0, 0);
  q.giveBackStorage();
  return [...widths];
}

describe('stores handed from one replication to the next change nothing', () => {
  // A replication takes over the contact, order and event stores the previous one on its thread
  // gave back (spare.ts): bigger than it would start with, and dirty until zeroed. Its numbers and
  // its trace must be those of a run on fresh stores.
  it.each(['teaching-returns', 'double11'])('%s: identical results and trace on fresh and on handed-down stores', (name) => {
    const s = loadScenario(`scenarios/${name}.yaml`, { replications: 1 });
    dropSpareBuffers();
    const fresh = runAll(s, 2, true, false, true);
    expect(spareBytes()).toBeGreaterThan(0);
    runAll(s, 7, true, false, true); // another replication leaves its stores, full of its own records
    const kept = spareBytes();
    const reused = runAll(s, 2, true, false, false);
    expect(spareBytes(), 'the stores were taken over').toBeLessThan(kept);
    expect(reused === fresh).toBe(true);
  });
});

describe('the event queue on any time scale', () => {
  // delays from ties (0) to years, and never: every rung, the far heap and the jumps between them
  const delay = fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 1e-3, noNaN: true }),
    fc.double({ min: 0, max: 10, noNaN: true }),
    fc.double({ min: 0, max: 5000, noNaN: true }),
    fc.double({ min: 1e5, max: 1e9, noNaN: true }),
    fc.constant(Infinity),
  );
  it('pops in (time, priority, scheduling) order for any pushes and pops', () => {
    fc.assert(fc.property(fc.array(fc.record({ pop: fc.boolean(), delay, pri: fc.integer({ min: 0, max: 3 }) }), { maxLength: 600 }), (ops) => {
      checkQueue(ops);
    }), { numRuns: 300 });
  });
  it('stays in order while the bucket width adapts to bursts and lulls', () => {
    // a burst of close events narrows the buckets, a sparse stretch widens them again
    let x = 12345;
    const r = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const ops: { pop: boolean; delay: number; pri: number }[] = [];
    for (let i = 0; i < 30000; i++) ops.push({ pop: i % 2 === 1, delay: r() * 0.001, pri: i % 3 });
    for (let i = 0; i < 6000; i++) ops.push({ pop: i % 2 === 1, delay: r() * 1e6, pri: 0 });
    for (let i = 0; i < 30000; i++) ops.push({ pop: i % 3 !== 0, delay: r() * 600, pri: 1 });
    const widths = checkQueue(ops);
    expect(widths.length).toBeGreaterThan(2);
  });
});

describe('the xor4096 generator', () => {
  it("gives seedrandom's xor4096 numbers for the same seed string", () => {
    for (const seed of [streamSeed(1, 0, 'arrivals/phone/general'), streamSeed(11, 7, 'handle/chat/order_status'), '', 'x'.repeat(300)]) {
      const ours = new RandomStream(seed, 'test'), theirs = seedrandom.xor4096(seed);
      for (let i = 0; i < 20000; i++) {
        const a = ours.int32(), b = theirs.int32();
        if (a !== b) expect(`${seed} #${i}: ${a}`).toBe(`${seed} #${i}: ${b}`);
      }
    }
  });
});
