// `peakplan validate`'s view of a scenario: what the loader made of the file, with every default
// filled in, every name resolved and every unit made explicit, in words a planner reads (YAML),
// or the complete normalised data (JSON) for programs.

import { stringify } from 'yaml';
import type { Distribution } from '../engine/distributions.js';
import { expectedArrivals } from '../scenario/curves.js';
import { formatDateTime, formatDuration } from '../scenario/time.js';
import type { Pool, Scenario } from '../scenario/types.js';
import { jsonText } from './json.js';

const dur = (sec: number) => (Number.isFinite(sec) ? formatDuration(Math.round(sec * 1000) / 1000) : 'never');
const round = (x: number, d = 4) => Number(x.toPrecision(d));

function dist(d: Distribution): string {
  const s = d.spec;
  switch (s.kind) {
    case 'exponential': return `exponential, mean ${dur(s.mean)}`;
    case 'deterministic': return `always ${dur(s.value)}`;
    case 'uniform': return `uniform ${dur(s.min)} – ${dur(s.max)}`;
    case 'lognormal': return `lognormal, mean ${dur(s.mean)}, cv ${s.cv}`;
    case 'gamma': return `gamma, mean ${dur(s.mean)}, cv ${s.cv}`;
    case 'empirical': return `empirical, ${s.values.length} values, mean ${dur(d.mean)}`;
    case 'never': return 'none (never)';
  }
}

function staffingSummary(s: Scenario, p: Pool) {
  const a = p.staffing;
  let min = Infinity, max = 0, sum = 0;
  for (const x of a) { min = Math.min(min, x); max = Math.max(max, x); sum += x; }
  return { min, max, agentHours: round((sum * s.calendar.intervalSec) / 3600, 6) };
}

export function normalisedView(s: Scenario): Record<string, unknown> {
  const cal = s.calendar;
  const name = (ch: number) => s.channels[ch].name;
  return {
    name: s.name,
    file: s.file,
    seed: s.seed,
    replications: s.replications,
    calendar: {
      start: formatDateTime(cal.startMs, cal.offsetMinutes),
      end: formatDateTime(cal.startMs + cal.horizonSec * 1000, cal.offsetMinutes),
      horizon: dur(cal.horizonSec),
      interval: dur(cal.intervalSec),
      intervals: cal.intervals,
      localDays: s.days,
    },
    intents: [...s.intents],
    channels: Object.fromEntries(s.channels.map((c) => [c.name, {
      deferred: c.deferred,
      patience: dist(c.patience),
      retrial: c.retrial && { probability: c.retrial.probability, delay: dist(c.retrial.delay), maxRetrials: c.retrial.maxRetrials },
      vipShare: c.vipShare,
    }])),
    demand: s.demand.map((d) => ({
      channel: name(d.channel),
      intent: s.intents[d.intent],
      source: d.curve.source,
      expectedContacts: round(expectedArrivals(d.curve, 0, cal.horizonSec), 8),
      peakPerHour: d.curve.times ? null : round(Math.max(0, ...d.curve.rates) * 3600, 6),
    })),
    busyness: s.busyness && `daily factor: ${s.busyness.spec.kind}, mean ${round(s.busyness.mean)}, cv ${round(s.busyness.cv)}`,
    bot: s.bot && {
      channels: s.channels.filter((_, i) => s.bot!.channels[i]).map((c) => c.name),
      resolve: Object.fromEntries(s.intents.map((it, i) => [it, s.bot!.resolve[i]])),
      time: dist(s.bot.time),
      escalatedPatienceFactor: s.bot.escalatedPatienceFactor,
    },
    orders: s.orders && {
      source: s.orders.curve.source,
      expectedOrders: round(expectedArrivals(s.orders.curve, 0, cal.horizonSec), 8),
      categories: s.orders.categories.map((c) => ({ name: c.name, share: round(c.share), returnRate: c.returnRate })),
      causes: s.orders.causes.map((c) => ({ channel: name(c.channel), intent: s.intents[c.intent], perOrder: c.perOrder })),
    },
    logistics: s.logistics && {
      dispatchCutoff: dur(s.logistics.cutoffSec),
      shipWithin: dur(s.logistics.shipWithinSec),
      transit: dist(s.logistics.transit),
      deliveryPromise: dur(s.logistics.promiseSec),
      dispatchPerDay: { min: Math.min(...s.logistics.dispatchPerDay), max: Math.max(...s.logistics.dispatchPerDay) },
      whereIsMyOrder: s.logistics.wismo && { channel: name(s.logistics.wismo.channel), intent: s.intents[s.logistics.wismo.intent], probability: s.logistics.wismo.probability },
    },
    returns: s.returns && {
      lag: dist(s.returns.lag),
      ticket: `${name(s.returns.ticket.channel)} / ${s.intents[s.returns.ticket.intent]}`,
      refund: s.returns.refund && { time: dist(s.returns.refund.time), promise: dur(s.returns.refund.promiseSec) },
    },
    complaints: s.complaints && { ticket: `${name(s.complaints.ticket.channel)} / ${s.intents[s.complaints.ticket.intent]}`, afterAbandonment: s.complaints.abandoned },
    routing: {
      handover: s.routing.handover,
      vipPriority: s.routing.vipPriority,
    },
    pools: s.pools.map((p) => ({
      name: p.name,
      kind: p.kind,
      channel: name(p.channel),
      skills: p.skills.map((k) => (k.afterSec > 0 ? `${s.intents[k.intent]} (after ${dur(k.afterSec)} of waiting)` : s.intents[k.intent])),
      concurrency: p.concurrency,
      efficiency: p.efficiency,
      shrinkage: p.shrinkage,
      costPerHour: p.costPerHour,
      handleTime: Object.fromEntries(s.intents.flatMap((it, i) => (p.handleTime[i] ? [[it, dist(p.handleTime[i]!)]] : []))),
      staffing: staffingSummary(s, p),
      tickets: p.tickets && { channel: name(p.tickets.channel), skills: p.tickets.skills.map((k) => s.intents[k.intent]) },
      planning: p.planning.fixed ? 'fixed' : { maxStep: Number.isFinite(p.planning.maxStep) ? p.planning.maxStep : null, maxAgents: Math.max(...p.planning.max) },
    })),
    targets: s.targets.map((t) => ({
      id: t.id,
      declaredAt: t.path,
      channel: t.channel >= 0 ? name(t.channel) : 'all',
      intent: t.intent >= 0 ? s.intents[t.intent] : null,
      metric: t.metric,
      [t.sense]: t.metric === 'averageWait' ? dur(t.bound) : t.bound,
      within: t.withinSec > 0 ? dur(t.withinSec) : null,
      scope: t.scope,
      minOffered: t.scope === 'interval' ? t.minOffered : null,
    })),
    warnings: [...s.warnings],
  };
}

export function renderNormalisedYaml(s: Scenario): string {
  return `# ${s.file}: valid. What peakplan made of it (every default filled in, every unit explicit).\n` +
    stringify(normalisedView(s), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The complete normalised scenario: typed arrays as lists, distributions as their specs. */
export function renderNormalisedJson(s: Scenario, version: string): string {
  const plain = JSON.parse(JSON.stringify(s, (_k, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === 'object' && 'spec' in v && 'mean' in v && 'cv' in v) return { ...(v as Distribution).spec, mean: (v as Distribution).mean, cv: (v as Distribution).cv };
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }));
  return jsonText({ tool: 'peakplan', version, kind: 'scenario', scenario: plain });
}
