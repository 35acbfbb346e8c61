// Where contacts come from: the sources (each origin × channel × intent with its own named random
// streams, so the staffing never changes what the customers do) and the Poisson processes with
// piecewise-constant rates that feed the demand curves' sources and the order flow, times the
// day's busyness factor (forecast error) of the replication.

import { openStream, type RandomStream } from '../engine/random.js';
import { secondsOfLocalDay } from '../scenario/time.js';
import type { CompiledModel } from './compile.js';
import type { OrderSources } from './orders/host.js';

/** A contact source: each (origin, channel, intent) has its own named random streams. */
export interface ContactSource {
  readonly channel: number;
  readonly intent: number;
  readonly type: number;
  readonly deferred: boolean;
  readonly handle: RandomStream;
  readonly patience: RandomStream;
  readonly routing: RandomStream;
  readonly bot: RandomStream | null;
  readonly complaint: RandomStream | null;
  /** No bot, no complaint draw, no VIP share: its arrivals take the fast path (Simulation.onArrival). */
  readonly plain: boolean;
  /** For a plain source, its first pool if that pool is plain (see plainPool), else -1. */
  readonly fastPool: number;
}

/** A Poisson process with a piecewise-constant rate (or explicit times) feeding a source. */
export interface ArrivalProcess {
  /** The contact source it feeds; -1 for the order process. */
  readonly source: number;
  readonly stepSec: number;
  readonly rates: Float64Array;
  readonly times: Float64Array | null;
  step: number;
  readonly arrivals: RandomStream;
}

export interface Arrivals {
  readonly sources: ContactSource[];
  /** The demand curves' processes, then (with orders) the order process last. */
  readonly processes: ArrivalProcess[];
  /** The complaints' ticket source, or -1. */
  readonly complaintSource: number;
  readonly orderSources: OrderSources | null;
  /** Busyness factor per local day of this replication (forecast error), or null. */
  readonly dayFactor: Float64Array | null;
  readonly localStart: number;
  /** The initial state's source per contact type (channel × intent), and for its contacts in the bot. */
  readonly stateSources: ReadonlyMap<number, number>;
  readonly botStateSources: ReadonlyMap<number, number>;
}

/**
 * Every source and process of a replication. `plainPool` says which pools take the fast paths;
 * `fast` false turns them off (test/fast-path.test.ts).
 */
