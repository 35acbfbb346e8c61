// The roster optimised with the simulation in the loop (an ILP ↔ simulation method in the spirit
// of Atlason, Epelman & Henderson and Cezik & L'Ecuyer): the integer program covers the interval
// plan (cover.ts), people take its shifts (people.ts), and then the shifts themselves are improved
// on the search's replications with common random numbers — every candidate roster sees the same
// customers. Where a window fails, a shift is added over the intervals its failure asks agents for
// (the cheapest allowed shift covering them); where every window touching a shift holds, the shift
// goes, or is shortened, in rounds that double after a success and halve after a failure; a removal
// that breaks a window is put back and the shift is kept from then on. Waits spill across intervals,
// so a roster the simulation confirms can carry less than the interval plan's cover. The verdict
// is the decision rule on fresh replications (verify), as for every plan; the verification's misses
// get shifts too (a few rounds). docs/roster.md.

import type { Scenario } from '../scenario/types.js';
import type { DecisionRule } from '../stats/verdict.js';
import type { SequentialOutput } from '../parallel/runner.js';
import type { PlanRun } from '../staffing/plan-run.js';
import { addFor, findFailures, slackIntervals, verificationFailures, type Failure } from '../staffing/search-rules.js';
import { clone, type Staffing } from '../staffing/staffing.js';
import { cover, type Cover, type CoverShift, type Highs } from './cover.js';
import { assignPeople, type OpenShift, type PeopleRoster } from './people.js';
import { defaultBreaks, paidSec, ShiftCalendar, shiftTypes, workIntervals, type ShiftType } from './shifts.js';

export interface PoolRoster {
  readonly pool: number;
  /**
   * Absence applied explicitly (roster.absence, default 0): the cover aims at `gross` =
   * ⌈required ÷ (1 − absence)⌉ people working (on shift, not on break), and of the `working` the
   * simulation staffs `productive` = ⌊working × (1 − absence)⌋. Breaks are in the roster itself;
   * the pool's `shrinkage` is the plan's (agent-hours to paid hours), not applied to a roster.
   */
  readonly gross: Int32Array | null;
  readonly productive: Int32Array;
  /** The integer program's cover of the interval plan (status, gap, time limit, what binds). */
  readonly cover: Cover | null;
  readonly shifts: readonly CoverShift[];
  readonly people: PeopleRoster | null;
  readonly paidHours: number;
  readonly cost: number;
}

export interface RosterResult {
  readonly pools: readonly PoolRoster[];
  /** Agents working (breaks out) per pool and interval: what the simulation staffs. */
  readonly working: Staffing;
  readonly paidHours: number;
  readonly cost: number;
}

/** Which pools are rostered (a pool kept as given, planning.fixed, keeps its staffing). */
const rostered = (s: Scenario, pi: number) => !s.pools[pi].planning.fixed;

type Counts = Map<string, CoverShift>[];
const keyOf = (t: ShiftType) => `${t.start}/${t.len}`;

/** One removal of the search: a shift of that shape fewer, or (shortened) one of the shorter shape instead. */
function applyRemoval(counts: Counts, c: { pi: number; key: string; shorter?: CoverShift }): void {
  const cur = counts[c.pi].get(c.key)!;
  counts[c.pi].set(c.key, { ...cur, count: cur.count - 1 });
  if (c.shorter) {
    const k2 = keyOf(c.shorter);
    const prev = counts[c.pi].get(k2) ?? { ...c.shorter, count: 0 };
    counts[c.pi].set(k2, { ...prev, count: prev.count + 1 });
  }
}

