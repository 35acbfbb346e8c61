// Two builds of peakplan against each other, inside one process: for A/B work on the engine on a
// shared, noisy machine, where separate processes minutes apart differ by ±15% on the same code.
//
//   node bench/ab.mjs <root A> <root B> [pairs = 40] [scenario = double11.yaml]
//
// Each root is a checkout with its `dist/` built (e.g. `git worktree add /tmp/a HEAD~1 && (cd
// /tmp/a && npm ci && npm run build)`). Both builds are imported side by side; each pair runs the
// same fresh replication index on A and on B, in alternating order, and the first 4 pairs warm
// the code. Printed: the median time of each side and the median and quartiles of the paired
// ratios B/A (below 1: B is faster). The scenario is read from A's `scenarios/`.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [rootA, rootB, pairsArg, scenario = 'double11.yaml'] = process.argv.slice(2);
if (rootA === undefined || rootB === undefined) {
  console.error('usage: node bench/ab.mjs <root A> <root B> [pairs] [scenario]');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 40);
const WARM = 4;

async function side(root) {
  const at = (f) => pathToFileURL(join(resolve(root), 'dist', f)).href;
  const { loadScenario } = await import(at('scenario/load.js'));
  const { compile } = await import(at('model/compile.js'));
  const { makeLayout, runReplication } = await import(at('model/replication.js'));
  const s = loadScenario(join(resolve(rootA), 'scenarios', scenario), { replications: 1 });
  const layout = makeLayout(s, s.calendar.intervalSec, false, true);
  return (r) => runReplication(compile(s), layout, s.seed, r);
}

const sides = [await side(rootA), await side(rootB)];
const times = [[], []], ratios = [];
for (let k = 0; k < pairs + WARM; k++) {
  const d = [0, 0];
  for (const j of k % 2 ? [1, 0] : [0, 1]) {
    const t0 = performance.now();
    sides[j](k);
    d[j] = performance.now() - t0;
  }
  if (k < WARM) continue;
  times[0].push(d[0]);
  times[1].push(d[1]);
  ratios.push(d[1] / d[0]);
}
const q = (a, p) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))];
console.log(`${scenario}, ${pairs} pairs: A ${q(times[0], 0.5).toFixed(1)} ms, B ${q(times[1], 0.5).toFixed(1)} ms; ` +
  `B/A median ${q(ratios, 0.5).toFixed(3)} (quartiles ${q(ratios, 0.25).toFixed(3)}–${q(ratios, 0.75).toFixed(3)})`);
