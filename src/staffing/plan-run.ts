// One run of the planner: its scenario and options, the simulations it asks for (and what they
// cost in replications and rounds), the stage log, and what the stages learn about windows as
// they go (how often each failed, which interval-pools cannot give an agent up, what cannot be
// met within the constraints). The stages (iterative.ts, search.ts, verify.ts) share it.

import { simulateScenarioAsync, simulateSequential, type RunOutput, type SequentialOptions, type SequentialOutput } from '../parallel/runner.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { DecisionRule } from '../stats/verdict.js';
import { SEARCH_FIRST } from './analytical.js';
import type { PlanOptions, PlanStageLog } from './planner.js';
import { addFor, type Failure } from './search-rules.js';
import { PlanStopped, smooth, staffingCost, withStaffing, type Staffing } from './staffing.js';

export class PlanRun {
  readonly log: PlanStageLog[] = [];
  /** Replications simulated so far (every stage). */
  repsRun = 0;
  /** Simulation rounds of stages 2 and 3 so far (bounded by maxRounds). */
  rounds = 0;
  /** Interval-pools where agents had to be added, or a single agent could not go: the search leaves them. */
  readonly tight: Uint8Array[];
  /** Per target path: windows agents could not be added for (at the planning maximum). */
  readonly infeasible = new Map<string, { t: Target; windows: Set<string> }>();
  // How often each window has failed so far (search and verification): a window that fails again
  // after agents were added gets twice the step, then four times (at most eight), so a stubborn
  // window is fixed in two or three simulation rounds rather than one agent per round. Rounds are
  // the cost of planning (each is a batch of replications); an agent too many in one interval is cheap.
  private readonly failedBefore = new Map<string, number>();
  // A window whose mean holds and only its interval crosses the bound is short of precision as
  // much as of capacity (a complaint rate driven by late parcels does not fall with more agents):
  // it gets one step at a time, never an escalated one, and after three such rounds no more.
  private readonly noisy = new Map<string, number>();

  constructor(readonly base: Scenario, readonly o: PlanOptions) {
    this.tight = base.pools.map(() => new Uint8Array(base.calendar.intervals));
  }

  /** Replications of a staffing (the search's, from SEARCH_FIRST, unless `first` says otherwise). */
  async search(staff: Staffing, reps = this.o.searchReps, first = SEARCH_FIRST, trackN = false, quantiles = false, rule?: DecisionRule): Promise<RunOutput> {
    const o = this.o;
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    this.repsRun += reps;
    const s = { ...withStaffing(this.base, staff), replications: reps };
    const opts = {
      reportSec: this.base.calendar.intervalSec, firstReplication: first, shouldStop: o.shouldStop, trackNumberInSystem: trackN, noQuantiles: !quantiles,
      pool: o.pool, base: this.base, skipSummary: !quantiles,
    };
    const out = rule !== undefined ? await simulateSequential(s, rule, opts) : await simulateScenarioAsync(s, opts);
    if (out === null) throw new PlanStopped('stopped');
    return out;
  }

  /** The verification's replications 0, 1, … of a staffing, in the rule's looks (or going on from an earlier run). */
  async verify(staff: Staffing, rule: DecisionRule, more: Pick<SequentialOptions, 'enough' | 'from'>): Promise<SequentialOutput> {
    const o = this.o;
    if (o.shouldStop?.()) throw new PlanStopped('stopped');
    const before = more.from?.reps.length ?? 0;
    const out = await simulateSequential({ ...withStaffing(this.base, staff), replications: rule.looks[0] }, rule, {
      reportSec: this.base.calendar.intervalSec, firstReplication: 0, shouldStop: o.shouldStop, pool: o.pool, base: this.base, ...more,
    });
    if (out === null) throw new PlanStopped('stopped');
    this.repsRun += out.reps.length - before;
    return out;
  }

  record(stage: string, staff: Staffing, failing: number, worst: string): void {
    const { cost, agentHours } = staffingCost(this.base, staff);
    const entry = { stage, round: this.rounds, cost, failing, worst, agentHours };
    this.log.push(entry);
    this.o.onProgress?.(entry);
  }

  /** How many steps a failure gets this time (0: no more). */
  private escalation(f: Failure): number {
    const key = `${f.target.path}@${f.window}`;
    if (f.ciOnly) {
      const n = (this.noisy.get(key) ?? 0) + 1;
      this.noisy.set(key, n);
      return n > 3 ? 0 : 1;
    }
    const k = this.failedBefore.get(key) ?? 0;
    this.failedBefore.set(key, k + 1);
    return 2 ** Math.min(3, k);
  }

  /** Agents for every failure, then smoothing; returns how many were added. */
  addAll(staff: Staffing, failures: readonly Failure[], out: RunOutput): number {
    let added = 0;
    for (const f of failures) {
      const times = this.escalation(f);
      if (times === 0) continue;
      const n = addFor(this.base, staff, f, out, times, this.tight);
      if (n === 0 && !f.ciOnly) {
        const key = f.target.path;
        if (!this.infeasible.has(key)) this.infeasible.set(key, { t: f.target, windows: new Set() });
        this.infeasible.get(key)!.windows.add(f.window);
      }
      added += n;
    }
    smooth(this.base, staff);
    return added;
  }
}
