// Scenario → flat tables the simulation reads in its hot loop: routing lists per contact type and
// per pool, service rates per chat load, staffing vectors. Built once, shared by replications.

import { Distribution } from '../engine/distributions.js';
import type { Scenario } from '../scenario/types.js';

/** A queue holds the waiting contacts of one (channel, intent, vip) combination, FIFO. */
export interface QueueDef {
  readonly type: number; // channel * intents + intent
  readonly channel: number;
  readonly intent: number;
  readonly vip: boolean;
  readonly priority: number;
}

export interface PoolDef {
  readonly index: number;
  readonly name: string;
  readonly channel: number;
  readonly concurrency: number;
  /** rate[n] = work per second of each chat while the agent holds n chats (1 ≤ n ≤ k); rate[0] unused. */
  readonly rate: Float64Array;
  /**
   * busyStep[n] = rise in the agent's occupancy when its load goes from n-1 to n chats: the share
   * of its full-load throughput that the n-th chat adds, speed[n-1] - speed[n-2] over speed[k-1].
   * Occupancy is thus work-based: an agent holding 1 of 3 chats at speeds [1, 1.7, 2.5] is 40%
   * occupied, not 100% (with concurrency 1 it is the plain busy fraction).
   */
  readonly busyStep: Float64Array;
  /** True when the rate per chat does not depend on load (no rescheduling needed). */
  readonly flatRate: boolean;
  /** Queues this pool serves, sorted by priority then index, and the wait each must reach first. */
  readonly queues: Int32Array;
  readonly queueAfter: Float64Array;
  /** Handle-time distribution per intent (null where the pool has no skill). */
  readonly handle: readonly (Distribution | null)[];
  readonly staffing: Int32Array;
  /** Blending: ticket queues this pool works when an agent has no live work (sorted by priority). */
  readonly ticketQueues: Int32Array;
  readonly ticketAfter: Float64Array;
}

export interface TypeRoute {
  /** Pools that may take the contact as soon as it is offered, in preference order. */
  readonly immediate: Int32Array;
  /** Blending pools that take this ticket at once, but only with an idle agent and no live work waiting. */
  readonly blended: Int32Array;
  /** Distinct overflow waits (ascending) and, for each, the pools that open then. */
  readonly tiers: readonly { afterSec: number; pools: Int32Array }[];
}

/**
 * A class rather than an object literal for the reason given at orders/host.ts OrderParts: the
 * handlers that read it were thrown away at the second replication's start when it was a literal.
 */
export class CompiledModel {
  constructor(
    readonly scenario: Scenario,
    readonly nChannels: number,
    readonly nIntents: number,
    readonly queues: readonly QueueDef[],
    readonly pools: readonly PoolDef[],
    /** Per type (channel * nIntents + intent). */
    readonly routes: readonly TypeRoute[],
    /** Patience per channel, and for contacts the bot escalated. */
    readonly patience: readonly Distribution[],
    readonly escalatedPatience: readonly Distribution[],
  ) {}
}

export function compile(s: Scenario): CompiledModel {
  const nC = s.channels.length, nI = s.intents.length;
  const queues: QueueDef[] = [];
  for (let c = 0; c < nC; c++) {
    for (let i = 0; i < nI; i++) {
      for (const vip of [false, true]) {
        const base = s.routing.priority[c * nI + i];
        queues.push({ type: c * nI + i, channel: c, intent: i, vip, priority: vip ? Math.min(base, s.routing.vipPriority) : base });
      }
    }
  }
  const queueIndex = (type: number, vip: boolean) => type * 2 + (vip ? 1 : 0);

  const pools: PoolDef[] = s.pools.map((p, index) => {
    const k = p.concurrency;
    const rate = new Float64Array(k + 1);
    let flatRate = true;
    for (let n = 1; n <= k; n++) {
      rate[n] = (p.speed[n - 1] / n) * p.efficiency;
      if (Math.abs(rate[n] - rate[1]) > 1e-12 * rate[1]) flatRate = false;
    }
    const busyStep = new Float64Array(k + 1);
    for (let n = 1; n <= k; n++) busyStep[n] = (p.speed[n - 1] - (n > 1 ? p.speed[n - 2] : 0)) / p.speed[k - 1];
    const served: { q: number; after: number; pri: number }[] = [];
    // a channel without VIPs never fills its VIP queues: leaving them out spares every freed
    // agent a look at an empty queue (bench/run.mjs)
    const vips = s.channels[p.channel].vipShare > 0 ? [false, true] : [false];
    for (const sk of p.skills) {
      for (const vip of vips) {
        const q = queueIndex(p.channel * nI + sk.intent, vip);
        served.push({ q, after: sk.afterSec, pri: queues[q].priority });
      }
    }
    served.sort((a, b) => a.pri - b.pri || a.q - b.q);
    const tq: { q: number; after: number; pri: number }[] = [];
    for (const sk of p.tickets?.skills ?? []) {
      const q = queueIndex(p.tickets!.channel * nI + sk.intent, false);
      tq.push({ q, after: sk.afterSec, pri: queues[q].priority });
    }
    tq.sort((a, b) => a.pri - b.pri || a.q - b.q);
    return {
      index,
      name: p.name,
      channel: p.channel,
      concurrency: k,
      rate,
      busyStep,
      flatRate,
      queues: Int32Array.from(served.map((x) => x.q)),
      queueAfter: Float64Array.from(served.map((x) => x.after)),
      handle: p.handleTime,
      staffing: p.staffing,
      ticketQueues: Int32Array.from(tq.map((x) => x.q)),
      ticketAfter: Float64Array.from(tq.map((x) => x.after)),
    };
  });

  const routes: TypeRoute[] = [];
  for (let c = 0; c < nC; c++) {
    for (let i = 0; i < nI; i++) {
      const imm: number[] = [];
      const blended: number[] = [];
      const tiers = new Map<number, number[]>();
      s.pools.forEach((p, pi) => {
        if (p.tickets?.channel === c && p.tickets.skills.some((x) => x.intent === i && x.afterSec === 0)) blended.push(pi);
        if (p.channel !== c) return;
        const sk = p.skills.find((x) => x.intent === i);
        if (!sk) return;
        if (sk.afterSec === 0) imm.push(pi);
        else tiers.set(sk.afterSec, [...(tiers.get(sk.afterSec) ?? []), pi]);
      });
      routes.push({
        immediate: Int32Array.from(imm),
        blended: Int32Array.from(blended),
        tiers: [...tiers.entries()].sort((a, b) => a[0] - b[0]).map(([afterSec, ps]) => ({ afterSec, pools: Int32Array.from(ps) })),
      });
    }
  }

  const patience = s.channels.map((ch) => ch.patience);
  const f = s.bot?.escalatedPatienceFactor ?? 1;
  const escalatedPatience = s.channels.map((ch) => (f === 1 ? ch.patience : ch.patience.scaled(f)));
  return new CompiledModel(s, nC, nI, queues, pools, routes, patience, escalatedPatience);
}
