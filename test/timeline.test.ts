// Hand-computed timelines: explicit arrival times and deterministic durations, so every event
// time below was worked out on paper from the rules in src/model/simulation.ts.
import { describe, expect, it } from 'vitest';
import { compile } from '../src/model/compile.js';
import { makeLayout, runReplication } from '../src/model/replication.js';
import type { TraceEvent } from '../src/model/simulation.js';
import { scenarioFromYaml } from './helpers.js';

interface Rec { t: number; event: TraceEvent; contact: number; pool: number; agent: number }

function trace(yaml: string): Rec[] {
  const s = scenarioFromYaml(yaml);
  const out: Rec[] = [];
  runReplication(compile(s), makeLayout(s, s.calendar.intervalSec), s.seed, 0, undefined, (t, event, contact, _q, pool, agent) => {
    out.push({ t: t / 60, event, contact, pool, agent });
  });
  return out;
}
const times = (recs: Rec[], event: TraceEvent, contact: number) => recs.filter((r) => r.event === event && r.contact === contact).map((r) => r.t);

function base(o: { intents: string; demand: string; pools: string; channel?: string; extra?: string; horizon?: string; interval?: string }) {
  return `
name: timeline
replications: 1
calendar: { start: 2026-11-11T00:00+08:00, horizon: ${o.horizon ?? '2h'}, interval: ${o.interval ?? '15m'} }
intents: ${o.intents}
channels:
  chat:
    ${o.channel ?? 'patience: none'}
demand:
${o.demand}
pools:
${o.pools}
${o.extra ?? ''}`;
}

