// Whether workers were started ahead of a run (pool.ts prewarmPool) and how to close them, for
// main(): it must close them when the run never came (the input was refused), without loading
// the thread pool itself on every command (`peakplan --version` would pay for it).

let closeWarm: (() => void) | null = null;

/** pool.ts: workers are warm; this closes them. Null: none are. */
export function registerWarm(close: (() => void) | null): void {
  closeWarm = close;
}

/** Close workers started ahead and not taken. */
export function discardWarm(): void {
  closeWarm?.();
  closeWarm = null;
}
