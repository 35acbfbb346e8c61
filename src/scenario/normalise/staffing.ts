// Staffing as the scenario gives it (a constant, a list, a daily pattern or a plan CSV) and the
// plan CSV itself (interval_start,pool,agents), read once per file however many pools name it;
// the pools' planning constraints (min, max, maxStep, availability window, fixed).

import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import { LIMITS } from '../limits.js';
import { cellNumber, cellPlace, cellString, readCsv, textSource, type CsvHeader, type CsvRow, type CsvSource } from '../csv.js';
import { formatDateTime, parseClock, parseDateTime, secondsOfLocalDay } from '../time.js';
import { fail, suggest, type PathSeg, type FileAccess } from './helpers.js';
import type { RawScenario } from '../schema.js';
import type { Calendar, PoolPlanning, Scenario } from '../types.js';
import { intervalIndexOf } from './demand-curves.js';

// Plans read in this process, by what the reading depends on: the file's bytes, the calendar and
// the pools. `check --plan` and `simulate --plan` usually name the same file the scenario's pools
// read their staffing from (the built-in scenario does): its second reading, 0.1–0.2 s of
// csv-parse on the main thread before any replication can start, is a copy of the first.
// Only plans read without error are kept (an error names the file it was read as), and only
// from sources that give the same bytes when read again (a file, not a pipe).
const planMemo = new Map<string, Map<string, Int32Array>>();
const copyPlan = (plan: Map<string, Int32Array>) => new Map([...plan].map(([pool, a]) => [pool, a.slice()]));

export function readPlanCsv(input: CsvSource | string, file: string, cal: Calendar, poolNames: readonly string[]): Map<string, Int32Array> {
  const src = typeof input === 'string' ? textSource(input, file) : input;
  let key: string | null = null;
  if (src.rereadable === true) {
    const h = createHash('sha256');
    for (const chunk of src.chunks()) h.update(chunk);
    key = `${h.digest('base64')} ${cal.startMs} ${cal.offsetMinutes} ${cal.intervalSec} ${cal.intervals} ${JSON.stringify(poolNames)}`;
    const known = planMemo.get(key);
    if (known !== undefined) return copyPlan(known);
  }
  const out = new Map<string, Int32Array>();
  const seen = new Map<string, Uint8Array>();
  readCsv(src, ['interval_start', 'pool', 'agents'], { row: (t, row) => planRow(t, row, cal, poolNames, out, seen), end: () => checkPlanComplete(seen, cal, src.file) });
  if (key !== null) planMemo.set(key, copyPlan(out));
  return out;
}

