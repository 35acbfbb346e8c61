// `peakplan report`: simulate a scenario (optionally with a plan) and write one self-contained HTML
// page with charts and the targets. Exit 0 whatever the targets say (like simulate); 2 on bad input.

import type { Command } from 'commander';
import { Option } from 'commander';
import { InterruptedError } from '../errors.js';
import { ReplicationPool } from '../parallel/pool.js';
import { renderHtmlReport } from '../report/html.js';
import { analyticalStaffing, PlanStopped, type AnalyticalStaffing } from '../staffing/planner.js';
import { checkOutputPath, Interrupt, writeFileAtomic } from './io.js';
import { confidenceOption, durationOption } from './options.js';
import { DEFAULT_CONFIDENCE } from '../stats/verdict.js';
import { interrupted, runScenario, workersOption } from './run.js';
import { collect, loadOptions, loadWithPlan, scenarioPath, type CommandContext } from './simulate.js';

export interface ReportOptions {
  confidence?: string;
  html: string;
  seed?: string;
  reps?: string;
  plan?: string;
  set?: string[];
  interval?: string;
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
}

/** Replications of the ample-staff run that measures the offered load (the planner's default). */
const MEASURE_REPS = 4;

export async function reportCommand(arg: string | undefined, opts: ReportOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  checkOutputPath(opts.html, '--html');
  const reportSec = opts.interval !== undefined ? durationOption(opts.interval, '--interval', 60, 86400) : 3600;
  const workers = workersOption(opts.workers);
  const s = loadWithPlan(path, opts);

  const interrupt = new Interrupt();
  let required: AnalyticalStaffing;
  let out;
  try {
    const confidence = opts.confidence !== undefined ? confidenceOption(opts.confidence) : DEFAULT_CONFIDENCE;
    out = await runScenario(s, { reportSec, label: 'simulating', progress: opts.progress !== false, confidence }, workers, interrupt);
    if (out === null) interrupted(interrupt, 'the simulation');
    // "Required": the planner's analytical stages (Erlang on the modified offered load), which
    // measure the offered load with ample staff on replications of their own.
    await new Promise((res) => setImmediate(res)); // a signal that came meanwhile is seen first
    const pool = workers > 1 ? new ReplicationPool(Math.min(workers, MEASURE_REPS)) : undefined;
    try {
      required = await analyticalStaffing(s, { searchReps: MEASURE_REPS, naive: false, shouldStop: interrupt.shouldStop, pool });
    } catch (e) {
      if (e instanceof PlanStopped) throw new InterruptedError('interrupted while measuring the offered load; no output was written');
      throw e;
    } finally {
      pool?.close();
    }
    // a signal that came as the measurement ended
    await new Promise((res) => setImmediate(res));
    interrupt.check('the measurement of the offered load');
  } finally {
    interrupt.dispose();
  }

  const r = out.result;
  writeFileAtomic(opts.html, renderHtmlReport(r, {
    version: ctx.version,
    calendar: s.calendar,
    reportSec,
    planFile: opts.plan ?? null,
    required: {
      label: 'Erlang A/C on the modified offered load (the offered load measured with ample staff, time-lagged by the handle time), ' +
        "allocated to the cheapest pools with the skills within each pool's planning limits — the planner's analytical start, before simulation-based refinement",
      pools: s.pools.map((p, pi) => ({ pool: p.name, agents: p.planning.fixed ? null : required.start[pi] })),
    },
  }));
  const failed = r.targets.filter((t) => !t.pass).length;
  ctx.stdout(`peakplan report — ${r.scenario.name} · seed ${r.seed} · ${r.replications} replication${r.replications === 1 ? '' : 's'}` +
    (r.targets.length > 0 ? ` · ${r.targets.length - failed} of ${r.targets.length} targets met` : '') + '\n');
  ctx.stdout(`wrote ${opts.html}\n`);
  return 0;
}

export function registerReportCommand(program: Command, ctx: CommandContext, setCode: (n: number) => void): void {
  program
    .command('report')
    .summary('write a self-contained HTML report with charts and the targets')
    .description('Simulate the scenario (default: the built-in Double-11 scenario), optionally with a staffing plan, and write one self-contained HTML file (no network, no CDN): arrivals, bot-resolved and offered contacts, agents per pool planned against required (Erlang on the modified offered load), service level per interval with the target, queue length, backlog and complaints per day, and every target with its verdict (meets, misses, undecided) at the confidence.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .requiredOption('--html <file>', 'write the HTML report to this file')
    .option('--plan <csv>', 'staffing plan CSV (interval_start,pool,agents) replacing the pools it names')
    .option('--seed <n>', "random seed (overrides the scenario's)")
    .option('--reps <n>', "number of replications (overrides the scenario's)")
    .option('--confidence <level>', "confidence of the targets' verdicts (default 0.95)")
    .option('--set <key=value>', 'override a scenario value, e.g. bot.resolve.presale=0.8 (repeatable)', collect)
    .option('--interval <duration>', 'chart grain, e.g. 15m or 1h', '1h')
    .option('--allow-outside', "let the scenario read files outside its own folder")
    .option('--workers <n>', 'worker threads for the replications (default: the cores; results are the same for any number)')
    .addOption(new Option('--no-progress', 'no progress bar on stderr'))
    .addHelpText('after', `
Examples:
  $ peakplan report --html report.html
  $ peakplan report scenarios/teaching-chat.yaml --html chat.html --interval 30m
  $ peakplan report my.yaml --plan plan.csv --reps 20 --html plan-report.html`)
    .action(async (scenario: string | undefined, opts: ReportOptions) => setCode(await reportCommand(scenario, opts, ctx)));
}
