// `peakplan check`: the CI gate. Simulates a scenario (usually with a committed plan) over fixed
// seeds and exits 0 when every target holds at the chosen confidence, 1 when any is missed,
// 2 on bad input. Missed windows are listed; --json and --junit feed CI systems.

import { UsageError } from '../errors.js';
import { checkPasses, renderCheck, renderCheckJson, renderJUnit, undecidedSummary, type CheckReport } from '../report/check.js';
import type { RunOutput, SequentialOutput } from '../parallel/runner.js';
import { fingerprint, parseShard, renderPartial, replicationsOfShard } from '../parallel/shard.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { openTapeCache } from './cache.js';
import { decisionOptions, type DecisionCliOptions } from './options.js';
import { interrupted, runScenario, runSequential, workersOption } from './run.js';
import { loadOptions, loadWithPlan, scenarioPath } from './simulate.js';
import { verdicts } from '../stats/summary.js';
import type { CommandContext } from './context.js';

export interface CheckOptions extends DecisionCliOptions {
  plan?: string;
  roster?: string;
  state?: string;
  seed?: string;
  reps?: string;
  json?: boolean;
  junit?: string;
  set?: string[];
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
  shard?: string;
  out?: string;
  cache?: string;
  failFast?: boolean;
}

export async function checkCommand(arg: string | undefined, opts: CheckOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  if (opts.junit !== undefined) checkOutputPath(opts.junit, '--junit');
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  if (shard !== null && (opts.json || opts.junit !== undefined)) throw new UsageError('a shard writes a partial result (--out FILE or stdout); peakplan merge then judges the targets', { path: '--shard' });
  if (opts.out !== undefined && shard === null) throw new UsageError('--out writes a shard\'s partial result; add --shard k/n', { path: '--out' });
  if (shard !== null && opts.roster !== undefined) throw new UsageError('a roster cannot be sharded yet (merge would not know it); turn it into a plan, or run it whole', { path: '--roster' });
  if (shard !== null && opts.state !== undefined) throw new UsageError('a state cannot be sharded yet (merge would not know it); run it whole', { path: '--state' });
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  const workers = workersOption(opts.workers);
  const s = loadWithPlan(path, opts);
  const decided = decisionOptions(opts, s.replications, s);
  const policy = decided.policy;
  // --fail-fast: the rule says so, so that a shard's part carries it and merge stops where this would
  const rule = opts.failFast === true ? { ...decided.rule, stopAtMiss: true as const } : decided.rule;
  const budget = rule.looks[rule.looks.length - 1];
  const load = loadOptions(opts);
  // made only once the scenario and the options are good: bad input writes nothing
  const tapeCache = opts.cache !== undefined ? openTapeCache(opts.cache) : undefined;
  const interrupt = new Interrupt();
  if (shard !== null) {
    // A shard cannot know when the others' replications decide a window: it runs its slice of
    // the whole budget, and merge replays the looks over all of them (the same verdicts, the
    // same replications, byte for byte, as one machine that stopped by itself).
    const slice = replicationsOfShard(budget, shard);
    let out: RunOutput | null = null;
    try {
      if (slice.count > 0) {
        out = await runScenario({ ...s, replications: slice.count }, { firstReplication: slice.first, label: 'checking', progress: opts.progress !== false, tapeCache }, workers, interrupt);
        if (out === null) interrupted(interrupt, 'the check');
      }
    } finally {
      interrupt.dispose();
    }
    const part = renderPartial({
      tool: 'peakplan', kind: 'partial', command: 'check', version: ctx.version,
      fingerprint: fingerprint(s), scenario: { file: s.file, name: s.name }, seed: s.seed, shard, total: budget,
      options: { reportSec: s.calendar.intervalSec, load: { seed: load.seed ?? null, overrides: load.overrides ?? [], allowOutside: load.allowOutside === true }, plan: opts.plan ?? null, rule, policy },
      items: out?.reps ?? [],
    });
    if (opts.out !== undefined) {
      writeFileAtomic(opts.out, part);
      ctx.stderr(`wrote ${opts.out}: shard ${shard.k}/${shard.n}, replications ${slice.first}–${slice.first + slice.count - 1} of ${budget} (seed ${s.seed})\n`);
    } else ctx.stdout(part);
    return 0;
  }
  let out: SequentialOutput | null;
  try {
    // the check shows verdicts only: no wait quantiles, no report rows (summary.ts verdicts)
    out = await runSequential(s, rule, { label: 'checking', progress: opts.progress !== false, verdictsOnly: true, tapeCache }, workers, interrupt);
    if (out === null) interrupted(interrupt, 'the check');
  } finally {
    interrupt.dispose();
  }
  return emitCheck({ result: verdicts(s, out.reps, out.judge), plan: opts.plan ?? null, policy }, opts, ctx);
}

/** The check's outputs (table or JSON, JUnit) and its exit code; merge ends the same way. */
export function emitCheck(report: CheckReport, opts: { json?: boolean; junit?: string }, ctx: CommandContext): number {
  if (opts.junit !== undefined) writeFileAtomic(opts.junit, renderJUnit(report));
  if (opts.json) ctx.stdout(renderCheckJson(report, ctx.version));
  else {
    ctx.stdout(renderCheck(report, colourFor(process.stdout)));
    if (opts.junit !== undefined) ctx.stdout(`wrote ${opts.junit}\n`);
  }
  const undecided = report.result.targets.filter((t) => t.verdict === 'undecided');
  if (undecided.length > 0 && report.policy === 'warn' && !report.result.targets.some((t) => t.verdict === 'misses')) {
    ctx.stderr(`peakplan: warning: ${undecidedSummary(report.result)}; exit 0 under --undecided warn (--undecided fail makes it exit 1)\n`);
  }
  return checkPasses(report) ? 0 : 1;
}
