// Runs a scenario's replications and summarises them. Replications are independent given
// (seed, replication index), so they can run anywhere in any order; the summary sorts them.

import { compile, type CompiledModel } from '../model/compile.js';
import { makeLayout, runReplication, type RepResult } from '../model/replication.js';
import type { Scenario } from '../scenario/types.js';
import type { StatsLayout } from '../stats/recorder.js';
import { summarise, type SimulationResult } from '../stats/summary.js';
import { SequentialJudge, type DecisionRule } from '../stats/verdict.js';
import type { ReplicationPool } from './pool.js';
import { runCached } from './tape-cache.js';

export interface RunOptions {
  /** Report grain in seconds (default: the scenario interval). */
  reportSec?: number;
  /** Called after each replication with (done, total). */
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
  /** Index of the first replication (verification runs use fresh indices). */
  firstReplication?: number;
  /** Record the number in system per interval (the planner's iterative staffing). */
  trackNumberInSystem?: boolean;
  /** Skip wait-time quantiles (the planner's search does not use them). */
  noQuantiles?: boolean;
  /** Worker threads. */
  pool?: ReplicationPool;
  /**
   * The scenario to share with the workers when `s` differs from it only in staffing and the
   * number of replications (the planner's candidates): shared once, each task carries its
   * staffing. Default: `s` itself.
   */
  base?: Scenario;
  /** The planner's search reads the replications only: skip the (costly) summary. */
  skipSummary?: boolean;
  /** Confidence of the summary's verdicts (one look on the replications run). */
  confidence?: number;
  /**
   * The same replications will run again with other staffing (the planner): each thread records
   * a replication's order flow the first time and plays it back after (model/orders/tape.ts).
   */
  orderTape?: boolean;
  /**
   * Keep each replication's order flow in this directory and play it back from there on later
   * runs (parallel/tape-cache.ts): the `--cache` of check, plan and simulate.
   */
  tapeCache?: string;
}

export interface SequentialOutput extends RunOutput {
  readonly judge: SequentialJudge;
}

export interface RunOutput {
  readonly result: SimulationResult;
  readonly reps: readonly RepResult[];
  readonly layout: StatsLayout;
  readonly model: CompiledModel;
}

/** The layout and the pool task of a run (the same for the synchronous and the asynchronous way). */
function prepare(s: Scenario, opts: RunOptions) {
  const reportSec = opts.reportSec ?? s.calendar.intervalSec;
  const track = opts.trackNumberInSystem === true, noQuantiles = opts.noQuantiles === true;
  return {
    layout: makeLayout(s, reportSec, track, noQuantiles),
    model: compile(s),
    first: opts.firstReplication ?? 0,
    task: { staffing: s.pools.map((p) => p.staffing), reportSec, trackNumberInSystem: track, noQuantiles, orderTape: opts.orderTape === true || opts.tapeCache !== undefined, tapeCache: opts.tapeCache ?? null },
  };
}

function output(s: Scenario, opts: RunOptions, layout: StatsLayout, model: CompiledModel, reps: RepResult[]): RunOutput {
  return { result: opts.skipSummary ? (null as unknown as SimulationResult) : summarise(s, layout, reps, { confidence: opts.confidence }), reps, layout, model };
}

/** Synchronous: for tests and library use. */
export function simulateScenario(s: Scenario, opts: RunOptions = {}): RunOutput {
  const { layout, model, first, task } = prepare(s, opts);
  if (opts.pool !== undefined && opts.pool.size > 1 && s.replications > 1) {
    const reps = opts.pool.runSync(opts.base ?? s, task, Array.from({ length: s.replications }, (_, k) => first + k));
    opts.onProgress?.(s.replications, s.replications);
    return output(s, opts, layout, model, reps);
  }
  const reps: RepResult[] = [];
  for (let r = 0; r < s.replications; r++) {
    reps.push(replication(model, layout, s.seed, first + r, opts));
    opts.onProgress?.(r + 1, s.replications);
  }
  return output(s, opts, layout, model, reps);
}

/** One replication on this thread, with the order tapes the options ask for. */
function replication(model: CompiledModel, layout: StatsLayout, seed: number, r: number, opts: RunOptions): RepResult {
  if (opts.tapeCache !== undefined) return runCached(model, layout, seed, r, opts.tapeCache, opts.shouldStop);
  return runReplication(model, layout, seed, r, opts.shouldStop, undefined, opts.orderTape === true);
}

/**
 * The same, yielding to the event loop between replications so that signals (SIGINT, SIGTERM)
 * are seen and a progress bar can redraw; `shouldStop` is asked after each replication. With a
 * pool (any size), the replications run on its workers while this thread waits asynchronously
 * (ReplicationPool.run): an interrupt then stops even a replication in progress. Null when stopped.
 */
