// The terminal report of a simulation: header, per-channel table over the surge window, pools,
// and every target with its verdict (meets, misses, undecided) and decision interval.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { ChannelRow, SimulationResult, TargetResult } from '../stats/summary.js';
import { formatDuration } from '../scenario/time.js';
import { ci, count, money, pct, secs, sparkline } from './format.js';

export interface TableOptions {
  readonly colour: ChalkInstance;
  /** Rows with start in [fromSec, toSec) are shown. */
  readonly fromSec: number;
  readonly toSec: number;
  readonly windowLabel: string;
  /** Scenario start offset for labels. */
  readonly shortLabel: (sec: number) => string;
}

const plain = { head: [], border: [] };
// No rule between body rows: long tables stay readable and short.
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** The local day (24 h from a local midnight) with the most arrivals, as [from, to) seconds. */
export function busiestDay(r: SimulationResult, dayStartSec: (sec: number) => number, horizonSec: number): [number, number] {
  const byDay = new Map<number, number>();
  for (const row of r.rows) {
    const d = dayStartSec(row.startSec);
    byDay.set(d, (byDay.get(d) ?? 0) + row.arrivals.mean);
  }
  let best = 0, bestV = -1;
  for (const [d, v] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) if (v > bestV) { best = d; bestV = v; }
  return [Math.max(0, best), Math.min(horizonSec, best + 86400)];
}

const SL_OF: Record<TargetResult['slOf'], string> = {
  offered: '', answered: ', of answered', offeredExceptShortAbandons: ', short abandons left out', allWaits: ', waits ended either way',
};

export function targetText(t: TargetResult): string {
  const op = t.sense === 'atLeast' ? '≥' : '≤';
  const scope = t.scope === 'interval' ? 'every interval' : t.scope === 'day' ? 'every day' : 'over the horizon';
  const share = (x: number) => pct(x, (x * 100) % 1 === 0 ? 0 : 1);
  switch (t.metric) {
    case 'serviceLevel': return `${t.channel}: service level (answered < ${formatDuration(t.withinSec)}${SL_OF[t.slOf]}) ${op} ${share(t.bound)}, ${scope}`;
    case 'averageWait': return `${t.channel}: average wait ${op} ${secs(t.bound)}, ${scope}`;
    case 'abandonment': return `${t.channel}: abandonment ${op} ${share(t.bound)}, ${scope}`;
    case 'occupancy': return `${t.channel}: occupancy ${op} ${share(t.bound)}, ${scope}`;
    case 'firstReply': return `${t.id.split(' ')[0]}: first reply within ${formatDuration(t.withinSec)} ${op} ${share(t.bound)}, ${scope}`;
    case 'resolved': return `${t.id.split(' ')[0]}: resolved within ${formatDuration(t.withinSec)} ${op} ${share(t.bound)}, ${scope}`;
    case 'complaintsPer1000Orders': return `complaints per 1,000 orders ${op} ${t.bound}, ${scope}`;
  }
}

