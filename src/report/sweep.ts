// The reports of `peakplan sweep`: one row per point (table, CSV, JSON) and a chart in the
// terminal — bars of agent-hours along one parameter, or a shaded grid over two.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { safeText } from './csv.js';
import { money, pct, secs } from './format.js';
import { jsonText } from './json.js';

export interface SweepTargetValue {
  readonly id: string;
  readonly path: string;
  readonly metric: string;
  readonly scope: string;
  /** Horizon scope: the value; otherwise the worst window's mean. */
  readonly value: number;
  /** Share of evaluated windows that meet the target at the run's confidence (1 for a horizon target that meets). */
  readonly attainment: number;
  /** The target's verdict (verdict.ts); met: it is 'meets' (or there was nothing to measure). */
  readonly verdict: string;
  readonly met: boolean;
}

export interface SweepPoint {
  /** Index in the full grid (shards keep it, so merged parts sort back into place). */
  readonly index: number;
  readonly values: readonly (string | number | boolean | null)[];
  readonly agentHours: number;
  readonly cost: number;
  /** Replications behind the point's verdicts (looks add them while a window is undecided). */
  readonly replications: number;
  readonly targets: readonly SweepTargetValue[];
  /** With --replan: whether the planner met every target within the constraints. */
  readonly planned: boolean | null;
  /** With --replan: the targets staffing does not meet at this point (paths; none bought for). */
  readonly notByStaffing?: readonly string[];
}

export interface SweepReport {
  readonly scenario: { readonly name: string; readonly file: string };
  readonly seed: number;
  readonly replications: number;
  readonly mode: 'simulate' | 'replan';
  readonly plan: string | null;
  readonly params: readonly string[];
  readonly points: readonly SweepPoint[];
}

const show = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(10))) : typeof v === 'string' ? v : JSON.stringify(v));

function valueText(metric: string, x: number): string {
  if (metric === 'averageWait') return secs(x);
  if (metric === 'complaintsPer1000Orders') return Number.isFinite(x) ? x.toFixed(2) : '–';
  return pct(x);
}

