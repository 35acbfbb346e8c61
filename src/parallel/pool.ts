// Replications on worker threads, with a synchronous face: the caller blocks on a shared counter
// (Atomics.wait) and reads the results with receiveMessageOnPort, so the planner's loop stays a
// plain synchronous loop. Replications go to whichever worker is free, and results are sorted by
// replication index before use: the numbers are the same for any number of workers.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { InputError, type Place } from '../errors.js';
import type { RepResult } from '../model/replication.js';
import type { Scenario } from '../scenario/types.js';
import { KEEP_SHARED } from './share.js';
import { registerWarm } from './warm.js';
import { flowKey } from '../model/orders/tape.js';
import type { Share, WorkerTask } from './worker.js';

/** A task without its scenario and replications: the pool fills them in. */
export type PoolTask = Omit<WorkerTask, 'replications' | 'scenario'>;

/** The worker script: the compiled one, also when this module runs from source under a test runner. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/parallel/worker.js', here) : new URL('./worker.js', here);
}

export interface Reply { ok: boolean; reps?: RepResult[]; error?: string; input?: { detail: string; place: Place } }

/** A worker's error: the user's (an InputError, rebuilt here) or a bug (with the worker's stack). */
export function workerFailure(reply: Reply | undefined): Error {
  if (reply?.input) return new InputError(reply.input.detail, reply.input.place);
  return new Error(`replication worker failed: ${reply?.error ?? 'no reply'}`);
}

