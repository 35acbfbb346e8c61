// The modified offered load (DOMAIN.md): m(t) = E[busy servers in the infinite-server system]
// with arrival rate λ(t) and exponential service of mean 1/μ solves m' = λ(t) − μ·m. For a rate
// that is constant on each step the solution is exact step by step:
//   m(t0 + Δ) = m(t0)·e^{−μΔ} + (λ/μ)·(1 − e^{−μΔ}).
// It lags the arrivals by about one handle time; plugged into Erlang formulas it staffs a surge
// far better than the stationary load λ/μ of each interval.

/**
 * m(t) at the end of each of `substeps` sub-steps of every step, from m(0) = 0.
 * rates: arrivals per second per step of stepSec; aht: mean handle time (s).
 */
export function modifiedOfferedLoad(rates: ArrayLike<number>, stepSec: number, aht: number, substeps = 4): Float64Array {
  const out = new Float64Array(rates.length * substeps);
  const dt = stepSec / substeps;
  const decay = Math.exp(-dt / aht);
  let m = 0;
  for (let i = 0; i < rates.length; i++) {
    const eq = rates[i] * aht;
    for (let k = 0; k < substeps; k++) {
      m = m * decay + eq * (1 - decay);
      out[i * substeps + k] = m;
    }
  }
  return out;
}

/** The largest m(t) within each step (the load the staffing of that step must carry). */
export function peakLoadPerStep(rates: ArrayLike<number>, stepSec: number, aht: number, substeps = 4): Float64Array {
  const m = modifiedOfferedLoad(rates, stepSec, aht, substeps);
  const out = new Float64Array(rates.length);
  let prev = 0;
  for (let i = 0; i < rates.length; i++) {
    let mx = prev; // m at the step's start
    for (let k = 0; k < substeps; k++) mx = Math.max(mx, m[i * substeps + k]);
    out[i] = mx;
    prev = m[i * substeps + substeps - 1];
  }
  return out;
}

