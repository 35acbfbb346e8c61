// `peakplan sweep`: sensitivity over one or two scenario values. At every point of the grid the
// scenario is loaded with the point's values as overrides and either simulated (its staffing,
// or a fixed --plan) or re-planned (--replan); every point uses the same seed, so the curves
// are smooth (common random numbers) rather than noisy.

import { InputError, InterruptedError, UsageError } from '../errors.js';
import { ReplicationPool } from '../parallel/pool.js';
import { fingerprint, parseShard, pointsOfShard, renderPartial } from '../parallel/shard.js';
import { renderSweep, renderSweepCsv, renderSweepJson, type SweepPoint, type SweepReport } from '../report/sweep.js';
import { loadScenario, type LoadOptions } from '../scenario/load.js';
import { parseOverride } from '../scenario/overrides.js';
import { plan, PlanStopped, staffingCost } from '../staffing/planner.js';
import type { SimulationResult } from '../stats/summary.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { decisionOptions, intOption, type DecisionCliOptions } from './options.js';
import { DEFAULT_MAX_ROUNDS, DEFAULT_SEARCH_REPS } from '../defaults.js';
import { passes } from '../stats/verdict.js';
import { interrupted, runSequential, workersOption } from './run.js';
import { applyPlanFile, loadOptions, scenarioPath } from './simulate.js';
import type { CommandContext } from './context.js';

export interface SweepOptions extends DecisionCliOptions {
  param?: string[];
  set?: string[];
  plan?: string;
  replan?: boolean;
  seed?: string;
  reps?: string;
  searchReps?: string;
  json?: boolean;
  csv?: string;
  excel?: boolean;
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
  shard?: string;
  out?: string;
}

export const MAX_SWEEP_POINTS = 2000;

export interface SweepParam {
  readonly key: string;
  readonly values: readonly unknown[];
}

const decimals = (x: string) => (x.includes('.') ? x.split('.')[1].replace(/e.*$/i, '').length : 0);

/** `key=from:to:step` (inclusive, numbers) or `key=a,b,c` (any YAML values) or `key=value`. */
export function parseParam(text: string): SweepParam {
  const o = parseOverride(text, '--param');
  const raw = text.slice(text.indexOf('=') + 1).trim();
  const range = /^(-?[\d.]+(?:e-?\d+)?):(-?[\d.]+(?:e-?\d+)?):([\d.]+(?:e-?\d+)?)$/i.exec(raw);
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) {
      throw new UsageError(`${o.key}: a range is from:to:step with from ≤ to and step > 0, got '${raw}'`, { path: '--param' });
    }
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_SWEEP_POINTS) throw new UsageError(`${o.key}: ${n} points; at most ${MAX_SWEEP_POINTS}`, { path: '--param' });
    // round to the inputs' decimals so that 0.1 steps give 0.3, not 0.30000000000000004
    const d = Math.max(decimals(range[1]), decimals(range[3]));
    return { key: o.key, values: Array.from({ length: n }, (_, i) => Number((from + i * step).toFixed(d))) };
  }
  if (raw.includes(',') && !/^[[{]/.test(raw)) {
    const values = raw.split(',').map((v) => parseOverride(`${o.key}=${v}`, '--param').value);
    return { key: o.key, values };
  }
  return { key: o.key, values: [o.value] };
}

/** The grid in row-major order: the first parameter varies slowest. */
export function gridOf(params: readonly SweepParam[]): unknown[][] {
  let grid: unknown[][] = [[]];
  for (const p of params) grid = grid.flatMap((g) => p.values.map((v) => [...g, v]));
  return grid;
}

// JSON is YAML's flow style: lists and mappings survive the trip through --set parsing
const asOverride = (key: string, v: unknown) => `${key}=${typeof v === 'string' ? v : JSON.stringify(v)}`;

function pointOf(index: number, values: readonly unknown[], r: SimulationResult, hours: number, cost: number, planned: boolean | null): SweepPoint {
  return {
    index,
    values: values.map((v) => (v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as string | number | boolean | null) : JSON.stringify(v))),
    agentHours: hours,
    cost,
    replications: r.replications,
    planned,
    targets: r.targets.map((t) => ({
      id: t.id, path: t.path, metric: t.metric, scope: t.scope, value: t.value.mean, met: t.pass, verdict: t.verdict,
      attainment: t.evaluated > 0 ? t.meets / t.evaluated : NaN,
    })),
  };
}

