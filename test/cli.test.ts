// End to end: the built binary, spawned as a user would run it (NO_COLOR=1), on the default
// scenario and on the bad-input corpus in fixtures/bad/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'peakplan.js');

function run(args: string[], cwd = join(import.meta.dirname, '..')) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('peakplan simulate on the built-in Double-11 scenario', () => {
  const r = run(['simulate', '--reps', '4']);
  it('exits 0 and says what it ran', () => {
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Double 11 flagship store');
    expect(r.out).toMatch(/seed 11 · 4 replications/);
  });
  it('prints the hourly table per channel over the busiest day', () => {
    expect(r.out).toMatch(/chat — busiest day from 11-11 00:00/);
    expect(r.out).toMatch(/phone — busiest day/);
    for (const col of ['arrivals', 'bot', 'offered', 'answered', 'abandoned', 'SL<3m', 'avg wait', 'p90 wait', 'occupancy', 'agents']) expect(r.out).toContain(col);
    expect(r.out.match(/│ 11-11 \d\d:00 │/g)?.length).toBe(72); // 24 hours × 3 channels (chat, phone, tickets)
  });
  it('prints every target with value, confidence interval and verdict', () => {
    expect(r.out).toMatch(/chat: service level \(answered < 3m\) ≥ 90%, every interval .* (MEETS|MISSES|UNDECIDED)/);
    expect(r.out).toMatch(/phone: abandonment ≤ 5%, over the horizon +│ [\d.]+% +│ \[[\d.]+%, [\d.]+%\]/);
  });
  it('uses no colour under NO_COLOR', () => expect(r.out).not.toMatch(/\x1b\[/));
});

describe('machine outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-'));
  it('--json is byte-identical for the same seed, and names the seed', () => {
    const a = run(['simulate', 'fixtures/small.yaml', '--json', '--seed', '5']);
    const b = run(['simulate', 'fixtures/small.yaml', '--json', '--seed', '5']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const j = JSON.parse(a.out);
    expect(j.seed).toBe(5);
    expect(j.replications).toBe(3);
    expect(j.targets[0].id).toContain('serviceLevel');
    const c = run(['simulate', 'fixtures/small.yaml', '--json', '--seed', '6']);
    expect(c.out).not.toBe(a.out);
  });
  it('--csv writes the per-interval table; --interval sets its grain', () => {
    const file = join(dir, 'out.csv');
    const r = run(['simulate', 'fixtures/small.yaml', '--csv', file, '--interval', '2h']);
    expect(r.code, r.err).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(12); // 24 h / 2 h × 1 channel
    expect(Object.keys(rows[0])).toContain('service_level');
    expect(rows[1].interval_start).toBe('2026-11-11T02:00+08:00');
    expect(Number(rows[5].arrivals)).toBeGreaterThan(0);
  });
  it('--excel adds a BOM', () => {
    const file = join(dir, 'excel.csv');
    expect(run(['simulate', 'fixtures/small.yaml', '--csv', file, '--excel']).code).toBe(0);
    expect(readFileSync(file, 'utf8').charCodeAt(0)).toBe(0xfeff);
  });
});

