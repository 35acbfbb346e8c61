// `peakplan check`: the CI gate. Simulates a scenario (usually with a committed plan) over fixed
// seeds and exits 0 when every target holds at the chosen confidence, 1 when any is missed,
// 2 on bad input. Missed windows are listed; --json and --junit feed CI systems.

import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { renderCheck, renderCheckJson, renderJUnit, type CheckReport } from '../report/check.js';
import { judgeTargets } from '../stats/check.js';
import type { RunOutput } from '../parallel/runner.js';
import { fingerprint, parseShard, renderPartial, replicationsOfShard } from '../parallel/shard.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { interrupted, runScenario, workersOption } from './run.js';
import { collect, loadOptions, loadWithPlan, scenarioPath, type CommandContext } from './simulate.js';

export interface CheckOptions {
  plan?: string;
  seed?: string;
  reps?: string;
  confidence?: string;
  json?: boolean;
  junit?: string;
  set?: string[];
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
  shard?: string;
  out?: string;
}

export function confidenceOption(v: string): number {
  const x = Number(v.trim().replace(/%$/, '')) / (v.trim().endsWith('%') ? 100 : 1);
  if (!Number.isFinite(x) || x < 0.5 || x >= 1) throw new UsageError(`must be a confidence from 0.5 (the mean) to below 1, e.g. 0.95 or 95%, got '${v}'`, { path: '--confidence' });
  return x;
}

export async function checkCommand(arg: string | undefined, opts: CheckOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  const confidence = opts.confidence !== undefined ? confidenceOption(opts.confidence) : 0.5;
  if (opts.junit !== undefined) checkOutputPath(opts.junit, '--junit');
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  if (shard !== null && (opts.json || opts.junit !== undefined)) throw new UsageError('a shard writes a partial result (--out FILE or stdout); peakplan merge then judges the targets', { path: '--shard' });
  if (opts.out !== undefined && shard === null) throw new UsageError('--out writes a shard\'s partial result; add --shard k/n', { path: '--out' });
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  const workers = workersOption(opts.workers);
  const s = loadWithPlan(path, opts);
  const load = loadOptions(opts);
  const slice = shard !== null ? replicationsOfShard(s.replications, shard) : { first: 0, count: s.replications };
  const interrupt = new Interrupt();
  let out: RunOutput | null = null;
  try {
    if (slice.count > 0) {
      out = await runScenario({ ...s, replications: slice.count }, { firstReplication: slice.first, label: 'checking', progress: opts.progress !== false }, workers, interrupt);
      if (out === null) interrupted(interrupt, 'the check');
    }
  } finally {
    interrupt.dispose();
  }
  if (shard !== null) {
    const part = renderPartial({
      tool: 'peakplan', kind: 'partial', command: 'check', version: ctx.version,
      fingerprint: fingerprint(s), scenario: { file: s.file, name: s.name }, seed: s.seed, shard, total: s.replications,
      options: { reportSec: s.calendar.intervalSec, load: { seed: load.seed ?? null, overrides: load.overrides ?? [], allowOutside: load.allowOutside === true }, plan: opts.plan ?? null, confidence },
      items: out?.reps ?? [],
    });
    if (opts.out !== undefined) {
      writeFileAtomic(opts.out, part);
      ctx.stderr(`wrote ${opts.out}: shard ${shard.k}/${shard.n}, replications ${slice.first}–${slice.first + slice.count - 1} of ${s.replications} (seed ${s.seed})\n`);
    } else ctx.stdout(part);
    return 0;
  }
  if (out === null) throw new Error('no replications run');
  const verdicts = judgeTargets(s, out.layout, out.reps, confidence);
  const report: CheckReport = { result: out.result, verdicts, confidence, plan: opts.plan ?? null };
  if (opts.junit !== undefined) writeFileAtomic(opts.junit, renderJUnit(report));
  if (opts.json) ctx.stdout(renderCheckJson(report, ctx.version));
  else {
    ctx.stdout(renderCheck(report, colourFor(process.stdout)));
    if (opts.junit !== undefined) ctx.stdout(`wrote ${opts.junit}\n`);
  }
  return verdicts.every((v) => v.holds) ? 0 : 1;
}

export function registerCheckCommand(program: Command, ctx: CommandContext, setCode: (n: number) => void): void {
  program
    .command('check')
    .summary('CI gate: exit 0 when every target holds, 1 when one is missed')
    .description('Simulate the scenario (with --plan, the plan in place of the pools it names) over fixed seeds and judge every target in every window it applies to. Exit 0 when all hold at the chosen confidence, 1 when any is missed (the missed windows are listed), 2 on bad input.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--plan <csv>', 'staffing plan CSV (interval_start,pool,agents), e.g. from peakplan plan --out')
    .option('--confidence <level>', 'a window holds when the one-sided bound at this confidence meets the target (0.5: its mean)', '0.5')
    .option('--seed <n>', "random seed (overrides the scenario's)")
    .option('--reps <n>', "number of replications (overrides the scenario's)")
    .option('--set <key=value>', 'override a scenario value, e.g. bot.resolve.presale=0.8 (repeatable)', collect)
    .option('--json', 'print the verdicts as JSON on stdout')
    .option('--junit <file>', 'write a JUnit XML report (one test case per target)')
    .option('--workers <n>', 'worker threads for the replications (default: the cores; results are the same for any number)')
    .option('--shard <k/n>', 'run the k-th of n slices of the replications and write a partial result for peakplan merge')
    .option('--out <file>', 'with --shard: write the partial result here (default: stdout)')
    .option('--allow-outside', "let the scenario read files outside its own folder")
    .addOption(new Option('--no-progress', 'no progress bar on stderr'))
    .addHelpText('after', `
Examples:
  $ peakplan check my.yaml --plan plan.csv
  $ peakplan check my.yaml --plan plan.csv --reps 200 --shard 3/10 --out parts/3.json   # then: peakplan merge parts/*.json
  $ peakplan check my.yaml --plan plan.csv --reps 30 --confidence 0.9 --junit reports/peakplan.xml
  $ peakplan check my.yaml --set bot.resolve.presale=0.6 --json

Exit codes: 0 every target holds · 1 a target is missed · 2 bad input or usage.`)
    .action(async (scenario: string | undefined, opts: CheckOptions) => setCode(await checkCommand(scenario, opts, ctx)));
}
