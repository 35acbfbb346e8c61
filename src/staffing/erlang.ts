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
  /** P(abandoned with a wait of at most t) over all arrivals. */
  readonly abandonedWithin: number;
  readonly occupancy: number;
}

/** The four service levels of docs/model.md (ServiceLevelBasis) from one Erlang A result. */
export function serviceLevelBases(r: ErlangAResult): Record<'offered' | 'answered' | 'offeredExceptShortAbandons' | 'allWaits', number> {
  return {
    offered: r.serviceLevel,
    answered: r.serviceLevel / (1 - r.pAbandon),
    offeredExceptShortAbandons: r.serviceLevel / (1 - r.abandonedWithin),
    allWaits: r.serviceLevel + r.abandonedWithin,
  };
}

/**
 * Erlang A (M/M/c+M): exact stationary distribution of the birth–death chain with death rate
 * n·μ for n ≤ c and c·μ + (n − c)·θ above, in log space, truncated where the tail is below 1e-17.
 * patience = Infinity gives Erlang C (requires a < c).
 */
export function erlangA(lam: number, aht: number, patience: number, c: number, t = 20, withServiceLevel = true): ErlangAResult {
  // The planner asks for the same chain again and again (the analytical stage's searches per
  // interval, iterative staffing's rounds): on the built-in scenario 83,000 calls, 29,000 of them
  // distinct, about a second of the main thread while the workers waited. The result is a pure
  // function of the arguments, frozen, so it is kept.
  const key = `${lam} ${aht} ${patience} ${c} ${t} ${withServiceLevel}`;
  const kept = memo.get(key);
  if (kept !== undefined) return kept;
  const r = Object.freeze(erlangAChain(lam, aht, patience, c, t, withServiceLevel));
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, r);
  return r;
}

/** Results of erlangA by their arguments; cleared when full (a planner's run needs tens of thousands). */
const memo = new Map<string, ErlangAResult>();
const MEMO_MAX = 200_000;

function erlangAChain(lam: number, aht: number, patience: number, c: number, t: number, withServiceLevel: boolean): ErlangAResult {
  const mu = 1 / aht, theta = Number.isFinite(patience) ? 1 / patience : 0;
  if (theta === 0 && lam * aht >= c) {
    return { pWait: 1, pAbandon: 0, meanQueue: Infinity, meanWait: Infinity, meanWaitAnswered: Infinity, serviceLevel: 0, abandonedWithin: 0, occupancy: 1 };
  }
  // log π_n (unnormalised) for n = n0, n0 + 1, …: below min(c, a) the chain is Poisson-shaped
  // (π_n / π_{n−1} = a / n), so the states more than 12 standard deviations under that weigh less
  // than e^-72 of the largest together and are left out. Why: O(√a) states there instead of O(c)
  // (a load of 10^5 erlangs: 4,000 instead of 100,000), and the planner evaluates this per
  // interval and candidate; below about 145 erlangs n0 is 0 and nothing changes.
  const m = Math.min(c, Math.floor(lam * aht));
  const n0 = Math.max(0, m - Math.ceil(12 * Math.sqrt(m + 1)));
  const logp: number[] = [0];
  let n = n0, lp = 0, maxLp = 0;
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
  const pi = logp.map((l) => Math.exp(l - maxLp) / z); // pi[k] = π_(n0 + k)
  const kc = c - n0; // the index of π_c
  let pWait = 0, meanQueue = 0, busy = 0;
  for (let k = 0; k < pi.length; k++) {
    if (k >= kc) { pWait += pi[k]; meanQueue += (k - kc) * pi[k]; }
    busy += Math.min(n0 + k, c) * pi[k];
  }
  const pAbandon = theta > 0 ? (theta * meanQueue) / lam : 0;
  const meanWait = meanQueue / lam;
  // Answered contacts' mean wait and P(answered within t) from the tagged customer, who finds
  // j = n - c ahead of it: it is answered after j + 1 departures from the queue front, each at
  // rate c·μ + (queue length ahead)·θ, unless its own patience (rate θ) runs out first. The stage
  // with i ahead has the same rates whatever j was, so one chain over stages i = 0..J serves every
  // j at once: P(answered by t | j) for all j comes from one backward uniformisation, O(J·steps)
  // instead of one hypoexponential per j (O(J²·steps)) — the planner calls this per interval.
  const pc = pi.slice(0, kc).reduce((a, b) => a + b, 0);
  let answeredWaitSum = 0, answeredProb = 0, within = pc, abandonedWithin = 0;
  if (withServiceLevel) {
    let J = -1;
    for (let k = kc; k < pi.length; k++) if (pi[k] >= 1e-13) J = k - kc;
    if (J >= 0) {
      const front = new Float64Array(J + 1), tot = new Float64Array(J + 1);
      for (let i = 0; i <= J; i++) { front[i] = c * mu + i * theta; tot[i] = front[i] + theta; }
      // answered probability and conditional mean wait along the path j → 0 (prefix sums over stages)
      const pReach = new Float64Array(J + 1), meanT = new Float64Array(J + 1);
      for (let i = 0; i <= J; i++) {
        pReach[i] = (i > 0 ? pReach[i - 1] : 1) * (front[i] / tot[i]);
        meanT[i] = (i > 0 ? meanT[i - 1] : 0) + 1 / tot[i];
      }
      const byT = answeredByTime(front, tot, t);
      for (let k = kc; k < pi.length; k++) {
        const j = k - kc;
        if (pi[k] < 1e-13 || j > J) continue; // beyond double precision of the sums below
        answeredProb += pi[k] * pReach[j];
        answeredWaitSum += pi[k] * pReach[j] * meanT[j];
        within += pi[k] * byT.answered[j];
        abandonedWithin += pi[k] * byT.abandoned[j];
      }
    }
  }
  return {
    pWait,
    pAbandon,
    meanQueue,
    meanWait,
    meanWaitAnswered: !withServiceLevel ? NaN : answeredProb + pc > 0 ? answeredWaitSum / (answeredProb + pc) : 0,
    serviceLevel: withServiceLevel ? within : NaN,
    abandonedWithin: withServiceLevel ? abandonedWithin : NaN,
    occupancy: busy / c,
  };
}

