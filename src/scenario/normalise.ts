// Raw (schema-checked) scenario → normalised Scenario: units resolved, names turned into indices,
// cross-references and semantic rules checked. Pure: files the scenario refers to come in through
// the injected `readFile`. Errors are PathErrors carrying the dot-path; the loader adds the line.

import { Distribution, type DistSpec } from '../engine/distributions.js';
import { InputError } from '../errors.js';
import { curveFromWeights, shapeMinuteWeights, type ShapeParams } from './curves.js';
import { checkSizes, LIMITS, staffingWarnings } from './limits.js';
import { cellNumber, cellPlace, cellString, readCsv, textSource, type CsvHeader, type CsvRow, type CsvSource } from './csv.js';
import type { RawCurve, RawDistribution, RawFactorDistribution, RawScenario } from './schema.js';
import { formatDateTime, formatDuration, parseClock, parseDateTime, parseDuration, secondsOfLocalDay } from './time.js';
import type {
  Bot, Calendar, Channel, Complaints, DemandStream, Logistics, OrderCategory, OrderCause, Orders, Pool, PoolKind, PoolPlanning, RateCurve, Returns,
  Scenario, Skill, Target, TargetMetric,
} from './types.js';

export type PathSeg = string | number;

export class PathError extends Error {
  constructor(readonly path: readonly PathSeg[], readonly detail: string, readonly atKey = false) {
    super(detail);
  }
}

export interface FileAccess {
  /** Opens a file named in the scenario (relative to it) for streaming; `at` is where it was named. */
  openFile(relPath: string, at: readonly PathSeg[]): CsvSource;
}

export interface NormaliseOptions {
  file: string;
  /** Overrides the file's seed. */
  seed?: number;
  replications?: number;
}

const fail = (path: readonly PathSeg[], msg: string, atKey = false): never => {
  throw new PathError(path, msg, atKey);
};

function dur(text: string, path: readonly PathSeg[]): number {
  try {
    return parseDuration(text);
  } catch (e) {
    return fail(path, (e as Error).message);
  }
}

export function distribution(raw: RawDistribution, path: readonly PathSeg[]): Distribution {
  const keys = Object.keys(raw) as (keyof RawDistribution)[];
  if (keys.length !== 1) {
    fail(path, `must name exactly one distribution (exponential, deterministic, uniform, lognormal, gamma, empirical), got ${keys.length === 0 ? 'none' : keys.join(' and ')}`);
  }
  const k = keys[0];
  const p = [...path, k];
  let spec: DistSpec;
  switch (k) {
    case 'exponential': spec = { kind: 'exponential', mean: dur(raw.exponential!, p) }; break;
    case 'deterministic': spec = { kind: 'deterministic', value: dur(raw.deterministic!, p) }; break;
    case 'uniform': spec = { kind: 'uniform', min: dur(raw.uniform![0], [...p, 0]), max: dur(raw.uniform![1], [...p, 1]) }; break;
    case 'lognormal': spec = { kind: 'lognormal', mean: dur(raw.lognormal!.mean, [...p, 'mean']), cv: raw.lognormal!.cv }; break;
    case 'gamma': spec = { kind: 'gamma', mean: dur(raw.gamma!.mean, [...p, 'mean']), cv: raw.gamma!.cv }; break;
    case 'empirical': spec = { kind: 'empirical', values: raw.empirical!.map((v, i) => dur(v, [...p, i])) }; break;
    default: return fail(path, `unknown distribution ${String(k)}`);
  }
  try {
    return new Distribution(spec);
  } catch (e) {
    return fail(p, (e as Error).message.replace(/^\w+: /, ''));
  }
}

export function factorDistribution(raw: RawFactorDistribution, path: readonly PathSeg[]): Distribution {
  const keys = Object.keys(raw) as (keyof RawFactorDistribution)[];
  if (keys.length !== 1) fail(path, `must name exactly one distribution (gamma, lognormal, uniform, empirical, deterministic), got ${keys.length === 0 ? 'none' : keys.join(' and ')}`);
  const k = keys[0];
  let spec: DistSpec;
  switch (k) {
    case 'gamma': spec = { kind: 'gamma', mean: raw.gamma!.mean, cv: raw.gamma!.cv }; break;
    case 'lognormal': spec = { kind: 'lognormal', mean: raw.lognormal!.mean, cv: raw.lognormal!.cv }; break;
    case 'uniform': spec = { kind: 'uniform', min: raw.uniform![0], max: raw.uniform![1] }; break;
    case 'empirical': spec = { kind: 'empirical', values: raw.empirical! }; break;
    default: spec = { kind: 'deterministic', value: raw.deterministic! };
  }
  try {
    return new Distribution(spec);
  } catch (e) {
    return fail([...path, k], (e as Error).message.replace(/^\w+: /, ''));
  }
}

