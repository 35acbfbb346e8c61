// The per-contact log and `peakplan fit` (issue 16): the log agrees with the replication it
// records; fitting the log of a scenario with known parameters recovers every one of them within
// its reported interval; the censored patience estimator is right where the naive mean of the
// abandoners' waits is far off; another export's column names map; bad logs are refused, located.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalQuantile } from '../src/fit/estimators.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
const FIXTURE = 'fixtures/fit/known.yaml';

describe('simulate --log and peakplan fit on a scenario with known parameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-fit-'));
  const log = join(dir, 'contacts.csv');
  let sim: any, fit: any, rows: Record<string, string>[];
  beforeAll(() => {
    const s = run(['simulate', FIXTURE, '--log', log, '--json']);
    expect(s.status, s.stderr).toBe(0);
    sim = JSON.parse(s.stdout);
    const f = run(['fit', log, '--json']);
    expect(f.status, f.stderr).toBe(0);
    fit = JSON.parse(f.stdout);
    rows = parse(readFileSync(log, 'utf8'), { columns: true });
  }, 60_000);

  it('the log is the replication: arrivals, bot-resolved, offered, answered and abandoned add up to its counts', () => {
    expect(Object.keys(rows[0])).toEqual(['contact', 'attempt', 'retrial_of', 'arrival', 'channel', 'intent', 'vip', 'bot', 'bot_s', 'offered', 'answered', 'abandoned', 'outcome', 'wait_s', 'handle_s', 'pool', 'agent', 'order']);
    for (const c of sim.channels) {
      const mine = rows.filter((r) => r.channel === c.channel);
      expect(mine.filter((r) => r.attempt === '1').length, `${c.channel} arrivals`).toBe(c.stats.arrivals.mean);
      expect(mine.filter((r) => r.outcome === 'bot').length, `${c.channel} bot`).toBe(c.stats.botResolved.mean);
      expect(mine.filter((r) => r.offered !== '').length, `${c.channel} offered`).toBe(c.stats.offered.mean);
      expect(mine.filter((r) => r.answered !== '').length, `${c.channel} answered`).toBe(c.stats.answered.mean);
      expect(mine.filter((r) => r.abandoned !== '').length, `${c.channel} abandoned`).toBe(c.stats.abandoned.mean);
    }
    // every retrial points at the attempt it retries, which retried
    const byId = new Map(rows.map((r) => [`${r.contact}/${r.attempt}`, r]));
    for (const r of rows.filter((x) => x.retrial_of !== '')) expect(byId.get(r.retrial_of)?.outcome).toBe('retried');
  });

  it('recovers every parameter within its reported 95% interval, widened for the twelve at once (Bonferroni)', () => {
    // each interval is reported at 95%; twelve are checked together, so each is widened to
    // 1 − 0.05/12 about its centre — a fixed seed then fails with probability at most 5%
    const widen = normalQuantile(1 - 0.05 / 24) / normalQuantile(0.975);
    const within = (what: string, e: { lo: number; hi: number }, truth: number) => {
      const mid = (e.lo + e.hi) / 2, half = ((e.hi - e.lo) / 2) * widen;
      expect(Math.abs(truth - mid), `${what}: ${truth} against [${e.lo}, ${e.hi}]`).toBeLessThanOrEqual(half);
    };
    const arrivals = (ch: string, intent: string) => fit.arrivals.find((x: any) => x.channel === ch && x.intent === intent).perDay;
    within('chat presale per day', arrivals('chat', 'presale'), 4000);
    within('chat logistics per day', arrivals('chat', 'logistics'), 2000);
    within('phone presale per day', arrivals('phone', 'presale'), 2500);
    const handle = (pool: string, intent: string) => fit.handle.find((x: any) => x.pool === pool && x.intent === intent);
    within('chat presale handle', handle('chat_team', 'presale').mean, 300);
    within('chat logistics handle', handle('chat_team', 'logistics').mean, 180);
    within('phone handle', handle('phone_team', 'presale').mean, 240);
    // and the likelier family is the one simulated (exponential is gamma with shape 1)
    expect(handle('chat_team', 'presale').distribution.kind).toBe('lognormal');
    expect(handle('chat_team', 'logistics').distribution.kind).toBe('gamma');
    expect(handle('phone_team', 'presale').distribution.kind).toBe('gamma');
    const ch = (name: string) => fit.channels.find((x: any) => x.channel === name);
    within('phone patience', ch('phone').patience.exponentialMean, 180);
    within('chat patience', ch('chat').patience.exponentialMean, 240);
    const bot = (intent: string) => fit.bot.resolve.find((x: any) => x.intent === intent).share;
    within('bot presale', bot('presale'), 0.6);
    within('bot logistics', bot('logistics'), 0.75);
    within('retrial share', ch('phone').retrial.share, 0.3);
    within('retrial delay', ch('phone').retrial.delay, 600);
  });

  it('naive patience (the mean of the abandoners\' waits) is visibly biased; the censored estimate is not', () => {
    const p = fit.channels.find((x: any) => x.channel === 'phone').patience;
    // the impatient abandon first: their waits are far below the patience of everyone
    expect(p.naiveMean).toBeLessThan(180 / 2);
    expect(p.naiveMean).toBeLessThan(p.exponentialMean.lo);
    expect(p.exponentialMean.lo).toBeLessThan(180 * 1.1);
    expect(p.exponentialMean.hi).toBeGreaterThan(180 * 0.9);
    // exponential patience: no warning from Kaplan–Meier
    expect(p.warning).toBeNull();
  });

  it('writes a fitted scenario that peakplan loads, and another export\'s column names map onto the log\'s', () => {
    const out = join(dir, 'fitted.yaml'), curves = join(dir, 'curves.csv');
    const f = run(['fit', log, '--out', out, '--curves-out', curves]);
    expect(f.status, f.stderr).toBe(0);
    const v = run(['validate', out, '-q']);
    expect(v.status, v.stderr).toBe(0);
    expect(readFileSync(curves, 'utf8').split('\n')[0]).toBe('interval_start,chat/logistics,chat/presale,phone/presale');
    // the same log with another system's names
    const text = readFileSync(log, 'utf8').replace(/^contact,attempt,retrial_of,arrival,channel,/, 'ticket_id,attempt,retrial_of,created_at,queue,');
    const other = join(dir, 'export.csv');
    writeFileSync(other, text);
    const g = run(['fit', other, '--json', '--columns', 'contact=ticket_id,arrival=created_at,channel=queue']);
    expect(g.status, g.stderr).toBe(0);
    const gj = JSON.parse(g.stdout);
    expect(gj.arrivals).toEqual(fit.arrivals);
    expect(gj.channels).toEqual(fit.channels);
  });
});

