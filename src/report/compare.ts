// The reports of `peakplan compare`: side by side with the difference and its confidence
// interval (table), the same as JSON, and as CSV for spreadsheets.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { KpiComparison, KpiKind } from '../stats/compare.js';
import type { DecisionSummary, Est, TargetResult } from '../stats/summary.js';
import { passes, type UndecidedPolicy } from '../stats/verdict.js';
import { targetText, verdictText } from './table.js';
import { safeText } from './csv.js';
import { count, money, pct, secs } from './format.js';
import { jsonText } from './json.js';

export interface CompareSide {
  readonly label: string;
  readonly name: string;
  /** The side's targets, judged by the rule of every command (verdict.ts). */
  readonly targets: readonly TargetResult[];
}

export interface CompareReport {
  readonly a: CompareSide;
  readonly b: CompareSide;
  readonly seed: number;
  readonly replications: number;
  readonly decision: DecisionSummary & { readonly undecided: UndecidedPolicy };
  readonly rows: readonly KpiComparison[];
}

/** PASS when every target of the side passes under the policy, else FAIL. */
export function sidePasses(side: CompareSide, policy: UndecidedPolicy): boolean {
  return side.targets.every((t) => passes(t.verdict, policy));
}

/** Seconds in one unit for a whole row (A, B, the difference and its interval): the unit of its largest value. */
function secondsIn(largest: number): (x: number) => string {
  const [div, unit] = largest < 120 ? [1, 's'] : largest < 7200 ? [60, 'm'] : [3600, 'h'];
  const digits = div === 1 && largest < 10 ? 2 : 1;
  return (x) => (Number.isFinite(x) ? `${(x / div).toFixed(digits)}${unit}` : '–');
}

