// Loading a scenario file: read → YAML/JSON parse (bounded alias expansion) → schema check →
// normalise. Every error becomes an InputError naming the file, line:column and dot-path.

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError, type Place } from '../errors.js';
import { normalise, PathError, suggest, type NormaliseOptions, type PathSeg } from './normalise.js';
import type { CsvSource } from './csv.js';
import { badByteMessage, countByte, invalidUtf8At } from './utf8.js';
export { invalidUtf8At } from './utf8.js';
import { DURATION_RE, ScenarioSchema, type RawScenario } from './schema.js';
import { applyOverrides, parseOverride } from './overrides.js';
import type { Scenario } from './types.js';

export interface LoadOptions {
  seed?: number;
  replications?: number;
  /** Let the scenario name files outside its own folder. */
  allowOutside?: boolean;
  /** `key=value` overrides (`--set`), applied before validation. */
  overrides?: readonly string[];
}

export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) s += (s ? '.' : '') + seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** Reads a file the user named, turning every failure into a located InputError. */
export function readUserFile(path: string, shownAs = path, maxBytes = MAX_SCENARIO_BYTES): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InputError('no such file', { file: shownAs });
  }
  if (st.isDirectory()) throw new InputError('is a directory, not a file', { file: shownAs });
  if (st.size > maxBytes) throw new InputError(`is ${st.size} bytes; files over ${maxBytes} bytes are refused`, { file: shownAs });
  const buf = readCapped(path, shownAs, maxBytes);
  const bad = invalidUtf8At(buf);
  if (bad >= 0) {
    // the place of the first bad byte: line, and column in characters of that line
    const lineStart = buf.lastIndexOf(0x0a, bad - 1) + 1;
    const line = countByte(buf, 0x0a, bad) + 1;
    const column = buf.subarray(lineStart, bad).toString('utf8').length + 1;
    throw new InputError(badByteMessage({ byte: buf[bad], line, column }), { file: shownAs, line, column });
  }
  // a BOM (Windows editors, Excel) is accepted and dropped
  return buf.toString('utf8', buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
}

/**
 * The whole file, at most maxBytes: read in a loop rather than trusting the size from stat, so
 * that pipes, /dev/stdin or a device that never ends (/dev/zero) are bounded too.
 */
function readCapped(path: string, shownAs: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: shownAs });
  }
  try {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 16);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: shownAs });
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new InputError(`is over ${maxBytes} bytes; larger files are refused`, { file: shownAs });
      parts.push(chunk.subarray(0, n));
    }
    return Buffer.concat(parts, total);
  } finally {
    closeSync(fd);
  }
}

/** Bytes per read when streaming a CSV: large enough for few system calls, small next to any heap. */
const CHUNK_BYTES = 1 << 20;

/**
 * Opens a file the user named for streaming (CSVs of any size: nothing holds the whole file).
 * Whether it exists is checked now, so that the error points at where it was named.
 */
export function openUserFile(path: string, shownAs = path): CsvSource {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InputError('no such file', { file: shownAs });
  }
  if (st.isDirectory()) throw new InputError('is a directory, not a file', { file: shownAs });
  return {
    file: shownAs,
    rereadable: st.isFile(),
    *chunks() {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch (e) {
        throw new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: shownAs });
      }
      try {
        for (;;) {
          // a fresh buffer per chunk: the CSV parser keeps a view of an unfinished row's bytes
          const buf = Buffer.allocUnsafe(CHUNK_BYTES);
          let n: number;
          try {
            n = readSync(fd, buf, 0, CHUNK_BYTES, null);
          } catch (e) {
            throw new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: shownAs });
          }
          if (n === 0) return;
          yield n === CHUNK_BYTES ? buf : buf.subarray(0, n);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

class Located {
  constructor(readonly doc: Document | null, readonly lc: LineCounter, readonly file: string) {}

