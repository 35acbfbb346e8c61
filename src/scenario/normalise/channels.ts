// The intents and channels sections: names (each once), live channels' patience, retrials and
// VIP share, deferred channels (tickets); and the lookup of a channel/intent pair the other
// sections name, with the live-or-deferred rule it must follow.

import { Distribution } from '../../engine/distributions.js';
import type { RawScenario } from '../schema.js';
import type { Channel } from '../types.js';
import { distribution, fail, indexOfName, type PathSeg } from './helpers.js';

export interface Names {
  readonly intents: readonly string[];
  readonly channelNames: readonly string[];
  readonly channels: readonly Channel[];
}

export function channelsSection(raw: RawScenario): Names {
  const intents = raw.intents;
  intents.forEach((name, i) => {
    if (intents.indexOf(name) !== i) fail(['intents', i], `'${name}' is listed twice`);
  });
  const channelNames = Object.keys(raw.channels);
  if (channelNames.length === 0) fail(['channels'], 'needs at least one channel');

  const channels: Channel[] = channelNames.map((name) => {
    const c = raw.channels[name];
    const p = ['channels', name];
    const deferred = c.deferred ?? false;
    if (deferred) {
      for (const k of ['patience', 'retrial', 'vipShare'] as const) {
        if (c[k] !== undefined) fail([...p, k], 'does not apply to a deferred channel: tickets wait in the backlog until worked', true);
      }
      return { name, deferred, patience: new Distribution({ kind: 'never' }), retrial: null, vipShare: 0 };
    }
    if (c.patience === undefined) fail([...p, 'patience'], "is required for a live channel (or set deferred: true for e-mail and tickets); use 'none' if nobody hangs up", true);
    const patience = c.patience === 'none' ? new Distribution({ kind: 'never' }) : distribution(c.patience!, [...p, 'patience']);
    const retrial = c.retrial
      ? { probability: c.retrial.probability, delay: distribution(c.retrial.delay, [...p, 'retrial', 'delay']), maxRetrials: c.retrial.maxRetrials ?? 3 }
      : null;
    return { name, deferred, patience, retrial, vipShare: c.vipShare ?? 0 };
  });

  return { intents, channelNames, channels };
}

/** A { channel, intent } a section names, as indices; `deferred` says which kind of channel it must be. */
export function channelIntent(n: Names, x: { channel: string; intent: string }, path: PathSeg[], deferred?: boolean): { channel: number; intent: number } {
  const channel = indexOfName(n.channelNames, x.channel, 'channel', [...path, 'channel']);
  if (deferred === true && !n.channels[channel].deferred) fail([...path, 'channel'], `'${x.channel}' must be a deferred channel (tickets); add deferred: true to channels.${x.channel}`);
  if (deferred === false && n.channels[channel].deferred) fail([...path, 'channel'], `'${x.channel}' is a deferred channel; this contact is live (chat or phone)`);
  return { channel, intent: indexOfName(n.intents, x.intent, 'intent', [...path, 'intent']) };
}
