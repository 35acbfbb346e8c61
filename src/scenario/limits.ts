// Sizes refused up front. A scenario whose numbers would exhaust memory or run for days (a curve
// of 10^12 contacts, 10^9 agents, ten thousand replications of a year by the minute) is an input
// error with a located one-line message before anything is simulated — never a machine that
// swaps itself to death. The limits are set well above real use: the stress scenario of 100
// million contacts in one replication (scenarios/stress-100m.yaml) runs, and a year in
// one-minute intervals loads. docs/scenario.md lists them.

import { InputError } from '../errors.js';
import { expectedArrivals } from './curves.js';
import { formatDateTime, formatDuration } from './time.js';
import type { RawCurve, RawScenario } from './schema.js';
import type { Scenario } from './types.js';

type PathSeg = string | number;

export const LIMITS = {
  /** Expected contacts in one replication, from every source (100 million take minutes). */
  contactsPerReplication: 1e9,
  /** Expected orders in one replication. */
  ordersPerReplication: 1e9,
  /** Agents of one pool in one interval (the schema and plan CSVs check it where it is written). */
  agentsPerPool: 1_000_000,
  /** Per-interval results of all replications, kept in memory for the summary (bytes). */
  resultBytes: 4 * 1024 ** 3,
} as const;

/**
 * Memory follows what is in the system at once, not the volume, so it cannot be bounded up front:
 * with patience none and far too few agents, every contact waits until the end. Past these
 * (1.3 GB of contact records, 2 GB of orders) a run stops with a message instead of swapping.
 */
export const MAX_LIVE = { contacts: 2 ** 23, orders: 2 ** 24 } as const;

/**
 * The error a replication (index from 0) throws when memory runs out before MAX_LIVE is reached:
 * worker threads share the process's memory, and a machine may have little of it.
 */
export function outOfMemory(s: Scenario, peakContacts: number, replication: number): InputError {
  return new InputError(`memory ran out in replication ${replication + 1}, with up to ${peakContacts.toLocaleString('en-US')} contacts in the system at once: the demand is far beyond what the agents serve and waiting customers do not give up (patience), or orders pile up in a warehouse that does not ship them; peakplan stops rather than crash`, { file: s.file });
}

/** The error a replication (index from 0) throws when the contacts or orders in the system pass MAX_LIVE. */
export function tooManyInSystem(s: Scenario, what: 'contacts' | 'orders', now: number, replication?: number): InputError {
  const when = formatDateTime(s.calendar.startMs + Math.floor(now) * 1000, s.calendar.offsetMinutes);
  const why = what === 'contacts'
    ? 'the demand is far beyond what the agents serve, and waiting customers do not give up (patience)'
    : 'orders are placed far faster than the warehouse dispatches them (logistics.dispatch)';
  return new InputError(`more than ${MAX_LIVE[what].toLocaleString('en-US')} ${what} in the system at once by ${when}${replication !== undefined ? ` (replication ${replication + 1})` : ''}: ${why}; peakplan stops rather than exhaust memory`, { file: s.file });
}

/** Doubles a replication keeps per interval: per channel ~12 counters, a service-level count and the queue; per pool 4 levels. */
const DOUBLES_PER_CHANNEL = 14;
const DOUBLES_PER_POOL = 4;
/** Expected volumes are sums of rates × seconds: a volume of exactly the limit may come out a hair above it. */
const ROUNDING = 1 + 1e-9;

