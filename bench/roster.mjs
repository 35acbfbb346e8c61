// Rosters: the two-step roster (the integer program's cover of the interval plan) against the one
// improved with the simulation in the loop, as `peakplan plan --shifts` reports them, on the same
// fresh replications (npm run bench:roster).
//
//   node bench/roster.mjs [scenario ...] [--seed n]
//
// Per scenario: paid hours and cost of each, their targets' verdicts, the saving, and the wall
// time of plan alone and of plan --shifts (the roster's share). Default: the built-in scenario
// and fixtures/roster/week.yaml.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? ['--seed', args[seedAt + 1]] : [];
const files = args.filter((a, k) => !a.startsWith('--') && (seedAt < 0 || k !== seedAt + 1));
const scenarios = files.length > 0 ? files : ['scenarios/double11.yaml', 'fixtures/roster/week.yaml'];
const cli = (a) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/peakplan.js'), ...a, ...seed, '--json', '--no-progress'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${a.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { j: JSON.parse(r.stdout), sec: (performance.now() - t) / 1000 };
};
const count = (ts) => ['meets', 'misses', 'undecided'].map((v) => `${ts.filter((t) => t.verdict === v).length} ${v}`).join(', ');
for (const f of scenarios) {
  const plain = cli(['plan', f]);
  const shifts = cli(['plan', f, '--shifts']);
  const r = shifts.j.roster;
  const saved = 1 - r.paidHours / r.twoStep.paidHours;
  console.log(`\n${f} (seed ${shifts.j.seed}; the plan: ${Math.round(plain.j.agentHours)} agent-hours)`);
  console.log(`  two-step roster          ${Math.round(r.twoStep.paidHours).toLocaleString('en-US').padStart(7)} paid hours  cost ${Math.round(r.twoStep.cost).toLocaleString('en-US').padStart(9)}  targets ${count(r.twoStep.targets)}`);
  console.log(`  simulation in the loop   ${Math.round(r.paidHours).toLocaleString('en-US').padStart(7)} paid hours  cost ${Math.round(r.cost).toLocaleString('en-US').padStart(9)}  targets ${count(r.targets)}`);
  console.log(`  paid hours saved ${(100 * saved).toFixed(1)}%, on ${r.targets[0]?.replications ?? 0}+ fresh replications; ${r.rounds} search rounds`);
  console.log(`  time: plan ${plain.sec.toFixed(1)} s, plan --shifts ${shifts.sec.toFixed(1)} s (roster ${(shifts.sec - plain.sec).toFixed(1)} s; ratio ${(shifts.sec / plain.sec).toFixed(2)}×)`);
  for (const p of r.pools) if (p.shifts.length > 0) console.log(`    ${p.pool.padEnd(16)} ${String(p.people.length).padStart(4)} people ${String(p.shifts.length).padStart(5)} shifts  solver ${p.status}, gap ${p.gap === null ? '–' : (100 * p.gap).toFixed(2) + '%'}  open ${p.open.length}  broken rules ${p.violations.length}`);
}
