// `peakplan replan`: on the night, from the actuals so far and the live state, the plan for the
// rest of the horizon (docs/replan.md). Re-forecasts each channel from actual against forecast
// arrivals (forecast.ts), cuts the scenario at --now (slice.ts), starts it from the state, keeps
// the current plan where the notice is too short to change it, plans the rest, and prints the
// changes ("call in 12 for chat_temps from 02:30 to 06:30") with the expected attainment of the
// current plan and of the new one, on the same replications. Exit 0 when the new plan meets every
// target, 1 when not, 2 on bad input.

import Table from 'cli-table3';
import { InputError, InterruptedError, UsageError } from '../errors.js';
import { takePool, type ReplicationPool } from '../parallel/pool.js';
import { simulateSequential } from '../parallel/runner.js';
import { renderPlanCsv } from '../report/plan.js';
import { jsonText } from '../report/json.js';
import { renderTargets } from '../report/table.js';
import { reforecast, DEFAULT_PRIOR, type Factor } from '../replan/forecast.js';
import { sliceScenario } from '../replan/slice.js';
import { readPeopleRoster } from '../roster/csv.js';
import { cellNumber, cellPlace, cellString, readCsv } from '../scenario/csv.js';
import { openUserFile, readUserFile } from '../scenario/load.js';
import { readState } from '../scenario/state.js';
import { formatDateTime, formatDuration, shortLabel } from '../scenario/time.js';
import type { Scenario } from '../scenario/types.js';
import { plan, PlanStopped } from '../staffing/planner.js';
import { staffingCost, type Staffing } from '../staffing/staffing.js';
import { passes } from '../stats/verdict.js';
import { DEFAULT_MAX_ROUNDS, DEFAULT_SEARCH_REPS } from '../defaults.js';
import { checkOutputPath, colourFor, Interrupt, writeFileAtomic } from './io.js';
import { decisionOptions, durationOption, timeOption, type DecisionCliOptions } from './options.js';
import { interrupted, runScenario, workersOption } from './run.js';
import { loadWithPlan, scenarioPath } from './simulate.js';
import type { CommandContext } from './context.js';

export interface ReplanOptions extends DecisionCliOptions {
  plan?: string;
  roster?: string;
  actuals?: string;
  now?: string;
  state?: string;
  notice?: string;
  prior?: string;
  out?: string;
  json?: boolean;
  seed?: string;
  reps?: string;
  set?: string[];
  workers?: string;
  allowOutside?: boolean;
  progress?: boolean;
}