function indexOfName(names: readonly string[], name: string, what: string, path: readonly PathSeg[]): number {
  const i = names.indexOf(name);
  if (i < 0) {
    const hint = suggest(name, names);
    fail(path, `unknown ${what} '${name}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${names.join(', ')})`);
  }
  return i;
}

/** The closest candidate by edit distance, if close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function calendar(raw: RawScenario['calendar']): Calendar {
  let start;
  try {
    start = parseDateTime(raw.start);
  } catch (e) {
    return fail(['calendar', 'start'], (e as Error).message);
  }
  const intervalSec = dur(raw.interval, ['calendar', 'interval']);
  if (!(intervalSec >= 60 && intervalSec <= 3600 && intervalSec % 60 === 0)) {
    fail(['calendar', 'interval'], `must be a whole number of minutes from 1m to 60m, got '${raw.interval}'`);
  }
  const horizonSec = dur(raw.horizon, ['calendar', 'horizon']);
  if (!(horizonSec > 0)) fail(['calendar', 'horizon'], `must be longer than 0, got '${raw.horizon}'`);
  if (horizonSec > 366 * 86400) fail(['calendar', 'horizon'], `must be at most 366d, got '${raw.horizon}'`);
  return {
    start: raw.start,
    startMs: start.epochMs,
    offsetMinutes: start.offsetMinutes,
    intervalSec,
    intervals: Math.ceil(horizonSec / intervalSec - 1e-9),
    horizonSec,
  };
}

function curve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const has = (k: keyof RawCurve) => raw[k] !== undefined;
  if (has('at')) {
    for (const k of Object.keys(raw) as (keyof RawCurve)[]) if (k !== 'at') fail([...path, k], 'does not go with at (explicit arrival times)', true);
    const times = raw.at!.map((d, i) => dur(d, [...path, 'at', i]));
    times.forEach((t, i) => {
      if (i > 0 && t < times[i - 1]) fail([...path, 'at', i], `arrival times must not go back (${raw.at![i - 1]} then ${raw.at![i]})`);
      if (t >= cal.horizonSec) fail([...path, 'at', i], `${raw.at![i]} is not before the end of the horizon`);
    });
    const rates = new Float64Array(cal.intervals);
    times.forEach((t) => { rates[Math.floor(t / cal.intervalSec)] += 1 / cal.intervalSec; });
    return { stepSec: cal.intervalSec, rates, times: Float64Array.from(times), source: 'explicit times' };
  }
  if (has('csv') === has('shape')) fail(path, 'needs exactly one of shape, csv or at');
  if (has('csv')) {
    for (const k of ['total', 'perDay', 'hourly', 'peak', 'firstHourShare', 'halfLife', 'dayFactor'] as const) {
      if (has(k)) fail([...path, k], 'applies to shapes, not to a csv curve', true);
    }
    if (has('timestamps')) {
      if (has('column')) fail([...path, 'column'], 'names the volume column of a per-interval CSV; with timestamps every row is one arrival', true);
      return eventLogCurve(raw, cal, path, files);
    }
    return csvCurve(raw, cal, path, files);
  }
  for (const k of ['column', 'scale', 'timestamps'] as const) if (has(k)) fail([...path, k], 'applies to a csv curve, not to a shape', true);
  if (has('total') === has('perDay')) fail(path, 'needs exactly one of total (contacts over the horizon) or perDay (contacts on an ordinary day)');
  const shape = raw.shape!;
  const p: ShapeParams = { shape };
  if (has('hourly')) {
    if (shape === 'flat') fail([...path, 'hourly'], "does not apply to the flat shape; use shape: daily", true);
    if (raw.hourly!.every((w) => w === 0)) fail([...path, 'hourly'], 'must not be all zero');
    // relative weights: any scale will do, as long as they add up to a finite number
    if (!Number.isFinite(raw.hourly!.reduce((a, x) => a + x, 0))) fail([...path, 'hourly'], 'the weights are too large to add up; they are relative, use smaller numbers');
    p.hourly = raw.hourly;
  }
  const spiky = shape === 'spike' || shape === 'double11';
  for (const k of ['peak', 'firstHourShare', 'halfLife', 'dayFactor'] as const) {
    if (has(k) && !spiky) fail([...path, k], `applies to the spike and double11 shapes, not to ${shape}`, true);
  }
  if (spiky) {
    let peakMs: number;
    if (raw.peak !== undefined) {
      try {
        peakMs = parseDateTime(raw.peak).epochMs;
      } catch (e) {
        return fail([...path, 'peak'], (e as Error).message);
      }
    } else if (shape === 'double11') {
      peakMs = double11Midnight(cal);
    } else {
      return fail(path, 'the spike shape needs peak (the ISO date-time the spike starts)');
    }
    p.peakSec = (peakMs - cal.startMs) / 1000;
    const reach = shape === 'double11' ? 30 * 86400 : 86400; // the Double-11 calendar reaches weeks around its peak
    if (p.peakSec < -reach || p.peakSec >= cal.horizonSec + (shape === 'double11' ? reach : 0)) {
      fail([...path, 'peak'], `${formatDateTime(peakMs, cal.offsetMinutes)} is outside the horizon`);
    }
    if (has('firstHourShare')) p.firstHourShare = raw.firstHourShare;
    if (has('halfLife')) {
      p.halfLifeSec = dur(raw.halfLife!, [...path, 'halfLife']);
      // shorter, and the decay underflows within the first minute (the spike's shape is lost)
      if (!(p.halfLifeSec >= 1)) fail([...path, 'halfLife'], `must be at least 1s, got '${raw.halfLife}'`);
    }
    if (has('dayFactor')) p.dayFactor = raw.dayFactor;
  }
  const w = shapeMinuteWeights(cal, p);
  const c = curveFromWeights(cal, w, { total: raw.total, perDay: raw.perDay }, `shape ${shape}`);
  // a last guard for parameters that are each in range but together overflow (dayFactor 1e308)
  if (!c.rates.every(Number.isFinite)) fail(path, 'its parameters give arrival rates that are not finite numbers; check dayFactor, firstHourShare, halfLife and hourly');
  return c;
}

/** 11 Nov 00:00 local in the horizon's first year that reaches it (the Double-11 spike). */
function double11Midnight(cal: Calendar): number {
  const local = new Date(cal.startMs + cal.offsetMinutes * 60000);
  let y = local.getUTCFullYear();
  const at = (year: number) => Date.UTC(year, 10, 11) - cal.offsetMinutes * 60000;
  if (at(y) < cal.startMs - 86400000) y += 1;
  return at(y);
}