// Every bad input: exit 2, one located line on stderr, no stack trace, nothing written.
// A third element replaces the scenario argument (a bad plan CSV is given with --plan).
const BAD: [file: string, expected: RegExp, args?: string[]][] = [
  ['concurrency-zero.yaml', /concurrency-zero\.yaml:17:18: pools\[0\]\.concurrency: must be an integer ≥ 1, got 0$/],
  ['unknown-key.yaml', /unknown-key\.yaml:16:5: pools\[0\]\.skils: unknown key; did you mean 'skills'\?/],
  ['unknown-intent.yaml', /:16:23: pools\[0\]\.skills\[1\]: unknown intent 'complaints'; did you mean 'complaint'\?/],
  ['bad-duration.yaml', /:9:30: channels\.chat\.patience\.exponential: must be a duration such as '45s'.*got '4 minutes'/],
  ['negative-total.yaml', /:12:70: demand\[1\]\.curve\.total: must be a number ≥ 0, got -200/],
  ['nan-total.yaml', /demand\[1\]\.curve\.total: must be a finite number, got NaN/],
  ['huge-number.yaml', /demand\[1\]\.curve\.total: must be a finite number, got Infinity/],
  ['unknown-shape.yaml', /demand\[0\]\.curve\.shape: must be one of 'flat', 'daily', 'spike', 'double11', got 'dialy'/],
  ['bad-yaml.yaml', /bad-yaml\.yaml:7:1: not valid YAML/],
  ['wrong-type.yaml', /pools\[0\]\.staffing: must be a whole number of agents.*got 'six'/],
  ['zero-interval.yaml', /calendar\.interval: must be a whole number of minutes from 1m to 60m, got '0m'/],
  ['bad-start.yaml', /calendar\.start: '2026-11-31T00:00\+08:00' is not a valid date-time/],
  ['start-no-offset.yaml', /calendar\.start: must be an ISO date-time with a UTC offset/],
  ['unknown-channel-target.yaml', /targets\[0\]\.channel: unknown channel 'chats'; did you mean 'chat'\?/],
  ['two-metrics-target.yaml', /targets\[0\]: needs exactly one of serviceLevel, averageWait, abandonment, occupancy, firstReply, resolved, complaintsPer1000Orders; got serviceLevel and abandonment/],
  ['sl-above-one.yaml', /sl-above-one\.yaml:21:59: targets\[0\]\.serviceLevel\.atLeast: must be a share between 0 and 1: write 0\.9 for 90%, got 90$/],
  ['missing-pools.yaml', /missing-pools\.yaml:2:1: pools: is required but missing/],
  ['staffing-list-length.yaml', /pools\[0\]\.staffing: has 3 values but the scenario has 48 intervals/],
  ['two-distributions.yaml', /pools\[0\]\.handleTime\.default: must name exactly one distribution/],
  ['speed-length.yaml', /pools\[0\]\.speed: needs one value per chat held \(concurrency 2\), got 3/],
  ['curve-csv-missing.yaml', /demand\[1\]\.curve\.csv: file 'nowhere\.csv' not found/],
  ['curve-csv-outside.yaml', /demand\[1\]\.curve\.csv: '.*' lies outside the scenario's folder; pass --allow-outside/],
  ['curve-csv-bad-cell.yaml', /fixtures\/bad\/bad-volume\.csv:6:2: volume: must be a number ≥ 0, got 'x12'/],
  ['duplicate-key.yaml', /duplicate-key\.yaml:5:1: not valid YAML: Map keys must be unique/],
  ['empty.yaml', /empty\.yaml: the file is empty/],
  ['not-a-mapping.yaml', /not-a-mapping\.yaml:1: a scenario must be a mapping/],
  ['negative-capacity.yaml', /:18:23: logistics\.dispatch\.perDay: must be a number ≥ 0, got -100$/],
  ['return-share-above-one.yaml', /:13:40: orders\.categories\.apparel\.returnRate: must be a number ≤ 1, got 1\.5$/],
  ['negative-lag.yaml', /:23:20: returns\.lag\.uniform\[0\]: must be a duration .* got '-1d'$/],
  ['unknown-category.yaml', /orders\.causes\[0\]\.categories\[0\]: unknown category 'aparel'; did you mean 'apparel'\?/],
  ['ticket-on-live-channel.yaml', /returns\.ticket\.channel: 'chat' must be a deferred channel/],
  ['returns-without-logistics.yaml', /returns: needs a logistics section/],
  ['lead-beyond-lookahead.yaml', /orders\.causes\[0\]\.lead: its 99\.9th percentile \(13d19h34m\) is beyond orders\.lookahead \(3d\)/],
  ['cutoff-bad.yaml', /logistics\.dispatch\.cutoff: must be a time of day 'HH:MM', got '25:00'/],
  ['dispatch-list-length.yaml', /logistics\.dispatch\.perDay: has 2 values but the horizon touches 4 local days/],
  // malformed YAML, wrong types, unknown names
  ['truncated.yaml', /truncated\.yaml:18:19: not valid YAML: Flow map .* end with a }$/],
  ['tab-indent.yaml', /tab-indent\.yaml:9:1: not valid YAML: Tabs are not allowed as indentation$/],
  ['multi-document.yaml', /multi-document\.yaml:22:1: not valid YAML: a scenario is one YAML document, and a second one starts here/],
  ['bad-utf8.yaml', /bad-utf8\.yaml:14:16: byte 0xe9 is not valid UTF-8; save the file as UTF-8$/],
  ['intents-not-list.yaml', /intents-not-list\.yaml:6:10: intents: must be a list, got 'presale'$/],
  ['seed-string.yaml', /seed-string\.yaml:3:7: seed: must be a number, got '3'$/],
  ['negative-agents.yaml', /negative-agents\.yaml:19:15: pools\[0\]\.staffing: must be an integer ≥ 0, got -2$/],
  ['unknown-bot-intent.yaml', /:15:22: bot\.resolve\.presal: unknown intent 'presal'; did you mean 'presale'\?/],
  ['unknown-priority-intent.yaml', /:21:27: routing\.priority\.complaints: unknown intent 'complaints'; did you mean 'complaint'\?/],
  ['hourly-length.yaml', /:11:84: demand\[0\]\.curve\.hourly: must have exactly 24 items, got 23$/],
  // CSV curves: rows, columns, delimiters, cells, encodings, empty files, directories
  ['curve-csv-rows.yaml', /fixtures\/bad\/short-curve\.csv: has 47 data rows but the scenario has 48 intervals of 30m$/],
  ['curve-csv-no-volume.yaml', /fixtures\/bad\/no-volume\.csv:1: missing column 'volume' \(the header has: interval_start, contacts\)$/],
  ['curve-csv-duplicate-column.yaml', /fixtures\/bad\/duplicate-column\.csv:1:3: column 'volume' appears twice in the header$/],
  ['curve-csv-extra-field.yaml', /fixtures\/bad\/extra-field\.csv:6: not a valid CSV/],
  ['curve-csv-semicolons.yaml', /fixtures\/bad\/semicolons\.csv:1: the header uses ';' as a separator; peakplan reads comma-separated files$/],
  ['curve-csv-empty-cell.yaml', /fixtures\/bad\/empty-cell\.csv:8:2: volume: must be a number ≥ 0, got ''$/],
  ['curve-csv-nan.yaml', /fixtures\/bad\/nan-cell\.csv:10:2: volume: must be a number ≥ 0, got 'NaN'$/],
  ['curve-csv-negative.yaml', /fixtures\/bad\/negative-cell\.csv:10:2: volume: must be a number ≥ 0, got '-3'$/],
  ['curve-csv-huge.yaml', /fixtures\/bad\/huge-cell\.csv:21:2: volume: must be a number ≥ 0, got '1e999'$/],
  ['curve-csv-bad-utf8.yaml', /fixtures\/bad\/bad-utf8\.csv:13:25: byte 0xe9 is not valid UTF-8; save the file as UTF-8$/],
  ['curve-csv-empty.yaml', /fixtures\/bad\/empty\.csv:1: the file is empty; expected a header line$/],
  ['curve-csv-directory.yaml', /fixtures\/bad\/a-directory\.csv: is a directory, not a file$/],
  // absurd sizes, refused before anything runs (src/scenario/limits.ts)
  ['huge-total.yaml', /:12:70: demand\[1\]\.curve\.total: the scenario expects about 1,000,000,002,000 contacts in one replication .* refuses more than 1,000,000,000/],
  ['orders-huge.yaml', /:11:37: orders\.curve\.perDay: gives about [\d,]+ orders in one replication; peakplan refuses more than 1,000,000,000/],
  ['agents-1e9.yaml', /:19:15: pools\[0\]\.staffing: must be an integer ≤ 1000000, got 1000000000$/],
  ['replications-1e7.yaml', /:4:15: replications: must be an integer ≤ 10000, got 10000000$/],
  ['century-by-minute.yaml', /:5:53: calendar\.horizon: must be at most 366d, got '36500d'$/],
  ['year-by-minute-reps.yaml', /:4:15: replications: 1000 replications of 527,040 intervals .* about 70\.7 GB of per-interval results; at most 4\.0 GB: use fewer replications \(at most 56\)/],
  // found by hand and by the fuzzer: parameters each in range that break the curve, dates before 1970
  ['hourly-overflow.yaml', /:11:84: demand\[0\]\.curve\.hourly: the weights are too large to add up; they are relative, use smaller numbers$/],
  ['spike-half-life.yaml', /:11:116: demand\[0\]\.curve\.halfLife: must be at least 1s, got '0\.001ms'$/],
  ['spike-day-factor.yaml', /:11:46: demand\[0\]\.curve: its parameters give arrival rates that are not finite numbers/],
  ['start-year-0099.yaml', /:5:20: calendar\.start: '0099-11-11T00:00\+08:00' is before 1970$/],
  // the common slips, each with its fix (issue 19)
  ['unit-missing.yaml', /unit-missing\.yaml:9:30: channels\.chat\.patience\.exponential: must be a duration: add a unit, e\.g\. '2m' or '120s' .* got 120$/],
  ['full-width-colon.yaml', /full-width-colon\.yaml:7:10: full-width '\uff1a' in this line — use ':'/],
  ['plan-thousands.csv', /plan-thousands\.csv:2: not a valid CSV: a thousands separator in a number\? write 1000 without the comma/, ['fixtures/small.yaml', '--plan', 'fixtures/bad/plan-thousands.csv']],
  // a plan made for a different scenario
  ['plan-other-pools.csv', /fixtures\/bad\/plan-other-pools\.csv:2:2: pool: unknown pool 'chat_desk'; did you mean 'chat_team'\?/, ['fixtures/small.yaml', '--plan', 'fixtures/bad/plan-other-pools.csv']],
  ['plan-other-start.csv', /plan-other-start\.csv:2:1: interval_start: 2026-11-12T00:00\+08:00 is not the start of one of the scenario's intervals \(2026-11-11T00:00\+08:00 to 2026-11-11T23:30\+08:00, every 30m\); was the plan made for another scenario\?$/, ['fixtures/small.yaml', '--plan', 'fixtures/bad/plan-other-start.csv']],
  ['plan-other-interval.csv', /plan-other-interval\.csv:3:1: interval_start: 2026-11-11T00:15\+08:00 is not the start/, ['fixtures/small.yaml', '--plan', 'fixtures/bad/plan-other-interval.csv']],
];

describe('bad input: exit 2, one located line, no stack, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-bad-'));
  it.each(BAD)('%s', (file, expected, args) => {
    // one output that does not exist yet, and one that does: neither may change
    const out = join(dir, `${file}.csv`);
    const kept = join(dir, `${file}.days.csv`);
    writeFileSync(kept, 'precious\n');
    const r = run(['simulate', ...(args ?? [`fixtures/bad/${file}`]), '--csv', out, '--daily-csv', kept]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: fixtures\//);
    expect(lines[0]).toMatch(expected);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an existing output file is left untouched', () => {
    const out = join(dir, 'keep.csv');
    writeFileSync(out, 'precious\n');
    expect(run(['simulate', 'fixtures/bad/concurrency-zero.yaml', '--csv', out]).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
  });

  it.each([
    [['simulate', 'no/such/file.yaml'], /^error: no\/such\/file\.yaml: no such file$/],
    [['simulate', 'fixtures'], /^error: fixtures: is a directory, not a file$/],
    [['simulate', 'fixtures/small.yaml', '--reps', '0'], /^error: --reps: must be a whole number from 1 to 10000, got '0'$/],
    [['simulate', 'fixtures/small.yaml', '--replications', '5'], /^error: unknown option '--replications' \(did you mean --reps\?\)$/],
    [['simulate', 'fixtures/small.yaml', '--rep', '5'], /^error: unknown option '--rep' \(did you mean --reps\?\)$/],
    [['simulate', 'fixtures/small.yaml', '--seed', 'abc'], /^error: --seed: must be a whole number/],
    [['simulate', 'fixtures/small.yaml', '--interval', '7s'], /^error: --interval: must be whole minutes/],
    [['simulate', 'fixtures/small.yaml', '--csv', 'no/such/dir/x.csv'], /^error: --csv: the folder of no\/such\/dir\/x\.csv does not exist$/],
    [['simulate', 'fixtures/small.yaml', '--plan', 'fixtures/bad/bad-volume.csv'], /^error: fixtures\/bad\/bad-volume\.csv:1: missing column 'pool'/],
    [['simulate', '--bogus'], /unknown option '--bogus'/],
    [['simulat'], /^error: unknown command 'simulat' \(did you mean simulate\?\)$/],
    // found by fuzzing: a bad value of a sweep point was reported as a --set the user never typed
    [['sweep', 'fixtures/small.yaml', '--param', 'replications=3m,1', '--no-progress'], /^error: --param replications=3m: replications: must be a number, got '3m'$/],
  ])('usage: %j', (args, expected) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(expected);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('the order flow on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-days-'));
  it('prints the per-day table and writes --daily-csv', () => {
    const file = join(dir, 'days.csv');
    const r = run(['simulate', 'fixtures/orders-small.yaml', '--daily-csv', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Per day/);
    expect(r.out).toMatch(/│ day +│ orders │ shipped \(late\) │ warehouse │ delivered \(late\) │ WISMO │ returns │ complaints │ per 1k orders │ tickets backlog │/);
    expect(r.out).toMatch(/complaints per 1,000 orders ≤ 10, over the horizon/);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.date)).toEqual(['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13']);
    expect(Number(rows[1].orders)).toBeGreaterThan(Number(rows[0].orders));
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['warehouse_end', 'late_parcels', 'complaints_per_1000_orders', 'backlog_end_tickets', 'tickets/complaint_first_reply_within_86400s']));
  });
  it('--json carries the days and the drivers', () => {
    const j = JSON.parse(run(['simulate', 'fixtures/orders-small.yaml', '--json']).out);
    expect(j.drivers).toEqual({ orders: true, logistics: true, returns: true, complaints: true });
    expect(j.days).toHaveLength(4);
    expect(j.days[2].wismo.mean).toBeGreaterThan(0);
  });
});

