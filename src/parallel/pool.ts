// Replications on worker threads, with a synchronous face: the caller blocks on a shared counter
// (Atomics.wait) and reads the results with receiveMessageOnPort, so the planner's loop stays a
// plain synchronous loop. Replication i always goes to worker i mod n, and results are sorted by
// replication index before use: the numbers are the same for any number of workers.

import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { InputError, type Place } from '../errors.js';
import type { RepResult } from '../model/replication.js';
import type { Preload, WorkerTask } from './worker.js';
import type { LoadOptions } from '../scenario/load.js';

/** The worker script: the compiled one, also when this module runs from source under a test runner. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/parallel/worker.js', here) : new URL('./worker.js', here);
}

interface Reply { ok: boolean; reps?: RepResult[]; error?: string; input?: { detail: string; place: Place } }

/** A worker's error: the user's (an InputError, rebuilt here) or a bug (with the worker's stack). */
function failure(reply: Reply | undefined): Error {
  if (reply?.input) return new InputError(reply.input.detail, reply.input.place);
  return new Error(`replication worker failed: ${reply?.error ?? 'no reply'}`);
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

export class ReplicationPool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  /** A worker that died without replying (out of heap, say): run() must not wait for it forever. */
  private died: string | null = null;
  private closed = false;

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

  /** Run the replications, blocking until all are back; sorted by replication index. */
  runSync(task: Omit<WorkerTask, 'replications'>, replications: readonly number[]): RepResult[] {
    const parts: number[][] = this.workers.map(() => []);
    replications.forEach((r, k) => parts[k % this.size].push(r));
    const start = Atomics.load(this.done, 0);
    let sent = 0;
    parts.forEach((reps, i) => {
      if (reps.length === 0) return;
      this.ports[i].postMessage({ ...task, replications: reps } satisfies WorkerTask);
      sent++;
    });
    while (Atomics.load(this.done, 0) - start < sent) {
      Atomics.wait(this.done, 0, Atomics.load(this.done, 0), 1000);
    }
    const out: RepResult[] = [];
    parts.forEach((reps, i) => {
      if (reps.length === 0) return;
      const msg = receiveMessageOnPort(this.ports[i]);
      const reply = msg?.message as Reply | undefined;
      if (!reply || !reply.ok) throw failure(reply);
      out.push(...reply.reps!);
    });
    return out.sort((a, b) => a.replication - b.replication);
  }

  /**
   * The same for the command line, without blocking the main thread. runSync's Atomics.wait
   * blocks the thread, and signal handlers only run when the event loop turns, so SIGINT/SIGTERM
   * would wait for the last replication. Here the main thread waits in short asynchronous slices
   * while the workers compute: handlers run, `shouldStop` is asked every slice and, when it turns
   * true, the workers are terminated at once (a replication cannot be paused) and null comes back;
   * the pool is then closed. Each replication is its own message, so progress counts them.
   */
  async run(task: Omit<WorkerTask, 'replications'>, replications: readonly number[], opts: { shouldStop?: () => boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<RepResult[] | null> {
    replications.forEach((r, k) => this.ports[k % this.size].postMessage({ ...task, replications: [r] } satisfies WorkerTask));
    const out: RepResult[] = [];
    while (out.length < replications.length) {
      if (opts.shouldStop?.()) {
        this.close();
        return null;
      }
      if (this.died !== null) {
        this.close();
        throw new Error(`replication worker failed: ${this.died}`);
      }
      let got = false;
      for (const port of this.ports) {
        for (let msg = receiveMessageOnPort(port); msg !== undefined; msg = receiveMessageOnPort(port)) {
          const reply = msg.message as Reply;
          if (!reply.ok) {
            this.close();
            throw failure(reply);
          }
          out.push(...reply.reps!);
          got = true;
        }
      }
      if (got) opts.onProgress?.(out.length, replications.length);
      else await new Promise((res) => setTimeout(res, 20));
    }
    return out.sort((a, b) => a.replication - b.replication);
  }

  /** Have every worker load the scenario now, while the main thread loads it too. */
  preload(file: string, load: LoadOptions): void {
    for (const port of this.ports) port.postMessage({ preload: true, file, load } satisfies Preload);
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }
}

// A pool started before the main thread loads the scenario. Loading the built-in scenario takes
// a quarter of a second, and each worker loads it as well: started early, the workers load while
// the main thread does, instead of after it (a serial quarter second less on every run, which is
// most of what stood between two workers and twice the speed on ten replications).
let warm: ReplicationPool | null = null;

/** Start `size` workers loading `file` now; takePool hands them out later. */
export function prewarmPool(size: number, file: string, load: LoadOptions): void {
  warm?.close();
  warm = new ReplicationPool(size);
  warm.preload(file, load);
}

/** The prewarmed pool if it has `size` workers, otherwise a new one (the other is closed). */
export function takePool(size: number): ReplicationPool {
  const w = warm;
  warm = null;
  if (w !== null && w.size === size) return w;
  w?.close();
  return new ReplicationPool(size);
}

/** Close a prewarmed pool nobody took (a run that stayed on the main thread). */
export function discardWarmPool(): void {
  warm?.close();
  warm = null;
}