  place(path: readonly PathSeg[], atKey = false): Place {
    const p: Place = { file: this.file, path: formatPath(path) };
    if (!this.doc) return p;
    // Walk as deep as the path exists; point at the key when asked (unknown keys).
    let node: unknown = this.doc.contents;
    let keyNode: Node | null = null;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        keyNode = null;
        node = node.items[seg];
      } else break;
    }
    const target = (atKey && keyNode) || (node as Node | null) || keyNode;
    const range = target && (target as Node).range;
    if (range) {
      const lp = this.lc.linePos(range[0]);
      return { ...p, line: lp.line, column: lp.col };
    }
    return p;
  }
}

/** Parses YAML (or JSON, a subset) text; bounded alias expansion guards against billion laughs. */
export function parseScenarioText(text: string, file: string): { data: unknown; where: Located } {
  const lc = new LineCounter();
  if (text.trim() === '') throw new InputError('the file is empty; a scenario needs at least name, calendar, intents, channels, demand and pools', { file });
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const lp = lc.linePos(e.pos[0]);
    let msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (/multiple documents/.test(msg)) msg = "a scenario is one YAML document, and a second one starts here ('---')";
    // full-width punctuation from a Chinese keyboard: say which character to change
    const lineText = text.split(/\r?\n/)[lp.line - 1] ?? '';
    const wide = /[\uff1a\uff0c\uff3b\uff3d\uff5b\uff5d\u3000]/.exec(lineText);
    if (wide !== null) {
      const ascii: Record<string, string> = { '\uff1a': ':', '\uff0c': ',', '\uff3b': '[', '\uff3d': ']', '\uff5b': '{', '\uff5d': '}', '\u3000': 'a space' };
      throw new InputError(`full-width ${wide[0] === '\u3000' ? 'space' : `'${wide[0]}'`} in this line — use ${ascii[wide[0]] === 'a space' ? 'an ASCII space' : `'${ascii[wide[0]]}'`} (YAML reads only ASCII punctuation)`, { file, line: lp.line, column: wide.index + 1 });
    }
    throw new InputError(`not valid YAML: ${msg}`, { file, line: lp.line, column: lp.col });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new InputError(`not usable YAML: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  return { data, where: new Located(doc, lc, file) };
}

/** The schema at a path of the data (through optional, default, arrays, records, unions). */
function schemaAt(schema: z.ZodType, path: readonly PathSeg[]): any {
  let s: any = schema;
  const unwrap = () => {
    for (;;) {
      const t = s?._zod?.def?.type;
      if (t === 'optional' || t === 'default' || t === 'nullable' || t === 'readonly') s = s._zod.def.innerType;
      else if (t === 'pipe') s = s._zod.def.in;
      else return;
    }
  };
  unwrap();
  for (const seg of path) {
    const def = s?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') s = def.shape[seg as string];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'tuple') s = def.items[seg as number];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'union') {
      const opt = def.options.find((o: any) => { const d = o?._zod?.def; return d?.type === 'object' && seg in d.shape; })
        ?? def.options.find((o: any) => (typeof seg === 'number' ? ['array', 'tuple'] : ['record']).includes(o?._zod?.def?.type));
      if (!opt) return undefined;
      s = opt;
      const d = s._zod.def;
      s = d.type === 'object' ? d.shape[seg as string] : d.type === 'array' ? d.element : d.type === 'tuple' ? d.items[seg as number] : d.valueType;
    } else return undefined;
    unwrap();
  }
  return s;
}

/** Allowed keys at a schema path (for "did you mean"). */
function keysAt(schema: z.ZodType, path: readonly PathSeg[]): string[] {
  const keysOf = (x: any): string[] => {
    const def = x?._zod?.def;
    if (def?.type === 'object') return Object.keys(def.shape);
    if (def?.type === 'union') return def.options.flatMap(keysOf);
    return [];
  };
  return keysOf(schemaAt(schema, path));
}

/** Does the number at this path have to be whole? */
function isIntegerAt(path: readonly PathSeg[]): boolean {
  const s = schemaAt(ScenarioSchema, path);
  const defs = [s, ...(s?._zod?.def?.type === 'union' ? s._zod.def.options : [])];
  return defs.some((x: any) => x?._zod?.def?.checks?.some((c: any) => c?._zod?.def?.format === 'safeint'));
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

interface Issue {
  code: string;
  path: PathSeg[];
  message: string;
  input?: unknown;
  [k: string]: unknown;
}

/** The most specific issue: unions report the branch whose type matched. */
function pickIssue(issue: Issue): Issue {
  if (issue.code === 'invalid_union' && Array.isArray(issue.errors)) {
    let branches = (issue.errors as Issue[][]).filter((b) => b.length > 0 && !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
    // a branch that got inside the value (its issue is deeper) matched its shape: `{ exponential: 120 }`
    // is a distribution with a bad mean, not a bad 'none'
    if (branches.length > 1) {
      const deeper = branches.filter((b) => b.some((i) => i.path.length > 0));
      if (deeper.length === 1) branches = deeper;
    }
    if (branches.length === 1) {
      const inner = pickIssue(branches[0][0]);
      return { ...inner, path: [...issue.path, ...inner.path] };
    }
  }
  return issue;
}

/** Does the value at this path have to be a duration ('3m')? */
function isDurationAt(path: readonly PathSeg[]): boolean {
  const s = schemaAt(ScenarioSchema, path);
  return s?._zod?.def?.type === 'string' && (s._zod.def.checks ?? []).some((c: any) => c?._zod?.def?.pattern?.source === DURATION_RE.source);
}

const UNIT_HINT = "add a unit, e.g. '2m' or '120s' (ms s m h d): a bare number has none";
const FULL_WIDTH_COLON = '\uff1a';

function issueText(issue: Issue, data: unknown): { path: PathSeg[]; text: string; atKey: boolean } {
  const got = `, got ${describeValue(issue.input)}`;
  // the common slips first, each with its fix
  if (isDurationAt(issue.path) && (typeof issue.input === 'number' || (typeof issue.input === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(issue.input)))) {
    return { path: issue.path, text: `must be a duration: ${UNIT_HINT}${got}`, atKey: false };
  }
  if (issue.code === 'too_big' && issue.maximum === 1 && typeof issue.input === 'number' && issue.input >= 2 && issue.input <= 100) {
    return { path: issue.path, text: `must be a share between 0 and 1: write ${issue.input / 100} for ${issue.input}%${got}`, atKey: false };
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = (issue.keys as string[])[0];
      if (key.includes(FULL_WIDTH_COLON)) {
        const [k, v] = key.split(FULL_WIDTH_COLON);
        return { path: [...issue.path, key], text: `a full-width colon ${FULL_WIDTH_COLON} — use ':' and a space: ${k.trim()}: ${v.trim()}`, atKey: true };
      }
      const allowed = keysAt(ScenarioSchema, issue.path);
      const hint = suggest(key, allowed);
      return {
        path: [...issue.path, key],
        text: `unknown key${hint ? `; did you mean '${hint}'?` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
        atKey: true,
      };
    }
    case 'invalid_type': {
      if (issue.input === undefined) return { path: issue.path, text: 'is required but missing', atKey: true };
      const expected = String(issue.expected);
      const word = expected === 'int' ? 'a whole number' : expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list'
        : expected === 'number' && typeof issue.input === 'number' ? 'a finite number' : `a ${expected}`;
      return { path: issue.path, text: `must be ${word}${got}`, atKey: false };
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') {
        const n = Array.isArray(issue.input) ? `, got ${issue.input.length}` : '';
        return { path: issue.path, text: `must have ${issue.exact ? 'exactly' : small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}${n}`, atKey: false };
      }
      if (issue.origin === 'string') return { path: issue.path, text: small ? 'must not be empty' : `must be at most ${bound} characters`, atKey: false };
      const isInt = isIntegerAt(issue.path);
      const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
      return { path: issue.path, text: `must be ${isInt ? 'an integer' : 'a number'} ${op} ${bound}${got}`, atKey: false };
    }
    case 'invalid_value':
      return { path: issue.path, text: `must be one of ${(issue.values as unknown[]).map((v) => `'${String(v)}'`).join(', ')}${got}`, atKey: false };
    case 'invalid_format':
    case 'custom':
    case 'invalid_union':
    default: {
      const msg = issue.message.startsWith('must') ? issue.message : `is not valid: ${issue.message}`;
      return { path: issue.path, text: `${msg}${issue.input !== undefined && !/got /.test(msg) ? got : ''}`, atKey: false };
    }
  }
}

