// Arrival curves: shapes hold their promises, and simulated counts per interval are Poisson with
// the curve's means.
import { describe, expect, it } from 'vitest';
import { expectedArrivals } from '../src/scenario/curves.js';
import { gammaP } from '../src/engine/distributions.js';
import { runYaml, scenarioFromYaml } from './helpers.js';

const d11 = (extra = '', horizon = '3d', start = '2026-11-10T00:00+08:00') => `
name: d11
replications: 30
seed: 4
calendar: { start: ${start}, horizon: ${horizon}, interval: 15m }
intents: [presale]
channels: { chat: { patience: none } }
demand:
  - { channel: chat, intent: presale, curve: { shape: double11, perDay: 1000${extra} } }
pools:
  - { name: p, channel: chat, skills: [presale], handleTime: { default: { exponential: 1m } }, staffing: 500 }
`;

const H = 3600, DAY = 86400;

describe('the double11 shape', () => {
  const s = scenarioFromYaml(d11());
  const c = s.demand[0].curve;
  const peak = DAY; // 11 Nov 00:00 local is one day after the start
  it('puts about a third of 11 Nov in its first hour', () => {
    const share = expectedArrivals(c, peak, peak + H) / expectedArrivals(c, peak, peak + DAY);
    expect(share).toBeCloseTo(1 / 3, 6);
  });
  it('peaks sharply in the first minutes', () => {
    const first5 = expectedArrivals(c, peak, peak + 300);
    const lastOfHour = expectedArrivals(c, peak + 55 * 60, peak + H);
    expect(first5 / lastOfHour).toBeGreaterThan(20);
    expect(first5 / expectedArrivals(c, peak, peak + H)).toBeGreaterThan(0.45); // half-life 5 m
  });
  it('raises 11 Nov to 6 ordinary days and the eve to 2, with the 20:00 wave', () => {
    expect(expectedArrivals(c, peak, peak + DAY)).toBeCloseTo(6000, 6);
    expect(expectedArrivals(c, 0, DAY)).toBeCloseTo(2000, 6);
    const wave = expectedArrivals(c, 20 * H, 21 * H) / expectedArrivals(c, 0, DAY);
    expect(wave).toBeCloseTo(0.25, 6);
  });
  it('honours firstHourShare and a given total', () => {
    const t = scenarioFromYaml(d11(', firstHourShare: 0.5').replace('perDay: 1000', 'total: 50000')).demand[0].curve;
    expect(expectedArrivals(t, 0, 3 * DAY)).toBeCloseTo(50000, 4);
    expect(expectedArrivals(t, peak, peak + H) / expectedArrivals(t, peak, peak + DAY)).toBeCloseTo(0.5, 6);
  });
  it('a horizon that starts after the spike day began keeps the ordinary-day scaling', () => {
    const t = scenarioFromYaml(d11('', '1d', '2026-11-11T12:00+08:00')).demand[0].curve;
    const full = expectedArrivals(c, peak + 12 * H, peak + DAY);
    expect(expectedArrivals(t, 0, 12 * H)).toBeCloseTo(full, 6);
  });
});

/** Chi-square upper quantile via Wilson–Hilferty (accurate for large df). */
/** z is the standard normal quantile of the wanted probability. */
function chi2Quantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

describe('simulated arrivals per interval', () => {
  const yaml = d11();
  const out = runYaml(yaml);
  const s = scenarioFromYaml(yaml);
  const c = s.demand[0].curve;
  const nb = out.layout.nBins;
  const expected = Array.from({ length: nb }, (_, b) => expectedArrivals(c, b * 900, (b + 1) * 900));
  it('are Poisson with the curve as mean (chi-square over every interval and replication)', () => {
    let x2 = 0, df = 0;
    for (const r of out.reps) {
      for (let b = 0; b < nb; b++) {
        const mu = expected[b];
        if (mu <= 0) continue;
        x2 += (r.counters.arrived[b] - mu) ** 2 / mu;
        df++;
      }
    }
    // two-sided 99.9% band of χ²(df): z = ±3.29
    expect(x2).toBeGreaterThan(chi2Quantile(df, -3.2905));
    expect(x2).toBeLessThan(chi2Quantile(df, 3.2905));
  });
  it('and their total matches the horizon volume', () => {
    const total = out.reps.reduce((a, r) => a + r.counters.arrived.reduce((x, y) => x + y, 0), 0) / out.reps.length;
    const mu = expectedArrivals(c, 0, 3 * DAY);
    // the mean of 30 Poisson totals has sd sqrt(mu/30); 3.29 sd is the 99.9% band
    expect(Math.abs(total - mu)).toBeLessThan(3.29 * Math.sqrt(mu / 30));
  });
  it('the Wilson–Hilferty quantile is right (checked against the exact χ² CDF)', () => {
    const df = 500;
    const q = chi2Quantile(df, 3.2905);
    expect(gammaP(df / 2, q / 2)).toBeCloseTo(0.9995, 4);
  });
});

describe('a CSV curve', () => {
  it('gives each interval its volume', () => {
    const s = scenarioFromYaml(`
name: csv
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 30m }
intents: [presale, complaint]
channels: { chat: { patience: none } }
demand:
  - { channel: chat, intent: presale, curve: { csv: fixtures/arrivals-48.csv, scale: 2 } }
pools:
  - { name: p, channel: chat, skills: [presale], handleTime: { default: { exponential: 1m } }, staffing: 5 }
`);
    const c = s.demand[0].curve;
    expect(expectedArrivals(c, 0, 1800)).toBeCloseTo(2 * 10, 9);
    expect(expectedArrivals(c, 47 * 1800, 48 * 1800)).toBeCloseTo(2 * 57, 9);
  });
});
