// What the planner's search and verification make of a run's windows: which fail and why (its
// mean misses, or only its interval does), where agents would help, how many to add, and where
// an agent may go. The search judges on its own replications with a cushion (searchOk); the
// verification with the decision rule of every command (verdict.ts).

import type { RunOutput, SequentialOutput } from '../parallel/runner.js';
import type { Scenario, Target } from '../scenario/types.js';
import { meets, windowEstimate } from '../stats/verdict.js';
import { metricMax, targetSamples, type WindowSample } from '../stats/windows.js';
import { dayRange, poolOrder, type Staffing } from './staffing.js';

export interface Failure {
  readonly target: Target;
  readonly windowIndex: number;
  readonly window: string;
  readonly gap: number;
  /** The mean holds; only the interval crosses the bound (precision is short as much as capacity). */
  readonly ciOnly: boolean;
  readonly describe: string;
  /** (channel, interval) pairs where agents would help. */
  intervals(s: Scenario): [number, number][];
}

/** Per target, its windows with their per-replication values on a run. */
export function samplesOf(s: Scenario, out: RunOutput): WindowSample[][] {
  const sorted = [...out.reps].sort((a, b) => a.replication - b.replication);
  return s.targets.map((t) => targetSamples(s, out.layout, sorted, t));
}

/** Per channel and interval: does an evaluated interval-scope window of a live target judge it? */
export function judgedIntervals(s: Scenario, samples: readonly WindowSample[][]): Uint8Array[] {
  const out = s.channels.map(() => new Uint8Array(s.calendar.intervals));
  s.targets.forEach((t, ti) => {
    if (t.scope !== 'interval' || t.channel < 0) return;
    for (const w of samples[ti]) if (w.evaluated) out[t.channel][w.index] = 1;
  });
  return out;
}

/**
 * The search's rule on its own replications: a window is ok when the one-sided lower bound (upper
 * for 'at most') at confidence c, for that window alone, meets the target. It is a cushion for the
 * search, not a verdict: the plan's verdicts come from the verification (verdict.ts).
 */
export function searchBound(t: Target, w: WindowSample, confidence: number): { mean: number; bound: number } {
  const e = windowEstimate(w.values, w.pooled, 1 - confidence, metricMax(t));
  return { mean: e.mean, bound: t.sense === 'atLeast' ? e.lo : e.hi };
}

/**
 * Ok for the search: its bound meets, or every replication is at the good end of the range (all
 * tickets in time): a 99% deadline on a day of ten tickets cannot be shown on the search's few
 * replications, but nothing there asks for agents either, and the verification, with many more
 * replications, judges it. Without this the search could never trim such a team.
 */
export function searchOk(t: Target, w: WindowSample, confidence: number): { ok: boolean; mean: number } {
  const { mean, bound } = searchBound(t, w, confidence);
  if (meets(t, bound)) return { ok: true, mean };
  let same = true;
  for (const v of w.values) if (!Number.isNaN(v) && v !== mean) { same = false; break; }
  return { ok: same && saturated(t, mean), mean };
}

export function failure(s: Scenario, t: Target, index: number, start: string, mean: number, ciOnly: boolean): Failure {
  const cal = s.calendar;
  const gap = Math.abs(mean - t.bound) / (t.metric === 'averageWait' || t.metric === 'complaintsPer1000Orders' ? Math.max(t.bound, 1e-9) : 1);
  return {
    target: t,
    windowIndex: index,
    window: start,
    gap,
    ciOnly,
    describe: `${t.id} at ${start.slice(5, 16).replace('T', ' ')}: ${mean.toFixed(3)}`,
    intervals(sc) {
      const chs = t.channel >= 0 ? [t.channel] : sc.channels.map((_, i) => i).filter((i) => !sc.channels[i].deferred);
      const res: [number, number][] = [];
      for (const ch of chs) {
        if (t.scope === 'interval') res.push([ch, index]);
        else {
          // day or horizon: the intervals of that window where the channel is worst off
          const [a, b0] = t.scope === 'day' ? dayRange(sc, index) : [0, cal.intervals];
          // a deadline reaches past the day: a ticket of its last hours is answered the next
          // morning, so the half-deadline after the day helps as much as the day itself
          const past = t.scope === 'day' && (t.metric === 'firstReply' || t.metric === 'resolved') ? Math.ceil(t.withinSec / 2 / cal.intervalSec) : 0;
          const b = Math.min(cal.intervals, b0 + past);
          for (let i = a; i < b; i++) res.push([ch, i]);
        }
      }
      return res;
    },
  };
}

/** Windows that are not ok on the search's replications, worst first. */
export function findFailures(s: Scenario, out: RunOutput, confidence: number): Failure[] {
  const fails: Failure[] = [];
  const samples = samplesOf(s, out);
  s.targets.forEach((t, ti) => {
    for (const w of samples[ti]) {
      if (!w.evaluated) continue;
      const { ok, mean } = searchOk(t, w, confidence);
      if (ok) continue;
      fails.push(failure(s, t, w.index, w.start, mean, meets(t, mean)));
    }
  });
  fails.sort((a, b) => b.gap - a.gap);
  return fails;
}

/** Windows of the verification that miss, or are undecided where agents can still move them. */
export function verificationFailures(s: Scenario, v: SequentialOutput): Failure[] {
  const fails: Failure[] = [];
  for (const j of v.judge.targets()) {
    const t = j.target;
    for (const w of j.windows) {
      if (w.verdict === 'meets') continue;
      // a value at the end of its range (every contact in time, no abandonment) cannot be moved
      // by agents: only more replications would decide it
      if (w.verdict === 'undecided' && saturated(t, w.value.mean)) continue;
      fails.push(failure(s, t, w.index, w.start, w.value.mean, w.verdict === 'undecided' && meets(t, w.value.mean)));
    }
  }
  fails.sort((a, b) => b.gap - a.gap);
  return fails;
}

