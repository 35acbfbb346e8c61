// `peakplan plan`: the cheapest staffing per interval and pool that meets every target, verified
// on fresh replications. Exit 0 when the verified plan meets every target, 1 when a target is
// missed or cannot be met within the planning constraints, 2 on bad input.

import { InterruptedError, UsageError } from '../errors.js';
import { prewarmPool, takePool, type ReplicationPool } from '../parallel/pool.js';
import { renderRoster, rosterJson, type RosterOutcome } from '../report/roster.js';
import type { SimulationResult } from '../stats/summary.js';
import { loadSolver } from '../roster/cover.js';
import { coverPlan, improveRoster, ShiftCalendar } from '../roster/improve.js';
import { renderCoverageCsv, renderPeopleRosterCsv } from '../roster/csv.js';
import { PlanRun } from '../staffing/plan-run.js';
import type { Scenario } from '../scenario/types.js';
import { renderPlanCsv, renderPlan, renderStaffingSheetCsv } from '../report/plan.js';
import { jsonText } from '../report/json.js';
import { secondsOfLocalDay, shortLabel } from '../scenario/time.js';
import { plan, PlanStopped, type PlanProgress } from '../staffing/planner.js';
import { busiestDay } from '../report/table.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { decisionOptions, durationOption, intOption, type DecisionCliOptions } from './options.js';
import { passes } from '../stats/verdict.js';
import { loadWithPlan, scenarioPath, viewWindow, type CommandContext } from './simulate.js';
import { workersOption } from './run.js';
import { openTapeCache } from './cache.js';

import { DEFAULT_MAX_ROUNDS, DEFAULT_ROSTER_ROUNDS, DEFAULT_SEARCH_REPS, DEFAULT_SOLVER_TIME_LIMIT } from '../defaults.js';
import { writeWorkbook, xlsxOption, type XlsxCliOptions } from './xlsx.js';

export interface PlanCliOptions extends DecisionCliOptions, XlsxCliOptions {
  workers?: string;
  cache?: string;
  shifts?: boolean;
  shiftLengths?: string;
  shiftStartEvery?: string;
  rosterOut?: string;
  coverageOut?: string;
  rosterRounds?: string;
  solverTimeLimit?: string;
  staffingOut?: string;
  excel?: boolean;
  seed?: string;
  searchReps?: string;
  reps?: string;
  out?: string;
  json?: boolean;
  verbose?: boolean;
  maxRounds?: string;
  from?: string;
  to?: string;
  all?: boolean;
  allowOutside?: boolean;
  progress?: boolean;
  set?: string[];
}

