#!/usr/bin/env node
// npm run fuzz -- [--iterations N] [--seed S] [--minutes M] [--timeout SEC] [--spawn-every K] [--jobs J] [--keep DIR]
//
// Feeds random valid and invalid scenarios and CSVs to the real command line and checks the rules
// of bad input and output (README: exit codes; docs: issue 7):
//   - the exit code is 0, 1 or 2 — never 3 (an internal error) and never a crash or a stack trace;
//   - exit 2 prints exactly one line on stderr, `error: <file or option>: …`;
//   - exit 2 writes nothing: no new output file, an existing one unchanged, no temporary file;
//   - no NaN, Infinity or undefined in --json, CSV or table output;
//   - a sample of cases also runs as a spawned process, which must agree with the in-process run.
// Cases are generated from scratch (small random scenarios) or by mutating the files in
// scenarios/ and fixtures/: deleted keys, wrong types, boundary and huge numbers, broken names,
// random bytes, truncation, BOMs, CRLF, swapped delimiters, YAML alias bombs, odd CLI options.
//
// The CLI runs in-process (main() from dist/) in child processes under a memory cap (ulimit -v),
// one case at a time per child; a child that hangs past --timeout is killed and replaced. dist/ is
// copied first, so that other people's rebuilds do not change the program under test mid-run.
// Findings are grouped by kind and message; each group's first case is kept under --keep.