function planRow(t: CsvHeader, row: CsvRow, cal: Calendar, poolNames: readonly string[], out: Map<string, Int32Array>, seen: Map<string, Uint8Array>): void {
  let pool = cellString(t, row, 'pool');
  // our own CSVs quote-prefix names that start like a formula (=, +, -, @): read them back
  if (!poolNames.includes(pool) && /^'[=+\-@\t\r]/.test(pool) && poolNames.includes(pool.slice(1))) pool = pool.slice(1);
  if (!poolNames.includes(pool)) {
    const hint = suggest(pool, poolNames);
    throw new InputError(`unknown pool '${pool}'${hint ? `; did you mean '${hint}'?` : ''} (the scenario has: ${poolNames.join(', ')})`, cellPlace(t, row, 'pool'));
  }
  let k: number;
  try {
    k = intervalIndexOf(cal, cellString(t, row, 'interval_start'));
  } catch (e) {
    throw new InputError((e as Error).message.replace(/^must/, 'must'), cellPlace(t, row, 'interval_start'));
  }
  const agents = cellNumber(t, row, 'agents', { integer: true });
  if (agents > LIMITS.agentsPerPool) throw new InputError(`must be at most ${LIMITS.agentsPerPool} agents per pool, got '${cellString(t, row, 'agents')}'`, cellPlace(t, row, 'agents'));
  if (!out.has(pool)) { out.set(pool, new Int32Array(cal.intervals)); seen.set(pool, new Uint8Array(cal.intervals)); }
  if (seen.get(pool)![k]) throw new InputError(`a second row for pool '${pool}' at this interval`, cellPlace(t, row, 'interval_start'));
  seen.get(pool)![k] = 1;
  out.get(pool)![k] = agents;
}

function checkPlanComplete(seen: Map<string, Uint8Array>, cal: Calendar, file: string): void {
  for (const [pool, s] of seen) {
    const missing = s.indexOf(0);
    if (missing >= 0) {
      throw new InputError(`pool '${pool}' has no row for interval ${formatDateTime(cal.startMs + missing * cal.intervalSec * 1000, cal.offsetMinutes)}; a plan gives every interval`, { file });
    }
  }
}

const planCache = new WeakMap<FileAccess, Map<string, { file: string; plan: Map<string, Int32Array> }>>();

export function staffing(raw: RawScenario['pools'][number]['staffing'], cal: Calendar, path: PathSeg[], poolName: string, allPools: readonly string[], files: FileAccess): Int32Array {
  const out = new Int32Array(cal.intervals);
  if (typeof raw === 'number') {
    out.fill(raw);
  } else if (Array.isArray(raw)) {
    if (raw.length !== cal.intervals) fail(path, `has ${raw.length} values but the scenario has ${cal.intervals} intervals`);
    out.set(raw);
  } else {
    if ((raw.daily === undefined) === (raw.csv === undefined)) fail(path, 'needs exactly one of daily or csv');
    if (raw.daily !== undefined) {
      const steps = Object.entries(raw.daily).map(([clock, n]) => {
        try {
          return { at: parseClock(clock), n };
        } catch (e) {
          return fail([...path, 'daily', clock], (e as Error).message, true);
        }
      }).sort((a, b) => a.at - b.at);
      if (steps.length === 0) fail([...path, 'daily'], "needs at least one 'HH:MM': agents entry");
      for (let i = 0; i < cal.intervals; i++) {
        const tod = secondsOfLocalDay(cal.startMs, cal.offsetMinutes, i * cal.intervalSec);
        let n = steps[steps.length - 1].n; // before the first step of the day: the last one of the day before
        for (const s of steps) if (s.at <= tod) n = s.n;
        out[i] = n;
      }
    } else {
      // Pools usually share one plan file: read it once per load (the built-in scenario's six
      // pools made loading six times slower, and every worker thread loads the scenario).
      let cache = planCache.get(files);
      if (!cache) planCache.set(files, (cache = new Map()));
      let hit = cache.get(raw.csv!);
      if (!hit) {
        const src = files.openFile(raw.csv!, [...path, 'csv']);
        hit = { file: src.file, plan: readPlanCsv(src, src.file, cal, allPools) };
        cache.set(raw.csv!, hit);
      }
      const mine = hit.plan.get(poolName);
      if (!mine) throw new InputError(`has no rows for pool '${poolName}'`, { file: hit.file });
      out.set(mine);
    }
  }
  return out;
}

export function poolPlanning(raw: RawScenario['pools'][number]['planning'], cal: Calendar, path: PathSeg[]): PoolPlanning {
  const r = raw ?? {};
  const min = new Int32Array(cal.intervals).fill(r.min ?? 0);
  const max = new Int32Array(cal.intervals).fill(r.max ?? 100000);
  if (r.min !== undefined && r.max !== undefined && r.min > r.max) fail([...path, 'min'], `must not be above max (${r.min} > ${r.max})`);
  const at = (k: 'from' | 'to') => {
    if (r[k] === undefined) return k === 'from' ? 0 : cal.horizonSec;
    try {
      return (parseDateTime(r[k]!).epochMs - cal.startMs) / 1000;
    } catch (e) {
      return fail([...path, k], (e as Error).message);
    }
  };
  const from = at('from'), to = at('to');
  if (to <= from) fail([...path, 'to'], 'must be after from');
  for (let i = 0; i < cal.intervals; i++) {
    const t = i * cal.intervalSec;
    if (t < from || t >= to) { min[i] = 0; max[i] = 0; }
  }
  return { min, max, maxStep: r.maxStep ?? Infinity, fixed: r.fixed ?? false };
}


/** Replace the staffing of the pools a plan names. */
export function withPlan(s: Scenario, plan: Map<string, Int32Array>): Scenario {
  return { ...s, pools: s.pools.map((p) => (plan.has(p.name) ? { ...p, staffing: plan.get(p.name)! } : p)) };
}