export function renderSweep(r: SweepReport, c: ChalkInstance): string {
  const out: string[] = [];
  out.push(c.bold(`peakplan sweep — ${r.scenario.name}`) + c.dim(` (${r.scenario.file})`));
  const how = r.mode === 'replan' ? 're-planned at every point (agent-hours and cost are the plan\'s)' : r.plan !== null ? `plan ${r.plan} at every point` : "the scenario's staffing at every point";
  out.push(`seed ${r.seed} at every point (common random numbers) · ${r.replications} replication${r.replications === 1 ? '' : 's'} · ${how}`);
  const targets = r.points[0]?.targets ?? [];
  const tbl = new Table({
    head: [...r.params, 'agent-hours', 'cost', 'targets met', 'replications', ...targets.map((t, i) => `T${i + 1}`)],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const p of r.points) {
    const met = p.targets.filter((t) => t.met).length;
    const metText = `${met}/${p.targets.length}`;
    tbl.push([
      ...p.values.map(show),
      p.agentHours.toFixed(1),
      money(p.cost),
      met === p.targets.length ? c.green(metText) : c.red(metText),
      String(p.replications),
      ...p.targets.map((t) => {
        const v = t.scope === 'horizon' ? valueText(t.metric, t.value) : `${pct(t.attainment)} of ${t.scope === 'day' ? 'days' : 'intervals'}`;
        if (p.notByStaffing?.includes(t.path)) return c.red(`${v} (not by staffing)`);
        return t.met ? v : t.verdict === 'undecided' ? c.yellow(`${v}?`) : c.red(v);
      }),
    ]);
  }
  out.push(tbl.toString());
  targets.forEach((t, i) => out.push(c.dim(`T${i + 1}: ${t.id} [${t.path}]`)));
  if (r.points.some((p) => (p.notByStaffing?.length ?? 0) > 0)) out.push(c.dim('"not by staffing": agents did not move the target at that point, so the plan buys none for it (peakplan plan says why).'));
  out.push('', chart(r, c));
  return out.join('\n') + '\n';
}

/** One parameter: a bar of agent-hours per point. Two: a grid shaded by agent-hours. */
export function chart(r: SweepReport, c: ChalkInstance, width = 40): string {
  const hours = r.points.map((p) => p.agentHours);
  const max = Math.max(...hours, 0), min = Math.min(...hours);
  if (r.points.length === 0 || max <= 0) return '';
  const allMet = (p: SweepPoint) => p.targets.every((t) => t.met);
  if (r.params.length === 1) {
    const lines = ['agent-hours by ' + r.params[0] + (r.points.some((p) => !allMet(p)) ? ' (red: a target missed)' : '')];
    const labels = r.points.map((p) => show(p.values[0]));
    const lw = Math.max(...labels.map((l) => l.length));
    r.points.forEach((p, i) => {
      const n = Math.max(1, Math.round((p.agentHours / max) * width));
      const bar = '█'.repeat(n);
      lines.push(`${labels[i].padStart(lw)} ${allMet(p) ? c.cyan(bar) : c.red(bar)} ${p.agentHours.toFixed(0)}`);
    });
    return lines.join('\n');
  }
  const xs = [...new Set(r.points.map((p) => show(p.values[1])))];
  const ys = [...new Set(r.points.map((p) => show(p.values[0])))];
  const shades = ' ░▒▓█';
  const lines = [`agent-hours over ${r.params[0]} (rows) × ${r.params[1]} (columns): ░ least … █ most${r.points.some((p) => !allMet(p)) ? ', ✗ a target missed' : ''}`];
  const lw = Math.max(...ys.map((y) => y.length));
  const cw = Math.max(3, ...xs.map((x) => x.length));
  lines.push(`${''.padStart(lw)} ${xs.map((x) => x.padStart(cw)).join(' ')}`);
  for (const y of ys) {
    const cells = xs.map((x) => {
      const p = r.points.find((q) => show(q.values[0]) === y && show(q.values[1]) === x);
      if (!p) return ''.padStart(cw);
      const k = max > min ? 1 + Math.round(((p.agentHours - min) / (max - min)) * 3) : 2;
      const cell = (allMet(p) ? shades[k] : '✗').repeat(cw);
      return allMet(p) ? cell : c.red(cell);
    });
    lines.push(`${y.padStart(lw)} ${cells.join(' ')}`);
  }
  lines.push(c.dim(`range ${min.toFixed(0)} – ${max.toFixed(0)} agent-hours`));
  return lines.join('\n');
}

export function renderSweepJson(r: SweepReport, version: string): string {
  return jsonText({ tool: 'peakplan', version, kind: 'sweep', ...r });
}

/** Columns: point, one per parameter (named by its key), agent_hours, cost, targets_met, targets_total, replications, then target_<n>_value/_attainment/_met/_verdict/_by_staffing. */
export function renderSweepCsv(r: SweepReport, bom = false): string {
  const num = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(10))) : '');
  const targets = r.points[0]?.targets ?? [];
  const head = ['point', ...r.params.map(safeText), 'agent_hours', 'cost', 'targets_met', 'targets_total', 'replications', ...targets.flatMap((_, i) => [`target_${i + 1}_value`, `target_${i + 1}_attainment`, `target_${i + 1}_met`, `target_${i + 1}_verdict`, `target_${i + 1}_by_staffing`])];
  const rows = r.points.map((p) => [
    String(p.index), ...p.values.map((v) => safeText(show(v))), num(p.agentHours), num(p.cost),
    String(p.targets.filter((t) => t.met).length), String(p.targets.length), String(p.replications),
    ...p.targets.flatMap((t) => [num(t.value), num(t.attainment), t.met ? 'true' : 'false', t.verdict, p.planned === null ? '' : p.notByStaffing?.includes(t.path) ? 'false' : 'true']),
  ]);
  return (bom ? '\uFEFF' : '') + stringify([head, ...rows], { record_delimiter: bom ? '\r\n' : '\n' });
}
