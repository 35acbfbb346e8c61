// A replication worker: holds the scenarios the main thread shares with it (see share.ts), then
// runs the replications it is sent with the staffing it is sent, and posts back the plain typed
// arrays of each. Replications are pure functions of (scenario, staffing, seed, index), so where
// they run never changes their numbers. It imports the model only (no YAML parser, no schema
// validator): a worker is ready in about a tenth of a second.

import { parentPort, type MessagePort } from 'node:worker_threads';
import { InputError, type Place } from '../errors.js';
import { compile } from '../model/compile.js';
import { makeLayout, runReplication, type RepResult } from '../model/replication.js';
import type { Scenario } from '../scenario/types.js';
import { KEEP_SHARED, reviveScenario } from './share.js';
import { runCached } from './tape-cache.js';

export interface WorkerTask {
  /** A scenario shared with this worker before (Share.id). */
  readonly scenario: number;
  readonly staffing: Int32Array[] | null;
  readonly reportSec: number;
  readonly replications: readonly number[];
  readonly trackNumberInSystem: boolean;
  readonly noQuantiles: boolean;
  /** Record or play back the order flow (model/orders/tape.ts). */
  readonly orderTape?: boolean;
  /** The directory of the order tapes kept between runs (tape-cache.ts), or null. */
  readonly tapeCache?: string | null;
}

/** A scenario for the tasks that follow; the worker keeps the last KEEP_SHARED it was sent. */
export interface Share {
  readonly share: number;
  readonly scenario: Scenario;
}

const scenarios = new Map<number, Scenario>();

function run(t: WorkerTask): RepResult[] {
  const s = scenarios.get(t.scenario);
  if (s === undefined) throw new Error(`scenario ${t.scenario} was not shared with this worker`);
  const staffed: Scenario = t.staffing === null ? s : { ...s, pools: s.pools.map((p, i) => ({ ...p, staffing: t.staffing![i] })) };
  const model = compile(staffed);
  const layout = makeLayout(staffed, t.reportSec, t.trackNumberInSystem, t.noQuantiles);
  const dir = t.tapeCache ?? null;
  return t.replications.map((r) => (dir !== null ? runCached(model, layout, staffed.seed, r, dir) : runReplication(model, layout, staffed.seed, r, undefined, undefined, t.orderTape === true)));
}

if (parentPort !== null) {
  parentPort.once('message', (init: { port: MessagePort; done: Int32Array }) => {
    const { port, done } = init;
    port.on('message', (msg: WorkerTask | Share) => {
      if ('share' in msg) {
        scenarios.set(msg.share, reviveScenario(msg.scenario));
        if (scenarios.size > KEEP_SHARED) scenarios.delete(scenarios.keys().next().value!);
        return;
      }
      let reply: { ok: true; reps: RepResult[] } | { ok: false; error: string; input?: { detail: string; place: Place } };
      try {
        reply = { ok: true, reps: run(msg) };
      } catch (e) {
        // the user's to fix (a run that outgrows memory, limits.ts): the main thread rethrows it as such
        const input = e instanceof InputError ? { detail: e.detail, place: e.place } : undefined;
        reply = { ok: false, error: (e as Error)?.stack ?? String(e), input };
      }
      // Copied, not transferred, although the worker never reads a result again: transferring
      // detaches the buffers, and the first ArrayBuffer ever detached in a thread switches off V8's
      // ArrayBufferDetaching protector for good. Every optimised function that reads a typed array
      // (the whole model) is then thrown away and recompiled with a detach check on each access:
      // the worker's later replications ran 10-40% slower (bench/parallel.mjs). The copy of a
      // replication of the built-in scenario (1.5 MB) takes about a millisecond.
      port.postMessage(reply);
      Atomics.add(done, 0, 1);
      Atomics.notify(done, 0);
    });
  });
}
