// The future-event list, ordered by (time, priority, seq). It knows nothing of customers or
// agents: an event is a time, a small integer priority and an int32 payload the model decodes.
// No object is allocated per event.
//
// Tie-break policy (the only place it is written down): events at the same time run in
// ascending priority; events with the same time and priority run in the order they were
// scheduled (seq is a global integer counter, never a string or a float id).
//
// Every scheduled event gets a unique key = priority * 2^44 + seq. The key is both the
// tie-breaker and a cancellation token: an owner that may cancel a timer stores its key, and a
// popped event whose key no longer matches the owner's is stale (lazy cancellation; nothing is
// ever spliced out).
//
// Layout. Time is cut into buckets of width w, bucket(t) = floor(t / w), and buckets into pages
// of B1 buckets. The events of the buckets before `cur` sit in a binary min-heap on typed arrays
// (the near heap). The other events wait unsorted in lists: those of the current page in its
// bucket (rung 1, B1 lists), those of the next B2 pages in their page (rung 2, B2 lists), later
// ones in a second heap (the far heap). So while the near heap is not empty its root is the
// earliest event of all; when it empties, the next non-empty bucket moves into it, and when the
// page is used up, the next page spreads into rung 1. Why: a contact centre schedules most events
// minutes to days ahead (service ends, patience, deliveries) while the clock moves in
// milliseconds, and one heap of all of them made every pop sift through a dozen levels or more;
// the near heap holds a few events, and a list insert is O(1). On the M/M/c+M bench (3,100
// service ends pending) the queue became about twice as fast as one binary heap. w adapts to the
// traffic (see review); the order of events never depends on w or on the layout, only the work.

import { giveBuffer, giveStore, takeBuffer, takeStore } from './spare.js';

const SEQ_SPAN = 2 ** 44; // 1.7e13 events per run before seq would reach the priority bits
export const MAX_PRIORITY = 2 ** 9 - 1; // keeps pri * 2^44 + seq below 2^53 (exact in a double)

const B1 = 1024; // buckets in a page (a power of two)
const B2 = 1024; // pages in rung 2 (a power of two)
const REFILLS_PER_REVIEW = 64; // how often the bucket width is reviewed
const EMPTY = new Float64Array(0);
const LIST_PAGES = 16; // events at most this many pages ahead wait in rung 2's lists, later ones in its arrays

/** The rung-2 page arrays and the sorted page, handed from one queue to the next (spare.ts). */
interface Pages {
  readonly r2: Float64Array[];
  readonly pb: Float64Array;
}

export class EventQueue {
  // ---- near heap: time, key, payload ----
  private ht: Float64Array;
  private hk: Float64Array;
  private hp: Int32Array;
  private n = 0; // slots in use, including a held root
  // The event being handled stays at the root until the handler's first push, if that push goes
  // to the near heap: it replaces the root with a single sift-down (a fused pop+push; 15–30%
  // faster in the peer benchmark than pop then push). Otherwise next() pops it.
  private held = false;

  // ---- rung 1: the current page's events, by bucket ----
  // Pushed while their page is current: singly linked lists over slots, one per bucket.
  private st: Float64Array;
  private sk: Float64Array;
  private sp: Int32Array;
  private snext: Int32Array;
  private freeSlot = -1;
  private readonly rung1 = new Int32Array(B1).fill(-1); // first slot of each bucket of the current page
  // Pushed earlier (they waited in rung 2): sorted by bucket when the page became current, as
  // (time, key, payload) triples; bucket i of the page holds pb[3 * pStart[i] .. 3 * pStart[i + 1]).
  private pb: Float64Array;
  private readonly pStart = new Int32Array(B1 + 1);
  private readonly fillAt = new Int32Array(B1 + 1); // (spreadPage's write positions)
  /** Events of rung 1, in lists and in pb, not yet moved to the near heap. */
  private n1 = 0;

