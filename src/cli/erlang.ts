// `peakplan erlang`: the quick calculator. Agents needed for a service-level target, or the
// service level, average wait, P(wait) and abandonment for a given number of agents; Erlang C
// without patience, Erlang A (exact birth–death chain) with it.

import Table from 'cli-table3';
import { UsageError } from '../errors.js';
import { pct, secs } from '../report/format.js';
import { parseDuration } from '../scenario/time.js';
import { agentsForServiceLevel, erlangA, erlangCMetrics } from '../staffing/erlang.js';
import { colourFor } from './io.js';
import type { CommandContext } from './context.js';

export interface ErlangOptions {
  rate?: string;
  aht?: string;
  agents?: string;
  patience?: string;
  sl?: string;
  target?: string;
  json?: boolean;
}

/** '100/30m', '3.5/m', '200/h' → contacts per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d*(?:\.\d+)?)\s*(s|m|h|d)\s*$/.exec(text);
  if (!m) throw new UsageError(`must be contacts per duration such as 100/30m, 3.5/m or 200/h, got '${text}'`, { path: '--rate' });
  const per = (m[2] === '' ? 1 : Number(m[2])) * { s: 1, m: 60, h: 3600, d: 86400 }[m[3] as 's']!;
  const r = Number(m[1]) / per;
  if (!(r > 0) || !Number.isFinite(r)) throw new UsageError(`must be a positive rate, got '${text}'`, { path: '--rate' });
  return r;
}

function duration(text: string | undefined, option: string, dflt?: number): number {
  if (text === undefined) {
    if (dflt === undefined) throw new UsageError('is required', { path: option });
    return dflt;
  }
  try {
    return parseDuration(text);
  } catch (e) {
    throw new UsageError((e as Error).message, { path: option });
  }
}

interface Row { agents: number; pWait: number; serviceLevel: number; asa: number; pAbandon: number; occupancy: number }

export function erlangCommand(o: ErlangOptions, ctx: CommandContext): number {
  if (o.rate === undefined) throw new UsageError('is required (e.g. --rate 100/30m)', { path: '--rate' });
  const lam = parseRate(o.rate);
  const aht = duration(o.aht, '--aht');
  if (!(aht > 0)) throw new UsageError('must be longer than 0', { path: '--aht' });
  const patience = o.patience === undefined || o.patience === 'none' ? Infinity : duration(o.patience, '--patience');
  if (!(patience > 0)) throw new UsageError("must be longer than 0 (or 'none')", { path: '--patience' });
  const t = duration(o.sl, '--sl', 20);
  const load = lam * aht;
  if (load > 1e6) throw new UsageError(`offered load ${load.toFixed(0)} erlangs is beyond this calculator (at most 1,000,000)`, { path: '--rate' });
  let target: number | undefined;
  if (o.target !== undefined) {
    target = Number(o.target);
    if (!(target > 0 && target < 1)) throw new UsageError(`must be a share between 0 and 1, e.g. 0.8, got '${o.target}'`, { path: '--target' });
  }
  let agents: number;
  if (o.agents !== undefined) {
    agents = Number(o.agents);
    if (!Number.isInteger(agents) || agents < 1 || agents > 1e6) throw new UsageError(`must be a whole number from 1 to 1000000, got '${o.agents}'`, { path: '--agents' });
  } else if (target !== undefined) {
    agents = agentsForServiceLevel(lam, aht, t, target, patience);
  } else {
    throw new UsageError('give --agents N (to evaluate) or --target SHARE (to find the agents needed)', { path: '--agents' });
  }
  const at = (c: number): Row => {
    if (Number.isFinite(patience)) {
      const a = erlangA(lam, aht, patience, c, t);
      return { agents: c, pWait: a.pWait, serviceLevel: a.serviceLevel, asa: a.meanWaitAnswered, pAbandon: a.pAbandon, occupancy: a.occupancy };
    }
    const m = erlangCMetrics(lam, aht, c, t);
    return { agents: c, pWait: m.pWait, serviceLevel: m.serviceLevel, asa: m.asa, pAbandon: 0, occupancy: m.occupancy };
  };
  const main = at(agents);
  const model = Number.isFinite(patience) ? 'Erlang A (M/M/c+M)' : 'Erlang C (M/M/c)';
  if (o.json) {
    ctx.stdout(JSON.stringify({
      tool: 'peakplan', kind: 'erlang', model, ratePerSecond: lam, ahtSec: aht, patienceSec: Number.isFinite(patience) ? patience : null,
      offeredLoad: load, slThresholdSec: t, target: target ?? null, ...main,
      stable: Number.isFinite(patience) || agents > load,
    }, null, 2) + '\n');
    return 0;
  }
  const c = colourFor(process.stdout);
  const lines: string[] = [];
  lines.push(c.bold(`${model}`) + ` · ${(lam * 3600).toFixed(1)} contacts/h · AHT ${secs(aht)} · offered load ${load.toFixed(2)} erlangs` +
    (Number.isFinite(patience) ? ` · patience ${secs(patience)}` : ''));
  if (target !== undefined && o.agents === undefined) lines.push(`fewest agents for ${pct(target, 0)} answered within ${secs(t)}: ${c.bold(String(agents))}`);
  if (!Number.isFinite(patience) && agents <= load) lines.push(c.red(`${agents} agents cannot carry ${load.toFixed(2)} erlangs: the queue grows without bound`));
  const tbl = new Table({ head: ['agents', 'P(wait)', `SL<${secs(t)}`, 'avg wait', 'abandon', 'occupancy'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (let k = Math.max(1, agents - 2); k <= agents + 3; k++) {
    const r = at(k);
    const mark = k === agents ? c.bold : (s: string) => s;
    tbl.push([mark(String(k)), pct(r.pWait), pct(r.serviceLevel), secs(r.asa), pct(r.pAbandon, 2), pct(Math.min(1, r.occupancy))]);
  }
  lines.push(tbl.toString());
  ctx.stdout(lines.join('\n') + '\n');
  return 0;
}
