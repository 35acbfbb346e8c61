// The planner: the cheapest staffing per interval and pool that meets every target. The stages,
// each in its own file:
//
//   measure.ts     stage 0  the offered load per interval and channel, simulated with ample staff
//   analytical.ts  stage 1  Erlang A/C on the modified offered load, allocated to the cheapest
//                           pools within their constraints (and the naive per-interval plan)
//   iterative.ts   stage 2  iterative staffing (Feldman, Mandelbaum, Massey & Whitt 2008)
//   search.ts      stage 3  common-random-numbers search that adds where targets miss and trims
//                           to the frontier
//   verify.ts      stage 4  verification on replications the search never saw, with repairs
//
// plan-run.ts holds what the stages share; staffing.ts the staffing vector and its helpers;
// search-rules.ts what the search and the verification make of a run's windows. Pure: takes a
// Scenario, returns plain data; progress and cancellation come in as callbacks.

import type { ReplicationPool } from '../parallel/pool.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { SimulationResult } from '../stats/summary.js';
import { singleLook } from '../stats/verdict.js';
import { analyticalStaffing } from './analytical.js';
import { iterativeStaffing } from './iterative.js';
import { PlanRun } from './plan-run.js';
import { trimToFrontier } from './search.js';
import { staffingCost, withStaffing, type Staffing } from './staffing.js';
import { verifyPlan } from './verify.js';

export { analyticalStaffing, SEARCH_FIRST, type AnalyticalOptions, type AnalyticalStaffing } from './analytical.js';
export { PlanStopped, staffingCost, withStaffing, type Staffing } from './staffing.js';

export interface PlanOptions {
  /** Replications per evaluation during the search (common random numbers: the same ones each time). */
  readonly searchReps: number;
  /** Fresh replications of the verification's first look. */
  readonly verifyReps: number;
  /** The most replications the verification may add while a window is undecided (looks double up to it). */
  readonly maxReps: number;
  /** The confidence of every verdict (verdict.ts); the search's own cushion is taken at it too. */
  readonly confidence: number;
  /** Most simulation rounds in stages 2 and 3 together. */
  readonly maxRounds: number;
  /** Stop after stage 2 (iterative staffing) and verify that: for studying the stage alone. */
  readonly isaOnly?: boolean;
  /** Rounds of iterative staffing (default 3). */
  readonly isaRounds?: number;
  /**
   * How iterative staffing rounds: 'up' (default) takes the smallest s with P(N ≥ s) ≤ α, safe for
   * service-level targets; 'nearest' takes the s whose P(N ≥ s) is nearest α, which keeps the
   * delay probability centred on α over time (Feldman et al.'s time-stability experiments).
   */
  readonly isaRounding?: 'up' | 'nearest';
  /** α for iterative staffing instead of the one derived from the stationary solution. */
  readonly isaAlpha?: number;
  readonly onProgress?: (p: PlanProgress) => void;
  readonly shouldStop?: () => boolean;
  /** Worker threads (the base scenario is shared with them once; each candidate sends its staffing). */
  readonly pool?: ReplicationPool;
  /** Order tapes kept on disk between runs (plan --cache, parallel/tape-cache.ts). */
  readonly tapeCache?: string;
}

export interface PlanProgress {
  readonly stage: string;
  readonly round: number;
  readonly cost: number;
  readonly failing: number;
  readonly worst: string;
}

export interface PlanStageLog extends PlanProgress {
  readonly agentHours: number;
}

export interface Infeasible {
  readonly target: string;
  readonly path: string;
  readonly windows: readonly string[];
}

