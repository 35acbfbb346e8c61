// Stage 3 of the planner: search with common random numbers on the real targets. Every candidate
// is simulated on the same search replications (A), so two candidates differ by what their
// staffing does, not by luck. A window is "ok" on A when its one-sided lower bound at the plan's
// confidence (for that window alone) meets the target (search-rules.ts): the search adds where a
// window's mean misses, buys precision (more replications, not agents) where only its interval
// does, and trims every interval-pool towards the frontier. Over-trimming where A happened to be
// lucky is what the verification on fresh replications (verify.ts) repairs.

import type { RunOutput } from '../parallel/runner.js';
import type { PlanRun } from './plan-run.js';
import { findFailures, judgedIntervals, samplesOf, slackIntervals, type Failure } from './search-rules.js';
import { clone, poolOrder, smooth, staffingCost, type Staffing } from './staffing.js';

/** A removal round that saves less than this share of the cost is a small one; two in a row end the trimming. */
const TRIM_GAIN = 0.0002;

export async function trimToFrontier(run: PlanRun, isa: Staffing, start: Staffing): Promise<Staffing> {
  const { base, o, tight } = run;
  const cal = base.calendar, nP = base.pools.length;
  let staff = clone(isa);
  // The search's replications A grow (doubling) while windows hold on their mean but not yet on
  // their interval: what they lack is precision, which agents would buy dearly and replications
  // cheaply — up to a quarter of the verification's budget, so that what the search trims to can
  // be confirmed on the verification's larger, fresh set.
  let nA = o.searchReps;
  const searchBudget = Math.max(o.searchReps, Math.floor(Math.max(o.verifyReps, o.maxReps) / 4));
  run.rounds++;
  const first = await run.search(staff, nA);
  // Intervals that no interval target judges (too quiet: below minOffered) keep the analytical
  // staffing as their floor: nothing measures them, and below it a removal "works" only because
  // nobody looks.
  const floor: Staffing = staff.map((x, pi) => Int32Array.from(x, (v, i) => Math.min(v, start[pi][i])));
  const judged = judgedIntervals(base, samplesOf(base, first));
  base.pools.forEach((p, pi) => { for (let i = 0; i < cal.intervals; i++) if (judged[p.channel][i]) floor[pi][i] = p.planning.min[i]; });
  const lowest = (pi: number, i: number) => Math.max(base.pools[pi].planning.min[i], floor[pi][i]);
  // agents the next removal round takes from each interval-pool (0: not tried yet)
  const step: Int32Array[] = base.pools.map(() => new Int32Array(cal.intervals));
  let out: RunOutput | null = first;
  // After a removal round that put some removals back, `out` is that round's trial and these are
  // the windows its put-back removals broke: the staffing now has the agents back, so they are
  // not failures, and the next round tries further removals at once rather than simulating first.
  let excused: Set<string> | null = null;
  let costBefore = 0, smallGains = 0;
  const keyOf = (f: Failure) => `${f.target.path}@${f.windowIndex}`;
  while (!o.isaOnly && run.rounds < o.maxRounds) {
    if (out === null) {
      run.rounds++;
      out = await run.search(staff, nA);
    }
    // (a target staffing does not meet is reported, not bought for: plan-run.ts)
    const notOk = run.buyable(findFailures(base, out, o.confidence)).filter((f) => !excused?.has(keyOf(f)));
    excused = null;
    const failures = notOk.filter((f) => !f.ciOnly);
    run.infeasible.clear(); // what this round cannot fix (a window fixed since is not infeasible)
    run.record(`search: targets on ${nA} replications (common random numbers)`, staff, failures.length, failures[0]?.describe ?? '');
    if (failures.length > 0) {
      const given = run.notByStaffing.size;
      const added = run.addAll(staff, failures, out);
      out = null;
      // nothing can be added: infeasible within the planning constraints (unless a target was just
      // found not to be met by staffing: its agents went back, and the search goes on without it)
      if (added === 0 && run.notByStaffing.size === given) break;
      continue;
    }
    if (notOk.length > 0 && nA * 2 <= searchBudget) {
      nA *= 2;
      out = null;
      continue;
    }
    // Removal round: every interval-pool whose windows are all ok gives up `step` agents at once
    // (a twelfth of its agents at first, so a spike interval of 300 agents converges in a few
    // rounds, not in hundreds). The removals that break no window nearby are kept and their step
    // doubles; those next to a broken interval window are put back and their step halves, and a
    // removal of one agent that breaks a window marks the interval tight. A broken day or horizon
    // window blames nobody in particular: every removal on its channels is put back and halves,
    // and once the steps are single agents those channels are done.
    const slack = slackIntervals(base, out, o.confidence, (t) => run.notByStaffing.has(t.path));
    const candidates: [number, number][] = [];
    for (let pi = 0; pi < nP; pi++) {
      const p = base.pools[pi];
      if (p.planning.fixed) continue;
      for (let i = 0; i < cal.intervals; i++) {
        if (tight[pi][i] || !slack[p.channel][i] || staff[pi][i] <= lowest(pi, i)) continue;
        // the most expensive pool of the channel with agents goes first
        const order = poolOrder(base, p.channel).filter((q) => staff[q][i] > lowest(q, i));
        if (order[order.length - 1] === pi) candidates.push([pi, i]);
      }
    }
    if (candidates.length === 0 || run.rounds >= o.maxRounds) break;
    if (costBefore === 0) costBefore = staffingCost(base, staff).cost;
    const trial = clone(staff);
    const took = new Map<string, number>();
    for (const [pi, i] of candidates) {
      const k = Math.max(1, Math.min(staff[pi][i] - lowest(pi, i), step[pi][i] > 0 ? step[pi][i] : Math.floor(staff[pi][i] / 12)));
      trial[pi][i] -= k;
      took.set(`${pi}/${i}`, k);
    }
    smooth(base, trial);
    run.rounds++;
    const tried = await run.search(trial, nA);
    const bad = run.buyable(findFailures(base, tried, o.confidence));
    if (bad.length === 0) {
      for (const [pi, i] of candidates) step[pi][i] = 2 * took.get(`${pi}/${i}`)!;
      staff = trial;
      out = tried;
      run.record('search: removed agents', staff, 0, `${candidates.length} interval-pools lowered`);
      costBefore = staffingCost(base, staff).cost;
      smallGains = 0;
      continue;
    }
    // A broken interval window blames the removal nearest before it (its own interval's, else the
    // one just before, else the one before that: the backlog a removal leaves lasts a handle time
    // or two) and any larger one just before that (a big cut an interval earlier leaves a backlog
    // that a small one here does not explain), not every removal around it: an innocent one put
    // back would only cost a round.
    const tookAt = new Map<string, number>(); // agents taken per channel and interval
    for (const [pi, i] of candidates) {
      const key = `${base.pools[pi].channel}/${i}`;
      tookAt.set(key, (tookAt.get(key) ?? 0) + took.get(`${pi}/${i}`)!);
    }
    const near = new Set<string>();
    const global = new Set<number>();
    const explained = new Set<string>();
    for (const f of bad) {
      if (f.target.scope !== 'interval') {
        for (const ch of f.target.channel >= 0 ? [f.target.channel] : base.channels.map((_, c) => c)) global.add(ch);
        explained.add(keyOf(f));
        continue;
      }
      for (const [ch, i] of f.intervals(base)) {
        let nearest = -1;
        for (let d = 0; d <= 2; d++) {
          const k = tookAt.get(`${ch}/${i - d}`);
          if (k === undefined) continue;
          if (nearest < 0 || k > nearest) { near.add(`${ch}/${i - d}`); explained.add(keyOf(f)); }
          if (nearest < 0) nearest = k;
        }
      }
    }
    let kept = 0;
    for (const [pi, i] of candidates) {
      const ch = base.pools[pi].channel;
      const k = took.get(`${pi}/${i}`)!;
      if (global.has(ch) || near.has(`${ch}/${i}`)) {
        trial[pi][i] = staff[pi][i];
        if (k === 1) tight[pi][i] = 1;
        step[pi][i] = Math.max(1, Math.floor(k / 2));
      } else {
        step[pi][i] = 2 * k;
        kept++;
      }
    }
    smooth(base, trial);
    staff = trial;
    out = tried;
    excused = explained;
    run.record('search: removals tried, some put back', staff, bad.length, `${kept} of ${candidates.length} kept`);
    // Diminishing returns: two removal rounds in a row that each saved less than TRIM_GAIN of the
    // cost end the trimming (each round simulates the whole horizon again; what is left is the
    // last agent here and there, and the verification may put it back anyway).
    const now = staffingCost(base, staff).cost;
    smallGains = now > costBefore * (1 - TRIM_GAIN) ? smallGains + 1 : 0;
    costBefore = now;
    if (smallGains >= 2) break;
  }
  return staff;
}
