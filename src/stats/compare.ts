// What-if comparisons with common random numbers. Both sides run the same seed and replication
// indices, so every stream (arrivals per source, each contact's draws) is shared wherever the
// two scenarios agree; the difference of a KPI is then estimated from the paired per-replication
// differences, whose interval is far narrower than the two sides' own intervals (and exactly
// zero-width when the sides are identical).

import type { RepResult } from './layout.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsLayout } from './recorder.js';
import { estimate } from './student.js';
import { summarise, type Est, type SimulationResult } from './summary.js';
import { meets } from './verdict.js';
import { targetSamples } from './windows.js';

export type KpiKind = 'count' | 'share' | 'seconds' | 'money' | 'hours' | 'per1000';

export interface Kpi {
  /** Stable identifier, e.g. 'channel.chat.serviceLevel'. */
  readonly key: string;
  readonly group: string;
  readonly label: string;
  readonly kind: KpiKind;
  /** Which direction is an improvement, or null for volumes and workload (a difference is then only more or less). */
  readonly better: 'higher' | 'lower' | null;
  readonly value: number;
}

/** Every KPI of one result (a single replication's, for paired differences). */
export function kpisOf(r: SimulationResult): Kpi[] {
  const out: Kpi[] = [];
  const add = (key: string, group: string, label: string, kind: KpiKind, better: Kpi['better'], value: number) => out.push({ key, group, label, kind, better, value });
  add('totals.cost', 'totals', 'staffing cost', 'money', 'lower', r.totals.cost);
  add('totals.agentHours', 'totals', 'agent-hours', 'hours', 'lower', r.totals.agentHours);
  for (const c of r.channels) {
    const g = `channel ${c.channel}`, k = `channel.${c.channel}`, st = c.stats;
    add(`${k}.arrivals`, g, 'arrivals', 'count', null, st.arrivals.mean);
    add(`${k}.botResolved`, g, 'resolved by the bot', 'count', null, st.botResolved.mean);
    add(`${k}.offered`, g, 'offered to agents', 'count', null, st.offered.mean);
    add(`${k}.answered`, g, 'answered', 'count', null, st.answered.mean); // a volume: more answered may as well be a bot that resolves less
    add(`${k}.abandoned`, g, 'abandoned', 'count', null, st.abandoned.mean); // a volume too; the abandonment share has the direction
    if (!c.deferred) {
      add(`${k}.serviceLevel`, g, `service level (< ${st.slWithinSec}s)`, 'share', 'higher', st.serviceLevel.mean);
      add(`${k}.abandonRate`, g, 'abandonment', 'share', 'lower', st.abandonRate.mean);
    }
    add(`${k}.averageWait`, g, 'average wait (answered)', 'seconds', 'lower', st.averageWait.mean);
    add(`${k}.p90Wait`, g, 'p90 wait', 'seconds', 'lower', st.p90Wait.mean);
    add(`${k}.occupancy`, g, 'occupancy', 'share', null, st.occupancy.mean);
    add(`${k}.inSystemAtEnd`, g, 'open at the end', 'count', 'lower', c.inSystemAtEnd.mean);
  }
  for (const p of r.pools) {
    const g = `pool ${p.pool}`, k = `pool.${p.pool}`;
    add(`${k}.agentHours`, g, 'agent-hours', 'hours', 'lower', p.agentHours);
    add(`${k}.cost`, g, 'cost', 'money', 'lower', p.cost);
    add(`${k}.occupancy`, g, 'occupancy', 'share', null, p.occupancy.mean);
  }
  if (r.drivers.orders) {
    const sum = (f: (d: SimulationResult['days'][number]) => number) => r.days.reduce((a, d) => a + f(d), 0);
    const orders = sum((d) => d.orders.mean), complaints = sum((d) => d.complaints.mean);
    add('orders.orders', 'orders', 'orders', 'count', null, orders);
    add('orders.shippedLate', 'orders', 'shipped late', 'count', 'lower', sum((d) => d.shippedLate.mean));
    add('orders.deliveredLate', 'orders', 'delivered late', 'count', 'lower', sum((d) => d.deliveredLate.mean));
    add('orders.wismo', 'orders', 'where-is-my-order contacts', 'count', null, sum((d) => d.wismo.mean));
    add('orders.returns', 'orders', 'returns', 'count', null, sum((d) => d.returns.mean));
    add('orders.refundsLate', 'orders', 'refunds late', 'count', 'lower', sum((d) => d.refundsLate.mean));
    add('orders.complaints', 'orders', 'complaints', 'count', 'lower', complaints);
    add('orders.complaintsPer1000', 'orders', 'complaints per 1,000 orders', 'per1000', 'lower', orders > 0 ? (1000 * complaints) / orders : NaN);
  }
  return out;
}

