// The reports of `peakplan check`: a table of the windows that miss or are undecided for people,
// JSON for programs and JUnit XML for CI systems (one test case per target, in the shape
// Jenkins, GitLab and GitHub test reporters read: testsuites > testsuite > testcase > failure or
// skipped). No time attributes (they are optional): the same scenario and seed give a
// byte-identical file.

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { TargetResult, Verdicts } from '../stats/summary.js';
import { passes, type UndecidedPolicy, type WindowJudgement } from '../stats/verdict.js';
import { ci } from './format.js';
import { jsonText } from './json.js';
import { targetFormat, targetText, verdictText } from './table.js';

export interface CheckReport {
  readonly result: Verdicts;
  readonly plan: string | null;
  readonly policy: UndecidedPolicy;
}

const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** "95% confidence (looks 10 → 20 → 40, 2 taken)": how the run's verdicts were reached. */
export function decisionText(r: Pick<Verdicts, 'decision'>): string {
  const d = r.decision;
  const looks = d.looks.length > 1 ? ` · looks at ${d.looks.join(' → ')} replications, ${d.looksTaken} taken${d.failFast === true ? ' (--fail-fast: the run stops at the first look with a miss)' : ''}` : '';
  return `verdicts at ${Math.round(d.confidence * 1000) / 10}% confidence that no window of the run is judged wrongly${looks}`;
}

export function checkPasses(r: CheckReport): boolean {
  return r.result.targets.every((t) => passes(t.verdict, r.policy));
}

/** "3 windows of 1 target undecided after 40 replications". */
export function undecidedSummary(r: Verdicts): string {
  const ts = r.targets.filter((t) => t.undecided > 0);
  const n = ts.reduce((a, t) => a + t.undecided, 0);
  return `${n} window${n === 1 ? '' : 's'} of ${ts.length} target${ts.length === 1 ? '' : 's'} undecided after ${r.replications} replications (raise --max-reps to decide them)`;
}

const scopeWord = (t: TargetResult, n: number) => (t.scope === 'interval' ? `interval${n === 1 ? '' : 's'}` : t.scope === 'day' ? `day${n === 1 ? '' : 's'}` : 'horizon');

export function windowLabel(t: TargetResult, start: string): string {
  if (t.scope === 'horizon') return 'whole horizon';
  if (t.scope === 'day') return start.slice(0, 10);
  return start.slice(0, 16).replace('T', ' ');
}

export function renderCheck(r: CheckReport, c: ChalkInstance, maxRows = 25): string {
  const res = r.result;
  const out: string[] = [];
  out.push(c.bold(`peakplan check — ${res.scenario.name}`) + c.dim(` (${res.scenario.file}${r.plan ? `, plan ${r.plan}` : ''})`));
  out.push(`seed ${res.seed} · ${res.replications} replication${res.replications === 1 ? '' : 's'} · ${decisionText(res)}`);
  for (const w of res.warnings) out.push(c.yellow(`warning: ${w}`));
  if (res.targets.length === 0) {
    out.push('', 'The scenario has no targets: nothing to check.');
    return out.join('\n') + '\n';
  }
  out.push('');
  const all = new Table({ head: ['target', 'windows', 'meet', 'miss', 'undecided', 'replications', 'verdict'], style: { head: [], border: [] }, chars });
  for (const t of res.targets) {
    all.push([targetText(t), t.scope === 'horizon' ? 'horizon' : `${t.evaluated} ${scopeWord(t, t.evaluated)}`, String(t.meets), String(t.misses), String(t.undecided), String(t.replications), verdictText(t, c)]);
  }
  out.push(all.toString());
  const listing = (title: string, pick: (t: TargetResult) => readonly WindowJudgement[]) => {
    const tbl = new Table({ head: ['window', 'channel', 'target', 'value', 'decision interval', 'replications'], style: { head: [], border: [] }, chars });
    let shown = 0, hidden = 0;
    for (const t of res.targets) {
      const f = targetFormat(t);
      for (const w of pick(t)) {
        if (shown >= maxRows) { hidden++; continue; }
        shown++;
        tbl.push([windowLabel(t, w.start), t.channel, targetText(t), f(w.value.mean), ci(w.value, f), String(w.n)]);
      }
    }
    if (shown === 0) return;
    out.push('', title, tbl.toString());
    if (hidden > 0) out.push(c.dim(`… and ${hidden} more (--json lists all)`));
  };
  const missed = res.targets.filter((t) => t.verdict === 'misses');
  const undecided = res.targets.filter((t) => t.undecided > 0);
  listing(c.bold(c.red('Windows that miss')), (t) => t.missed);
  listing(c.bold(c.yellow('Undecided windows')) + c.dim(' (the interval still crosses the bound)'), (t) => t.undecidedWindows);
  out.push('');
  if (missed.length > 0) out.push(c.bold(c.red(`FAIL: ${missed.length} of ${res.targets.length} target${res.targets.length === 1 ? '' : 's'} miss`)));
  else if (undecided.length > 0) {
    const word = r.policy === 'fail' ? c.bold(c.red('FAIL (undecided)')) : c.bold(c.yellow('PASS with undecided windows'));
    out.push(`${word}: ${undecidedSummary(res)}; --undecided ${r.policy}`);
  } else out.push(c.bold(c.green(`PASS: every window of every target meets (${res.targets.length} target${res.targets.length === 1 ? '' : 's'})`)));
  return out.join('\n') + '\n';
}

