// `peakplan merge`: combine the partial results of `--shard k/n` runs (simulate, check, sweep)
// into exactly what one machine would have written. The parts must come from the same scenario
// (fingerprint of its normalised form), seed, options and shard count, and cover every shard once.

import { InputError, UsageError } from '../errors.js';
import type { RepResult } from '../model/replication.js';
import { makeLayout } from '../model/replication.js';
import { checkParts, fingerprint, readPartial } from '../parallel/shard.js';
import { renderSweep, renderSweepCsv, renderSweepJson, type SweepPoint, type SweepReport } from '../report/sweep.js';
import { readUserFile } from '../scenario/load.js';
import { summarise } from '../stats/summary.js';
import { replayLooks, type DecisionRule, type UndecidedPolicy } from '../stats/verdict.js';
import { emitCheck } from './check.js';
import { checkOutputPath, colourFor, writeFileAtomic } from './io.js';
import { emitSimulation, loadWithPlan, viewWindow } from './simulate.js';
import type { CommandContext } from './context.js';

export interface MergeOptions {
  scenario?: string;
  json?: boolean;
  csv?: string;
  dailyCsv?: string;
  poolCsv?: string;
  excel?: boolean;
  junit?: string;
  from?: string;
  to?: string;
  all?: boolean;
}

const MAX_PART_BYTES = 4 * 1024 ** 3;

interface LoadPart { readonly seed: number | null; readonly overrides: string[]; readonly allowOutside: boolean }

export async function mergeCommand(files: readonly string[], opts: MergeOptions, ctx: CommandContext): Promise<number> {
  for (const [f, o] of [[opts.csv, '--csv'], [opts.dailyCsv, '--daily-csv'], [opts.poolCsv, '--pool-csv'], [opts.junit, '--junit']] as const) if (f !== undefined) checkOutputPath(f, o);
  const parts = files.map((file) => ({ file, part: readPartial(readUserFile(file, file, MAX_PART_BYTES), file) }));
  checkParts(parts);
  parts.sort((a, b) => a.part.shard.k - b.part.shard.k);
  const head = parts[0].part;
  const wrongOption = (o: string, cmd: string) => new UsageError(`applies to merged '${cmd}' parts only; these are '${head.command}' parts`, { path: o });
  if (head.command !== 'check' && opts.junit !== undefined) throw wrongOption('--junit', 'check');
  if (head.command !== 'simulate' && (opts.dailyCsv !== undefined || opts.poolCsv !== undefined || opts.from !== undefined || opts.to !== undefined || opts.all)) throw wrongOption('--daily-csv/--pool-csv/--from/--to/--all', 'simulate');
  if (head.command === 'check' && opts.csv !== undefined) throw wrongOption('--csv', 'simulate or sweep');

  if (head.command === 'sweep') {
    const points = parts.flatMap((p) => p.part.items as SweepPoint[]).sort((a, b) => a.index - b.index);
    if (points.length !== head.total || points.some((p, i) => p.index !== i)) throw new InputError(`the parts hold ${points.length} of ${head.total} points`, { file: parts[0].file });
    const report = { ...(head.options.report as Omit<SweepReport, 'points'>), points };
    if (opts.csv !== undefined) writeFileAtomic(opts.csv, renderSweepCsv(report, opts.excel));
    if (opts.json) ctx.stdout(renderSweepJson(report, ctx.version));
    else ctx.stdout(renderSweep(report, colourFor(process.stdout)));
    return 0;
  }

  // simulate and check: load the scenario as the shards did, and make sure it is the same one
  const o = head.options as { reportSec: number; load: LoadPart; plan: string | null; rule?: DecisionRule; policy?: UndecidedPolicy; confidence?: number };
  const file = opts.scenario ?? head.scenario.file;
  const s = loadWithPlan(file, {
    seed: o.load.seed === null ? undefined : String(o.load.seed),
    reps: String(head.total),
    plan: o.plan ?? undefined,
    set: o.load.overrides,
    allowOutside: o.load.allowOutside,
  });
  const fp = fingerprint(s);
  if (fp !== head.fingerprint) {
    throw new InputError(`the scenario${o.plan ? ' or plan' : ''} is not the one the parts were run on (it changed since, or pass --scenario with the right file)`, { file });
  }
  const reps = parts.flatMap((p) => p.part.items as RepResult[]).sort((a, b) => a.replication - b.replication);
  if (reps.length !== head.total || reps.some((r, i) => r.replication !== i)) throw new InputError(`the parts hold ${reps.length} of ${head.total} replications`, { file: parts[0].file });
  const layout = makeLayout(s, o.reportSec);
  if (head.command === 'simulate') {
    emitSimulation(s, summarise(s, layout, reps, { confidence: o.confidence }), opts, viewWindow(s, opts), ctx);
    return 0;
  }
  if (o.rule === undefined || o.policy === undefined) throw new InputError('a check part from an older peakplan (no decision rule in it): run the shards again', { file: parts[0].file });
  // the looks the one-machine check took, replayed: it stopped at the first look that decided every window
  const { judge, used } = replayLooks(s, layout, reps, o.rule);
  const result = summarise({ ...s, replications: used.length }, layout, used, { judge });
  return emitCheck({ result, plan: o.plan, policy: o.policy }, opts, ctx);
}
