// V8's own view of peakplan's hot code, printed for npm run bench (asserted nowhere: what V8
// decides depends on the machine's load, through its concurrent compiler).
//
// 1. The second replication of the built-in scenario on one thread should discard at most a few
//    optimised functions: a field that starts as a small integer and later holds a fraction gets
//    a new shape in the first replication, and V8 then throws away every optimised function that
//    relied on the old one at the next replication's start (22 functions once, a quarter of a
//    second of compilation per worker thread). --trace-deopt says so ("marking dependent code …
//    code dependencies").
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = [
  `const { setFlagsFromString } = await import('node:v8');`,
  `const { loadScenario } = await import('./dist/scenario/load.js');`,
  `const { compile } = await import('./dist/model/compile.js');`,
  `const { makeLayout, runReplication } = await import('./dist/model/replication.js');`,
  `const s = loadScenario('scenarios/double11.yaml', {});`,
  `runReplication(compile(s), makeLayout(s, 3600), s.seed, 0);`,
  `setFlagsFromString('--trace-deopt');`,
  `runReplication(compile(s), makeLayout(s, 3600), s.seed, 1);`,
].join('\n');
const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
if (r.status !== 0) throw new Error(r.stderr);
const discarded = (r.stdout.match(/marking dependent code.*reason: code dependencies/g) ?? []).length;
const deopts = (r.stdout.match(/deoptimiz/gi) ?? []).length;
console.log(`\n## V8 on the built-in scenario's second replication\n`);
console.log(`optimised functions discarded at its start: ${discarded} (aim ≤ 3; 22 when a field changed representation) · deoptimisation lines in its trace: ${deopts}`);