describe('help', () => {
  it('peakplan --help lists the commands with examples', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('simulate');
    expect(r.out).toContain('Examples:');
  });
  it('peakplan simulate --help shows options and examples', () => {
    const r = run(['simulate', '--help']);
    expect(r.code).toBe(0);
    for (const o of ['--seed', '--reps', '--json', '--csv', '--interval', '--plan']) expect(r.out).toContain(o);
    expect(r.out).toContain('Examples:');
  });
});

describe('peakplan erlang', () => {
  it('finds the Erlang C minimum: 14 agents for 80% within 20 s', () => {
    const r = run(['erlang', '--rate', '100/30m', '--aht', '180s', '--target', '0.8', '--sl', '20s']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/fewest agents for 80% answered within 20s: 14/);
    expect(r.out).toMatch(/│ 14 +│ 17\.4% +│ 88\.8% +│ 7\.8s/);
  });
  it('evaluates Erlang A as JSON', () => {
    const j = JSON.parse(run(['erlang', '--rate', '100/30m', '--aht', '3m', '--agents', '13', '--patience', '5m', '--json']).out);
    expect(j.model).toMatch(/Erlang A/);
    expect(j.pWait).toBeCloseTo(0.2258, 4);
    expect(j.pAbandon).toBeCloseTo(0.025, 4);
  });
  it.each([
    [['erlang', '--rate', '100/30x', '--aht', '3m', '--agents', '3'], /^error: --rate: must be contacts per duration/],
    [['erlang', '--rate', '100/30m', '--aht', '3m'], /^error: --agents: give --agents N .* or --target SHARE/],
    [['erlang', '--rate', '100/30m', '--aht', '3m', '--target', '1.5'], /^error: --target: must be a share between 0 and 1/],
    [['erlang', '--aht', '3m', '--agents', '3'], /required option '--rate/],
  ])('bad usage %j exits 2', (args, expected) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(expected);
  });
});

