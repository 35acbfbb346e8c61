// A live state to start from (`simulate --state state.json`, docs/state.md): what is in the
// system at the horizon's start. Read and checked against the scenario here — a state for another
// scenario (its start, channels or intents) is refused at the exact place, nothing simulated.

import { InputError } from '../errors.js';
import { suggest } from './normalise/helpers.js';
import { formatDateTime, parseDateTime, parseDuration } from './time.js';
import type { InitialState, Scenario } from './types.js';

export function readState(text: string, file: string, s: Scenario): InitialState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`is not JSON: ${(e as Error).message}`, { file });
  }
  const at = (path: string) => ({ file, path });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('must be a JSON object { at, waiting: [...] }', { file });
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!['tool', 'kind', 'version', 'at', 'waiting', 'inService', 'inBot'].includes(k)) throw new InputError(`unknown key '${k}' (a state has at, waiting, inService and inBot)`, at(k));
  if (typeof r.at !== 'string') throw new InputError('is required: the time the state describes, e.g. 2026-11-11T02:00+08:00', at('at'));
  let ms: number;
  try {
    ms = parseDateTime(r.at).epochMs;
  } catch (e) {
    throw new InputError((e as Error).message, at('at'));
  }
  if (ms !== s.calendar.startMs) {
    throw new InputError(`the state is for ${r.at} but the scenario starts at ${formatDateTime(s.calendar.startMs, s.calendar.offsetMinutes)}; a state describes the system at the horizon's start (set calendar.start to it)`, at('at'));
  }
  const channels = s.channels.map((c) => c.name);
  // a name of the scenario (channel, intent, pool) and a wait or work in seconds, at their place
  const nameIn = (v: unknown, list: readonly string[], what: string, path: string) => {
    const i = typeof v === 'string' ? list.indexOf(v) : -1;
    if (i < 0) {
      const hint = typeof v === 'string' ? suggest(v, list) : undefined;
      throw new InputError(`unknown ${what} ${JSON.stringify(v)}${hint ? `; did you mean '${hint}'?` : ''} (the scenario has: ${list.join(', ')}); is the state for another scenario?`, at(path));
    }
    return i;
  };
  const seconds = (w: unknown, wp: string): number => {
    let v: number;
    if (typeof w === 'number') v = w;
    else if (typeof w === 'string') {
      try { v = parseDuration(w); } catch (e) { throw new InputError((e as Error).message, at(wp)); }
    } else throw new InputError('must be seconds or a duration', at(wp));
    if (!Number.isFinite(v) || v < 0) throw new InputError(`must be ≥ 0 seconds, got ${JSON.stringify(w)}`, at(wp));
    return v;
  };
  if (r.waiting === undefined) r.waiting = [];
  if (!Array.isArray(r.waiting)) throw new InputError('must be a list of { channel, intent, vip, waited: [seconds, …] }', at('waiting'));
  const waiting = r.waiting.map((g: unknown, k: number) => {
    const p = `waiting[${k}]`;
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new InputError('must be { channel, intent, vip, waited }', at(p));
    const x = g as Record<string, unknown>;
    for (const key of Object.keys(x)) if (!['channel', 'intent', 'vip', 'waited'].includes(key)) throw new InputError(`unknown key '${key}'`, at(`${p}.${key}`));
    const channel = nameIn(x.channel, channels, 'channel', `${p}.channel`);
    const intent = nameIn(x.intent, s.intents, 'intent', `${p}.intent`);
    if (x.vip !== undefined && typeof x.vip !== 'boolean') throw new InputError('must be true or false', at(`${p}.vip`));
    if (!Array.isArray(x.waited)) throw new InputError('must be a list of the seconds (or durations such as "2m") each contact has waited', at(`${p}.waited`));
    const waitedSec = x.waited.map((w: unknown, j: number) => seconds(w, `${p}.waited[${j}]`));
    return { channel, intent, vip: x.vip === true, waitedSec };
  });
  if (r.inService !== undefined && !Array.isArray(r.inService)) throw new InputError('must be a list of { pool, channel, intent, remaining: [seconds, …] }', at('inService'));
  const pools = s.pools.map((p) => p.name);
  const held = new Map<number, number>();
  const inService = ((r.inService as unknown[] | undefined) ?? []).map((g: unknown, k: number) => {
    const p = `inService[${k}]`;
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new InputError('must be { pool, channel, intent, remaining }', at(p));
    const x = g as Record<string, unknown>;
    for (const key of Object.keys(x)) if (!['pool', 'channel', 'intent', 'remaining'].includes(key)) throw new InputError(`unknown key '${key}'`, at(`${p}.${key}`));
    const pool = nameIn(x.pool, pools, 'pool', `${p}.pool`);
    const channel = nameIn(x.channel, channels, 'channel', `${p}.channel`);
    const intent = nameIn(x.intent, s.intents, 'intent', `${p}.intent`);
    const pd = s.pools[pool];
    if (pd.channel !== channel && pd.tickets?.channel !== channel) throw new InputError(`pool '${pd.name}' does not serve channel '${channels[channel]}'`, at(`${p}.channel`));
    if (!pd.skills.some((sk) => sk.intent === intent) && !(pd.tickets?.skills ?? []).some((sk) => sk.intent === intent)) throw new InputError(`pool '${pd.name}' has no skill '${s.intents[intent]}'`, at(`${p}.intent`));
    if (!Array.isArray(x.remaining)) throw new InputError('must be a list of the seconds of work (at one chat) each contact has left', at(`${p}.remaining`));
    const remainingSec = x.remaining.map((w: unknown, j: number) => seconds(w, `${p}.remaining[${j}]`));
    held.set(pool, (held.get(pool) ?? 0) + remainingSec.length);
    const room = pd.staffing[0] * pd.concurrency;
    if (held.get(pool)! > room) throw new InputError(`${held.get(pool)} contacts in service for pool '${pd.name}', more than its ${pd.staffing[0]} agents of the first interval can hold (${room})`, at(`${p}.remaining`));
    return { pool, channel, intent, remainingSec };
  });
  if (r.inBot !== undefined && !Array.isArray(r.inBot)) throw new InputError('must be a list of { channel, intent, count }', at('inBot'));
  const inBot = ((r.inBot as unknown[] | undefined) ?? []).map((g: unknown, k: number) => {
    const p = `inBot[${k}]`;
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new InputError('must be { channel, intent, count }', at(p));
    const x = g as Record<string, unknown>;
    for (const key of Object.keys(x)) if (!['channel', 'intent', 'count'].includes(key)) throw new InputError(`unknown key '${key}'`, at(`${p}.${key}`));
    const ci = nameIn(x.channel, channels, 'channel', `${p}.channel`);
    if (s.bot === null || !s.bot.channels[ci]) throw new InputError(`channel '${channels[ci]}' has no bot in the scenario`, at(`${p}.channel`));
    const ii = nameIn(x.intent, s.intents, 'intent', `${p}.intent`);
    if (typeof x.count !== 'number' || !Number.isInteger(x.count) || x.count < 0) throw new InputError('must be a whole number ≥ 0', at(`${p}.count`));
    return { channel: ci, intent: ii, count: x.count };
  });
  return { waiting, inService, inBot };
}
