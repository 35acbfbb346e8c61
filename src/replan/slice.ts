// The rest of the horizon as a scenario of its own: everything from interval k on — the calendar,
// the demand curves (times the re-forecast factor of their channel), the order curve, the pools'
// staffing and planning limits — so that it can start from the live state at T and be planned.

import { secondsOfLocalDay, formatDateTime } from '../scenario/time.js';
import type { RateCurve, Scenario } from '../scenario/types.js';

function sliceCurve(c: RateCurve, fromSec: number, factor: number): RateCurve {
  if (c.times !== undefined) {
    const times = Float64Array.from(c.times.filter((t) => t >= fromSec), (t) => t - fromSec);
    return { ...c, times, rates: c.rates };
  }
  const first = Math.floor(fromSec / c.stepSec + 1e-9);
  // the curves' steps divide the interval (a minute grid or the interval itself): a clean cut
  return { ...c, rates: Float64Array.from(c.rates.subarray(first), (r) => r * factor) };
}

/** The scenario from interval k (T = k intervals after its start), arrivals of channel ch scaled by factors[ch]. */
export function sliceScenario(s: Scenario, k: number, factors: readonly number[]): Scenario {
  const cal = s.calendar;
  const T = k * cal.intervalSec;
  const startMs = cal.startMs + T * 1000;
  const horizonSec = cal.horizonSec - T;
  const calendar = { ...cal, start: formatDateTime(startMs, cal.offsetMinutes), startMs, intervals: cal.intervals - k, horizonSec };
  const days = Math.ceil((secondsOfLocalDay(startMs, cal.offsetMinutes, 0) + horizonSec) / 86400 - 1e-9);
  return {
    ...s,
    calendar,
    days,
    demand: s.demand.map((d) => ({ ...d, curve: sliceCurve(d.curve, T, factors[d.channel] ?? 1) })),
    orders: s.orders === null ? null : { ...s.orders, curve: sliceCurve(s.orders.curve, T, 1) },
    pools: s.pools.map((p) => ({
      ...p,
      staffing: p.staffing.slice(k),
      planning: { ...p.planning, min: p.planning.min.slice(k), max: p.planning.max.slice(k) },
    })),
    initial: null,
  };
}
