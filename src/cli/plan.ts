// `peakplan plan`: the cheapest staffing per interval and pool that meets every target, verified
// on fresh replications. Exit 0 when the verified plan meets every target, 1 when a target is
// missed or cannot be met within the planning constraints, 2 on bad input.

import { InterruptedError, UsageError } from '../errors.js';
import { prewarmPool, takePool, type ReplicationPool } from '../parallel/pool.js';
import { renderRoster, renderRosterCsv } from '../report/roster.js';
import { formatDateTime } from '../scenario/time.js';
import type { SimulationResult } from '../stats/summary.js';
import { withStaffing } from '../staffing/planner.js';
import { DEFAULT_SHIFTS, loadSolver, roster, type Roster, type ShiftRules } from '../staffing/roster.js';
import { renderPlanCsv, renderPlan, renderStaffingSheetCsv } from '../report/plan.js';
import { jsonText } from '../report/json.js';
import { secondsOfLocalDay, shortLabel } from '../scenario/time.js';
import { plan, PlanStopped, type PlanProgress } from '../staffing/planner.js';
import { busiestDay } from '../report/table.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { decisionOptions, durationOption, intOption, type DecisionCliOptions } from './options.js';
import { passes } from '../stats/verdict.js';
import { loadWithPlan, scenarioPath, viewWindow, type CommandContext } from './simulate.js';
import { interrupted, runSequential, workersOption } from './run.js';

import { DEFAULT_MAX_ROUNDS, DEFAULT_SEARCH_REPS, DEFAULT_SHIFT_LENGTHS, DEFAULT_SHIFT_START_EVERY } from '../defaults.js';
import { writeWorkbook, xlsxOption, type XlsxCliOptions } from './xlsx.js';

export interface PlanCliOptions extends DecisionCliOptions, XlsxCliOptions {
  workers?: string;
  shifts?: boolean;
  shiftLengths?: string;
  shiftStartEvery?: string;
  rosterOut?: string;
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
  if (opts.staffingOut !== undefined) checkOutputPath(opts.staffingOut, '--staffing-out');
  if (opts.excel && opts.out === undefined && opts.rosterOut === undefined && opts.staffingOut === undefined) {
    throw new UsageError('--excel applies to CSV output; add --out, --staffing-out or --roster-out FILE', { path: '--excel' });
  }
  if ((opts.rosterOut !== undefined || opts.shiftLengths !== undefined || opts.shiftStartEvery !== undefined) && !opts.shifts) {
    throw new UsageError('--roster-out, --shift-lengths and --shift-start-every go with --shifts', { path: '--shifts' });
  }
  let rules: ShiftRules = DEFAULT_SHIFTS;
  if (opts.shifts) {
    const lengthsSec = (opts.shiftLengths ?? DEFAULT_SHIFT_LENGTHS).split(',').map((x) => durationOption(x.trim(), '--shift-lengths', 3600, 16 * 3600));
    const startEverySec = durationOption(opts.shiftStartEvery ?? DEFAULT_SHIFT_START_EVERY, '--shift-start-every', 60, 86400);
    rules = { ...DEFAULT_SHIFTS, lengthsSec, startEverySec };
  }
  const searchReps = opts.searchReps !== undefined ? intOption(opts.searchReps, '--search-reps', 2, 200) : DEFAULT_SEARCH_REPS;
  const maxRounds = opts.maxRounds !== undefined ? intOption(opts.maxRounds, '--max-rounds', 1, 500) : DEFAULT_MAX_ROUNDS;
  const xlsx = xlsxOption(opts);
  const workers = workersOption(opts.workers);
  prewarmPool(workers);
  // --reps is the first look's replications, as in every command (the scenario's by default)
  const s = loadWithPlan(path, { seed: opts.seed, reps: opts.reps, allowOutside: opts.allowOutside, set: opts.set });
  const verifyReps = s.replications;
  const { rule, policy } = decisionOptions(opts, verifyReps, s);
  const off = s.calendar.offsetMinutes;
  const { from, to } = viewWindow(s, opts);

