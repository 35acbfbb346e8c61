// The demand and bot sections: one arrival curve per channel and intent, and the chatbot that
// resolves a share of each intent on the channels it serves.

import type { RawScenario } from '../schema.js';
import type { Bot, Calendar, DemandStream } from '../types.js';
import type { Names } from './channels.js';
import { curve } from './demand-curves.js';
import { distribution, fail, indexOfName, type FileAccess, type PathSeg } from './helpers.js';

export function demandSection(raw: RawScenario, n: Names, cal: Calendar, files: FileAccess): DemandStream[] {
  const { intents, channelNames } = n;
  const seenStreams = new Set<string>();
  const demand: DemandStream[] = (raw.demand ?? []).map((d, i) => {
    const p: PathSeg[] = ['demand', i];
    const channel = indexOfName(channelNames, d.channel, 'channel', [...p, 'channel']);
    const intent = indexOfName(intents, d.intent, 'intent', [...p, 'intent']);
    const key = `${d.channel}/${d.intent}`;
    if (seenStreams.has(key)) fail(p, `a second demand entry for ${key}; give each channel and intent one curve`);
    seenStreams.add(key);
    return { channel, intent, curve: curve(d.curve, cal, [...p, 'curve'], files) };
  });

  return demand;
}

export function botSection(raw: RawScenario, n: Names): Bot | null {
  const { intents, channelNames, channels } = n;
  let bot: Bot | null = null;
  if (raw.bot) {
    const b = raw.bot;
    const chans = channelNames.map(() => false);
    b.channels.forEach((c, i) => {
      const ci = indexOfName(channelNames, c, 'channel', ['bot', 'channels', i]);
      if (channels[ci].deferred) fail(['bot', 'channels', i], `'${c}' is a deferred channel; the bot answers live channels`);
      chans[ci] = true;
    });
    const resolve = intents.map(() => 0);
    for (const [intent, share] of Object.entries(b.resolve)) {
      if (intent === 'default') continue;
      resolve[indexOfName(intents, intent, 'intent', ['bot', 'resolve', intent])] = share;
    }
    if (b.resolve.default !== undefined) intents.forEach((it, i) => { if (b.resolve[it] === undefined) resolve[i] = b.resolve.default; });
    bot = { channels: chans, resolve, time: distribution(b.time, ['bot', 'time']), escalatedPatienceFactor: b.escalatedPatience ?? 1 };
  }
  return bot;
}