export function validateRaw(data: unknown, where: Located): RawScenario {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`a scenario must be a mapping of keys (name, calendar, …), got ${describeValue(data)}`, { file: where.file, line: 1 });
  }
  const r = ScenarioSchema.safeParse(data, { reportInput: true });
  if (r.success) return r.data;
  // Report the issue that comes first in the file, so fixes go top to bottom.
  const issues = (r.error.issues as unknown as Issue[]).map(pickIssue).map((i) => issueText(i, data));
  const placed = issues.map((i) => ({ i, place: where.place(i.path, i.atKey), missing: i.text === 'is required but missing' }));
  // A missing key is often a misspelt one: report the unknown key (with its suggestion) first.
  placed.sort((a, b) => Number(a.missing) - Number(b.missing) || (a.place.line ?? 1e9) - (b.place.line ?? 1e9) || (a.place.column ?? 0) - (b.place.column ?? 0));
  const first = placed[0];
  throw new InputError(first.i.text, first.place);
}

export function loadScenarioText(text: string, file: string, baseDir: string, opts: LoadOptions = {}): Scenario {
  const { data, where } = parseScenarioText(text, file);
  const overrides = (opts.overrides ?? []).map((o) => parseOverride(o));
  const setPaths = applyOverrides(data, overrides).map(formatPath);
  try {
    return loadParsed(data, where, file, baseDir, opts);
  } catch (e) {
    // An error inside an overridden value belongs to the override, not to the file's line.
    if (e instanceof InputError && e.place.path !== undefined && e.place.file === file) {
      const at = e.place.path;
      let k = -1;
      setPaths.forEach((p, i) => { if (p !== '' && (at === p || at.startsWith(p + '.') || at.startsWith(p + '[') || p.startsWith(at + '.') || p.startsWith(at + '['))) k = i; });
      if (k >= 0) throw new InputError(e.detail, { file: `--set ${overrides[k].text}`, path: e.place.path });
    }
    throw e;
  }
}

