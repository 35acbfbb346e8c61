// `peakplan fit`: what a contact log says the scenario is. One streamed pass over the log (any
// size: sums are exact, and the samples behind goodness of fit and Kaplan–Meier are bounded
// reservoirs) gives, with intervals at 95%: arrivals per channel and intent (per interval, and as
// a daily shape with a volume), handle times per intent and pool (lognormal or gamma, whichever
// is likelier, with a Kolmogorov–Smirnov line), patience per channel from censored waits
// (exponential MLE and a Kaplan–Meier curve, and a warning when they disagree), the bot's
// resolution share per intent and its time, and the retrial share and delay. docs/fit.md.

import { InputError } from '../errors.js';
import { cellPlace, cellString, readCsv, type CsvHeader, type CsvRow, type CsvSource } from '../scenario/csv.js';
import { censoredExponential, gammaFit, kaplanMeier, kmAt, ksTest, lognormalFit, PositiveSums, Reservoir, wilson, type DistFit } from './estimators.js';

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms and offset (minutes) of a log time: ISO with an optional fraction and offset (else `fallback`). */
export function parseLogTime(text: string, fallback: number | null): { ms: number; off: number } | null {
  const m = TIME_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, z] = m;
  let off: number;
  if (z === undefined) { if (fallback === null) return null; off = fallback; }
  else if (z === 'Z') off = 0;
  else { const sign = z[0] === '-' ? -1 : 1; const dg = z.slice(1).replace(':', ''); off = sign * (Number(dg.slice(0, 2)) * 60 + Number(dg.slice(2))); }
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0) + (frac ? Number(`0.${frac}`) * 1000 : 0) - off * 60000;
  if (!Number.isFinite(ms) || +mo < 1 || +mo > 12 || +d > 31 || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) return null;
  return { ms, off };
}

export interface FitOptions {
  readonly intervalSec: number;
  /** The orders export (order, placed): contacts with an order id become causes of orders. */
  readonly orders?: CsvSource | null;
  /** Log column names for other systems' exports: ours → theirs. */
  readonly columns: Readonly<Record<string, string>>;
  /** The offset of times written without one, minutes (null: they must carry one). */
  readonly offsetMinutes: number | null;
  readonly reservoir?: number;
}

export interface Estimate { readonly mean: number; readonly lo: number; readonly hi: number }

export interface FitResult {
  readonly startMs: number;
  readonly offsetMinutes: number;
  readonly days: number;
  readonly intervalSec: number;
  readonly rows: number;
  readonly intents: string[];
  readonly channels: { name: string; deferred: boolean; patience: null | { exp: Estimate; naiveMean: number; abandoned: number; offered: number; kmMedian: number | null; warning: string | null }; retrial: null | { share: Estimate; delay: Estimate; delayMean: number; n: number; censored: number } }[];
  readonly arrivals: { channel: string; intent: string; total: number; perDay: Estimate; hourly: number[]; perInterval: Float64Array }[];
  readonly handle: { pool: string; intent: string; channel: string; n: number; fit: DistFit; other: DistFit; ks: { d: number; p: number }; mean: Estimate }[];
  readonly bot: null | { channels: string[]; resolve: { intent: string; share: Estimate; n: number }[]; timeMean: number };
  /** Per pool: contacts in service on average in each interval (a lower bound on its agents). */
  readonly busy: { pool: string; channel: string; perInterval: Float64Array }[];
  /** With --orders: the orders' daily shape and volume, and per channel and intent the contacts they cause. */
  readonly orders: null | {
    readonly total: number;
    readonly perDay: Estimate;
    readonly hourly: number[];
    readonly causes: { channel: string; intent: string; perOrder: Estimate; kind: 'lag' | 'lead'; mean: Estimate; contacts: number; orders: number; marginSec: number }[];
  };
  readonly notEstimated: string[];
}

export const REQUIRED = ['arrival', 'channel', 'intent', 'outcome'] as const;
const OUTCOMES = new Set(['answered', 'abandoned', 'retried', 'bot', 'open']);