import { execFileSync, fork, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as YAML from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MEMORY_KB = 4_000_000; // per child: enough for any case the limits allow at these sizes

function listFiles(dir) {
  const out = {};
  const walk = (d, pre) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p, pre + f + '/');
      else out[pre + f] = readFileSync(p).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

// ==================================================================================== parent ===

async function parent() {
  const { values: o } = parseArgs({
    options: {
      iterations: { type: 'string', default: '2000' },
      seed: { type: 'string' },
      minutes: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      'spawn-every': { type: 'string', default: '25' },
      jobs: { type: 'string', default: '1' },
      keep: { type: 'string' },
    },
  });
  const seed = o.seed !== undefined ? Number(o.seed) : Date.now() % 1e9;
  const iterations = Number(o.iterations);
  const deadline = o.minutes !== undefined ? Date.now() + Number(o.minutes) * 60000 : Infinity;
  const timeoutMs = Number(o.timeout) * 1000;
  const spawnEvery = Number(o['spawn-every']);
  const jobs = Math.max(1, Number(o.jobs));
  const work = mkdtempSync(join(tmpdir(), 'peakplan-fuzz-'));
  const keep = o.keep ?? join(work, 'findings');
  mkdirSync(keep, { recursive: true });
  console.log(`peakplan fuzz · seed ${seed} · ${o.minutes !== undefined ? `${o.minutes} min or ` : ''}${iterations} iterations · timeout ${o.timeout}s · ${jobs} job(s) · cases and findings in ${work}`);

  // Snapshot of the program under test.
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const snap = join(work, 'snapshot');
  for (const d of ['dist', 'bin', 'scenarios']) cpSync(join(ROOT, d), join(snap, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(snap, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(snap, 'node_modules'));

  const bases = loadBases();
  const rng = makeRng(seed);
  const findings = new Map(); // key → { kind, message, count, first }
  const tally = { 0: 0, 1: 0, 2: 0, other: 0 };
  let done = 0, spawned = 0, slow = 0, bigSlow = 0, retried = 0;
  const started = Date.now();

  const children = Array.from({ length: jobs }, () => new Child(snap, timeoutMs));
  const record = (kind, message, c, detail) => {
    const key = `${kind}|${message.replace(/\d+(\.\d+)?/g, '#').replace(/case-\d+/g, 'case')}`;
    const f = findings.get(key);
    if (f) { f.count++; return; }
    const where = join(keep, `finding-${findings.size + 1}`);
    saveCase(c, where, detail);
    findings.set(key, { kind, message, count: 1, first: where });
    console.log(`\n[finding ${findings.size}] ${kind}: ${message}\n    case ${c.id} (${c.origin}): peakplan ${c.args.join(' ')}\n    kept in ${where}`);
  };

  let next = 0;
  const runOne = async (child) => {
    while (next < iterations && Date.now() < deadline) {
      const id = next++;
      const c = makeCase(rng, bases, id, join(work, `case-${id}`));
      let r = await child.run(c);
      if (r.crash && ADDRESS_SPACE.test(r.crash)) {
        // V8 could not reserve address space for a new thread: the long-lived child's, under the
        // cap (ulimit -v), after many commands' worker threads. Once more in a fresh child: only
        // a case that fails there too is a finding (a crashed child has been replaced already).
        retried++;
        r = await child.run(c);
      }
      if (r.timeout) {
        // a scenario within the limits can still be big (5e8 contacts take hours): that is slow by
        // design, not a finding; a small one that hangs is
        const work = await expectedWork(snap, c);
        if (work > BIG_WORK) bigSlow++;
        else { slow++; record('timeout', `no answer within ${o.timeout}s (about ${Math.round(work).toLocaleString('en-US')} contacts and orders)`, c, ''); }
      } else if (r.crash) {
        record('crash', r.crash.split('\n')[0], c, r.crash);
      } else {
        tally[r.code] !== undefined ? tally[r.code]++ : tally.other++;
        for (const p of check(c, r)) record(p.kind, p.message, c, `${p.detail ?? ''}\n--- stderr ---\n${r.err}\n--- stdout (start) ---\n${r.out.slice(0, 4000)}`);
        if (spawnEvery > 0 && id % spawnEvery === 0 && r.ms < timeoutMs / 2) {
          spawned++;
          for (const p of compareSpawned(c, r, snap, timeoutMs)) record(p.kind, p.message, c, p.detail ?? '');
        }
      }
      rmSync(c.dir, { recursive: true, force: true });
      done++;
      if (done % 100 === 0) {
        console.log(`  ${done} cases · ${((Date.now() - started) / 60000).toFixed(1)} min · exit 0/1/2: ${tally[0]}/${tally[1]}/${tally[2]} · findings ${findings.size}`);
      }
    }
  };
  await Promise.all(children.map(runOne));
  for (const ch of children) ch.close();

  console.log(`\n${done} cases in ${((Date.now() - started) / 60000).toFixed(1)} min (seed ${seed}): exit 0 ${tally[0]} · exit 1 ${tally[1]} · exit 2 ${tally[2]} · other ${tally.other} · timeouts ${slow} · big scenarios past the timeout (not findings) ${bigSlow} · ${spawned} also spawned · ${retried} rerun in a fresh child after it ran out of address space for threads`);
  if (findings.size === 0) console.log('no findings');
  else {
    console.log(`${findings.size} finding(s):`);
    let k = 0;
    for (const f of findings.values()) console.log(`  ${++k}. [${f.kind}] ×${f.count}: ${f.message}\n     ${f.first}`);
  }
  process.exitCode = findings.size === 0 ? 0 : 1;
}

/** Expected contacts and orders over the run (replications × per replication) beyond which a timeout is expected. */
const BIG_WORK = 2e7;

/** The case's expected work, from the program's own loader (0 when it does not load). */
async function expectedWork(snap, c) {
  const dir = c.dir + '-load';
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, data] of Object.entries(c.files)) { mkdirSync(dirname(join(dir, name)), { recursive: true }); writeFileSync(join(dir, name), data); }
    const { loadScenario } = await import(join(snap, 'dist', 'scenario', 'load.js'));
    const limits = await import(join(snap, 'dist', 'scenario', 'limits.js'));
    const s = loadScenario(join(dir, 'scenario.yaml'));
    const reps = Number(c.args[c.args.indexOf('--reps') + 1]) || s.replications;
    // plan runs many rounds of replications (here about a dozen), sweep and compare several runs
    const runs = c.command === 'plan' ? 12 : c.command === 'sweep' ? 4 : c.command === 'compare' ? 2 : 1;
    return limits.expectedWork(s) * reps * runs;
  } catch {
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RECYCLE_EVERY = 200;
/** How V8 says that it found no address space for a new thread's heap or code. */
const ADDRESS_SPACE = /Failed to reserve virtual memory|CodeRange/;

/** A child process running cases in-process, replaced when it hangs or dies. */
class Child {
  constructor(snap, timeoutMs) {
    this.snap = snap;
    this.timeoutMs = timeoutMs;
    this.cases = 0;
    this.lastRanOutOfMemory = false;
    this.start();
  }
  start() {
    // the memory cap: a case that would take the machine's memory fails here instead
    this.proc = fork(fileURLToPath(import.meta.url), ['--child', this.snap], {
      execPath: '/bin/sh', execArgv: ['-c', `ulimit -v ${MEMORY_KB}; exec "${process.execPath}" "$0" "$@"`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.ready = new Promise((res) => this.proc.once('message', res));
  }
  async run(c) {
    // a fresh child every so often and after a case that ran out of memory: a long-lived process
    // under ulimit -v accumulates reserved address space (V8 code ranges, freed array buffers) until
    // a new worker thread cannot reserve its own, which is the harness's problem, not the program's
    if (++this.cases % RECYCLE_EVERY === 0 || this.lastRanOutOfMemory) {
      this.lastRanOutOfMemory = false;
      this.proc.kill('SIGKILL');
      this.start();
    }
    await this.ready;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.proc.off('message', onMsg);
        this.proc.off('exit', onExit);
        resolve(r);
      };
      const onMsg = (m) => finish(m.crash ? { crash: m.crash } : m);
      const onExit = (code, sig) => { finish({ crash: `the child died (${sig ?? code}): ${this.stderr.trim().split('\n').slice(-3).join(' / ')}` }); this.start(); };
      const timer = setTimeout(() => {
        this.proc.off('exit', onExit);
        this.proc.kill('SIGKILL');
        this.start();
        finish({ timeout: true });
      }, this.timeoutMs);
      this.proc.on('message', onMsg);
      this.proc.on('exit', onExit);
      this.proc.send({ dir: c.dir, args: c.args, files: Object.fromEntries(Object.entries(c.files).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
    }).then(async (r) => {
      if (r.crash) await this.ready; // replaced: wait for the new one before the next case
      this.lastRanOutOfMemory = /memory/.test(r.err ?? '');
      return r;
    });
  }
  close() {
    this.proc.kill();
  }
}

function saveCase(c, where, detail) {
  mkdirSync(where, { recursive: true });
  for (const [name, data] of Object.entries(c.files)) {
    mkdirSync(dirname(join(where, name)), { recursive: true });
    writeFileSync(join(where, name), data);
  }
  writeFileSync(join(where, 'COMMAND'), `cd ${where} && node ${join(ROOT, 'bin', 'peakplan.js')} ${c.args.map((a) => `'${a}'`).join(' ')}\n# ${c.origin}\n`);
  if (detail) writeFileSync(join(where, 'DETAIL'), detail);
}

// ==================================================================================== checks ===


/** Every rule a finished case must satisfy. */
function check(c, r) {
  const problems = [];
  const add = (kind, message, detail) => problems.push({ kind, message, detail });
  if (typeof r.code !== 'number') return [{ kind: 'threw', message: String(r.code).split('\n')[0], detail: String(r.code) }];
  if (![0, 1, 2].includes(r.code)) add(`exit ${r.code}`, firstLine(r.err) || '(no message)');
  if (/\n\s+at .*:\d+:\d+/.test(r.err) || /internal error/.test(r.err)) add('stack trace', firstLine(r.err));
  const created = Object.keys(r.after).filter((f) => !(f in c.files));
  if (r.code === 2) {
    const lines = r.err.trimEnd().split('\n');
    if (lines.length !== 1) add('exit 2 with several lines', lines.slice(0, 2).join(' / '));
    else if (!/^error: /.test(lines[0])) add('exit 2 without "error: "', lines[0]);
    else if (!names(c).some((n) => lines[0].startsWith(`error: ${n}`))) add('exit 2 not naming a file or option', lines[0]);
    if (created.length > 0) add('exit 2 left files', created.join(', '));
    if (c.kept && r.after[c.kept] !== undefined && Buffer.from(r.after[c.kept], 'base64').toString() !== c.files[c.kept].toString()) add('exit 2 changed an existing file', c.kept);
  }
  if (created.some((f) => f.endsWith('.tmp'))) add('temporary file left behind', created.join(', '));
  if (r.code === 0 || r.code === 1) {
    // a word the input itself contains (a pool named NaN) may be echoed; only made-up ones count
    const inputText = Object.values(c.files).map((b) => b.toString('latin1')).join('\n') + c.args.join(' ');
    const BAD_TEXT = new RegExp(['NaN', 'Infinity', 'undefined'].filter((w) => !inputText.includes(w)).map((w) => `\\b${w}\\b`).join('|') || '(?!)');
    if (c.json && c.command !== 'erlang') {
      try {
        JSON.parse(r.out);
      } catch (e) {
        add('--json is not JSON', e.message);
      }
    }
    const m = BAD_TEXT.exec(r.out);
    if (m) add(`'${m[0]}' in the output`, contextOf(r.out, m.index));
    for (const f of created) {
      if (!/\.(csv|json|html|xml)$/.test(f)) continue;
      const text = Buffer.from(r.after[f], 'base64').toString();
      const mf = BAD_TEXT.exec(text);
      if (mf) add(`'${mf[0]}' in ${f.replace(/^.*\./, '*.')}`, contextOf(text, mf.index));
    }
  }
  return problems;
}

/** What an exit-2 message may start with: a file of the case, an option, or the built-in scenario. */
function names(c) {
  return [...Object.keys(c.files), ...c.args.filter((a) => /^--/.test(a)).flatMap((a) => [`${a}:`, `${a} `]), 'scenarios/'];
}

/** The line that says what went wrong (after the internal-error header, its error message). */
const firstLine = (s) => {
  const lines = s.trim().split('\n');
  return /internal error/.test(lines[0]) && lines.length > 1 ? lines[1].replace(/^Error: replication worker failed: /, '') : lines[0];
};
const contextOf = (s, i) => s.slice(Math.max(0, i - 80), i + 40).replace(/\s+/g, ' ');

/** Runs the case as a separate process; it must agree with the in-process run. */
function compareSpawned(c, r, snap, timeoutMs) {
  const dir = c.dir + '-spawned';
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const s = spawnSync('/bin/sh', ['-c', `ulimit -v ${MEMORY_KB}; exec "${process.execPath}" "${join(snap, 'bin', 'peakplan.js')}" "$@"`, 'sh', ...c.args], {
    cwd: dir, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28,
  });
  rmSync(dir, { recursive: true, force: true });
  const out = [];
  if (s.error) return [{ kind: 'spawned run failed', message: s.error.message }];
  if (s.status !== r.code) out.push({ kind: 'spawned exit differs', message: `in-process ${r.code}, spawned ${s.status ?? s.signal}`, detail: s.stderr });
  // where memory runs out depends on what else the process holds: both stopping for it is agreement
  else if (r.code === 2 && s.stderr !== r.err && !(/in the system at once/.test(s.stderr) && /in the system at once/.test(r.err))) out.push({ kind: 'spawned message differs', message: firstLine(s.stderr), detail: `${r.err}\n${s.stderr}` });
  else if (c.json && s.stdout !== r.out) out.push({ kind: 'spawned JSON differs', message: `${s.stdout.length} vs ${r.out.length} characters` });
  if (/\n\s+at .*:\d+:\d+/.test(s.stderr)) out.push({ kind: 'stack trace (spawned)', message: firstLine(s.stderr), detail: s.stderr });
  return out;
}

// ===================================================================================== cases ===

function makeRng(seed) {
  let a = seed >>> 0 || 1;
  const next = () => { // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
  return r;
}

/** Every YAML in scenarios/ and fixtures/ (and fixtures/bad/), with the CSVs of its folder. */
function loadBases() {
  const out = [];
  for (const folder of ['scenarios', 'fixtures', 'fixtures/bad']) {
    const dir = join(ROOT, folder);
    const csvs = {};
    for (const f of readdirSync(dir)) if (f.endsWith('.csv') && statSync(join(dir, f)).isFile()) csvs[f] = readFileSync(join(dir, f));
    for (const f of readdirSync(dir)) {
      if (!/\.ya?ml$/.test(f) || /stress/.test(f)) continue; // the stress scenario is a benchmark, minutes per case
      const text = readFileSync(join(dir, f));
      const referenced = {};
      for (const m of text.toString('latin1').matchAll(/csv:\s*([\w./-]+\.csv)/g)) if (csvs[m[1]]) referenced[m[1]] = csvs[m[1]];
      out.push({ name: `${folder}/${f}`, text, csvs: referenced, big: /double11\.yaml$/.test(f), bad: folder === 'fixtures/bad' });
    }
  }
  return out;
}


/** One case: files for a fresh folder and the command line. */
function makeCase(rng, bases, id, dir) {
  const files = {};
  let origin;
  const roll = rng.next();
  if (roll < 0.45) {
    const g = generateScenario(rng);
    Object.assign(files, g.files);
    origin = 'generated';
    if (rng.chance(0.25)) origin += ` + ${mutateSomething(rng, files)}`;
  } else {
    const good = bases.filter((b) => !b.bad && (!b.big || rng.chance(0.15)));
    const base = rng.chance(0.25) ? rng.pick(bases.filter((b) => b.bad)) : rng.pick(good);
    files['scenario.yaml'] = Buffer.from(base.text);
    for (const [k, v] of Object.entries(base.csvs)) files[k] = Buffer.from(v);
    origin = `mutant of ${base.name}`;
    const n = rng.chance(0.25) ? 0 : rng.chance(0.67) ? 1 : rng.int(2, 3);
    const ops = [];
    for (let i = 0; i < n; i++) ops.push(mutateSomething(rng, files));
    origin += n === 0 ? ' (as is)' : `: ${ops.join('; ')}`;
  }
  const { args, kept, json, command } = makeArgs(rng, files);
  if (kept) files[kept] = Buffer.from('precious,file\n1,2\n');
  return { id, dir, files, args, kept, json, command, origin };
}

function makeArgs(rng, files) {
  const r = rng.next();
  const command = r < 0.74 ? 'simulate' : r < 0.82 ? 'check' : r < 0.86 ? 'plan' : r < 0.9 ? 'compare' : r < 0.94 ? 'sweep' : r < 0.97 ? 'validate' : 'erlang';
  if (command === 'erlang') return { args: erlangArgs(rng), command };
  const args = [command, 'scenario.yaml'];
  let json = false, kept = null;
  if (command === 'validate') return { args, command };
  if (command === 'compare' || command === 'sweep') {
    // a value of the scenario changed on side B, or varied over a few points
    const key = rng.pick(overrideKeys(files['scenario.yaml']));
    const value = rng.pick(['0', '1', '2', '0.5', '3m', 'none', 'x', '1e9', '-1', '1e999']);
    if (command === 'compare') args.push('--set', `${key}=${value}`);
    else args.push('--param', rng.pick([`${key}=${value},${rng.pick(['1', '2', '5m'])}`, `${key}=1:5:2`, `${key}=5:1:1`, `${key}=`]));
    args.push('--workers', '1', '--no-progress', '--reps', String(rng.pick([1, 2])));
    if (rng.chance(0.4)) { args.push('--json'); json = true; }
    if (rng.chance(0.3)) args.push('--csv', 'out.csv');
    return { args, command, json, kept };
  }
  args.push('--workers', rng.chance(0.85) ? '1' : '2', '--no-progress');
  if (command === 'plan') {
    args.push('--max-rounds', '2', '--search-reps', '2', '--reps', '2');
    if (rng.chance(0.5)) args.push('--out', 'plan-out.csv');
    if (rng.chance(0.3)) { args.push('--json'); json = true; }
    return { args, command, json, kept };
  }
  args.push('--reps', String(rng.pick([1, 1, 2, 3])));
  if (rng.chance(0.2)) args.push('--seed', String(rng.pick([0, 1, 7, 4294967295, 123456])));
  if (command === 'check') {
    if (rng.chance(0.3)) { args.push('--json'); json = true; }
    if (rng.chance(0.3)) args.push('--junit', 'junit.xml');
    return { args, command, json, kept };
  }
  if (rng.chance(0.4)) { args.push('--json'); json = true; }
  if (rng.chance(0.4)) args.push('--csv', 'out.csv');
  if (rng.chance(0.3)) { kept = 'existing.csv'; args.push('--daily-csv', kept); }
  if (rng.chance(0.15)) args.push('--excel');
  if (rng.chance(0.25)) args.push('--interval', rng.pick(['15m', '30m', '1h', '2h', '7m', '1d', '1h30m', '15m', '1h', rng.pick(['45s', '0m', 'x'])]));
  if (rng.chance(0.1)) args.push('--all');
  if (rng.chance(0.1)) args.push('--from', rng.pick(['2026-11-11', '2026-11-11T06:00+08:00', '2026-11-10T22:00+08:00', rng.pick(['2030-01-01', 'yesterday'])]));
  if (rng.chance(0.1)) args.push('--to', rng.pick(['2026-11-12', '2026-11-11T03:00+08:00', '1999-01-01']));
  if (rng.chance(0.15)) {
    files['plan.csv'] = makePlanCsv(rng, files['scenario.yaml']);
    args.push('--plan', 'plan.csv');
  }
  if (rng.chance(0.03)) args.push('--set', rng.pick(['pools[0].staffing=3', 'nope=1', 'seed=x', 'replications=0']));
  return { args, command, json, kept };
}

/** Dot-paths of the scenario's scalar values, as --set and --param take them (pools by name). */
function overrideKeys(bytes) {
  const keys = [];
  let doc;
  try { doc = YAML.parse(bytes.toString('utf8')); } catch { return ['seed']; }
  const walk = (v, path) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${x && typeof x === 'object' && typeof x.name === 'string' ? x.name : i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else if (path) keys.push(path);
  };
  walk(doc, '');
  return keys.length > 0 ? keys : ['seed'];
}

function erlangArgs(rng) {
  const args = ['erlang', '--rate', rng.pick(['100/30m', '3.5/m', '0/h', '-1/m', '1e999/m', '200/h', 'x', '1e9/s']), '--aht', rng.pick(['180s', '3m', '0s', '1e9d', 'x'])];
  if (rng.chance(0.5)) args.push('--agents', rng.pick(['13', '0', '-1', '1e6', '100000000', 'x']));
  else args.push('--target', rng.pick(['0.8', '1', '0', '1.5', 'NaN']), '--sl', rng.pick(['20s', '0s', '1d']));
  if (rng.chance(0.4)) args.push('--patience', rng.pick(['5m', 'none', '0s', '1e6d']));
  if (rng.chance(0.3)) args.push('--json');
  return args;
}

/** A plan CSV for the scenario's pools and intervals (when it can be read), often broken. */
function makePlanCsv(rng, yamlBytes) {
  let doc;
  try { doc = YAML.parse(yamlBytes.toString('utf8')); } catch { doc = null; }
  const pools = Array.isArray(doc?.pools) ? doc.pools.map((p) => p?.name).filter((n) => typeof n === 'string') : ['p'];
  const start = Date.parse(String(doc?.calendar?.start ?? '2026-11-11T00:00+08:00').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  const step = { '15m': 15, '30m': 30, '60m': 60, '1h': 60 }[doc?.calendar?.interval] ?? 30;
  const n = Math.min(400, { '1d': 1440, '2d': 2880, '3d': 4320 }[doc?.calendar?.horizon] / step || 48);
  const rows = ['interval_start,pool,agents'];
  for (const pool of pools.length > 0 ? pools : ['p']) {
    for (let i = 0; i < n; i++) {
      const t = new Date((Number.isFinite(start) ? start : 0) + (8 * 60 + i * step) * 60000).toISOString().slice(0, 16) + '+08:00';
      rows.push(`${t},${pool},${rng.int(0, 8)}`);
    }
  }
  return mutateCsv(rng, Buffer.from(rows.join('\n') + '\n'), rng.chance(0.5) ? 0 : 1);
}

// -------------------------------------------------------------------------------- mutations ---

function mutateSomething(rng, files) {
  const csvNames = Object.keys(files).filter((f) => f.endsWith('.csv'));
  if (csvNames.length > 0 && rng.chance(0.3)) {
    const f = rng.pick(csvNames);
    files[f] = mutateCsv(rng, files[f], 1);
    return `csv ${f}`;
  }
  if (rng.chance(0.55)) {
    const r = mutateStructure(rng, files['scenario.yaml']);
    if (r) { files['scenario.yaml'] = r.bytes; return r.what; }
  }
  const r = mutateText(rng, files['scenario.yaml']);
  files['scenario.yaml'] = r.bytes;
  return r.what;
}

const WRONG = ['x', '', 0, -1, 1, 2.5, [], {}, null, true, '1e999', 'NaN', 1e308, -1e308, 2 ** 31, 2 ** 53, 1e-300, '退货', 'a b', '=cmd|x'];
const DURATIONS = ['0s', '1ms', '-1m', '1e3s', '3 minutes', '999999999d', '0.0001ms', '1d1d', '5', '1h30m', '100000h', '2m ', '0.001ms', '1s', '366d', '367d', '100000d'];
const DATES = ['2026-02-30T00:00+08:00', '2026-11-11', '2026-11-11T00:00', '2026-11-11T00:00+15:00', '1970-01-01T00:00Z', '9999-12-31T23:59+00:00', '2026-11-11T24:00+08:00', '0099-11-11T00:00+08:00', '1969-12-31T23:59Z', '2026-11-11T00:00-12:00'];
/** Values at and around the ends of the schema's ranges: valid but extreme, where numerics break. */
const BOUNDARY = [0, 1, 0.5, 1e-9, 1e-300, 0.999999, 2, 10, 64, 65, 99, 100, 101, 1000, 10000, 10001, 1e6, 1e6 + 1, 1e9, 1e12, 1e300, 1e308];

function mutateStructure(rng, bytes) {
  let doc;
  try { doc = YAML.parseDocument(bytes.toString('utf8')); } catch { return null; }
  if (doc.errors.length > 0 || !YAML.isMap(doc.contents)) return null;
  // every node path
  const paths = [];
  YAML.visit(doc, { Pair(_, pair, path) { paths.push([...path, pair]); } });
  if (paths.length === 0) return null;
  const pathOf = (p) => p.filter((n) => YAML.isPair(n)).map((n) => String(n.key?.value ?? n.key));
  const target = rng.pick(paths);
  const pair = target[target.length - 1];
  const parent = target[target.length - 2];
  const at = pathOf(target).join('.');
  const op = rng.next();
  let what;
  if (op < 0.2 && YAML.isMap(parent)) {
    parent.items.splice(parent.items.indexOf(pair), 1);
    what = `deleted ${at}`;
  } else if (op < 0.45) {
    const v = rng.pick(WRONG);
    pair.value = doc.createNode(v);
    what = `${at} = ${JSON.stringify(v)}`;
  } else if (op < 0.7 && YAML.isScalar(pair.value) && typeof pair.value.value === 'number') {
    const x = pair.value.value;
    const y = rng.chance(0.5) ? rng.pick(BOUNDARY) : rng.pick([0, -x, x * 2, x / 2, x + 1, x - 1, x * 1e6, x * 1e-6, Math.round(x) + 0.5, -0]);
    pair.value = doc.createNode(y);
    what = `${at}: ${x} → ${y}`;
  } else if (op < 0.85 && YAML.isScalar(pair.value) && typeof pair.value.value === 'string') {
    const s = pair.value.value;
    const scaled = s.replace(/^(\d+(\.\d+)?)/, (n) => String(Number(n) * rng.pick([1000, 1e-3, 1e6, 1e-6])));
    const y = /^\d/.test(s) && /[smhd]$/.test(s) ? rng.pick([...DURATIONS, scaled, scaled]) : /^\d{4}-/.test(s) ? rng.pick(DATES)
      : rng.pick([s + 's', s.toUpperCase(), s.slice(1), '', '退货', s + s, 'default', ' ' + s]);
    pair.value = doc.createNode(y);
    what = `${at}: '${s}' → '${y}'`;
  } else if (YAML.isSeq(pair.value) && pair.value.items.length > 0) {
    const items = pair.value.items;
    const k = rng.int(0, items.length - 1);
    const how = rng.int(0, 3);
    const fill = rng.pick(BOUNDARY);
    if (how === 0) items.splice(k, 1);
    else if (how === 1) items.push(doc.createNode(items[k].toJSON?.() ?? items[k]));
    else if (how === 2) pair.value.items = [];
    else if (items.every((x) => YAML.isScalar(x) && typeof x.value === 'number')) pair.value.items = items.map(() => doc.createNode(fill));
    what = `${at}: list ${['item removed', 'item repeated', 'emptied', `filled with ${fill}`][how]}`;
  } else if (YAML.isMap(pair.value)) {
    pair.value.items.push(doc.createPair(rng.pick(['extra', 'shape', 'total', 'csv', 'deferred', 'default']), rng.pick(WRONG)));
    what = `${at}: key added`;
  } else {
    pair.value = doc.createNode(rng.pick(WRONG));
    what = `${at} replaced`;
  }
  let text;
  try { text = doc.toString({ lineWidth: 0 }); } catch (e) { return null; }
  return { bytes: Buffer.from(text), what };
}

function mutateText(rng, bytes) {
  const b = Buffer.from(bytes);
  const lines = b.toString('latin1').split('\n');
  const op = rng.int(0, 11);
  switch (op) {
    case 0: { const n = rng.int(0, b.length); return { bytes: b.subarray(0, n), what: `truncated at byte ${n}` }; }
    case 1: { const k = rng.int(0, b.length); const junk = Buffer.from(Array.from({ length: rng.int(1, 6) }, () => rng.int(0, 255))); return { bytes: Buffer.concat([b.subarray(0, k), junk, b.subarray(k)]), what: `random bytes at ${k}` }; }
    case 2: return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), what: 'BOM' };
    case 3: return { bytes: Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), what: 'CRLF' };
    case 4: { const k = rng.int(0, lines.length - 1); lines.splice(k, 1); return { bytes: Buffer.from(lines.join('\n'), 'latin1'), what: `line ${k + 1} deleted` }; }
    case 5: { const k = rng.int(0, lines.length - 1); lines.splice(k, 0, lines[k]); return { bytes: Buffer.from(lines.join('\n'), 'latin1'), what: `line ${k + 1} repeated` }; }
    case 6: { const k = rng.int(0, lines.length - 1); lines[k] = lines[k].replace(/^ +/, (s) => '\t'.repeat(Math.ceil(s.length / 2))); return { bytes: Buffer.from(lines.join('\n'), 'latin1'), what: `tabs on line ${k + 1}` }; }
    case 7: return { bytes: Buffer.concat([b, Buffer.from('\n---\nname: second\n')]), what: 'second document' };
    case 8: { // billion laughs
      const bomb = 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' + Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}]`).join('\n') + '\n';
      return { bytes: Buffer.concat([Buffer.from(bomb), b]), what: 'alias bomb' };
    }
    case 9: { const s = b.toString('latin1').replace(/(\d+(\.\d+)?)/, () => rng.pick(['1e999', '-1e999', '.nan', '1e12', '99999999999999999999', '-0', '0x10', '1_000'])); return { bytes: Buffer.from(s, 'latin1'), what: 'a number replaced' }; }
    case 10: return { bytes: Buffer.alloc(0), what: 'empty file' };
    default: { const k = rng.int(0, b.length); return { bytes: Buffer.concat([b.subarray(0, k), Buffer.from([0xc3]), b.subarray(k + 1)]), what: `invalid UTF-8 at ${k}` }; }
  }
}

function mutateCsv(rng, bytes, n) {
  let text = bytes.toString('latin1');
  for (let i = 0; i < n; i++) {
    const lines = text.split('\n');
    const op = rng.int(0, 12);
    // a line past the header, or the header when a cut left nothing else
    const k = Math.min(rng.int(1, Math.max(1, lines.length - 2)), lines.length - 1);
    if (op === 0) text = text.replace(/,/g, ';');
    else if (op === 1) text = text.replace(/,/g, '\t');
    else if (op === 2) text = lines.map((l) => l.split(',').slice(0, -1).join(',')).join('\n'); // a column deleted
    else if (op === 3) { lines.splice(k, 1); text = lines.join('\n'); }
    else if (op === 4) { lines.splice(k, 0, ''); lines.push('', ''); text = lines.join('\n'); }
    else if (op === 5) text = text.slice(0, rng.int(0, text.length));
    else if (op === 6) { lines[k] = lines[k].replace(/[^,]*$/, rng.pick(['1e999', '-1', 'NaN', '', '1e12', '0x1F', ' 3 ', '2.5', '"4"', 'Infinity'])); text = lines.join('\n'); }
    else if (op === 7) text = '\ufeff' + text;
    else if (op === 8) text = text.replace(/\n/g, '\r\n');
    else if (op === 9) { lines[k] = '"' + lines[k]; text = lines.join('\n'); }
    else if (op === 10) { lines.splice(k, 0, lines[k]); text = lines.join('\n'); }
    else if (op === 11) { lines[0] = lines[0].toUpperCase(); text = lines.join('\n'); }
    else { const b = Buffer.from(text, 'latin1'); const at = rng.int(0, b.length); return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xfe]), b.subarray(at)]); }
  }
  return Buffer.from(text, 'latin1');
}

