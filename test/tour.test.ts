// The README's tour, run top to bottom as a new user would on a fresh clone: every command of its
// first code block after "## A five-minute tour", in order, in an empty folder that holds only a
// copy of scenarios/ (what a clone has), with `npx peakplan` standing for the built binary. Each
// must exit as its comment says (0 unless it says "exit 1"), write what it says, and print no
// stack trace — so the tour can never again overwrite a file a later line needs, or name one that
// does not exist.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
/**
 * A tour command takes what the machine needs: `plan --shifts` on the built-in scenario took 85 s
 * on a slow 2-core VM, 206 s there with the other test files running beside it. A time limit
 * here would test the machine, not the tour.
 */
const TOUR_TIMEOUT = 900_000;
const BIN = join(ROOT, 'bin', 'peakplan.js');

function tourLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('## A five-minute tour');
  expect(at, 'README has a tour').toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))![1];
  return block.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('npx peakplan'));
}

describe('the README tour runs top to bottom on a fresh clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-tour-'));
  cpSync(join(ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  const lines = tourLines();
  it('has the commands a planner starts with', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const cmd of ['plan', 'simulate', 'check', 'compare', 'report', 'erlang']) expect(lines.some((l) => l.startsWith(`npx peakplan ${cmd}`))).toBe(true);
  });
  for (const line of lines) {
    it(line.replace(/\s+#.*$/, ''), () => {
      const [cmd, comment = ''] = line.split(/\s+#\s/);
      const expected = /exit 1\b/.test(comment) ? [0, 1] : [0];
      const sh = `peakplan() { "${process.execPath}" "${BIN}" "$@"; }\n${cmd.replace(/npx peakplan/g, 'peakplan')}`;
      const r = spawnSync('sh', ['-c', sh], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
      expect(expected, `${cmd}\nexit ${r.status}\n${r.stderr}`).toContain(r.status);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      for (const [, file] of cmd.matchAll(/(?:--out|--csv|--daily-csv|--html|--junit|--roster-out|>)\s+(\S+)/g)) expect(existsSync(join(dir, file)), `${file} written`).toBe(true);
    }, TOUR_TIMEOUT);
  }
});
