// The CI gate's verdict: every target in every window it applies to, judged at a chosen
// confidence. At confidence 0.5 a window holds when its mean over the replications meets the
// bound (the planner's own criterion); at c > 0.5 it holds only when the one-sided c confidence
// bound does (for 'at least' targets the lower bound, for 'at most' ones the upper bound).

import type { RepResult } from '../model/replication.js';
import type { Scenario, Target } from '../scenario/types.js';
import type { StatsLayout } from './recorder.js';
import { meets, targetWindows, type Est } from './summary.js';

export interface WindowVerdict {
  readonly start: string;
  /** Mean and the two-sided interval whose end is the one-sided bound at the chosen confidence. */
  readonly value: Est;
  readonly holds: boolean;
}

export interface TargetVerdict {
  readonly target: Target;
  /** Windows with something to measure. */
  readonly evaluated: number;
  readonly missed: readonly WindowVerdict[];
  /** The window furthest on the wrong side (by its mean), or null when none was evaluated. */
  readonly worst: WindowVerdict | null;
  readonly holds: boolean;
}

export function judgeTargets(s: Scenario, layout: StatsLayout, reps: readonly RepResult[], confidence: number): TargetVerdict[] {
  // one-sided confidence c ↔ the two-sided interval at level 2c − 1
  const level = confidence > 0.5 ? 2 * confidence - 1 : 0.95;
  const holds = (t: Target, e: Est): boolean => {
    if (confidence <= 0.5) return meets(t, e.mean);
    return meets(t, t.sense === 'atLeast' ? e.lo : e.hi) && meets(t, e.mean);
  };
  return s.targets.map((t) => {
    const missed: WindowVerdict[] = [];
    let worst: WindowVerdict | null = null;
    let evaluated = 0;
    for (const w of targetWindows(s, layout, reps, t, level)) {
      if (!w.evaluated) continue;
      evaluated++;
      const v: WindowVerdict = { start: w.start, value: w.value, holds: holds(t, w.value) };
      if (!v.holds) missed.push(v);
      if (worst === null || (t.sense === 'atLeast' ? v.value.mean < worst.value.mean : v.value.mean > worst.value.mean)) worst = v;
    }
    return { target: t, evaluated, missed, worst, holds: missed.length === 0 };
  });
}
