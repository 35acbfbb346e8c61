// Interrupting a long run: SIGINT (Ctrl-C) or SIGTERM (a job scheduler) stops it, says what was
// interrupted, exits 130 and leaves no output file, no temporary file and every existing file as
// it was — on one worker thread and on two (where the main thread only waits). A run that ignored
// the signal would go on for a minute and is killed 8 s after it (exit code null): the exit code
// 130 is what proves the stop, whatever the machine's load. How fast it stops (within a second on
// an idle machine) is measured by npm run bench, not asserted here.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');

interface Stopped { code: number | null; signal: string | null; afterSignalMs: number; err: string }

/** Threads of a process (Linux), or -1. */
function threads(pid: number): number {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  } catch {
    return -1;
  }
}

/**
 * Starts a run, signals it once it is simulating, waits for the exit. Loading the scenario is
 * synchronous (a signal waits for it to end), and on a busy machine it can take longer than the
 * ~1.5 s after which the signal is meant to land; so the signal goes at the first moment after
 * 1.5 s that the process has more threads than it had in its first second (the replications'
 * worker thread has started), and at 4 s at the latest (by then it is simulating in any case).
 */
function interruptRun(args: string[], sig: NodeJS.Signals): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let sentAt = 0;
    let early = 0;
    p.stderr.on('data', (d) => { err += d; });
    p.stdout.resume();
    const poll = setInterval(() => {
      const t = Date.now() - t0, n = threads(p.pid!);
      if (t < 1000) { early = Math.max(early, n); return; }
      if (t >= 4000 || (t >= 1500 && (n > early || n < 0 && t >= 2500))) {
        clearInterval(poll);
        sentAt = Date.now();
        p.kill(sig);
        // a run that ignores the signal must not outlive the test (50 replications take a minute)
        setTimeout(() => p.kill('SIGKILL'), 8000).unref();
      }
    }, 25);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, afterSignalMs: sentAt === 0 ? -1 : Date.now() - sentAt, err });
    });
  });
}

describe('SIGINT and SIGTERM during simulate', () => {
  it.each([
    ['SIGINT', '1'],
    ['SIGTERM', '1'],
    ['SIGINT', '2'],
    ['SIGTERM', '2'],
  ] as const)('%s with --workers %s: stops, exit 130, nothing written', async (sig, workers) => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-sig-'));
    const out = join(dir, 'out.csv');
    const kept = join(dir, 'days.csv');
    writeFileSync(kept, 'precious\n');
    // 50 replications take about a minute: the signal lands in the middle of a replication
    const r = await interruptRun(['simulate', 'scenarios/double11.yaml', '--reps', '50', '--csv', out, '--daily-csv', kept, '--workers', workers], sig);
    expect(r.afterSignalMs, 'the run ended before the signal was sent').toBeGreaterThanOrEqual(0);
    expect(r.code, r.err).toBe(130);
    expect(r.err.trim()).toBe(`peakplan: interrupted by ${sig} during the simulation; no output was written`);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir).sort()).toEqual(['days.csv']); // no temporary file either
  }, 20000);
});

describe('SIGINT and SIGTERM during plan', () => {
  // The planner runs dozens of simulations; it waits for each on worker threads (one with
  // --workers 1), so a signal stops it at once, not when the plan is done (it did: 30 s later).
  it.each([
    ['SIGINT', '1'],
    ['SIGTERM', '2'],
  ] as const)('%s with --workers %s: stops, exit 130, no plan written', async (sig, workers) => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-sig-'));
    const out = join(dir, 'plan.csv');
    const r = await interruptRun(['plan', 'scenarios/double11.yaml', '--out', out, '--no-progress', '--workers', workers], sig);
    expect(r.afterSignalMs, 'the plan ended before the signal was sent').toBeGreaterThanOrEqual(0);
    expect(r.code, r.err).toBe(130);
    expect(r.err.trim()).toBe(`peakplan: interrupted by ${sig} during planning; no output was written`);
    expect(readdirSync(dir)).toEqual([]);
  }, 20000);
});
