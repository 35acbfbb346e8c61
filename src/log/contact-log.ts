// The per-contact log (`simulate --log contacts.csv`): one row per attempt of a contact — its
// arrival, channel, intent, the bot's outcome, when it was offered to agents, answered or
// abandoned, its wait and handle time, the pool and agent, the attempt it retries, and the order
// that caused it. Built from the model's trace as the replication runs: a contact's row is written
// when its attempt ends, so memory follows the contacts in the system, not the volume. The same
// columns are what `peakplan fit` reads (docs/outputs.md; other systems' exports map their column
// names onto these).

import type { TraceSink } from '../model/trace.js';
import type { Scenario } from '../scenario/types.js';

export const LOG_COLUMNS = [
  'contact', 'attempt', 'retrial_of', 'arrival', 'channel', 'intent', 'vip', 'bot', 'bot_s', 'offered',
  'answered', 'abandoned', 'outcome', 'wait_s', 'handle_s', 'pool', 'agent', 'order',
] as const;

/** A local ISO time with milliseconds at the scenario's offset, e.g. 2026-11-11T00:00:12.345+08:00. */
export function isoMs(epochMs: number, offsetMinutes: number): string {
  const local = new Date(Math.round(epochMs + offsetMinutes * 60000)).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

interface Open {
  arrival: number;
  offered: number;
  answered: number;
  queue: number;
  pool: number;
  agent: number;
  order: number;
  attempt: number;
  bot: 'resolved' | 'escalated' | 'none';
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const sec = (x: number) => String(Math.round(x * 1000) / 1000);

/**
 * A trace sink that writes the log's rows through `write` (header first). `end(t)` writes the
 * contacts still in the system at the horizon's end (outcome `open`). `id` prefixes contact ids.
 */
export function contactLogSink(s: Scenario, write: (line: string) => void, id: string, writeOrder?: (line: string) => void): { sink: TraceSink; end(t: number): void; rows(): number } {
  const cal = s.calendar, off = cal.offsetMinutes;
  const nI = s.intents.length;
  const botChannel = s.channels.map((_, ch) => s.bot?.channels[ch] === true);
  const open = new Map<number, Open>();
  const at = (t: number) => isoMs(cal.startMs + t * 1000, off);
  let rows = 0;
  write(LOG_COLUMNS.join(',') + '\n');
  // the orders log (--orders-log): one row per order placed, the ids the contacts' order column uses
  const orderId = (n: number) => `${id === 'c' ? 'o' : id.replace(/c$/, 'o')}${n}`;
  writeOrder?.('order,placed\n');
  const row = (serial: number, o: Open, outcome: string, ended: number, abandoned: boolean, handle: number) => {
    const ch = Math.floor(o.queue / 2 / nI), intent = Math.floor(o.queue / 2) % nI;
    const cid = `${id}${serial}`;
    const cells = [
      cid, String(o.attempt), o.attempt > 1 ? `${cid}/${o.attempt - 1}` : '', at(o.arrival),
      csvCell(s.channels[ch].name), csvCell(s.intents[intent]), String(o.queue % 2), o.bot,
      o.bot === 'resolved' ? sec(ended - o.arrival) : o.bot === 'escalated' && !Number.isNaN(o.offered) ? sec(o.offered - o.arrival) : '',
      !Number.isNaN(o.offered) ? at(o.offered) : '', !Number.isNaN(o.answered) ? at(o.answered) : '', abandoned ? at(ended) : '', outcome,
      !Number.isNaN(o.offered) && (!Number.isNaN(o.answered) || abandoned) ? sec((!Number.isNaN(o.answered) ? o.answered : ended) - o.offered) : '',
      handle >= 0 ? sec(handle) : '', o.pool >= 0 ? csvCell(s.pools[o.pool].name) : '', o.agent >= 0 ? String(o.agent) : '',
      o.order >= 0 ? orderId(o.order) : '',
    ];
    write(cells.join(',') + '\n');
    rows++;
  };
  const sink: TraceSink = (t, event, contact, queue, pool, agent, order) => {
    switch (event) {
      case 'arrive':
        open.set(contact, { arrival: t, offered: NaN, answered: NaN, queue, pool: -1, agent: -1, order: order ?? -1, attempt: 1, bot: botChannel[Math.floor(queue / 2 / nI)] ? 'escalated' : 'none' });
        break;
      case 'offer': {
        const o = open.get(contact);
        if (o) {
          if (Number.isNaN(o.arrival)) o.arrival = t; // a retrial arrives when it comes back
          o.offered = t;
          o.queue = queue;
        }
        break;
      }
      case 'overflow': {
        const o = open.get(contact);
        if (o) o.queue = queue;
        break;
      }
      case 'answer': {
        const o = open.get(contact);
        if (o) { o.answered = t; o.pool = pool; o.agent = agent; o.queue = queue; }
        break;
      }
      case 'done': {
        const o = open.get(contact);
        if (o) { row(contact, o, 'answered', t, false, t - o.answered); open.delete(contact); }
        break;
      }
      case 'bot-resolved': {
        const o = open.get(contact);
        if (o) { o.bot = 'resolved'; row(contact, o, 'bot', t, false, -1); open.delete(contact); }
        break;
      }
      case 'abandon': {
        const o = open.get(contact);
        if (o) { row(contact, o, 'abandoned', t, true, -1); open.delete(contact); }
        break;
      }
      case 'retry': {
        const o = open.get(contact);
        if (o) {
          row(contact, o, 'retried', t, true, -1);
          // the next attempt: the same contact, offered again after its retrial delay
          open.set(contact, { arrival: NaN, offered: NaN, answered: NaN, queue: o.queue, pool: -1, agent: -1, order: o.order, attempt: o.attempt + 1, bot: 'none' });
        }
        break;
      }
      case 'order':
        writeOrder?.(`${orderId(contact)},${at(t)}\n`);
        break;
      default:
        break; // agent events
    }
  };
  return {
    sink,
    end(t: number) {
      // still in the system at the horizon's end (a retrial not yet back has no row)
      for (const [serial, o] of [...open].sort((a, b) => a[0] - b[0])) if (!Number.isNaN(o.arrival)) row(serial, o, 'open', t, false, -1);
      open.clear();
    },
    rows: () => rows,
  };
}

/** Runs replication `rep` of the scenario on this thread with the log's sink, writing through `write`. */
export async function writeContactLog(s: Scenario, rep: number, write: (line: string) => void, writeOrder?: (line: string) => void): Promise<number> {
  const { compile } = await import('../model/compile.js');
  const { makeLayout, runReplication } = await import('../model/replication.js');
  const log = contactLogSink(s, write, rep === 0 ? 'c' : `r${rep}c`, writeOrder);
  runReplication(compile(s), makeLayout(s, s.calendar.intervalSec, false, true), s.seed, rep, undefined, log.sink);
  log.end(s.calendar.horizonSec);
  return log.rows();
}
