// Re-forecasting the rest of the horizon from the actuals so far (docs/replan.md): per channel, the
// factor by which arrivals run above or below the forecast, as a Gamma–Poisson posterior. Prior:
// the forecast is right (factor 1) with the weight of `prior` expected contacts; the actuals add
// theirs. After A actual arrivals against E forecast, the factor is Gamma(prior + A, prior + E):
// mean (prior + A) / (prior + E) — it moves from 1 towards A/E as E grows, trusting the actuals
// more as they accumulate — and a 95% interval from its quantiles.

import { chi2Quantile } from '../fit/estimators.js';

export const DEFAULT_PRIOR = 200;

export interface Factor {
  readonly factor: number;
  readonly lo: number;
  readonly hi: number;
  readonly actual: number;
  readonly expected: number;
}

export function reforecast(actual: number, expected: number, prior = DEFAULT_PRIOR, level = 0.95): Factor {
  const a = prior + actual, b = prior + expected;
  // Gamma(a, rate b) = χ²(2a) / (2b)
  const q = (p: number) => chi2Quantile(p, 2 * a) / (2 * b);
  return { factor: a / b, lo: q((1 - level) / 2), hi: q(1 - (1 - level) / 2), actual, expected };
}