/** A mean at the good end of the metric's range: more agents cannot move it. */
export function saturated(t: Target, mean: number): boolean {
  return t.sense === 'atLeast' ? mean >= metricMax(t) - 1e-12 : mean <= 1e-12;
}


/** Add agents for one failure (the step times `times`); returns how many could be added. */
export function addFor(s: Scenario, staff: Staffing, f: Failure, out: RunOutput, times = 1, tight?: Uint8Array[]): number {
  const pairs = f.intervals(s);
  let chosen = pairs;
  // a day or horizon window: spread over its busiest tenth for that channel, where waits build up
  // (the busiest intervals that still have room: a pool at its maximum there is skipped, not the end)
  let spread = pairs.length;
  // bigger misses take bigger steps (a deadline met by 30% needs more than one agent), and bigger
  // intervals too: one agent in a spike interval of 500 moves its service level by a hair
  const size = f.target.scope === 'interval' ? pairs.reduce((a, [ch, i]) => a + s.pools.reduce((b, p, pi) => b + (p.channel === ch ? staff[pi][i] : 0), 0), 0) : 0;
  let step = (1 + Math.min(4, Math.floor(f.gap * 5))) * times * Math.max(1, Math.round(size / 100));
  if (f.target.scope !== 'interval' && pairs.every(([ch]) => s.channels[ch].deferred)) {
    // Deferred work (tickets) is served whenever an agent is free before its deadline: capacity
    // helps spread over the whole window, one team working the day, and piled into a few
    // intervals it would stand idle there (and make a roster of fifteen-minute shifts). An agent
    // in every fourth interval of the window (the day and half a deadline after) is a quarter
    // more of a team there; a window that fails again gets twice that (escalation).
    step = Math.max(1, Math.round(step / 2));
    chosen = pairs.filter((_, k) => k % 4 === 0);
  } else if (f.target.scope !== 'interval' && pairs.length > 8) {
    const ch = pairs[0][0];
    const nc = s.channels.length;
    const perInterval = out.reps[0].counters.offered.length / nc / s.calendar.intervals;
    // Where contacts waited or gave up is where an agent moves a wait, abandonment, service-level
    // or complaint target; the busiest intervals by volume come next (occupancy, and ties). Ranked
    // on this round's replications, so a target that fails again gets its agents where the last
    // ones did not reach: piling more into intervals that no longer wait would buy nothing.
    const count = (name: 'offered' | 'answeredAtOnce' | 'abandoned', i: number) => out.reps.reduce((a, r) => {
      let x = 0;
      const c = r.counters[name];
      for (let b = Math.floor(i * perInterval); b < Math.floor((i + 1) * perInterval); b++) x += c[b * nc + ch];
      return a + x;
    }, 0);
    const byVolume = f.target.metric === 'occupancy';
    const rank = new Map(pairs.map(([, i]) => {
      const offered = count('offered', i);
      const hurt = byVolume ? 0 : offered - count('answeredAtOnce', i) + count('abandoned', i);
      return [i, [hurt, offered] as const];
    }));
    chosen = [...pairs].sort((a, b) => {
      const x = rank.get(a[1])!, y = rank.get(b[1])!;
      return y[0] - x[0] || y[1] - x[1] || a[1] - b[1];
    });
    spread = Math.max(1, Math.ceil(pairs.length / 10));
  }
  // A day or horizon window that holds on its mean and is short only of precision (the budget is
  // spent) gets one agent, as an interval does — in the interval where it is worst off — not a
  // spread over its busiest tenth: that agent is the price of the budget, not a repair.
  if (f.ciOnly && f.target.scope !== 'interval') { spread = 1; step = 1; }
  let added = 0, places = 0;
  const it = f.target.intent;
  for (const [ch, i] of chosen) {
    if (places >= spread) break;
    const pools = poolOrder(s, ch).filter((pi) => it < 0 || s.pools[pi].skills.some((k) => k.intent === it));
    for (const pi of pools) {
      const room = s.pools[pi].planning.max[i] - staff[pi][i];
      if (room > 0) {
        const n = Math.min(room, step);
        staff[pi][i] += n;
        // where agents had to be added, the search does not take them away again
        if (tight && f.target.scope === 'interval') tight[pi][i] = 1;
        added += n;
        places++;
        break;
      }
    }
  }
  return added;
}

/** Per channel and interval: may an agent go? Every window touching it is ok on the search's replications. */
export function slackIntervals(s: Scenario, out: RunOutput, confidence: number, skip: (t: Target) => boolean = () => false): Uint8Array[] {
  const cal = s.calendar;
  const ok = s.channels.map(() => new Uint8Array(cal.intervals).fill(1));
  const samples = samplesOf(s, out);
  s.targets.forEach((t, ti) => {
    if (skip(t)) return; // staffing does not meet it: it holds no agent where it is
    const chs = t.channel >= 0 ? [t.channel] : s.channels.map((_, i) => i);
    for (const w of samples[ti]) {
      if (!w.evaluated || searchOk(t, w, confidence).ok) continue;
      const [a, b] = t.scope === 'interval' ? [w.index, w.index + 1] : t.scope === 'day' ? dayRange(s, w.index) : [0, cal.intervals];
      for (const ch of chs) for (let i = Math.max(0, a - 1); i < Math.min(cal.intervals, b + 1); i++) ok[ch][i] = 0;
    }
  });
  return ok;
}