export function fitLog(src: CsvSource, o: FitOptions): FitResult {
  const name = (c: string) => o.columns[c] ?? c;
  // the orders first (their ids are what the log's order column refers to)
  const placed = new Map<string, number>();
  let orderOffset: number | null = o.offsetMinutes;
  if (o.orders) {
    readCsv(o.orders, ['order', 'placed'], {
      row(t, row) {
        const id = cellString(t, row, 'order').trim();
        const text = cellString(t, row, 'placed');
        const v = parseLogTime(text, orderOffset);
        if (v === null) throw new InputError(`must be a date-time such as 2026-11-11T00:00:12.5+08:00, got '${text}'`, cellPlace(t, row, 'placed'));
        if (orderOffset === null) orderOffset = v.off;
        if (id === '') throw new InputError('is empty', cellPlace(t, row, 'order'));
        if (placed.has(id)) throw new InputError(`order '${id}' is listed twice`, cellPlace(t, row, 'order'));
        placed.set(id, v.ms);
      },
      end(t, n) { if (n === 0) throw new InputError('the orders export has no rows', { file: t.file }); },
    });
  }
  // per channel and intent, the caused contacts binned by the local interval their order was
  // placed in: how many, their total |lag|, and how many came before the order (memory follows the
  // horizon's intervals, not the volume)
  const caused = new Map<string, { channel: string; intent: string; bins: Map<number, { n: number; abs: number }>; before: number; n: number }>();
  let unknownOrders = 0;
  const cap = o.reservoir ?? 200_000;
  let offset = o.offsetMinutes;
  let first = Infinity, last = -Infinity;
  // per channel and intent, first attempts per local interval (since the epoch, at the log's offset)
  const arrivalBins = new Map<string, Map<number, number>>();
  const localBin = (ms: number) => Math.floor((ms + (offset ?? 0) * 60000) / 1000 / o.intervalSec);
  const handle = new Map<string, { pool: string; intent: string; channel: string; sums: PositiveSums; res: Reservoir }>();
  // contacts in service per pool, as (start, end) seconds: summed into intervals after the pass
  const busy = new Map<string, { channel: string; spans: number[] }>();
  const patience = new Map<string, { total: number; abandoned: number; offered: number; naive: number; res: Reservoir }>();
  const retried = new Map<string, { at: number; channel: string }>(); // row id → when it gave up, to retry (for the delay)
  let lastSeen = -Infinity;
  const retrial = new Map<string, { retried: number; gaveUp: number; delay: number; n: number }>();
  const bot = new Map<string, { resolved: number; n: number }>();
  let botTime = 0, botTimes = 0;
  const botChannels = new Set<string>();
  const channels = new Set<string>(), intents = new Set<string>(), deferredLike = new Map<string, boolean>();
  let rows = 0;
  readCsv(src, REQUIRED.map(name), {
    row(t: CsvHeader, row: CsvRow) {
      rows++;
      const col = (c: string) => t.header.indexOf(name(c));
      const get = (c: string) => { const k = col(c); return k >= 0 ? (row.cells[k] ?? '').trim() : ''; };
      const time = (c: string, required: boolean): number | null => {
        const text = get(c);
        if (text === '') { if (required) throw new InputError('is empty', cellPlace(t, row, name(c))); return null; }
        const v = parseLogTime(text, offset);
        if (v === null) throw new InputError(`must be a date-time such as 2026-11-11T00:00:12.5+08:00${offset === null ? ' (with its offset, or give --offset)' : ''}, got '${text}'`, cellPlace(t, row, name(c)));
        if (offset === null) offset = v.off;
        return v.ms;
      };
      const num = (c: string): number | null => {
        const text = get(c);
        if (text === '') return null;
        const v = Number(text);
        if (!Number.isFinite(v) || v < 0) throw new InputError(`must be a number of seconds ≥ 0, got '${text}'`, cellPlace(t, row, name(c)));
        return v;
      };
      const channel = get('channel'), intent = get('intent'), outcome = get('outcome');
      if (channel === '') throw new InputError('is empty', cellPlace(t, row, name('channel')));
      if (intent === '') throw new InputError('is empty', cellPlace(t, row, name('intent')));
      if (!OUTCOMES.has(outcome)) throw new InputError(`must be one of answered, abandoned, retried, bot, open, got '${outcome}'`, cellPlace(t, row, name('outcome')));
      const arrival = time('arrival', true)!;
      const offered = time('offered', false), answered = time('answered', false), abandoned = time('abandoned', false);
      // times in the order a contact lives them
      if (offered !== null && offered < arrival - 1) throw new InputError('is before the arrival', cellPlace(t, row, name('offered')));
      if (answered !== null && (offered === null || answered < offered - 1)) throw new InputError(offered === null ? 'has no offered time before it' : 'is before the offer', cellPlace(t, row, name('answered')));
      if (abandoned !== null && (offered === null || abandoned < offered - 1)) throw new InputError(offered === null ? 'has no offered time before it' : 'is before the offer', cellPlace(t, row, name('abandoned')));
      if ((outcome === 'abandoned' || outcome === 'retried') && abandoned === null) throw new InputError(`outcome '${outcome}' needs an abandoned time`, cellPlace(t, row, name('outcome')));
      if (outcome === 'answered' && answered === null) throw new InputError("outcome 'answered' needs an answered time", cellPlace(t, row, name('outcome')));
      channels.add(channel); intents.add(intent);
      const key = `${channel}\u0000${intent}`;
      const attempt = Number(get('attempt') || '1');
      const retrialOf = get('retrial_of');
      const firstAttempt = retrialOf === '' && attempt <= 1;
      first = Math.min(first, arrival); last = Math.max(last, arrival);
      // with the orders: a first attempt with an order id is a contact the order caused
      const orderId = o.orders ? get('order') : '';
      const placedAt = orderId !== '' ? placed.get(orderId) : undefined;
      if (orderId !== '' && placedAt === undefined) unknownOrders++;
      if (firstAttempt && placedAt !== undefined) {
        const c = caused.get(key) ?? { channel, intent, bins: new Map(), before: 0, n: 0 };
        const lag = (arrival - placedAt) / 1000;
        const b = localBin(placedAt);
        const x = c.bins.get(b) ?? { n: 0, abs: 0 };
        x.n++; x.abs += Math.abs(lag);
        c.bins.set(b, x);
        c.n++;
        if (lag < 0) c.before++;
        caused.set(key, c);
      } else if (firstAttempt) {
        if (!arrivalBins.has(key)) arrivalBins.set(key, new Map());
        const m = arrivalBins.get(key)!, b = localBin(arrival);
        m.set(b, (m.get(b) ?? 0) + 1);
      }
      // the bot
      const b = get('bot');
      if (b === 'resolved' || b === 'escalated') {
        botChannels.add(channel);
        const x = bot.get(intent) ?? { resolved: 0, n: 0 };
        x.n++; if (b === 'resolved') x.resolved++;
        bot.set(intent, x);
        const bs = num('bot_s');
        if (bs !== null) { botTime += bs; botTimes++; }
      }
      // patience: every offered attempt's wait is its patience (abandoned) or a lower bound on it
      if (offered !== null && outcome !== 'open') {
        const end = answered ?? abandoned;
        if (end !== null) {
          const w = (end - offered) / 1000;
          const p = patience.get(channel) ?? { total: 0, abandoned: 0, offered: 0, naive: 0, res: new Reservoir(cap) };
          const gave = abandoned !== null ? 1 : 0;
          p.total += w; p.abandoned += gave; p.offered++; if (gave) p.naive += w;
          p.res.add(w, gave);
          patience.set(channel, p);
        }
      }
      if (answered !== null && abandoned === null) deferredLike.set(channel, (deferredLike.get(channel) ?? true));
      if (abandoned !== null) deferredLike.set(channel, false);
      // retrials
      const id = get('contact') !== '' ? `${get('contact')}/${attempt}` : '';
      lastSeen = Math.max(lastSeen, arrival, offered ?? -Infinity, answered ?? -Infinity, abandoned ?? -Infinity);
      if (outcome === 'retried' && id !== '') retried.set(id, { at: abandoned!, channel });
      if (outcome === 'retried' || outcome === 'abandoned') {
        const r = retrial.get(channel) ?? { retried: 0, gaveUp: 0, delay: 0, n: 0 };
        if (outcome === 'retried') r.retried++; else r.gaveUp++;
        retrial.set(channel, r);
      }
      if (retrialOf !== '' && retried.has(retrialOf) && offered !== null) {
        const r = retrial.get(channel) ?? { retried: 0, gaveUp: 0, delay: 0, n: 0 };
        r.delay += (offered - retried.get(retrialOf)!.at) / 1000; r.n++;
        retrial.set(channel, r);
        retried.delete(retrialOf);
      }
      // handle times
      const h = num('handle_s');
      const pool = get('pool');
      if (outcome === 'answered' && h !== null && h > 0 && pool !== '') {
        const k = `${pool}\u0000${intent}`;
        const x = handle.get(k) ?? { pool, intent, channel, sums: new PositiveSums(), res: new Reservoir(cap) };
        x.sums.add(h); x.res.add(h);
        handle.set(k, x);
        const b = busy.get(pool) ?? { channel, spans: [] };
        b.spans.push(answered!, answered! + h * 1000);
        busy.set(pool, b);
      }
    },
    end(t, n) {
      if (n === 0) throw new InputError('the log has no rows', { file: t.file });
    },
  });
  // retrials not back by the log's end: their delay is censored there (else the mean is biased low)
  const censored = new Map<string, { time: number; n: number }>();
  for (const { at, channel } of retried.values()) {
    const c = censored.get(channel) ?? { time: 0, n: 0 };
    c.time += Math.max(0, lastSeen - at) / 1000; c.n++;
    censored.set(channel, c);
  }
  const off = offset ?? 0;
  const iv = o.intervalSec;
  // the calendar: from the local midnight of the first arrival, whole days to the last
  const localFirst = first + off * 60000;
  const startMs = Math.floor(localFirst / 86400000) * 86400000 - off * 60000;
  const days = Math.max(1, Math.ceil((last + 1 - startMs) / 86400000));
  const nIv = (days * 86400) / iv;
  const notEstimated: string[] = [];
  const bin0 = Math.round((startMs + off * 60000) / 1000 / iv); // the fitted calendar's first interval
  const arrivalsOut = [...arrivalBins].map(([key, bins]) => {
    const [channel, intent] = key.split('\u0000');
    const perInterval = new Float64Array(nIv);
    const hourly = new Array(24).fill(0);
    let total = 0;
    for (const [b, n] of bins) {
      const k = b - bin0;
      if (k >= 0 && k < nIv) perInterval[k] += n;
      hourly[Math.floor((((k * iv) % 86400) + 86400) % 86400 / 3600)] += n;
      total += n;
    }
    const mean = total / days, half = (1.96 * Math.sqrt(total)) / days;
    return { channel, intent, total, perDay: { mean, lo: Math.max(0, mean - half), hi: mean + half }, hourly: hourly.map((x) => (total > 0 ? (24 * x) / total : 0)), perInterval };
  }).sort((a, b) => (a.channel + a.intent < b.channel + b.intent ? -1 : 1));
  const handleOut = [...handle.values()].map((x) => {
    const ln = lognormalFit(x.sums), ga = gammaFit(x.sums);
    const fit = ln.logLik >= ga.logLik ? ln : ga, other = fit === ln ? ga : ln;
    const sorted = Float64Array.from(x.res.xs).sort();
    const n = x.sums.n, mean = x.sums.sum / n, sd = Math.sqrt(Math.max(0, (x.sums.sum2 - n * mean * mean) / Math.max(1, n - 1)));
    const half = (1.96 * sd) / Math.sqrt(n);
    return { pool: x.pool, intent: x.intent, channel: x.channel, n, fit, other, ks: ksTest(sorted, fit.cdf), mean: { mean, lo: mean - half, hi: mean + half } };
  }).sort((a, b) => (a.pool + a.intent < b.pool + b.intent ? -1 : 1));
  const channelsOut = [...channels].sort().map((ch) => {
    const p = patience.get(ch);
    const deferred = (deferredLike.get(ch) ?? false) && (p?.abandoned ?? 0) === 0;
    let pat: FitResult['channels'][number]['patience'] = null;
    if (p && p.abandoned > 0) {
      const exp = censoredExponential(p.total, p.abandoned);
      const km = kaplanMeier(Float64Array.from(p.res.xs), Uint8Array.from(p.res.flags));
      // the exponential's median against the curve's value there
      const tMed = exp.mean * Math.LN2;
      const at = kmAt(km, tMed);
      const kmMedianIdx = km.s.findIndex((v) => v <= 0.5);
      const disagree = at.se > 0 && Math.abs(at.s - 0.5) > 1.96 * at.se + 0.02;
      pat = {
        exp, naiveMean: p.naive / p.abandoned, abandoned: p.abandoned, offered: p.offered,
        kmMedian: kmMedianIdx >= 0 ? km.t[kmMedianIdx] : null,
        warning: disagree ? `the exponential puts half the patience below ${tMed.toFixed(1)} s, but the Kaplan–Meier curve has ${(100 * (1 - at.s)).toFixed(1)}% there (±${(196 * at.se).toFixed(1)} points): patience is not exponential` : null,
      };
    } else if (p && !deferred) notEstimated.push(`patience on ${ch}: no contact abandoned (${p.offered} offered) — every wait is censored; the mean is above ${(p.total / Math.max(1, p.offered)).toFixed(1)} s at least`);
    const r = retrial.get(ch);
    let ret: FitResult['channels'][number]['retrial'] = null;
    if (r && r.retried + r.gaveUp > 0 && r.retried > 0) {
      const w = wilson(r.retried, r.retried + r.gaveUp);
      const cz = censored.get(ch) ?? { time: 0, n: 0 };
      // exponential delay from the linked retrials and those censored at the log's end
      const d = censoredExponential(r.delay + cz.time, r.n);
      ret = { share: { mean: w.share, lo: w.lo, hi: w.hi }, delay: d, delayMean: d.mean, n: r.n, censored: cz.n };
      if (r.n === 0) notEstimated.push(`retrial delay on ${ch}: no retrial was linked to its abandoned attempt (contact, attempt, retrial_of columns)`);
    }
    return { name: ch, deferred, patience: pat, retrial: ret };
  });
  const botOut = botChannels.size === 0 ? null : {
    channels: [...botChannels].sort(),
    resolve: [...bot].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([intent, x]) => { const w = wilson(x.resolved, x.n); return { intent, share: { mean: w.share, lo: w.lo, hi: w.hi }, n: x.n }; }),
    timeMean: botTimes > 0 ? botTime / botTimes : NaN,
  };
  if (handleOut.length === 0) notEstimated.push('handle times: no answered contact with handle_s and pool');
  // ---- orders: their shape, and what they cause ----
  let ordersOut: FitResult['orders'] = null;
  if (o.orders) {
    if (unknownOrders > 0) notEstimated.push(`${unknownOrders} contact(s) name an order the orders export does not have: counted as demand`);
    const orderBins = new Map<number, number>();
    let loMs = Infinity, hiMs = -Infinity;
    for (const t of placed.values()) {
      const b = localBin(t);
      orderBins.set(b, (orderBins.get(b) ?? 0) + 1);
      loMs = Math.min(loMs, t); hiMs = Math.max(hiMs, t);
    }
    const lo = localBin(loMs), hi = localBin(hiMs);
    const hourly = new Array(24).fill(0);
    for (const [b, n] of orderBins) hourly[Math.floor(((((b - bin0) * iv) % 86400) + 86400) % 86400 / 3600)] += n;
    const total = placed.size;
    const pd = total / days, ph = (1.96 * Math.sqrt(total)) / days;
    const causes = [...caused.values()].sort((a, b) => (a.channel + a.intent < b.channel + b.intent ? -1 : 1)).map((c) => {
      // lead (asked before ordering) or lag (after), by the median's sign
      const kind: 'lag' | 'lead' = c.before * 2 > c.n ? 'lead' : 'lag';
      let sumAbs = 0;
      for (const x of c.bins.values()) sumAbs += x.abs;
      const m0 = sumAbs / c.n;
      // orders near the log's edges lose contacts outside it: count only the orders placed more
      // than 8 mean lags inside (e^-8 of their contacts fall outside), and their contacts
      const marginBins = Math.ceil((8 * m0) / iv);
      const from = kind === 'lead' ? lo + marginBins : lo, to = kind === 'lag' ? hi - marginBins : hi;
      let n = 0, k = 0, abs = 0;
      for (const [b, m] of orderBins) if (b >= from && b <= to) n += m;
      for (const [b, x] of c.bins) if (b >= from && b <= to) { k += x.n; abs += x.abs; }
      const margin = marginBins * iv * 1000;
      if (n === 0 || k === 0) {
        notEstimated.push(`contacts per order for ${c.channel}/${c.intent}: the log is too short for its ${kind} (${(m0 / 3600).toFixed(1)} h on average) — no order lies 8 of them inside it`);
        return null;
      }
      const per = k / n, perHalf = (1.96 * Math.sqrt(k)) / n;
      const e = censoredExponential(abs, k);
      return { channel: c.channel, intent: c.intent, perOrder: { mean: per, lo: Math.max(0, per - perHalf), hi: per + perHalf }, kind, mean: e, contacts: k, orders: n, marginSec: margin / 1000 };
    }).filter((x): x is NonNullable<typeof x> => x !== null);
    ordersOut = { total, perDay: { mean: pd, lo: Math.max(0, pd - ph), hi: pd + ph }, hourly: hourly.map((x) => (total > 0 ? (24 * x) / total : 0)), causes };
  }
  if (botOut !== null && !(botTimes > 0)) notEstimated.push('bot time: no bot_s column');
  const busyOut = [...busy].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([pool, b]) => {
    const per = new Float64Array(nIv);
    for (let k = 0; k < b.spans.length; k += 2) {
      const a0 = (b.spans[k] - startMs) / 1000, a1 = (b.spans[k + 1] - startMs) / 1000;
      for (let i = Math.max(0, Math.floor(a0 / iv)); i < Math.min(nIv, Math.ceil(a1 / iv)); i++) per[i] += Math.max(0, Math.min(a1, (i + 1) * iv) - Math.max(a0, i * iv)) / iv;
    }
    return { pool, channel: b.channel, perInterval: per };
  });
  return { orders: ordersOut, busy: busyOut, startMs, offsetMinutes: off, days, intervalSec: iv, rows, intents: [...intents].sort(), channels: channelsOut, arrivals: arrivalsOut, handle: handleOut, bot: botOut, notEstimated };
}

