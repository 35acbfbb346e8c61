// Runs beyond one machine. `--shard k/n` runs the k-th of n deterministic slices (a contiguous
// block of replications, or every n-th sweep point) and writes a partial result: the raw
// per-replication data, exactly, plus a fingerprint of the normalised scenario. `peakplan merge`
// checks that the parts belong together and cover every slice once, then summarises them with
// the very code a single machine runs — so the merged output is byte-identical to it.

import { createHash } from 'node:crypto';
import { InputError, UsageError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';

export interface Shard {
  /** 1-based, as the user writes it: --shard 3/8. */
  readonly k: number;
  readonly n: number;
}

export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1 && n <= 100000 && k >= 1 && k <= n)) throw new UsageError(`must be k/n with 1 ≤ k ≤ n, e.g. 3/8, got '${text}'`, { path: option });
  return { k, n };
}

/** The replications [first, first + count) of shard k of n: contiguous blocks, sizes differing by at most one. */
export function replicationsOfShard(total: number, shard: Shard): { first: number; count: number } {
  const first = Math.floor(((shard.k - 1) * total) / shard.n);
  const end = Math.floor((shard.k * total) / shard.n);
  return { first, count: end - first };
}

/** Sweep points of shard k of n: every n-th point, so slow and fast regions spread evenly. */
export function pointsOfShard(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.k - 1; i < total; i += shard.n) out.push(i);
  return out;
}

// ---- exact encoding of replication data (typed arrays, NaN and infinities survive) ----------

type Encoded = null | boolean | number | string | Encoded[] | { [k: string]: Encoded };

const TYPED: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array,
};

export function encodeExact(v: unknown): Encoded {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return Object.is(v, -0) ? { $n: '-0' } : v;
    return { $n: String(v) }; // NaN, Infinity, -Infinity
  }
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v === undefined) return { $u: 1 };
  if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name;
    if (!(name in TYPED)) throw new Error(`cannot encode ${name}`);
    // little-endian bytes, as every platform Node runs on stores them
    return { $t: name, b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  }
  if (Array.isArray(v)) return v.map(encodeExact);
  if (typeof v === 'object') {
    const o: { [k: string]: Encoded } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = encodeExact(x);
    return o;
  }
  throw new Error(`cannot encode a ${typeof v}`);
}

export function decodeExact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeExact);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$n === 'string') return Number(o.$n);
    if (o.$u === 1) return undefined;
    if (typeof o.$t === 'string' && typeof o.b === 'string') {
      const ctor = TYPED[o.$t];
      if (!ctor) throw new Error(`unknown array type ${o.$t}`);
      const bytes = Buffer.from(o.b, 'base64');
      const ab = new ArrayBuffer(bytes.length);
      new Uint8Array(ab).set(bytes);
      return new ctor(ab);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeExact(x);
    return out;
  }
  return v;
}

/**
 * What makes two runs the same run: the normalised scenario (after overrides and plans), minus
 * where its file lies and how many replications the whole run has. Distributions are compared
 * by their specs; typed arrays by value.
 */
export function fingerprint(s: Scenario, extra: Record<string, unknown> = {}): string {
  const { file: _file, replications: _reps, ...rest } = s;
  const text = JSON.stringify({ rest, extra }, (_k, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === 'object' && 'spec' in v && 'mean' in v && 'cv' in v) return (v as { spec: unknown }).spec;
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
  return createHash('sha256').update(text).digest('hex');
}

export interface PartialHeader {
  readonly tool: 'peakplan';
  readonly kind: 'partial';
  readonly command: 'simulate' | 'check' | 'sweep';
  readonly version: string;
  readonly fingerprint: string;
  readonly scenario: { readonly file: string; readonly name: string };
  readonly seed: number;
  readonly shard: Shard;
  /** Replications (simulate, check) or points (sweep) of the whole run. */
  readonly total: number;
  /** The command's options that shape the result (report grain, confidence, load options…). */
  readonly options: Record<string, unknown>;
}

export interface Partial extends PartialHeader {
  /** simulate/check: encoded RepResults; sweep: points. */
  readonly items: readonly unknown[];
}

export function renderPartial(p: Partial): string {
  return JSON.stringify({ ...p, items: p.items.map(encodeExact) }) + '\n';
}

export function readPartial(text: string, file: string): Partial {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not a peakplan partial result (not JSON: ${(e as Error).message})`, { file });
  }
  const p = raw as Partial;
  if (p === null || typeof p !== 'object' || p.tool !== 'peakplan' || p.kind !== 'partial' || !Array.isArray(p.items) || typeof p.fingerprint !== 'string' || !p.shard) {
    throw new InputError("not a peakplan partial result (write parts with --shard k/n)", { file });
  }
  return { ...p, items: p.items.map(decodeExact) };
}

/** Parts of one run: same command, fingerprint, options and slicing; every shard exactly once. */
export function checkParts(parts: readonly { file: string; part: Partial }[]): void {
  if (parts.length === 0) throw new UsageError('no parts given', { path: 'merge' });
  const [a] = parts;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const seen = new Map<number, string>();
  for (const { file, part } of parts) {
    if (part.command !== a.part.command) throw new InputError(`a part of '${part.command}', but ${a.file} is a part of '${a.part.command}'`, { file });
    if (part.fingerprint !== a.part.fingerprint) throw new InputError(`a part of a different scenario or plan than ${a.file} (fingerprints differ)`, { file });
    if (part.seed !== a.part.seed || part.total !== a.part.total || part.shard.n !== a.part.shard.n || !same(part.options, a.part.options)) {
      throw new InputError(`ran with other settings than ${a.file} (seed, replications, shard count or options differ)`, { file });
    }
    if (part.version !== a.part.version) throw new InputError(`written by peakplan ${part.version}, ${a.file} by ${a.part.version}`, { file });
    const dup = seen.get(part.shard.k);
    if (dup !== undefined) throw new InputError(`shard ${part.shard.k}/${part.shard.n} twice (also ${dup})`, { file });
    seen.set(part.shard.k, file);
  }
  const missing: number[] = [];
  for (let k = 1; k <= a.part.shard.n; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) {
    throw new UsageError(`${missing.length} of ${a.part.shard.n} shards missing: ${missing.slice(0, 10).map((k) => `${k}/${a.part.shard.n}`).join(', ')}${missing.length > 10 ? ', …' : ''}`, { path: 'merge' });
  }
}
