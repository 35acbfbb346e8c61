// What every section of normalisation shares: the error with its dot-path, the file access the
// loader injects, durations and distributions parsed with their path, names looked up with a
// suggestion for typos. A leaf: it imports no section.

import { Distribution, type DistSpec } from '../../engine/distributions.js';
import type { CsvSource } from '../csv.js';
import type { RawDistribution, RawFactorDistribution } from '../schema.js';
import { parseDuration } from '../time.js';

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

export const fail = (path: readonly PathSeg[], msg: string, atKey = false): never => {
  throw new PathError(path, msg, atKey);
};

export function dur(text: string, path: readonly PathSeg[]): number {
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

export function indexOfName(names: readonly string[], name: string, what: string, path: readonly PathSeg[]): number {
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

