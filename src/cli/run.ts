// Running a loaded scenario's replications for a command: on worker threads (as many as asked,
// at least one), with a progress bar on stderr and
// SIGINT/SIGTERM turned into a clean stop. Every command that simulates goes through here.

import { defaultWorkers, ReplicationPool } from '../parallel/pool.js';
import { simulateScenarioAsync, type RunOutput } from '../parallel/runner.js';
import type { LoadOptions } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { cleanupPending, Interrupt, progressBar } from './io.js';
import { intOption } from './options.js';

export interface RunRequest {
  /** The file the scenario came from and how it was loaded: worker threads load it themselves. */
  readonly file: string;
  readonly load: LoadOptions;
  readonly reportSec?: number;
  readonly firstReplication?: number;
  /** What the progress bar and an interrupt message call this run. */
  readonly label: string;
  readonly progress: boolean;
}

export function workersOption(value: string | undefined): number {
  return value !== undefined ? intOption(value, '--workers', 1, 64) : defaultWorkers();
}

/**
 * Runs the replications of `s` (a scenario loaded from `req.file` with `req.load`, possibly with
 * staffing replaced in memory: the staffing travels to the workers with the task). Returns null
 * when interrupted; the caller then reports the interruption (see `interrupted`).
 */
export async function runScenario(s: Scenario, req: RunRequest, workers: number, interrupt: Interrupt): Promise<RunOutput | null> {
  const bar = progressBar(req.label, s.replications, req.progress);
  try {
    if (interrupt.shouldStop()) return null;
    // Always on worker threads, even one (--workers 1): this thread then only waits, so SIGINT and
    // SIGTERM are handled within a fraction of a second even in the middle of a long replication
    // (a replication on this thread would hold the signal until it ends: seconds on big scenarios).
    const pool = new ReplicationPool(Math.max(1, Math.min(workers, s.replications)));
    try {
      return await simulateScenarioAsync(s, {
        reportSec: req.reportSec, firstReplication: req.firstReplication, onProgress: (d) => bar.update(d), shouldStop: interrupt.shouldStop,
        pool, source: { file: req.file, load: req.load },
      });
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