export async function sweepCommand(arg: string | undefined, opts: SweepOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  const params = (opts.param ?? []).map(parseParam);
  if (params.length === 0 || params.length > 2) throw new UsageError('give one or two --param key=from:to:step (or key=a,b,c)', { path: '--param' });
  if (params.length === 2 && params[0].key === params[1].key) throw new UsageError(`${params[0].key} is swept twice`, { path: '--param' });
  if (opts.replan && opts.plan !== undefined) throw new UsageError('--replan plans every point itself; drop --plan (or drop --replan to simulate that plan)', { path: '--replan' });
  if (opts.csv !== undefined) checkOutputPath(opts.csv, '--csv');
  if (opts.excel && opts.csv === undefined) throw new UsageError('--excel applies to CSV output; add --csv FILE', { path: '--excel' });
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  if (shard !== null && (opts.json || opts.csv !== undefined)) throw new UsageError('a shard writes a partial result (--out FILE or stdout); peakplan merge then writes the JSON, CSV or table', { path: '--shard' });
  if (opts.out !== undefined && shard === null) throw new UsageError('--out writes a shard\'s partial result; add --shard k/n', { path: '--out' });
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  const grid = gridOf(params);
  if (grid.length > MAX_SWEEP_POINTS) throw new UsageError(`${grid.length} points; at most ${MAX_SWEEP_POINTS}`, { path: '--param' });
  const workers = workersOption(opts.workers);
  const searchReps = opts.searchReps !== undefined ? intOption(opts.searchReps, '--search-reps', 2, 200) : DEFAULT_SEARCH_REPS;
  const base = loadOptions(opts);

  // Load every point first: a bad value anywhere fails before hours of simulation.
  const loads: LoadOptions[] = grid.map((values) => ({ ...base, overrides: [...(opts.set ?? []), ...values.map((v, i) => asOverride(params[i].key, v))] }));
  const scenarios = loads.map((l, k) => {
    try {
      return applyPlanFile(loadScenario(path, l), opts.plan);
    } catch (e) {
      // the loader names every override --set; a point's value came from --param (found by fuzzing)
      const param = e instanceof InputError && e.place.file?.startsWith('--set ') ? params.findIndex((p, i) => e.place.file === `--set ${asOverride(p.key, grid[k][i])}`) : -1;
      if (param >= 0) throw new InputError((e as InputError).detail, { ...(e as InputError).place, file: `--param ${asOverride(params[param].key, grid[k][param])}` });
      throw e;
    }
  });
  const first = scenarios[0];
  const { rule, policy } = decisionOptions(opts, first.replications, first);

  const mine = shard !== null ? pointsOfShard(grid.length, shard) : grid.map((_, k) => k);
  const interrupt = new Interrupt();
  const points: SweepPoint[] = [];
  let pool: ReplicationPool | undefined;
  try {
    for (const k of mine) {
      const s = scenarios[k];
      const label = `point ${k + 1}/${grid.length}`;
      if (opts.progress !== false && process.stderr.isTTY) ctx.stderr(`${label}: ${grid[k].map((v, i) => asOverride(params[i].key, v)).join(' ')}\n`);
      if (opts.replan) {
        await new Promise((res) => setImmediate(res));
        if (interrupt.shouldStop()) interrupted(interrupt, 'the sweep');
        pool ??= workers > 1 ? new ReplicationPool(workers) : undefined;
        let r;
        try {
          r = await plan(s, { searchReps, verifyReps: s.replications, maxReps: rule.looks[rule.looks.length - 1], confidence: rule.confidence, maxRounds: DEFAULT_MAX_ROUNDS, shouldStop: interrupt.shouldStop, pool });
        } catch (e) {
          if (e instanceof PlanStopped) throw new InterruptedError('interrupted during the sweep; no output was written');
          throw e;
        }
        const ok = r.infeasible.length === 0 && r.verified.targets.every((t) => passes(t.verdict, policy));
        points.push({ ...pointOf(k, grid[k], r.verified, r.agentHours, r.cost, ok), notByStaffing: r.notByStaffing.map((x) => x.path) });
      } else {
        // one pool for every point, and the order flow on tape: points that differ only in agents,
        // the bot or the demand curves play back what the first recorded (model/orders/tape.ts)
        pool ??= workers > 1 ? new ReplicationPool(workers) : undefined;
        const out = await runSequential(s, rule, { label, progress: opts.progress !== false, pool, orderTape: true }, workers, interrupt);
        if (out === null) interrupted(interrupt, 'the sweep');
        const { cost, agentHours } = staffingCost(s, s.pools.map((p) => p.staffing));
        points.push(pointOf(k, grid[k], out.result, agentHours, cost, null));
      }
    }
  } finally {
    pool?.close();
    interrupt.dispose();
  }
  const header: Omit<SweepReport, 'points'> = {
    scenario: { name: first.name, file: first.file }, seed: first.seed, replications: first.replications,
    mode: opts.replan ? 'replan' : 'simulate', plan: opts.plan ?? null, params: params.map((p) => p.key),
  };
  if (shard !== null) {
    const part = renderPartial({
      tool: 'peakplan', kind: 'partial', command: 'sweep', version: ctx.version,
      fingerprint: fingerprint(first, { grid, searchReps, rule, policy }), scenario: header.scenario, seed: first.seed, shard, total: grid.length,
      options: { report: header },
      items: points,
    });
    if (opts.out !== undefined) {
      writeFileAtomic(opts.out, part);
      ctx.stderr(`wrote ${opts.out}: shard ${shard.k}/${shard.n}, ${points.length} of ${grid.length} points (seed ${first.seed})\n`);
    } else ctx.stdout(part);
    return 0;
  }
  const report: SweepReport = { ...header, points };
  if (opts.csv !== undefined) writeFileAtomic(opts.csv, renderSweepCsv(report, opts.excel));
  if (opts.json) ctx.stdout(renderSweepJson(report, ctx.version));
  else {
    ctx.stdout(renderSweep(report, colourFor(process.stdout)));
    if (opts.csv !== undefined) ctx.stdout(`wrote ${opts.csv}\n`);
  }
  return 0;
}
