// The targets section: one metric each (service level, average wait, abandonment, occupancy,
// first reply, resolution, complaints per 1,000 orders), its bound, scope and minimum volume.

import type { RawScenario } from '../schema.js';
import type { Complaints, Orders, Target, TargetMetric } from '../types.js';
import type { Names } from './channels.js';
import { dur, fail, indexOfName, type PathSeg } from './helpers.js';

export function targetsSection(raw: RawScenario, n: Names, orders: Orders | null, complaints: Complaints | null): Target[] {
  const { intents, channelNames } = n;
  const ALL_METRICS: TargetMetric[] = ['serviceLevel', 'averageWait', 'abandonment', 'occupancy', 'firstReply', 'resolved', 'complaintsPer1000Orders'];
  return (raw.targets ?? []).map((t, i) => {
    const p: PathSeg[] = ['targets', i];
    const metrics = ALL_METRICS.filter((m) => t[m] !== undefined);
    if (metrics.length !== 1) fail(p, `needs exactly one of ${ALL_METRICS.join(', ')}; got ${metrics.length === 0 ? 'none' : metrics.join(' and ')}`);
    const metric = metrics[0];
    let channel = -1;
    if (metric === 'complaintsPer1000Orders') {
      if (t.channel !== undefined) fail([...p, 'channel'], 'does not apply to complaintsPer1000Orders (it counts complaints from every source)', true);
      if (!orders) fail([...p, metric], 'needs an orders section');
      if (!complaints) fail([...p, metric], 'needs a complaints section');
    } else {
      if (t.channel === undefined) fail([...p, 'channel'], `is required for ${metric}`, true);
      channel = indexOfName(channelNames, t.channel!, 'channel', [...p, 'channel']);
    }
    let intent = -1;
    if (t.intent !== undefined) {
      if (metric !== 'firstReply' && metric !== 'resolved') fail([...p, 'intent'], 'applies to firstReply and resolved targets', true);
      intent = indexOfName(intents, t.intent, 'intent', [...p, 'intent']);
    }
    let withinSec = 0, bound: number, sense: 'atLeast' | 'atMost' = 'atMost';
    if (metric === 'serviceLevel' || metric === 'firstReply' || metric === 'resolved') {
      const m = t[metric]!;
      withinSec = dur(m.within, [...p, metric, 'within']);
      bound = m.atLeast;
      sense = 'atLeast';
    } else if (metric === 'averageWait') {
      bound = dur(t.averageWait!.atMost, [...p, 'averageWait', 'atMost']);
    } else {
      bound = (t[metric] as { atMost: number }).atMost;
    }
    const deadline = metric === 'firstReply' || metric === 'resolved' || metric === 'complaintsPer1000Orders';
    const scope = t.scope ?? (deadline ? 'horizon' : 'interval');
    if (scope === 'interval' && deadline) fail([...p, 'scope'], `${metric} is counted per day or over the horizon, not per interval`);
    const within = (t as Record<string, { within?: string } | undefined>)[metric]?.within;
    const id = `${t.channel ?? 'all'}${t.intent ? '/' + t.intent : ''} ${metric}` + (within ? ` ${Math.round(bound * 100)}%<${within}` : '') + ` (${scope})`;
    const slOf = metric === 'serviceLevel' ? (t.serviceLevel!.of ?? 'offered') : 'offered';
    const basis = slOf === 'offered' ? '' : ` of ${slOf}`;
    return { id: id.replace(` (${scope})`, `${basis} (${scope})`), channel, intent, metric, withinSec, bound, sense, scope, minOffered: t.minOffered ?? 1, path: `targets[${i}]`, slOf };
  });
}
