// Arrival curves: named shapes scaled by a volume, or per-interval volumes from a CSV, turned
// into a piecewise-constant rate per second. Shapes are built on a one-minute grid so that the
// midnight spike keeps its first minutes whatever the scenario's interval.

import type { Calendar, RateCurve } from './types.js';
import { secondsOfLocalDay } from './time.js';

/**
 * Relative chat/phone volume by local hour for an ordinary e-commerce day: quiet from 02:00 to
 * 07:00, a morning peak at 10–11, an afternoon plateau and the evening peak at 20–22 when
 * shoppers browse after work. An assumption, not a measurement; scenarios can pass `hourly`.
 */
export const DEFAULT_HOURLY: readonly number[] = [
  0.9, 0.55, 0.3, 0.2, 0.15, 0.15, 0.25, 0.5, 0.9, 1.3, 1.5, 1.45,
  1.2, 1.35, 1.45, 1.4, 1.3, 1.2, 1.1, 1.25, 1.5, 1.6, 1.5, 1.2,
];

/**
 * The Double-11 calendar relative to an ordinary day (docs/scenario.md). Days are counted from the
 * peak (11 Nov 00:00 local): the presale opens on 24 Oct at 20:00 (deposits), the first sales
 * period starts on 31 Oct at 20:00, final payments open on 10 Nov at 20:00 and the midnight spike
 * follows (DOMAIN.md: presale waves, final payment from 20:00 on 10 Nov, ~1/3 of 11 Nov in its
 * first hour); after the peak, deliveries and their questions keep volumes up for a few days.
 * The factors are assumptions, chosen to reproduce that shape.
 */
export const DOUBLE11_DAYS = {
  /** [days from the peak, volume factor, hour of the wave or NaN, share of the day in the wave's hour]. */
  waves: [
    [-18, 1.5, 20, 0.3], // 24 Oct: presale opens, deposits
    [-11, 2.5, 20, 0.35], // 31 Oct: first sales period starts
    [-10, 2.0, NaN, 0], // 1 Nov
    [-9, 1.5, NaN, 0],
    [-8, 1.3, NaN, 0],
    [-1, 2.0, 20, 0.25], // 10 Nov: final payments from 20:00
  ] as readonly (readonly [number, number, number, number])[],
  /** Days before the peak not listed above, from the presale on: a mild warm-up. */
  warmUpFactor: 1.1,
  warmUpFrom: -17,
  /** Days after the peak: where-is-my-order and after-sales questions. */
  afterFactors: [2.5, 1.8, 1.4] as readonly number[],
};

export interface ShapeParams {
  shape: 'flat' | 'daily' | 'spike' | 'double11';
  hourly?: readonly number[];
  /** Seconds from the horizon start at which the spike starts. */
  peakSec?: number;
  firstHourShare?: number;
  halfLifeSec?: number;
  dayFactor?: number;
}

interface SpikeDay {
  start: number; // seconds from horizon start
  factor: number; // volume relative to an ordinary day
  spikeAt: number; // within [start, start + 1 day)
  share: number; // share of the day's volume in [spikeAt, spikeAt + 1h)
  halfLife: number;
}

const MINUTE = 60, HOUR = 3600, DAY = 86400;

/** Weight of each minute of an ordinary day: hourly profile, linearly interpolated, summing to 1. */
function dayProfile(hourly: readonly number[]): Float64Array {
  const w = new Float64Array(1440);
  let sum = 0;
  for (let m = 0; m < 1440; m++) {
    const h = (m + 0.5) / 60 - 0.5; // hour centres at h + 0.5
    const h0 = Math.floor(h), f = h - h0;
    const a = hourly[(h0 + 24) % 24], b = hourly[(h0 + 1) % 24];
    w[m] = a + (b - a) * f;
    sum += w[m];
  }
  if (!(sum > 0)) throw new RangeError('hourly weights must not all be 0');
  for (let m = 0; m < 1440; m++) w[m] /= sum;
  return w;
}

/**
 * Expected contacts per minute on a one-minute grid over the horizon, in units where an
 * ordinary day sums to 1.
 */
