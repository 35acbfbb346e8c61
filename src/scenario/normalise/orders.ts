// The order-flow sections: orders (curve, categories, the questions they cause before and after),
// logistics (dispatch capacity and cutoff, transit and congestion, the promise, where-is-my-order),
// returns (lag, after-sales ticket, chat, refund) and complaints (what causes them). Each needs
// the one before it, as the order flow does.

import type { RawScenario } from '../schema.js';
import { formatDuration, parseClock } from '../time.js';
import type { Calendar, Complaints, Logistics, OrderCategory, OrderCause, Orders, Returns } from '../types.js';
import { channelIntent, type Names } from './channels.js';
import { curve } from './demand-curves.js';
import { distribution, dur, fail, indexOfName, type FileAccess, type PathSeg } from './helpers.js';

export function ordersSection(raw: RawScenario, n: Names, cal: Calendar, files: FileAccess): Orders | null {
  let orders: Orders | null = null;
  if (raw.orders) {
    const o = raw.orders;
    const catNames = Object.keys(o.categories);
    if (catNames.length === 0) fail(['orders', 'categories'], 'needs at least one category, e.g. { apparel: { share: 1, returnRate: 0.2 } }');
    const totalShare = catNames.reduce((a, c) => a + o.categories[c].share, 0);
    const categories: OrderCategory[] = catNames.map((name) => ({ name, share: o.categories[name].share / totalShare, returnRate: o.categories[name].returnRate ?? 0 }));
    const lookaheadSec = o.lookahead !== undefined ? dur(o.lookahead, ['orders', 'lookahead']) : 3 * 86400;
    const causes: OrderCause[] = (o.causes ?? []).map((c, i) => {
      const p: PathSeg[] = ['orders', 'causes', i];
      const ci = channelIntent(n, c, p);
      if (c.lag !== undefined && c.lead !== undefined) fail(p, 'give lag (after the order) or lead (before it), not both');
      const lag = c.lag !== undefined ? distribution(c.lag, [...p, 'lag']) : null;
      const lead = c.lead !== undefined ? distribution(c.lead, [...p, 'lead']) : null;
      if (lead !== null && lead.quantile(0.999) > lookaheadSec) {
        fail([...p, 'lead'], `its 99.9th percentile (${formatDuration(lead.quantile(0.999))}) is beyond orders.lookahead (${formatDuration(lookaheadSec)}); raise the lookahead`);
      }
      let cats: boolean[] | null = null;
      if (c.categories) {
        cats = catNames.map(() => false);
        c.categories.forEach((name, j) => { cats![indexOfName(catNames, name, 'category', [...p, 'categories', j])] = true; });
      }
      return { ...ci, perOrder: c.perOrder, lag, lead, categories: cats };
    });
    orders = { curve: curve(o.curve, cal, ['orders', 'curve'], files), categories, lookaheadSec, causes };
  }
  return orders;
}

export function logisticsSection(raw: RawScenario, n: Names, orders: Orders | null, days: number): Logistics | null {
  let logistics: Logistics | null = null;
  if (raw.logistics) {
    const l = raw.logistics;
    if (!orders) fail(['logistics'], 'needs an orders section: parcels come from orders');
    const per = l.dispatch.perDay;
    let dispatchPerDay: Float64Array;
    if (typeof per === 'number') dispatchPerDay = new Float64Array(days).fill(per);
    else {
      if (per.length !== days) fail(['logistics', 'dispatch', 'perDay'], `has ${per.length} values but the horizon touches ${days} local days`);
      dispatchPerDay = Float64Array.from(per);
    }
    let cutoffSec = 16 * 3600;
    if (l.dispatch.cutoff !== undefined) {
      try {
        cutoffSec = parseClock(l.dispatch.cutoff);
      } catch (e) {
        fail(['logistics', 'dispatch', 'cutoff'], (e as Error).message);
      }
    }
    logistics = {
      dispatchPerDay,
      cutoffSec,
      shipWithinSec: l.shipWithin !== undefined ? dur(l.shipWithin, ['logistics', 'shipWithin']) : 48 * 3600,
      transit: distribution(l.transit, ['logistics', 'transit']),
      congestion: l.congestion ?? null,
      promiseSec: dur(l.promise, ['logistics', 'promise']),
      wismo: l.wismo ? { ...channelIntent(n, l.wismo, ['logistics', 'wismo'], false), probability: l.wismo.probability, after: distribution(l.wismo.after, ['logistics', 'wismo', 'after']) } : null,
    };
  }
  return logistics;
}

export function returnsSection(raw: RawScenario, n: Names, orders: Orders | null, logistics: Logistics | null, warnings: string[]): Returns | null {
  let returns: Returns | null = null;
  if (raw.returns) {
    const r = raw.returns;
    if (!logistics) fail(['returns'], 'needs a logistics section: returns start after delivery');
    returns = {
      lag: distribution(r.lag, ['returns', 'lag']),
      ticket: channelIntent(n, r.ticket, ['returns', 'ticket'], true),
      chat: r.chat ? { ...channelIntent(n, r.chat, ['returns', 'chat'], false), probability: r.chat.probability } : null,
      refund: r.refund ? { time: distribution(r.refund.time, ['returns', 'refund', 'time']), promiseSec: dur(r.refund.promise, ['returns', 'refund', 'promise']) } : null,
    };
  } else if (orders && orders.categories.some((c) => c.returnRate > 0)) {
    warnings.push('orders.categories give return rates but there is no returns section: no returns are simulated');
  }
  return returns;
}

export function complaintsSection(raw: RawScenario, n: Names, logistics: Logistics | null, returns: Returns | null): Complaints | null {
  let complaints: Complaints | null = null;
  if (raw.complaints) {
    const c = raw.complaints;
    if (c.late && !logistics) fail(['complaints', 'late'], 'needs a logistics section (lateness comes from deliveries)', true);
    if (c.refundDelay && !returns?.refund) fail(['complaints', 'refundDelay'], 'needs returns.refund (its promise defines a late refund)', true);
    const w = c.wait;
    complaints = {
      ticket: channelIntent(n, c.ticket, ['complaints', 'ticket'], true),
      wait: w ? { midpointSec: dur(w.midpoint, ['complaints', 'wait', 'midpoint']), scaleSec: dur(w.scale, ['complaints', 'wait', 'scale']), max: w.max } : null,
      abandoned: c.abandoned ?? 0,
      late: c.late ?? null,
      refundDelay: c.refundDelay ?? null,
    };
    if (complaints.wait && !(complaints.wait.scaleSec > 0)) fail(['complaints', 'wait', 'scale'], 'must be longer than 0');
  }
  return complaints;
}