  // ---- rung 2: later pages' events, by page mod B2 ----
  // Events at most LIST_PAGES pages ahead (a service end, a patience timer) wait in linked lists
  // over slots, like rung 1: their slots are still in cache when the page comes up.
  private readonly rung2 = new Int32Array(B2).fill(-1); // first slot of each later page's list
  // Later ones are appended to the page's array as (time, key, payload) triples and sorted by
  // bucket into pb when the page comes up. Why: an order flow schedules most of its events days
  // ahead (deliveries, where-is-my-order checks, caused questions: 600,000 of the 1.1 million
  // events of a replication of the built-in scenario); in lists over slots scattered across
  // megabytes, moving them on cost cache misses on every field of every event, a sixth of a
  // replication's time, while arrays are read and written in order. For events minutes ahead the
  // lists stayed faster (all arrays: the M/M/c+M bench 27% slower). The arrays, like the slots,
  // pass from one replication to the next on a thread (spare.ts): grown afresh each time, they
  // cost as much as they saved.
  private readonly r2: Float64Array[];
  private readonly r2n = new Int32Array(B2); // triples in each page's array
  /** Events of rung 2, in lists and arrays. */
  private n2 = 0;
  // The three doubles below start as -0 rather than 0 (set in the constructor): a field that
  // first holds a small integer and later a fraction changes the object's shape, and V8 then
  // throws away every optimised function that uses the queue, mid-run.
  /** Bucket width and its inverse (powers of two, so t * inv is exact). */
  private w = -0;
  private inv = -0;
  /** The first bucket not yet moved to the near heap (a double: buckets may count past 2^31). */
  private cur = -0;
  /** The current page (cur lies in it, or just past its end). */
  private page = 0;

  // ---- far heap: events more than B2 pages ahead ----
  private ft: Float64Array;
  private fk: Float64Array;
  private fp: Int32Array;
  private fn = 0;

  // width review: events moved and empty buckets passed over since the last review
  private refills = 0;
  private moved = 0;
  private skipped = 0;

  private seq = 0;
  // -0 for the reason given at w: times and keys are fractions and numbers past 2^31, and a first
  // replication that turned these from small integers into doubles gave the queue a new shape, so
  // that the next replication's queue no longer matched what the model's optimised code expected
  // of Simulation.eq, and V8 discarded all of it at that replication's start.
  /** Time of the event last returned by next(). */
  now = -0;
  /** Key of the event last returned by next(). */
  key = -0;
  /** Key of the event last pushed. */
  lastKey = -0;

  constructor(capacity = 1024) {
    this.ht = new Float64Array(capacity);
    this.hk = new Float64Array(capacity);
    this.hp = new Int32Array(capacity);
    this.w = 1;
    this.inv = 1;
    this.cur = 0;
    this.page = 0; // written here so that V8 does not treat it as a constant (see Recorder's constructor)
    this.st = new Float64Array(0);
    this.sk = new Float64Array(0);
    this.sp = new Int32Array(0);
    this.snext = new Int32Array(0);
    // the slots: spares from the last replication on this thread if it gave them back, else new
    this.useSlots(
      new Float64Array(takeBuffer('events.t', capacity * 8)), new Float64Array(takeBuffer('events.k', capacity * 8)),
      new Int32Array(takeBuffer('events.p', capacity * 4)), new Int32Array(takeBuffer('events.next', capacity * 4)),
    );
    this.ft = new Float64Array(64);
    this.fk = new Float64Array(64);
    this.fp = new Int32Array(64);
    const pages = takeStore<Pages>('events.pages');
    this.r2 = pages?.r2 ?? Array.from({ length: B2 }, () => EMPTY);
    this.pb = pages?.pb ?? new Float64Array(3 * 64);
  }

  /** Events still pending, not counting one being handled. */
  get size(): number {
    return (this.held ? this.n - 1 : this.n) + this.n1 + this.n2 + this.fn;
  }

  /** Time of the earliest pending event (Infinity when none). */
  peekTime(): number {
    if (this.held) this.dropRoot();
    if (this.n === 0 && !this.refill()) return Infinity;
    return this.ht[0];
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
    const b = Math.floor(t * this.inv);
    if (b < this.cur) this.pushNear(t, key, payload);
    else this.pushLater(t, key, payload, b);
  }

  /**
   * Advance to the earliest event and return its payload, or -1 when no event is left.
   * Sets `now` and `key`. The previous event is removed first if its handler pushed nothing
   * to the near heap.
   */
  next(): number {
    if (this.held) this.dropRoot();
    if (this.n === 0 && !this.refill()) return -1;
    this.now = this.ht[0];
    this.key = this.hk[0];
    this.held = true;
    return this.hp[0];
  }

