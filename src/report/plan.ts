// Reporters for `peakplan plan`: the hourly table of agents per pool with arrivals, the cost per
// pool kind, the verified attainment against the naive plan's, and the plan CSV.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { formatDateTime, shortLabel } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { PlanResult, Staffing } from '../staffing/planner.js';
import { count, money, sparkline } from './format.js';
import { renderTargets } from './table.js';
import { csvText, csvTime, safeText } from './csv.js';

const plain = { head: [], border: [] };
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** interval_start,pool,agents — the format `simulate --plan` and `check --plan` read (Excel's form too). */
export function renderPlanCsv(s: Scenario, staff: Staffing, excel = false): string {
  const cal = s.calendar;
  const rows: string[][] = [['interval_start', 'pool', 'agents']];
  for (let i = 0; i < cal.intervals; i++) {
    const at = csvTime(formatDateTime(cal.startMs + i * cal.intervalSec * 1000, cal.offsetMinutes), excel);
    s.pools.forEach((p, pi) => rows.push([at, safeText(p.name), String(staff[pi][i])]));
  }
  return csvText(rows, excel);
}

/**
 * The staffing sheet a manager reads: one row per interval, a column of agents per pool, then
 * the agents and the cost of the interval (paid at each pool's cost per hour, grossed up by its
 * shrinkage as in simulate's cost).
 */
export function renderStaffingSheetCsv(s: Scenario, staff: Staffing, excel = false): string {
  const cal = s.calendar;
  const h = cal.intervalSec / 3600;
  const rows: string[][] = [['interval_start', ...s.pools.map((p) => safeText(p.name)), 'total_agents', 'total_cost']];
  for (let i = 0; i < cal.intervals; i++) {
    let agents = 0, cost = 0;
    s.pools.forEach((p, pi) => { agents += staff[pi][i]; cost += (staff[pi][i] * h * p.costPerHour) / (1 - p.shrinkage); });
    rows.push([csvTime(formatDateTime(cal.startMs + i * cal.intervalSec * 1000, cal.offsetMinutes), excel), ...s.pools.map((_, pi) => String(staff[pi][i])), String(agents), String(Number(cost.toPrecision(10)))]);
  }
  return csvText(rows, excel);
}

export interface PlanTableOptions {
  readonly colour: ChalkInstance;
  readonly fromSec: number;
  readonly toSec: number;
  readonly windowLabel: string;
  readonly verbose: boolean;
}

export function renderPlan(r: PlanResult, o: PlanTableOptions): string {
  const s = r.scenario, cal = s.calendar, c = o.colour;
  const out: string[] = [];
  out.push(c.bold(`peakplan plan — ${s.name}`) + c.dim(` (${s.file})`));
  out.push(`seed ${s.seed} · search on ${r.log.length > 0 ? '' : ''}${r.verified.replications} fresh replications verified · ${r.replicationsRun} replications simulated in all`);
  if (o.verbose) {
    out.push('');
    out.push(c.bold('Stages'));
    const t = new Table({ head: ['stage', 'round', 'agent-hours', 'cost', 'failing', 'note'], style: plain, chars });
    for (const e of r.log) t.push([e.stage, String(e.round), count(e.agentHours), money(e.cost), e.failing < 0 ? '' : String(e.failing), e.worst.slice(0, 60)]);
    out.push(t.toString());
  }
  // hourly table over the window: agents per pool (mean over the hour's intervals) and offered
  const perHour = Math.max(1, Math.round(3600 / cal.intervalSec));
  const head = ['hour', ...s.pools.map((p) => p.name), 'naive total', 'offered'];
  const t = new Table({ head, style: plain, chars, colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')) });
  const offeredRows = r.verified.rows;
  const totals: number[] = [], naiveTotals: number[] = [], offered: number[] = [];
  for (let i = 0; i < cal.intervals; i += perHour) {
    const sec = i * cal.intervalSec;
    if (sec < o.fromSec || sec >= o.toSec) continue;
    const span = Math.min(perHour, cal.intervals - i);
    const avg = (x: Int32Array) => { let a = 0; for (let k = 0; k < span; k++) a += x[i + k]; return a / span; };
    const pools = r.plan.map(avg);
    const naive = r.naive.reduce((a, x) => a + avg(x), 0);
    const off = offeredRows.filter((row) => row.startSec >= sec && row.startSec < sec + perHour * cal.intervalSec).reduce((a, row) => a + row.offered.mean, 0);
    totals.push(pools.reduce((a, b) => a + b, 0));
    naiveTotals.push(naive);
    offered.push(off);
    t.push([shortLabel(cal.startMs + sec * 1000, cal.offsetMinutes), ...pools.map((x) => count(x)), count(naive), count(off)]);
  }
  out.push('');
  out.push(c.bold('Agents per pool') + ` — ${o.windowLabel}, hourly means of the ${cal.intervalSec / 60}-minute plan`);
  out.push(t.toString());
  out.push(`  offered          ${c.cyan(sparkline(offered))}`);
  out.push(`  agents (plan)    ${c.magenta(sparkline(totals, Math.max(...totals, ...naiveTotals)))}`);
  out.push(`  agents (naive)   ${c.dim(sparkline(naiveTotals, Math.max(...totals, ...naiveTotals)))}`);

  out.push('');
  out.push(c.bold('Cost'));
  const kinds = new Map<string, { hours: number; cost: number }>();
  r.verified.pools.forEach((p) => {
    const k = kinds.get(p.kind) ?? { hours: 0, cost: 0 };
    k.hours += p.agentHours;
    k.cost += p.cost;
    kinds.set(p.kind, k);
  });
  const ct = new Table({ head: ['pool kind', 'agent-hours', 'cost'], style: plain, chars });
  for (const [k, v] of kinds) ct.push([k, count(v.hours), money(v.cost)]);
  ct.push([c.bold('plan'), count(r.agentHours), money(r.cost)]);
  ct.push(['naive plan (stationary Erlang per interval)', count(r.naiveAgentHours), money(r.naiveCost)]);
  out.push(ct.toString());

  out.push('');
  out.push(c.bold('Targets of the plan') + ` (verified on ${r.verified.replications} fresh replications)`);
  out.push(renderTargets(r.verified.targets, c));
  out.push('');
  out.push(c.bold('Targets of the naive plan') + ' (same fresh replications)');
  out.push(renderTargets(r.naiveVerified.targets, c));
  if (r.infeasible.length > 0) {
    out.push('');
    out.push(c.red('Infeasible within the planning constraints:'));
    for (const x of r.infeasible) out.push(`  ${x.path} ${x.target}: ${x.windows.slice(0, 8).map((w) => w.slice(5, 16).replace('T', ' ')).join(', ')}${x.windows.length > 8 ? ` and ${x.windows.length - 8} more` : ''}`);
  }
  if (r.notByStaffing.length > 0) {
    out.push('');
    out.push(c.red('Not met by staffing') + ' (no agents were bought for these; the other targets are planned):');
    for (const x of r.notByStaffing) out.push(`  ${x.path} ${x.target}: ${x.why}; ${x.drivers}`);
  }
  return out.join('\n') + '\n';
}
