// Storage handed from one replication to the next on the same thread.
//
// A replication's contact, order and event stores start small and double as they fill; on the
// built-in scenario they end at 10, 17 and 6 MB, and the doubling allocates about 70 MB per
// replication. Fresh each time, that memory is zeroed page by page by the kernel on first touch,
// copied at every doubling, and counted as external memory that triggers extra full collections
// (a tenth of a replication's time in kernel page faults and GC, and more when two worker
// threads fault and collect at once on a two-core machine). A thread runs its replications one
// after another, so each one takes over the zeroed stores the previous one gave back.
//
// Capacity never changes results: every store hands out free slots lowest first and only grows
// when no slot is free, so starting at a larger capacity gives the same slots in the same order
// as reaching it by doubling (test/fast-path.test.ts and the golden files run both ways).

/** One spare buffer per kind of store and thread; larger ones are not kept. */
const spare = new Map<string, ArrayBuffer>();
const MAX_KEPT = 256 * 2 ** 20;

/** A zero-filled buffer of at least `minBytes` (the previous replication's, when it is big enough). */
export function takeBuffer(kind: string, minBytes: number): ArrayBuffer {
  const b = spare.get(kind);
  if (b !== undefined && b.byteLength >= minBytes) {
    spare.delete(kind);
    new Uint8Array(b).fill(0);
    return b;
  }
  return new ArrayBuffer(minBytes);
}

/** Give a store's buffer back for the next replication on this thread. */
export function giveBuffer(kind: string, b: ArrayBuffer): void {
  if (b.byteLength > MAX_KEPT) return;
  const kept = spare.get(kind);
  if (kept === undefined || kept.byteLength < b.byteLength) spare.set(kind, b);
}

/** Other stores (the event list's page arrays), one per kind and thread, taken as they were. */
const spareObjects = new Map<string, unknown>();

/** The store of this kind the last replication on this thread gave back, if any (its contents are stale). */
export function takeStore<T>(kind: string): T | undefined {
  const o = spareObjects.get(kind) as T | undefined;
  spareObjects.delete(kind);
  return o;
}

/** Give a store back; `bytes` is its size (larger than MAX_KEPT: not kept). */
export function giveStore(kind: string, store: unknown, bytes: number): void {
  if (bytes <= MAX_KEPT) spareObjects.set(kind, store);
}

/** Bytes kept for the next replication on this thread (tests, diagnostics). */
export function spareBytes(): number {
  let n = 0;
  for (const b of spare.values()) n += b.byteLength;
  return n;
}

/** Forget every spare buffer (tests that want a fresh start). */
export function dropSpareBuffers(): void {
  spare.clear();
  spareObjects.clear();
}
