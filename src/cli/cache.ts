// --cache DIR (check, plan, simulate): the directory that keeps the order tapes between runs
// (parallel/tape-cache.ts), opened once the scenario and the options are good.

import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { pruneTapeCache } from '../parallel/tape-cache.js';

/**
 * The --cache directory, made if missing and checked writable before anything runs (a cache
 * that cannot be written would silently never help); files of other code are removed.
 */
export function openTapeCache(dir: string): string {
  const abs = resolve(dir);
  try {
    if (existsSync(abs) && !statSync(abs).isDirectory()) throw new UsageError(`${dir} is not a directory`, { path: '--cache' });
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK | constants.R_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot use ${dir} as the cache: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: '--cache' });
  }
  pruneTapeCache(abs);
  return abs;
}
