// The long, precise search the planner's cost is measured against (npm run bench:frontier).
//
//   node bench/frontier.mjs [scenario] [--reps 1000] [--judge 1000] [--seeds 1,2,3] [--workers 2] [--z 2]
//
// 1. peakplan plan, as a user runs it, once per seed (default: the scenario's seed).
// 2. The cheapest plan a long search finds, started from the first seed's plan: every candidate is
//    simulated on the same --reps replications (common random numbers) and a window holds when
//    its mean meets the target — with 1,000 replications the means are precise to a few tenths of
//    a point — or, with --z, when the mean beats the bound by z standard errors (a plan of the
//    first kind sits on the bound and misses some windows on fresh replications; --z 2 asks the
//    long search for one that does not). Removals first in parallel (every interval at once, steps halving where a window
//    breaks), then one interval at a time until no single agent can go.
// 3. Every plan judged on --judge fresh replications (indices no search used): intervals whose
//    mean misses, and cost against the long search's.
// Minutes: the polishing pass simulates the whole horizon once per interval.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { loadScenario } = await import(join(root, 'dist/scenario/load.js'));
const { readPlanCsv, withPlan } = await import(join(root, 'dist/scenario/normalise.js'));
const { simulateScenarioAsync } = await import(join(root, 'dist/parallel/runner.js'));
const { ReplicationPool } = await import(join(root, 'dist/parallel/pool.js'));
const { targetSamples } = await import(join(root, 'dist/stats/windows.js'));
const { staffingCost, withStaffing } = await import(join(root, 'dist/staffing/planner.js'));

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const file = args[0] && !args[0].startsWith('--') ? args[0] : join(root, 'scenarios/teaching-spike.yaml');
const R = Number(opt('--reps', 1000));
const J = Number(opt('--judge', 1000));
const workers = Number(opt('--workers', 2));
const Z = Number(opt('--z', 0));
const log = (s) => process.stderr.write(s + '\n');
const base = loadScenario(file, {});
const seeds = (opt('--seeds', String(base.seed))).split(',').map(Number);
const pool = new ReplicationPool(workers);
const FIRST_JUDGE = 900000, FIRST_SEARCH = 500000;

/** Per window: [target, index, mean] of a staffing on n replications from `first`. */
async function means(staff, n, first) {
  const s = { ...withStaffing(base, staff), replications: n };
  const out = await simulateScenarioAsync(s, { reportSec: base.calendar.intervalSec, firstReplication: first, noQuantiles: true, pool, base, skipSummary: true });
  const reps = [...out.reps].sort((a, b) => a.replication - b.replication);
  const res = [];
  base.targets.forEach((t, ti) => {
    for (const w of targetSamples(s, out.layout, reps, t)) {
      if (!w.evaluated) continue;
      let k = 0, sum = 0, ss = 0;
      for (const v of w.values) if (!Number.isNaN(v)) { k++; sum += v; }
      for (const v of w.values) if (!Number.isNaN(v)) ss += (v - sum / k) ** 2;
      res.push({ t, ti, index: w.index, scope: t.scope, mean: sum / k, se: Math.sqrt(ss / Math.max(1, k - 1) / k) });
    }
  });
  return res;
}
const holds = (w) => (w.t.sense === 'atLeast' ? w.mean - Z * w.se >= w.t.bound : w.mean + Z * w.se <= w.t.bound);
// the judge on fresh replications counts a window as missing when its mean misses
const holdsOnMean = (w) => (w.t.sense === 'atLeast' ? w.mean >= w.t.bound : w.mean <= w.t.bound);
const cost = (staff) => staffingCost(base, staff).cost;
const clone = (x) => x.map((a) => Int32Array.from(a));