describe('hand-computed timelines', () => {
  it('priority: a waiting urgent contact goes before an older normal one', () => {
    const r = trace(base({
      intents: '[urgent, normal]',
      demand: `  - { channel: chat, intent: normal, curve: { at: [0s, 1m] } }
  - { channel: chat, intent: urgent, curve: { at: [2m] } }`,
      pools: `  - { name: solo, channel: chat, skills: [urgent, normal], handleTime: { default: { deterministic: 10m } }, staffing: 1 }`,
      extra: 'routing: { priority: { urgent: 1, normal: 5 } }',
    }));
    // serials follow arrival order: 0 = normal@0, 1 = normal@1m, 2 = urgent@2m
    expect(times(r, 'answer', 0)).toEqual([0]);
    expect(times(r, 'answer', 2)).toEqual([10]);
    expect(times(r, 'answer', 1)).toEqual([20]);
    expect(times(r, 'done', 1)).toEqual([30]);
  });

  it('FIFO within a priority, even at equal arrival times', () => {
    const r = trace(base({
      intents: '[general]',
      demand: `  - { channel: chat, intent: general, curve: { at: [0s, 0s, 0s] } }`,
      pools: `  - { name: solo, channel: chat, skills: [general], handleTime: { default: { deterministic: 5m } }, staffing: 1 }`,
    }));
    expect([0, 1, 2].map((c) => times(r, 'answer', c)[0])).toEqual([0, 5, 10]);
  });

  it('chat concurrency slows every chat the agent holds', () => {
    // speed [1, 1.5]: alone a chat runs at rate 1; with two, each runs at 0.75.
    // A (10 m of work) from 0; B (10 m) joins at 2: A has 8 m left → 8/0.75 = 10.667 m → done 12.667.
    // B by then did 10.667 × 0.75 = 8 m, 2 m left at rate 1 → done 14.667.
    const r = trace(base({
      intents: '[general]',
      demand: `  - { channel: chat, intent: general, curve: { at: [0s, 2m] } }`,
      pools: `  - { name: solo, channel: chat, skills: [general], concurrency: 2, speed: [1, 1.5], handleTime: { default: { deterministic: 10m } }, staffing: 1 }`,
    }));
    expect(times(r, 'answer', 1)).toEqual([2]);
    expect(times(r, 'done', 0)[0]).toBeCloseTo(2 + 8 / 0.75, 9);
    expect(times(r, 'done', 1)[0]).toBeCloseTo(2 + 8 / 0.75 + 2, 9);
  });

  const shift = (handover: string) => trace(base({
    intents: '[general]',
    // staffing 1, 2, 1 in 15-minute intervals: agent 0 from 0, agent 1 from 15 m, one goes at 30 m.
    // Every contact takes 40 m: A at 1 m → agent 0 until 41 m; B at 16 m → agent 1 until 56 m;
    // C at 32 m waits.
    demand: `  - { channel: chat, intent: general, curve: { at: [1m, 16m, 32m] } }`,
    pools: `  - name: team
    channel: chat
    skills: [general]
    handleTime: { default: { deterministic: 40m } }
    staffing: [1, 2, 1, 1, 1, 1, 1, 1]`,
    extra: `routing: { handover: ${handover} }`,
  }).concat());

  it("shift end, 'finish-in-hand': the longest-serving agent is told at 30 m, finishes A and goes at 41 m", () => {
    const r = shift('finish-in-hand');
    const leaving = r.filter((x) => x.event === 'agent-leaving');
    expect(leaving.map((x) => [x.t, x.agent])).toEqual([[30, 0]]);
    expect(times(r, 'answer', 2)).toEqual([56]); // agent 0 leaves at 41; agent 1 frees at 56
    expect(r.filter((x) => x.event === 'agent-off').map((x) => [x.t, x.agent])).toEqual([[41, 0]]);
  });

  it("shift end, 'first-free': the first to free up (agent 0 at 41 m) leaves; C waits for agent 1", () => {
    const r = shift('first-free');
    expect(r.filter((x) => x.event === 'agent-leaving').map((x) => [x.t, x.agent])).toEqual([[41, 0]]);
    expect(times(r, 'answer', 2)).toEqual([56]);
  });

  it('the two handover rules differ when the senior agent finishes last', () => {
    const yaml = (h: string) => base({
      intents: '[long, short]',
      // A (long, 40 m) at 1 m → agent 0 until 41 m. B (short, 20 m) at 16 m → agent 1 until 36 m.
      // C (short, 20 m) at 32 m waits. At 30 m staffing drops 2 → 1.
      demand: `  - { channel: chat, intent: long, curve: { at: [1m] } }
  - { channel: chat, intent: short, curve: { at: [16m, 32m] } }`,
      pools: `  - name: team
    channel: chat
    skills: [long, short]
    handleTime: { long: { deterministic: 40m }, short: { deterministic: 20m } }
    staffing: [1, 2, 1, 1, 1, 1, 1, 1]`,
      extra: `routing: { handover: ${h} }`,
    });
    // finish-in-hand: agent 0 (on since 0) is told to go at 30 m, finishes A at 41 m and leaves;
    // agent 1 frees at 36 m and answers C at 36 m.
    const fih = trace(yaml('finish-in-hand'));
    expect(times(fih, 'answer', 2)).toEqual([36]);
    expect(fih.filter((x) => x.event === 'agent-off').map((x) => [x.t, x.agent])).toEqual([[41, 0]]);
    // first-free: agent 1 frees first (36 m) and leaves; agent 0 answers C when A ends at 41 m.
    const ff = trace(yaml('first-free'));
    expect(times(ff, 'answer', 2)).toEqual([41]);
    expect(ff.filter((x) => x.event === 'agent-off').map((x) => [x.t, x.agent])).toEqual([[36, 1]]);
  });

  it('a new agent takes waiting work at once when its shift starts', () => {
    const r = trace(base({
      intents: '[general]',
      demand: `  - { channel: chat, intent: general, curve: { at: [1m, 2m] } }`,
      pools: `  - { name: team, channel: chat, skills: [general], handleTime: { default: { deterministic: 30m } }, staffing: [1, 2, 2, 2, 2, 2, 2, 2] }`,
    }));
    expect(times(r, 'answer', 1)).toEqual([15]);
  });

  it('retrial: abandons after its patience, comes back after the delay, then is served', () => {
    // one agent busy 0–20 m with A; B arrives at 1 m, patience 2 m → abandons at 3 m, retries at
    // 3 + 5 = 8 m, abandons again at 10 m (maxRetrials 1: no more tries).
    // C arrives at 15 m, patience 2 m... would abandon at 17; the agent frees at 20.
    const r = trace(base({
      intents: '[general]',
      channel: 'patience: { deterministic: 2m }\n    retrial: { probability: 1, delay: { deterministic: 5m }, maxRetrials: 1 }',
      demand: `  - { channel: chat, intent: general, curve: { at: [0s, 1m] } }`,
      pools: `  - { name: solo, channel: chat, skills: [general], handleTime: { default: { deterministic: 20m } }, staffing: 1 }`,
    }));
    expect(times(r, 'offer', 1)).toEqual([1, 8]);
    expect(times(r, 'retry', 1)).toEqual([3]);
    expect(times(r, 'abandon', 1)).toEqual([10]);
    expect(times(r, 'answer', 1)).toEqual([]);
  });

  it('overflow: a secondary pool takes a contact once it has waited the threshold', () => {
    // primary: 1 agent, 10 m contacts. backup: 1 agent, takes 'general' only after 60 s of waiting.
    // A at 0 → primary. B at 1 m waits; at 2 m it overflows to backup. C at 1.5 m waits; at 2.5 m
    // the backup is busy (until 12 m); primary frees at 10 m and answers C.
    const r = trace(base({
      intents: '[general]',
      demand: `  - { channel: chat, intent: general, curve: { at: [0s, 1m, 90s] } }`,
      pools: `  - { name: primary, channel: chat, skills: [general], handleTime: { default: { deterministic: 10m } }, staffing: 1 }
  - { name: backup, channel: chat, skills: [{ intent: general, after: 60s }], handleTime: { default: { deterministic: 10m } }, staffing: 1 }`,
    }));
    expect(times(r, 'answer', 0)).toEqual([0]);
    expect(times(r, 'overflow', 1)).toEqual([2]);
    expect(r.find((x) => x.event === 'answer' && x.contact === 1)!.pool).toBe(1);
    expect(times(r, 'answer', 2)).toEqual([10]);
    expect(r.find((x) => x.event === 'answer' && x.contact === 2)!.pool).toBe(0);
  });

  it('a waiting contact is taken by an overflow pool that frees after the threshold', () => {
    // backup busy with X (0–3 m, only it can serve 'other'); A at 0 → primary till 10 m; B at 1 m
    // waits, its overflow at 2 m finds backup busy; backup frees at 3 m and takes B (waited ≥ 60 s).
    const r = trace(base({
      intents: '[general, other]',
      demand: `  - { channel: chat, intent: general, curve: { at: [0s, 1m] } }
  - { channel: chat, intent: other, curve: { at: [0s] } }`,
      pools: `  - { name: primary, channel: chat, skills: [general], handleTime: { default: { deterministic: 10m } }, staffing: 1 }
  - { name: backup, channel: chat, skills: [other, { intent: general, after: 60s }], handleTime: { default: { deterministic: 3m } }, staffing: 1 }`,
    }));
    // serials: 0 = general@0, 1 = other@0 (streams scheduled in order), 2 = general@1m
    expect(times(r, 'answer', 2)).toEqual([3]);
  });

  it('the bot resolves or escalates; escalated contacts get the shorter patience', () => {
    const r = trace(base({
      intents: '[faq, hard]',
      channel: 'patience: { deterministic: 10m }',
      demand: `  - { channel: chat, intent: faq, curve: { at: [0s] } }
  - { channel: chat, intent: hard, curve: { at: [0s, 0s] } }`,
      pools: `  - { name: solo, channel: chat, skills: [faq, hard], handleTime: { default: { deterministic: 30m } }, staffing: 1 }`,
      extra: `bot: { channels: [chat], resolve: { faq: 1, hard: 0 }, time: { deterministic: 1m }, escalatedPatience: 0.5 }`,
    }));
    expect(times(r, 'bot-resolved', 0)).toEqual([1]);
    expect(times(r, 'offer', 0)).toEqual([]);
    expect(times(r, 'answer', 1)).toEqual([1]);
    expect(times(r, 'offer', 2)).toEqual([1]);
    expect(times(r, 'abandon', 2)).toEqual([6]); // 1 m + 10 m × 0.5
  });

  it('blending: an idle chat agent works tickets, live work first, never interrupted', () => {
    // one agent, concurrency 2, blends tickets. Ticket T1 at 0 (10 m): the idle agent takes it with
    // all its slots. Chat A at 1 m (5 m) waits until T1 ends at 10 m; ticket T2 at 2 m waits too.
    // At 10 m live work goes first: A answered at 10 m; with A in hand the agent is not idle, so T2
    // waits until A ends at 15 m. Chat B at 16 m waits for T2 (15–25 m) and is answered at 25 m.
    const yaml = `
name: blend
replications: 1
calendar: { start: 2026-11-11T00:00+08:00, horizon: 2h, interval: 15m }
intents: [general, returns]
channels:
  chat: { patience: none }
  tickets: { deferred: true }
demand:
  - { channel: tickets, intent: returns, curve: { at: [0s, 2m] } }
  - { channel: chat, intent: general, curve: { at: [1m, 16m] } }
pools:
  - name: desk
    channel: chat
    skills: [general]
    concurrency: 2
    tickets: { channel: tickets, skills: [returns] }
    handleTime: { general: { deterministic: 5m }, returns: { deterministic: 10m } }
    staffing: 1
`;
    const r = trace(yaml);
    // serials: 0 = T1 @0, 1 = A @1m, 2 = T2 @2m, 3 = B @16m
    expect(times(r, 'answer', 0)).toEqual([0]);
    expect(times(r, 'answer', 1)).toEqual([10]);
    expect(times(r, 'answer', 2)).toEqual([15]);
    expect(times(r, 'done', 2)).toEqual([25]);
    expect(times(r, 'answer', 3)).toEqual([25]);
  });
});