export async function replanCommand(arg: string | undefined, opts: ReplanOptions, ctx: CommandContext): Promise<number> {
  const path = scenarioPath(arg, ctx);
  if (opts.plan === undefined && opts.roster === undefined) throw new UsageError('is required: the plan in force (plan --out), or its roster (--roster, plan --shifts --roster-out)', { path: '--plan' });
  if (opts.actuals === undefined) throw new UsageError('is required: arrivals so far (interval_start,channel,arrivals)', { path: '--actuals' });
  if (opts.now === undefined) throw new UsageError('is required: the time to re-plan from, e.g. 2026-11-11T02:00', { path: '--now' });
  if (opts.out !== undefined) checkOutputPath(opts.out, '--out');
  const noticeSec = opts.notice !== undefined ? durationOption(opts.notice, '--notice', 0, 7 * 86400) : 2 * 3600;
  const prior = opts.prior !== undefined ? Number(opts.prior) : DEFAULT_PRIOR;
  if (!(prior > 0) || !Number.isFinite(prior)) throw new UsageError(`must be a number of contacts above 0, got '${opts.prior}'`, { path: '--prior' });
  const workers = workersOption(opts.workers);
  const s = loadWithPlan(path, { plan: opts.plan, roster: opts.roster, seed: opts.seed, reps: opts.reps, set: opts.set, allowOutside: opts.allowOutside });
  const cal = s.calendar;
  const nowMs = timeOption(opts.now, '--now', cal.offsetMinutes);
  const T = (nowMs - cal.startMs) / 1000;
  if (!Number.isInteger(T / cal.intervalSec) || T <= 0 || T >= cal.horizonSec) {
    throw new UsageError(`must be the start of one of the scenario's intervals after its first (${formatDateTime(cal.startMs + cal.intervalSec * 1000, cal.offsetMinutes)} to ${formatDateTime(cal.startMs + (cal.horizonSec - cal.intervalSec) * 1000, cal.offsetMinutes)}, every ${formatDuration(cal.intervalSec)}), got '${opts.now}'`, { path: '--now' });
  }
  const k = T / cal.intervalSec;
  const actual = readActuals(opts.actuals, s, k);

  const interrupt = new Interrupt();
  let pool: ReplicationPool | undefined;
  try {
    // the forecast of the hours gone: what the scenario expects there, per channel
    const expectedRun = await runScenario(s, { reportSec: cal.intervalSec, label: 'the forecast so far', progress: opts.progress !== false }, workers, interrupt);
    if (expectedRun === null) interrupted(interrupt, 'the forecast');
    const factors: Factor[] = s.channels.map((c) => {
      const exp = expectedRun.result.rows.filter((r) => r.channel === c.name && r.startSec < T - 1e-6).reduce((a, r) => a + r.arrivals.mean, 0);
      return reforecast(actual.get(c.name) ?? 0, exp, prior);
    });
    const seen = new Set(actual.keys());
    let rest = sliceScenario(s, k, factors.map((f, ch) => (seen.has(s.channels[ch].name) ? f.factor : 1)));
    if (opts.state !== undefined) rest = { ...rest, initial: readState(readUserFile(opts.state), opts.state, rest) };
    // the notice: before now + notice, the plan in force stands (nobody can be called in or sent home in time)
    const fixedUntil = rest.pools.map((p) => Math.min(rest.calendar.intervals, Math.ceil(Math.max(noticeSec, p.roster.noticeSec) / cal.intervalSec - 1e-9)));
    // with a roster in force, the shifts already started run to their end: those people stay
    const started = opts.roster === undefined ? null : readPeopleRoster(readUserFile(opts.roster), opts.roster, s, k);
    const constrained: Scenario = {
      ...rest,
      pools: rest.pools.map((p, pi) => {
        const min = Int32Array.from(p.planning.min), max = Int32Array.from(p.planning.max);
        for (let i = 0; i < fixedUntil[pi]; i++) { min[i] = p.staffing[i]; max[i] = p.staffing[i]; }
        const st = started?.get(p.name)?.started;
        if (st) for (let i = fixedUntil[pi]; i < min.length; i++) { min[i] = Math.max(min[i], st[k + i]); max[i] = Math.max(max[i], min[i]); }
        return { ...p, planning: { ...p.planning, min, max } };
      }),
    };
    const { rule, policy } = decisionOptions(opts, rest.replications, rest);
    // the plan in force, judged on the rest with the state and the new forecast (on the
    // verification's replications: the planner below plays their order flow back)
    pool = takePool(workers);
    const currentJudged = await simulateSequential(rest, rule, { reportSec: cal.intervalSec, firstReplication: 0, pool, shouldStop: interrupt.shouldStop, orderTape: true });
    if (currentJudged === null) interrupted(interrupt, 'the current plan');
    let r;
    try {
      r = await plan(constrained, { searchReps: DEFAULT_SEARCH_REPS, verifyReps: rest.replications, maxReps: rule.looks[rule.looks.length - 1], confidence: rule.confidence, maxRounds: DEFAULT_MAX_ROUNDS, shouldStop: interrupt.shouldStop, pool });
    } catch (e) {
      if (e instanceof PlanStopped) throw new InterruptedError('interrupted during re-planning; no output was written');
      throw e;
    }
    const full: Staffing = s.pools.map((p, pi) => Int32Array.from({ length: cal.intervals }, (_, i) => (i < k ? p.staffing[i] : r.plan[pi][i - k])));
    if (opts.out !== undefined) writeFileAtomic(opts.out, renderPlanCsv(s, full));
    const changes = changesOf(s, k, r.plan);
    const pass = r.infeasible.length === 0 && r.verified.targets.every((t) => passes(t.verdict, policy));
    const costNow = staffingCost(rest, rest.pools.map((p) => p.staffing)), costNew = staffingCost(rest, r.plan);
    if (opts.json) {
      ctx.stdout(jsonText({
        tool: 'peakplan', kind: 'replan', version: ctx.version, scenario: { name: s.name, file: s.file }, seed: s.seed,
        now: formatDateTime(nowMs, cal.offsetMinutes), noticeSec, prior,
        forecast: s.channels.map((c, ch) => ({ channel: c.name, ...factors[ch], used: seen.has(c.name) })),
        changes, pass,
        current: { cost: costNow.cost, agentHours: costNow.agentHours, targets: currentJudged.result.targets },
        replanned: { cost: costNew.cost, agentHours: costNew.agentHours, targets: r.verified.targets, notByStaffing: r.notByStaffing, infeasible: r.infeasible },
        plan: s.pools.map((p, pi) => ({ pool: p.name, agents: Array.from(full[pi]) })),
      }));
    } else {
      const c = colourFor(process.stdout);
      const out: string[] = [`peakplan replan — ${s.name} (${s.file}) from ${formatDateTime(nowMs, cal.offsetMinutes)} · seed ${s.seed} · notice ${formatDuration(noticeSec)}${opts.state ? ` · state ${opts.state}` : ''}`];
      const ft = new Table({ head: ['channel', 'actual so far', 'forecast so far', 'factor for the rest', '95% interval'], style: { head: [], border: [] } });
      s.channels.forEach((ch, i) => ft.push([ch.name, seen.has(ch.name) ? String(factors[i].actual) : 'no actuals', Math.round(factors[i].expected).toLocaleString('en-US'), seen.has(ch.name) ? factors[i].factor.toFixed(3) : '1 (kept)', seen.has(ch.name) ? `[${factors[i].lo.toFixed(3)}, ${factors[i].hi.toFixed(3)}]` : '']));
      out.push('', c.bold('Re-forecast') + ` (Gamma–Poisson: the forecast weighs as ${prior} contacts, the actuals as themselves)`, ft.toString());
      out.push('', c.bold('Changes against the plan in force'));
      if (changes.length === 0) out.push('  none: the plan in force holds');
      for (const x of changes.slice(0, 30)) out.push(`  ${x.text}`);
      if (changes.length > 30) out.push(`  … and ${changes.length - 30} more (--json or --out for all)`);
      out.push('', `Cost of the rest: ${Math.round(costNow.cost).toLocaleString('en-US')} in force → ${Math.round(costNew.cost).toLocaleString('en-US')} re-planned (agent-hours ${Math.round(costNow.agentHours)} → ${Math.round(costNew.agentHours)})`);
      out.push('', c.bold('The plan in force, from now') + ` (${currentJudged.result.replications} replications)`, renderTargets(currentJudged.result.targets, c));
      out.push(c.bold('Re-planned') + ` (verified on ${r.verified.replications} fresh replications)`, renderTargets(r.verified.targets, c));
      if (opts.out !== undefined) out.push(`wrote ${opts.out}`);
      ctx.stdout(out.join('\n') + '\n');
    }
    for (const x of r.notByStaffing) ctx.stderr(`peakplan: ${x.path} (${x.target}) is not met by staffing: ${x.why}; ${x.drivers}\n`);
    for (const x of r.infeasible) ctx.stderr(`peakplan: cannot meet ${x.path} (${x.target}) within the planning constraints and the notice in ${x.windows.length} window(s), first ${x.windows[0]}\n`);
    return pass ? 0 : 1;
  } finally {
    pool?.close();
    interrupt.dispose();
  }
}