function fmt(kind: KpiKind, largest = 0): (x: number) => string {
  switch (kind) {
    case 'share': return (x) => pct(x, 2);
    case 'seconds': return secondsIn(largest);
    case 'money': return money;
    case 'hours': return (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
    case 'per1000': return (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
    default: return count;
  }
}

/** Differences of shares in percentage points, others in the KPI's own unit. */
function fmtDiff(kind: KpiKind, largest = 0): (x: number) => string {
  if (kind === 'share') return (x) => (Number.isFinite(x) ? `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(2)} pp` : '–');
  const f = fmt(kind, largest);
  return (x) => (Number.isFinite(x) ? (x > 0 ? '+' : x < 0 ? '−' : '±') + f(Math.abs(x)) : '–');
}

/**
 * What a significant difference says: better or worse where the KPI has a direction (waits,
 * abandonment, service level, cost), and only more or less where it has none (volumes, workload:
 * more answered contacts can as well mean a bot that resolves fewer).
 */
export function differenceWord(row: KpiComparison): string | null {
  if (row.verdict !== 'significant' || row.diff === null) return null;
  if (row.better === null) return row.diff.mean > 0 ? 'more' : 'less';
  return (row.better === 'higher' ? row.diff.mean > 0 : row.diff.mean < 0) ? 'better' : 'worse';
}

const ciText = (e: Est | null, f: (x: number) => string) => (e === null || !Number.isFinite(e.lo) ? '' : `[${f(e.lo)}, ${f(e.hi)}]`);

export function renderCompare(r: CompareReport, c: ChalkInstance, onlySignificant = false): string {
  const out: string[] = [];
  out.push(c.bold('peakplan compare'));
  out.push(`A: ${r.a.label} (${r.a.name})`);
  out.push(`B: ${r.b.label} (${r.b.name})`);
  out.push(`seed ${r.seed} on both sides (common random numbers) · ${r.replications} paired replication${r.replications === 1 ? '' : 's'} · B − A with its 95% confidence interval`);
  if (r.a.targets.length > 0) {
    const verdict = (side: CompareSide) => (sidePasses(side, r.decision.undecided) ? c.green('PASS') : c.red('FAIL')) +
      (side.targets.some((t) => t.verdict === 'undecided') ? c.yellow(' (with undecided windows)') : '');
    out.push('', `Verdicts at ${Math.round(r.decision.confidence * 1000) / 10}% confidence, the rule of peakplan check: A ${verdict(r.a)} · B ${verdict(r.b)}`);
    const vt = new Table({ head: ['target', 'A', 'B'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
    const byPath = new Map(r.b.targets.map((t) => [t.path, t]));
    for (const t of r.a.targets) {
      const tb = byPath.get(t.path);
      vt.push([targetText(t), verdictText(t, c), tb ? verdictText(tb, c) : c.dim('(absent)')]);
    }
    for (const t of r.b.targets) if (!r.a.targets.some((x) => x.path === t.path)) vt.push([targetText(t), c.dim('(absent)'), verdictText(t, c)]);
    out.push(vt.toString(), '');
  }
  const tbl = new Table({
    head: ['KPI', 'A', 'B', 'B − A', '95% CI of B − A', ''],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  let group = '';
  let shown = 0, same = 0;
  for (const row of r.rows) {
    if (row.verdict === 'same') same++;
    if (onlySignificant && row.verdict !== 'significant') continue;
    if (row.group !== group) {
      group = row.group;
      tbl.push([c.bold(group), '', '', '', '', '']);
    }
    const largest = Math.max(...[row.a?.mean, row.b?.mean, row.diff?.lo, row.diff?.hi].map((x) => Math.abs(x ?? 0)).filter(Number.isFinite));
    const f = fmt(row.kind, largest), fd = fmtDiff(row.kind, largest);
    let verdict = row.verdict === 'same' ? c.dim('same') : row.verdict === 'not significant' ? c.dim('not significant') : row.verdict === 'n/a' ? c.dim('–') : 'significant';
    const word = differenceWord(row);
    if (word === 'better') verdict = c.green('significant, better');
    else if (word === 'worse') verdict = c.red('significant, worse');
    else if (word !== null) verdict = `significant, ${word}`;
    tbl.push([
      `  ${row.label}`,
      row.a === null ? c.dim('(absent)') : f(row.a.mean),
      row.b === null ? c.dim('(absent)') : f(row.b.mean),
      row.diff === null ? '' : fd(row.diff.mean),
      row.verdict === 'same' ? '' : ciText(row.diff, fd),
      verdict,
    ]);
    shown++;
  }
  if (shown > 0) out.push(tbl.toString());
  else out.push('', onlySignificant ? 'No KPI differs significantly.' : 'Nothing to compare.');
  if (same === r.rows.length) out.push(c.dim('The two sides gave identical results in every replication.'));
  return out.join('\n') + '\n';
}

export function renderCompareJson(r: CompareReport, version: string): string {
  const side = (x: CompareSide) => ({
    label: x.label, name: x.name, pass: sidePasses(x, r.decision.undecided),
    targets: x.targets.map((t) => ({ id: t.id, path: t.path, verdict: t.verdict, evaluated: t.evaluated, meets: t.meets, misses: t.misses, undecided: t.undecided, replications: t.replications, value: t.value })),
  });
  return jsonText({ tool: 'peakplan', version, kind: 'comparison', a: side(r.a), b: side(r.b), seed: r.seed, replications: r.replications, decision: r.decision, rows: r.rows });
}

export const COMPARE_COLUMNS = ['group', 'kpi', 'key', 'a_mean', 'a_lo', 'a_hi', 'b_mean', 'b_lo', 'b_hi', 'diff_mean', 'diff_lo', 'diff_hi', 'verdict', 'difference'] as const;

export function renderCompareCsv(r: CompareReport, bom = false): string {
  const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toPrecision(10))));
  const rows = r.rows.map((k) => [
    safeText(k.group), safeText(k.label), safeText(k.key),
    num(k.a?.mean), num(k.a?.lo), num(k.a?.hi), num(k.b?.mean), num(k.b?.lo), num(k.b?.hi),
    num(k.diff?.mean), num(k.diff?.lo), num(k.diff?.hi), k.verdict, differenceWord(k) ?? '',
  ]);
  return (bom ? '\uFEFF' : '') + stringify([[...COMPARE_COLUMNS], ...rows], bom ? { record_delimiter: '\r\n' } : {});
}
