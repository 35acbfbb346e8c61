// The agents of every pool: one record each (pool, load, state, the contacts it holds), level
// sets that find the least-loaded agent with a free slot in O(concurrency), agents coming on and
// going off duty, and who leaves when a pool's staffing drops at a shift end.
//
// Level sets: agents on duty in pool p with load L < k are in sets[p * (kMax + 1) + L] (a stack with
// positions, for O(1) removal); fully loaded agents are in none, which saves two set moves per
// contact at concurrency 1. pickAgent scans L = 0 .. k-1: least loaded first.

import type { Handover } from '../scenario/types.js';
import type { Recorder } from '../stats/recorder.js';
import type { CompiledModel } from './compile.js';
import { A, AgentState, ContactState, F, I, Rec } from './records.js';
import type { TraceSink } from './trace.js';

export class Agents {
  readonly kMax: number;
  /** int32s per agent record (fields A_*, then the contacts it holds from A.CHATS). */
  readonly stride: number;
  // Agent records: a service completion, which finds its agent cold, touches one cache line
  // rather than one per field (bench/run.mjs).
  ag = new Int32Array(0);
  /** When each agent came on duty (who goes home first). */
  private start = new Float64Array(0);
  private cap = 0;
  private readonly free: number[] = [];
  /** Agent records in use or freed (the free ones are on `free`). */
  count = 0;
  readonly sets: Int32Array[];
  readonly setSize: Int32Array;
  /** Agents on duty and taking work, per pool. */
  readonly onDuty: Int32Array;
  /** 'first-free': agents a pool still has to send home as they free up. */
  readonly pendingLeave: Int32Array;

  constructor(private readonly m: CompiledModel, private readonly rec: Recorder, private readonly trace: TraceSink | null) {
    this.kMax = Math.max(1, ...m.pools.map((p) => p.concurrency));
    this.stride = 8 * Math.ceil((A.CHATS + this.kMax) / 8);
    const nSets = m.pools.length * (this.kMax + 1);
    this.sets = Array.from({ length: nSets }, () => new Int32Array(16));
    this.setSize = new Int32Array(nSets);
    this.onDuty = new Int32Array(m.pools.length);
    this.pendingLeave = new Int32Array(m.pools.length);
    this.grow(64);
  }

  /** The least-loaded agent of pool p with a free slot, or -1. */
  pickAgent(p: number): number {
    const k = this.m.pools[p].concurrency;
    const base = p * (this.kMax + 1);
    for (let l = 0; l < k; l++) {
      const n = this.setSize[base + l];
      if (n > 0) return this.sets[base + l][n - 1];
    }
    return -1;
  }

  setAdd(a: number, p: number, l: number): void {
    const i = p * (this.kMax + 1) + l;
    let arr = this.sets[i];
    const n = this.setSize[i];
    if (n === arr.length) {
      const b = new Int32Array(n * 2);
      b.set(arr);
      arr = this.sets[i] = b;
    }
    arr[n] = a;
    this.ag[a * this.stride + A.POS] = n;
    this.setSize[i] = n + 1;
  }

  setRemove(a: number, p: number, l: number): void {
    const i = p * (this.kMax + 1) + l;
    const arr = this.sets[i];
    const n = this.setSize[i] - 1;
    const pos = this.ag[a * this.stride + A.POS];
    const last = arr[n];
    arr[pos] = last;
    this.ag[last * this.stride + A.POS] = pos;
    this.setSize[i] = n;
  }

  /** Level sets hold agents with a free slot (load < k); a full agent is in none. */
  levelChanged(a: number, p: number, k: number, from: number, to: number): void {
    if (from < k) this.setRemove(a, p, from);
    if (to < k) this.setAdd(a, p, to);
  }

  /** A new agent of pool p comes on duty, idle. */
  agentOn(p: number, now: number): number {
    let a: number;
    if (this.free.length > 0) a = this.free.pop()!;
    else {
      if (this.count === this.cap) this.grow(this.cap * 2);
      a = this.count++;
    }
    const g = a * this.stride;
    this.ag[g + A.POOL] = p;
    this.ag[g + A.LOAD] = 0;
    this.ag[g + A.STATE] = AgentState.ON;
    this.ag[g + A.TICKET] = 0;
    this.start[a] = now;
    this.setAdd(a, p, 0);
    this.onDuty[p]++;
    this.rec.agentPresent(p, 1, now);
    if (this.trace !== null) this.trace(now, 'agent-on', -1, -1, p, a);
    return a;
  }

  agentOff(a: number, p: number, now: number): void {
    this.ag[a * this.stride + A.STATE] = AgentState.OFF;
    this.free.push(a);
    this.rec.agentPresent(p, -1, now);
    if (this.trace !== null) this.trace(now, 'agent-off', -1, -1, p, a);
  }

  /** The agent takes no new work and goes when its contacts are done. */
  makeLeaving(a: number, p: number, now: number): void {
    this.ag[a * this.stride + A.STATE] = AgentState.LEAVING;
    this.onDuty[p]--;
    if (this.trace !== null) this.trace(now, 'agent-leaving', -1, -1, p, a);
  }

  /**
   * Pool p must lose `remove` agents at a shift end. Idle agents go at once under either rule.
   * 'first-free': the rest leave one by one as they next free a slot (pendingLeave);
   * 'finish-in-hand': the least-loaded agents are told now and finish their chats (fully loaded
   * ones last). Within a level, those on duty longest go first, then the lowest number.
   */
  sendHome(p: number, remove: number, handover: Handover, now: number): void {
    const base = p * (this.kMax + 1);
    for (const a of this.bySeniority(base, remove)) {
      this.setRemove(a, p, 0);
      this.onDuty[p]--;
      this.agentOff(a, p, now);
      remove--;
    }
    if (remove === 0) return;
    if (handover === 'first-free') {
      this.pendingLeave[p] += remove;
      return;
    }
    const k = this.m.pools[p].concurrency;
    for (let l = 1; l < k && remove > 0; l++) {
      for (const a of this.bySeniority(base + l, remove)) {
        this.setRemove(a, p, l);
        this.makeLeaving(a, p, now);
        remove--;
      }
    }
    if (remove === 0) return;
    // then fully loaded agents, who are in no level set
    const loaded: number[] = [];
    for (let a = 0; a < this.count; a++) {
      if (this.ag[a * this.stride + A.POOL] === p && this.ag[a * this.stride + A.STATE] === AgentState.ON) loaded.push(a);
    }
    for (const a of this.seniorFirst(loaded, remove)) {
      this.makeLeaving(a, p, now);
      remove--;
    }
  }

  /**
   * Up to k members of a level set in the order they go home: on duty longest first, then the
   * lowest number. Sorted once rather than searched for one by one: sending k of n agents home
   * cost O(k·n), hours when a plan of a hundred thousand agents fell by half (the fuzzer's).
   */
  private bySeniority(set: number, k: number): number[] {
    const arr = this.sets[set], n = this.setSize[set];
    const members: number[] = [];
    for (let j = 0; j < n; j++) members.push(arr[j]);
    return this.seniorFirst(members, k);
  }

  private seniorFirst(agents: number[], k: number): number[] {
    if (k <= 0 || agents.length === 0) return [];
    return agents.sort((a, b) => this.start[a] - this.start[b] || a - b).slice(0, k);
  }

  private grow(cap: number): void {
    const g = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.ag = g(this.ag, cap * this.stride);
    this.start = g(this.start, cap);
    this.cap = cap;
  }
}