const windowJson = (w: WindowJudgement) => ({ start: w.start, value: w.value, replications: w.n, verdict: w.verdict });

export function renderCheckJson(r: CheckReport, version: string): string {
  const res = r.result;
  const doc = {
    tool: 'peakplan', version, kind: 'check',
    scenario: res.scenario, plan: r.plan, seed: res.seed, replications: res.replications,
    decision: { ...res.decision, undecided: r.policy },
    pass: checkPasses(r),
    targets: res.targets.map((t) => ({
      id: t.id, path: t.path, channel: t.channel, metric: t.metric, scope: t.scope, sense: t.sense, bound: t.bound,
      withinSec: t.withinSec || null, description: targetText(t),
      verdict: t.verdict, evaluated: t.evaluated, meets: t.meets, misses: t.misses, undecided: t.undecided, replications: t.replications,
      worst: t.worstStart === null && t.scope !== 'horizon' ? null : { start: t.worstStart, value: t.value },
      missed: t.missed.map(windowJson),
      undecidedWindows: t.undecidedWindows.map(windowJson),
    })),
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
  const failing = (t: TargetResult) => t.verdict === 'misses' || (t.verdict === 'undecided' && r.policy === 'fail');
  const failures = res.targets.filter(failing).length;
  const skipped = res.targets.filter((t) => t.verdict === 'undecided' && r.policy === 'warn').length;
  const suite = `${res.scenario.name}`;
  const cls = `peakplan.${res.scenario.file.replace(/[^\w.-]+/g, '_')}`;
  const lines: string[] = [];
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(`<testsuites name="peakplan check" tests="${res.targets.length}" failures="${failures}" errors="0" skipped="${skipped}">`);
  lines.push(`  <testsuite name="${xml(suite)}" tests="${res.targets.length}" failures="${failures}" errors="0" skipped="${skipped}">`);
  lines.push('    <properties>');
  const props: [string, string][] = [
    ['scenario', res.scenario.file], ['plan', r.plan ?? ''], ['seed', String(res.seed)], ['replications', String(res.replications)],
    ['criterion', decisionText(res)], ['undecided', r.policy],
  ];
  for (const [k, v] of props) lines.push(`      <property name="${xml(k)}" value="${xml(v)}"/>`);
  lines.push('    </properties>');
  for (const t of res.targets) {
    const f = targetFormat(t);
    const name = `${targetText(t)} [${t.path}]`;
    const line = (w: WindowJudgement) => `${windowLabel(t, w.start)}  ${f(w.value.mean)} ${ci(w.value, f)}  (${w.n} replications)`.trimEnd();
    if (t.verdict === 'meets' || t.verdict === 'none') {
      lines.push(`    <testcase classname="${xml(cls)}" name="${xml(name)}"/>`);
      continue;
    }
    const counts = `${t.misses} of ${t.evaluated} ${scopeWord(t, t.evaluated)} miss, ${t.undecided} undecided`;
    lines.push(`    <testcase classname="${xml(cls)}" name="${xml(name)}">`);
    if (failing(t)) {
      const msg = t.scope === 'horizon' ? `${t.verdict}: value ${f(t.value.mean)} ${ci(t.value, f)}`.trim() : `${counts}; worst ${windowLabel(t, t.worstStart!)} ${f(t.value.mean)}`;
      const body = [...t.missed, ...t.undecidedWindows].map(line).join('\n');
      lines.push(`      <failure message="${xml(msg)}" type="${t.verdict === 'misses' ? 'TargetMissed' : 'TargetUndecided'}">${xml(body)}</failure>`);
    } else {
      lines.push(`      <skipped message="${xml(`undecided after ${t.replications} replications: ${counts}`)}"/>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
