// `peakplan check --cache DIR` (src/parallel/tape-cache.ts): the order flow of each replication
// kept on disk and played back by later checks must never change a byte of a check, whatever is
// in the directory: its own files (with other staffing than the run that wrote them), damaged
// files, files of other replications or other code. Bad directories exit 2 and write nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../src/model/compile.js';
import { dropTapes, findTape, flowKey, OrderTape } from '../src/model/orders/tape.js';
import { makeLayout, runReplication } from '../src/model/replication.js';
import { runCached, tapeCode } from '../src/parallel/tape-cache.js';
import { loadScenario } from '../src/scenario/load.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const tmp = mkdtempSync(join(tmpdir(), 'peakplan-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FILE = 'fixtures/orders-small.yaml';
const check = (extra: string[]) => run(['check', FILE, '--json', '--no-progress', '--reps', '4', '--max-reps', '8', ...extra]);
const text = (x: unknown) => JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, String) : v));

describe('check --cache', () => {
  const dir = join(tmp, 'cache');
  const plans = [[], ['--set', 'pools[1].staffing=1'], ['--set', 'pools[0].staffing=3']];
  const plain = plans.map((p) => check(p));

  it('gives the bytes of a check without it, first writing the files, then playing them with other staffing, on workers and in process', () => {
    for (const r of plain) expect(r.code, r.err).not.toBe(2);
    expect(new Set(plain.map((r) => r.out)).size, 'the plans differ (or the test would prove nothing)').toBe(3);
    const first = check(['--cache', dir, '--workers', '2', ...plans[0]]);
    expect(first.out).toBe(plain[0].out);
    const files = readdirSync(dir).filter((f) => f.endsWith('.pptape')).sort();
    expect(files.length).toBe(JSON.parse(first.out).replications);
    const written = files.map((f) => statSync(join(dir, f)).mtimeMs);
    for (const [k, workers] of [[1, '2'], [2, '1'], [0, '1']] as const) {
      expect(check(['--cache', dir, '--workers', workers, ...plans[k]]).out, `plan ${k}, ${workers} worker(s)`).toBe(plain[k].out);
    }
    // played, not written again
    expect(files.map((f) => statSync(join(dir, f)).mtimeMs)).toEqual(written);
  });

  it('ignores and rewrites a damaged file, and removes files of other code, with the same bytes', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.pptape')).sort();
    const victim = join(dir, files[0]);
    const bytes = readFileSync(victim);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(victim, bytes);
    writeFileSync(join(dir, files[1]), readFileSync(join(dir, files[1])).subarray(0, 1000)); // cut short
    const stale = join(dir, `000000000000-${files[2].slice(13)}`);
    writeFileSync(stale, readFileSync(join(dir, files[2])));
    const other = join(dir, 'notes.txt');
    writeFileSync(other, 'not ours');
    expect(check(['--cache', dir, ...plans[1]]).out).toBe(plain[1].out);
    expect(readFileSync(victim).equals(bytes), 'rewritten').toBe(false);
    expect(readFileSync(join(dir, files[1])).length).toBeGreaterThan(1000);
    expect(existsSync(stale), 'a file of other code is removed').toBe(false);
    expect(existsSync(other), 'files that are not the cache\'s are left alone').toBe(true);
    expect(check(['--cache', dir, ...plans[1]]).out).toBe(plain[1].out);
  });

  it('a cache that is a file, or cannot be made, exits 2 with one line, and writes nothing', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = check(['--cache', file]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--cache.*not a directory/);
    const under = check(['--cache', join(file, 'sub')]);
    expect(under.code).toBe(2);
    expect(under.err).toMatch(/--cache/);
    // bad input anywhere else: the cache directory is not even made
    const bad = run(['check', 'fixtures/does-not-exist.yaml', '--cache', join(tmp, 'never')]);
    expect(bad.code).toBe(2);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });
});

describe('plan --cache and simulate --cache', () => {
  it('plan: the same plan, byte for byte, writing the cache and then playing it', () => {
    const dir = join(tmp, 'plan-cache');
    const args = ['plan', FILE, '--json', '--no-progress', '--reps', '4', '--max-reps', '8'];
    const plain = run(args);
    expect(plain.code, plain.err).not.toBe(2);
    const first = run([...args, '--cache', dir]);
    expect(first.out).toBe(plain.out);
    expect(readdirSync(dir).filter((f) => f.endsWith('.pptape')).length).toBeGreaterThan(4);
    expect(run([...args, '--cache', dir]).out).toBe(plain.out);
  });

  it('simulate, also from a live state: the same JSON with and without the cache', () => {
    const dir = join(tmp, 'sim-cache');
    const state = join(tmp, 'state.json');
    writeFileSync(state, JSON.stringify({ at: '2026-11-10T00:00+08:00', waiting: [{ channel: 'chat', intent: 'presale', waited: [30, '2m'] }] }));
    for (const extra of [[], ['--state', state]]) {
      const args = ['simulate', FILE, '--json', '--no-progress', '--reps', '3', ...extra];
      const plain = run(args);
      expect(plain.code, plain.err).toBe(0);
      expect(run([...args, '--cache', dir]).out).toBe(plain.out);
      expect(run([...args, '--cache', dir]).out).toBe(plain.out);
    }
    // the state's contacts change the run but not the order flow: one set of files serves both
    expect(readdirSync(dir).filter((f) => f.endsWith('.pptape'))).toHaveLength(3);
  });
});

describe('a tape on disk', () => {
  const s = loadScenario(FILE, { replications: 1 });
  const model = compile(s), layout = makeLayout(s, s.calendar.intervalSec);

  it('reads back as the tape written, and only as this replication of this order flow and code', () => {
    dropTapes();
    runReplication(model, layout, s.seed, 1, undefined, undefined, true);
    const tape = findTape(s, s.seed, 1)!;
    const bytes = tape.encode(tapeCode());
    const back = OrderTape.decode(bytes, tapeCode(), flowKey(s), s.seed, 1)!;
    expect(back).not.toBeNull();
    expect(text(back)).toBe(text(tape));
    expect(OrderTape.decode(bytes, tapeCode(), flowKey(s), s.seed, 2)).toBeNull();
    expect(OrderTape.decode(bytes, tapeCode(), flowKey(s), s.seed + 1, 1)).toBeNull();
    expect(OrderTape.decode(bytes, 'other code', flowKey(s), s.seed, 1)).toBeNull();
    expect(OrderTape.decode(bytes, tapeCode(), 'another flow', s.seed, 1)).toBeNull();
    expect(OrderTape.decode(bytes.subarray(0, bytes.length - 1), tapeCode(), flowKey(s), s.seed, 1)).toBeNull();
    const flipped = Uint8Array.from(bytes);
    flipped[100] ^= 1;
    expect(OrderTape.decode(flipped, tapeCode(), flowKey(s), s.seed, 1)).toBeNull();
  });

  it('a replication played from its file equals a fresh one, every array', () => {
    const dir = mkdtempSync(join(tmp, 'unit-'));
    dropTapes();
    const fresh = text(runReplication(model, layout, s.seed, 0));
    expect(text(runCached(model, layout, s.seed, 0, dir))).toBe(fresh); // records, writes
    expect(readdirSync(dir).filter((f) => f.endsWith('.pptape'))).toHaveLength(1);
    dropTapes(); // only the file is left
    expect(text(runCached(model, layout, s.seed, 0, dir))).toBe(fresh);
    expect(findTape(s, s.seed, 0), 'read from the file').not.toBeNull();
  });
});
