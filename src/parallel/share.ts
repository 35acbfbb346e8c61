// A loaded scenario sent to worker threads. postMessage copies it by structured clone (about 6 ms
// for the built-in scenario), which keeps Maps and typed arrays but not classes: a Distribution
// arrives as a plain object of its fields. reviveScenario rebuilds each one from its spec (the
// constructor is a pure function of the spec, so the rebuilt one samples exactly as the original).
// Why send the scenario rather than let each worker load the file: loading means importing the
// YAML parser and the schema validator and parsing, validating and normalising again — about half
// a second per worker, spent while the main thread does the same on the same two cores, and all
// of it before the first replication can start.

import { Distribution } from '../engine/distributions.js';
import type { Scenario } from '../scenario/types.js';

/** Scenarios a worker keeps; the pool forgets the same ones, oldest first (see ReplicationPool.share). */
export const KEEP_SHARED = 4;

/** The fields a Distribution has and a structured clone keeps. */
function isClonedDistribution(o: object): o is { spec: ConstructorParameters<typeof Distribution>[0] } {
  return 'spec' in o && 'code' in o && 'values' in o && o.values instanceof Float64Array && !(o instanceof Distribution);
}

/** The scenario as the main thread had it: every cloned Distribution made a Distribution again (in place). */
export function reviveScenario(cloned: unknown): Scenario {
  const done = new Map<object, unknown>();
  const revive = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    const seen = done.get(v);
    if (seen !== undefined) return seen;
    if (isClonedDistribution(v)) {
      const d = new Distribution(v.spec);
      done.set(v, d);
      return d;
    }
    done.set(v, v);
    if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, revive(x));
    } else if (v instanceof Set) {
      const items = [...v].map(revive);
      v.clear();
      for (const x of items) v.add(x);
    } else {
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) rec[k] = revive(rec[k]);
    }
    return v;
  };
  return revive(cloned) as Scenario;
}
