// Running a loaded scenario's replications for a command: on worker threads when there are
// several cores and replications, in-process otherwise, with a progress bar on stderr and
// SIGINT/SIGTERM turned into a clean stop. Every command that simulates goes through here.

import { defaultWorkers, ReplicationPool } from '../parallel/pool.js';
import { simulateScenario, simulateScenarioAsync, type RunOutput } from '../parallel/runner.js';
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
    if (workers > 1 && s.replications > 1) {
      const pool = new ReplicationPool(Math.min(workers, s.replications));
      try {
        return simulateScenario(s, { reportSec: req.reportSec, firstReplication: req.firstReplication, pool, source: { file: req.file, load: req.load } });
      } finally {
        pool.close();
      }
    }
    return await simulateScenarioAsync(s, {
      reportSec: req.reportSec, firstReplication: req.firstReplication, onProgress: (d) => bar.update(d), shouldStop: interrupt.shouldStop,
    });
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
