// The order flow recorded once and played back with other staffing (model/orders/tape.ts) must
// give the very run a fresh replication gives: every array of the replication, bit for bit,
// including the peak of order records alive, which depends on how fast the agents close the
// return tickets. On every shipped scenario and fixture with orders, in process and on workers.
import { describe, expect, it, beforeEach } from 'vitest';
import { compile } from '../src/model/compile.js';
import { findTape, dropTapes } from '../src/model/orders/tape.js';
import { makeLayout, runReplication } from '../src/model/replication.js';
import { ReplicationPool } from '../src/parallel/pool.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { withStaffing, type Staffing } from '../src/staffing/staffing.js';

const FILES = ['scenarios/double11.yaml', 'scenarios/teaching-returns.yaml', 'scenarios/teaching-warehouse.yaml', 'fixtures/orders-small.yaml', 'fixtures/plan/slow-warehouse.yaml', 'fixtures/fit/orders.yaml'];

/** Every number of a replication, as text (String keeps every digit). */
const text = (x: unknown) => JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, String) : v));

/** Other staffing: a third of the intervals an agent fewer (down to the pool's minimum of zero), a third one more. */
function other(s: Scenario, shift: number): Staffing {
  return s.pools.map((p) => Int32Array.from(p.staffing, (x, i) => Math.max(0, x + (((i + shift) % 3) - 1))));
}

function rep(s: Scenario, r: number, orderTape: boolean, reportSec = s.calendar.intervalSec) {
  return runReplication(compile(s), makeLayout(s, reportSec), s.seed, r, undefined, undefined, orderTape);
}

describe('the order flow played back from its tape', () => {
  beforeEach(() => dropTapes());

  it.each(FILES)('%s: recorded with one staffing, played back with two others, each run equals a fresh one', (file) => {
    const s = loadScenario(file, { replications: 1 });
    for (const r of [0, 2]) {
      const own = text(rep(s, r, true)); // records
      expect(findTape(s, s.seed, r)).not.toBeNull();
      for (const shift of [0, 1]) {
        const b = withStaffing(s, other(s, shift));
        expect(findTape(b, b.seed, r), 'the staffing is not part of the key').not.toBeNull();
        const fresh = text(rep(b, r, false));
        expect(fresh, 'the other staffing changes the run (or the test would prove nothing)').not.toBe(own);
        expect(text(rep(b, r, true)), `replication ${r}, staffing ${shift}`).toBe(fresh);
      }
      // and the recording's own staffing once more, at another report grain
      expect(text(rep(s, r, true, 3600))).toBe(text(rep(s, r, false, 3600)));
    }
  });

  it('is not played for another replication, seed, or order flow', () => {
    const s = loadScenario('fixtures/orders-small.yaml', { replications: 1 });
    rep(s, 0, true);
    expect(findTape(s, s.seed, 1)).toBeNull();
    expect(findTape({ ...s, seed: s.seed + 1 }, s.seed + 1, 0)).toBeNull();
    // a scenario whose logistics changed (as a sweep point's) is a new recording, and right
    const slower = loadScenario('fixtures/orders-small.yaml', { replications: 1, overrides: ['logistics.dispatch.perDay=50'] });
    expect(slower.orders).not.toBe(s.orders);
    expect(findTape(slower, slower.seed, 0)).toBeNull();
    // the same orders object with the other logistics: not this tape either
    expect(findTape({ ...s, logistics: slower.logistics }, s.seed, 0)).toBeNull();
    expect(text(rep(slower, 0, true))).toBe(text(rep(slower, 0, false)));
  });

  it('is played for the same order flow loaded again, or with other agents, bot or demand volumes', () => {
    const s = loadScenario('scenarios/double11.yaml', { replications: 1 });
    rep(s, 1, true);
    // loaded again (a compare side): other objects, the same order flow
    const again = loadScenario('scenarios/double11.yaml', { replications: 1 });
    expect(again.orders).not.toBe(s.orders);
    expect(findTape(again, again.seed, 1)).not.toBeNull();
    // a sweep point over the bot, the agents' speed and the demand curves' volume
    const other = loadScenario('scenarios/double11.yaml', { replications: 1, overrides: ['bot.resolve.presale=0.5', 'pools[0].efficiency=0.8', 'demand[0].curve.perDay=800'] });
    expect(findTape(other, other.seed, 1)).not.toBeNull();
    expect(text(rep(other, 1, true))).toBe(text(rep(other, 1, false)));
    // ... but not one over the order flow's busyness, a cause, or its curve (typed arrays, keyed by their bytes)
    for (const o of ['forecast.busyness.gamma.cv=0.2', 'orders.causes[0].perOrder=0.5', 'orders.curve.perDay=4001']) {
      const x = loadScenario('scenarios/double11.yaml', { replications: 1, overrides: [o] });
      expect(findTape(x, x.seed, 1), o).toBeNull();
    }
  });

  it('a run that was stopped keeps no tape', () => {
    const s = loadScenario('scenarios/double11.yaml', { replications: 1 });
    let asked = 0;
    expect(() => runReplication(compile(s), makeLayout(s, s.calendar.intervalSec), s.seed, 0, () => ++asked > 1, undefined, true)).toThrow(/stopped/);
    expect(findTape(s, s.seed, 0)).toBeNull();
  });

  it('on worker threads: rounds of other staffing on the same replications equal fresh runs here', async () => {
    const s = loadScenario('scenarios/teaching-returns.yaml', { replications: 1 });
    const pool = new ReplicationPool(2);
    try {
      for (const shift of [0, 1, 2]) {
        const staff = other(s, shift);
        const task = { staffing: staff, reportSec: s.calendar.intervalSec, trackNumberInSystem: false, noQuantiles: false, orderTape: true };
        const got = (await pool.run(s, task, [0, 1, 2, 3]))!;
        const b = withStaffing(s, staff);
        expect(text(got)).toBe(text([0, 1, 2, 3].map((r) => rep(b, r, false))));
      }
      // a scenario loaded again with slower agents (a sweep point, compare's side B) plays the same tapes
      const slower = loadScenario('scenarios/teaching-returns.yaml', { replications: 1, overrides: ['pools[0].handleTime.returns.lognormal.mean=15m'] });
      const task = { staffing: null, reportSec: slower.calendar.intervalSec, trackNumberInSystem: false, noQuantiles: false, orderTape: true };
      expect(text((await pool.run(slower, task, [0, 1, 2, 3]))!)).toBe(text([0, 1, 2, 3].map((r) => rep(slower, r, false))));
    } finally {
      pool.close();
    }
  });
});
