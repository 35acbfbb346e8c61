// Stage 0 of the planner: what is offered per interval and channel, from replications run with
// ample staff (so the bot, the order flow and retrials are all in it), the mean handle time per
// channel and each intent's share of the channel's work.

import type { RepResult } from '../stats/layout.js';
import type { Scenario } from '../scenario/types.js';
import { QUEUE_FIELD } from '../stats/recorder.js';

export interface Measured {
  /** Offered contacts per second per interval and channel. */
  readonly rate: Float64Array[];
  /** Mean handle time per channel (s), weighted by what was offered. */
  readonly aht: number[];
  /** Per channel, each intent's share of the channel's work (offered × handle time). */
  readonly shares: number[][];
}

export function measure(s: Scenario, reps: readonly RepResult[]): Measured {
  const cal = s.calendar, nc = s.channels.length, nI = s.intents.length;
  const rate = s.channels.map(() => new Float64Array(cal.intervals));
  const bins = reps[0].counters.offered.length / nc;
  const perInterval = Math.round(bins / cal.intervals) || 1;
  for (const r of reps) {
    for (let b = 0; b < bins; b++) {
      const i = Math.min(cal.intervals - 1, Math.floor(b / perInterval));
      for (let ch = 0; ch < nc; ch++) rate[ch][i] += r.counters.offered[b * nc + ch] / reps.length / cal.intervalSec;
    }
  }
  const shares = s.channels.map(() => new Array(nI).fill(0));
  const aht = s.channels.map((_, ch) => {
    let n = 0, w = 0;
    for (let it = 0; it < nI; it++) {
      const pool = s.pools.find((p) => p.channel === ch && p.handleTime[it] !== null) ?? s.pools.find((p) => p.tickets?.channel === ch && p.handleTime[it] !== null);
      if (!pool) continue;
      // the queue of this channel and intent, and its VIP twin
      const offered = reps.reduce((a, r) => a + r.queueTotals[QUEUE_FIELD.offered + (ch * nI + it) * 2 * QUEUE_FIELD.count] + r.queueTotals[QUEUE_FIELD.offered + ((ch * nI + it) * 2 + 1) * QUEUE_FIELD.count], 0);
      n += offered;
      w += offered * (pool.handleTime[it]!.mean / pool.efficiency);
      shares[ch][it] = offered * (pool.handleTime[it]!.mean / pool.efficiency);
    }
    if (w > 0) for (let it = 0; it < nI; it++) shares[ch][it] /= w;
    return n > 0 ? w / n : 300;
  });
  return { rate, aht, shares };
}

