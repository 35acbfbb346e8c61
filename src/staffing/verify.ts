// The planner's verification: the plan judged on replications the search never saw (0, 1, … of
// the seed — what `peakplan check` runs), with the decision rule of every command (verdict.ts):
// replications are added in looks while a window is undecided, up to maxReps. A window that
// misses, or is still undecided at the budget, gets agents and the plan is judged again on the
// same replications; the repairs never remove, so nothing these replications let pass was chosen
// for passing on them.

import type { SequentialOutput } from '../parallel/runner.js';
import { lookSchedule, meets, type DecisionRule, type SequentialJudge } from '../stats/verdict.js';
import type { PlanRun } from './plan-run.js';
import { saturated, verificationFailures } from './search-rules.js';
import type { Staffing } from './staffing.js';

/** Rounds of repair after the first verification, each on the same fresh replications. */
const VERIFY_REPAIRS = 4;

/** Verifies and repairs `staff` in place; returns the final plan's verification (the whole rule). */
export async function verifyPlan(run: PlanRun, staff: Staffing): Promise<SequentialOutput> {
  const { base, o } = run;
  const rule: DecisionRule = { confidence: o.confidence, looks: lookSchedule(o.verifyReps, Math.max(o.verifyReps, o.maxReps)) };
  // A round's looks stop early once more replications could not spare an agent: every window
  // still undecided either holds on the wrong side of its mean (it gets agents anyway) or cannot
  // move (every contact in time already). Once a round finds nothing to repair, its looks go on to
  // the budget, to decide what can be decided, before the plan's verdict is given.
  const sparesNothing = (j: SequentialJudge) => j.targets().every((tj) => run.notByStaffing.has(tj.target.path) || tj.windows.every((w) => w.verdict !== 'undecided' || saturated(tj.target, w.value.mean) || !meets(tj.target, w.value.mean)));
  let verified = await run.verify(staff, rule, { enough: sparesNothing });
  for (let round = 0; ; round++) {
    let misses = o.isaOnly ? [] : run.buyable(verificationFailures(base, verified));
    if (misses.length === 0 && verified.judge.next !== null) {
      verified = await run.verify(staff, rule, { from: verified });
      misses = o.isaOnly ? [] : run.buyable(verificationFailures(base, verified));
    }
    run.record(`${round === 0 ? 'verification on fresh replications' : 'verification after repair'} (${verified.reps.length} of at most ${rule.looks[rule.looks.length - 1]})`, staff, misses.length, misses[0]?.describe ?? '');
    if (misses.length === 0 || round === VERIFY_REPAIRS) break;
    const given = run.notByStaffing.size;
    if (run.addAll(staff, misses, verified) === 0 && run.notByStaffing.size === given) break;
    verified = await run.verify(staff, rule, { enough: sparesNothing });
  }
  // the plan's verdict is the whole rule on the final plan (what `check` with the same seed and
  // budget reproduces), also when the repairs ran out in a round that stopped its looks early
  if (verified.judge.next !== null) verified = await run.verify(staff, rule, { from: verified });
  return verified;
}