// ---- 1. the planner, per seed ------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'peakplan-frontier-'));
const plans = [];
for (const seed of seeds) {
  const out = join(dir, `plan-${seed}.csv`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/peakplan.js'), 'plan', file, '--seed', String(seed), '--out', out, '--json', '--no-progress', '--workers', String(workers)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  const j = JSON.parse(r.stdout);
  const plan = readPlanCsv(readFileSync(out, 'utf8'), out, base.calendar, base.pools.map((p) => p.name));
  plans.push({ seed, staff: withPlan(base, plan).pools.map((p) => Int32Array.from(p.staffing)), wall: (performance.now() - t0) / 1000, exit: r.status, reps: j.replicationsRun, cost: j.cost });
  log(`plan with seed ${seed}: cost ${j.cost.toFixed(0)}, exit ${r.status}, ${j.replicationsRun} replications, ${plans.at(-1).wall.toFixed(1)} s`);
}

// ---- 2. the long search (or a saved one: --best FILE; --save-best FILE keeps it) -----------
const { renderPlanCsv } = await import(join(root, 'dist/report/plan.js'));
const { writeFileSync } = await import('node:fs');
const bestFile = opt('--best', null);
let staff = clone(plans[0].staff);
if (bestFile !== null) staff = withPlan(base, readPlanCsv(readFileSync(bestFile, 'utf8'), bestFile, base.calendar, base.pools.map((p) => p.name))).pools.map((p) => Int32Array.from(p.staffing));
else {
const nP = base.pools.length, nI = base.calendar.intervals;
let ws = await means(staff, R, FIRST_SEARCH);
for (let guard = 0; ws.some((w) => !holds(w)) && guard < 50; guard++) {
  for (const w of ws) if (!holds(w) && w.scope === 'interval') for (let pi = 0; pi < nP; pi++) if (base.pools[pi].channel === w.t.channel) { staff[pi][w.index]++; break; }
  ws = await means(staff, R, FIRST_SEARCH);
}
const min = (pi, i) => base.pools[pi].planning.min[i];
const step = base.pools.map((_, pi) => Int32Array.from(staff[pi], (v) => Math.max(1, Math.floor(v / 12))));
const done = base.pools.map(() => new Uint8Array(nI));
for (let round = 0; round < 60; round++) {
  const cand = [];
  for (let pi = 0; pi < nP; pi++) for (let i = 0; i < nI; i++) if (!done[pi][i] && staff[pi][i] > min(pi, i)) cand.push([pi, i]);
  if (cand.length === 0) break;
  const trial = clone(staff);
  for (const [pi, i] of cand) trial[pi][i] -= Math.min(step[pi][i], staff[pi][i] - min(pi, i));
  const tw = await means(trial, R, FIRST_SEARCH);
  const bad = new Set(tw.filter((w) => !holds(w)).flatMap((w) => (w.scope === 'interval' ? [w.index, w.index - 1, w.index - 2] : [...Array(nI).keys()])));
  let kept = 0;
  for (const [pi, i] of cand) {
    if (bad.has(i)) {
      trial[pi][i] = staff[pi][i];
      if (step[pi][i] === 1) done[pi][i] = 1;
      step[pi][i] = Math.max(1, step[pi][i] >> 1);
    } else kept++;
  }
  staff = trial;
  log(`long search, parallel round ${round + 1}: ${kept} of ${cand.length} removals kept, cost ${cost(staff).toFixed(0)}`);
}
ws = await means(staff, R, FIRST_SEARCH);
for (let guard = 0; ws.some((w) => !holds(w)) && guard < 50; guard++) {
  for (const w of ws) if (!holds(w) && w.scope === 'interval') for (let pi = 0; pi < nP; pi++) if (base.pools[pi].channel === w.t.channel) { staff[pi][w.index]++; break; }
  ws = await means(staff, R, FIRST_SEARCH);
}
// polishing: one agent off one interval at a time, until a whole pass changes nothing
for (let pass = 0, changed = true; changed && pass < 4; pass++) {
  changed = false;
  for (let pi = 0; pi < nP; pi++) {
    for (let i = 0; i < nI; i++) {
      if (staff[pi][i] <= min(pi, i)) continue;
      const trial = clone(staff);
      trial[pi][i]--;
      if ((await means(trial, R, FIRST_SEARCH)).every(holds)) { staff = trial; changed = true; }
    }
  }
  log(`long search, polishing pass ${pass + 1}: cost ${cost(staff).toFixed(0)}`);
}
}
const best = staff;
if (opt('--save-best', null) !== null) writeFileSync(opt('--save-best'), renderPlanCsv(base, best));
for (const p of plans) log(`per interval, plan (seed ${p.seed}) − long search: ${Array.from(p.staff[0], (v, i) => v - best[0][i]).join(' ')}`);

// ---- 3. judged on fresh replications ------------------------------------------------------
console.log(`\n## ${base.name}: the planner against a long precise search (${R} common replications), judged on ${J} fresh replications\n`);
console.log('| plan | cost | vs long search | intervals judged | intervals whose mean misses on fresh replications | worst mean | planner wall s | planner replications | exit |');
console.log('|---|---|---|---|---|---|---|---|---|');
const judge = async (label, st, extra) => {
  const jw = await means(st, J, FIRST_JUDGE);
  const miss = jw.filter((w) => !holdsOnMean(w)).length;
  const worst = Math.min(...jw.filter((w) => w.t.sense === 'atLeast').map((w) => w.mean));
  console.log(`| ${label} | ${cost(st).toFixed(0)} | ${((cost(st) / cost(best) - 1) * 100).toFixed(2)}% | ${jw.length} | ${miss} | ${worst.toFixed(4)} | ${extra} |`);
};
await judge(`long search (${R} replications${Z > 0 ? `, means ${Z} standard errors clear` : ''})`, best, ' | | ');
for (const p of plans) await judge(`peakplan plan --seed ${p.seed}`, p.staff, `${p.wall.toFixed(1)} | ${p.reps} | ${p.exit}`);
pool.close();
