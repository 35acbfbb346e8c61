// The pools section: skills (with overflow thresholds), chat concurrency and its slowdown, ticket
// blending, efficiency, cost, shrinkage, handle times per intent, staffing and planning limits.

import type { Distribution } from '../../engine/distributions.js';
import type { RawScenario } from '../schema.js';
import type { Calendar, Pool, PoolKind, Skill } from '../types.js';
import type { Names } from './channels.js';
import { distribution, dur, fail, indexOfName, type FileAccess, type PathSeg } from './helpers.js';
import { poolPlanning, staffing } from './staffing.js';
import { rosterRules } from './roster.js';

export function poolsSection(raw: RawScenario, n: Names, cal: Calendar, files: FileAccess): Pool[] {
  const { intents, channelNames, channels } = n;
  const poolNames = raw.pools.map((p) => p.name);
  return raw.pools.map((rp, i) => {
    const p: PathSeg[] = ['pools', i];
    if (poolNames.indexOf(rp.name) !== i) fail([...p, 'name'], `'${rp.name}' is already the name of pools[${poolNames.indexOf(rp.name)}]`);
    const channel = indexOfName(channelNames, rp.channel, 'channel', [...p, 'channel']);
    const skills: Skill[] = rp.skills.map((s, j) => {
      const sp = [...p, 'skills', j];
      if (typeof s === 'string') return { intent: indexOfName(intents, s, 'intent', sp), afterSec: 0 };
      return { intent: indexOfName(intents, s.intent, 'intent', [...sp, 'intent']), afterSec: s.after ? dur(s.after, [...sp, 'after']) : 0 };
    });
    skills.forEach((s, j) => {
      if (skills.findIndex((o) => o.intent === s.intent) !== j) fail([...p, 'skills', j], `'${intents[s.intent]}' is listed twice`);
    });
    const concurrency = rp.concurrency ?? 1;
    let speed: number[];
    if (rp.speed) {
      if (rp.speed.length !== concurrency) fail([...p, 'speed'], `needs one value per chat held (concurrency ${concurrency}), got ${rp.speed.length}`);
      if (Math.abs(rp.speed[0] - 1) > 1e-12) fail([...p, 'speed', 0], `the throughput of one chat is the unit and must be 1, got ${rp.speed[0]}`);
      for (let k = 1; k < rp.speed.length; k++) {
        if (rp.speed[k] < rp.speed[k - 1]) fail([...p, 'speed', k], `must not fall as chats are added (${rp.speed[k - 1]} → ${rp.speed[k]}); an agent can always work the chats one at a time`);
        if (rp.speed[k] > k + 1 + 1e-12) fail([...p, 'speed', k], `${k + 1} chats cannot give more than ${k + 1} chats' worth of throughput, got ${rp.speed[k]}`);
      }
      speed = rp.speed.slice();
    } else {
      speed = Array.from({ length: concurrency }, (_, k) => k + 1);
    }
    let tickets: Pool['tickets'] = null;
    if (rp.tickets) {
      const tp: PathSeg[] = [...p, 'tickets'];
      const tch = indexOfName(channelNames, rp.tickets.channel, 'channel', [...tp, 'channel']);
      if (!channels[tch].deferred) fail([...tp, 'channel'], `'${rp.tickets.channel}' must be a deferred channel (tickets) for blending`);
      if (tch === channel) fail([...tp, 'channel'], 'is the pool\'s own channel; blending adds a second, deferred one');
      if (channels[channel].deferred) fail(tp, 'a pool on a deferred channel works tickets already; blending is for live pools', true);
      const tskills: Skill[] = rp.tickets.skills.map((sk, j) => {
        const sp = [...tp, 'skills', j];
        if (typeof sk === 'string') return { intent: indexOfName(intents, sk, 'intent', sp), afterSec: 0 };
        return { intent: indexOfName(intents, sk.intent, 'intent', [...sp, 'intent']), afterSec: sk.after ? dur(sk.after, [...sp, 'after']) : 0 };
      });
      tickets = { channel: tch, skills: tskills };
    }
    const handleTime: (Distribution | null)[] = intents.map(() => null);
    for (const key of Object.keys(rp.handleTime)) {
      if (key !== 'default') indexOfName(intents, key, 'intent', [...p, 'handleTime', key]);
    }
    for (const s of [...skills, ...(tickets?.skills ?? [])]) {
      const name = intents[s.intent];
      const spec = rp.handleTime[name] ?? rp.handleTime.default;
      const hp = [...p, 'handleTime', rp.handleTime[name] ? name : 'default'];
      if (!spec) fail([...p, 'handleTime'], `has no entry for skill '${name}' and no default`);
      const d = distribution(spec!, hp);
      if (!(d.mean > 0)) fail(hp, 'must have a mean above 0 (a contact takes some time)');
      handleTime[s.intent] = d;
    }
    return {
      name: rp.name,
      kind: (rp.kind ?? 'permanent') as PoolKind,
      channel,
      skills,
      concurrency,
      speed,
      efficiency: rp.efficiency ?? 1,
      costPerHour: rp.costPerHour ?? 0,
      shrinkage: rp.shrinkage ?? 0,
      handleTime,
      staffing: staffing(rp.staffing, cal, [...p, 'staffing'], rp.name, poolNames, files),
      tickets,
      planning: poolPlanning(rp.planning, cal, [...p, 'planning']),
      roster: rosterRules(rp.roster, (rp.kind ?? 'permanent') as PoolKind, rp.name, cal, [...p, 'roster'], files),
    };
  });
}
