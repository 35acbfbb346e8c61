// `peakplan fit contacts.csv`: the scenario a contact log describes (src/fit/fit.ts). Prints the
// estimates with their 95% intervals and what could not be estimated; --out writes the fitted
// scenario (YAML, valid on its own), --curves-out the per-interval arrivals it then refers to,
// --json the estimates for programs. Exit 0, or 2 on a bad log (located, nothing written).

import Table from 'cli-table3';
import { UsageError } from '../errors.js';
import { curvesCsv, fitLog, fittedScenarioYaml, REQUIRED, type FitResult } from '../fit/fit.js';
import { jsonText } from '../report/json.js';
import { openUserFile } from '../scenario/load.js';
import { checkOutputPath, colourFor, writeFileAtomic } from './io.js';
import { durationOption } from './options.js';
import type { CommandContext } from './context.js';

export interface FitCliOptions {
  orders?: string;
  out?: string;
  curvesOut?: string;
  interval?: string;
  columns?: string;
  offset?: string;
  json?: boolean;
}

const plain = { head: [], border: [] };
const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
const f3 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toLocaleString('en-US') : '–');
const ci = (e: { lo: number; hi: number }, f = f3) => `[${f(e.lo)}, ${f(e.hi)}]`;
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');

export async function fitCommand(file: string, opts: FitCliOptions, ctx: CommandContext): Promise<number> {
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  if (opts.curvesOut !== undefined) checkOutputPath(opts.curvesOut, '--curves-out');
  if (opts.curvesOut !== undefined && opts.out === undefined) throw new UsageError('--curves-out goes with --out (the scenario refers to it)', { path: '--curves-out' });
  const intervalSec = opts.interval !== undefined ? durationOption(opts.interval, '--interval', 300, 86400) : 1800;
  if (86400 % intervalSec !== 0) throw new UsageError('must divide a day, e.g. 15m, 30m or 1h', { path: '--interval' });
  const columns: Record<string, string> = {};
  for (const part of (opts.columns ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const m = /^([a-z_]+)=(.+)$/.exec(part);
    if (!m) throw new UsageError(`each mapping is ours=theirs, e.g. arrival=created_at, got '${part}'`, { path: '--columns' });
    columns[m[1]] = m[2];
  }
  let offsetMinutes: number | null = null;
  if (opts.offset !== undefined) {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(opts.offset.trim());
    if (!m) throw new UsageError(`must be a UTC offset such as +08:00, got '${opts.offset}'`, { path: '--offset' });
    offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  const f = fitLog(openUserFile(file), { intervalSec, columns, offsetMinutes, orders: opts.orders !== undefined ? openUserFile(opts.orders) : null });
  if (opts.out !== undefined) {
    if (opts.curvesOut !== undefined) writeFileAtomic(opts.curvesOut, curvesCsv(f));
    writeFileAtomic(opts.out, fittedScenarioYaml(f, file, opts.curvesOut ?? null));
  }
  if (opts.json) {
    ctx.stdout(jsonText({ tool: 'peakplan', kind: 'fit', version: ctx.version, file, ...jsonOf(f) }));
  } else {
    ctx.stdout(renderFit(f, file, colourFor(process.stdout)));
    for (const x of [opts.curvesOut, opts.out]) if (x !== undefined) ctx.stdout(`wrote ${x}\n`);
  }
  return 0;
}

function jsonOf(f: FitResult) {
  return {
    rows: f.rows, days: f.days, intervalSec: f.intervalSec, intents: f.intents,
    arrivals: f.arrivals.map((x) => ({ channel: x.channel, intent: x.intent, total: x.total, perDay: x.perDay, hourly: x.hourly })),
    handle: f.handle.map((h) => ({ pool: h.pool, intent: h.intent, n: h.n, mean: h.mean, distribution: { kind: h.fit.kind, mean: h.fit.mean, cv: h.fit.cv, logLik: h.fit.logLik }, alternative: { kind: h.other.kind, mean: h.other.mean, cv: h.other.cv, logLik: h.other.logLik }, ks: h.ks })),
    channels: f.channels.map((c) => ({ channel: c.name, deferred: c.deferred, patience: c.patience && { exponentialMean: c.patience.exp, naiveMean: c.patience.naiveMean, abandoned: c.patience.abandoned, offered: c.patience.offered, kaplanMeierMedian: c.patience.kmMedian, warning: c.patience.warning }, retrial: c.retrial })),
    bot: f.bot, orders: f.orders, notEstimated: f.notEstimated,
  };
}

function renderFit(f: FitResult, file: string, c: ReturnType<typeof colourFor>): string {
  const out: string[] = [`peakplan fit — ${file}: ${f.rows.toLocaleString('en-US')} rows over ${f.days} day${f.days === 1 ? '' : 's'}; intervals are 95%`];
  const a = new Table({ head: ['channel', 'intent', 'arrivals', 'per day', 'interval'], style: plain, chars });
  for (const x of f.arrivals) a.push([x.channel, x.intent, x.total.toLocaleString('en-US'), f3(x.perDay.mean), ci(x.perDay)]);
  out.push('', c.bold('Arrivals') + ' (first attempts; a daily shape with this volume, or --curves-out per interval)', a.toString());
  if (f.handle.length > 0) {
    const h = new Table({ head: ['pool', 'intent', 'n', 'mean (s)', 'interval', 'distribution', 'cv', 'KS D', 'KS p', 'log-lik vs other'], style: plain, chars });
    for (const x of f.handle) h.push([x.pool, x.intent, String(x.n), f3(x.mean.mean), ci(x.mean), x.fit.kind, f3(x.fit.cv), f3(x.ks.d), f3(x.ks.p), `${f3(x.fit.logLik - x.other.logLik)} over ${x.other.kind}`]);
    out.push('', c.bold('Handle times') + ' (maximum likelihood; the likelier of lognormal and gamma; Kolmogorov–Smirnov against it)', h.toString());
  }
  const p = new Table({ head: ['channel', 'offered', 'abandoned', 'patience mean (s)', 'interval', 'naive mean (s)', 'Kaplan–Meier median (s)'], style: plain, chars });
  for (const x of f.channels) if (x.patience) p.push([x.name, String(x.patience.offered), String(x.patience.abandoned), f3(x.patience.exp.mean), ci(x.patience.exp), f3(x.patience.naiveMean), x.patience.kmMedian === null ? 'not reached' : f3(x.patience.kmMedian)]);
  out.push('', c.bold('Patience') + ' (censored: an answered contact\'s wait is a lower bound on its patience; exponential MLE = time waited ÷ abandonments; the naive mean of abandoners\' waits is biased low)', p.toString());
  for (const x of f.channels) if (x.patience?.warning) out.push(c.yellow(`warning: ${x.name}: ${x.patience.warning}`));
  const r = f.channels.filter((x) => x.retrial);
  if (r.length > 0) {
    const t = new Table({ head: ['channel', 'share of abandoned who retry', 'interval', 'mean delay (s)', 'interval', 'retrials linked', 'not back by the end'], style: plain, chars });
    for (const x of r) t.push([x.name, pct(x.retrial!.share.mean), ci(x.retrial!.share, pct), f3(x.retrial!.delayMean), ci(x.retrial!.delay), String(x.retrial!.n), String(x.retrial!.censored)]);
    out.push('', c.bold('Retrials'), t.toString());
  }
  if (f.bot) {
    const b = new Table({ head: ['intent', 'on the bot', 'resolved by it', 'interval'], style: plain, chars });
    for (const x of f.bot.resolve) b.push([x.intent, String(x.n), pct(x.share.mean), ci(x.share, pct)]);
    out.push('', c.bold('Bot') + ` on ${f.bot.channels.join(', ')} (mean time in the bot ${f3(f.bot.timeMean)} s)`, b.toString());
  }
  if (f.orders) {
    const o = new Table({ head: ['channel', 'intent', 'per order', 'interval', 'lag or lead', 'mean (h)', 'interval', 'contacts', 'orders counted'], style: plain, chars });
    for (const x of f.orders.causes) o.push([x.channel, x.intent, f3(x.perOrder.mean), ci(x.perOrder), x.kind, f3(x.mean.mean / 3600), ci({ lo: x.mean.lo / 3600, hi: x.mean.hi / 3600 }), String(x.contacts), String(x.orders)]);
    out.push('', c.bold('Orders') + ` (${f.orders.total.toLocaleString('en-US')}: ${f3(f.orders.perDay.mean)} a day ${ci(f.orders.perDay)}) and the contacts they cause (orders within 8 mean lags of the log's edges are left out: their contacts fall partly outside it)`, o.toString());
  }
  if (f.notEstimated.length > 0) {
    out.push('', c.bold('Not estimated'));
    for (const x of f.notEstimated) out.push(`  ${x}`);
  }
  out.push('', c.dim(`Columns read: ${REQUIRED.join(', ')} (required), contact, attempt, retrial_of, bot, bot_s, offered, answered, abandoned, wait_s, handle_s, pool; --columns ours=theirs maps another export's names (docs/fit.md).`));
  return out.join('\n') + '\n';
}
