// Parallel speed-up of replications on worker threads, two ways, each with --workers 1 and N
// interleaved (the machine is shared: the ratio within each pair is what counts):
//  1. the whole command: `peakplan simulate` of the built-in scenario's replications, from process
//     start to output (byte-identity of the two outputs checked on the way). It includes what
//     cannot run in parallel: Node's start and imports, loading the scenario, each worker's first
//     replication (V8 compiling the model), the summary and the JSON;
//  2. cold workers: the replications alone, on a pool started just before (each worker boots,
//     receives the scenario and compiles the model as it runs): the command without its serial
//     parts (start, imports, loading, summary, JSON);
//  3. warm workers: the same replications on a pool whose workers hold the scenario and have run
//     a replication already — what the planner's rounds (and long runs) see.
//   node bench/parallel.mjs [--rounds 3] [--workers 2] [--reps 10] [scenario]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const rounds = Number(opt('--rounds', '3'));
const workers = Number(opt('--workers', String(Math.max(2, cpus().length))));
const reps = opt('--reps', '10');
const scenario = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? fileURLToPath(new URL('../scenarios/double11.yaml', import.meta.url));
const bin = fileURLToPath(new URL('../bin/peakplan.js', import.meta.url));

function once(w) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'simulate', scenario, '--reps', reps, '--workers', String(w), '--json', '--no-progress'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(r.stderr);
  return { sec: Number(process.hrtime.bigint() - t) / 1e9, out: r.stdout };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ratios = [], one = [], many = [];
for (let k = 0; k < rounds; k++) {
  const a = once(1), b = once(workers);
  if (a.out !== b.out) throw new Error('outputs differ between 1 and ' + workers + ' workers');
  one.push(a.sec); many.push(b.sec); ratios.push(a.sec / b.sec);
  console.error(`round ${k + 1}: 1 worker ${a.sec.toFixed(2)} s, ${workers} workers ${b.sec.toFixed(2)} s, speed-up ${(a.sec / b.sec).toFixed(2)}×`);
}
console.log(`parallel replications (${reps} of ${scenario.split('/').pop()}, whole command incl. loading and summary): ` +
  `1 worker ${median(one).toFixed(2)} s, ${workers} workers ${median(many).toFixed(2)} s, speed-up ${median(ratios).toFixed(2)}× (median of ${rounds} interleaved pairs, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; identical output)`);

// 2. and 3. cold and warm workers
const { ReplicationPool } = await import(new URL('../dist/parallel/pool.js', import.meta.url));
const { loadScenario } = await import(new URL('../dist/scenario/load.js', import.meta.url));
const base = loadScenario(scenario, {});
const task = { staffing: null, reportSec: 3600, trackNumberInSystem: false, noQuantiles: false };
const n = Number(reps);
async function timed(w, warmFirst) {
  const t0 = process.hrtime.bigint();
  const pool = new ReplicationPool(w);
  // warm: each worker receives the scenario and compiles the model on replications not timed
  if (warmFirst) await pool.run(base, task, Array.from({ length: w }, (_, i) => 1000 + i));
  const t = warmFirst ? process.hrtime.bigint() : t0;
  const out = await pool.run(base, task, Array.from({ length: n }, (_, i) => i));
  const sec = Number(process.hrtime.bigint() - t) / 1e9;
  pool.close();
  return { sec, out };
}
for (const warmFirst of [false, true]) {
  const label = warmFirst ? 'warm' : 'cold';
  const wr = [], w1 = [], wn = [];
  for (let k = 0; k < rounds; k++) {
    const a = await timed(1, warmFirst), b = await timed(workers, warmFirst);
    if (JSON.stringify(a.out.map((r) => r.events)) !== JSON.stringify(b.out.map((r) => r.events))) throw new Error(`${label} runs differ`);
    w1.push(a.sec); wn.push(b.sec); wr.push(a.sec / b.sec);
    console.error(`${label} round ${k + 1}: 1 worker ${a.sec.toFixed(2)} s, ${workers} workers ${b.sec.toFixed(2)} s, speed-up ${(a.sec / b.sec).toFixed(2)}×`);
  }
  console.log(`parallel replications (${reps} of ${scenario.split('/').pop()}, ${label} workers${warmFirst ? '' : ': replications only, from a new pool'}): ` +
    `1 worker ${median(w1).toFixed(2)} s, ${workers} workers ${median(wn).toFixed(2)} s, speed-up ${median(wr).toFixed(2)}× (median of ${rounds} interleaved pairs, ${Math.min(...wr).toFixed(2)}–${Math.max(...wr).toFixed(2)})`);
}