// ------------------------------------------------------------------------- generated scenarios ---

/** A small random scenario, valid by construction (the mutations then break it). */
function generateScenario(rng) {
  const files = {};
  const interval = rng.pick([15, 30, 60]);
  const hours = rng.pick([interval / 60 / 2, 6, 24, 48, 72].filter((h) => h > 0));
  const horizon = hours < 1 ? `${Math.round(hours * 60)}m` : `${hours}h`;
  const intents = ['presale', 'status', 'complaint', 'returns'].slice(0, rng.int(1, 4));
  const chans = ['chat', 'phone'].slice(0, rng.int(1, 2));
  const hasTickets = rng.chance(0.3);
  const lines = [`name: generated ${rng.int(1, 1e6)}`, `seed: ${rng.int(0, 1000)}`, `replications: ${rng.int(1, 3)}`,
    `calendar: { start: 2026-11-10T${rng.pick(['00', '20', '23'])}:00+08:00, horizon: ${horizon}, interval: ${interval}m }`,
    `intents: [${intents.join(', ')}]`, 'channels:'];
  // log-uniform cv over the schema's whole range (0, 100]: where the quantile functions are weakest
  const cv = () => Number((10 ** (rng.next() * 5 - 3)).toPrecision(3));
  const dist = () => rng.pick([`{ exponential: ${rng.int(1, 8)}m }`, `{ lognormal: { mean: ${rng.int(1, 8)}m, cv: ${rng.pick([0.3, 0.8, 1.5, cv()])} } }`, `{ deterministic: ${rng.int(30, 300)}s }`, `{ uniform: [1m, ${rng.int(2, 9)}m] }`, `{ gamma: { mean: ${rng.pick([rng.int(2, 6) + 'm', '1ms', '30d'])}, cv: ${rng.pick([0.6, cv()])} } }`, '{ empirical: [1m, 2m, 2m, 7m] }']);
  for (const ch of chans) {
    const parts = [`patience: ${rng.chance(0.2) ? 'none' : dist()}`];
    if (rng.chance(0.3)) parts.push(`retrial: { probability: ${rng.pick([0.2, 0.5, 1])}, delay: ${dist()}${rng.chance(0.5) ? `, maxRetrials: ${rng.int(1, 4)}` : ''} }`);
    if (rng.chance(0.2)) parts.push(`vipShare: ${rng.pick([0.1, 0.5])}`);
    lines.push(`  ${ch}: { ${parts.join(', ')} }`);
  }
  if (hasTickets) lines.push('  tickets: { deferred: true }');
  lines.push('demand:');
  const intervals = Math.ceil((hours * 60) / interval);
  chans.forEach((ch) => intents.forEach((it, k) => {
    if (k > 0 && rng.chance(0.4)) return;
    const c = rng.next();
    let curve;
    if (c < 0.3) curve = `{ shape: flat, total: ${rng.pick([0, 1, 50, 400, 2000])} }`;
    else if (c < 0.55) curve = `{ shape: daily, perDay: ${rng.pick([100, 1000, 5000])} }`;
    else if (c < 0.65) curve = `{ shape: double11, perDay: ${rng.pick([100, 800])} }`;
    else if (c < 0.75) curve = `{ shape: spike, perDay: 500, peak: 2026-11-11T00:00+08:00, firstHourShare: ${rng.pick([0.3, 0.001, 0.999])}, halfLife: ${rng.pick(['5m', '1s', '2s', '30d'])}, dayFactor: ${rng.pick([6, 0.001, 1000, 1e6])} }`;
    else if (c < 0.87) curve = `{ at: [${Array.from({ length: rng.int(0, 5) }, (_, i) => `${i * 7}m`).join(', ')}] }`;
    else {
      const name = `curve-${ch}-${it}.csv`;
      const rows = ['interval_start,volume'];
      const start = Date.parse(lines[3].match(/start: ([^,]+),/)[1]);
      for (let i = 0; i < intervals; i++) rows.push(`${new Date(start + (8 * 60 + i * interval) * 60000).toISOString().slice(0, 16)}+08:00,${rng.int(0, 40)}`);
      files[name] = Buffer.from(rows.join('\n') + '\n');
      curve = `{ csv: ${name} }`;
    }
    lines.push(`  - { channel: ${ch}, intent: ${it}, curve: ${curve} }`);
  }));
  if (hasTickets) lines.push(`  - { channel: tickets, intent: ${intents[intents.length - 1]}, curve: { shape: flat, total: ${rng.pick([10, 100])} } }`);
  if (rng.chance(0.4) && chans.includes('chat')) {
    lines.push('bot:', '  channels: [chat]', `  resolve: { ${intents.map((it) => `${it}: ${rng.pick([0, 0.5, 0.9, 1])}`).join(', ')} }`, `  time: ${dist()}`);
  }
  if (rng.chance(0.3)) lines.push(`routing: { priority: { ${intents[0]}: 1, default: 5 }${rng.chance(0.5) ? ', handover: first-free' : ''} }`);
  if (rng.chance(0.15)) lines.push('forecast: { busyness: { gamma: { mean: 1, cv: 0.2 } } }');
  lines.push('pools:');
  chans.forEach((ch, k) => {
    const conc = ch === 'chat' ? rng.int(1, 3) : 1;
    const staffing = rng.pick([`${rng.int(0, 12)}`, `{ daily: { "00:00": ${rng.int(0, 5)}, "09:00": ${rng.int(1, 12)} } }`, `[${Array.from({ length: intervals }, () => rng.int(0, 9)).join(', ')}]`]);
    lines.push(`  - { name: p${k}, channel: ${ch}, skills: [${intents.join(', ')}], concurrency: ${conc}${conc > 1 && rng.chance(0.5) ? `, speed: [1${', 1.7'.repeat(conc - 1)}]` : ''}, handleTime: { default: ${dist()} }, staffing: ${staffing}${hasTickets && rng.chance(0.5) ? `, tickets: { channel: tickets, skills: [${intents[intents.length - 1]}] }` : ''} }`);
    if (rng.chance(0.3)) lines.push(`  - { name: overflow${k}, kind: borrowed, channel: ${ch}, skills: [{ intent: ${intents[0]}, after: ${rng.int(10, 120)}s }], handleTime: { default: ${dist()} }, staffing: ${rng.int(0, 3)} }`);
  });
  if (hasTickets) lines.push(`  - { name: back, channel: tickets, skills: [${intents.join(', ')}], handleTime: { default: { exponential: 20m } }, staffing: ${rng.int(0, 3)} }`);
  lines.push('targets:');
  lines.push(`  - { channel: ${chans[0]}, serviceLevel: { within: ${rng.pick(['20s', '3m'])}, atLeast: 0.8 }, scope: ${rng.pick(['interval', 'day', 'horizon'])} }`);
  if (rng.chance(0.5)) lines.push(`  - { channel: ${chans[0]}, abandonment: { atMost: 0.05 } }`);
  if (rng.chance(0.3)) lines.push(`  - { channel: ${chans[0]}, averageWait: { atMost: 30s }, scope: horizon }`);
  if (hasTickets && rng.chance(0.5)) lines.push('  - { channel: tickets, firstReply: { within: 4h, atLeast: 0.9 } }');
  files['scenario.yaml'] = Buffer.from(lines.join('\n') + '\n');
  return { files };
}

// ===================================================================================== child ===

async function childMain() {
  const snap = process.argv[3];
  const { main } = await import(join(snap, 'dist', 'cli', 'main.js'));
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.on('uncaughtException', (e) => { process.send({ crash: `uncaught: ${e?.stack ?? e}` }); process.exit(70); });
  process.on('unhandledRejection', (e) => { process.send({ crash: `unhandled rejection: ${e?.stack ?? e}` }); process.exit(70); });
  process.on('message', async (c) => {
    const dir = c.dir;
    mkdirSync(dir, { recursive: true });
    for (const [name, b64] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), Buffer.from(b64, 'base64'));
    }
    process.chdir(dir);
    let out = '', err = '';
    process.stdout.write = (s) => { out += s; return true; };
    process.stderr.write = (s) => { err += s; return true; };
    const t0 = Date.now();
    let code;
    try {
      code = await main(['node', 'peakplan', ...c.args]);
    } catch (e) {
      code = `threw: ${e?.stack ?? e}`;
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
      process.chdir(snap);
    }
    process.send({ code, out, err, ms: Date.now() - t0, after: listFiles(dir) });
  });
  process.send({ ready: true });
}

// ====================================================================================== main ===

if (process.argv[2] === '--child') await childMain();
else await parent();