export async function planCommand(arg: string | undefined, opts: PlanCliOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  if (opts.rosterOut !== undefined) checkOutputPath(opts.rosterOut, '--roster-out');
  if (opts.coverageOut !== undefined) checkOutputPath(opts.coverageOut, '--coverage-out');
  if (opts.staffingOut !== undefined) checkOutputPath(opts.staffingOut, '--staffing-out');
  if (opts.excel && opts.out === undefined && opts.rosterOut === undefined && opts.staffingOut === undefined && opts.coverageOut === undefined) {
    throw new UsageError('--excel applies to CSV output; add --out, --staffing-out, --roster-out or --coverage-out FILE', { path: '--excel' });
  }
  const shiftOnly = { '--roster-out': opts.rosterOut, '--coverage-out': opts.coverageOut, '--shift-lengths': opts.shiftLengths, '--shift-start-every': opts.shiftStartEvery, '--roster-rounds': opts.rosterRounds, '--solver-time-limit': opts.solverTimeLimit };
  if (!opts.shifts && Object.values(shiftOnly).some((v) => v !== undefined)) {
    throw new UsageError('--roster-out, --coverage-out, --shift-lengths, --shift-start-every, --roster-rounds and --solver-time-limit go with --shifts', { path: '--shifts' });
  }
  // --shift-lengths and --shift-start-every override every pool's roster rules
  const lengthsSec = opts.shiftLengths !== undefined ? opts.shiftLengths.split(',').map((x) => durationOption(x.trim(), '--shift-lengths', 3600, 16 * 3600)) : null;
  const startEverySec = opts.shiftStartEvery !== undefined ? durationOption(opts.shiftStartEvery, '--shift-start-every', 60, 86400) : null;
  const rosterRounds = opts.rosterRounds !== undefined ? intOption(opts.rosterRounds, '--roster-rounds', 1, 1000) : DEFAULT_ROSTER_ROUNDS;
  const solverTimeLimit = opts.solverTimeLimit !== undefined ? intOption(opts.solverTimeLimit, '--solver-time-limit', 1, 3600) : DEFAULT_SOLVER_TIME_LIMIT;
  const searchReps = opts.searchReps !== undefined ? intOption(opts.searchReps, '--search-reps', 2, 200) : DEFAULT_SEARCH_REPS;
  const maxRounds = opts.maxRounds !== undefined ? intOption(opts.maxRounds, '--max-rounds', 1, 500) : DEFAULT_MAX_ROUNDS;
  const xlsx = xlsxOption(opts);
  const workers = workersOption(opts.workers);
  prewarmPool(workers);
  // --reps is the first look's replications, as in every command (the scenario's by default)
  const s = loadWithPlan(path, { seed: opts.seed, reps: opts.reps, allowOutside: opts.allowOutside, set: opts.set });
  if (opts.shifts && (lengthsSec !== null || startEverySec !== null)) {
    const iv = s.calendar.intervalSec;
    if ((startEverySec ?? iv) % iv !== 0 || (lengthsSec ?? []).some((l) => l % iv !== 0)) {
      throw new UsageError(`shift lengths and starts must be whole multiples of the ${iv / 60}-minute interval`, { path: lengthsSec !== null ? '--shift-lengths' : '--shift-start-every' });
    }
  }
  const sr: Scenario = !opts.shifts ? s : {
    ...s,
    pools: s.pools.map((p) => ({ ...p, roster: { ...p.roster, lengthsSec: lengthsSec ?? p.roster.lengthsSec, starts: { ...p.roster.starts, everySec: startEverySec ?? p.roster.starts.everySec } } })),
  };
  const verifyReps = s.replications;
  const { rule, policy } = decisionOptions(opts, verifyReps, s);
  const off = s.calendar.offsetMinutes;
  const { from, to } = viewWindow(s, opts);
  const tapeCache = opts.cache !== undefined ? openTapeCache(opts.cache) : undefined;

  const interrupt = new Interrupt();
  const started = Date.now();
  const progress = (p: PlanProgress) => {
    if (opts.progress === false || !process.stderr.isTTY && !opts.verbose) return;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    ctx.stderr(`[${secs}s] ${p.stage} · round ${p.round} · cost ${Math.round(p.cost).toLocaleString('en-US')}` +
      (p.failing >= 0 ? ` · failing ${p.failing}` : '') + (p.worst ? ` · ${p.worst}` : '') + '\n');
  };
  let r;
  let rosterResult: RosterOutcome | null = null;
  let pool: ReplicationPool | undefined;
  try {
    // The planner's simulations run on worker threads (one with --workers 1) while this thread
    // waits for them asynchronously, so a signal is seen within moments and stops them.
    pool = takePool(workers);
    const planOptions = { searchReps, verifyReps, maxReps: rule.looks[rule.looks.length - 1], confidence: rule.confidence, maxRounds, onProgress: progress, shouldStop: interrupt.shouldStop, pool, tapeCache };
    r = await plan(s, planOptions);
    // ---- rostering: the integer program's cover of the plan, people, then the simulation in the loop ----
    if (opts.shifts) {
      const sc = new ShiftCalendar(s.calendar);
      const highs = await loadSolver();
      const two = coverPlan(sr, sc, highs, r.plan, solverTimeLimit);
      const run = new PlanRun(sr, planOptions);
      progress({ stage: 'roster: the cover of the plan (integer program) and its people', round: 0, cost: two.result.cost, failing: -1, worst: '' });
      const twoVerified = await run.verify(two.result.working, rule, {});
      const joint = await improveRoster(run, sc, two, r.plan, {
        rule, maxRounds: rosterRounds,
        onRound: (stage, x, failing) => progress({ stage, round: run.rounds, cost: x.cost, failing, worst: '' }),
      });
      rosterResult = { sc, twoStep: { result: two.result, verified: twoVerified.result }, joint: { result: joint.result, verified: joint.verified.result }, rounds: joint.rounds, timeLimitSec: solverTimeLimit, replications: run.repsRun };
    }
    // a signal that came as the last simulation ended: honour it before writing anything
    await new Promise((res) => setImmediate(res));
    if (interrupt.shouldStop()) throw new PlanStopped('stopped');
  } catch (e) {
    if (e instanceof PlanStopped) {
      interrupt.check('planning');
      throw new InterruptedError('interrupted during planning; no output was written');
    }
    throw e;
  } finally {
    pool?.close();
    interrupt.dispose();
  }
  if (rosterResult !== null) {
    const j = rosterResult.joint.result;
    const people = j.pools.filter((x) => x.people !== null).map((x) => ({ pool: x.pool, shifts: x.people!.shifts }));
    if (opts.rosterOut !== undefined) writeFileAtomic(opts.rosterOut, renderPeopleRosterCsv(sr, rosterResult.sc, people, opts.excel));
    if (opts.coverageOut !== undefined) {
      writeFileAtomic(opts.coverageOut, renderCoverageCsv(sr, j.pools.filter((x) => x.people !== null).map((x) => ({ pool: x.pool, required: r.plan[x.pool], gross: x.gross!, scheduled: x.people!.scheduled, onBreak: x.people!.onBreak, working: x.people!.working, productive: x.productive })), opts.excel));
    }
  }
  if (opts.out !== undefined) writeFileAtomic(opts.out, renderPlanCsv(r.scenario, r.plan, opts.excel));
  if (opts.staffingOut !== undefined) writeFileAtomic(opts.staffingOut, renderStaffingSheetCsv(r.scenario, r.plan, opts.excel));
  if (xlsx !== null) {
    await writeWorkbook(xlsx.file, {
      scenario: r.scenario, result: r.verified, staffing: r.plan, title: `peakplan plan — ${s.name}`, lang: xlsx.lang,
      facts: [['naive plan cost', Math.round(r.naiveCost)], ['naive plan agent-hours', Math.round(r.naiveAgentHours * 100) / 100], ['replications simulated', r.replicationsRun]],
      roster: rosterResult === null ? undefined : { scenario: sr, sc: rosterResult.sc, result: rosterResult.joint.result },
    });
  }
  const verdictOk = (res: SimulationResult) => res.targets.every((t) => passes(t.verdict, policy));
  const rosterBroken = rosterResult !== null && rosterResult.joint.result.pools.some((x) => (x.people?.violations.length ?? 0) > 0);
  const pass = r.infeasible.length === 0 && verdictOk(r.verified) && (rosterResult === null || (verdictOk(rosterResult.joint.verified) && !rosterBroken));
  if (opts.json) {
    ctx.stdout(jsonText({
      tool: 'peakplan', kind: 'plan', version: ctx.version, scenario: { name: s.name, file: s.file }, seed: s.seed,
      searchReplications: searchReps, verifyReplications: r.verified.replications, replicationsRun: r.replicationsRun,
      decision: { ...r.verified.decision, undecided: policy },
      cost: r.cost, agentHours: r.agentHours, naiveCost: r.naiveCost, naiveAgentHours: r.naiveAgentHours,
      pass, infeasible: r.infeasible, notByStaffing: r.notByStaffing, stages: r.log,
      plan: s.pools.map((p, pi) => ({ pool: p.name, agents: Array.from(r.plan[pi]) })),
      naive: s.pools.map((p, pi) => ({ pool: p.name, agents: Array.from(r.naive[pi]) })),
      targets: r.verified.targets, naiveTargets: r.naiveVerified.targets,
      roster: rosterResult === null ? null : rosterJson(sr, r.plan, rosterResult),
    }));
  } else {
    const cal = s.calendar;
    const dayStart = (sec: number) => sec - secondsOfLocalDay(cal.startMs, cal.offsetMinutes, sec);
    let window: [number, number], label: string;
    if (opts.all) { window = [0, cal.horizonSec]; label = 'whole horizon'; }
    else if (from !== undefined || to !== undefined) { window = [from ?? 0, to ?? cal.horizonSec]; label = `${opts.from ?? 'start'} → ${opts.to ?? 'end'}`; }
    else {
      window = busiestDay(r.verified, dayStart, cal.horizonSec);
      label = window[1] - window[0] >= cal.horizonSec ? 'whole horizon' : `busiest day from ${shortLabel(cal.startMs + window[0] * 1000, off)} (--all for every hour)`;
    }
    ctx.stdout(renderPlan(r, { colour: colourFor(process.stdout), fromSec: window[0], toSec: window[1], windowLabel: label, verbose: opts.verbose === true }));
    if (rosterResult !== null) ctx.stdout(renderRoster(sr, r.plan, rosterResult, { colour: colourFor(process.stdout), fromSec: window[0], toSec: window[1] }));
    for (const f of [opts.rosterOut, opts.coverageOut]) if (f !== undefined) ctx.stdout(`wrote ${f}\n`);
    if (opts.out !== undefined) ctx.stdout(`wrote ${opts.out}\n`);
    for (const f of [opts.staffingOut, opts.xlsx]) if (f !== undefined) ctx.stdout(`wrote ${f}\n`);
  }
  if (r.infeasible.length > 0) {
    for (const x of r.infeasible) ctx.stderr(`peakplan: cannot meet ${x.path} (${x.target}) within the planning constraints in ${x.windows.length} window(s), first ${x.windows[0]}\n`);
  }
  if (rosterResult !== null) {
    for (const x of rosterResult.joint.result.pools) {
      const name = sr.pools[x.pool].name;
      const c = x.cover;
      if (c !== null) {
        const short = Array.from(c.uncovered).flatMap((u, i) => (u > 0 ? [i] : []));
        if (short.length > 0) {
          ctx.stderr(`peakplan: the roster rules leave ${short.length} interval(s) of ${name}'s plan uncovered, first ${shortLabel(s.calendar.startMs + short[0] * s.calendar.intervalSec * 1000, off)}` +
            (c.binding.length > 0 ? `; binding: ${c.binding.slice(0, 3).join('; ')}${c.binding.length > 3 ? ` and ${c.binding.length - 3} more` : ''}` : '; no allowed shift covers them (roster.shifts, roster.starts, roster.notice)') + '\n');
        }
      }
      const p = x.people;
      if (p !== null && p.open.length > 0) {
        const why = new Map<string, number>();
        for (const o of p.open) for (const [k, v] of Object.entries(o.why)) why.set(k, (why.get(k) ?? 0) + v);
        const top = [...why].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k]) => k);
        ctx.stderr(`peakplan: ${p.open.length} shift(s) of ${name} found nobody who may work them (left out of the roster), first ${shortLabel(s.calendar.startMs + p.open[0].start * s.calendar.intervalSec * 1000, off)}; binding: ${top.join(', ') || `the headcount (${sr.pools[x.pool].roster.people?.length ?? 0} people)`}\n`);
      }
      for (const v of p?.violations.slice(0, 5) ?? []) ctx.stderr(`peakplan: the roster of ${name} breaks ${v}\n`);
      if ((p?.violations.length ?? 0) > 5) ctx.stderr(`peakplan: … and ${p!.violations.length - 5} more broken rules in ${name}'s roster (--json lists them)\n`);
    }
    for (const t of rosterResult.joint.verified.targets) {
      if (t.verdict === 'misses') ctx.stderr(`peakplan: the roster misses ${t.path} (${t.id}) in ${t.misses} window(s) on the verification's replications\n`);
    }
  }
  for (const x of r.notByStaffing) ctx.stderr(`peakplan: ${x.path} (${x.target}) is not met by staffing: ${x.why}; ${x.drivers}\n`);
  for (const t of r.verified.targets) {
    if (t.verdict === 'misses' && !r.infeasible.some((x) => x.path === t.path) && !r.notByStaffing.some((x) => x.path === t.path)) ctx.stderr(`peakplan: the plan misses ${t.path} (${t.id}) in ${t.misses} window(s) on the verification's replications\n`);
    if (t.verdict === 'undecided') ctx.stderr(`peakplan: ${policy === 'fail' ? 'error' : 'warning'}: ${t.path} (${t.id}) is undecided in ${t.undecided} window(s) after ${t.replications} replications (raise --max-reps); --undecided ${policy}\n`);
  }
  return pass ? 0 : 1;
}
