// The theory table of docs/validation.md ("Against queueing theory and peers"), from the current code: every row the
// theory, and the simulation's mean over the replications with its 99.9% Student-t half-width —
// the band test/theory.test.ts holds it to (fixed seeds, the same systems).
//
//   npm run build && node scripts/theory-figures.mjs
import { loadScenarioText } from '../dist/scenario/load.js';
import { simulateScenario } from '../dist/parallel/runner.js';
import { erlangA, erlangCMetrics, serviceLevelBases } from '../dist/staffing/erlang.js';
import { estimate } from '../dist/stats/student.js';
import { targetSamples } from '../dist/stats/windows.js';
import { QUEUE_FIELD } from '../dist/stats/recorder.js';

const LAM = 100 / 1800, AHT = 180;
const mmc = ({ perMinute, agents, patience, days = 10, reps = 20, concurrency = 1, extra = '', intents = '[general]', demand }) => `
name: mmc
seed: 1
replications: ${reps}
calendar: { start: 2026-01-01T00:00+00:00, horizon: ${days}d, interval: 60m }
intents: ${intents}
channels: { phone: { patience: ${patience ? `{ exponential: ${patience} }` : 'none'} } }
demand: ${demand ?? `[{ channel: phone, intent: general, curve: { shape: flat, total: ${perMinute * 1440 * days} } }]`}
pools: [{ name: agents, channel: phone, skills: ${intents}, concurrency: ${concurrency}, handleTime: { default: { exponential: 3m } }, staffing: ${agents} }]
targets:
  - { channel: phone, serviceLevel: { within: 20s, atLeast: 0.8 }, scope: horizon }
${extra}`;
const run = (yaml) => simulateScenario(loadScenarioText(yaml, 'theory.yaml', process.cwd()));
const sum = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };
const done = (r) => sum(r.counters.answered) + sum(r.counters.abandoned);
const pWait = (r) => 1 - sum(r.counters.answeredAtOnce) / done(r);
const sl = (r) => { let w = 0; for (let i = 0; i < r.within.length; i += r.maxK) w += r.within[i]; return w / done(r); };
const asa = (r) => sum(r.counters.waitAnswered) / sum(r.counters.answered);
const pAb = (r) => sum(r.counters.abandoned) / done(r);
const band = (xs, digits) => { const e = estimate(xs, 0.999); return `${e.mean.toFixed(digits)} ± ${e.half.toFixed(digits)}`; };
const rows = [];
const row = (check, theory, sim) => rows.push(`| ${check} | ${theory} | ${sim} |`);

