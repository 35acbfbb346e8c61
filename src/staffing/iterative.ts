// Stage 2 of the planner: iterative staffing in the spirit of Feldman, Mandelbaum, Massey & Whitt
// (Management Science 2008): simulate, set each interval's capacity to the smallest s with
// P(N ≥ s) ≤ α for the number N of the channel's contacts in the system (time-weighted over the
// replications), repeat until the staffing stops changing. α is the delay probability the
// stationary solution ran at in that interval (analytical.ts), so the delay probability stays
// steady in time where per-interval Erlang lets it swing.

import type { RepResult } from '../stats/layout.js';
import { SEARCH_FIRST, type AnalyticalStaffing } from './analytical.js';
import type { PlanRun } from './plan-run.js';
import { allocate, clone, poolOrder, serversPerAgent, smooth, type Staffing } from './staffing.js';

export async function iterativeStaffing(run: PlanRun, a: AnalyticalStaffing): Promise<Staffing> {
  const { base, o } = run;
  const cal = base.calendar;
  const staff = clone(a.start);
  const live = base.channels.map((c, ch) => !c.deferred && base.pools.some((p) => p.channel === ch && !p.planning.fixed));
  for (let it = 0; it < (o.isaRounds ?? 2) && run.rounds < o.maxRounds; it++) {
    run.rounds++;
    const out = await run.search(staff, o.searchReps, SEARCH_FIRST, true);
    const hist = numberInSystemTail(out.reps, o.isaRounding === 'nearest');
    let changed = 0;
    base.channels.forEach((_, ch) => {
      if (!live[ch]) return;
      const order = poolOrder(base, ch);
      for (let i = 0; i < cal.intervals; i++) {
        const alpha = o.isaAlpha ?? (Number.isNaN(a.alphaAt[ch][i]) ? a.alpha[ch] : a.alphaAt[ch][i]);
        const sNeeded = hist.smallestWithTail(ch, i, alpha);
        if (sNeeded < 0) continue;
        // contacts → agents: each agent holds up to k contacts at once
        const before = order.reduce((x, pi) => x + staff[pi][i], 0);
        const servers = order.length > 0 ? sNeeded * (serversPerAgent(base.pools[order[0]]) / base.pools[order[0]].concurrency) : 0;
        allocate(base, staff, ch, i, servers, a.measured.shares[ch]);
        const after = order.reduce((x, pi) => x + staff[pi][i], 0);
        if (after !== before) changed++;
      }
    });
    smooth(base, staff);
    run.record(`iterative staffing, round ${it + 1}`, staff, -1, `${changed} interval changes`);
    if (changed === 0) break;
  }
  return staff;
}

interface TailTable {
  /** Smallest s with P(N ≥ s) ≤ alpha in interval i (time-weighted), or -1 without data. */
  smallestWithTail(ch: number, i: number, alpha: number): number;
}

export function numberInSystemTail(reps: readonly RepResult[], nearest = false): TailTable {
  return {
    smallestWithTail(ch, i, alpha) {
      let total = 0;
      const acc = new Map<number, number>();
      for (const r of reps) {
        const h = r.nInSystem?.[ch]?.[i];
        if (!h) continue;
        for (let n = 0; n < h.length; n++) {
          if (h[n] > 0) { acc.set(n, (acc.get(n) ?? 0) + h[n]); total += h[n]; }
        }
      }
      if (total <= 0) return -1;
      const ns = [...acc.keys()].sort((a, b) => b - a);
      let tail = 0;
      for (const n of ns) {
        const p = (tail + acc.get(n)!) / total; // P(N ≥ n)
        if (p > alpha) {
          // s = n + 1 has P(N ≥ n + 1) = tail / total ≤ alpha; n itself has p > alpha
          return nearest && Math.abs(p - alpha) < Math.abs(tail / total - alpha) ? n : n + 1;
        }
        tail += acc.get(n)!;
      }
      return 0;
    },
  };
}
