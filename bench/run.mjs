// npm run bench — peakplan against the peers in ../shared/peers, measured in the same run and
// reported as ratios (this machine is shared and noisy: compare medians of interleaved runs).
//
//   node bench/run.mjs [--rounds 7] [--quick] [--no-simpy] [--no-plan] [--scale]
//
// 1. Engine: the shared M/M/c+M workload (λ = 1000/min, AHT 3 min, patience 5 min, c = 3,100,
//    2,000,000 customers): peakplan's own model (bench/mmcn.mjs) against
//    node ../shared/peers/node_limit.mjs --heap inline, interleaved, and SimPy once.
// 2. The built-in Double-11 scenario with 10 replications, end to end in-process.
// 3. Every shipped scenario: events/s (against the M/M/c+M rate of 1.) and the share of each part
//    of the code in its time (bench/parts.mjs).
// 4. `peakplan plan` on the built-in scenario: wall time, replications, cost against the naive plan.
// 5. Start-up (`--version`, `check --help`, against a bare `node -e 0`) and `peakplan check` of the
//    built-in scenario's own plan.
// 6. With --scale: bench/scale.mjs (10 M / 30 M / 100 M contacts: time and peak RSS; ~3 minutes more).
// The planner's figures over seeds and against a long search: npm run bench:seeds, bench:frontier.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const peers = join(root, '..', 'shared', 'peers');
const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7;
const quick = args.includes('--quick');
const withSimpy = !args.includes('--no-simpy');
const N = quick ? 500000 : 2000000;
const workload = ['--lam', '1000', '--aht', '3', '--patience', '5', '-c', '3100', '-n', String(N), '--seed', '1'];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const json = (cmd, argv) => JSON.parse(execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop());
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const log = (s) => process.stderr.write(s + '\n');

const rows = [];
let mmcRate = null; // peakplan's own M/M/c+M rate in this run (the per-scenario section compares with it)
if (!existsSync(join(peers, 'node_limit.mjs'))) {
  log(`peers not found at ${peers}; engine comparison skipped`);
} else {
  const ours = [], limit = [];
  for (let r = 0; r < rounds; r++) {
    log(`engine round ${r + 1}/${rounds}`);
    const runOurs = () => ours.push(json(process.execPath, [join(here, 'mmcn.mjs'), ...workload]));
    const runLimit = () => limit.push(json(process.execPath, [join(peers, 'node_limit.mjs'), '--heap', 'inline', ...workload]));
    if (r % 2 === 0) { runOurs(); runLimit(); } else { runLimit(); runOurs(); } // alternate who goes first
  }
  const o = median(ours.map((x) => x.events_per_s)), l = median(limit.map((x) => x.events_per_s));
  mmcRate = o;
  // Each round's two runs are seconds apart, so on a shared machine the ratio within a round is
  // steadier than the ratio of the medians: the figure reported is the median of the rounds' ratios.
  const ratios = ours.map((x, r) => x.events_per_s / limit[r].events_per_s);
  const ratio = median(ratios);
  rows.push(['peakplan model', fmt(ours[0].events), fmt(o), median(ours.map((x) => x.wall_s)).toFixed(2), ratio.toFixed(2)]);
  rows.push(['node_limit --heap inline (ceiling)', fmt(limit[0].events), fmt(l), median(limit.map((x) => x.wall_s)).toFixed(2), '1.00']);
  let simpyLine = '';
  if (withSimpy) {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import simpy'], { encoding: 'utf8' });
    if (probe.status === 0) {
      log(`SimPy on ${fmt(N)} customers (about a minute per million)…`);
      const s = json('/usr/bin/python3', [join(peers, 'simpy_mmcn.py'), ...workload]);
      rows.push(['SimPy 3 (simpy_mmcn.py)', fmt(s.events), fmt(s.events_per_s), s.wall_s.toFixed(2), (s.events_per_s / l).toFixed(4)]);
      simpyLine = `peakplan / SimPy: ${(o / s.events_per_s).toFixed(0)}× (the ceiling / SimPy: ${(l / s.events_per_s).toFixed(0)}×)`;
    } else simpyLine = 'SimPy not installed (apt-get install -y python3-simpy3): skipped';
  }
  console.log(`\n## Engine: M/M/c+M, λ = 1000/min, AHT 3 min, patience 5 min, c = 3,100, ${fmt(N)} customers (median of ${rounds} interleaved runs)\n`);
  console.log('| implementation | events | events/s | wall s | vs ceiling |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\npeakplan / ceiling: ${ratio.toFixed(2)}× (median of the rounds' ratios, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) · ${simpyLine}`);
}

// The built-in scenario end to end (load, compile, 10 replications, summary).
const { loadScenario } = await import(join(root, 'dist/scenario/load.js'));
const { simulateScenario } = await import(join(root, 'dist/parallel/runner.js'));
const times = [];
let events = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const s = loadScenario(join(root, 'scenarios/double11.yaml'), { replications: 10 });
  const out = simulateScenario(s, { reportSec: 3600 });
  times.push((performance.now() - t0) / 1000);
  events = out.result.totals.events;
}
console.log(`\n## Built-in Double-11 scenario, 10 replications (median of 3)\n`);
console.log(`${median(times).toFixed(2)} s wall, ${fmt(events)} events, ${fmt(events / median(times))} events/s`);

// What `simulate --json` adds to those replications: the summary and the JSON text, as shares of
// the whole (aim ≤ 10%), at the command's default grain (`--interval`, 1 hour) and at the
// scenario's own interval (`--interval 15m`, four times the rows).
{
  const { summarise } = await import(join(root, 'dist/stats/summary.js'));
  const { renderJson } = await import(join(root, 'dist/report/json.js'));
  const s = loadScenario(join(root, 'scenarios/double11.yaml'), { replications: 10 });
  for (const [grain, what] of [[3600, 'the default 1-hour grain (simulate --json)'], [s.calendar.intervalSec, `the scenario's ${s.calendar.intervalSec / 60}-minute grain (--interval ${s.calendar.intervalSec / 60}m)`]]) {
    const parts = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const out = simulateScenario(s, { skipSummary: true, reportSec: grain });
      const t1 = performance.now();
      const res = summarise(s, out.layout, out.reps, {});
      const t2 = performance.now();
      const text = renderJson(res, 'bench');
      const t3 = performance.now();
      parts.push({ reps: t1 - t0, summary: t2 - t1, json: t3 - t2, bytes: text.length });
    }
    const m = (k) => median(parts.map((p) => p[k]));
    const total = m('reps') + m('summary') + m('json');
    console.log(`summary and JSON at ${what}, median of 3: replications ${m('reps').toFixed(0)} ms, summary ${m('summary').toFixed(0)} ms, JSON ${m('json').toFixed(0)} ms (${(parts[0].bytes / 1e6).toFixed(1)} MB): ` +
      `${((100 * (m('summary') + m('json'))) / total).toFixed(0)}% of the run (aim ≤ 10%)`);
  }
  // As the command runs it: the replications on a worker per core, the summary and the JSON on
  // the main thread after them (the workers already started, as the CLI prewarms them).
  const { ReplicationPool, defaultWorkers } = await import(join(root, 'dist/parallel/pool.js'));
  const { simulateScenarioAsync } = await import(join(root, 'dist/parallel/runner.js'));
  const pool = new ReplicationPool(defaultWorkers());
  await simulateScenarioAsync({ ...s, replications: pool.size }, { skipSummary: true, reportSec: 3600, pool });
  const parts = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const out = await simulateScenarioAsync(s, { skipSummary: true, reportSec: 3600, pool });
    const t1 = performance.now();
    renderJson(summarise(s, out.layout, out.reps, {}), 'bench');
    parts.push({ reps: t1 - t0, rest: performance.now() - t1 });
  }
  pool.close();
  const m = (k) => median(parts.map((p) => p[k]));
  console.log(`the same on ${pool.size} workers, as simulate --json runs it (median of 3): replications ${m('reps').toFixed(0)} ms, then summary and JSON ${m('rest').toFixed(0)} ms: ` +
    `${((100 * m('rest')) / (m('reps') + m('rest'))).toFixed(0)}% of the run`);
}

