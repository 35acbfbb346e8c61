// Running a loaded scenario's replications for a command: on worker threads (as many as asked;
// one even for --workers 1 when a replication is heavy), with a progress bar on stderr and
// SIGINT/SIGTERM turned into a clean stop. Every command that simulates goes through here.

import { defaultWorkers, discardWarmPool, takePool, type ReplicationPool } from '../parallel/pool.js';
import { simulateScenarioAsync, simulateSequential, simulateSequentialPaired, type RunOutput, type RunOptions, type SequentialOutput } from '../parallel/runner.js';
import type { DecisionRule } from '../stats/verdict.js';
import { expectedWork } from '../scenario/limits.js';
import type { Scenario } from '../scenario/types.js';
import { cleanupPending, Interrupt, progressBar } from './io.js';
import { intOption } from './options.js';

export interface RunRequest {
  readonly reportSec?: number;
  readonly firstReplication?: number;
  /** What the progress bar and an interrupt message call this run. */
  readonly label: string;
  readonly progress: boolean;
  /** Confidence of the verdicts (runScenario: one look on its replications). */
  readonly confidence?: number;
  /**
   * The caller reads the verdicts only (check): no wait quantiles in the replications, and no
   * summary (the judge's looks are the result).
   */
  readonly verdictsOnly?: boolean;
  /** Run on these workers (kept open: the caller closes them) instead of a pool of its own. */
  readonly pool?: ReplicationPool;
  /**
   * The same replications run again with other staffing or another bot (compare's sides, sweep's
   * points): each thread plays back the order flow it recorded (model/orders/tape.ts).
   */
  readonly orderTape?: boolean;
  /** The directory that keeps the order tapes between runs (--cache). */
  readonly tapeCache?: string;
}

/** Expected contacts and orders per replication below which a replication takes well under half a second. */
const LIGHT_WORK = 100_000;

export function workersOption(value: string | undefined): number {
  return value !== undefined ? intOption(value, '--workers', 1, 64) : defaultWorkers();
}

/**
 * Runs the replications of `s` (a scenario loaded from `req.file` with `req.load`, possibly with
 * staffing replaced in memory: the staffing travels to the workers with the task). Returns null
 * when interrupted; the caller then reports the interruption (see `interrupted`).
 */
export async function runScenario(s: Scenario, req: RunRequest, workers: number, interrupt: Interrupt): Promise<RunOutput | null> {
  return onThreads(s, s.replications, req, workers, interrupt, (o) => simulateScenarioAsync(s, o));
}

/**
 * The same in looks (verdict.ts): replications are added while a window is undecided, up to the
 * rule's last look. `s.replications` is ignored.
 */
export async function runSequential(s: Scenario, rule: DecisionRule, req: RunRequest, workers: number, interrupt: Interrupt): Promise<SequentialOutput | null> {
  return onThreads(s, rule.looks[rule.looks.length - 1], req, workers, interrupt, (o) => simulateSequential(s, rule, o));
}

/** Several scenarios in paired looks (compare): the same replications on every side, so the order flow is recorded once. */
export async function runSequentialPaired(sides: readonly Scenario[], rule: DecisionRule, req: RunRequest, workers: number, interrupt: Interrupt): Promise<SequentialOutput[] | null> {
  return onThreads(sides[0], rule.looks[rule.looks.length - 1] * sides.length, { ...req, orderTape: true }, workers, interrupt, (o) => simulateSequentialPaired(sides, rule, o));
}

async function onThreads<T>(s: Scenario, most: number, req: RunRequest, workers: number, interrupt: Interrupt, go: (o: RunOptions) => Promise<T | null>): Promise<T | null> {
  const bar = progressBar(req.label, most, req.progress);
  try {
    if (interrupt.shouldStop()) return null;
    // Signals are handled only when this thread is free. A replication run here holds them until
    // it ends (seconds on big scenarios), so any replication heavier than LIGHT_WORK runs on a
    // worker thread, even with --workers 1, while this thread waits (ReplicationPool.run). Light
    // runs stay here: a worker thread costs a few hundred milliseconds to start.
    const light = workers === 1 || most === 1 ? expectedWork(s) <= LIGHT_WORK : false;
    const o: RunOptions = {
      reportSec: req.reportSec, firstReplication: req.firstReplication, onProgress: (d) => bar.update(d), shouldStop: interrupt.shouldStop, confidence: req.confidence,
      orderTape: req.orderTape === true, tapeCache: req.tapeCache, noQuantiles: req.verdictsOnly === true, skipSummary: req.verdictsOnly === true,
    };
    if (req.pool !== undefined && !light) return await go({ ...o, pool: req.pool });
    if (light) {
      discardWarmPool();
      return await go(o);
    }
    const pool = takePool(Math.max(1, Math.min(workers, most)));
    try {
      return await go({ ...o, pool });
    } finally {
      pool.close();
    }
  } finally {
    bar.stop();
  }
}

/** After a run returned null: remove partial files and raise the interruption (exit 130). */
export function interrupted(interrupt: Interrupt, what: string): never {
  cleanupPending();
  interrupt.check(what);
  throw new Error('interrupted without a signal');
}