describe('fit --orders: the contacts orders cause, per order and with their lead or lag', () => {
  it('recovers the causes of fixtures/fit/orders.yaml within their intervals (five at once, Bonferroni), and the demand of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peakplan-fit-orders-'));
    const log = join(dir, 'contacts.csv'), orders = join(dir, 'orders.csv'), out = join(dir, 'fitted.yaml');
    const s = run(['simulate', 'fixtures/fit/orders.yaml', '--log', log, '--orders-log', orders]);
    expect(s.status, s.stderr).toBe(0);
    const lines = readFileSync(orders, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('order,placed');
    // every order id in the log is in the orders log, placed before (lag) or after (lead) the contact
    const ids = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    const rows: Record<string, string>[] = parse(readFileSync(log, 'utf8'), { columns: true });
    const withOrder = rows.filter((r) => r.order !== '');
    expect(withOrder.length).toBeGreaterThan(1000);
    for (const r of withOrder) expect(ids.has(r.order), r.order).toBe(true);
    const f = run(['fit', log, '--orders', orders, '--json', '--out', out]);
    expect(f.status, f.stderr).toBe(0);
    expect(run(['validate', out, '-q']).status).toBe(0);
    const j = JSON.parse(f.stdout);
    const widen = normalQuantile(1 - 0.05 / 10) / normalQuantile(0.975);
    const within = (what: string, e: { lo: number; hi: number }, truth: number) => {
      const mid = (e.lo + e.hi) / 2, half = ((e.hi - e.lo) / 2) * widen;
      expect(Math.abs(truth - mid), `${what}: ${truth} against [${e.lo}, ${e.hi}]`).toBeLessThanOrEqual(half);
    };
    const cause = (intent: string) => j.orders.causes.find((c: any) => c.intent === intent);
    expect(cause('presale').kind).toBe('lead');
    expect(cause('logistics').kind).toBe('lag');
    within('presale per order', cause('presale').perOrder, 0.25);
    within('presale lead', cause('presale').mean, 7200);
    within('logistics per order', cause('logistics').perOrder, 0.15);
    within('logistics lag', cause('logistics').mean, 21600);
    // the presale contacts no order caused are the demand of its own, 1,000 a day
    within('presale demand', j.arrivals.find((a: any) => a.intent === 'presale').perDay, 1000);
    expect(j.arrivals.some((a: any) => a.intent === 'logistics')).toBe(false);
  });
});

describe('bad logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-badlog-'));
  const head = 'contact,attempt,retrial_of,arrival,channel,intent,vip,bot,bot_s,offered,answered,abandoned,outcome,wait_s,handle_s,pool,agent,order';
  it.each([
    ['contact,arrival,channel,intent\nc1,2026-11-09T00:00:01+08:00,chat,presale\n', /outcome/],
    [`${head}\nc1,1,,2026-11-09T00:00:01+08:00,chat,presale,0,none,,2026-11-09T00:00:01+08:00,2026-11-09T00:00:00+08:00,,answered,,60,desk,1,\n`, /:2:\d+: answered: is before the offer$/],
    [`${head}\nc1,1,,2026-11-09T00:00:01+08:00,chat,presale,0,none,,,,,gone,,,,,\n`, /:2:\d+: outcome: must be one of answered, abandoned, retried, bot, open, got 'gone'$/],
    [`${head}\nc1,1,,yesterday,chat,presale,0,none,,,,,bot,,,,,\n`, /:2:\d+: arrival: must be a date-time such as .*got 'yesterday'$/],
    [`${head}\n`, /the log has no rows$/],
  ])('is refused with one located line, exit 2, nothing written (%#)', (text, message) => {
    const file = join(dir, `log-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, text);
    const out = join(dir, 'never.yaml');
    const r = run(['fit', file, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
