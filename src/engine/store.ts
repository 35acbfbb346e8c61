// Records with a free list, growing by doubling: the store of contacts and of orders (and of
// whatever the model keeps per live thing). A record has `doubles` 8-byte fields, read through
// `f`, and `ints` int32 fields, read through `i`; one int32 field of a free record links it to the
// next free one. Two layouts:
//   together (ints = 0): one buffer, the int32 view over the same memory (a record of n doubles
//     is 2n int32s) — every field of a record in two or three cache lines (contacts: a service
//     completion finds its contact cold and touches one record);
//   apart (ints > 0): the doubles in one buffer and the int32s in another — the few int32 fields
//     of many records packed densely (orders: where-is-my-order checks, refcounts and the end of
//     the horizon read the state of records days old; in one 128-byte record each of those was a
//     cache miss, 5% of a replication of the built-in scenario, bench A/B 2026-12-02).
//
// Slots are handed out lowest first and the store grows (doubling) only when none is free, so a
// replication on a store handed down from the previous one (spare.ts) takes the same slots in the
// same order as on a fresh one: capacity never changes results.

import { giveBuffer, takeBuffer } from './spare.js';

export class RecordStore {
  f = new Float64Array(0);
  i = new Int32Array(0);
  cap = 0;
  private freeHead = -1;
  live = 0;
  peakLive = 0;
  /** The int32 width of a record: 2 × doubles together, `ints` apart. */
  readonly ints: number;
  private readonly apart: boolean;

  /**
   * @param kind     the spare-buffer kind (spare.ts) this store takes and gives back
   * @param doubles  8-byte fields per record
   * @param ints     int32 fields per record in a buffer of their own, or 0 for one buffer
   * @param link     the int32 index, within a record, of the free-list link
   * @param tooMany  called when growing beyond `most` records; throws the user's error
   */
  constructor(private readonly kind: string, readonly doubles: number, ints: number, private readonly link: number, private readonly most: number, private readonly tooMany: () => never) {
    this.apart = ints > 0;
    this.ints = this.apart ? ints : 2 * doubles;
    // spares from the last replication, or 1,024 records
    this.use(takeBuffer(kind, 1024 * doubles * 8), this.apart ? takeBuffer(`${kind}.i`, 1024 * ints * 4) : null);
  }

  alloc(): number {
    if (this.freeHead < 0) this.grow(this.cap * 2);
    const r = this.freeHead;
    this.freeHead = this.i[r * this.ints + this.link];
    if (++this.live > this.peakLive) this.peakLive = this.live;
    return r;
  }

  release(r: number): void {
    this.i[r * this.ints + this.link] = this.freeHead;
    this.freeHead = r;
    this.live--;
  }

  private grow(cap: number): void {
    if (cap > this.most) this.tooMany();
    const f = new ArrayBuffer(cap * this.doubles * 8);
    if (this.apart) {
      const i = new ArrayBuffer(cap * this.ints * 4);
      new Int32Array(f).set(new Int32Array(this.f.buffer)); // bit for bit (an int32 view never canonicalises NaNs)
      new Int32Array(i).set(this.i);
      this.use(f, i);
    } else {
      new Int32Array(f).set(this.i); // the whole records, bit for bit
      this.use(f, null);
    }
  }

  /** The records live in these buffers from now on; the new slots go onto the free list, lowest index first. */
  private use(f: ArrayBuffer, i: ArrayBuffer | null): void {
    const old = this.cap;
    const cap = i === null ? Math.floor(f.byteLength / (this.doubles * 8)) : Math.min(Math.floor(f.byteLength / (this.doubles * 8)), Math.floor(i.byteLength / (this.ints * 4)));
    this.f = new Float64Array(f);
    this.i = new Int32Array(i ?? f);
    for (let r = cap - 1; r >= old; r--) {
      this.i[r * this.ints + this.link] = this.freeHead;
      this.freeHead = r;
    }
    this.cap = cap;
  }

  /** The run is over and read: the buffers go to the next replication on this thread. */
  giveBack(): void {
    giveBuffer(this.kind, this.f.buffer as ArrayBuffer);
    if (this.apart) giveBuffer(`${this.kind}.i`, this.i.buffer as ArrayBuffer);
  }
}