{
  const out = run(mmc({ perMinute: 100 / 30, agents: 14 }));
  const t = erlangCMetrics(LAM, AHT, 14, 20);
  row('Erlang C, 100 / 30 min, AHT 180 s, 14 agents: P(wait), SL20, ASA (s)', `${t.pWait.toFixed(4)}, ${t.serviceLevel.toFixed(4)}, ${t.asa.toFixed(2)}`,
    `${band(out.reps.map(pWait), 4)}, ${band(out.reps.map(sl), 4)}, ${band(out.reps.map(asa), 2)}`);
}
{
  const bases = ['offered', 'answered', 'offeredExceptShortAbandons', 'allWaits'];
  const extra = bases.map((b) => `  - { channel: phone, serviceLevel: { within: 20s, atLeast: 0.8, of: ${b} }, scope: horizon }`).join('\n');
  const out = run(mmc({ perMinute: 100 / 30, agents: 13, patience: '5m', extra }));
  const t = erlangA(LAM, AHT, 300, 13, 20);
  row('Erlang A, same, patience 5 min, 13 agents: P(wait), P(abandon), wait of answered (s)', `${t.pWait.toFixed(4)}, ${t.pAbandon.toFixed(4)}, ${t.meanWaitAnswered.toFixed(2)}`,
    `${band(out.reps.map(pWait), 4)}, ${band(out.reps.map(pAb), 4)}, ${band(out.reps.map(asa), 2)}`);
  const b = serviceLevelBases(t);
  const s = out.model.scenario;
  const sims = bases.map((_, i) => band(targetSamples(s, out.layout, out.reps, s.targets[i + 1])[0].values, 4));
  row('the same: SL20 of offered, of answered, without short abandons, of all waits (docs/model.md)', bases.map((k) => b[k].toFixed(4)).join(', '), sims.join(', '));
}
{
  const out = run(mmc({ perMinute: 10, agents: 27, patience: '1m', days: 4 }));
  const t = erlangA(10 / 60, 180, 60, 27, 20);
  row('Erlang A overloaded (30 E on 27 agents, patience 1 min): P(wait), P(abandon)', `${t.pWait.toFixed(4)}, ${t.pAbandon.toFixed(4)}`, `${band(out.reps.map(pWait), 4)}, ${band(out.reps.map(pAb), 4)}`);
}
{
  const k3 = run(mmc({ perMinute: 100 / 30, agents: 5, concurrency: 3, days: 5, reps: 10 }));
  const k1 = run(mmc({ perMinute: 100 / 30, agents: 15, days: 5, reps: 10 }));
  const same = k3.reps.every((r, i) => r.counters.waitAnswered.every((x, j) => x === k1.reps[i].counters.waitAnswered[j]));
  const t = erlangCMetrics(LAM, AHT, 15, 20);
  row('chat concurrency k = 3 without slowdown (5 agents) vs 15 single-chat agents: P(wait)', `${t.pWait.toFixed(4)} (Erlang C, c = 15)`, `${band(k3.reps.map(pWait), 4)}; ${same ? 'identical' : 'NOT identical'} wait by wait`);
}
{
  const days = 10, per = (100 / 30) * 1440 * days;
  const demand = `[{ channel: phone, intent: urgent, curve: { shape: flat, total: ${0.3 * per} } }, { channel: phone, intent: normal, curve: { shape: flat, total: ${0.7 * per} } }]`;
  const out = run(mmc({ agents: 14, intents: '[urgent, normal]', demand, extra: 'routing: { priority: { urgent: 1, normal: 5 } }' }));
  const c = 14, mu = 1 / AHT, C = erlangCMetrics(LAM, AHT, c, 20).pWait;
  const s1 = (0.3 * LAM) / (c * mu), s2 = LAM / (c * mu);
  const w1 = C / (c * mu * (1 - s1)), w2 = C / (c * mu * (1 - s1) * (1 - s2));
  const F = QUEUE_FIELD.count;
  const qw = (q) => out.reps.map((r) => r.queueTotals[q * F + QUEUE_FIELD.waitAnswered] / r.queueTotals[q * F + QUEUE_FIELD.answered]);
  row('two non-preemptive priority classes, 30% / 70% (Cobham): W₁, W₂ (s)', `${w1.toFixed(2)}, ${w2.toFixed(2)}`, `${band(qw(0), 2)}, ${band(qw(2), 2)}`);
}
{
  const out = run(mmc({ perMinute: 100 / 30, agents: 13, patience: '5m', reps: 5 }));
  const gaps = out.reps.map((r) => {
    let area = 0;
    for (let b = 0; b < r.area.length / r.nLevels; b++) area += r.area[b * r.nLevels];
    return Math.abs(area - sum(r.counters.waitAnswered) - sum(r.counters.waitAbandoned)) / area;
  });
  row("Little's law for the queue: ∫Q dt against Σ waits (relative gap)", '0 (but for contacts still queued at the end)', `at most ${(Math.max(...gaps) * 100).toFixed(3)}% in 5 replications`);
}
console.log('| check | theory | peakplan: mean ± 99.9% half-width over the replications |');
console.log('|---|---|---|');
for (const r of rows) console.log(r);