/** Actual arrivals per channel before interval k, from interval_start,channel,arrivals (an intent column is summed over). */
function readActuals(file: string, s: Scenario, k: number): Map<string, number> {
  const cal = s.calendar;
  const out = new Map<string, number>();
  const names = s.channels.map((c) => c.name);
  readCsv(openUserFile(file), ['interval_start', 'channel', 'arrivals'], {
    row(t, row) {
      const ch = cellString(t, row, 'channel');
      if (!names.includes(ch)) throw new InputError(`unknown channel '${ch}' (the scenario has: ${names.join(', ')})`, cellPlace(t, row, 'channel'));
      const text = cellString(t, row, 'interval_start');
      let ms: number;
      try {
        ms = timeOption(text, 'interval_start', cal.offsetMinutes);
      } catch (e) {
        throw new InputError((e as Error).message.replace(/^[^:]*: /, ''), cellPlace(t, row, 'interval_start'));
      }
      const i = (ms - cal.startMs) / 1000 / cal.intervalSec;
      if (!Number.isInteger(i) || i < 0) throw new InputError(`${text} is not the start of one of the scenario's intervals`, cellPlace(t, row, 'interval_start'));
      if (i >= k) throw new InputError(`${text} is at or after --now: actuals are what happened before it`, cellPlace(t, row, 'interval_start'));
      out.set(ch, (out.get(ch) ?? 0) + cellNumber(t, row, 'arrivals'));
    },
    end(t, n) { if (n === 0) throw new InputError('has no rows', { file: t.file }); },
  });
  return out;
}

/** Runs of intervals with the same change per pool: "call in 3 for chat_temps from 02:30 to 06:30". */
function changesOf(s: Scenario, k: number, next: Staffing): { pool: string; from: string; to: string; delta: number; text: string }[] {
  const cal = s.calendar, out: { pool: string; from: string; to: string; delta: number; text: string }[] = [];
  const at = (i: number) => shortLabel(cal.startMs + i * cal.intervalSec * 1000, cal.offsetMinutes);
  s.pools.forEach((p, pi) => {
    const n = next[pi].length;
    for (let i = 0; i < n;) {
      const d = next[pi][i] - p.staffing[k + i];
      let j = i + 1;
      while (j < n && next[pi][j] - p.staffing[k + j] === d) j++;
      if (d !== 0) {
        const one = Math.abs(d) === 1;
        const who = p.kind === 'permanent' ? (one ? 'agent' : 'agents') : p.kind === 'temporary' ? (one ? 'temp' : 'temps') : (one ? 'borrowed agent' : 'borrowed agents');
        out.push({ pool: p.name, from: at(k + i), to: at(k + j), delta: d, text: `${d > 0 ? `call in ${d}` : `release ${-d}`} ${who} for ${p.name} from ${at(k + i)} to ${at(k + j)}` });
      }
      i = j;
    }
  });
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.pool < b.pool ? -1 : 1));
}