export async function simulateScenarioAsync(s: Scenario, opts: RunOptions = {}): Promise<RunOutput | null> {
  const { layout, model, first, task } = prepare(s, opts);
  if (opts.pool !== undefined) {
    const got = await opts.pool.run(opts.base ?? s, task, Array.from({ length: s.replications }, (_, k) => first + k), { shouldStop: opts.shouldStop, onProgress: opts.onProgress });
    return got === null ? null : output(s, opts, layout, model, got);
  }
  const reps: RepResult[] = [];
  for (let r = 0; r < s.replications; r++) {
    await new Promise((res) => setImmediate(res));
    if (opts.shouldStop?.()) return null;
    reps.push(replication(model, layout, s.seed, first + r, opts));
    opts.onProgress?.(r + 1, s.replications);
  }
  return output(s, opts, layout, model, reps);
}

/**
 * Replications in looks (verdict.ts): the first `rule.looks[0]`, then more up to each next look
 * while a window is undecided, until every window is decided or the schedule's last look. The
 * replications of look k are indices [first, first + looks[k]) whatever ran them, so the result
 * is the same for any number of workers. `s.replications` is ignored. Null when stopped.
 */
export interface SequentialOptions extends RunOptions {
  /** Stop before the schedule's end once this says the looks so far are enough (the planner's repair rounds). */
  readonly enough?: (judge: SequentialJudge) => boolean;
  /** Go on from a run that stopped early (same scenario, rule and options): its replications and judge are kept. */
  readonly from?: SequentialOutput;
}

export async function simulateSequential(s: Scenario, rule: DecisionRule, opts: SequentialOptions = {}): Promise<SequentialOutput | null> {
  const { layout, model, first } = prepare(s, opts);
  const judge = opts.from?.judge ?? new SequentialJudge(s, layout, rule);
  let reps: RepResult[] = opts.from ? [...opts.from.reps] : [];
  for (let need = judge.next; need !== null && !(judge.looksTaken > 0 && opts.enough?.(judge)); need = judge.next) {
    const more = await simulateScenarioAsync({ ...s, replications: need - reps.length }, {
      ...opts, firstReplication: first + reps.length, skipSummary: true,
      onProgress: opts.onProgress && ((d) => opts.onProgress!(reps.length + d, rule.looks[rule.looks.length - 1])),
    });
    if (more === null) return null;
    reps = [...reps, ...more.reps].sort((a, b) => a.replication - b.replication);
    judge.look(reps);
  }
  if (opts.skipSummary) return { result: null as unknown as SimulationResult, reps, layout, model, judge };
  return lazySummary({ ...s, replications: reps.length }, { reps, layout, model, judge });
}

/**
 * The output with its summary made on first read: the planner's verification rounds read only
 * their judges, and a summary of 40 replications of the built-in scenario is about a second of the
 * main thread while the workers wait. The judge is the run's own and a later run may go on from it
 * (`from`), taking more looks: the summary would then no longer be this run's, so reading it after
 * that is an error rather than a different answer.
 */
function lazySummary(s: Scenario, out: Omit<SequentialOutput, 'result'>): SequentialOutput {
  const taken = out.judge.looksTaken;
  let result: SimulationResult | null = null;
  return {
    ...out,
    get result(): SimulationResult {
      if (result === null) {
        if (out.judge.looksTaken !== taken) throw new Error('the summary of a sequential run was read after another run went on from it');
        result = summarise(s, out.layout, out.reps, { judge: out.judge });
      }
      return result;
    },
  };
}

/**
 * Several scenarios in lockstep looks (compare's sides): every look runs the same replication
 * indices on each, so they stay paired (common random numbers), until every side's windows are
 * decided or the schedule ends. Null when stopped.
 */
export async function simulateSequentialPaired(sides: readonly Scenario[], rule: DecisionRule, opts: RunOptions = {}): Promise<SequentialOutput[] | null> {
  const prepared = sides.map((s) => prepare(s, opts));
  const judges = sides.map((s, k) => new SequentialJudge(s, prepared[k].layout, rule));
  const reps: RepResult[][] = sides.map(() => []);
  const most = rule.looks[rule.looks.length - 1];
  for (let look = 0; look < rule.looks.length; look++) {
    if (look > 0 && judges.every((j) => j.done)) break;
    const need = rule.looks[look];
    for (let k = 0; k < sides.length; k++) {
      const have = reps[k].length;
      const more = await simulateScenarioAsync({ ...sides[k], replications: need - have }, {
        ...opts, firstReplication: prepared[k].first + have, skipSummary: true,
        onProgress: opts.onProgress && ((d) => opts.onProgress!(k * most + have + d, sides.length * most)),
      });
      if (more === null) return null;
      reps[k] = [...reps[k], ...more.reps].sort((a, b) => a.replication - b.replication);
      judges[k].look(reps[k]);
    }
  }
  return sides.map((s, k) => ({
    result: summarise({ ...s, replications: reps[k].length }, prepared[k].layout, reps[k], { judge: judges[k] }),
    reps: reps[k], layout: prepared[k].layout, model: prepared[k].model, judge: judges[k],
  }));
}
