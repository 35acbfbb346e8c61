// The roster: shifts per pool, paid hours against the plan's, over-coverage, and the roster's own
// verified attainment; and its CSV (pool, shift_start, hours, agents).

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { formatDateTime, formatDuration, shortLabel } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { SimulationResult } from '../stats/summary.js';
import type { Staffing } from '../staffing/planner.js';
import type { Roster } from '../staffing/roster.js';
import { count, pct } from './format.js';
import { csvText, csvTime, safeText } from './csv.js';
import { renderTargets } from './table.js';

const plain = { head: [], border: [] };
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * pool, shift_start, hours, agents, then shift_hours (hours × agents: the paid hours, breaks
 * included) and cost (shift hours × the pool's cost per hour). docs/outputs.md: paid hours.
 */
export function renderRosterCsv(s: Scenario, pools: readonly { pool: string; roster: Roster }[], excel = false): string {
  const rows: string[][] = [['pool', 'shift_start', 'hours', 'agents', 'shift_hours', 'cost']];
  const cal = s.calendar;
  for (const { pool, roster } of pools) {
    const rate = s.pools.find((p) => p.name === pool)?.costPerHour ?? 0;
    for (const sh of roster.shifts) {
      const paid = (sh.lengthSec / 3600) * sh.agents;
      rows.push([safeText(pool), csvTime(formatDateTime(cal.startMs + sh.startInterval * cal.intervalSec * 1000, cal.offsetMinutes), excel), String(sh.lengthSec / 3600), String(sh.agents), String(paid), String(Number((paid * rate).toPrecision(10)))]);
    }
  }
  return csvText(rows, excel);
}

export function renderRoster(s: Scenario, plan: Staffing, pools: readonly { pool: string; roster: Roster }[], verified: SimulationResult, c: ChalkInstance): string {
  const cal = s.calendar;
  const out: string[] = ['', c.bold('Roster') + ' (integer program, HiGHS)'];
  const t = new Table({ head: ['pool', 'solver', 'shifts started', 'agent-shifts', 'paid hours', 'plan hours', 'over-coverage'], style: plain, chars });
  pools.forEach(({ pool, roster }, pi) => {
    let need = 0, cov = 0;
    for (let i = 0; i < cal.intervals; i++) { need += plan[pi][i]; cov += roster.coverage[i]; }
    const planHours = (need * cal.intervalSec) / 3600;
    t.push([pool, roster.status, String(roster.shifts.length), count(roster.shifts.reduce((a, x) => a + x.agents, 0)), count(roster.paidHours), count(planHours), need > 0 ? pct(cov / need - 1) : '–']);
  });
  out.push(t.toString());
  const top = new Table({ head: ['pool', 'shift start', 'length', 'agents'], style: plain, chars });
  let shown = 0;
  for (const { pool, roster } of pools) {
    for (const sh of [...roster.shifts].sort((a, b) => b.agents - a.agents).slice(0, 6)) {
      top.push([pool, shortLabel(cal.startMs + sh.startInterval * cal.intervalSec * 1000, cal.offsetMinutes), formatDuration(sh.lengthSec), String(sh.agents)]);
      shown++;
    }
  }
  if (shown > 0) {
    out.push('Largest shifts per pool (all of them with --json or --roster-out):');
    out.push(top.toString());
  }
  out.push(c.bold('Targets of the roster') + ` (verified on ${verified.replications} fresh replications)`);
  out.push(renderTargets(verified.targets, c));
  return out.join('\n') + '\n';
}
