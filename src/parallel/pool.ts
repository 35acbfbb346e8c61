// Replications on worker threads, with a synchronous face: the caller blocks on a shared counter
// (Atomics.wait) and reads the results with receiveMessageOnPort, so the planner's loop stays a
// plain synchronous loop. Replication i always goes to worker i mod n, and results are sorted by
// replication index before use: the numbers are the same for any number of workers.

import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { RepResult } from '../model/replication.js';
import type { WorkerTask } from './worker.js';

/** The worker script: the compiled one, also when this module runs from source under a test runner. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/parallel/worker.js', here) : new URL('./worker.js', here);
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

export class ReplicationPool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(fileURLToPath(workerUrl()));
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ port: port2, done: this.done }, [port2]);
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
      const reply = msg?.message as { ok: boolean; reps?: RepResult[]; error?: string } | undefined;
      if (!reply || !reply.ok) throw new Error(`replication worker failed: ${reply?.error ?? 'no reply'}`);
      out.push(...reply.reps!);
    });
    return out.sort((a, b) => a.replication - b.replication);
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}
