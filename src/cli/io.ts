// The CLI's side of the world: atomic file writes, colour decisions, progress on stderr, and
// interruption. Nothing below src/cli touches files, terminals or signals.

import { Chalk, type ChalkInstance } from 'chalk';
import { createRequire } from 'node:module';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, InterruptedError } from '../errors.js';

/** Colour only on a terminal, never under NO_COLOR (https://no-color.org) or TERM=dumb. */
export function colourFor(stream: NodeJS.WriteStream): ChalkInstance {
  const env = process.env;
  const on = env.NO_COLOR === undefined && env.TERM !== 'dumb' && (stream.isTTY === true || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'));
  return new Chalk({ level: on ? 1 : 0 });
}

const pending = new Set<string>();

/** Refuse early (before any work) an output path that cannot be written. */
export function checkOutputPath(path: string, option: string): void {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path} is a directory`, { path: option });
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  try {
    if (!statSync(dirname(path) || '.').isDirectory()) throw new Error();
  } catch {
    throw new InputError(`the folder of ${path} does not exist`, { path: option });
  }
}

/**
 * Write a file atomically: a temporary file beside it, fsync, then rename over the target. A
 * crash or an interrupt leaves either the old file or the new one, never half of either.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  pending.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

/**
 * A file written as a stream, atomically: lines go to a temporary file beside the target in
 * 64 KB writes (memory stays flat whatever the volume), and `commit` syncs and renames it over
 * the target; `abort` (or an interrupt) removes it and leaves the old file.
 */
export class AtomicStream {
  private readonly tmp: string;
  private fd: number;
  private buf: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    pending.add(this.tmp);
    this.fd = openSync(this.tmp, 'w');
  }

  write(text: string): void {
    this.buf.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, Buffer.from(this.buf.join(''), 'utf8'));
    this.buf = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
    pending.delete(this.tmp);
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
    pending.delete(this.tmp);
  }
}

/** Remove temporary files of writes that an interrupt cut short. */
export function cleanupPending(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}

// Signals outside a long run. From the start of main(), SIGINT/SIGTERM are ours: a signal that
// arrives while no Interrupt is active (loading, writing, short commands) stops the program at
// once with exit 130 after removing temporary files; one that arrives during synchronous work is
// handled when that work yields, and an Interrupt created then still sees it.
let activeInterrupts = 0;
let earlySignal: NodeJS.Signals | null = null;
let watching = false;
const onSignalOutsideRuns = (sig: NodeJS.Signals) => {
  earlySignal ??= sig;
  if (activeInterrupts > 0) return; // the run's Interrupt handles it
  cleanupPending();
  process.stderr.write(`peakplan: interrupted by ${sig}\n`);
  process.exit(130);
};

/** Called once at the start of main(); idempotent (tests and the fuzzer call main() many times). */
export function watchSignals(): void {
  earlySignal = null;
  if (watching) return;
  watching = true;
  process.on('SIGINT', onSignalOutsideRuns);
  process.on('SIGTERM', onSignalOutsideRuns);
  // `peakplan simulate --json | head`: the reader left, so stop quietly, as a program killed by
  // SIGPIPE would (Node ignores SIGPIPE and would die of an unhandled EPIPE, stack and all).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      cleanupPending();
      process.exit(0);
    });
  }
}

/** SIGINT/SIGTERM set a flag the simulation polls; the run then stops and says so. */
export class Interrupt {
  private signal: string | null = earlySignal;
  private readonly handler = (sig: NodeJS.Signals) => {
    if (this.signal !== null) process.exit(130); // a second signal: leave now
    this.signal = sig;
  };
  constructor() {
    activeInterrupts++;
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }
  readonly shouldStop = (): boolean => this.signal !== null;
  check(what: string): void {
    if (this.signal !== null) throw new InterruptedError(`interrupted by ${this.signal} during ${what}; no output was written`);
  }
  dispose(): void {
    if (!process.listeners('SIGINT').includes(this.handler)) return;
    activeInterrupts--;
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}

/** A progress bar on stderr when stderr is a terminal; silent otherwise. */
export function progressBar(label: string, total: number, enabled: boolean): { update(done: number): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY || total < 2) return { update() {}, stop() {} };
  // loaded only when a bar is drawn: most runs (CI, pipes) never draw one
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} replications · {duration}s`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (d) => bar.update(d), stop: () => bar.stop() };
}