export function shapeMinuteWeights(cal: Calendar, p: ShapeParams): Float64Array {
  const steps = Math.ceil(cal.horizonSec / MINUTE);
  const out = new Float64Array(steps);
  const profile = p.shape === 'flat' ? dayProfile(new Array(24).fill(1)) : dayProfile(p.hourly ?? DEFAULT_HOURLY);
  const spikes: SpikeDay[] = [];
  if (p.shape === 'spike' || p.shape === 'double11') {
    const peak = p.peakSec ?? 0;
    const halfLife = p.halfLifeSec ?? 5 * MINUTE;
    const share = p.firstHourShare ?? 1 / 3;
    spikes.push({ start: peak, factor: p.dayFactor ?? 6, spikeAt: peak, share, halfLife });
    if (p.shape === 'double11') {
      const d = DOUBLE11_DAYS;
      const listed = new Set(d.waves.map((w) => w[0]));
      for (let k = d.warmUpFrom; k < 0; k++) {
        if (!listed.has(k)) spikes.push({ start: peak + k * DAY, factor: d.warmUpFactor, spikeAt: NaN, share: 0, halfLife: 1 });
      }
      for (const [k, factor, hour, waveShare] of d.waves) {
        const start = peak + k * DAY;
        spikes.push({ start, factor, spikeAt: Number.isFinite(hour) ? start + hour * HOUR : NaN, share: waveShare, halfLife: 20 * MINUTE });
      }
      d.afterFactors.forEach((f, i) => spikes.push({ start: peak + (i + 1) * DAY, factor: f, spikeAt: NaN, share: 0, halfLife: 1 }));
    }
  }
  const minuteOfDay = (t: number) => Math.floor(secondsOfLocalDay(cal.startMs, cal.offsetMinutes, t) / MINUTE) % 1440;
  // Ordinary minutes first, then each special day overwrites its own 24 hours.
  for (let i = 0; i < steps; i++) out[i] = profile[minuteOfDay(i * MINUTE)];
  for (const s of spikes) {
    // The special day's volume is the ordinary profile scaled by `factor`, plus an exponentially
    // decaying excess from `spikeAt`, sized so that the hour from spikeAt holds `share` of the day.
    // Normalised over the whole day (possibly partly outside the horizon) so that clipping the
    // horizon never inflates what remains inside it.
    const first = Math.ceil(s.start / MINUTE), last = Math.ceil((s.start + DAY) / MINUTE); // [first, last)
    const inSpike = (m: number) => Number.isFinite(s.spikeAt) && m * MINUTE >= s.spikeAt && m * MINUTE < s.spikeAt + HOUR;
    const decay = (m: number) => Math.pow(0.5, (m * MINUTE - s.spikeAt + MINUTE / 2) / s.halfLife);
    let daySum = 0, hourSum = 0, decaySum = 0;
    for (let m = first; m < last; m++) {
      const w = profile[minuteOfDay(m * MINUTE)];
      daySum += w;
      if (inSpike(m)) { hourSum += w; decaySum += decay(m); }
    }
    const baseShare = daySum > 0 ? hourSum / daySum : 0;
    const excess = s.share > baseShare ? (s.share - baseShare) / (1 - baseShare) : 0;
    for (let m = Math.max(first, 0); m < Math.min(last, steps); m++) {
      let w = (1 - excess) * profile[minuteOfDay(m * MINUTE)] / daySum;
      if (inSpike(m)) w += (excess * decay(m)) / decaySum;
      out[m] = s.factor * w;
    }
  }
  return out;
}

/** Scale minute weights to a rate curve with the requested total or ordinary-day volume. */
export function curveFromWeights(cal: Calendar, weights: Float64Array, volume: { total?: number; perDay?: number }, source: string): RateCurve {
  const rates = new Float64Array(weights.length);
  let expected = 0;
  for (let i = 0; i < weights.length; i++) {
    const len = Math.min(MINUTE, cal.horizonSec - i * MINUTE);
    expected += weights[i] * (len / MINUTE);
  }
  const factor = volume.total !== undefined ? (expected > 0 ? volume.total / expected : 0) : (volume.perDay ?? 0);
  for (let i = 0; i < weights.length; i++) rates[i] = (weights[i] * factor) / MINUTE;
  return { stepSec: MINUTE, rates, source };
}

/** Expected number of arrivals of a curve over [from, to) seconds. */
export function expectedArrivals(c: RateCurve, from = 0, to = Infinity): number {
  let sum = 0;
  for (let i = 0; i < c.rates.length; i++) {
    const a = Math.max(from, i * c.stepSec), b = Math.min(to, (i + 1) * c.stepSec);
    if (b > a) sum += c.rates[i] * (b - a);
  }
  return sum;
}
