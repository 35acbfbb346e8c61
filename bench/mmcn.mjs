// peakplan's own model on the shared M/M/c+M workload, as one JSON line like the peers print.
//   node bench/mmcn.mjs --lam 1000 --aht 3 --patience 5 -c 3100 -n 2000000 --seed 1
// Times in minutes as in ../shared/peers. 'events' = arrivals + completions + abandonments.
import { performance } from 'node:perf_hooks';
import { loadScenarioText } from '../dist/scenario/load.js';
import { compile } from '../dist/model/compile.js';
import { makeLayout, runReplication } from '../dist/model/replication.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const lam = opt('--lam', 1000), aht = opt('--aht', 3), patience = opt('--patience', 5), c = opt('-c', 3100), n = opt('-n', 2000000), seed = opt('--seed', 1);
const minutes = n / lam;
const yaml = `
name: bench M/M/c+M
seed: ${seed}
replications: 1
calendar: { start: 2026-01-01T00:00+00:00, horizon: ${minutes}m, interval: 60m }
intents: [general]
channels: { phone: { patience: ${Number.isFinite(patience) ? `{ exponential: ${patience * 60}s }` : 'none'} } }
demand: [{ channel: phone, intent: general, curve: { shape: flat, total: ${n} } }]
pools: [{ name: agents, channel: phone, skills: [general], handleTime: { default: { exponential: ${aht * 60}s } }, staffing: ${c} }]
`;
const s = loadScenarioText(yaml, 'bench.yaml', process.cwd());
// --repeat k: run k times in this process and report the fastest (for A/B work on the engine;
// the official bench runs separate processes and takes medians).
const repeat = opt('--repeat', 1);
// cpu_s (user + system time of the same span) is steadier than wall time on a busy machine:
// use it to compare two builds; the ratios against the peers use wall time, as they do.
let wall = Infinity, cpu = Infinity, rep;
for (let k = 0; k < repeat; k++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const model = compile(s);
  rep = runReplication(model, makeLayout(s, 3600), seed, 0);
  const c = process.cpuUsage(c0);
  wall = Math.min(wall, (performance.now() - t0) / 1000);
  cpu = Math.min(cpu, (c.user + c.system) / 1e6);
}
const sum = (a) => a.reduce((x, y) => x + y, 0);
const arrived = sum(rep.counters.arrived), answered = sum(rep.counters.answered), abandoned = sum(rep.counters.abandoned);
console.log(JSON.stringify({
  impl: 'peakplan', customers: arrived, served: answered, abandoned,
  p_abandon: abandoned / (answered + abandoned), events: rep.events, wall_s: wall, cpu_s: cpu, events_per_s: rep.events / wall,
  peak_contacts: rep.peakContacts,
}));
