// `peakplan compare`: two scenarios, one scenario with --set overrides, or one scenario with two
// plans, run with common random numbers; every KPI side by side with the paired difference and
// its confidence interval.

import { UsageError } from '../errors.js';
import { renderCompare, renderCompareCsv, renderCompareJson, type CompareReport } from '../report/compare.js';
import { loadScenario, type LoadOptions } from '../scenario/load.js';
import { compareKpis, kpisPerReplication } from '../stats/compare.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { decisionOptions, type DecisionCliOptions } from './options.js';
import { interrupted, runSequentialPaired, workersOption } from './run.js';
import { applyPlanFile, loadOptions, scenarioPath } from './simulate.js';
import type { CommandContext } from './context.js';

export interface CompareOptions extends DecisionCliOptions {
  set?: string[];
  plan?: string[];
  seed?: string;
  reps?: string;
  json?: boolean;
  csv?: string;
  excel?: boolean;
  significant?: boolean;
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
}

interface Side {
  readonly file: string;
  readonly load: LoadOptions;
  readonly plan: string | undefined;
  readonly label: string;
}

export async function compareCommand(argA: string | undefined, argB: string | undefined, opts: CompareOptions, ctx: CommandContext): Promise<number> {
  const fileA = scenarioPath(argA, ctx);
  const plans = opts.plan ?? [];
  const sets = opts.set ?? [];
  if (plans.length > 2) throw new UsageError('give --plan once (both sides) or twice (A, then B)', { path: '--plan' });
  if (argB === undefined && sets.length === 0 && plans.length < 2) {
    throw new UsageError('nothing to compare: give a second scenario, --set key=value for side B, or --plan a.csv --plan b.csv', { path: 'compare' });
  }
  if (opts.csv !== undefined) checkOutputPath(opts.csv, '--csv');
  if (opts.excel && opts.csv === undefined) throw new UsageError('--excel applies to CSV output; add --csv FILE', { path: '--excel' });
  const workers = workersOption(opts.workers);

  const base = loadOptions({ ...opts, set: undefined });
  const fileB = argB ?? fileA;
  const sideA: Side = { file: fileA, load: base, plan: plans[0], label: plans.length === 2 ? `plan ${plans[0]}` : fileA };
  const sideB: Side = {
    file: fileB,
    load: { ...base, overrides: sets },
    plan: plans.length === 2 ? plans[1] : plans[0],
    label: [argB !== undefined ? fileB : '', plans.length === 2 ? `plan ${plans[1]}` : '', ...sets.map((x) => `--set ${x}`)].filter(Boolean).join(' ') || fileB,
  };
  // Side A fixes the seed and the number of replications for both: common random numbers.
  const a = applyPlanFile(loadScenario(sideA.file, sideA.load), sideA.plan);
  const bLoad: LoadOptions = { ...sideB.load, seed: a.seed, replications: a.replications };
  const b = applyPlanFile(loadScenario(sideB.file, bLoad), sideB.plan);

  // Each side is judged with the rule of every command, in looks that add the same replications
  // to both sides (so the KPIs stay paired) while a window of either is undecided.
  const { rule, policy } = decisionOptions(opts, a.replications, a);
  const interrupt = new Interrupt();
  let outs;
  try {
    outs = await runSequentialPaired([a, b], rule, { label: 'comparing', progress: opts.progress !== false }, workers, interrupt);
    if (outs === null) interrupted(interrupt, 'the comparison');
  } finally {
    interrupt.dispose();
  }
  const [outA, outB] = outs;
  const rows = compareKpis(kpisPerReplication(a, outA.layout, outA.reps), kpisPerReplication(b, outB.layout, outB.reps));
  const report: CompareReport = {
    a: { label: sideA.label, name: a.name, targets: outA.result.targets },
    b: { label: sideB.label, name: b.name, targets: outB.result.targets },
    seed: a.seed,
    replications: outA.reps.length,
    decision: { ...outA.result.decision, undecided: policy },
    rows,
  };
  if (opts.csv !== undefined) writeFileAtomic(opts.csv, renderCompareCsv(report, opts.excel));
  if (opts.json) ctx.stdout(renderCompareJson(report, ctx.version));
  else {
    ctx.stdout(renderCompare(report, colourFor(process.stdout), opts.significant === true));
    if (opts.csv !== undefined) ctx.stdout(`wrote ${opts.csv}\n`);
  }
  return 0;
}