  const interrupt = new Interrupt();
  const started = Date.now();
  const progress = (p: PlanProgress) => {
    if (opts.progress === false || !process.stderr.isTTY && !opts.verbose) return;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    ctx.stderr(`[${secs}s] ${p.stage} · round ${p.round} · cost ${Math.round(p.cost).toLocaleString('en-US')}` +
      (p.failing >= 0 ? ` · failing ${p.failing}` : '') + (p.worst ? ` · ${p.worst}` : '') + '\n');
  };
  let r;
  let pool: ReplicationPool | undefined;
  try {
    // The planner's simulations run on worker threads (one with --workers 1) while this thread
    // waits for them asynchronously, so a signal is seen within moments and stops them.
    pool = takePool(workers);
    r = await plan(s, { searchReps, verifyReps, maxReps: rule.looks[rule.looks.length - 1], confidence: rule.confidence, maxRounds, onProgress: progress, shouldStop: interrupt.shouldStop, pool });
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
  // ---- rostering: shifts that cover the plan, then the roster's own attainment ----
  let rosterResult: { pools: { pool: string; roster: Roster }[]; verified: SimulationResult } | null = null;
  if (opts.shifts) {
    const cal = s.calendar;
    if (rules.startEverySec % cal.intervalSec !== 0 || rules.lengthsSec.some((l) => l % cal.intervalSec !== 0)) {
      throw new UsageError(`shift lengths and starts must be whole multiples of the ${cal.intervalSec / 60}-minute interval`, { path: '--shift-lengths' });
    }
    const highs = await loadSolver();
    const pools = s.pools.map((p, pi) => ({
      pool: p.name,
      roster: p.planning.fixed ? { shifts: [], coverage: Int32Array.from(r.plan[pi]), paidHours: NaN, status: 'fixed' } : roster(highs, r.plan[pi], cal.intervalSec, rules),
    }));
    const rostered = withStaffing(s, pools.map((x) => x.roster.coverage));
    const again = new Interrupt();
    let out;
    try {
      out = await runSequential(rostered, rule, { reportSec: cal.intervalSec, firstReplication: 0, label: 'verifying the roster', progress: opts.progress !== false }, workers, again);
      if (out === null) interrupted(again, 'the roster\'s verification');
    } finally {
      again.dispose();
    }
    rosterResult = { pools, verified: out.result };
    if (opts.rosterOut !== undefined) writeFileAtomic(opts.rosterOut, renderRosterCsv(s, pools, opts.excel));
  }
  if (opts.out !== undefined) writeFileAtomic(opts.out, renderPlanCsv(r.scenario, r.plan, opts.excel));
  if (opts.staffingOut !== undefined) writeFileAtomic(opts.staffingOut, renderStaffingSheetCsv(r.scenario, r.plan, opts.excel));
  if (xlsx !== null) {
    await writeWorkbook(xlsx.file, {
      scenario: r.scenario, result: r.verified, staffing: r.plan, title: `peakplan plan — ${s.name}`, lang: xlsx.lang,
      facts: [['naive plan cost', Math.round(r.naiveCost)], ['naive plan agent-hours', Math.round(r.naiveAgentHours * 100) / 100], ['replications simulated', r.replicationsRun]],
      roster: rosterResult?.pools,
    });
  }
  const verdictOk = (res: SimulationResult) => res.targets.every((t) => passes(t.verdict, policy));
  const pass = r.infeasible.length === 0 && verdictOk(r.verified) && (rosterResult === null || verdictOk(rosterResult.verified));
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
      roster: rosterResult === null ? null : {
        pools: rosterResult.pools.map((x) => ({
          pool: x.pool, status: x.roster.status, paidHours: x.roster.paidHours,
          shifts: x.roster.shifts.map((sh) => ({ start: formatDateTime(s.calendar.startMs + sh.startInterval * s.calendar.intervalSec * 1000, s.calendar.offsetMinutes), hours: sh.lengthSec / 3600, agents: sh.agents })),
          coverage: Array.from(x.roster.coverage),
        })),
        targets: rosterResult.verified.targets,
      },
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
    if (rosterResult !== null) ctx.stdout(renderRoster(s, r.plan, rosterResult.pools, rosterResult.verified, colourFor(process.stdout)));
    if (opts.rosterOut !== undefined) ctx.stdout(`wrote ${opts.rosterOut}\n`);
    if (opts.out !== undefined) ctx.stdout(`wrote ${opts.out}\n`);
    for (const f of [opts.staffingOut, opts.xlsx]) if (f !== undefined) ctx.stdout(`wrote ${f}\n`);
  }
  if (r.infeasible.length > 0) {
    for (const x of r.infeasible) ctx.stderr(`peakplan: cannot meet ${x.path} (${x.target}) within the planning constraints in ${x.windows.length} window(s), first ${x.windows[0]}\n`);
  }
  for (const x of r.notByStaffing) ctx.stderr(`peakplan: ${x.path} (${x.target}) is not met by staffing: ${x.why}; ${x.drivers}\n`);
  for (const t of r.verified.targets) {
    if (t.verdict === 'misses' && !r.infeasible.some((x) => x.path === t.path) && !r.notByStaffing.some((x) => x.path === t.path)) ctx.stderr(`peakplan: the plan misses ${t.path} (${t.id}) in ${t.misses} window(s) on the verification's replications\n`);
    if (t.verdict === 'undecided') ctx.stderr(`peakplan: ${policy === 'fail' ? 'error' : 'warning'}: ${t.path} (${t.id}) is undecided in ${t.undecided} window(s) after ${t.replications} replications (raise --max-reps); --undecided ${policy}\n`);
  }
  return pass ? 0 : 1;
}
