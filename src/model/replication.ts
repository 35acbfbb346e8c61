// Running one replication and packing what it measured into plain typed arrays (RepResult,
// stats/layout.ts): summaries are computed from these, in replication order, so the result does
// not depend on where or in what order they ran.

import { outOfMemory } from '../scenario/limits.js';
import type { RepResult } from '../stats/layout.js';
import type { ChannelCounter, StatsLayout } from '../stats/recorder.js';
import type { CompiledModel } from './compile.js';
import { Simulation, type TraceSink } from './simulation.js';

export function runReplication(model: CompiledModel, layout: StatsLayout, seed: number, replication: number, shouldStop?: () => boolean, trace?: TraceSink, orderTape = false): RepResult {
  const sim = new Simulation(model, { seed, replication, layout, shouldStop, trace, orderTape });
  let totals;
  try {
    totals = sim.run();
  } catch (e) {
    // a typed array that could not grow: memory ran out before MAX_LIVE (limits.ts) was reached
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(e.message)) throw outOfMemory(model.scenario, sim.peakLive, replication);
    throw e;
  } finally {
    sim.giveBackStorage();
  }
  const rec = sim.rec;
  const hist = rec.hist, nHist = layout.noQuantiles === true ? Math.ceil(layout.nBins / layout.binsPerReport) * layout.nChannels : hist.count;
  const p90 = new Float64Array(nHist);
  for (let i = 0; i < nHist; i++) p90[i] = hist.count === 0 ? NaN : hist.quantile(i, 0.9);
  const counters = {} as Record<ChannelCounter, Float64Array>;
  Object.assign(counters, rec.counters());
  return {
    replication,
    counters,
    within: rec.within,
    abandonedWithin: rec.abandonedWithin,
    maxK: rec.maxK,
    area: rec.area,
    nLevels: rec.nLevels,
    p90,
    p90Horizon: Float64Array.from({ length: layout.nChannels }, (_, ch) => (hist.count === 0 ? NaN : hist.horizonQuantile(ch, 0.9))),
    inSystem: totals.inSystem,
    queueTotals: rec.queueTotals,
    events: totals.events,
    peakContacts: totals.peakContacts,
    peakOrders: totals.peakOrders,
    nInSystem: sim.nInSystem ?? undefined,
    day: sim.daily.c,
    backlogEnd: sim.daily.backlogEnd,
    deadlines: { frKnown: sim.daily.frKnown, frMet: sim.daily.frMet, rsKnown: sim.daily.rsKnown, rsMet: sim.daily.rsMet, maxK: sim.daily.maxK },
  };
}

export { makeLayout, DEFAULT_SL_SEC, DEFAULT_TICKET_SL_SEC, type RepResult } from '../stats/layout.js';