export interface PlanResult {
  readonly scenario: Scenario; // with the final staffing
  readonly plan: Staffing;
  readonly start: Staffing;
  readonly naive: Staffing;
  readonly log: readonly PlanStageLog[];
  readonly verified: SimulationResult;
  readonly naiveVerified: SimulationResult;
  readonly cost: number;
  readonly naiveCost: number;
  readonly agentHours: number;
  readonly naiveAgentHours: number;
  /** Replications simulated in all (search, stages, verification). */
  readonly replicationsRun: number;
  readonly infeasible: readonly Infeasible[];
  /** Targets staffing does not meet (agents do not move them, or only past all reason): not bought for. */
  readonly notByStaffing: readonly NotMetByStaffing[];
  readonly alpha: readonly number[];
}

export interface NotMetByStaffing {
  readonly target: string;
  readonly path: string;
  /** Why the planner gave up on it: the paired effect of the agents it had added. */
  readonly why: string;
  /** What drives it, from the verification (e.g. complaints by cause). */
  readonly drivers: string;
  readonly addedHours: number;
  readonly improvement: { readonly mean: number; readonly lo: number; readonly hi: number };
}

/** What drives a target agents cannot move: for complaints, their causes' shares. */
function driversOf(t: Target, r: SimulationResult): string {
  if (t.metric === 'complaintsPer1000Orders') {
    const by = { 'late parcels': 0, 'late refunds': 0, 'long waits': 0, 'abandonment': 0 };
    for (const d of r.days) {
      by['late parcels'] += d.complaintsBy.late.mean;
      by['late refunds'] += d.complaintsBy.refund.mean;
      by['long waits'] += d.complaintsBy.wait.mean;
      by.abandonment += d.complaintsBy.abandon.mean;
    }
    const total = Object.values(by).reduce((a, x) => a + x, 0);
    if (total > 0) {
      return 'complaints by cause: ' + Object.entries(by).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${Math.round((100 * v) / total)}%`).join(', ') + ' (late parcels come from the warehouse and the carriers, late refunds from the refund process: logistics and after-sales, not agents)';
    }
  }
  return 'its windows did not respond to agents on the same replications';
}


export async function plan(base: Scenario, o: PlanOptions): Promise<PlanResult> {
  const run = new PlanRun(base, o);
  // stages 0 and 1: the measured offered load and the analytical (Erlang) staffing
  const analytical = await analyticalStaffing(base, { ...o, naive: true });
  run.repsRun += analytical.replicationsRun;
  const { start } = analytical;
  const naive = analytical.naive!; // asked for above
  run.record('analytical start (Erlang on the modified offered load)', start, -1, '');
  // stage 2: iterative staffing on the number in system; stage 3: the search
  const isa = await iterativeStaffing(run, analytical);
  const staff = await trimToFrontier(run, isa, start);
  // stage 4: verification on fresh replications, repairs in place
  const verified = await verifyPlan(run, staff);
  // the naive plan, for comparison, on the verification's first look
  const naiveVerified = (await run.search(naive, o.verifyReps, 0, false, true, singleLook(o.confidence, o.verifyReps))).result;
  const c = staffingCost(base, staff), nc = staffingCost(base, naive);
  // what the search could not add for and the verification still does not see met
  const stillMissing = verified.result.targets.filter((t) => t.verdict !== 'meets' && t.verdict !== 'none').map((t) => t.path);
  return {
    scenario: withStaffing(base, staff),
    plan: staff,
    start,
    naive,
    log: run.log,
    verified: verified.result,
    naiveVerified,
    cost: c.cost,
    naiveCost: nc.cost,
    agentHours: c.agentHours,
    naiveAgentHours: nc.agentHours,
    replicationsRun: run.repsRun,
    infeasible: [...run.infeasible.values()].filter(({ t }) => stillMissing.includes(t.path) && !run.notByStaffing.has(t.path)).map(({ t, windows }) => ({ target: t.id, path: t.path, windows: [...windows].slice(0, 50) })),
    notByStaffing: [...run.notByStaffing.values()].map((x) => ({ target: x.target.id, path: x.target.path, why: x.why, drivers: driversOf(x.target, verified.result), addedHours: x.addedHours, improvement: x.improvement })),
    alpha: analytical.alpha,
  };
}
