// `peakplan simulate`: run a scenario's replications and report per interval, per pool and per
// target. Exit 0 whatever the targets say (use `check` to gate on them); 2 on bad input.

import { relative } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { RunOutput } from '../parallel/runner.js';
import { fingerprint, parseShard, renderPartial, replicationsOfShard } from '../parallel/shard.js';
import { renderDailyCsv, renderIntervalCsv, renderPoolCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { busiestDay, renderSimulation } from '../report/table.js';
import { loadScenario, readUserFile, type LoadOptions } from '../scenario/load.js';
import { readPlanCsv, withPlan } from '../scenario/normalise.js';
import { readPeopleRosterCsv } from '../roster/csv.js';
import { readState } from '../scenario/state.js';
import { formatDateTime, secondsOfLocalDay, shortLabel } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import type { SimulationResult } from '../stats/summary.js';
import { AtomicStream, checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { writeContactLog } from '../log/contact-log.js';
import { confidenceOption, durationOption, intOption, timeOption } from './options.js';
import { DEFAULT_CONFIDENCE } from '../defaults.js';
import { interrupted, runScenario, workersOption } from './run.js';
import { prewarmPool } from '../parallel/pool.js';

export interface SimulateOptions extends XlsxCliOptions {
  confidence?: string;
  seed?: string;
  reps?: string;
  json?: boolean;
  csv?: string;
  dailyCsv?: string;
  poolCsv?: string;
  excel?: boolean;
  interval?: string;
  plan?: string;
  roster?: string;
  state?: string;
  log?: string;
  logRep?: string;
  ordersLog?: string;
  from?: string;
  to?: string;
  all?: boolean;
  allowOutside?: boolean;
  progress?: boolean;
  workers?: string;
  set?: string[];
  shard?: string;
  out?: string;
  cache?: string;
}

export type { CommandContext } from './context.js';
import type { CommandContext } from './context.js';
import { openTapeCache } from './cache.js';
import { writeWorkbook, xlsxOption, type XlsxCliOptions } from './xlsx.js';

export function scenarioPath(arg: string | undefined, ctx: CommandContext): string {
  return arg ?? (relative(process.cwd(), ctx.defaultScenario) || ctx.defaultScenario);
}

/** Load the scenario and, if given, the plan and then the roster that replace its pools' staffing. */
export function loadWithPlan(path: string, opts: { seed?: string; reps?: string; plan?: string; roster?: string; state?: string; allowOutside?: boolean; set?: readonly string[] }): Scenario {
  const s = applyRosterFile(applyPlanFile(loadScenario(path, loadOptions(opts)), opts.plan), opts.roster);
  return opts.state === undefined ? s : { ...s, initial: readState(readUserFile(opts.state), opts.state, s) };
}

/** Replaces the staffing of the pools a roster CSV (plan --shifts --roster-out) names: its people working, after shrinkage. */
export function applyRosterFile(s: Scenario, rosterFile: string | undefined): Scenario {
  if (rosterFile === undefined) return s;
  return withPlan(s, readPeopleRosterCsv(readUserFile(rosterFile), rosterFile, s));
}

/** The loader's options from the command line's (--seed, --reps, --allow-outside, --set). */
export function loadOptions(opts: { seed?: string; reps?: string; allowOutside?: boolean; set?: readonly string[] }): LoadOptions {
  const seed = opts.seed !== undefined ? intOption(opts.seed, '--seed', 0, 2 ** 32 - 1) : undefined;
  const replications = opts.reps !== undefined ? intOption(opts.reps, '--reps', 1, 10000) : undefined;
  return { seed, replications, allowOutside: opts.allowOutside, overrides: opts.set };
}

/** Replaces the staffing of the pools a plan CSV names. */
export function applyPlanFile(s: Scenario, planFile: string | undefined): Scenario {
  if (planFile === undefined) return s;
  const text = readUserFile(planFile);
  const plan = readPlanCsv(text, planFile, s.calendar, s.pools.map((p) => p.name));
  if (plan.size === 0) throw new InputError('the plan has no rows', { file: planFile });
  return withPlan(s, plan);
}


export async function simulateCommand(arg: string | undefined, opts: SimulateOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  const reportSec = opts.interval !== undefined ? durationOption(opts.interval, '--interval', 60, 86400) : 3600;
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  if (shard !== null && (opts.csv !== undefined || opts.dailyCsv !== undefined || opts.poolCsv !== undefined || opts.json)) {
    throw new UsageError('a shard writes a partial result (--out FILE or stdout); peakplan merge then writes the JSON, CSV or table', { path: '--shard' });
  }
  if (opts.out !== undefined && shard === null) throw new UsageError('--out writes a shard\'s partial result; add --shard k/n (or use --json, --csv)', { path: '--out' });
  if (shard !== null && opts.roster !== undefined) throw new UsageError('a roster cannot be sharded yet (merge would not know it); turn it into a plan, or run it whole', { path: '--roster' });
  if (shard !== null && opts.state !== undefined) throw new UsageError('a state cannot be sharded yet (merge would not know it); run it whole', { path: '--state' });
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  if (opts.csv !== undefined) checkOutputPath(opts.csv, '--csv');
  if (opts.dailyCsv !== undefined) checkOutputPath(opts.dailyCsv, '--daily-csv');
  if (opts.poolCsv !== undefined) checkOutputPath(opts.poolCsv, '--pool-csv');
  if (opts.log !== undefined) checkOutputPath(opts.log, '--log');
  if (opts.logRep !== undefined && opts.log === undefined) throw new UsageError('--log-rep goes with --log FILE', { path: '--log-rep' });
  if (opts.ordersLog !== undefined && opts.log === undefined) throw new UsageError('--orders-log goes with --log FILE (the same replication)', { path: '--orders-log' });
  if (opts.ordersLog !== undefined) checkOutputPath(opts.ordersLog, '--orders-log');
  if (opts.log !== undefined && shard !== null) throw new UsageError('a shard writes a partial result; log a replication from a whole run', { path: '--log' });
  if (opts.excel && opts.csv === undefined && opts.dailyCsv === undefined && opts.poolCsv === undefined) throw new UsageError('--excel applies to CSV output; add --csv, --daily-csv or --pool-csv FILE', { path: '--excel' });
  const xlsx = xlsxOption(opts);
  if (xlsx !== null && shard !== null) throw new UsageError('a shard writes a partial result; peakplan merge then writes the outputs', { path: '--xlsx' });
  const workers = workersOption(opts.workers);
  prewarmPool(workers);
  const s = loadWithPlan(path, opts);
  const view = viewWindow(s, opts);
  const load = loadOptions(opts);
  const slice = shard !== null ? replicationsOfShard(s.replications, shard) : { first: 0, count: s.replications };
  const confidence = opts.confidence !== undefined ? confidenceOption(opts.confidence) : DEFAULT_CONFIDENCE;
  const logRep = opts.logRep !== undefined ? intOption(opts.logRep, '--log-rep', 0, s.replications - 1) : 0;
  const tapeCache = opts.cache !== undefined ? openTapeCache(opts.cache) : undefined;

  const interrupt = new Interrupt();
  let out: RunOutput | null = null;
  try {
    if (slice.count > 0) {
      out = await runScenario({ ...s, replications: slice.count }, { reportSec, firstReplication: slice.first, label: 'simulating', progress: opts.progress !== false, confidence, tapeCache }, workers, interrupt);
      if (out === null) interrupted(interrupt, 'the simulation');
    }
  } finally {
    interrupt.dispose();
  }
  if (shard !== null) {
    const part = renderPartial({
      tool: 'peakplan', kind: 'partial', command: 'simulate', version: ctx.version,
      fingerprint: fingerprint(s), scenario: { file: s.file, name: s.name }, seed: s.seed, shard, total: s.replications,
      options: { reportSec, load: { seed: load.seed ?? null, overrides: load.overrides ?? [], allowOutside: load.allowOutside === true }, plan: opts.plan ?? null, confidence },
      items: out?.reps ?? [],
    });
    if (opts.out !== undefined) {
      writeFileAtomic(opts.out, part);
      ctx.stderr(`wrote ${opts.out}: shard ${shard.k}/${shard.n}, replications ${slice.first}–${slice.first + slice.count - 1} of ${s.replications} (seed ${s.seed})\n`);
    } else ctx.stdout(part);
    return 0;
  }
  if (opts.log !== undefined) {
    // the logged replication again, on this thread, with the model's trace (the same replication
    // index and seed: the same contacts as in the results), streamed to the file
    const file = new AtomicStream(opts.log);
    const orders = opts.ordersLog !== undefined ? new AtomicStream(opts.ordersLog) : null;
    try {
      const rows = await writeContactLog(s, logRep, (line) => file.write(line), orders === null ? undefined : (line) => orders.write(line));
      file.commit();
      orders?.commit();
      if (!opts.json) ctx.stderr(`wrote ${opts.log}: ${rows.toLocaleString('en-US')} rows, replication ${logRep} (seed ${s.seed})\n`);
    } catch (e) {
      file.abort();
      orders?.abort();
      throw e;
    }
  }
  if (xlsx !== null) await writeWorkbook(xlsx.file, { scenario: s, result: out!.result, staffing: s.pools.map((p) => p.staffing), title: `peakplan simulate — ${s.name}`, lang: xlsx.lang });
  emitSimulation(s, out!.result, opts, view, ctx);
  if (xlsx !== null && !opts.json) ctx.stdout(`wrote ${xlsx.file}\n`);
  return 0;
}

/** The table's window from --from/--to (checked before any simulation). */
export function viewWindow(s: Scenario, opts: { from?: string; to?: string }): { from?: number; to?: number } {
  const off = s.calendar.offsetMinutes;
  const from = opts.from !== undefined ? (timeOption(opts.from, '--from', off) - s.calendar.startMs) / 1000 : undefined;
  const to = opts.to !== undefined ? (timeOption(opts.to, '--to', off) - s.calendar.startMs) / 1000 : undefined;
  if (from !== undefined && to !== undefined && to <= from) throw new UsageError('must be after --from', { path: '--to' });
  // a window outside the horizon would print an empty table (or chart) and exit 0
  const at = (sec: number) => formatDateTime(s.calendar.startMs + sec * 1000, off);
  if (from !== undefined && from >= s.calendar.horizonSec) throw new UsageError(`is at or after the horizon's end (${at(s.calendar.horizonSec)}), got '${opts.from}'`, { path: '--from' });
  if (to !== undefined && to <= 0) throw new UsageError(`is at or before the horizon's start (${at(0)}), got '${opts.to}'`, { path: '--to' });
  return { from, to };
}

export interface EmitOptions {
  json?: boolean;
  csv?: string;
  dailyCsv?: string;
  poolCsv?: string;
  excel?: boolean;
  all?: boolean;
  from?: string;
  to?: string;
}

/** A simulation's outputs: CSV files, then JSON or the table (also what `merge` writes). */
export function emitSimulation(s: Scenario, r: SimulationResult, opts: EmitOptions, view: { from?: number; to?: number }, ctx: CommandContext): void {
  if (opts.csv !== undefined) writeFileAtomic(opts.csv, renderIntervalCsv(r, { bom: opts.excel }));
  if (opts.dailyCsv !== undefined) writeFileAtomic(opts.dailyCsv, renderDailyCsv(r, { bom: opts.excel }));
  if (opts.poolCsv !== undefined) writeFileAtomic(opts.poolCsv, renderPoolCsv(r, { bom: opts.excel }));
  if (opts.json) {
    ctx.stdout(renderJson(r, ctx.version));
    return;
  }
  const cal = s.calendar;
  const off = cal.offsetMinutes;
  const dayStart = (sec: number) => sec - secondsOfLocalDay(cal.startMs, cal.offsetMinutes, sec);
  let window: [number, number];
  let label: string;
  if (opts.all) {
    window = [0, cal.horizonSec];
    label = 'whole horizon';
  } else if (view.from !== undefined || view.to !== undefined) {
    window = [view.from ?? 0, view.to ?? cal.horizonSec];
    label = `${opts.from ?? r.start} → ${opts.to ?? r.end}`;
  } else {
    window = busiestDay(r, dayStart, cal.horizonSec);
    label = window[1] - window[0] >= cal.horizonSec ? 'whole horizon' : `busiest day from ${shortLabel(cal.startMs + window[0] * 1000, off)} (--all for every row)`;
  }
  ctx.stdout(renderSimulation(r, {
    colour: colourFor(process.stdout),
    fromSec: window[0],
    toSec: window[1],
    windowLabel: label,
    shortLabel: (sec) => shortLabel(cal.startMs + sec * 1000, off),
  }));
  for (const f of [opts.csv, opts.dailyCsv, opts.poolCsv]) if (f !== undefined) ctx.stdout(`wrote ${f}\n`);
}
