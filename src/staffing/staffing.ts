// A staffing (agents per pool and interval) and what the stages do to one: its cost, the scenario
// with it in place, the cheapest pools for capacity, putting capacity on a channel within the
// pools' planning constraints, and the maxStep smoothing. The leaf every planner stage uses.

import type { Pool, Scenario } from '../scenario/types.js';

export type Staffing = Int32Array[]; // per pool, per interval

export class PlanStopped extends Error {}

export const clone = (x: Staffing): Staffing => x.map((a) => Int32Array.from(a));

/**
 * Lets the event loop turn every 50 ms of the planner's own computing (the Erlang stage takes
 * seconds on a month of intervals), so that a signal is seen there too, and stops the plan when
 * it was one. Awaited in loops: a resolved promise costs next to nothing.
 */
export function pauser(shouldStop: (() => boolean) | undefined): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 50) return;
    await new Promise((res) => setImmediate(res));
    last = performance.now();
    if (shouldStop?.()) throw new PlanStopped('stopped');
  };
}

export function withStaffing(s: Scenario, staff: Staffing): Scenario {
  return { ...s, pools: s.pools.map((p, i) => ({ ...p, staffing: staff[i] })) };
}

/** Paid cost of a staffing: agent-hours / (1 − shrinkage) × cost per hour. */
export function staffingCost(s: Scenario, staff: Staffing): { cost: number; agentHours: number } {
  const cal = s.calendar;
  let cost = 0, hours = 0;
  s.pools.forEach((p, pi) => {
    let sec = 0;
    for (let i = 0; i < cal.intervals; i++) sec += staff[pi][i] * Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
    hours += sec / 3600;
    cost += (sec / 3600 / (1 - p.shrinkage)) * p.costPerHour;
  });
  return { cost, agentHours: hours };
}

/** Capacity an agent of the pool adds to its channel, in Erlang servers (work units). */
export function serversPerAgent(p: Pool): number {
  return p.speed[p.concurrency - 1] * p.efficiency;
}

/** Cheaper per unit of capacity first; pools that only take overflow come last. */
export function poolOrder(s: Scenario, ch: number): number[] {
  const unitCost = (p: Pool) => (p.costPerHour / (1 - p.shrinkage) + 1e-9) / serversPerAgent(p);
  const overflowOnly = (p: Pool) => p.skills.every((k) => k.afterSec > 0);
  return s.pools
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.channel === ch && !p.planning.fixed)
    .sort((a, b) => Number(overflowOnly(a.p)) - Number(overflowOnly(b.p)) || unitCost(a.p) - unitCost(b.p) || a.i - b.i)
    .map(({ i }) => i);
}

/**
 * Put `servers` of capacity on channel ch in interval i, within bounds. The capacity is split by
 * the intents' shares of the channel's work and each share goes to the cheapest pool that takes
 * that intent at once, so a pool is never staffed for work it has no skill for.
 */
export function allocate(s: Scenario, staff: Staffing, ch: number, i: number, servers: number, shares?: readonly number[]): void {
  let need = servers;
  for (const pi of s.pools.map((p, k) => ({ p, k })).filter(({ p }) => p.channel === ch && p.planning.fixed)) need -= staff[pi.k][i] * serversPerAgent(pi.p);
  const order = poolOrder(s, ch);
  for (const pi of order) staff[pi][i] = s.pools[pi].planning.min[i];
  for (const pi of order) need -= staff[pi][i] * serversPerAgent(s.pools[pi]);
  if (need <= 0) return;
  const want = new Float64Array(s.pools.length);
  const nI = s.intents.length;
  const parts = shares && shares.some((x) => x > 0) ? shares : Array.from({ length: nI }, (_, it) => (it === 0 ? 1 : 0));
  for (let it = 0; it < nI; it++) {
    if (!(parts[it] > 0)) continue;
    let rest = need * parts[it];
    const eligible = order.filter((pi) => s.pools[pi].skills.some((k) => k.intent === it && k.afterSec === 0));
    for (const pi of eligible.length > 0 ? eligible : order) {
      const p = s.pools[pi];
      const room = (p.planning.max[i] - staff[pi][i]) * serversPerAgent(p) - want[pi];
      if (room <= 0) continue;
      const take = Math.min(room, rest);
      want[pi] += take;
      rest -= take;
      if (rest <= 1e-9) break;
    }
  }
  for (const pi of order) if (want[pi] > 0) staff[pi][i] = Math.min(s.pools[pi].planning.max[i], staff[pi][i] + Math.ceil(want[pi] / serversPerAgent(s.pools[pi]) - 1e-9));
}

/** Enforce maxStep by raising the lower neighbour (never lowers: keeps targets met). */
export function smooth(s: Scenario, staff: Staffing): void {
  s.pools.forEach((p, pi) => {
    const step = p.planning.maxStep;
    if (!Number.isFinite(step)) return;
    const x = staff[pi];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 1; i < x.length; i++) if (x[i - 1] - x[i] > step) x[i] = Math.min(p.planning.max[i], x[i - 1] - step);
      for (let i = x.length - 2; i >= 0; i--) if (x[i + 1] - x[i] > step) x[i] = Math.min(p.planning.max[i], x[i + 1] - step);
    }
  });
}

/** The intervals [a, b) of local day d. */
export function dayRange(s: Scenario, d: number): [number, number] {
  const local0 = (s.calendar.startMs / 1000 + s.calendar.offsetMinutes * 60) % 86400;
  const a = Math.max(0, Math.ceil((d * 86400 - local0) / s.calendar.intervalSec));
  const b = Math.min(s.calendar.intervals, Math.ceil(((d + 1) * 86400 - local0) / s.calendar.intervalSec));
  return [a, b];
}