describe('worker threads', () => {
  it('simulate gives byte-identical JSON on 1 and 2 workers', () => {
    const a = run(['simulate', 'fixtures/orders-small.yaml', '--json', '--reps', '4', '--workers', '1']);
    const b = run(['simulate', 'fixtures/orders-small.yaml', '--json', '--reps', '4', '--workers', '2']);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toBe(a.out);
  });
  it('check adds replications in looks and gives byte-identical JSON and JUnit on 1 and 2 workers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-looks-'));
    const args = (w: string) => ['check', 'scenarios/teaching-spike.yaml', '--reps', '4', '--max-reps', '16', '--json', '--junit', join(dir, `${w}.xml`), '--workers', w, '--no-progress'];
    const a = run(args('1')), b = run(args('2'));
    expect(a.code, a.err).toBe(b.code);
    expect(b.out).toBe(a.out);
    expect(readFileSync(join(dir, '2.xml'), 'utf8')).toBe(readFileSync(join(dir, '1.xml'), 'utf8'));
    const j = JSON.parse(a.out);
    // the spike's own staffing (12 agents) misses at once in the spike and leaves windows to decide
    expect(j.decision.looks).toEqual([4, 8, 16]);
    expect(j.decision.looksTaken).toBeGreaterThan(1);
    expect(j.targets[0].misses).toBeGreaterThan(0);
  });
  it('a plan CSV checked with the plan\'s seed and budget reproduces the plan\'s own verdicts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-rt-'));
    const csv = join(dir, 'plan.csv');
    const p = run(['plan', 'scenarios/teaching-spike.yaml', '--out', csv, '--json', '--max-reps', '80', '--no-progress']);
    expect(p.code, p.err).toBe(0);
    const c = run(['check', 'scenarios/teaching-spike.yaml', '--plan', csv, '--reps', '10', '--max-reps', '80', '--json', '--no-progress']);
    expect(c.code, c.err).toBe(0);
    const pj = JSON.parse(p.out), cj = JSON.parse(c.out);
    expect(cj.replications).toBe(pj.verifyReplications);
    type T = { verdict: string; meets: number; misses: number; undecided: number; value?: unknown; worst?: { value: unknown } };
    const verdicts = (ts: T[]) => ts.map((t) => [t.verdict, t.meets, t.misses, t.undecided, t.worst?.value ?? t.value]);
    expect(verdicts(cj.targets)).toEqual(verdicts(pj.targets));
  });
  it('no thread ever detaches an ArrayBuffer (that would slow every typed-array access in it for good)', () => {
    // V8 reports each protector it gives up; ArrayBufferDetaching goes on the first detach in an
    // isolate (a transfer in postMessage, say), after which every typed-array access checks for it
    const r = spawnSync(process.execPath, ['--trace-protector-invalidation', BIN, 'simulate', 'fixtures/orders-small.yaml', '--json', '--reps', '4', '--workers', '2', '--no-progress'],
      { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.stdout + r.stderr).not.toMatch(/protector cell ArrayBufferDetaching/);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).replications).toBe(4);
  });
  it('the default number of workers is the cores the process may use (one core under taskset -c 0)', () => {
    const probe = `import('./dist/parallel/pool.js').then((m) => console.log(m.defaultWorkers()))`;
    const pinned = spawnSync('taskset', ['-c', '0', process.execPath, '--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(pinned.status, pinned.stderr).toBe(0);
    expect(pinned.stdout.trim()).toBe('1');
    const free = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(Number(free.stdout.trim())).toBe(availableParallelism());
  });
  it('plan gives the byte-identical plan on 1 and 2 workers', () => {
    const a = run(['plan', 'scenarios/teaching-chat.yaml', '--json', '--workers', '1', '--no-progress']);
    const b = run(['plan', 'scenarios/teaching-chat.yaml', '--json', '--workers', '2', '--no-progress']);
    expect(a.code, a.err).toBe(0);
    expect(b.out).toBe(a.out);
  });
});