// ContactCenters' MMC and MMCAb (umontreal-simul/contactcenters, doc/examples/*.res): the same
// 8-hour day (4.2 arrivals a minute, service mean 2 minutes, 12 agents, 20 s), 1,000 days.
const { POOL_LEVEL, poolLevelIndex } = await import('../dist/stats/recorder.js');
const cc = (patience) => {
  const s0 = loadScenarioText(`
name: contactcenters
seed: 1
replications: 1000
calendar: { start: 2026-01-05T08:00+00:00, horizon: 9h, interval: 30m }
intents: [call]
channels: { phone: { patience: ${patience} } }
demand: [{ channel: phone, intent: call, curve: { shape: flat, total: 1 } }]
pools: [{ name: agents, channel: phone, skills: [call], handleTime: { default: { exponential: 2m } }, staffing: 12 }]
`, 'cc.yaml', process.cwd());
  const rates = new Float64Array(s0.calendar.intervals);
  for (let i = 0; i < 16; i++) rates[i] = 4.2 / 60;
  const out = simulateScenario({ ...s0, demand: [{ ...s0.demand[0], curve: { stepSec: 1800, rates, source: 'MMC' } }] }, { reportSec: 1800 });
  const per = (f) => { const e = estimate(out.reps.map(f), 0.95); return `${e.mean.toFixed(3)} (${(e.mean - e.half).toFixed(3)}, ${(e.mean + e.half).toFixed(3)})`; };
  const inT = (r) => { let x = 0; for (let b = 0; b < out.layout.nBins; b++) x += r.within[b * r.maxK]; return x; };
  const abW = (r) => { let x = 0; for (let b = 0; b < out.layout.nBins; b++) x += r.abandonedWithin[b * r.maxK]; return x; };
  const occ = (r) => { let busy = 0, present = 0; for (let b = 0; b < 16; b++) { busy += r.area[b * r.nLevels + poolLevelIndex(1, 0, POOL_LEVEL.busy)]; present += r.area[b * r.nLevels + poolLevelIndex(1, 0, POOL_LEVEL.present)]; } return busy / present; };
  return {
    abandoned: per((r) => sum(r.counters.abandoned)), inTarget: per(inT), sl: per((r) => inT(r) / sum(r.counters.answered)),
    slAb: per((r) => inT(r) / (sum(r.counters.answered) + sum(r.counters.abandoned) - abW(r))),
    speed: per((r) => sum(r.counters.waitAnswered) / sum(r.counters.answered) / 60), occupancy: per(occ),
  };
};
const plain = cc('none'), ab = cc('{ exponential: 1m }');
console.log('\n| ContactCenters example | published (95% CI, 1,000 days) | peakplan (95% CI, 1,000 days) |');
console.log('|---|---|---|');
const cmp = (what, theirs, ours) => console.log(`| ${what} | ${theirs} | ${ours} |`);
cmp('MMC: number in target', '1816.158 (1812.618, 1819.698)', plain.inTarget);
cmp('MMC: service level (served within 20 s ÷ served)', '0.902 (0.900, 0.904)', plain.sl);
cmp('MMC: speed of answer (min)', '0.099 (0.097, 0.102)', plain.speed);
cmp('MMC: occupancy over the 8 hours', '0.695 (0.694, 0.697)', plain.occupancy);
cmp('MMCAb: number abandoned', '58.609 (57.660, 59.558)', ab.abandoned);
cmp('MMCAb: number in target', '1906.008 (1903.785, 1908.231)', ab.inTarget);
cmp('MMCAb: service level (served)', '0.975 (0.974, 0.975)', ab.sl);
cmp('MMCAb: service level with abandonment', '0.968 (0.968, 0.969)', ab.slAb);
cmp('MMCAb: speed of answer (min)', '0.024 (0.023, 0.024)', ab.speed);
cmp('MMCAb: occupancy over the 8 hours', '0.675 (0.674, 0.677)', ab.occupancy);