// CSV curves are streamed (csv.ts): rows are folded into the curve's rates as they are read, so a
// file's memory is that of its curve (per interval or per minute), whatever its number of rows.

function csvCurve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const column = raw.column ?? 'volume';
  const src = files.openFile(raw.csv!, [...path, 'csv']);
  const rates = new Float64Array(cal.intervals);
  const scale = raw.scale ?? 1;
  readCsv(src, ['interval_start', column], {
    maxRows: cal.intervals,
    count(t, rows, extraLine) {
      if (rows !== cal.intervals) {
        throw new InputError(`has ${rows} data rows but the scenario has ${cal.intervals} intervals of ${cal.intervalSec / 60}m`, { file: t.file, line: extraLine });
      }
    },
    row(t, row, i) {
      checkIntervalStart(t, row, cal, i);
      const v = cellNumber(t, row, column);
      const len = Math.min(cal.intervalSec, cal.horizonSec - i * cal.intervalSec);
      rates[i] = (v * scale) / len;
    },
  });
  return { stepSec: cal.intervalSec, rates, source: src.file };
}

/**
 * An event log (one row per contact or order, its time in the `timestamps` column, any order):
 * counted per minute of the horizon — the model needs the rate, not each time (replaying exact
 * times is what `at` is for) — so memory is one number per minute however long the log.
 */
function eventLogCurve(raw: RawCurve, cal: Calendar, path: PathSeg[], files: FileAccess): RateCurve {
  const column = raw.timestamps!;
  const src = files.openFile(raw.csv!, [...path, 'csv']);
  const steps = Math.ceil(cal.horizonSec / 60 - 1e-9);
  const counts = new Float64Array(steps);
  const endMs = cal.startMs + cal.horizonSec * 1000;
  // Logs are mostly in time order, so a row usually shares all but its seconds with the row whose
  // minute was last parsed in full: then only the two digits are read (parsing every time in full
  // took more than half the load time of a large log).
  let prefix = '', suffix = '', minuteMs = NaN;
  readCsv(src, [column], {
    row(t, row) {
      const text = cellString(t, row, column);
      let ms: number;
      const s1 = text.charCodeAt(17) - 48, s0 = text.charCodeAt(18) - 48;
      if (prefix !== '' && text.length === prefix.length + 2 + suffix.length && text.startsWith(prefix) && text.endsWith(suffix) && s1 >= 0 && s1 <= 5 && s0 >= 0 && s0 <= 9) {
        ms = minuteMs + (s1 * 10 + s0) * 1000;
      } else {
        try {
          ms = parseDateTime(text).epochMs;
        } catch (e) {
          throw new InputError((e as Error).message, cellPlace(t, row, column));
        }
        // 'YYYY-MM-DDTHH:MM:SS<offset>' (the form with seconds) can take the short way next time
        if (text.length >= 20 && text.charCodeAt(16) === 58 && text === text.trim()) {
          prefix = text.slice(0, 17);
          suffix = text.slice(19);
          minuteMs = ms - (text.charCodeAt(17) - 48) * 10000 - (text.charCodeAt(18) - 48) * 1000;
        }
      }
      if (ms < cal.startMs || ms >= endMs) {
        throw new InputError(`${text.trim()} is outside the horizon (${formatDateTime(cal.startMs, cal.offsetMinutes)} to ${formatDateTime(endMs, cal.offsetMinutes)})`, cellPlace(t, row, column));
      }
      counts[Math.floor((ms - cal.startMs) / 60000)]++;
    },
  });
  const scale = raw.scale ?? 1;
  for (let i = 0; i < steps; i++) counts[i] = (counts[i] * scale) / Math.min(60, cal.horizonSec - i * 60);
  return { stepSec: 60, rates: counts, source: src.file };
}

