// Records in one growable buffer with a free list: the store of contacts and of orders (and of
// whatever the model keeps per live thing). Each record is `doubles` 8-byte slots, read as
// doubles through `f` and as int32s through `i` over the same memory (a record of n doubles is
// 2n int32s); one int32 field of a free record links it to the next free one.
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
  /** The int32 width of a record (2 × doubles). */
  readonly ints: number;

  /**
   * @param kind     the spare-buffer kind (spare.ts) this store takes and gives back
   * @param doubles  8-byte slots per record
   * @param link     the int32 index, within a record, of the free-list link
   * @param tooMany  called when growing beyond `most` records; throws the user's error
   */
  constructor(private readonly kind: string, readonly doubles: number, private readonly link: number, private readonly most: number, private readonly tooMany: () => never) {
    this.ints = 2 * doubles;
    this.use(takeBuffer(kind, 1024 * doubles * 8)); // a spare from the last replication, or 1,024 records
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
    const buf = new ArrayBuffer(cap * this.doubles * 8);
    new Int32Array(buf).set(this.i); // copies the records bit for bit (an int32 view never canonicalises NaNs)
    this.use(buf);
  }

  /** The records live in `buf` from now on; its new slots go onto the free list, lowest index first. */
  private use(buf: ArrayBuffer): void {
    const old = this.cap, cap = Math.floor(buf.byteLength / (this.doubles * 8));
    this.i = new Int32Array(buf);
    this.f = new Float64Array(buf);
    for (let r = cap - 1; r >= old; r--) {
      this.i[r * this.ints + this.link] = this.freeHead;
      this.freeHead = r;
    }
    this.cap = cap;
  }

  /** The run is over and read: the buffer goes to the next replication on this thread. */
  giveBack(): void {
    giveBuffer(this.kind, this.i.buffer as ArrayBuffer);
  }
}