export interface KpiComparison {
  readonly key: string;
  readonly group: string;
  readonly label: string;
  readonly kind: KpiKind;
  readonly better: Kpi['better'];
  /** Null when the side has no such KPI (different channels or pools). */
  readonly a: Est | null;
  readonly b: Est | null;
  /** B − A over paired replications, with its 95% confidence interval. */
  readonly diff: Est | null;
  /** 'same': identical in every replication; 'significant': the interval excludes 0. */
  readonly verdict: 'same' | 'significant' | 'not significant' | 'n/a';
}

const toEst = (xs: number[]): Est => {
  const e = estimate(xs);
  return { mean: e.mean, lo: Number.isNaN(e.half) ? e.mean : e.mean - e.half, hi: Number.isNaN(e.half) ? e.mean : e.mean + e.half };
};

/**
 * Per-replication KPIs of a run (replications in index order). A target's KPI is its value for a
 * horizon target, and for interval and day targets its attainment in that replication: the share
 * of the run's judged windows whose value in the replication meets the bound. Verdicts are not
 * KPIs of one replication: each side's come from its own judge (the rule of every command).
 */
export function kpisPerReplication(s: Scenario, layout: StatsLayout, reps: readonly RepResult[]): Kpi[][] {
  const sorted = [...reps].sort((x, y) => x.replication - y.replication);
  const samples = s.targets.map((t) => targetSamples(s, layout, sorted, t));
  return sorted.map((r, ri) => {
    const out = kpisOf(summarise(s, layout, [r], { targets: false }));
    s.targets.forEach((t, ti) => {
      const kind: KpiKind = t.metric === 'averageWait' ? 'seconds' : t.metric === 'complaintsPer1000Orders' ? 'per1000' : 'share';
      const ws = samples[ti].filter((w) => w.evaluated);
      const label = `${t.id} [${t.path}]`;
      if (t.scope === 'horizon') {
        out.push({ key: `target.${ti}`, group: 'targets', label, kind, better: t.sense === 'atLeast' ? 'higher' : 'lower', value: ws[0]?.values[ri] ?? NaN });
        return;
      }
      let met = 0, defined = 0;
      for (const w of ws) {
        const v = w.values[ri];
        if (Number.isNaN(v)) continue;
        defined++;
        if (meets(t, v)) met++;
      }
      out.push({ key: `target.${ti}`, group: 'targets', label: `${label}: attainment (share of ${t.scope === 'day' ? 'days' : 'intervals'} met in a replication)`, kind: 'share', better: 'higher', value: defined > 0 ? met / defined : NaN });
    });
    return out;
  });
}

export function compareKpis(a: readonly Kpi[][], b: readonly Kpi[][]): KpiComparison[] {
  const n = Math.min(a.length, b.length);
  const keys: Kpi[] = [];
  const seen = new Set<string>();
  for (const k of [...(a[0] ?? []), ...(b[0] ?? [])]) if (!seen.has(k.key)) { seen.add(k.key); keys.push(k); }
  const index = (side: readonly Kpi[][]) => side.map((rep) => new Map(rep.map((k) => [k.key, k.value])));
  const ia = index(a), ib = index(b);
  return keys.map((k) => {
    const hasA = ia[0]?.has(k.key) ?? false, hasB = ib[0]?.has(k.key) ?? false;
    const va = hasA ? ia.slice(0, n).map((m) => m.get(k.key)!) : [];
    const vb = hasB ? ib.slice(0, n).map((m) => m.get(k.key)!) : [];
    const A = hasA ? toEst(va) : null, B = hasB ? toEst(vb) : null;
    let diff: Est | null = null;
    let verdict: KpiComparison['verdict'] = 'n/a';
    if (hasA && hasB) {
      const d: number[] = [];
      let same = true;
      for (let i = 0; i < n; i++) {
        const x = va[i], y = vb[i];
        if (Number.isNaN(x) && Number.isNaN(y)) continue;
        if (x !== y) same = false;
        if (!Number.isNaN(x) && !Number.isNaN(y)) d.push(y - x);
      }
      if (d.length > 0) {
        diff = toEst(d);
        verdict = same ? 'same' : d.length < 2 ? 'n/a' : diff.lo > 0 || diff.hi < 0 ? 'significant' : 'not significant';
      } else if (same) verdict = 'same';
    }
    return { key: k.key, group: k.group, label: k.label, kind: k.kind, better: k.better, a: A, b: B, diff, verdict };
  });
}
