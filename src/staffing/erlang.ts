// Stationary queueing formulas: Erlang B and C (M/M/c) in closed form, Erlang A (M/M/c+M) exactly
// from its birth–death chain. Rates are per second, times in seconds. Pure and allocation-light.

/** Erlang B blocking probability for c servers and offered load a (erlangs), by the stable recursion. */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability an arrival waits (M/M/c). 1 when a ≥ c (unstable). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

export interface ErlangCResult {
  readonly pWait: number;
  /** P(wait ≤ t). */
  readonly serviceLevel: number;
  /** Mean wait over all arrivals (s). */
  readonly asa: number;
  readonly occupancy: number;
}

/** M/M/c with arrival rate lam (/s), mean handle time aht (s), c agents, SL threshold t (s). */
export function erlangCMetrics(lam: number, aht: number, c: number, t: number): ErlangCResult {
  const a = lam * aht;
  if (a >= c) return { pWait: 1, serviceLevel: 0, asa: Infinity, occupancy: 1 };
  const pw = erlangC(c, a);
  return {
    pWait: pw,
    serviceLevel: 1 - pw * Math.exp((-(c - a) * t) / aht),
    asa: (pw * aht) / (c - a),
    occupancy: a / c,
  };
}

export interface ErlangAResult {
  readonly pWait: number;
  readonly pAbandon: number;
  /** Mean queue length and mean wait over all arrivals (Little). */
  readonly meanQueue: number;
  readonly meanWait: number;
  /** Mean wait of the answered contacts (s). */
  readonly meanWaitAnswered: number;
  /** P(answered within t) over all arrivals (abandoned ones count as not within). */
  readonly serviceLevel: number;
  readonly occupancy: number;
}

/**
 * Erlang A (M/M/c+M): exact stationary distribution of the birth–death chain with death rate
 * n·μ for n ≤ c and c·μ + (n − c)·θ above, in log space, truncated where the tail is below 1e-17.
 * patience = Infinity gives Erlang C (requires a < c).
 */
export function erlangA(lam: number, aht: number, patience: number, c: number, t = 20, withServiceLevel = true): ErlangAResult {
  const mu = 1 / aht, theta = Number.isFinite(patience) ? 1 / patience : 0;
  if (theta === 0 && lam * aht >= c) {
    return { pWait: 1, pAbandon: 0, meanQueue: Infinity, meanWait: Infinity, meanWaitAnswered: Infinity, serviceLevel: 0, occupancy: 1 };
  }
  // log π_n (unnormalised)
  const logp: number[] = [0];
  let n = 0, lp = 0, maxLp = 0;
  for (;;) {
    n++;
    const death = n <= c ? n * mu : c * mu + (n - c) * theta;
    lp += Math.log(lam) - Math.log(death);
    logp.push(lp);
    if (lp > maxLp) maxLp = lp;
    if (n > c && lp - maxLp < Math.log(1e-17) - 10) break;
    if (n > c + 1e7) break;
  }
  let z = 0;
  for (const l of logp) z += Math.exp(l - maxLp);
  const pi = logp.map((l) => Math.exp(l - maxLp) / z);
  let pWait = 0, meanQueue = 0, busy = 0;
  for (let k = 0; k < pi.length; k++) {
    if (k >= c) { pWait += pi[k]; meanQueue += (k - c) * pi[k]; }
    busy += Math.min(k, c) * pi[k];
  }
  const pAbandon = theta > 0 ? (theta * meanQueue) / lam : 0;
  const meanWait = meanQueue / lam;
  // Answered contacts' mean wait and P(answered within t) from the tagged customer, who finds
  // j = n - c ahead of it: it is answered after j + 1 departures from the queue front, each at
  // rate c·μ + (queue length ahead)·θ, unless its own patience (rate θ) runs out first.
  let answeredWaitSum = 0, answeredProb = 0, within = pi.slice(0, c).reduce((a, b) => a + b, 0);
  for (let k = c; k < pi.length && withServiceLevel; k++) {
    const j = k - c;
    if (pi[k] < 1e-13) continue; // beyond double precision of the sums below
    // stage i (i = j..0 ahead): leave queue by front rate c·μ + i·θ, abandon at θ
    let pReach = 1, meanT = 0, rates: number[] = [];
    for (let i = j; i >= 0; i--) {
      const front = c * mu + i * theta;
      const tot = front + theta;
      meanT += 1 / tot; // conditional mean adds up only along the path; fixed below
      rates.push(tot);
      pReach *= front / tot;
    }
    // Conditional on being answered, each stage's sojourn is exponential with rate tot_i
    // (competing exponentials), so the answered wait is a sum of exponentials.
    answeredProb += pi[k] * pReach;
    answeredWaitSum += pi[k] * pReach * meanT;
    within += pi[k] * pReach * hypoexpCdf(rates, t);
  }
  return {
    pWait,
    pAbandon,
    meanQueue,
    meanWait,
    meanWaitAnswered: !withServiceLevel ? NaN : answeredProb + pi.slice(0, c).reduce((a, b) => a + b, 0) > 0
      ? answeredWaitSum / (answeredProb + pi.slice(0, c).reduce((a, b) => a + b, 0))
      : 0,
    serviceLevel: withServiceLevel ? within : NaN,
    occupancy: busy / c,
  };
}

/** P(sum of independent exponentials with the given rates ≤ t), by uniformisation (two buffers, no allocation per step). */
function hypoexpCdf(rates: readonly number[], t: number): number {
  if (t <= 0) return 0;
  const lam = Math.max(...rates);
  const m = rates.length;
  let v = new Float64Array(m + 1), nv = new Float64Array(m + 1);
  v[0] = 1;
  const lt = lam * t;
  let logw = -lt, absorbed = 0, cum = 0;
  const kmax = Math.ceil(lt + 9 * Math.sqrt(lt + 1) + 20); // Poisson tail beyond ~9 sd: < 1e-15
  const p = rates.map((r) => r / lam);
  let lo = 0; // phases below lo hold no mass yet... (mass moves forward only)
  for (let k = 0; k <= kmax; k++) {
    const w = Math.exp(logw);
    absorbed += w * v[m];
    cum += w;
    nv.fill(0, lo);
    for (let i = lo; i < m; i++) {
      const x = v[i];
      if (x === 0) continue;
      nv[i] += x * (1 - p[i]);
      nv[i + 1] += x * p[i];
    }
    nv[m] += v[m];
    const tmp = v; v = nv; nv = tmp;
    while (lo < m && v[lo] < 1e-300) lo++;
    logw += Math.log(lt) - Math.log(k + 1);
  }
  return Math.min(1, absorbed + (1 - cum) * v[m]);
}

/** Fewest agents meeting P(wait ≤ t) ≥ target in M/M/c (or M/M/c+M with finite patience). */
export function agentsForServiceLevel(lam: number, aht: number, t: number, target: number, patience = Infinity): number {
  let c = Math.max(1, Math.floor(lam * aht));
  for (;;) {
    const sl = Number.isFinite(patience) ? erlangA(lam, aht, patience, c, t).serviceLevel : erlangCMetrics(lam, aht, c, t).serviceLevel;
    if (sl >= target) return c;
    c++;
  }
}
