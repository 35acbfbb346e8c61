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
import { loadWithPlan, scenarioPath, viewWindow } from './simulate.js';
import { summarise } from '../stats/summary.js';
import { readPeopleRoster } from '../roster/csv.js';
import { readUserFile } from '../scenario/load.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

export interface ReportOptions {
  confidence?: string;
  html: string;
  seed?: string;
  reps?: string;
  plan?: string;
  roster?: string;
  set?: string[];
  interval?: string;
  from?: string;
  to?: string;
  zoom?: string;
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
  const zoomSec = zoomOption(opts.zoom);
  const s = loadWithPlan(path, opts);
  const view = viewWindow(s, opts);
  // The run keeps its statistics at the scenario's interval grain (or the charts' own, where that
  // is finer), so the busiest window is drawn at the grain the interval targets judge; the
  // horizon's charts are the same replications summarised at the report grain.
  const fineSec = gcd(s.calendar.intervalSec, reportSec);

  const interrupt = new Interrupt();
  let required: AnalyticalStaffing;
  let out;
  try {
    const confidence = opts.confidence !== undefined ? confidenceOption(opts.confidence) : DEFAULT_CONFIDENCE;
    out = await runScenario(s, { reportSec: fineSec, label: 'simulating', progress: opts.progress !== false, confidence }, workers, interrupt);
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

  const r = fineSec === reportSec ? out.result : summarise(s, out.layout, out.reps, { confidence: out.result.decision.confidence, regroup: reportSec / fineSec });
  writeFileAtomic(opts.html, renderHtmlReport(r, {
    version: ctx.version,
    calendar: s.calendar,
    reportSec,
    window: { fromSec: view.from ?? 0, toSec: view.to ?? s.calendar.horizonSec },
    fine: { result: out.result, sec: fineSec },
    zoomSec,
    roster: opts.roster === undefined ? null : {
      file: opts.roster,
      pools: [...readPeopleRoster(readUserFile(opts.roster), opts.roster, s)].map(([pool, x]) => ({ pool, people: x.people, scheduled: x.scheduled, onBreak: x.onBreak })),
    },
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

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** `--zoom`: the busiest window's length (whole minutes, 1 h to 7 days), or 'none'. */
function zoomOption(v: string | undefined): number {
  if (v === undefined) return 86400;
  if (v.trim().toLowerCase() === 'none') return 0;
  try {
    return durationOption(v, '--zoom', 3600, 7 * 86400);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`must be a duration from 1h to 7d, e.g. 12h, or 'none', got '${v}'`, { path: '--zoom' });
    throw e;
  }
}