/** People for the shifts of every pool, and what the roster staffs. */
export function realise(s: Scenario, sc: ShiftCalendar, counts: Counts, need: Staffing, covers: readonly (Cover | null)[]): RosterResult {
  const working: Staffing = [];
  const pools: PoolRoster[] = [];
  let paid = 0, cost = 0;
  s.pools.forEach((p, pi) => {
    if (!rostered(s, pi)) {
      working.push(Int32Array.from(need[pi]));
      pools.push({ pool: pi, cover: null, gross: null, productive: Int32Array.from(need[pi]), shifts: [], people: null, paidHours: 0, cost: 0 });
      return;
    }
    const shifts = [...counts[pi].values()].filter((x) => x.count > 0).sort((a, b) => a.start - b.start || a.len - b.len);
    const g = grossNeed(p.roster.absence, need[pi]);
    const people = assignPeople(sc, p.name, p.roster, shifts, g);
    const hours = people.shifts.reduce((a, x) => a + x.paidHours, 0);
    const productive = Int32Array.from(people.working, (w) => Math.floor(w * (1 - p.roster.absence) + 1e-9));
    working.push(productive);
    pools.push({ pool: pi, cover: covers[pi], gross: g, productive, shifts, people, paidHours: hours, cost: hours * p.costPerHour });
    paid += hours;
    cost += hours * p.costPerHour;
  });
  return { pools, working, paidHours: paid, cost };
}

/** People working (on shift, not on break) that yield `need` productive agents after the absence. */
export function grossNeed(absence: number, need: ArrayLike<number>): Int32Array {
  return Int32Array.from(need, (x) => {
    let g = Math.ceil(x / (1 - absence) - 1e-9);
    while (Math.floor(g * (1 - absence) + 1e-9) < x) g++; // the simulation floors: make sure it yields x
    return g;
  });
}

/** The two-step roster: the integer program's cover of the plan, pool by pool, and its people. */
export function coverPlan(s: Scenario, sc: ShiftCalendar, highs: Highs, plan: Staffing, timeLimitSec?: number): { counts: Counts; covers: (Cover | null)[]; result: RosterResult } {
  const covers = s.pools.map((p, pi) => (rostered(s, pi) ? cover(highs, sc, grossNeed(p.roster.absence, plan[pi]), p.roster, { timeLimitSec }) : null));
  const counts: Counts = covers.map((c) => new Map((c?.shifts ?? []).map((x) => [keyOf(x), { ...x }])));
  return { counts, covers, result: realise(s, sc, counts, plan, covers) };
}

export interface ImproveOptions {
  readonly rule: DecisionRule;
  /** Most simulation rounds of the search on shifts. */
  readonly maxRounds: number;
  readonly onRound?: (stage: string, r: RosterResult, failing: number) => void;
}