export interface SizeViolation {
  readonly path: readonly PathSeg[];
  readonly detail: string;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const fmt = (x: number) => (x >= 1e15 ? x.toExponential(2) : Math.round(x).toLocaleString('en-US'));

/** The key that sets a curve's volume, for pointing at it. */
function volumeKey(curve: RawCurve): string | undefined {
  for (const k of ['total', 'perDay', 'csv', 'at'] as const) if (curve[k] !== undefined) return k;
  return undefined;
}

/**
 * Expected orders, and expected contacts per source (with where the source is written), in one
 * replication. Poisson volumes are close to their expectation; where a driver's share is not
 * known in advance (late parcels, returns that also chat) the bound is its largest value.
 */
function expectedVolumes(s: Scenario, raw?: RawScenario): { orders: number; sources: { path: PathSeg[]; n: number }[] } {
  const busy = s.busyness?.mean ?? 1;
  const key = (c: RawCurve | undefined) => { const k = c && volumeKey(c); return k ? [k] : []; };
  const orders = s.orders ? expectedArrivals(s.orders.curve) * busy : 0;
  const sources: { path: PathSeg[]; n: number }[] = [];
  s.demand.forEach((d, i) => sources.push({ path: ['demand', i, 'curve', ...key(raw?.demand?.[i]?.curve)], n: expectedArrivals(d.curve) * busy }));
  if (s.orders) {
    s.orders.causes.forEach((c, j) => {
      const share = c.categories === null ? 1 : s.orders!.categories.reduce((a, cat, k) => a + (c.categories![k] ? cat.share : 0), 0);
      sources.push({ path: ['orders', 'causes', j, 'perOrder'], n: orders * c.perOrder * share });
    });
    if (s.logistics?.wismo) sources.push({ path: ['logistics', 'wismo', 'probability'], n: orders * s.logistics.wismo.probability });
    if (s.returns) {
      const returns = orders * s.orders.categories.reduce((a, c) => a + c.share * c.returnRate, 0);
      sources.push({ path: ['orders', 'categories'], n: returns * (1 + (s.returns.chat?.probability ?? 0)) });
    }
  }
  return { orders, sources };
}

/** Expected contacts and orders of one replication: the work it will do (for choosing how to run it). */
export function expectedWork(s: Scenario): number {
  const { orders, sources } = expectedVolumes(s);
  return orders + sources.reduce((a, x) => a + x.n, 0);
}

/**
 * The first size a scenario may not have, or null. `replicationsFromOption` says whether the
 * replication count came from the command line (--reps) rather than the file.
 */
export function checkSizes(raw: RawScenario, s: Scenario, replicationsFromOption: boolean): SizeViolation | null {
  const { orders, sources } = expectedVolumes(s, raw);
  if (!(orders <= LIMITS.ordersPerReplication * ROUNDING)) {
    const key = volumeKey(raw.orders!.curve);
    return {
      path: ['orders', 'curve', ...(key ? [key] : [])],
      detail: `gives about ${fmt(orders)} orders in one replication; peakplan refuses more than ${fmt(LIMITS.ordersPerReplication)} (it would run for hours and may exhaust memory)`,
    };
  }
  const contacts = sources.reduce((a, x) => a + x.n, 0);
  if (!(contacts <= LIMITS.contactsPerReplication * ROUNDING)) {
    const biggest = sources.reduce((a, x) => (x.n > a.n || Number.isNaN(x.n) ? x : a), sources[0]);
    return {
      path: biggest.path,
      detail: `the scenario expects about ${fmt(contacts)} contacts in one replication (${fmt(biggest.n)} from here); peakplan refuses more than ${fmt(LIMITS.contactsPerReplication)} (it would run for hours and may exhaust memory)`,
    };
  }

  // ---- agents (the schema bounds numbers written in the file; this catches the rest) ----
  for (let p = 0; p < s.pools.length; p++) {
    const st = s.pools[p].staffing;
    for (let i = 0; i < st.length; i++) {
      if (st[i] > LIMITS.agentsPerPool) {
        return { path: ['pools', p, 'staffing'], detail: `${fmt(st[i])} agents in interval ${i + 1}; at most ${fmt(LIMITS.agentsPerPool)} per pool` };
      }
    }
  }

  // ---- per-interval results kept for the summary ----
  const perRep = s.calendar.intervals * (s.channels.length * DOUBLES_PER_CHANNEL + s.pools.length * DOUBLES_PER_POOL) * 8;
  const bytes = perRep * s.replications;
  if (bytes > LIMITS.resultBytes) {
    const gb = (x: number) => `${(x / 1024 ** 3).toFixed(1)} GB`;
    const fromFile = !replicationsFromOption && raw.replications !== undefined;
    return {
      path: fromFile ? ['replications'] : ['calendar', 'interval'],
      detail: `${s.replications} replications${replicationsFromOption ? ' (--reps)' : ''} of ${fmt(s.calendar.intervals)} intervals × ${plural(s.channels.length, 'channel')} and ${plural(s.pools.length, 'pool')} keep about ${gb(bytes)} of per-interval results; at most ${gb(LIMITS.resultBytes)}: use fewer replications (at most ${Math.max(1, Math.floor(LIMITS.resultBytes / perRep))}), longer intervals or a shorter horizon`,
    };
  }
  return null;
}

/**
 * Warnings for a valid scenario that will not answer some of its demand: a channel with contacts
 * to serve but no agent in any interval. Zero agents is a legitimate question ("what if nobody
 * is on shift?"): the run goes on and reports the missed targets; the warning says why.
 */
export function staffingWarnings(s: Scenario): string[] {
  const out: string[] = [];
  const needsAgents = new Set<number>();
  const generated = [
    ...s.demand, ...(s.orders?.causes ?? []), ...(s.logistics?.wismo ? [s.logistics.wismo] : []),
    ...(s.returns ? [s.returns.ticket] : []), ...(s.returns?.chat ? [s.returns.chat] : []), ...(s.complaints ? [s.complaints.ticket] : []),
  ];
  for (const d of generated) {
    const allBot = s.bot !== null && s.bot.channels[d.channel] && s.bot.resolve[d.intent] >= 1;
    if (!allBot) needsAgents.add(d.channel);
  }
  // a live contact takes minutes: a mean of days is a unit slip (30d for 30m), and plan would staff
  // thousands of agents for it
  for (const p of s.pools) {
    if (s.channels[p.channel].deferred) continue;
    const long = p.skills.filter((sk) => (p.handleTime[sk.intent]?.mean ?? 0) > 86400);
    if (long.length > 0) {
      const longest = Math.max(...long.map((sk) => p.handleTime[sk.intent]!.mean));
      out.push(`pool '${p.name}': handle times of days on a live channel (${s.channels[p.channel].name}: up to ${formatDuration(longest)} a contact, for ${long.map((sk) => s.intents[sk.intent]).join(', ')}); is the unit right?`);
    }
  }
  for (const ch of needsAgents) {
    const pools = s.pools.filter((p) => p.channel === ch || p.tickets?.channel === ch);
    if (pools.length > 0 && pools.every((p) => p.staffing.every((n) => n === 0))) {
      out.push(`channel ${s.channels[ch].name} has contacts but no agents in any interval (${pools.map((p) => p.name).join(', ')}: staffing 0): none is answered`);
    }
  }
  return out;
}
