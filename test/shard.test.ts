// Beyond one machine: --shard k/n slices and `peakplan merge` give exactly, byte for byte, what
// one machine writes — for simulate (JSON, CSVs), check (verdicts, JUnit, exit code) and sweep.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExact, encodeExact, pointsOfShard, replicationsOfShard } from '../src/parallel/shard.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('slices', () => {
  it('replication blocks cover 0..R-1 exactly once, in order, sizes within one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 64 }), (total, n) => {
      const seen: number[] = [];
      const sizes: number[] = [];
      for (let k = 1; k <= n; k++) {
        const { first, count } = replicationsOfShard(total, { k, n });
        for (let i = 0; i < count; i++) seen.push(first + i);
        sizes.push(count);
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }), { seed: 7, numRuns: 200 });
  });
  it('sweep points are dealt round-robin, each exactly once', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (total, n) => {
      const all = Array.from({ length: n }, (_, k) => pointsOfShard(total, { k: k + 1, n })).flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: total }, (_, i) => i));
    }), { seed: 7, numRuns: 200 });
  });
  it('the exact encoding round-trips doubles (NaN, ±Infinity, −0), typed arrays and nesting', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.string(), fc.constant(null),
        fc.float64Array({ maxLength: 20 }), fc.int32Array({ maxLength: 20 })),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !k.startsWith('$') && k !== '__proto__'), tie('node'), { maxKeys: 4, noNullPrototype: true })),
    })).node;
    fc.assert(fc.property(value, (v) => {
      const back = decodeExact(JSON.parse(JSON.stringify(encodeExact(v))));
      expect(back).toStrictEqual(v);
    }), { seed: 11, numRuns: 300 });
  });
});

describe('simulate --shard k/n, then merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-shard-'));
  const scenario = 'fixtures/orders-small.yaml';
  it('three parts (one with two worker threads) merge to the one-machine JSON, CSV and daily CSV, byte for byte', () => {
    const one = run(['simulate', scenario, '--reps', '5', '--json', '--workers', '1']);
    expect(one.code, one.err).toBe(0);
    run(['simulate', scenario, '--reps', '5', '--csv', join(dir, 'one.csv'), '--daily-csv', join(dir, 'one-days.csv'), '--workers', '1']);
    for (const k of [1, 2, 3]) {
      const r = run(['simulate', scenario, '--reps', '5', '--shard', `${k}/3`, '--out', join(dir, `p${k}.json`), '--workers', k === 2 ? '2' : '1']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(new RegExp(`shard ${k}/3, replications`));
    }
    // order of the parts on the command line does not matter
    const merged = run(['merge', join(dir, 'p3.json'), join(dir, 'p1.json'), join(dir, 'p2.json'), '--json']);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toBe(one.out);
    const m2 = run(['merge', join(dir, 'p1.json'), join(dir, 'p2.json'), join(dir, 'p3.json'), '--csv', join(dir, 'm.csv'), '--daily-csv', join(dir, 'm-days.csv')]);
    expect(m2.code, m2.err).toBe(0);
    expect(readFileSync(join(dir, 'm.csv'))).toEqual(readFileSync(join(dir, 'one.csv')));
    expect(readFileSync(join(dir, 'm-days.csv'))).toEqual(readFileSync(join(dir, 'one-days.csv')));
  });
  it('more shards than replications: empty parts are fine', () => {
    const one = run(['simulate', 'fixtures/small.yaml', '--reps', '2', '--json', '--workers', '1']);
    const parts = [1, 2, 3].map((k) => { const f = join(dir, `e${k}.json`); run(['simulate', 'fixtures/small.yaml', '--reps', '2', '--shard', `${k}/3`, '--out', f, '--workers', '1']); return f; });
    expect(run(['merge', ...parts, '--json']).out).toBe(one.out);
  });
  it('refuses a missing shard, a repeated shard, parts of another scenario, and files that are not parts', () => {
    const p = (k: number) => join(dir, `p${k}.json`);
    const missing = run(['merge', p(1), p(3)]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: merge: 1 of 3 shards missing: 2\/3\n$/);
    const twice = run(['merge', p(1), p(2), p(2), p(3)]);
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/p2\.json: shard 2\/3 twice/);
    const other = join(dir, 'other.json');
    run(['simulate', scenario, '--reps', '5', '--shard', '2/3', '--out', other, '--set', 'pools[0].staffing=9', '--workers', '1']);
    const mixed = run(['merge', p(1), other, p(3)]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/other\.json: a part of a different scenario or plan/);
    writeFileSync(join(dir, 'junk.json'), '{"hello": 1}');
    const junk = run(['merge', join(dir, 'junk.json')]);
    expect(junk.code).toBe(2);
    expect(junk.err).toMatch(/junk\.json: not a peakplan partial result/);
    const usage = run(['simulate', scenario, '--shard', '4/3']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^error: --shard: must be k\/n with 1 ≤ k ≤ n/);
  });
});

describe('check and sweep shards', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-shard2-'));
  it('check parts merge to the same verdicts, JUnit and exit code as one machine', () => {
    const args = ['check', 'fixtures/check/gate.yaml', '--plan', 'fixtures/check/plan-short.csv', '--reps', '6', '--workers', '1'];
    const one = run([...args, '--json']);
    expect(one.code).toBe(1);
    run([...args, '--junit', join(dir, 'one.xml')]);
    for (const k of [1, 2]) expect(run([...args, '--shard', `${k}/2`, '--out', join(dir, `c${k}.json`)]).code).toBe(0);
    const merged = run(['merge', join(dir, 'c1.json'), join(dir, 'c2.json'), '--json']);
    expect(merged.code).toBe(1);
    expect(merged.out).toBe(one.out);
    expect(run(['merge', join(dir, 'c1.json'), join(dir, 'c2.json'), '--junit', join(dir, 'm.xml')]).code).toBe(1);
    expect(readFileSync(join(dir, 'm.xml'), 'utf8')).toBe(readFileSync(join(dir, 'one.xml'), 'utf8'));
  });
  it('check --fail-fast parts merge to the one machine\'s early stop', () => {
    const args = ['check', 'fixtures/check/gate.yaml', '--plan', 'fixtures/check/plan-short-borderline.csv', '--reps', '6', '--max-reps', '24', '--workers', '1', '--fail-fast'];
    const one = run([...args, '--json']);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.out).replications).toBeLessThan(24);
    for (const k of [1, 2]) expect(run([...args, '--shard', `${k}/2`, '--out', join(dir, `f${k}.json`)]).code).toBe(0);
    const merged = run(['merge', join(dir, 'f1.json'), join(dir, 'f2.json'), '--json']);
    expect(merged.code).toBe(1);
    expect(merged.out).toBe(one.out);
  });
  it('sweep parts merge to the one-machine points', () => {
    const args = ['sweep', 'scenarios/teaching-mmc.yaml', '--param', 'pools.agents.staffing=12:15:1', '--reps', '2', '--workers', '1'];
    const one = run([...args, '--json']);
    expect(one.code, one.err).toBe(0);
    for (const k of [1, 2, 3]) expect(run([...args, '--shard', `${k}/3`, '--out', join(dir, `s${k}.json`)]).code).toBe(0);
    const merged = run(['merge', join(dir, 's1.json'), join(dir, 's2.json'), join(dir, 's3.json'), '--json']);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toBe(one.out);
  });
});