/** The cores this process may use (availableParallelism honours CPU affinity, as set by taskset or a container's cpuset; cpus() lists the machine's). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export class ReplicationPool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  /** A worker that died without replying (out of heap, say): run() must not wait for it forever. */
  private died: string | null = null;
  private closed = false;
  /** Scenarios shared with every worker, oldest first, with their ids (see share). */
  private readonly shared = new Map<Scenario, number>();
  private nextShare = 0;
  /** Per order flow (tape.ts flowKey): the worker each replication last ran on (for the order tapes; see dispatcher). */
  private readonly affinity = new Map<string, Map<number, number>>();

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(fileURLToPath(workerUrl()));
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ port: port2, done: this.done }, [port2]);
      w.on('error', (e) => { this.died ??= e?.stack ?? String(e); });
      w.on('exit', (code) => { if (!this.closed) this.died ??= `a worker thread exited (code ${code})`; });
      w.unref();
      this.workers.push(w);
      this.ports.push(port1);
    }
  }

  /**
   * Replications go out one at a time, each to the next worker that is free (a worker gets its
   * next one the moment it replies): a worker slowed by the shared machine, or one whose
   * replications are longer, then simply takes fewer, instead of the others waiting for it at
   * the end as they did with a fixed split. Results are sorted by replication index, so the
   * numbers never depend on who ran what.
   */
  private dispatcher(base: Scenario, task: PoolTask, replications: readonly number[]) {
    const scenario = this.share(base);
    let next = 0;
    let pending = 0;
    const out: RepResult[] = [];
    // With the order flow on tape (model/orders/tape.ts), a replication goes back to the worker
    // that ran it before, which plays its tape back, unless that worker is busy when another has
    // nothing of its own left: then the other takes it (and records it too).
    const where = task.orderTape === true ? this.affinityOf(base) : null;
    const todo = where !== null ? [...replications] : [];
    const take = (i: number): number => {
      if (where === null) return replications[next - 1];
      let k = todo.findIndex((r) => where.get(r) === i);
      if (k < 0) k = todo.findIndex((r) => !where.has(r));
      if (k < 0) k = 0;
      const r = todo.splice(k, 1)[0];
      where.set(r, i);
      return r;
    };
    const send = (i: number) => {
      if (next >= replications.length) return;
      next++;
      this.ports[i].postMessage({ ...task, scenario, replications: [take(i)] } satisfies WorkerTask);
      pending++;
    };
    for (let i = 0; i < this.size; i++) send(i);
    return {
      out,
      get pending() { return pending; },
      /** Take every reply that has arrived, handing each replier its next replication; how many. */
      collect: (): number => {
        let got = 0;
        for (let i = 0; i < this.ports.length; i++) {
          for (let msg = receiveMessageOnPort(this.ports[i]); msg !== undefined; msg = receiveMessageOnPort(this.ports[i])) {
            const reply = msg.message as Reply;
            pending--;
            if (!reply.ok) throw workerFailure(reply);
            out.push(...reply.reps!);
            got++;
            send(i);
          }
        }
        return got;
      },
    };
  }

  /**
   * The id under which every worker holds `s`, sending it first if they do not (one structured
   * clone per worker; ports deliver in order, so it arrives before any task that names it). Both
   * sides keep the last KEEP_SHARED scenarios and drop the oldest, so they always agree: a sweep
   * shares a scenario per point, the planner one for all its rounds (staffing goes with each task).
   */
  private share(s: Scenario): number {
    const known = this.shared.get(s);
    if (known !== undefined) return known;
    const id = this.nextShare++;
    for (const port of this.ports) port.postMessage({ share: id, scenario: s } satisfies Share);
    this.shared.set(s, id);
    if (this.shared.size > KEEP_SHARED) this.shared.delete(this.shared.keys().next().value!);
    return id;
  }

  private affinityOf(s: Scenario): Map<number, number> {
    const key = flowKey(s);
    let m = this.affinity.get(key);
    if (m === undefined) {
      this.affinity.set(key, (m = new Map()));
      if (this.affinity.size > KEEP_SHARED) this.affinity.delete(this.affinity.keys().next().value!);
    }
    return m;
  }

  /** Run the replications of `base` (staffing from the task), blocking until all are back; sorted by replication index. */
  runSync(base: Scenario, task: PoolTask, replications: readonly number[]): RepResult[] {
    const d = this.dispatcher(base, task, replications);
    while (d.pending > 0) {
      // read the counter before looking at the ports: a reply that lands in between changes it,
      // and the wait then returns at once instead of sleeping past it
      const seen = Atomics.load(this.done, 0);
      if (d.collect() > 0) continue;
      if (this.died !== null) throw new Error(`replication worker failed: ${this.died}`);
      Atomics.wait(this.done, 0, seen, 1000);
    }
    return d.out.sort((a, b) => a.replication - b.replication);
  }

  /**
   * The same for the command line, without blocking the main thread. runSync's Atomics.wait
   * blocks the thread, and signal handlers only run when the event loop turns, so SIGINT/SIGTERM
   * would wait for the last replication. Here the main thread waits asynchronously (in slices of
   * at most 50 ms) while the workers compute: handlers run, `shouldStop` is asked every slice and,
   * when it turns true, the workers are terminated at once (a replication cannot be paused) and
   * null comes back; the pool is then closed. Each replication is its own message, so progress
   * counts them.
   */
  async run(base: Scenario, task: PoolTask, replications: readonly number[], opts: { shouldStop?: () => boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<RepResult[] | null> {
    const d = this.dispatcher(base, task, replications);
    while (d.pending > 0) {
      if (opts.shouldStop?.()) {
        this.close();
        return null;
      }
      if (this.died !== null) {
        this.close();
        throw new Error(`replication worker failed: ${this.died}`);
      }
      const seen = Atomics.load(this.done, 0);
      let got: number;
      try {
        got = d.collect();
      } catch (e) {
        this.close();
        throw e;
      }
      if (got > 0) opts.onProgress?.(d.out.length, replications.length);
      else {
        // woken by a worker's notify as soon as it replies, or after 50 ms to ask shouldStop. The
        // timer is what keeps the process alive meanwhile: a pending waitAsync does not (the
        // workers are unref'd), and Node would exit with an unsettled await.
        const w = Atomics.waitAsync(this.done, 0, seen, 50);
        if (w.async) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([w.value, new Promise((res) => { timer = setTimeout(res, 50); })]);
          clearTimeout(timer);
        } else await new Promise((res) => setImmediate(res));
      }
    }
    return d.out.sort((a, b) => a.replication - b.replication);
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }
}

// A pool started before the main thread loads the scenario: its workers start and import the
// model while the main thread loads (a quarter of a second on the built-in scenario), so they
// are ready to take it the moment it is loaded.
let warm: ReplicationPool | null = null;

/** Start `size` workers now; takePool hands them out later. */
export function prewarmPool(size: number): void {
  warm?.close();
  warm = new ReplicationPool(size);
  registerWarm(discardWarmPool);
}

/** The prewarmed pool if it has `size` workers, otherwise a new one (the other is closed). */
export function takePool(size: number): ReplicationPool {
  const w = warm;
  warm = null;
  registerWarm(null);
  if (w !== null && w.size === size) return w;
  w?.close();
  return new ReplicationPool(size);
}

/** Workers started ahead and not yet taken (tests, diagnostics). */
export function warmWorkers(): number {
  return warm?.size ?? 0;
}

/** Close a prewarmed pool nobody took (a run that stayed on the main thread). */
export function discardWarmPool(): void {
  warm?.close();
  warm = null;
  registerWarm(null);
}