function checkIntervalStart(t: CsvHeader, row: CsvRow, cal: Calendar, i: number): void {
  const text = cellString(t, row, 'interval_start');
  let ms: number;
  try {
    ms = parseDateTime(text).epochMs;
  } catch (e) {
    throw new InputError((e as Error).message, cellPlace(t, row, 'interval_start'));
  }
  const want = cal.startMs + i * cal.intervalSec * 1000;
  if (ms !== want) {
    throw new InputError(`expected ${formatDateTime(want, cal.offsetMinutes)} (interval ${i + 1}), got ${text}`, cellPlace(t, row, 'interval_start'));
  }
}

// Plan CSVs list every pool at one interval start in a row: remember the last one parsed.
let lastIndex: { cal: Calendar; text: string; k: number } | null = null;

function intervalIndexOf(cal: Calendar, text: string): number {
  if (lastIndex !== null && lastIndex.cal === cal && lastIndex.text === text) return lastIndex.k;
  const k = intervalIndexOfUncached(cal, text);
  lastIndex = { cal, text, k };
  return k;
}

function intervalIndexOfUncached(cal: Calendar, text: string): number {
  const ms = parseDateTime(text).epochMs;
  const k = (ms - cal.startMs) / (cal.intervalSec * 1000);
  if (!Number.isInteger(k) || k < 0 || k >= cal.intervals) {
    // a plan made for another scenario: say which intervals this one has
    const last = formatDateTime(cal.startMs + (cal.intervals - 1) * cal.intervalSec * 1000, cal.offsetMinutes);
    throw new RangeError(`${text} is not the start of one of the scenario's intervals (${formatDateTime(cal.startMs, cal.offsetMinutes)} to ${last}, every ${formatDuration(cal.intervalSec)}); was the plan made for another scenario?`);
  }
  return k;
}