  /** Forget every pending event (the clock stays). */
  clear(): void {
    this.n = 0;
    this.held = false;
    this.rung1.fill(-1);
    this.rung2.fill(-1);
    this.pStart.fill(0);
    this.r2n.fill(0);
    this.n1 = this.n2 = this.fn = 0;
    this.growSlots(0); // rebuilds the free list over every slot
  }

  private pushNear(t: number, key: number, payload: number): void {
    if (this.held) {
      this.held = false;
      this.ht[0] = t;
      this.hk[0] = key;
      this.hp[0] = payload;
      siftDown(this.ht, this.hk, this.hp, this.n);
    } else {
      if (this.n === this.ht.length) this.growNear();
      const i = this.n++;
      this.ht[i] = t;
      this.hk[i] = key;
      this.hp[i] = payload;
      siftUp(this.ht, this.hk, this.hp, i);
    }
  }

  /** An event of bucket b >= cur: into rung 1, rung 2 or the far heap. */
  private pushLater(t: number, key: number, payload: number, b: number): void {
    const ahead = Math.floor(b * (1 / B1)) - this.page; // pages ahead
    if (ahead === 0) this.n1++, this.toList(this.rung1, b - this.page * B1, t, key, payload);
    else if (ahead <= LIST_PAGES) this.n2++, this.toList(this.rung2, (this.page + ahead) & (B2 - 1), t, key, payload);
    else if (ahead <= B2) this.n2++, this.toPage((this.page + ahead) & (B2 - 1), t, key, payload);
    else this.pushFar(t, key, payload);
  }

  /** Append to a later page's array in rung 2. */
  private toPage(j: number, t: number, key: number, payload: number): void {
    let a = this.r2[j];
    const i = 3 * this.r2n[j]++;
    if (i === a.length) {
      const b = new Float64Array(Math.max(48, 2 * a.length));
      b.set(a);
      this.r2[j] = a = b;
    }
    a[i] = t;
    a[i + 1] = key;
    a[i + 2] = payload;
  }

  /**
   * The page's events from rung 2 into pb, sorted by bucket (a counting sort: two passes in
   * order over the page's array). The page has just become current: cur is its first bucket.
   */
  private spreadPage(j: number): void {
    const a = this.r2[j], m = this.r2n[j], c = this.pStart, inv = this.inv, first = this.cur;
    this.r2n[j] = 0;
    this.n2 -= m;
    this.n1 += m;
    c.fill(0);
    for (let i = 0; i < 3 * m; i += 3) c[Math.floor(a[i] * inv) - first + 1]++;
    for (let i = 0; i < B1; i++) c[i + 1] += c[i];
    if (3 * m > this.pb.length) this.pb = new Float64Array(Math.max(3 * m, 2 * this.pb.length));
    const pb = this.pb, at = this.fillAt;
    at.set(c);
    for (let i = 0; i < 3 * m; i += 3) {
      const o = 3 * at[Math.floor(a[i] * inv) - first]++;
      pb[o] = a[i];
      pb[o + 1] = a[i + 1];
      pb[o + 2] = a[i + 2];
    }
  }

  private toList(heads: Int32Array, i: number, t: number, key: number, payload: number): void {
    if (this.freeSlot < 0) this.growSlots(this.snext.length * 2);
    const s = this.freeSlot;
    this.freeSlot = this.snext[s];
    this.st[s] = t;
    this.sk[s] = key;
    this.sp[s] = payload;
    this.snext[s] = heads[i];
    heads[i] = s;
  }

