// `peakplan report`: simulate a scenario (optionally with a plan) and write one self-contained HTML
// page with charts and the targets. Exit 0 whatever the targets say (like simulate); 2 on bad input.

import { InterruptedError } from '../errors.js';
import { ReplicationPool } from '../parallel/pool.js';
import { renderHtmlReport } from '../report/html.js';
import { analyticalStaffing, PlanStopped, type AnalyticalStaffing } from '../staffing/planner.js';
import { checkOutputPath, Interrupt, writeFileAtomic } from './io.js';
import { confidenceOption, durationOption } from './options.js';
import { DEFAULT_CONFIDENCE } from '../defaults.js';
import { interrupted, runScenario, workersOption } from './run.js';
import { loadOptions, loadWithPlan, scenarioPath } from './simulate.js';
import type { CommandContext } from './context.js';

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
