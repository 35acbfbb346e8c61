// The future-event list: a binary min-heap on typed arrays, ordered by (time, priority, seq).
// It knows nothing of customers or agents: an event is a time, a small integer priority and an
// int32 payload the model decodes. No object is allocated per event.
//
// Tie-break policy (the only place it is written down): events at the same time run in
// ascending priority; events with the same time and priority run in the order they were
// scheduled (seq is a global integer counter, never a string or a float id).
//
// Every scheduled event gets a unique key = priority * 2^44 + seq. The key is both the heap's
// tie-breaker and a cancellation token: an owner that may cancel a timer stores its key, and a
// popped event whose key no longer matches the owner's is stale (lazy cancellation; nothing is
// ever spliced out of the heap).

const SEQ_SPAN = 2 ** 44; // 1.7e13 events per run before seq would reach the priority bits
export const MAX_PRIORITY = 2 ** 9 - 1; // keeps pri * 2^44 + seq below 2^53 (exact in a double)

export class EventQueue {
  private ht: Float64Array; // event time
  private hk: Float64Array; // key = priority * 2^44 + seq
  private hp: Int32Array; // payload
  private n = 0; // slots in use, including a held root
  private seq = 0;
  // The event being handled stays at the root until the handler's first push, which
  // replaces it with a single sift-down (a fused pop+push; 15–30% faster in the peer
  // benchmark than pop then push). A handler that pushes nothing gets a plain pop.
  private held = false;
  /** Time of the event last returned by next(). */
  now = 0;
  /** Key of the event last returned by next(). */
  key = 0;
  /** Key of the event last pushed. */
  lastKey = 0;

  constructor(capacity = 1024) {
    this.ht = new Float64Array(capacity);
    this.hk = new Float64Array(capacity);
    this.hp = new Int32Array(capacity);
  }

  /** Events still pending, not counting one being handled. */
  get size(): number {
    return this.held ? this.n - 1 : this.n;
  }

  /** Time of the earliest pending event (Infinity when none). */
  peekTime(): number {
    if (this.held) this.dropRoot();
    return this.n > 0 ? this.ht[0] : Infinity;
  }

  /**
   * Schedule an event. Its key is left in `lastKey` (returning it would box a double on every
   * call that V8 does not inline). Time must not lie before the current event: a negative delay
   * is a model bug and is loud, as in SimPy.
   */
  push(t: number, priority: number, payload: number): void {
    if (!(t >= this.now)) throw pastEvent(t, this.now);
    const key = priority * SEQ_SPAN + this.seq++;
    this.lastKey = key;
    if (this.held) {
      this.held = false;
      this.ht[0] = t;
      this.hk[0] = key;
      this.hp[0] = payload;
      siftDown(this.ht, this.hk, this.hp, this.n);
    } else {
      if (this.n === this.ht.length) this.grow();
      const i = this.n++;
      this.ht[i] = t;
      this.hk[i] = key;
      this.hp[i] = payload;
      siftUp(this.ht, this.hk, this.hp, i);
    }
  }

  /**
   * Advance to the earliest event and return its payload, or -1 when no event is left.
   * Sets `now` and `key`. The previous event is removed first if its handler pushed nothing.
   */
  next(): number {
    if (this.held) this.dropRoot();
    if (this.n === 0) return -1;
    this.now = this.ht[0];
    this.key = this.hk[0];
    this.held = true;
    return this.hp[0];
  }

  /** Forget every pending event (the clock stays). */
  clear(): void {
    this.n = 0;
    this.held = false;
  }

  private dropRoot(): void {
    this.held = false;
    const n = --this.n;
    if (n > 0) {
      this.ht[0] = this.ht[n];
      this.hk[0] = this.hk[n];
      this.hp[0] = this.hp[n];
      siftDown(this.ht, this.hk, this.hp, n);
    }
  }

  private grow(): void {
    const cap = this.ht.length * 2;
    const ht = new Float64Array(cap);
    ht.set(this.ht);
    this.ht = ht;
    const hk = new Float64Array(cap);
    hk.set(this.hk);
    this.hk = hk;
    const hp = new Int32Array(cap);
    hp.set(this.hp);
    this.hp = hp;
  }
}

// Out of push, whose size decides whether V8 inlines it into the model's handlers.
function pastEvent(t: number, now: number): RangeError {
  return new RangeError(`event scheduled in the past or at NaN: ${t} < ${now}`);
}

// Heap operations are plain functions over the arrays rather than methods: V8 inlines them
// into push/next with the arrays in registers (about 20% faster than methods reading this.*).
// Keys are read only when two times tie, which is rare, but then they decide the order; reading
// them on every level made the heap about 15% slower (bench/run.mjs). The entry to move is
// passed by its slot, not by value: where V8 does not inline a sift (its inlining budget runs
// out in the larger handlers), a time or key passed as an argument would be boxed, one heap
// allocation per call.

/** Move the entry at slot i up to its place. */
function siftUp(ht: Float64Array, hk: Float64Array, hp: Int32Array, i: number): void {
  const t = ht[i], k = hk[i], p = hp[i];
  while (i > 0) {
    const par = (i - 1) >> 1;
    const pt = ht[par];
    if (pt < t || (pt === t && hk[par] < k)) break;
    ht[i] = pt;
    hk[i] = hk[par];
    hp[i] = hp[par];
    i = par;
  }
  ht[i] = t;
  hk[i] = k;
  hp[i] = p;
}

/** Move the entry at the root of a heap of n entries down to its place. */
function siftDown(ht: Float64Array, hk: Float64Array, hp: Int32Array, n: number): void {
  const t = ht[0], k = hk[0], p = hp[0];
  const half = n >> 1;
  let i = 0;
  while (i < half) {
    let m = 2 * i + 1;
    let mt = ht[m];
    if (m + 1 < n) {
      const rt = ht[m + 1];
      if (rt < mt || (rt === mt && hk[m + 1] < hk[m])) {
        m++;
        mt = rt;
      }
    }
    if (t < mt || (t === mt && k < hk[m])) break;
    ht[i] = mt;
    hk[i] = hk[m];
    hp[i] = hp[m];
    i = m;
  }
  ht[i] = t;
  hk[i] = k;
  hp[i] = p;
}
