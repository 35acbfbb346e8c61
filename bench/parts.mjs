// Per shipped scenario: events per second of a `simulate` run (replications and summary, in
// process, one thread) and the share of its time in each part of the code, from V8's sampling
// profiler (the same attribution as `node --cpu-prof`, by source file): a regression shows
// which part moved. Run alone (`node bench/parts.mjs [--reps 5]`) or as part of npm run bench.
//
// "events" are the customer events of the M/M/c+M workload (arrivals, abandonments, service
// completions), so the rates compare with the engine section's.
import { readdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** The parts, in the order printed: the first whose test matches a frame's source file takes its time. */
export const PARTS = [
  ['orders', (u) => u.includes('/model/orders/')],
  ['contacts', (u) => u.includes('/model/')],
  ['events', (u) => u.includes('/engine/event-queue') || u.includes('/engine/store') || u.includes('/engine/spare')],
  ['random', (u) => u.includes('/engine/random') || u.includes('/engine/distributions')],
  ['bins', (u) => u.includes('/stats/recorder') || u.includes('/stats/daily') || u.includes('/stats/histogram')],
  ['summary', (u) => u.includes('/stats/') || u.includes('simple-statistics')],
  ['gc', (_u, name) => name === '(garbage collector)'],
  ['other', () => true],
];

function shares(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map(PARTS.map(([p]) => [p, 0]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    // idle, V8's own bookkeeping, and the in-process inspector answering the profiler's start and stop
    if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)' || (n.callFrame.functionName === 'dispatch' && n.callFrame.url === '')) return;
    const part = PARTS.find(([, test]) => test(n.callFrame.url, n.callFrame.functionName))[0];
    time.set(part, time.get(part) + dt);
    total += dt;
  });
  return Object.fromEntries([...time].map(([p, t]) => [p, total > 0 ? t / total : 0]));
}

/** Each scenario of scenarios/ but the 100-million-contact one (bench/scale.mjs runs it). */
export async function measureScenarios({ reps = 5, log = () => {} } = {}) {
  const { loadScenario } = await import(pathToFileURL(join(root, 'dist/scenario/load.js')).href);
  const { simulateScenario } = await import(pathToFileURL(join(root, 'dist/parallel/runner.js')).href);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  const rows = [];
  for (const f of readdirSync(join(root, 'scenarios')).filter((x) => x.endsWith('.yaml') && !x.startsWith('stress')).sort()) {
    log(`parts: ${f}`);
    const s = loadScenario(join(root, 'scenarios', f), { replications: reps });
    simulateScenario({ ...s, replications: 1 }); // warm the code
    const t0 = performance.now();
    const out = simulateScenario(s);
    const wall = (performance.now() - t0) / 1000;
    await session.post('Profiler.start');
    simulateScenario(s);
    const { profile } = await session.post('Profiler.stop');
    rows.push({ scenario: f, reps, events: out.result.totals.events, wall, rate: out.result.totals.events / wall, shares: shares(profile) });
  }
  session.disconnect();
  return rows;
}

export function printScenarios(rows, mmcRate) {
  const pct = (x) => `${(100 * x).toFixed(0)}%`;
  console.log(`\n## Per scenario: simulate (${rows[0]?.reps} replications and the summary, one thread) and where its time goes\n`);
  console.log(`| scenario | events | events/s | ${mmcRate ? 'vs M/M/c+M | ' : ''}${PARTS.map(([p]) => p).join(' | ')} |`);
  console.log(`|---|---|---|${mmcRate ? '---|' : ''}${PARTS.map(() => '---').join('|')}|`);
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${Math.round(r.events).toLocaleString('en-US')} | ${Math.round(r.rate).toLocaleString('en-US')} | ${mmcRate ? (r.rate / mmcRate).toFixed(2) + ' | ' : ''}${PARTS.map(([p]) => pct(r.shares[p])).join(' | ')} |`);
  }
  console.log(`\nParts by source file: orders = model/orders (order flow, logistics, returns); contacts = the rest of model/ (arrivals, bot, routing, agents, queues, complaints);` +
    ` events = the event list and record stores; random = streams and inverse CDFs; bins = per-bin and per-day recorders and wait histograms; summary = stats/ (summaries, windows, verdicts);` +
    ` gc = garbage collection; other = loading, compiling and the rest.`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = process.argv.slice(2);
  const reps = a.includes('--reps') ? Number(a[a.indexOf('--reps') + 1]) : 5;
  printScenarios(await measureScenarios({ reps, log: (s) => process.stderr.write(s + '\n') }), null);
}
