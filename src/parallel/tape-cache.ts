// The order-flow tapes of replications kept on disk between runs (`--cache DIR` of check, plan
// and simulate): a CI job that checks a new plan of the same scenario runs the same replications
// with other staffing, so each replication's order flow is read back from its file and played
// (about half the work of a replication of the built-in scenario) instead of simulated again. The model
// stays pure: files are read and written here, by whichever thread runs the replication.
//
// A file is used only when it is whole (its SHA-256 checks), is this replication's (seed, index)
// of this scenario's order flow (tape.ts flowKey), and was written by this very code (a hash of
// the compiled files): anything else is ignored and overwritten, so a stale or damaged cache
// costs time, never a different number. Played-back replications are the same to the bit as
// fresh ones (test/order-tape.test.ts); test/tape-cache.test.ts checks the check's bytes.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledModel } from '../model/compile.js';
import { findTape, flowKey, keepTape, OrderTape } from '../model/orders/tape.js';
import { runReplication, type RepResult } from '../model/replication.js';
import type { StatsLayout } from '../stats/recorder.js';

/** The files of this cache, and only they, end so (pruning never touches anything else). */
const EXT = '.pptape';

let codeHash: string | null = null;

/**
 * What the code that writes and plays tapes is: a SHA-256 of every compiled file of the package
 * (the same whether this module runs compiled or from source under the test runner, which runs
 * the workers compiled), so any change of the code makes the old files unused.
 */
export function tapeCode(): string {
  if (codeHash !== null) return codeHash;
  const here = import.meta.url;
  const dist = fileURLToPath(here.endsWith('.ts') ? new URL('../../dist/', here) : new URL('../', here));
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) h.update(name).update(readFileSync(p));
    }
  };
  walk(dist);
  return (codeHash = h.digest('hex'));
}

function fileOf(dir: string, key: string, seed: number, replication: number): string {
  return join(dir, `${tapeCode().slice(0, 12)}-${key.slice(0, 16)}-${seed}-${replication}${EXT}`);
}

/**
 * One replication, its order flow read from `dir` when a good file is there and written there
 * when it was recorded afresh. Memory as for the in-memory tapes (tape.ts): a file is read into
 * the thread's tapes (within their budget) only for the replication about to run.
 */
export function runCached(model: CompiledModel, layout: StatsLayout, seed: number, replication: number, dir: string, shouldStop?: () => boolean): RepResult {
  const s = model.scenario;
  if (s.orders === null) return runReplication(model, layout, seed, replication, shouldStop);
  const key = flowKey(s);
  const file = fileOf(dir, key, seed, replication);
  let fresh = findTape(s, seed, replication) === null;
  if (fresh) {
    let bytes: Uint8Array | null = null;
    try {
      bytes = readFileSync(file);
    } catch {
      // no file yet (or unreadable): recorded below
    }
    const tape = bytes !== null ? OrderTape.decode(bytes, tapeCode(), key, seed, replication) : null;
    if (tape !== null) {
      keepTape(tape);
      fresh = findTape(s, seed, replication) === null;
    }
  }
  const rep = runReplication(model, layout, seed, replication, shouldStop, undefined, true);
  const recorded = fresh ? findTape(s, seed, replication) : null;
  if (recorded !== null) {
    // whole or not at all: another run reading meanwhile sees the old file or the new one
    const tmp = `${file}.${process.pid}.${replication}.tmp`;
    try {
      writeFileSync(tmp, recorded.encode(tapeCode()));
      renameSync(tmp, file);
    } catch {
      try { unlinkSync(tmp); } catch { /* never written */ }
    }
  }
  return rep;
}

/** Remove the cache's files written by other code (never used again). */
export function pruneTapeCache(dir: string): void {
  const mine = tapeCode().slice(0, 12) + '-';
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(EXT) || name.startsWith(mine)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
}
