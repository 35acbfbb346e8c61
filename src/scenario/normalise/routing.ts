// The routing section: priorities per intent or channel/intent (lower first), the VIP boost and
// the shift-end rule.

import type { RawScenario } from '../schema.js';
import type { Scenario } from '../types.js';
import type { Names } from './channels.js';
import { indexOfName } from './helpers.js';

export function routingSection(raw: RawScenario, n: Names): Scenario['routing'] {
  const { intents, channelNames } = n;
  const routingRaw = raw.routing ?? {};
  const priority = new Int32Array(channelNames.length * intents.length).fill(routingRaw.priority?.default ?? 5);
  for (const [key, pri] of Object.entries(routingRaw.priority ?? {})) {
    if (key === 'default') continue;
    const rp = ['routing', 'priority', key];
    const [a, b] = key.split('/');
    if (b === undefined) {
      const it = indexOfName(intents, a, 'intent', rp);
      for (let c = 0; c < channelNames.length; c++) priority[c * intents.length + it] = pri;
    }
  }
  // channel/intent keys override intent keys whatever their order in the file
  for (const [key, pri] of Object.entries(routingRaw.priority ?? {})) {
    const [a, b] = key.split('/');
    if (b === undefined) continue;
    const rp = ['routing', 'priority', key];
    const c = indexOfName(channelNames, a, 'channel', rp);
    const it = indexOfName(intents, b, 'intent', rp);
    priority[c * intents.length + it] = pri;
  }
  return { priority, vipPriority: routingRaw.vipPriority ?? 0, handover: routingRaw.handover ?? 'finish-in-hand' };
}