export function buildArrivals(model: CompiledModel, seed: number, r: number, plainPool: Uint8Array, fast: boolean): Arrivals {
  const s = model.scenario;
  const nI = model.nIntents;
  const complaints = s.complaints;
  const sources: ContactSource[] = [];
  const botOn = s.channels.map((_, c) => s.bot?.channels[c] ?? false);
  const makeSource = (channel: number, intent: number, origin: string): number => {
    const tag = `${s.channels[channel].name}/${s.intents[intent]}`;
    const name = (kind: string) => (origin === '' ? `${kind}/${tag}` : `${kind}/${origin}/${tag}`);
    const deferred = s.channels[channel].deferred;
    // contacts of the initial state are past the bot already (those in it: 'state-bot'), and take no fast path
    const bot = botOn[channel] && origin !== 'state';
    const plain = fast && origin !== 'state' && origin !== 'state-bot' && !botOn[channel] && (complaints === null || deferred) && s.channels[channel].vipShare === 0;
    const first = model.routes[channel * nI + intent].immediate;
    sources.push({
      channel, intent, type: channel * nI + intent, deferred,
      handle: openStream(seed, r, name('handle')),
      patience: openStream(seed, r, name('patience')),
      routing: openStream(seed, r, name('routing')),
      bot: bot ? openStream(seed, r, name('bot')) : null,
      complaint: complaints !== null && !deferred ? openStream(seed, r, name('complaint')) : null,
      plain,
      fastPool: plain && first.length > 0 && plainPool[first[0]] === 1 ? first[0] : -1,
    });
    return sources.length - 1;
  };
  const processes: ArrivalProcess[] = s.demand.map((d) => ({
    source: makeSource(d.channel, d.intent, ''),
    stepSec: d.curve.stepSec,
    rates: d.curve.rates,
    times: d.curve.times ?? null,
    step: 0,
    arrivals: openStream(seed, r, `arrivals/${s.channels[d.channel].name}/${s.intents[d.intent]}`),
  }));
  let dayFactor: Float64Array | null = null;
  if (s.busyness !== null) {
    const rng = openStream(seed, r, 'forecast/busyness');
    dayFactor = Float64Array.from({ length: s.days }, () => s.busyness!.quantile(rng.u()));
  }
  const complaintSource = complaints !== null ? makeSource(complaints.ticket.channel, complaints.ticket.intent, 'complaint') : -1;
  let orderSources: OrderSources | null = null;
  if (s.orders !== null) {
    const o = s.orders;
    processes.push({ source: -1, stepSec: o.curve.stepSec, rates: o.curve.rates, times: o.curve.times ?? null, step: 0, arrivals: openStream(seed, r, 'orders/arrivals') });
    const lg = s.logistics, rt = s.returns;
    orderSources = {
      causes: o.causes.map((c, i) => makeSource(c.channel, c.intent, `cause${i}`)),
      wismo: lg?.wismo ? makeSource(lg.wismo.channel, lg.wismo.intent, 'wismo') : -1,
      returnTicket: rt ? makeSource(rt.ticket.channel, rt.ticket.intent, 'return-ticket') : -1,
      returnChat: rt?.chat ? makeSource(rt.chat.channel, rt.chat.intent, 'return-chat') : -1,
    };
  }
  // the initial state's contacts: a source per channel and intent of their own (named streams:
  // a run without a state draws exactly what it drew before)
  const stateSources = new Map<number, number>();
  for (const g of [...(s.initial?.waiting ?? []), ...(s.initial?.inService ?? [])]) {
    const type = g.channel * nI + g.intent;
    if (!stateSources.has(type)) stateSources.set(type, makeSource(g.channel, g.intent, 'state'));
  }
  // contacts in the bot at the start go on through it: a source with the bot, streams of their own
  const botStateSources = new Map<number, number>();
  for (const g of s.initial?.inBot ?? []) {
    const type = g.channel * nI + g.intent;
    if (!botStateSources.has(type)) botStateSources.set(type, makeSource(g.channel, g.intent, 'state-bot'));
  }
  return { sources, processes, complaintSource, orderSources, dayFactor, localStart: secondsOfLocalDay(s.calendar.startMs, s.calendar.offsetMinutes, 0), stateSources, botStateSources };
}

/**
 * The next arrival of a process after time t, walking its piecewise-constant rate (times the
 * day's busyness factor): exact, one unit exponential per arrival. Infinity when none is left.
 */
export function nextArrival(s: ArrivalProcess, t: number, horizon: number, dayFactor: Float64Array | null, localStart: number): number {
  if (s.times !== null) {
    // explicit arrival times (traces, teaching scenarios): the next one in the list
    return s.step < s.times.length && s.times[s.step] < horizon ? s.times[s.step++] : Infinity;
  }
  let e = -Math.log(1 - s.arrivals.u()); // unit exponential = integrated hazard to the next arrival (1 - u is exact, > 0)
  const rates = s.rates, step = s.stepSec, n = rates.length, f = dayFactor;
  let k = s.step;
  while (k < n) {
    const end = Math.min((k + 1) * step, horizon);
    const r = f === null ? rates[k] : rates[k] * f[Math.floor((localStart + k * step) / 86400)];
    const avail = r * (end - t);
    if (e <= avail && r > 0) {
      s.step = k;
      const at = t + e / r;
      return at < end ? at : end;
    }
    e -= avail;
    t = end;
    k++;
    if (t >= horizon) break;
  }
  s.step = n;
  return Infinity;
}