const dur = (sec: number) => (sec >= 1 ? `${Number(sec.toPrecision(4))}s` : `${Math.max(1, Math.round(sec * 1000))}ms`);
const r4 = (x: number) => Number(x.toPrecision(4));

/** The scenario the log describes, as YAML: valid on its own; pools' staffing is a lower bound to replace with a plan. */
export function fittedScenarioYaml(f: FitResult, from: string, curvesFile: string | null): string {
  const sign = f.offsetMinutes < 0 ? '-' : '+', a = Math.abs(f.offsetMinutes);
  const offText = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  const start = new Date(f.startMs + f.offsetMinutes * 60000).toISOString().slice(0, 16) + offText;
  const q = (x: string) => JSON.stringify(x);
  const out: string[] = [];
  out.push(`# Fitted by peakplan fit from ${from}: every value below is an estimate (peakplan fit prints`);
  out.push('# their 95% intervals). The pools\' staffing is what the log shows busy, a lower bound: plan it.');
  out.push(`name: ${q(`fitted from ${from}`)}`);
  out.push('seed: 1');
  out.push('replications: 10');
  out.push(`calendar: { start: ${start}, horizon: ${f.days}d, interval: ${f.intervalSec / 60}m }`);
  out.push(`intents: [${f.intents.map(q).join(', ')}]`);
  out.push('channels:');
  for (const c of f.channels) {
    const parts: string[] = [];
    if (c.deferred) parts.push('deferred: true');
    else parts.push(c.patience ? `patience: { exponential: ${dur(c.patience.exp.mean)} }` : 'patience: none');
    if (c.retrial && Number.isFinite(c.retrial.delayMean)) parts.push(`retrial: { probability: ${r4(c.retrial.share.mean)}, delay: { exponential: ${dur(c.retrial.delayMean)} } }`);
    out.push(`  ${q(c.name)}: { ${parts.join(', ')} }`);
  }
  if (f.bot) {
    out.push(`bot: { channels: [${f.bot.channels.map(q).join(', ')}], resolve: { ${f.bot.resolve.map((x) => `${q(x.intent)}: ${r4(x.share.mean)}`).join(', ')} }, time: { exponential: ${dur(Number.isFinite(f.bot.timeMean) ? f.bot.timeMean : 30)} } }`);
  }
  if (f.orders) {
    const od = f.orders;
    out.push('orders:');
    out.push(`  curve: { shape: daily, perDay: ${r4(od.perDay.mean)}, hourly: [${od.hourly.map((h) => r4(h)).join(', ')}] }`);
    out.push('  categories: { all: { share: 1, returnRate: 0 } }');
    if (od.causes.length > 0) {
      out.push('  causes:');
      for (const c of od.causes) out.push(`    - { channel: ${q(c.channel)}, intent: ${q(c.intent)}, perOrder: ${r4(c.perOrder.mean)}, ${c.kind}: { exponential: ${dur(c.mean.mean)} } }`);
    }
  }
  out.push('demand:');
  for (const x of f.arrivals) {
    const curve = curvesFile !== null
      ? `{ csv: ${q(curvesFile)}, column: ${q(`${x.channel}/${x.intent}`)} }`
      : `{ shape: daily, perDay: ${r4(x.perDay.mean)}, hourly: [${x.hourly.map((h) => r4(h)).join(', ')}] }`;
    out.push(`  - { channel: ${q(x.channel)}, intent: ${q(x.intent)}, curve: ${curve} }`);
  }
  out.push('pools:');
  for (const b of f.busy) {
    const hs = f.handle.filter((h) => h.pool === b.pool);
    out.push(`  - name: ${q(b.pool)}`);
    out.push(`    channel: ${q(b.channel)}`);
    out.push(`    skills: [${hs.map((h) => q(h.intent)).join(', ')}]`);
    out.push('    handleTime:');
    for (const h of hs) out.push(`      ${q(h.intent)}: { ${h.fit.kind}: { mean: ${dur(h.fit.mean)}, cv: ${r4(Math.max(0.01, h.fit.cv))} } }`);
    out.push(`    staffing: [${Array.from(b.perInterval, (v) => Math.max(1, Math.ceil(v - 1e-9))).join(', ')}]`);
  }
  return out.join('\n') + '\n';
}

/** The per-interval arrivals as a curve CSV: interval_start and a column per channel/intent. */
export function curvesCsv(f: FitResult): string {
  const sign = f.offsetMinutes < 0 ? '-' : '+', a = Math.abs(f.offsetMinutes);
  const offText = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  const head = ['interval_start', ...f.arrivals.map((x) => `${x.channel}/${x.intent}`)];
  const lines = [head.map((h) => (/[",\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(',')];
  const n = f.arrivals[0]?.perInterval.length ?? 0;
  for (let i = 0; i < n; i++) {
    const t = new Date(f.startMs + i * f.intervalSec * 1000 + f.offsetMinutes * 60000).toISOString().slice(0, 16) + offText;
    lines.push([t, ...f.arrivals.map((x) => String(x.perInterval[i]))].join(','));
  }
  return lines.join('\n') + '\n';
}