/**
 * P(answered within t | i ahead) and P(abandoned within t | i ahead) for every i = 0..J, in the
 * chain whose stage i leaves to stage i − 1 (stage 0: to "answered") at rate front[i] and to
 * "abandoned" at tot[i] − front[i]. By uniformisation at Λ = max tot: P = Σ_k Poisson(k; Λt) ·
 * g_k(i), where g_k(i) is the chance that the uniformised jump chain has been absorbed (in
 * "answered", or in "abandoned") within k steps, computed for all i at once by the backward
 * recursions g_{k+1}(i) = (1 − tot_i/Λ) g_k(i) + (front_i/Λ) g_k(i − 1) + (into the state)/Λ.
 */
function answeredByTime(front: Float64Array, tot: Float64Array, t: number): { answered: Float64Array; abandoned: Float64Array } {
  const m = front.length;
  const out = new Float64Array(m), outAb = new Float64Array(m);
  if (t <= 0) return { answered: out, abandoned: outAb };
  let lam = 0;
  for (let i = 0; i < m; i++) lam = Math.max(lam, tot[i]);
  const stay = new Float64Array(m), move = new Float64Array(m), quit = new Float64Array(m);
  for (let i = 0; i < m; i++) { stay[i] = 1 - tot[i] / lam; move[i] = front[i] / lam; quit[i] = (tot[i] - front[i]) / lam; }
  let g = new Float64Array(m), ng = new Float64Array(m);
  let h = new Float64Array(m), nh = new Float64Array(m);
  const lt = lam * t;
  const kmax = Math.ceil(lt + 9 * Math.sqrt(lt + 1) + 20); // Poisson tail beyond ~9 sd: < 1e-15
  let logw = -lt;
  for (let k = 0; k <= kmax; k++) {
    const w = Math.exp(logw);
    for (let i = 0; i < m; i++) { out[i] += w * g[i]; outAb[i] += w * h[i]; }
    // one more uniformised step
    ng[0] = stay[0] * g[0] + move[0];
    nh[0] = stay[0] * h[0] + quit[0];
    for (let i = 1; i < m; i++) {
      ng[i] = stay[i] * g[i] + move[i] * g[i - 1];
      nh[i] = stay[i] * h[i] + move[i] * h[i - 1] + quit[i];
    }
    let tmp = g; g = ng; ng = tmp;
    tmp = h; h = nh; nh = tmp;
    logw += Math.log(lt) - Math.log(k + 1);
  }
  for (let i = 0; i < m; i++) { out[i] = Math.min(1, out[i]); outAb[i] = Math.min(1, outAb[i]); }
  return { answered: out, abandoned: outAb };
}

/** Fewest agents meeting P(wait ≤ t) ≥ target in M/M/c (or M/M/c+M with finite patience). */
export function agentsForServiceLevel(lam: number, aht: number, t: number, target: number, patience = Infinity): number {
  const sl = (c: number) => (Number.isFinite(patience) ? erlangA(lam, aht, patience, c, t).serviceLevel : erlangCMetrics(lam, aht, c, t).serviceLevel);
  return firstMeeting(Math.max(1, Math.floor(lam * aht)), (c) => sl(c) >= target, Number.MAX_SAFE_INTEGER);
}

/**
 * The fewest servers from `lo` on that meet `ok`, which is monotone (more servers never serve
 * worse), or `hi` when none below it does: the answer counting up from `lo` gives, in O(log)
 * evaluations. Why not count: with a long handle time the load runs to hundreds of thousands of
 * erlangs, each evaluation is O(servers), and counting took hours (the fuzzer's 30-day handle
 * times); the formulas are monotone in the servers, so the first is the same.
 */
export function firstMeeting(lo: number, ok: (c: number) => boolean, hi: number): number {
  if (lo >= hi || ok(lo)) return Math.min(lo, hi);
  // ok(lo) is false: widen until ok holds (or hi), then halve
  let bad = lo, step = 1;
  let good = Math.min(hi, lo + step);
  while (good < hi && !ok(good)) {
    bad = good;
    step *= 2;
    good = Math.min(hi, lo + step);
  }
  if (good === hi && !ok(hi)) return hi;
  while (good - bad > 1) {
    const mid = bad + Math.floor((good - bad) / 2);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