  private pushFar(t: number, key: number, payload: number): void {
    if (this.fn === this.ft.length) {
      this.ft = grow(this.ft, this.fn * 2);
      this.fk = grow(this.fk, this.fn * 2);
      this.fp = grow(this.fp, this.fn * 2);
    }
    const i = this.fn++;
    this.ft[i] = t;
    this.fk[i] = key;
    this.fp[i] = payload;
    siftUp(this.ft, this.fk, this.fp, i);
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

  /**
   * The near heap is empty: move the next non-empty bucket into it (false when no event is
   * left). Every REFILLS_PER_REVIEW refills the width is reviewed: buckets of many events make
   * a deep near heap, mostly empty buckets make refills walk the rung, so the width shrinks or
   * grows fourfold (rebuilding the layout) to keep a few events per bucket.
   */
  private refill(): boolean {
    for (;;) {
      if (this.n1 > 0) {
        // the next non-empty bucket of this page
        const end = (this.page + 1) * B1;
        while (this.cur < end) {
          const i = this.cur - this.page * B1;
          let s = this.rung1[i];
          const from = this.pStart[i], to = this.pStart[i + 1];
          this.cur++;
          if (s < 0 && from === to) {
            this.skipped++;
            continue;
          }
          this.rung1[i] = -1;
          let m = to - from;
          const pb = this.pb;
          for (let o = 3 * from; o < 3 * to; o += 3) this.pushNear(pb[o], pb[o + 1], pb[o + 2]);
          while (s >= 0) {
            const next = this.snext[s];
            this.pushNear(this.st[s], this.sk[s], this.sp[s]);
            this.freeSlotAt(s);
            s = next;
            m++;
          }
          this.n1 -= m;
          this.moved += m;
          if (++this.refills === REFILLS_PER_REVIEW) this.review();
          return true;
        }
      }
      // this page is used up: the next page with events becomes current
      if (this.n2 > 0) {
        let j: number;
        do j = ++this.page & (B2 - 1);
        while (this.rung2[j] < 0 && this.r2n[j] === 0);
        this.cur = this.page * B1;
        this.spreadPage(j);
        // the page's list into rung 1's lists
        let s = this.rung2[j];
        this.rung2[j] = -1;
        while (s >= 0) {
          const next = this.snext[s];
          const i = Math.floor(this.st[s] * this.inv) - this.cur;
          this.snext[s] = this.rung1[i];
          this.rung1[i] = s;
          this.n1++;
          this.n2--;
          s = next;
        }
      } else if (this.fn > 0) {
        // nothing within B2 pages: jump to the far heap's earliest page
        const b = Math.floor(this.ft[0] * this.inv);
        if (!(b < Infinity)) {
          // only events at t = Infinity are left: they run last, one by one in key order (the
          // far heap keeps ordering any that are pushed meanwhile, all at Infinity too)
          this.pushNear(this.ft[0], this.fk[0], this.popFar());
          return true;
        }
        this.page = Math.floor(b * (1 / B1)) - 1; // the loop above then takes this page from rung 2
      } else return false;
      this.pullFar();
    }
  }

  private freeSlotAt(s: number): void {
    this.snext[s] = this.freeSlot;
    this.freeSlot = s;
  }

  /** Far events that rung 2 now reaches (the page moved on) go into it. */
  private pullFar(): void {
    while (this.fn > 0) {
      const b = Math.floor(this.ft[0] * this.inv);
      const ahead = Math.floor(b * (1 / B1)) - this.page;
      if (!(ahead <= B2)) return;
      const t = this.ft[0], k = this.fk[0];
      this.pushLater(t, k, this.popFar(), b);
    }
  }

  /** Remove the far heap's root; returns its payload. */
  private popFar(): number {
    const p = this.fp[0];
    const n = --this.fn;
    if (n > 0) {
      this.ft[0] = this.ft[n];
      this.fk[0] = this.fk[n];
      this.fp[0] = this.fp[n];
      siftDown(this.ft, this.fk, this.fp, n);
    }
    return p;
  }

  private review(): void {
    const perBucket = this.moved / this.refills, emptyPerRefill = this.skipped / this.refills;
    this.refills = this.moved = this.skipped = 0;
    // Limits: events at one instant share a bucket however narrow, so narrowing stops at 2^-20
    // (and while bucket numbers stay far below 2^53, where cur + 1 would equal cur).
    if (perBucket > 24 && this.w > 2 ** -20 && this.now * this.inv < 2 ** 40) this.rebuild(this.w / 4);
    else if (perBucket < 3 && emptyPerRefill > 8 && this.w < 2 ** 30) this.rebuild(this.w * 4);
  }

  /**
   * Change the bucket width. Called from refill, so no root is held and the near heap holds
   * events that all lie before every event in the ring and the far heap. The new `cur` is the
   * bucket after the near heap's latest event; ring and far events before it join the near heap.
   */
  private rebuild(w: number): void {
    // every event outside the near heap is taken out and scheduled again at the new width
    const m = this.n1 + this.n2 + this.fn;
    const t = new Float64Array(m), k = new Float64Array(m), p = new Float64Array(m);
    let x = 0;
    const take = (tt: number, kk: number, pp: number) => {
      t[x] = tt;
      k[x] = kk;
      p[x++] = pp;
    };
    for (const heads of [this.rung1, this.rung2]) {
      for (let i = 0; i < heads.length; i++) {
        for (let s = heads[i]; s >= 0;) {
          const next = this.snext[s];
          take(this.st[s], this.sk[s], this.sp[s]);
          this.freeSlotAt(s);
          s = next;
        }
        heads[i] = -1;
      }
    }
    // the current page's sorted events not yet moved: those of the buckets from cur on
    const pb = this.pb;
    for (let o = 3 * this.pStart[Math.max(0, Math.min(B1, this.cur - this.page * B1))]; o < 3 * this.pStart[B1]; o += 3) take(pb[o], pb[o + 1], pb[o + 2]);
    this.pStart.fill(0);
    for (let j = 0; j < B2; j++) {
      const a = this.r2[j];
      for (let o = 0; o < 3 * this.r2n[j]; o += 3) take(a[o], a[o + 1], a[o + 2]);
      this.r2n[j] = 0;
    }
    for (let i = 0; i < this.fn; i++) take(this.ft[i], this.fk[i], this.fp[i]);
    if (x !== m) throw new Error(`event queue: ${m} events expected outside the near heap, ${x} found`);
    this.n1 = this.n2 = this.fn = 0;
    this.w = w;
    this.inv = 1 / w;
    let latest = this.now;
    for (let i = 0; i < this.n; i++) if (this.ht[i] > latest) latest = this.ht[i];
    this.cur = Math.floor(latest * this.inv) + 1;
    this.page = Math.floor(this.cur * (1 / B1));
    for (let i = 0; i < m; i++) {
      const b = Math.floor(t[i] * this.inv);
      if (b < this.cur) this.pushNear(t[i], k[i], p[i]);
      else this.pushLater(t[i], k[i], p[i], b);
    }
  }

  private growNear(): void {
    const cap = this.ht.length * 2;
    this.ht = grow(this.ht, cap);
    this.hk = grow(this.hk, cap);
    this.hp = grow(this.hp, cap);
  }

  /** Bucket slots: grow to cap and chain every slot not in a bucket into the free list. */
  private growSlots(cap: number): void {
    if (cap > this.snext.length) this.useSlots(grow(this.st, cap), grow(this.sk, cap), grow(this.sp, cap), grow(this.snext, cap));
    else {
      // (clear and rebuild: no slot is in a bucket any more)
      this.freeSlot = -1;
      for (let s = this.snext.length - 1; s >= 0; s--) {
        this.snext[s] = this.freeSlot;
        this.freeSlot = s;
      }
    }
  }

  /** The slots live in these arrays from now on (the old ones copied in); the new slots go onto the free list. */
  private useSlots(st: Float64Array, sk: Float64Array, sp: Int32Array, snext: Int32Array): void {
    const old = this.snext.length, cap = Math.min(st.length, sk.length, sp.length, snext.length);
    // (spares of different sizes: all four are cut to the smallest, so length is the capacity)
    this.st = st.length === cap ? st : st.subarray(0, cap);
    this.sk = sk.length === cap ? sk : sk.subarray(0, cap);
    this.sp = sp.length === cap ? sp : sp.subarray(0, cap);
    this.snext = snext.length === cap ? snext : snext.subarray(0, cap);
    for (let s = cap - 1; s >= old; s--) {
      this.snext[s] = this.freeSlot;
      this.freeSlot = s;
    }
  }

  /** The queue will not be used again: its slot arrays go to the next replication on this thread (spare.ts). */
  giveBackStorage(): void {
    let bytes = this.pb.byteLength;
    for (const a of this.r2) bytes += a.byteLength;
    giveStore('events.pages', { r2: this.r2, pb: this.pb } satisfies Pages, bytes);
    giveBuffer('events.t', this.st.buffer as ArrayBuffer);
    giveBuffer('events.k', this.sk.buffer as ArrayBuffer);
    giveBuffer('events.p', this.sp.buffer as ArrayBuffer);
    giveBuffer('events.next', this.snext.buffer as ArrayBuffer);
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
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
