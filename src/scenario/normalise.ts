// Raw (schema-checked) scenario → normalised Scenario: units resolved, names turned into indices,
// cross-references and semantic rules checked. Pure: files the scenario refers to come in through
// the injected FileAccess. Errors are PathErrors carrying the dot-path; the loader adds the line.
// One file per scenario section in normalise/ (calendar, channels, demand, orders, routing,
// pools, targets; helpers.ts the leaf they share); here the order they run in and the rules that
// span sections.

import { secondsOfLocalDay } from './time.js';
import { checkSizes, staffingWarnings } from './limits.js';
import type { RawScenario } from './schema.js';
import type { Scenario } from './types.js';
import { calendar } from './normalise/calendar.js';
import { channelsSection } from './normalise/channels.js';
import { botSection, demandSection } from './normalise/demand.js';
import { factorDistribution, fail, type FileAccess, type NormaliseOptions, type PathSeg } from './normalise/helpers.js';
import { complaintsSection, logisticsSection, ordersSection, returnsSection } from './normalise/orders.js';
import { poolsSection } from './normalise/pools.js';
import { routingSection } from './normalise/routing.js';
import { targetsSection } from './normalise/targets.js';

export { distribution, factorDistribution, PathError, suggest, type FileAccess, type NormaliseOptions, type PathSeg } from './normalise/helpers.js';
export { readPlanCsv, withPlan } from './normalise/staffing.js';

export function normalise(raw: RawScenario, files: FileAccess, opts: NormaliseOptions): Scenario {
  const cal = calendar(raw.calendar);
  const warnings: string[] = [];
  const names = channelsSection(raw);
  const { intents, channelNames, channels } = names;
  const demand = demandSection(raw, names, cal, files);
  const bot = botSection(raw, names);
  const days = Math.ceil((secondsOfLocalDay(cal.startMs, cal.offsetMinutes, 0) + cal.horizonSec) / 86400 - 1e-9);
  const busyness = raw.forecast ? factorDistribution(raw.forecast.busyness, ['forecast', 'busyness']) : null;
  const orders = ordersSection(raw, names, cal, files);
  const logistics = logisticsSection(raw, names, orders, days);
  const returns = returnsSection(raw, names, orders, logistics, warnings);
  const complaints = complaintsSection(raw, names, logistics, returns);
  const routing = routingSection(raw, names);
  const pools = poolsSection(raw, names, cal, files);

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

  const targets = targetsSection(raw, names, orders, complaints);

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
    routing,
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
