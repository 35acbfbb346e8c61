// The queues: one per channel × intent × VIP, each an intrusive doubly-linked list over the
// contact records (I.PREV, I.NEXT), so a contact joins, leaves on abandonment and is taken from
// anywhere in O(1). A free agent takes the waiting contact of highest priority (lowest number),
// the longest waiting within a priority, from the queues its pool serves.

import type { RecordStore } from '../engine/store.js';
import type { CompiledModel } from './compile.js';
import { A, AgentState, ContactState, F, I, Rec } from './records.js';

export class Queues {
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly priority: Int32Array;
  readonly channel: Int32Array;

  constructor(model: CompiledModel, private readonly contacts: RecordStore) {
    const nq = model.queues.length;
    this.head = new Int32Array(nq).fill(-1);
    this.tail = new Int32Array(nq).fill(-1);
    this.priority = Int32Array.from(model.queues.map((q) => q.priority));
    this.channel = Int32Array.from(model.queues.map((q) => q.channel));
  }

  enqueue(c: number, q: number): void {
    const ci = this.contacts.i;
    const tail = this.tail[q];
    ci[c * Rec.CI + I.PREV] = tail;
    ci[c * Rec.CI + I.NEXT] = -1;
    if (tail >= 0) ci[tail * Rec.CI + I.NEXT] = c;
    else this.head[q] = c;
    this.tail[q] = c;
  }

  unlink(c: number, q: number): void {
    const ci = this.contacts.i;
    const p = ci[c * Rec.CI + I.PREV], n = ci[c * Rec.CI + I.NEXT];
    if (p >= 0) ci[p * Rec.CI + I.NEXT] = n;
    else this.head[q] = n;
    if (n >= 0) ci[n * Rec.CI + I.PREV] = p;
    else this.tail[q] = p;
  }

  /**
   * Highest priority first (queues are sorted by priority), the longest-waiting head within a
   * priority; a queue whose head has not waited its `after` for this pool is skipped. -1: none.
   */
  pickFrom(qs: Int32Array, after: Float64Array, now: number): number {
    const cf = this.contacts.f;
    let best = -1, bestPri = 0, bestT = 0;
    for (let j = 0; j < qs.length; j++) {
      const q = qs[j];
      const head = this.head[q];
      if (head < 0) continue;
      const pri = this.priority[q];
      if (best >= 0 && pri > bestPri) break;
      const t = cf[head * Rec.CF + F.OFFERT];
      if (after[j] > 0 && t + after[j] > now) continue; // not waited long enough for this pool
      if (best < 0 || t < bestT) {
        best = head;
        bestPri = pri;
        bestT = t;
      }
    }
    return best;
  }
}
