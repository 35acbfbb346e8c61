// The reports of `peakplan check`: a table of the missed windows for people, JSON for programs
// and JUnit XML for CI systems (one test case per target, in the shape Jenkins, GitLab and
// GitHub test reporters read: testsuites > testsuite > testcase > failure). No time attributes
// (they are optional): the same scenario and seed give a byte-identical file.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { TargetVerdict } from '../stats/check.js';
import type { SimulationResult, TargetResult } from '../stats/summary.js';
import { ci } from './format.js';
import { jsonText } from './json.js';
import { targetFormat, targetText } from './table.js';

export interface CheckReport {
  readonly result: SimulationResult;
  readonly verdicts: readonly TargetVerdict[];
  readonly confidence: number;
  readonly plan: string | null;
}

const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function confidenceText(c: number): string {
  return c <= 0.5 ? 'mean of the replications' : `one-sided ${Math.round(c * 1000) / 10}% confidence bound`;
}

const scopeWord = (t: TargetResult, n: number) => (t.scope === 'interval' ? `interval${n === 1 ? '' : 's'}` : t.scope === 'day' ? `day${n === 1 ? '' : 's'}` : 'horizon');

function windowLabel(t: TargetResult, start: string): string {
  if (t.scope === 'horizon') return 'whole horizon';
  if (t.scope === 'day') return start.slice(0, 10);
  return start.slice(0, 16).replace('T', ' ');
}

export function renderCheck(r: CheckReport, c: ChalkInstance, maxRows = 25): string {
  const res = r.result;
  const out: string[] = [];
  out.push(c.bold(`peakplan check — ${res.scenario.name}`) + c.dim(` (${res.scenario.file}${r.plan ? `, plan ${r.plan}` : ''})`));
  out.push(`seed ${res.seed} · ${res.replications} replication${res.replications === 1 ? '' : 's'} · a target holds when the ${confidenceText(r.confidence)} meets it`);
  for (const w of res.warnings) out.push(c.yellow(`warning: ${w}`));
  const missed = r.verdicts.filter((v) => !v.holds);
  if (r.verdicts.length === 0) {
    out.push('', 'The scenario has no targets: nothing to check.');
    return out.join('\n') + '\n';
  }
  out.push('');
  const all = new Table({ head: ['target', 'windows', 'result'], style: { head: [], border: [] }, chars });
  r.verdicts.forEach((v, i) => {
    const t = res.targets[i];
    const verdict = v.evaluated === 0 ? c.yellow('NOTHING TO MEASURE') : v.holds ? c.green('HOLDS') : c.red('MISSED');
    const windows = t.scope === 'horizon' ? 'horizon' : `${v.evaluated - v.missed.length} of ${v.evaluated} ${scopeWord(t, v.evaluated)} hold`;
    all.push([targetText(t), windows, verdict]);
  });
  out.push(all.toString());
  if (missed.length > 0) {
    out.push('', c.bold(c.red(`Missed: ${missed.length} of ${r.verdicts.length} target${r.verdicts.length === 1 ? '' : 's'}`)));
    const level = r.confidence > 0.5 ? `${Math.round((2 * r.confidence - 1) * 1000) / 10}% CI` : '95% CI';
    const tbl = new Table({ head: ['window', 'channel', 'target', 'value', level], style: { head: [], border: [] }, chars });
    let shown = 0, hidden = 0;
    r.verdicts.forEach((v, i) => {
      const t = res.targets[i];
      const f = targetFormat(t);
      for (const w of v.missed) {
        if (shown >= maxRows) { hidden++; continue; }
        shown++;
        tbl.push([windowLabel(t, w.start), t.channel, targetText(t), f(w.value.mean), ci(w.value, f)]);
      }
    });
    out.push(tbl.toString());
    if (hidden > 0) out.push(c.dim(`… and ${hidden} more missed window${hidden === 1 ? '' : 's'} (--json lists all)`));
  } else {
    out.push('', c.green(`Every target holds (${r.verdicts.length}).`));
  }
  return out.join('\n') + '\n';
}

export function renderCheckJson(r: CheckReport, version: string): string {
  const res = r.result;
  const doc = {
    tool: 'peakplan', version, kind: 'check',
    scenario: res.scenario, plan: r.plan, seed: res.seed, replications: res.replications,
    confidence: r.confidence, criterion: confidenceText(r.confidence),
    pass: r.verdicts.every((v) => v.holds),
    targets: r.verdicts.map((v, i) => {
      const t = res.targets[i];
      return {
        id: t.id, path: t.path, channel: t.channel, metric: t.metric, scope: t.scope, sense: t.sense, bound: t.bound,
        withinSec: t.withinSec || null, description: targetText(t),
        evaluated: v.evaluated, holds: v.holds,
        worst: v.worst && { start: v.worst.start, value: v.worst.value },
        missed: v.missed.map((w) => ({ start: w.start, value: w.value })),
      };
    }),
    warnings: res.warnings,
  };
  return jsonText(doc);
}

/** XML text and attribute escaping; drops characters XML 1.0 cannot carry. */
export function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function renderJUnit(r: CheckReport): string {
  const res = r.result;
  const failures = r.verdicts.filter((v) => !v.holds).length;
  const suite = `${res.scenario.name}`;
  const cls = `peakplan.${res.scenario.file.replace(/[^\w.-]+/g, '_')}`;
  const lines: string[] = [];
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(`<testsuites name="peakplan check" tests="${r.verdicts.length}" failures="${failures}" errors="0">`);
  lines.push(`  <testsuite name="${xml(suite)}" tests="${r.verdicts.length}" failures="${failures}" errors="0" skipped="0">`);
  lines.push('    <properties>');
  const props: [string, string][] = [
    ['scenario', res.scenario.file], ['plan', r.plan ?? ''], ['seed', String(res.seed)], ['replications', String(res.replications)],
    ['criterion', confidenceText(r.confidence)],
  ];
  for (const [k, v] of props) lines.push(`      <property name="${xml(k)}" value="${xml(v)}"/>`);
  lines.push('    </properties>');
  r.verdicts.forEach((v, i) => {
    const t = res.targets[i];
    const f = targetFormat(t);
    const name = `${targetText(t)} [${t.path}]`;
    if (v.holds) {
      lines.push(`    <testcase classname="${xml(cls)}" name="${xml(name)}"/>`);
      return;
    }
    const msg = t.scope === 'horizon'
      ? `value ${f(v.missed[0].value.mean)} ${ci(v.missed[0].value, f)}`.trim()
      : `missed in ${v.missed.length} of ${v.evaluated} ${scopeWord(t, v.evaluated)}; worst ${windowLabel(t, v.worst!.start)} ${f(v.worst!.value.mean)}`;
    const body = v.missed.map((w) => `${windowLabel(t, w.start)}  ${f(w.value.mean)} ${ci(w.value, f)}`.trimEnd()).join('\n');
    lines.push(`    <testcase classname="${xml(cls)}" name="${xml(name)}">`);
    lines.push(`      <failure message="${xml(msg)}" type="TargetMissed">${xml(body)}</failure>`);
    lines.push('    </testcase>');
  });
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
