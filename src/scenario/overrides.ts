// `--set key=value` overrides: applied to the parsed scenario document before validation, so an
// override is checked exactly like the file's own value and the normalised scenario cannot tell
// the difference. Lists of named things (pools) can be addressed by name: pools.chat.staffing.

import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import type { PathSeg } from './normalise.js';

export interface Override {
  /** As the user typed it: key=value. */
  readonly text: string;
  readonly key: string;
  readonly value: unknown;
}

/** Parses `a.b[2].c=value`; the value is YAML (0.8, none, '{ exponential: 5m }', [1, 2]). */
export function parseOverride(text: string, option = '--set'): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`expected key=value (e.g. bot.resolve.presale=0.8), got '${text}'`, { path: option });
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  if (!/^[^.[\]\s]+(\[\d+\]|\.[^.[\]\s]+)*$/.test(key)) throw new InputError(`'${key}' is not a key path such as bot.resolve.presale or pools[0].staffing`, { path: option });
  let value: unknown;
  try {
    value = raw === '' ? null : parseYaml(raw, { strict: true, maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`${key}: the value '${raw}' is not valid YAML (${(e as Error).message.split('\n')[0]})`, { path: option });
  }
  return { text, key, value };
}

function segmentsOf(key: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of key.split('.')) {
    const m = /^([^[]+)((\[\d+\])*)$/.exec(part)!;
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/**
 * Applies the overrides in order to a parsed document (mutating it) and returns, per override,
 * the path it resolved to (list indices for names), so that errors about it can name the option.
 */
export function applyOverrides(data: unknown, overrides: readonly Override[], option = '--set'): PathSeg[][] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return overrides.map(() => []);
  return overrides.map((o) => {
    const segs = segmentsOf(o.key);
    const resolved: PathSeg[] = [];
    let node: any = data;
    for (let i = 0; i < segs.length; i++) {
      let seg = segs[i];
      const last = i === segs.length - 1;
      const where = () => resolved.length ? `${resolved.join('.')}` : 'the top level';
      if (Array.isArray(node)) {
        if (typeof seg === 'string' && /^\d+$/.test(seg)) seg = Number(seg);
        if (typeof seg === 'string') {
          const idx = node.findIndex((x) => x !== null && typeof x === 'object' && (x as { name?: unknown }).name === seg);
          if (idx < 0) {
            const names = node.map((x) => (x && typeof x === 'object' ? (x as { name?: unknown }).name : undefined)).filter((n) => typeof n === 'string');
            throw new InputError(`${o.key}: no item named '${seg}' in ${where()}${names.length ? ` (names: ${names.join(', ')})` : ''}`, { path: option });
          }
          seg = idx;
        }
        if (seg >= node.length) throw new InputError(`${o.key}: ${where()} has ${node.length} items; index ${seg} is past the end`, { path: option });
      } else if (node === null || typeof node !== 'object') {
        throw new InputError(`${o.key}: ${where()} is a single value, not a mapping or list`, { path: option });
      } else if (typeof seg === 'number') {
        throw new InputError(`${o.key}: ${where()} is a mapping, not a list`, { path: option });
      }
      resolved.push(seg);
      if (last) {
        node[seg] = o.value;
      } else {
        if (node[seg] === undefined || node[seg] === null) node[seg] = typeof segs[i + 1] === 'number' ? [] : {};
        node = node[seg];
      }
    }
    return resolved;
  });
}