export function targetFormat(t: TargetResult): (x: number) => string {
  if (t.metric === 'averageWait') return secs;
  if (t.metric === 'complaintsPer1000Orders') return (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
  return (x) => pct(x);
}

/** A target's verdict for people: MEETS, MISSES (with counts), UNDECIDED or nothing to measure. */
export function verdictText(t: TargetResult, c: ChalkInstance): string {
  const unit = t.scope === 'day' ? 'days' : 'intervals';
  if (t.verdict === 'none') return c.yellow('nothing to measure');
  if (t.verdict === 'meets') return c.green('MEETS') + (t.scope === 'horizon' ? '' : ` (all ${t.evaluated} ${unit})`);
  if (t.verdict === 'misses') return c.red('MISSES') + (t.scope === 'horizon' ? '' : ` (${t.misses} of ${t.evaluated} ${unit} miss${t.undecided > 0 ? `, ${t.undecided} undecided` : ''})`);
  return c.yellow('UNDECIDED') + (t.scope === 'horizon' ? '' : ` (${t.undecided} of ${t.evaluated} ${unit})`);
}

export function renderTargets(targets: readonly TargetResult[], c: ChalkInstance): string {
  if (targets.length === 0) return 'No targets in the scenario.';
  const fmt = targetFormat;
  const tbl = new Table({ head: ['target', 'value', 'decision interval', 'verdict', 'replications'], style: plain, chars });
  for (const t of targets) {
    const f = fmt(t);
    const at = t.worstStart === null ? '' : t.scope === 'day' ? t.worstStart.slice(5, 10) : t.worstStart.slice(5, 16).replace('T', ' ');
    const value = Number.isNaN(t.value.mean) ? 'nothing to measure' : (t.scope === 'horizon' ? f(t.value.mean) : `worst ${f(t.value.mean)} on ${at}`);
    tbl.push([targetText(t), value, ci(t.value, f), verdictText(t, c), t.evaluated > 0 ? String(t.replications) : '']);
  }
  return tbl.toString();
}

export function renderSimulation(r: SimulationResult, o: TableOptions): string {
  const c = o.colour;
  const out: string[] = [];
  out.push(c.bold(`peakplan simulate — ${r.scenario.name}`) + c.dim(` (${r.scenario.file})`));
  out.push(`seed ${r.seed} · ${r.replications} replication${r.replications === 1 ? '' : 's'} · ${r.start} → ${r.end} · interval ${r.interval} · report ${r.reportInterval}`);
  for (const w of r.warnings) out.push(c.yellow(`warning: ${w}`));

  const channels = r.channels.map((x) => x.channel);
  for (const ch of channels) {
    const rows = r.rows.filter((x) => x.channel === ch && x.startSec >= o.fromSec && x.startSec < o.toSec);
    if (rows.length === 0) continue;
    const sl = rows[0].slWithinSec;
    out.push('');
    out.push(c.bold(`${ch}`) + ` — ${o.windowLabel}, every ${r.reportInterval} (means over replications)`);
    const tbl = new Table({
      head: ['from', 'arrivals', 'bot', 'offered', 'answered', 'abandoned', `SL<${formatDuration(sl)}`, 'avg wait', 'p90 wait', 'occupancy', 'agents'],
      style: plain, chars,
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    });
    for (const x of rows) {
      tbl.push([
        o.shortLabel(x.startSec), count(x.arrivals.mean), count(x.botResolved.mean), count(x.offered.mean), count(x.answered.mean),
        count(x.abandoned.mean), pct(x.serviceLevel.mean), secs(x.averageWait.mean), secs(x.p90Wait.mean), pct(x.occupancy.mean), count(x.agents.mean),
      ]);
    }
    out.push(tbl.toString());
    out.push(chart(rows, c));
  }

  const days = renderDays(r, c);
  if (days !== '') {
    out.push('');
    out.push(c.bold('Per day') + ' (means over replications; backlogs at the end of the day)');
    out.push(days);
  }

  out.push('');
  out.push(c.bold('Over the horizon'));
  const h = new Table({ head: ['channel', 'arrivals', 'bot resolved', 'offered', 'answered', 'abandoned', 'service level', 'avg wait', 'p90 wait', 'occupancy'], style: plain, chars });
  for (const x of r.channels) {
    const s = x.stats;
    h.push([x.channel, count(s.arrivals.mean), count(s.botResolved.mean), count(s.offered.mean), count(s.answered.mean), count(s.abandoned.mean),
      `${pct(s.serviceLevel.mean)} <${formatDuration(s.slWithinSec)}`, secs(s.averageWait.mean), secs(s.p90Wait.mean), pct(s.occupancy.mean)]);
  }
  out.push(h.toString());

  const p = new Table({ head: ['pool', 'kind', 'channel', 'agent-hours', 'paid hours', 'cost', 'occupancy'], style: plain, chars });
  for (const x of r.pools) p.push([x.pool, x.kind, x.channel, count(x.agentHours), count(x.paidHours), money(x.cost), pct(x.occupancy.mean)]);
  p.push([c.bold('total'), '', '', count(r.totals.agentHours), '', money(r.totals.cost), '']);
  out.push(p.toString());

  out.push('');
  out.push(c.bold('Targets') + c.dim(` — ${decisionLine(r)}`));
  out.push(renderTargets(r.targets, c));
  return out.join('\n') + '\n';
}

/** How the targets were judged, in a line under the table's title. */
export function decisionLine(r: SimulationResult): string {
  const d = r.decision;
  return `each verdict on ${r.replications} replications at ${Math.round(d.confidence * 1000) / 10}% confidence for all ${d.windows} windows at once (intervals: docs/verdicts.md)`;
}

function chart(rows: readonly ChannelRow[], c: ChalkInstance): string {
  const arrivals = rows.map((x) => x.offered.mean);
  const agents = rows.map((x) => x.agents.mean);
  return [
    `  offered to agents ${c.cyan(sparkline(arrivals))}  peak ${count(Math.max(...arrivals))}`,
    `  agents scheduled  ${c.magenta(sparkline(agents))}  peak ${count(Math.max(...agents))}`,
  ].join('\n');
}

/** The per-day table: only the columns the scenario's drivers produce. */
export function renderDays(r: SimulationResult, c: ChalkInstance): string {
  const d = r.drivers;
  const deferred = r.channels.filter((ch) => ch.deferred).map((ch) => ch.channel);
  if (!d.orders && !d.complaints && deferred.length === 0) return '';
  const head: string[] = ['day'];
  const cells: ((day: SimulationResult['days'][number]) => string)[] = [];
  const col = (h: string, f: (day: SimulationResult['days'][number]) => string) => { head.push(h); cells.push(f); };
  if (d.orders) col('orders', (x) => count(x.orders.mean));
  if (d.logistics) {
    col('shipped (late)', (x) => `${count(x.shipped.mean)} (${count(x.shippedLate.mean)})`);
    col('warehouse', (x) => count(x.warehouseEnd.mean));
    col('delivered (late)', (x) => `${count(x.delivered.mean)} (${count(x.deliveredLate.mean)})`);
    col('WISMO', (x) => count(x.wismo.mean));
  }
  if (d.returns) col('returns', (x) => count(x.returns.mean));
  if (d.complaints) {
    col('complaints', (x) => count(x.complaints.mean));
    if (d.orders) col('per 1k orders', (x) => (Number.isFinite(x.complaintsPer1000Orders.mean) ? x.complaintsPer1000Orders.mean.toFixed(1) : '–'));
  }
  for (const ch of deferred) col(`${ch} backlog`, (x) => count(x.channels.find((y) => y.channel === ch)!.backlogEnd.mean));
  const first = r.days[0];
  first?.deadlines.forEach((dl, i) => {
    col(`${dl.channel}${dl.intent ? '/' + dl.intent : ''} ${dl.kind === 'firstReply' ? 'reply' : 'resolved'}<${formatDuration(dl.withinSec)}`, (x) => pct(x.deadlines[i].attainment.mean));
  });
  const tbl = new Table({ head, style: plain, chars, colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')) });
  for (const day of r.days) tbl.push([day.date.slice(5), ...cells.map((f) => f(day))]);
  void c;
  return tbl.toString();
}