function loadParsed(data: unknown, where: Located, file: string, baseDir: string, opts: LoadOptions): Scenario {
  const raw = validateRaw(data, where);
  const files = {
    openFile(rel: string, at: readonly PathSeg[]): CsvSource {
      const abs = isAbsolute(rel) ? rel : resolve(baseDir, rel);
      const rp = relative(baseDir, abs);
      if (!opts.allowOutside && (rp.startsWith('..') || isAbsolute(rp))) {
        throw new PathError(at, `'${rel}' lies outside the scenario's folder; pass --allow-outside to permit it`);
      }
      const shown = relative(process.cwd(), abs) || abs;
      try {
        return openUserFile(abs, shown);
      } catch (e) {
        if (e instanceof InputError && e.detail === 'no such file') throw new PathError(at, `file '${rel}' not found (looked at ${shown})`);
        throw e;
      }
    },
  };
  const nopts: NormaliseOptions = { file, seed: opts.seed, replications: opts.replications };
  try {
    return normalise(raw, files, nopts);
  } catch (e) {
    if (e instanceof PathError) throw new InputError(e.detail, where.place(e.path, e.atKey));
    throw e;
  }
}

export function loadScenario(path: string, opts: LoadOptions = {}): Scenario {
  const text = readUserFile(path);
  return loadScenarioText(text, path, dirname(resolve(path)), opts);
}
