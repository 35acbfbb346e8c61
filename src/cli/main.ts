// peakplan's command line: commander wiring and the one error boundary. User errors print one
// located line and exit 2; anything else is a bug and keeps its stack (exit 3).

import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, InterruptedError } from '../errors.js';
import { cleanupPending, watchSignals } from './io.js';
import { discardWarmPool } from '../parallel/pool.js';
import { collect, simulateCommand, type CommandContext } from './simulate.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';
import { erlangCommand } from './erlang.js';
import { planCommand } from './plan.js';
import { registerCheckCommand } from './check.js';
import { registerCompareCommand } from './compare.js';
import { registerSweepCommand } from './sweep.js';
import { registerMergeCommand } from './merge.js';
import { registerScenarioTools } from './scenario-tools.js';
import { registerReportCommand } from './report.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const EXIT = { OK: 0, TARGET_MISSED: 1, BAD_INPUT: 2, BUG: 3 } as const;

function context(): CommandContext {
  return {
    version: pkg.version,
    defaultScenario: fileURLToPath(new URL('../../scenarios/double11.yaml', import.meta.url)),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  };
}

export function buildProgram(ctx: CommandContext, setCode: (n: number) => void): Command {
  const program = new Command('peakplan')
    .description('Plan customer-service capacity for e-commerce big promotions (Double 11): simulate a contact centre through the surge.')
    .version(ctx.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .addHelpText('after', `
Examples:
  $ peakplan simulate                              the built-in Double-11 scenario
  $ peakplan simulate my.yaml --seed 7 --reps 20 --json > result.json
  $ peakplan simulate my.yaml --csv intervals.csv --interval 15m

Exit codes: 0 ok · 1 a target was missed (commands that check targets) · 2 bad input or usage.
Docs: README.md and docs/scenario.md.`);

  program
    .command('simulate')
    .summary('simulate a scenario and report every interval and target')
    .description('Simulate the scenario (default: the built-in Double-11 scenario) over its replications and report per interval, per pool and per target with 95% confidence intervals.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--seed <n>', "random seed (overrides the scenario's)")
    .option('--reps <n>', "number of replications (overrides the scenario's)")
    .option('--json', 'print the whole result as JSON on stdout')
    .option('--csv <file>', 'write the per-interval table as CSV')
    .option('--daily-csv <file>', 'write the per-day table (orders, deliveries, returns, complaints, backlogs, deadlines) as CSV')
    .option('--excel', 'with --csv/--daily-csv: UTF-8 BOM and CRLF so Excel shows non-Latin names')
    .option('--confidence <level>', "confidence of the targets' verdicts (default 0.95; docs/verdicts.md)")
    .option('--interval <duration>', 'report grain, e.g. 15m or 1h', '1h')
    .option('--plan <csv>', 'staffing plan CSV (interval_start,pool,agents) replacing the pools it names')
    .option('--set <key=value>', 'override a scenario value, e.g. bot.resolve.presale=0.8 or pools.chat.staffing=30 (repeatable)', collect)
    .option('--from <time>', 'table from this date or date-time')
    .option('--to <time>', 'table up to this date or date-time')
    .option('--all', 'table over the whole horizon (default: the busiest day)')
    .option('--allow-outside', "let the scenario read files outside its own folder")
    .option('--workers <n>', 'worker threads for the replications (default: the cores; results are the same for any number)')
    .option('--shard <k/n>', 'run the k-th of n slices of the replications and write a partial result for peakplan merge')
    .option('--out <file>', 'with --shard: write the partial result here (default: stdout)')
    .addOption(new Option('--no-progress', 'no progress bar on stderr'))
    .addHelpText('after', `
Examples:
  $ peakplan simulate
  $ peakplan simulate big.yaml --reps 100 --shard 2/4 --out parts/2.json   # then: peakplan merge parts/*.json
  $ peakplan simulate scenarios/teaching-mmc.yaml --reps 40
  $ peakplan simulate my.yaml --seed 7 --reps 20 --json
  $ peakplan simulate my.yaml --csv out.csv --interval 15m --excel
  $ peakplan simulate my.yaml --plan plan.csv --from 2026-11-11 --to 2026-11-12`)
    .action(async (scenario: string | undefined, opts) => setCode(await simulateCommand(scenario, opts, ctx)));

  program
    .command('plan')
    .summary('find the cheapest staffing per interval and pool that meets every target')
    .description('Plan the staffing of the scenario (default: the built-in Double-11 scenario): an analytical start (Erlang on the modified offered load), iterative staffing by simulation, a common-random-numbers search on the targets, then verification on fresh replications. Exit 0 when the verified plan meets every target, 1 when it does not or cannot within the constraints.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--out <csv>', 'write the plan (interval_start,pool,agents) for simulate --plan')
    .option('--json', 'print the plan, stages and verified targets as JSON')
    .option('--seed <n>', "random seed (overrides the scenario's)")
    .option('--search-reps <n>', 'replications per candidate in the search (common random numbers; default 8)')
    .option('--set <key=value>', 'override a scenario value, e.g. bot.resolve.presale=0.8 (repeatable)', collect)
    .option('--reps <n>', "fresh replications of the verification's first look (default 10)")
    .option('--max-reps <n>', 'replications the verification may add while a window is undecided, in looks that double (default 4 × --reps)')
    .option('--confidence <level>', 'the probability that no window of the verification gets a wrong verdict (default 0.95)')
    .option('--undecided <policy>', "a window still undecided: 'warn' (exit 0, with a warning; default) or 'fail' (exit 1)")
    .option('--max-rounds <n>', 'most simulation rounds in the search (default 30)')
    .option('--workers <n>', 'worker threads for the replications (default: the cores; results are the same for any number)')
    .option('--shifts', 'turn the plan into shifts (integer program) and verify the roster')
    .option('--shift-lengths <list>', 'with --shifts: allowed shift lengths (default 4h,6h,8h)')
    .option('--shift-start-every <duration>', 'with --shifts: shifts start every (default 1h)')
    .option('--roster-out <csv>', 'with --shifts: write the shifts (pool,shift_start,hours,agents)')
    .option('--verbose', 'show every stage and round')
    .option('--from <time>', 'table from this date or date-time')
    .option('--to <time>', 'table up to this date or date-time')
    .option('--all', 'table over the whole horizon (default: the busiest day)')
    .option('--allow-outside', "let the scenario read files outside its own folder")
    .addOption(new Option('--no-progress', 'no progress lines on stderr'))
    .addHelpText('after', `
Examples:
  $ peakplan plan
  $ peakplan plan scenarios/teaching-mmc.yaml --out plan.csv
  $ peakplan plan my.yaml --verbose --search-reps 8 --reps 20 --json > plan.json
  $ peakplan simulate my.yaml --plan plan.csv          # the plan, simulated again`)
    .action(async (scenario: string | undefined, opts) => setCode(await planCommand(scenario, opts, ctx)));

  program
    .command('erlang')
    .summary('Erlang C / Erlang A calculator: agents for a target, or the service for given agents')
    .description('Stationary queueing formulas: the fewest agents for a service-level target, or P(wait), service level, average wait, abandonment and occupancy for a number of agents. Erlang C without --patience, Erlang A (exact) with it.')
    .requiredOption('--rate <n/duration>', 'arrivals, e.g. 100/30m, 3.5/m or 200/h')
    .requiredOption('--aht <duration>', 'average handle time, e.g. 180s')
    .option('--agents <n>', 'evaluate this many agents')
    .option('--target <share>', 'find the fewest agents answering this share within --sl, e.g. 0.8')
    .option('--sl <duration>', 'service-level threshold', '20s')
    .option('--patience <duration>', "mean patience (exponential): Erlang A; 'none' for Erlang C")
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
Examples:
  $ peakplan erlang --rate 100/30m --aht 180s --target 0.8 --sl 20s      # → 14 agents
  $ peakplan erlang --rate 100/30m --aht 180s --agents 13 --patience 5m  # Erlang A
  $ peakplan erlang --rate 1000/m --aht 3m --agents 3100 --json`)
    .action((opts) => setCode(erlangCommand(opts, ctx)));

  registerReportCommand(program, ctx, setCode);

  registerCheckCommand(program, ctx, setCode);
  registerCompareCommand(program, ctx, setCode);
  registerSweepCommand(program, ctx, setCode);
  registerMergeCommand(program, ctx, setCode);
  registerScenarioTools(program, ctx, setCode);
  program
    .command('schema')
    .summary('print the JSON Schema of scenario files')
    .description('Print the JSON Schema of scenario files, generated from the validator\'s own definitions. Point your editor at it with a first line\n  # yaml-language-server: $schema=<path to>/scenario.schema.json')
    .addHelpText('after', `
Examples:
  $ peakplan schema > scenario.schema.json`)
    .action(() => ctx.stdout(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n'));

  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  watchSignals(); // Ctrl-C before or between long runs: exit 130, no partial files (io.ts)
  const ctx = context();
  let code: number = EXIT.OK;
  const program = buildProgram(ctx, (n) => { code = n; });
  try {
    await program.parseAsync(argv as string[]);
    return code;
  } catch (e) {
    cleanupPending();
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    if (e instanceof InputError) {
      ctx.stderr(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT.BAD_INPUT;
    }
    if (e instanceof InterruptedError) {
      ctx.stderr(`peakplan: ${e.message}\n`);
      return 130;
    }
    ctx.stderr(`peakplan: internal error (a bug; please report it with the command you ran):\n${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.BUG;
  } finally {
    // workers started ahead of a run that never came (the input was refused): a process that
    // runs many commands (the fuzzer's, a library user's) would otherwise keep their threads
    discardWarmPool();
  }
}
