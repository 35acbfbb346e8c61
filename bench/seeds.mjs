// Plans that do not flip on the seed (npm run bench:seeds): the built-in scenario planned with
// seeds 1–10, each plan's cost and own verdict, then each plan judged by `peakplan check` on
// 200 fresh replications (another seed, one look) — the windows that miss at the confidence — and
// each distinct naive plan (the planner's per-interval Erlang plan) on the same fresh replications.
//
//   node bench/seeds.mjs [scenario] [--seeds 1-10] [--judge 200] [--workers 2]
//
// About two minutes per seed on 2 cores for the built-in scenario.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const file = args[0] && !args[0].startsWith('--') ? args[0] : join(root, 'scenarios/double11.yaml');
const range = opt('--seeds', '1-10');
const seeds = range.includes('-') ? (([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i))(range.split('-').map(Number)) : range.split(',').map(Number);
const J = opt('--judge', '200');
const workers = opt('--workers', '2');
const dir = mkdtempSync(join(tmpdir(), 'peakplan-seeds-'));
const bin = join(root, 'bin/peakplan.js');
const log = (s) => process.stderr.write(s + '\n');
const json = (argv) => {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  return { j: JSON.parse(r.stdout), code: r.status };
};
const count = (targets, k) => targets.reduce((a, t) => a + t[k], 0);

const rows = [];
const naive = new Map(); // naive plan CSV → its cost and fresh verdicts
/** The plan CSV of the naive plan in a plan's JSON, on the intervals of the plan CSV written beside it. */
function naivePlanCsv(planCsv, pools) {
  const starts = [...new Set(readFileSync(planCsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]))];
  let text = 'interval_start,pool,agents\n';
  starts.forEach((s, i) => { for (const p of pools) text += `${s},${p.pool},${p.agents[i]}\n`; });
  return text;
}
for (const seed of seeds) {
  const out = join(dir, `plan-${seed}.csv`);
  const t0 = performance.now();
  const p = json(['plan', file, '--seed', String(seed), '--out', out, '--json', '--no-progress', '--workers', workers]);
  const wall = (performance.now() - t0) / 1000;
  // fresh: a seed no plan used, 200 replications in one look
  const c = json(['check', file, '--plan', out, '--seed', String(90000 + seed), '--reps', J, '--max-reps', J, '--json', '--no-progress', '--workers', workers]);
  rows.push({ seed, cost: p.j.cost, exit: p.code, reps: p.j.replicationsRun, wall, own: p.j.targets, fresh: c.j.targets });
  // the naive plan (Erlang per interval on the plain load) on the same fresh replications, once per
  // distinct naive plan: what the planner's plan is compared with
  const naiveCsv = naivePlanCsv(out, p.j.naive);
  if (!naive.has(naiveCsv)) {
    const nf = join(dir, `naive-${seed}.csv`);
    writeFileSync(nf, naiveCsv);
    const n = json(['check', file, '--plan', nf, '--seed', String(90000 + seed), '--reps', J, '--max-reps', J, '--json', '--no-progress', '--workers', workers]);
    naive.set(naiveCsv, { seed, cost: p.j.naiveCost, fresh: n.j.targets });
  }
  log(`seed ${seed}: cost ${p.j.cost.toFixed(0)}, ${wall.toFixed(1)} s, own misses ${count(p.j.targets, 'misses')} undecided ${count(p.j.targets, 'undecided')}; fresh misses ${count(c.j.targets, 'misses')}`);
}
const costs = rows.map((r) => r.cost);
const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
console.log(`\n## ${file.split('/').pop()} planned with seeds ${range}, each plan judged on ${J} fresh replications\n`);
console.log('| seed | cost | vs mean | exit | plan s | replications | own verdict: windows miss / undecided | fresh: windows miss / undecided |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.seed} | ${r.cost.toFixed(0)} | ${((r.cost / mean - 1) * 100).toFixed(2)}% | ${r.exit} | ${r.wall.toFixed(1)} | ${r.reps} | ${count(r.own, 'misses')} / ${count(r.own, 'undecided')} | ${count(r.fresh, 'misses')} / ${count(r.fresh, 'undecided')} |`);
}
console.log(`\ncost spread (max − min) / mean: ${(((Math.max(...costs) - Math.min(...costs)) / mean) * 100).toFixed(2)}% · plans with a window that misses on fresh replications: ${rows.filter((r) => count(r.fresh, 'misses') > 0).length} of ${rows.length}`);
for (const n of naive.values()) {
  const missed = n.fresh.filter((t) => t.misses > 0).map((t) => `${t.id} (${t.misses})`);
  console.log(`naive plan of seed ${n.seed} (Erlang per interval on the plain load, cost ${n.cost.toFixed(0)}) on the same ${J} fresh replications: windows miss / undecided ${count(n.fresh, 'misses')} / ${count(n.fresh, 'undecided')}${missed.length > 0 ? `; missing: ${missed.join('; ')}` : ''}`);
}
const undecidedTargets = new Map();
for (const r of rows) for (const t of r.fresh) if (t.undecided > 0) undecidedTargets.set(t.id, (undecidedTargets.get(t.id) ?? 0) + t.undecided);
if (undecidedTargets.size > 0) console.log(`undecided on fresh replications, by target (all seeds): ${[...undecidedTargets].map(([k, v]) => `${k}: ${v}`).join('; ')}`);
