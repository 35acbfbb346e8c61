// A replication worker: loads the scenario once (from its file, like the main thread did), then
// runs the replications it is sent with the staffing it is sent, and posts back the plain typed
// arrays of each. Replications are pure functions of (scenario, staffing, seed, index), so where
// they run never changes their numbers.

import { parentPort, type MessagePort } from 'node:worker_threads';
import { InputError, type Place } from '../errors.js';
import { compile } from '../model/compile.js';
import { makeLayout, runReplication, type RepResult } from '../model/replication.js';
import { loadScenario, type LoadOptions } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';

export interface WorkerTask {
  readonly file: string;
  readonly load: LoadOptions;
  readonly staffing: Int32Array[] | null;
  readonly reportSec: number;
  readonly replications: readonly number[];
  readonly trackNumberInSystem: boolean;
  readonly noQuantiles: boolean;
}

/** Sent once when a pool starts, before the first task: load the scenario now. */
export interface Preload {
  readonly preload: true;
  readonly file: string;
  readonly load: LoadOptions;
}

const cache = new Map<string, Scenario>();

function loadCached(file: string, load: LoadOptions): Scenario {
  const key = `${file}\u0000${JSON.stringify(load)}`;
  let s = cache.get(key);
  if (s === undefined) {
    // One replication for the size check (limits.ts): the main thread checked the real count, and
    // a worker runs only the replications it is sent, so it must not refuse what the main accepted.
    s = loadScenario(file, { ...load, replications: 1 });
    cache.set(key, s);
  }
  return s;
}

function run(t: WorkerTask): RepResult[] {
  const s = loadCached(t.file, t.load);
  const staffed: Scenario = t.staffing === null ? s : { ...s, pools: s.pools.map((p, i) => ({ ...p, staffing: t.staffing![i] })) };
  const model = compile(staffed);
  const layout = makeLayout(staffed, t.reportSec, t.trackNumberInSystem, t.noQuantiles);
  return t.replications.map((r) => runReplication(model, layout, staffed.seed, r));
}

if (parentPort !== null) {
  parentPort.once('message', (init: { port: MessagePort; done: Int32Array }) => {
    const { port, done } = init;
    port.on('message', (task: WorkerTask | Preload) => {
      if ('preload' in task) {
        // Load (and cache) the scenario while the main thread loads it too; no reply. An error
        // here is not reported: the main thread's own load reports it, with its place.
        try {
          loadCached(task.file, task.load);
        } catch {
          /* the main thread reports it */
        }
        return;
      }
      let reply: { ok: true; reps: RepResult[] } | { ok: false; error: string; input?: { detail: string; place: Place } };
      try {
        reply = { ok: true, reps: run(task) };
      } catch (e) {
        // the user's to fix (a run that outgrows memory, limits.ts): the main thread rethrows it as such
        const input = e instanceof InputError ? { detail: e.detail, place: e.place } : undefined;
        reply = { ok: false, error: (e as Error)?.stack ?? String(e), input };
      }
      port.postMessage(reply);
      Atomics.add(done, 0, 1);
      Atomics.notify(done, 0);
    });
  });
}
