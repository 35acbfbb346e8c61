// npm run bench:scale — memory and run time against volume. scenarios/stress-100m.yaml (1,000,000
// contacts a day) at 10, 30 and 100 days: 10 M, 30 M and 100 M contacts in one replication, each
// `peakplan simulate --reps 1 --workers 1 --json` in its own process (the real command line, output
// included), with the process's peak RSS. Memory must stay flat while the volume grows tenfold
// (only the per-interval statistics grow, with the horizon), and time must grow like the volume:
// the last column, (CPU time ratio) / (volume ratio) against the smallest run, stays near 1
// (CPU time of the whole process, start-up included: about a second, which favours the big runs).
//
//   node bench/scale.mjs [--days 10,30,100] [--rounds 1] [--scenario scenarios/stress-100m.yaml]
//
// About 3 minutes on an idle 2-core machine; not part of `npm run bench` unless it is given --scale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const days = opt('--days', '10,30,100').split(',').map(Number);
const rounds = Number(opt('--rounds', '1'));
const scenario = opt('--scenario', join(root, 'scenarios/stress-100m.yaml'));
const log = (s) => process.stderr.write(s + '\n');
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

// The child reports its own peak RSS when it exits: loaded with --import before the CLI runs.
const work = mkdtempSync(join(tmpdir(), 'peakplan-scale-'));
const hook = join(work, 'rss-hook.mjs');
writeFileSync(hook, `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(process.env.PEAKPLAN_RSS_FILE, JSON.stringify({ rss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
});
`);

function runOnce(d) {
  const rssFile = join(work, `rss-${d}.txt`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, join(root, 'bin/peakplan.js'), 'simulate', scenario,
    '--set', `calendar.horizon=${d}d`, '--reps', '1', '--workers', '1', '--json'], {
    encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, PEAKPLAN_RSS_FILE: rssFile, NO_COLOR: '1' },
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`simulate failed (exit ${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const contacts = j.channels.reduce((a, c) => a + c.stats.arrivals.mean, 0);
  return { days: d, contacts, events: j.totals.events, peakContacts: j.totals.peakContacts, wall, ...JSON.parse(readFileSync(rssFile, 'utf8')) };
}

const runs = new Map(days.map((d) => [d, []]));
try {
  for (let k = 0; k < rounds; k++) {
    for (const d of days) {
      log(`${d} days (round ${k + 1}/${rounds})…`);
      const x = runOnce(d);
      log(`  ${fmt(x.contacts)} contacts, ${x.wall.toFixed(1)} s wall, ${x.cpu.toFixed(1)} s CPU, peak RSS ${(x.rss / 2 ** 20).toFixed(0)} MB`);
      runs.get(d).push(x);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows = days.map((d) => {
  const xs = runs.get(d);
  return { ...xs[0], wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), rss: Math.max(...xs.map((x) => x.rss)) };
});
const base = rows[0];
console.log(`\n## Scale: ${scenario.replace(root + '/', '')}, 1 replication, 1 thread (${rounds === 1 ? 'one run each' : `median of ${rounds}`}; peak RSS of the whole process)\n`);
// Ratios on CPU time: on a shared machine wall time also counts waiting for other processes.
// The marginal cost (CPU s per million more contacts than the previous run) leaves the fixed
// start-up out: constant marginal cost is what linear means.
console.log('| horizon | contacts | events | wall s | CPU s | events per CPU s | peak RSS MB | most contacts at once | volume ratio | CPU time ratio | time / volume ratio | marginal CPU s per M contacts |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
rows.forEach((x, i) => {
  const vr = x.contacts / base.contacts, tr = x.cpu / base.cpu;
  const prev = rows[i - 1];
  const marginal = prev === undefined ? '' : ((x.cpu - prev.cpu) / ((x.contacts - prev.contacts) / 1e6)).toFixed(3);
  console.log(`| ${x.days} d | ${fmt(x.contacts)} | ${fmt(x.events)} | ${x.wall.toFixed(1)} | ${x.cpu.toFixed(1)} | ${fmt(x.events / x.cpu)} | ${(x.rss / 2 ** 20).toFixed(0)} | ${fmt(x.peakContacts)} | ${vr.toFixed(2)} | ${tr.toFixed(2)} | ${(tr / vr).toFixed(2)} | ${marginal} |`);
});
const worst = Math.max(...rows.map((x) => x.rss)) / 2 ** 20;
console.log(`\npeak RSS at most ${worst.toFixed(0)} MB (limit 1,024 MB): ${worst < 1024 ? 'ok' : 'OVER'}`);