/** Improve the two-step roster with the simulation in the loop, then verify it on fresh replications. */
export async function improveRoster(run: PlanRun, sc: ShiftCalendar, start: { counts: Counts; covers: (Cover | null)[] }, plan: Staffing, o: ImproveOptions): Promise<{ result: RosterResult; verified: SequentialOutput; rounds: number }> {
  const s = run.base;
  const n = s.calendar.intervals, iv = s.calendar.intervalSec;
  const counts: Counts = start.counts.map((m) => new Map([...m].map(([k, v]) => [k, { ...v }])));
  // every shape each pool may use, with the intervals it works and its paid hours
  const shapes = s.pools.map((p, pi) => (rostered(s, pi) ? shiftTypes(sc, p.roster).map((t) => ({ t, work: workIntervals({ ...t, breaks: defaultBreaks(t, iv, p.roster) }, iv, p.roster, n), paid: paidSec(t.len, iv, p.roster) / 3600 })) : []));
  const tight = s.pools.map(() => new Set<string>());
  // Shifts the search wants but nobody may work (the people's rules, a headcount) are taken out
  // of the roster again and remembered, with the rules that stopped each person, for the report.
  const openLog: OpenShift[][] = s.pools.map(() => []);
  const settle = (): RosterResult => {
    const r0 = realise(s, sc, counts, plan, start.covers);
    let pruned = false;
    r0.pools.forEach((x) => {
      for (const o of x.people?.open ?? []) {
        const key = keyOf(o);
        const c = counts[x.pool].get(key);
        if (c && c.count > 0) { counts[x.pool].set(key, { ...c, count: c.count - 1 }); pruned = true; }
        openLog[x.pool].push(o);
      }
    });
    return pruned ? realise(s, sc, counts, plan, start.covers) : r0;
  };
  let result = settle();
  let rounds = 0;
  const nA = run.o.searchReps;

  /** Shifts over the intervals the failures ask agents for (the planner's own rule, addFor). */
  const addShifts = (failures: readonly Failure[], out: Parameters<typeof addFor>[3]) => {
    const scratch = clone(result.working);
    for (const f of failures) addFor(s, scratch, f, out, 1);
    let added = 0;
    s.pools.forEach((p, pi) => {
      if (!rostered(s, pi)) return;
      // agents wanted (productive) → people working, through the absence
      const want = Int32Array.from(scratch[pi], (x, i) => Math.max(0, Math.ceil((x - result.working[pi][i]) / (1 - p.roster.absence) - 1e-9)));
      for (let i = 0; i < n; i++) {
        while (want[i] > 0) {
          // the shape that covers interval i and the most other wanted intervals per paid hour
          let best = -1, bestScore = -Infinity;
          shapes[pi].forEach((x, j) => {
            if (!x.work.includes(i)) return;
            let gain = 0;
            for (const k of x.work) if (want[k] > 0) gain++;
            const score = gain / x.paid;
            if (score > bestScore) { bestScore = score; best = j; }
          });
          if (best < 0) { want[i] = 0; break; }
          const x = shapes[pi][best];
          const key = keyOf(x.t);
          const c = counts[pi].get(key) ?? { ...x.t, count: 0 };
          counts[pi].set(key, { ...c, count: c.count + 1 });
          tight[pi].add(key);
          for (const k of x.work) if (want[k] > 0) want[k]--;
          added++;
        }
      }
    });
    return added;
  };

  // ---- the search on shifts ----
  let batch = 0; // shifts a removal round takes (0: not sized yet)
  let out: Awaited<ReturnType<typeof run.search>> | null = null; // the search's run of `result`, while it stands
  while (rounds < o.maxRounds) {
    if (out === null) {
      rounds++;
      out = await run.search(result.working, nA);
    }
    const fails = run.buyable(findFailures(s, out, run.o.confidence)).filter((f) => !f.ciOnly);
    o.onRound?.(`roster search: targets on ${nA} replications (common random numbers)`, result, fails.length);
    if (fails.length > 0) {
      const before = result.working.reduce((a, x) => a + x.reduce((b, v) => b + v, 0), 0);
      if (addShifts(fails, out) === 0) break; // nothing more can be added
      result = settle();
      out = null;
      // shifts nobody may take (the people's rules) add nothing: more would not either
      if (result.working.reduce((a, x) => a + x.reduce((b, v) => b + v, 0), 0) === before) break;
      continue;
    }
    // removals: shifts whose every working interval is slack on its channel
    const slack = slackIntervals(s, out, run.o.confidence, (t) => run.notByStaffing.has(t.path));
    const candidates: { pi: number; key: string; shorter?: CoverShift }[] = [];
    s.pools.forEach((p, pi) => {
      if (!rostered(s, pi)) return;
      for (const [key, c] of counts[pi]) {
        if (c.count <= 0 || tight[pi].has(key)) continue;
        const x = shapes[pi].find((y) => keyOf(y.t) === key);
        if (!x) continue;
        // where the roster covers more than the plan's gross need, one person fewer still covers
        // it; below it, the interval must be slack on the search's replications
        const pr = result.pools[pi];
        const canLose = (i: number) => pr.people!.working[i] - 1 >= pr.gross![i] || slack[p.channel][i] === 1;
        if (x.work.every(canLose)) { candidates.push({ pi, key }); continue; }
        // or shorter, at the same start, where the hours it drops are slack
        const lens = [...p.roster.lengthsSec].map((l) => l / iv).filter((l) => l < c.len).sort((a, b) => b - a);
        for (const l of lens) {
          const y = shapes[pi].find((z) => z.t.start === c.start && z.t.len === l);
          if (!y) continue;
          const dropped = x.work.filter((i) => !y.work.includes(i));
          if (dropped.length > 0 && dropped.every(canLose)) { candidates.push({ pi, key, shorter: { start: c.start, len: l, count: 1 } }); break; }
        }
      }
    });
    if (candidates.length === 0) break;
    if (batch === 0) batch = Math.max(1, Math.floor(candidates.length / 12));
    // spread the round's removals over the horizon: every k-th candidate
    const take = candidates.length <= batch ? candidates : candidates.filter((_, k) => k % Math.ceil(candidates.length / batch) === 0).slice(0, batch);
    const trialCounts: Counts = counts.map((m) => new Map([...m].map(([k, v]) => [k, { ...v }])));
    for (const c of take) applyRemoval(trialCounts, c);
    const trial = realise(s, sc, trialCounts, plan, start.covers);
    if (trial.cost >= result.cost - 1e-9) { for (const c of take) tight[c.pi].add(c.key); continue; }
    rounds++;
    const tried = await run.search(trial.working, nA);
    // a removal may not break a window that holds now (one that is short of precision already,
    // ok on its mean but not on its bound, may stay so: the verification decides it)
    const wk = (f: Failure) => `${f.target.path}@${f.windowIndex}`;
    const before = new Set(run.buyable(findFailures(s, out, run.o.confidence)).map(wk));
    const bad = run.buyable(findFailures(s, tried, run.o.confidence)).filter((f) => !before.has(wk(f)));
    if (bad.length === 0) {
      for (let pi = 0; pi < counts.length; pi++) counts[pi] = trialCounts[pi];
      result = trial;
      out = tried;
      batch *= 2;
      o.onRound?.(`roster search: ${take.length} shift${take.length === 1 ? '' : 's'} removed or shortened`, result, 0);
      continue;
    }
    // Put back the removals near a window they broke (same channel, its interval or a neighbour:
    // waits spill) and keep them from now on; keep the others — the next round simulates the
    // result, and adds shifts where it still fails. A single removal that breaks is simply kept.
    const broken = new Set<string>();
    for (const f of bad) for (const [ch, i] of f.intervals(s)) broken.add(`${ch}/${i}`);
    const blamed = take.filter((c) => {
      const ch = s.pools[c.pi].channel;
      const x = shapes[c.pi].find((y) => keyOf(y.t) === c.key)!;
      return x.work.some((i) => broken.has(`${ch}/${i}`) || broken.has(`${ch}/${i + 1}`) || broken.has(`${ch}/${i - 1}`));
    });
    for (const c of take.length === 1 || blamed.length === 0 ? take : blamed) tight[c.pi].add(c.key);
    const kept = take.length === 1 || blamed.length === 0 ? [] : take.filter((c) => !blamed.includes(c));
    o.onRound?.(`roster search: ${take.length} removal${take.length === 1 ? '' : 's'} tried, ${kept.length} kept`, trial, bad.length);
    if (kept.length > 0) {
      for (const c of kept) applyRemoval(counts, c);
      result = realise(s, sc, counts, plan, start.covers);
      out = null;
    }
    batch = Math.max(1, Math.floor(batch / 2));
  }

  // ---- the verdict on fresh replications, with a few repairs ----
  let verified = await run.verify(result.working, o.rule, {});
  for (let k = 0; k < 3; k++) {
    const misses = run.buyable(verificationFailures(s, verified)).filter((f) => !f.ciOnly);
    o.onRound?.('roster verification on fresh replications', result, misses.length);
    if (misses.length === 0) break;
    const before = result.working.reduce((a, x) => a + x.reduce((b, v) => b + v, 0), 0);
    if (addShifts(misses, verified) === 0) break;
    result = settle();
    if (result.working.reduce((a, x) => a + x.reduce((b, v) => b + v, 0), 0) === before) break; // nobody may take them
    verified = await run.verify(result.working, o.rule, {});
  }
  // the open shifts of the whole search, each once
  const pools = result.pools.map((x) => {
    if (x.people === null) return x;
    const seen = new Set<string>();
    const open = [...openLog[x.pool], ...x.people.open].filter((q) => { const k = `${q.start}/${q.len}/${JSON.stringify(q.why)}`; if (seen.has(k)) return false; seen.add(k); return true; });
    open.sort((a, b) => a.start - b.start || a.len - b.len);
    return { ...x, people: { ...x.people, open } };
  });
  return { result: { ...result, pools }, verified, rounds };
}

export { ShiftCalendar };