// The planner's replications played back from their order-flow tape (src/model/orders/tape.ts)
// against fresh ones, with other staffing than the recording's: interleaved, in this process.
{
  const { compile } = await import(join(root, 'dist/model/compile.js'));
  const { makeLayout, runReplication } = await import(join(root, 'dist/model/replication.js'));
  const { withStaffing } = await import(join(root, 'dist/staffing/staffing.js'));
  const s = loadScenario(join(root, 'scenarios/double11.yaml'), { replications: 1 });
  const b = withStaffing(s, s.pools.map((p) => Int32Array.from(p.staffing, (x, i) => Math.max(0, x + ((i % 3) - 1)))));
  const layout = makeLayout(s, s.calendar.intervalSec, false, true);
  const fresh = [], played = [];
  for (let r = 0; r < 6; r++) {
    runReplication(compile(s), layout, s.seed, r, undefined, undefined, true); // records
    let t0 = performance.now();
    runReplication(compile(b), layout, s.seed, r);
    fresh.push(performance.now() - t0);
    t0 = performance.now();
    runReplication(compile(b), layout, s.seed, r, undefined, undefined, true);
    played.push(performance.now() - t0);
  }
  console.log(`a replication played back from its order-flow tape: ${median(played).toFixed(0)} ms against ${median(fresh).toFixed(0)} ms fresh (${(median(played) / median(fresh)).toFixed(2)}×; median of 6, the planner's layout)`);
}

// Every shipped scenario: events/s and where the time goes (bench/parts.mjs).
{
  const { measureScenarios, printScenarios } = await import('./parts.mjs');
  printScenarios(await measureScenarios({ reps: quick ? 2 : 5, log }), mmcRate);
}