/** Rows of a plan CSV (interval_start, pool, agents) for the named pools: a source, or its text. */
export function readPlanCsv(input: CsvSource | string, file: string, cal: Calendar, poolNames: readonly string[]): Map<string, Int32Array> {
  const src = typeof input === 'string' ? textSource(input, file) : input;
  const out = new Map<string, Int32Array>();
  const seen = new Map<string, Uint8Array>();
  readCsv(src, ['interval_start', 'pool', 'agents'], { row: (t, row) => planRow(t, row, cal, poolNames, out, seen), end: () => checkPlanComplete(seen, cal, src.file) });
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

function staffing(raw: RawScenario['pools'][number]['staffing'], cal: Calendar, path: PathSeg[], poolName: string, allPools: readonly string[], files: FileAccess): Int32Array {
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

function poolPlanning(raw: RawScenario['pools'][number]['planning'], cal: Calendar, path: PathSeg[]): PoolPlanning {
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

export function normalise(raw: RawScenario, files: FileAccess, opts: NormaliseOptions): Scenario {
  const cal = calendar(raw.calendar);
  const warnings: string[] = [];

  const intents = raw.intents;
  intents.forEach((name, i) => {
    if (intents.indexOf(name) !== i) fail(['intents', i], `'${name}' is listed twice`);
  });
  const channelNames = Object.keys(raw.channels);
  if (channelNames.length === 0) fail(['channels'], 'needs at least one channel');

  const channels: Channel[] = channelNames.map((name) => {
    const c = raw.channels[name];
    const p = ['channels', name];
    const deferred = c.deferred ?? false;
    if (deferred) {
      for (const k of ['patience', 'retrial', 'vipShare'] as const) {
        if (c[k] !== undefined) fail([...p, k], 'does not apply to a deferred channel: tickets wait in the backlog until worked', true);
      }
      return { name, deferred, patience: new Distribution({ kind: 'never' }), retrial: null, vipShare: 0 };
    }
    if (c.patience === undefined) fail([...p, 'patience'], "is required for a live channel (or set deferred: true for e-mail and tickets); use 'none' if nobody hangs up", true);
    const patience = c.patience === 'none' ? new Distribution({ kind: 'never' }) : distribution(c.patience!, [...p, 'patience']);
    const retrial = c.retrial
      ? { probability: c.retrial.probability, delay: distribution(c.retrial.delay, [...p, 'retrial', 'delay']), maxRetrials: c.retrial.maxRetrials ?? 3 }
      : null;
    return { name, deferred, patience, retrial, vipShare: c.vipShare ?? 0 };
  });

  const seenStreams = new Set<string>();
  const demand: DemandStream[] = (raw.demand ?? []).map((d, i) => {
    const p: PathSeg[] = ['demand', i];
    const channel = indexOfName(channelNames, d.channel, 'channel', [...p, 'channel']);
    const intent = indexOfName(intents, d.intent, 'intent', [...p, 'intent']);
    const key = `${d.channel}/${d.intent}`;
    if (seenStreams.has(key)) fail(p, `a second demand entry for ${key}; give each channel and intent one curve`);
    seenStreams.add(key);
    return { channel, intent, curve: curve(d.curve, cal, [...p, 'curve'], files) };
  });

  let bot: Bot | null = null;
  if (raw.bot) {
    const b = raw.bot;
    const chans = channelNames.map(() => false);
    b.channels.forEach((c, i) => {
      const ci = indexOfName(channelNames, c, 'channel', ['bot', 'channels', i]);
      if (channels[ci].deferred) fail(['bot', 'channels', i], `'${c}' is a deferred channel; the bot answers live channels`);
      chans[ci] = true;
    });
    const resolve = intents.map(() => 0);
    for (const [intent, share] of Object.entries(b.resolve)) {
      if (intent === 'default') continue;
      resolve[indexOfName(intents, intent, 'intent', ['bot', 'resolve', intent])] = share;
    }
    if (b.resolve.default !== undefined) intents.forEach((it, i) => { if (b.resolve[it] === undefined) resolve[i] = b.resolve.default; });
    bot = { channels: chans, resolve, time: distribution(b.time, ['bot', 'time']), escalatedPatienceFactor: b.escalatedPatience ?? 1 };
  }


  const days = Math.ceil((secondsOfLocalDay(cal.startMs, cal.offsetMinutes, 0) + cal.horizonSec) / 86400 - 1e-9);
  const busyness = raw.forecast ? factorDistribution(raw.forecast.busyness, ['forecast', 'busyness']) : null;
  const channelIntent = (x: { channel: string; intent: string }, path: PathSeg[], deferred?: boolean): { channel: number; intent: number } => {
    const channel = indexOfName(channelNames, x.channel, 'channel', [...path, 'channel']);
    if (deferred === true && !channels[channel].deferred) fail([...path, 'channel'], `'${x.channel}' must be a deferred channel (tickets); add deferred: true to channels.${x.channel}`);
    if (deferred === false && channels[channel].deferred) fail([...path, 'channel'], `'${x.channel}' is a deferred channel; this contact is live (chat or phone)`);
    return { channel, intent: indexOfName(intents, x.intent, 'intent', [...path, 'intent']) };
  };

  let orders: Orders | null = null;
  if (raw.orders) {
    const o = raw.orders;
    const catNames = Object.keys(o.categories);
    if (catNames.length === 0) fail(['orders', 'categories'], 'needs at least one category, e.g. { apparel: { share: 1, returnRate: 0.2 } }');
    const totalShare = catNames.reduce((a, c) => a + o.categories[c].share, 0);
    const categories: OrderCategory[] = catNames.map((name) => ({ name, share: o.categories[name].share / totalShare, returnRate: o.categories[name].returnRate ?? 0 }));
    const lookaheadSec = o.lookahead !== undefined ? dur(o.lookahead, ['orders', 'lookahead']) : 3 * 86400;
    const causes: OrderCause[] = (o.causes ?? []).map((c, i) => {
      const p: PathSeg[] = ['orders', 'causes', i];
      const ci = channelIntent(c, p);
      if (c.lag !== undefined && c.lead !== undefined) fail(p, 'give lag (after the order) or lead (before it), not both');
      const lag = c.lag !== undefined ? distribution(c.lag, [...p, 'lag']) : null;
      const lead = c.lead !== undefined ? distribution(c.lead, [...p, 'lead']) : null;
      if (lead !== null && lead.quantile(0.999) > lookaheadSec) {
        fail([...p, 'lead'], `its 99.9th percentile (${formatDuration(lead.quantile(0.999))}) is beyond orders.lookahead (${formatDuration(lookaheadSec)}); raise the lookahead`);
      }
      let cats: boolean[] | null = null;
      if (c.categories) {
        cats = catNames.map(() => false);
        c.categories.forEach((name, j) => { cats![indexOfName(catNames, name, 'category', [...p, 'categories', j])] = true; });
      }
      return { ...ci, perOrder: c.perOrder, lag, lead, categories: cats };
    });
    orders = { curve: curve(o.curve, cal, ['orders', 'curve'], files), categories, lookaheadSec, causes };
  }

  let logistics: Logistics | null = null;
  if (raw.logistics) {
    const l = raw.logistics;
    if (!orders) fail(['logistics'], 'needs an orders section: parcels come from orders');
    const per = l.dispatch.perDay;
    let dispatchPerDay: Float64Array;
    if (typeof per === 'number') dispatchPerDay = new Float64Array(days).fill(per);
    else {
      if (per.length !== days) fail(['logistics', 'dispatch', 'perDay'], `has ${per.length} values but the horizon touches ${days} local days`);
      dispatchPerDay = Float64Array.from(per);
    }
    let cutoffSec = 16 * 3600;
    if (l.dispatch.cutoff !== undefined) {
      try {
        cutoffSec = parseClock(l.dispatch.cutoff);
      } catch (e) {
        fail(['logistics', 'dispatch', 'cutoff'], (e as Error).message);
      }
    }
    logistics = {
      dispatchPerDay,
      cutoffSec,
      shipWithinSec: l.shipWithin !== undefined ? dur(l.shipWithin, ['logistics', 'shipWithin']) : 48 * 3600,
      transit: distribution(l.transit, ['logistics', 'transit']),
      congestion: l.congestion ?? null,
      promiseSec: dur(l.promise, ['logistics', 'promise']),
      wismo: l.wismo ? { ...channelIntent(l.wismo, ['logistics', 'wismo'], false), probability: l.wismo.probability, after: distribution(l.wismo.after, ['logistics', 'wismo', 'after']) } : null,
    };
  }

  let returns: Returns | null = null;
  if (raw.returns) {
    const r = raw.returns;
    if (!logistics) fail(['returns'], 'needs a logistics section: returns start after delivery');
    returns = {
      lag: distribution(r.lag, ['returns', 'lag']),
      ticket: channelIntent(r.ticket, ['returns', 'ticket'], true),
      chat: r.chat ? { ...channelIntent(r.chat, ['returns', 'chat'], false), probability: r.chat.probability } : null,
      refund: r.refund ? { time: distribution(r.refund.time, ['returns', 'refund', 'time']), promiseSec: dur(r.refund.promise, ['returns', 'refund', 'promise']) } : null,
    };
  } else if (orders && orders.categories.some((c) => c.returnRate > 0)) {
    warnings.push('orders.categories give return rates but there is no returns section: no returns are simulated');
  }

  let complaints: Complaints | null = null;
  if (raw.complaints) {
    const c = raw.complaints;
    if (c.late && !logistics) fail(['complaints', 'late'], 'needs a logistics section (lateness comes from deliveries)', true);
    if (c.refundDelay && !returns?.refund) fail(['complaints', 'refundDelay'], 'needs returns.refund (its promise defines a late refund)', true);
    const w = c.wait;
    complaints = {
      ticket: channelIntent(c.ticket, ['complaints', 'ticket'], true),
      wait: w ? { midpointSec: dur(w.midpoint, ['complaints', 'wait', 'midpoint']), scaleSec: dur(w.scale, ['complaints', 'wait', 'scale']), max: w.max } : null,
      abandoned: c.abandoned ?? 0,
      late: c.late ?? null,
      refundDelay: c.refundDelay ?? null,
    };
    if (complaints.wait && !(complaints.wait.scaleSec > 0)) fail(['complaints', 'wait', 'scale'], 'must be longer than 0');
  }

  const routingRaw = raw.routing ?? {};
  const priority = new Int32Array(channelNames.length * intents.length).fill(routingRaw.priority?.default ?? 5);
  for (const [key, pri] of Object.entries(routingRaw.priority ?? {})) {
    if (key === 'default') continue;
    const rp = ['routing', 'priority', key];
    const [a, b] = key.split('/');
    if (b === undefined) {
      const it = indexOfName(intents, a, 'intent', rp);
      for (let c = 0; c < channelNames.length; c++) priority[c * intents.length + it] = pri;
    }
  }
  // channel/intent keys override intent keys whatever their order in the file
  for (const [key, pri] of Object.entries(routingRaw.priority ?? {})) {
    const [a, b] = key.split('/');
    if (b === undefined) continue;
    const rp = ['routing', 'priority', key];
    const c = indexOfName(channelNames, a, 'channel', rp);
    const it = indexOfName(intents, b, 'intent', rp);
    priority[c * intents.length + it] = pri;
  }

  const poolNames = raw.pools.map((p) => p.name);
  const pools: Pool[] = raw.pools.map((rp, i) => {
    const p: PathSeg[] = ['pools', i];
    if (poolNames.indexOf(rp.name) !== i) fail([...p, 'name'], `'${rp.name}' is already the name of pools[${poolNames.indexOf(rp.name)}]`);
    const channel = indexOfName(channelNames, rp.channel, 'channel', [...p, 'channel']);
    const skills: Skill[] = rp.skills.map((s, j) => {
      const sp = [...p, 'skills', j];
      if (typeof s === 'string') return { intent: indexOfName(intents, s, 'intent', sp), afterSec: 0 };
      return { intent: indexOfName(intents, s.intent, 'intent', [...sp, 'intent']), afterSec: s.after ? dur(s.after, [...sp, 'after']) : 0 };
    });
    skills.forEach((s, j) => {
      if (skills.findIndex((o) => o.intent === s.intent) !== j) fail([...p, 'skills', j], `'${intents[s.intent]}' is listed twice`);
    });
    const concurrency = rp.concurrency ?? 1;
    let speed: number[];
    if (rp.speed) {
      if (rp.speed.length !== concurrency) fail([...p, 'speed'], `needs one value per chat held (concurrency ${concurrency}), got ${rp.speed.length}`);
      if (Math.abs(rp.speed[0] - 1) > 1e-12) fail([...p, 'speed', 0], `the throughput of one chat is the unit and must be 1, got ${rp.speed[0]}`);
      for (let k = 1; k < rp.speed.length; k++) {
        if (rp.speed[k] < rp.speed[k - 1]) fail([...p, 'speed', k], `must not fall as chats are added (${rp.speed[k - 1]} → ${rp.speed[k]}); an agent can always work the chats one at a time`);
        if (rp.speed[k] > k + 1 + 1e-12) fail([...p, 'speed', k], `${k + 1} chats cannot give more than ${k + 1} chats' worth of throughput, got ${rp.speed[k]}`);
      }
      speed = rp.speed.slice();
    } else {
      speed = Array.from({ length: concurrency }, (_, k) => k + 1);
    }
    let tickets: Pool['tickets'] = null;
    if (rp.tickets) {
      const tp: PathSeg[] = [...p, 'tickets'];
      const tch = indexOfName(channelNames, rp.tickets.channel, 'channel', [...tp, 'channel']);
      if (!channels[tch].deferred) fail([...tp, 'channel'], `'${rp.tickets.channel}' must be a deferred channel (tickets) for blending`);
      if (tch === channel) fail([...tp, 'channel'], 'is the pool\'s own channel; blending adds a second, deferred one');
      if (channels[channel].deferred) fail(tp, 'a pool on a deferred channel works tickets already; blending is for live pools', true);
      const tskills: Skill[] = rp.tickets.skills.map((sk, j) => {
        const sp = [...tp, 'skills', j];
        if (typeof sk === 'string') return { intent: indexOfName(intents, sk, 'intent', sp), afterSec: 0 };
        return { intent: indexOfName(intents, sk.intent, 'intent', [...sp, 'intent']), afterSec: sk.after ? dur(sk.after, [...sp, 'after']) : 0 };
      });
      tickets = { channel: tch, skills: tskills };
    }
    const handleTime: (Distribution | null)[] = intents.map(() => null);
    for (const key of Object.keys(rp.handleTime)) {
      if (key !== 'default') indexOfName(intents, key, 'intent', [...p, 'handleTime', key]);
    }
    for (const s of [...skills, ...(tickets?.skills ?? [])]) {
      const name = intents[s.intent];
      const spec = rp.handleTime[name] ?? rp.handleTime.default;
      const hp = [...p, 'handleTime', rp.handleTime[name] ? name : 'default'];
      if (!spec) fail([...p, 'handleTime'], `has no entry for skill '${name}' and no default`);
      const d = distribution(spec!, hp);
      if (!(d.mean > 0)) fail(hp, 'must have a mean above 0 (a contact takes some time)');
      handleTime[s.intent] = d;
    }
    return {
      name: rp.name,
      kind: (rp.kind ?? 'permanent') as PoolKind,
      channel,
      skills,
      concurrency,
      speed,
      efficiency: rp.efficiency ?? 1,
      costPerHour: rp.costPerHour ?? 0,
      shrinkage: rp.shrinkage ?? 0,
      handleTime,
      staffing: staffing(rp.staffing, cal, [...p, 'staffing'], rp.name, poolNames, files),
      tickets,
      planning: poolPlanning(rp.planning, cal, [...p, 'planning']),
    };
  });

  // Semantic rules that span sections.
  const served = new Set<string>();
  for (const pool of pools) {
    for (const s of pool.skills) served.add(`${pool.channel}/${s.intent}`);
    for (const s of pool.tickets?.skills ?? []) served.add(`${pool.tickets!.channel}/${s.intent}`);
    const generated = [
      ...demand, ...(orders?.causes ?? []), ...(logistics?.wismo ? [logistics.wismo] : []), ...(returns ? [returns.ticket] : []),
      ...(returns?.chat ? [returns.chat] : []), ...(complaints ? [complaints.ticket] : []),
    ];
    const matches = generated.some((d) => (d.channel === pool.channel && pool.skills.some((s) => s.intent === d.intent)) ||
      (d.channel === pool.tickets?.channel && pool.tickets.skills.some((s) => s.intent === d.intent)));
    if (!matches) warnings.push(`pool '${pool.name}' serves no demand: no demand entry has channel ${channelNames[pool.channel]} and one of its skills`);
  }
  const mustServe = (x: { channel: number; intent: number }, path: PathSeg[]) => {
    const allBot = bot !== null && bot.channels[x.channel] && bot.resolve[x.intent] >= 1;
    if (!allBot && !served.has(`${x.channel}/${x.intent}`)) {
      fail(path, `no pool serves ${channelNames[x.channel]}/${intents[x.intent]}: add the intent to the skills of a ${channelNames[x.channel]} pool`);
    }
  };
  demand.forEach((d, i) => mustServe(d, ['demand', i]));
  orders?.causes.forEach((c, i) => mustServe(c, ['orders', 'causes', i]));
  if (logistics?.wismo) mustServe(logistics.wismo, ['logistics', 'wismo']);
  if (returns) mustServe(returns.ticket, ['returns', 'ticket']);
  if (returns?.chat) mustServe(returns.chat, ['returns', 'chat']);
  if (complaints) mustServe(complaints.ticket, ['complaints', 'ticket']);

  const ALL_METRICS: TargetMetric[] = ['serviceLevel', 'averageWait', 'abandonment', 'occupancy', 'firstReply', 'resolved', 'complaintsPer1000Orders'];
  const targets: Target[] = (raw.targets ?? []).map((t, i) => {
    const p: PathSeg[] = ['targets', i];
    const metrics = ALL_METRICS.filter((m) => t[m] !== undefined);
    if (metrics.length !== 1) fail(p, `needs exactly one of ${ALL_METRICS.join(', ')}; got ${metrics.length === 0 ? 'none' : metrics.join(' and ')}`);
    const metric = metrics[0];
    let channel = -1;
    if (metric === 'complaintsPer1000Orders') {
      if (t.channel !== undefined) fail([...p, 'channel'], 'does not apply to complaintsPer1000Orders (it counts complaints from every source)', true);
      if (!orders) fail([...p, metric], 'needs an orders section');
      if (!complaints) fail([...p, metric], 'needs a complaints section');
    } else {
      if (t.channel === undefined) fail([...p, 'channel'], `is required for ${metric}`, true);
      channel = indexOfName(channelNames, t.channel!, 'channel', [...p, 'channel']);
    }
    let intent = -1;
    if (t.intent !== undefined) {
      if (metric !== 'firstReply' && metric !== 'resolved') fail([...p, 'intent'], 'applies to firstReply and resolved targets', true);
      intent = indexOfName(intents, t.intent, 'intent', [...p, 'intent']);
    }
    let withinSec = 0, bound: number, sense: 'atLeast' | 'atMost' = 'atMost';
    if (metric === 'serviceLevel' || metric === 'firstReply' || metric === 'resolved') {
      const m = t[metric]!;
      withinSec = dur(m.within, [...p, metric, 'within']);
      bound = m.atLeast;
      sense = 'atLeast';
    } else if (metric === 'averageWait') {
      bound = dur(t.averageWait!.atMost, [...p, 'averageWait', 'atMost']);
    } else {
      bound = (t[metric] as { atMost: number }).atMost;
    }
    const deadline = metric === 'firstReply' || metric === 'resolved' || metric === 'complaintsPer1000Orders';
    const scope = t.scope ?? (deadline ? 'horizon' : 'interval');
    if (scope === 'interval' && deadline) fail([...p, 'scope'], `${metric} is counted per day or over the horizon, not per interval`);
    const within = (t as Record<string, { within?: string } | undefined>)[metric]?.within;
    const id = `${t.channel ?? 'all'}${t.intent ? '/' + t.intent : ''} ${metric}` + (within ? ` ${Math.round(bound * 100)}%<${within}` : '') + ` (${scope})`;
    const slOf = metric === 'serviceLevel' ? (t.serviceLevel!.of ?? 'offered') : 'offered';
    const basis = slOf === 'offered' ? '' : ` of ${slOf}`;
    return { id: id.replace(` (${scope})`, `${basis} (${scope})`), channel, intent, metric, withinSec, bound, sense, scope, minOffered: t.minOffered ?? 1, path: `targets[${i}]`, slOf };
  });

  const seed = opts.seed ?? raw.seed ?? 1;
  const scenario: Scenario = {
    name: raw.name,
    file: opts.file,
    seed,
    replications: opts.replications ?? raw.replications ?? 10,
    calendar: cal,
    intents,
    channels,
    demand,
    busyness,
    orders,
    logistics,
    returns,
    complaints,
    days,
    bot,
    routing: { priority, vipPriority: routingRaw.vipPriority ?? 0, handover: routingRaw.handover ?? 'finish-in-hand' },
    pools,
    targets,
    warnings,
  };
  // absurd sizes are refused here, before anything is simulated (limits.ts)
  const tooBig = checkSizes(raw, scenario, opts.replications !== undefined);
  if (tooBig !== null) fail(tooBig.path, tooBig.detail);
  warnings.push(...staffingWarnings(scenario));
  return scenario;
}

/** Replace the staffing of the pools a plan names. */
export function withPlan(s: Scenario, plan: Map<string, Int32Array>): Scenario {
  return { ...s, pools: s.pools.map((p) => (plan.has(p.name) ? { ...p, staffing: plan.get(p.name)! } : p)) };
}