// `peakplan plan` on the built-in scenario, end to end as a user runs it (process start, loading,
// worker threads, every stage, both verifications, the table): time, replications simulated, cost
// against the naive plan, and the verdict.
if (!args.includes('--no-plan')) {
  const { spawnSync } = await import('node:child_process');
  const { cpus } = await import('node:os');
  log('planning the built-in scenario (about a minute)…');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/peakplan.js'), 'plan', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  const j = JSON.parse(r.stdout);
  const missed = j.targets.filter((t) => t.verdict === 'misses').map((t) => `${t.id} (${t.misses})`);
  const undecided = j.targets.reduce((a, t) => a + t.undecided, 0);
  const naiveMissed = j.naiveTargets.filter((t) => t.verdict === 'misses').length;
  console.log(`\n## peakplan plan on the built-in scenario (the CLI, end to end)\n`);
  console.log(`${wall.toFixed(1)} s wall on ${cpus().length} cores (exit ${r.status}), ${j.replicationsRun} replications simulated; cost ${fmt(j.cost)} vs the naive plan's ${fmt(j.naiveCost)} ` +
    `(${((j.cost / j.naiveCost - 1) * 100).toFixed(1)}%); verification (${j.verifyReplications} replications): targets that miss ${missed.length} ${missed.length ? '[' + missed.join('; ') + ']' : ''}, windows undecided ${undecided}; naive plan: ${naiveMissed} targets miss`);
}

// Start-up and the CI gate: what every `peakplan check` in CI pays before and while it simulates.
{
  const { spawnSync } = await import('node:child_process');
  const time = (argv, n) => {
    const ts = [];
    for (let k = 0; k < n; k++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(root, 'bin/peakplan.js'), ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
      ts.push((performance.now() - t0) / 1000);
      if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
    }
    return ts;
  };
  const bare = [];
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push((performance.now() - t0) / 1000);
  }
  const version = time(['--version'], 7), help = time(['check', '--help'], 7);
  const gate = time(['check', 'scenarios/double11.yaml', '--plan', 'scenarios/double11-plan.csv', '--json', '--no-progress'], 3);
  console.log(`\n## Start-up and the CI gate (medians)\n`);
  console.log(`node -e 0: ${median(bare).toFixed(3)} s · peakplan --version: ${median(version).toFixed(3)} s · peakplan check --help: ${median(help).toFixed(3)} s (aim ≤ 0.150 s)`);
  console.log(`peakplan check of the built-in scenario's own plan (scenarios/double11-plan.csv, default looks): ${median(gate).toFixed(2)} s (3 runs: ${gate.map((x) => x.toFixed(2)).join(', ')})`);
  // the same with --cache (a CI job keeping the directory between runs): the first run writes the
  // order tapes, the next ones play them (other staffing would play them the same way)
  {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-bench-cache-'));
    const args = ['check', 'scenarios/double11.yaml', '--plan', 'scenarios/double11-plan.csv', '--json', '--no-progress', '--cache', dir];
    const fill = time(args, 1), warm = time(args, 3);
    rmSync(dir, { recursive: true, force: true });
    console.log(`the same with --cache: ${fill[0].toFixed(2)} s writing the cache, then ${median(warm).toFixed(2)} s (3 runs: ${warm.map((x) => x.toFixed(2)).join(', ')}): ${(median(warm) / median(gate)).toFixed(2)}× the check without it`);
  }
  // --fail-fast: the built-in plan misses at the first look, so the check stops there
  {
    const fast = time(['check', 'scenarios/double11.yaml', '--plan', 'scenarios/double11-plan.csv', '--json', '--no-progress', '--fail-fast'], 3);
    console.log(`the same with --fail-fast (it misses at the first look): ${median(fast).toFixed(2)} s (3 runs: ${fast.map((x) => x.toFixed(2)).join(', ')}): ${(median(fast) / median(gate)).toFixed(2)}× the check without it`);
  }
  // how fast Ctrl-C stops a long run (test/signals.test.ts proves that it does, not how fast)
  const { spawn } = await import('node:child_process');
  const stopMs = [];
  for (const args of [['simulate', 'scenarios/double11.yaml', '--reps', '50', '--workers', '1'], ['plan', '--workers', '2', '--no-progress']]) {
    stopMs.push(await new Promise((res) => {
      const p = spawn(process.execPath, [join(root, 'bin/peakplan.js'), ...args], { stdio: 'ignore' });
      let sent = 0;
      setTimeout(() => { sent = performance.now(); p.kill('SIGINT'); }, 3000);
      p.on('exit', () => res(performance.now() - sent));
    }));
  }
  console.log(`SIGINT 3 s into a run: simulate stopped after ${stopMs[0].toFixed(0)} ms, plan after ${stopMs[1].toFixed(0)} ms (aim: within a second)`);
}

// What V8 makes of the hot code (bench/v8.mjs).
spawnSync(process.execPath, [join(here, 'v8.mjs')], { stdio: 'inherit' });

// Memory and time against volume (bench/scale.mjs): minutes, so only when asked.
if (args.includes('--scale')) {
  const r = spawnSync(process.execPath, [join(here, 'scale.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
