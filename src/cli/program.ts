// Every command of peakplan declared in one place: what it is for, its arguments, its own options
// and the shared ones it takes (flags.ts). The commands' code is imported only when the command
// runs, so `peakplan --version` and `peakplan check --help` load commander and nothing else.

import { Command, Option } from 'commander';
const DEFAULT_PRIOR_TEXT = '200';
import { DEFAULT_ROSTER_ROUNDS, DEFAULT_SHIFT_LENGTHS, DEFAULT_SHIFT_START_EVERY, DEFAULT_SOLVER_TIME_LIMIT } from '../defaults.js';
import type { CommandContext } from './context.js';
import { collect, DECIDING, shared, type SharedName } from './flags.js';

type SetCode = (n: number) => void;

function withShared(cmd: Command, names: readonly SharedName[]): Command {
  for (const n of names) cmd.addOption(shared(n));
  return cmd;
}

/** Names users reach for that peakplan spells otherwise (commander's own suggestions only catch near misses). */
const OPTION_ALIASES: Record<string, string> = {
  '--replications': '--reps', '--repetitions': '--reps', '--runs': '--reps', '--n': '--reps',
  '--threads': '--workers', '--cores': '--workers', '--jobs': '--workers', '-j': '--workers',
  '--output': '--out', '--plan-out': '--out', '--html-out': '--html', '--xml': '--junit',
  '--max-replications': '--max-reps', '--level': '--confidence', '--alpha': '--confidence',
  '--scenario': 'the scenario file as the first argument', '--start': '--from', '--end': '--to', '--until': '--to',
};

function withOptionHint(text: string): string {
  // one line, always: commander puts its own suggestion on a second
  if (/\n\(Did you mean/.test(text)) return text.replace(/\n\(Did you mean/, ' (did you mean');
  const m = /unknown option '([^'=]+)/.exec(text);
  if (m === null) return text;
  const to = OPTION_ALIASES[m[1]];
  return to === undefined ? text : text.replace(/\n?$/, ` (did you mean ${to}?)\n`);
}

const EXIT_TEXT = `Exit codes: 0 ok · 1 a target misses (commands that check targets) · 2 bad input or usage · 130 interrupted.`;

export function buildProgram(ctx: CommandContext, setCode: SetCode): Command {
  const program = new Command('peakplan')
    .description('Plan customer-service capacity for e-commerce big promotions (Double 11): simulate a contact centre through the surge, plan the cheapest staffing that meets the targets, and check plans in CI.')
    .version(ctx.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr, outputError: (text, write) => write(withOptionHint(text)) })
    .addHelpText('after', `
Examples:
  $ peakplan plan                                  plan the built-in Double-11 scenario
  $ peakplan simulate my.yaml --seed 7 --reps 20 --json > result.json
  $ peakplan check my.yaml --plan plan.csv --junit junit.xml

${EXIT_TEXT}
Docs: README.md, docs/scenario.md, docs/verdicts.md.`);

  withShared(program
    .command('simulate')
    .summary('simulate a scenario and report every interval and target')
    .description('Simulate the scenario (default: the built-in Double-11 scenario) over its replications and report per interval, per pool and per target; each target meets, misses or is undecided at the confidence (docs/verdicts.md).')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--csv <file>', 'write the per-interval table as CSV')
    .option('--daily-csv <file>', 'write the per-day table (orders, deliveries, returns, complaints, backlogs, deadlines) as CSV')
    .option('--pool-csv <file>', 'write the per-interval table of each pool (scheduled, present, occupancy, chat slots) as CSV')
    .option('--log <file>', 'write the per-contact log of one replication as CSV (one row per attempt; what peakplan fit reads)')
    .option('--log-rep <n>', 'with --log: which replication to log (default 0, the first)')
    .option('--orders-log <file>', 'with --log: write the orders of that replication as CSV (order,placed), the ids the log\'s order column uses'),
  ['seed', 'reps', 'confidence', 'json', 'excel', 'xlsx', 'lang', 'interval', 'plan', 'roster', 'state', 'set', 'from', 'to', 'all', 'allowOutside', 'workers', 'shard', 'out', 'cache', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan simulate
  $ peakplan simulate big.yaml --reps 100 --shard 2/4 --out parts/2.json   # then: peakplan merge parts/*.json
  $ peakplan simulate scenarios/teaching-mmc.yaml --reps 40
  $ peakplan simulate my.yaml --csv out.csv --interval 15m --excel
  $ peakplan simulate my.yaml --log contacts.csv && peakplan fit contacts.csv --out fitted.yaml
  $ peakplan simulate my.yaml --plan plan.csv --from 2026-11-11 --to 2026-11-12`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./simulate.js')).simulateCommand(scenario, opts, ctx)));

  withShared(program
    .command('plan')
    .summary('find the cheapest staffing per interval and pool that meets every target')
    .description('Plan the staffing of the scenario (default: the built-in Double-11 scenario): an analytical start (Erlang on the modified offered load), iterative staffing by simulation, a common-random-numbers search that trims to the frontier, then verification on replications the search never saw, with the decision rule of every command. Exit 0 when the verified plan meets every target, 1 when one misses or cannot be met within the constraints.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--out <csv>', 'write the plan (interval_start,pool,agents) for simulate --plan and check --plan')
    .option('--search-reps <n>', 'replications per candidate in the search, doubled where precision is short (default 8)')
    .option('--max-rounds <n>', 'most simulation rounds in the search (default 30)')
    .option('--shifts', "roster people under each pool's labour rules: the plan's cover (integer program), improved with the simulation in the loop, verified")
    .option('--shift-lengths <list>', `with --shifts: allowed shift lengths for every pool (default: each pool's roster.shifts, else ${DEFAULT_SHIFT_LENGTHS})`)
    .option('--shift-start-every <duration>', `with --shifts: shifts start every (default: each pool's roster.starts.every, else ${DEFAULT_SHIFT_START_EVERY})`)
    .option('--roster-rounds <n>', `with --shifts: most simulation rounds of the search on shifts (default ${DEFAULT_ROSTER_ROUNDS})`)
    .option('--solver-time-limit <seconds>', `with --shifts: the integer program's time limit per pool (default ${DEFAULT_SOLVER_TIME_LIMIT})`)
    .option('--staffing-out <csv>', 'write the staffing sheet: one row per interval, a column of agents per pool, agents and cost')
    .option('--roster-out <csv>', 'with --shifts: write the roster, a row per person and shift (person,pool,date,start,end,breaks,paid_hours,cost)')
    .option('--coverage-out <csv>', 'with --shifts: write the coverage per interval and pool (required,scheduled,on_break,working,over_under)')
    .option('--verbose', 'show every stage and round'),
  ['seed', 'reps', ...DECIDING, 'json', 'excel', 'xlsx', 'lang', 'set', 'from', 'to', 'all', 'allowOutside', 'workers', 'cache', 'progress'])
    .addHelpText('after', `
--reps is the verification's first look; check with the same --seed, --reps and --max-reps judges
the plan CSV on the very same replications.

Examples:
  $ peakplan plan
  $ peakplan plan scenarios/teaching-spike.yaml --out plan.csv --verbose
  $ peakplan plan my.yaml --max-reps 320 --json > plan.json
  $ peakplan check my.yaml --plan plan.csv          # the plan, judged again`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./plan.js')).planCommand(scenario, opts, ctx)));

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
    .addOption(shared('json'))
    .addHelpText('after', `
Examples:
  $ peakplan erlang --rate 100/30m --aht 180s --target 0.8 --sl 20s      # → 14 agents
  $ peakplan erlang --rate 100/30m --aht 180s --agents 13 --patience 5m  # Erlang A
  $ peakplan erlang --rate 1000/m --aht 3m --agents 3100 --json`)
    .action(async (opts) => setCode((await import('./erlang.js')).erlangCommand(opts, ctx)));

  withShared(program
    .command('report')
    .summary('write a self-contained HTML report with charts and the targets')
    .description('Simulate the scenario (default: the built-in Double-11 scenario), optionally with a staffing plan, and write one self-contained HTML file (no network, no CDN): the busiest window at the interval grain with a staffing table per pool, arrivals, bot-resolved and offered contacts, agents per pool planned against required (Erlang on the modified offered load), service level per interval with the target, queue length, backlog and complaints per day, and every target with its verdict.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .requiredOption('--html <file>', 'write the HTML report to this file')
    .option('--zoom <duration>', "length of the busiest-window panel at the interval grain, e.g. 12h, or 'none' (default 24h)"),
  ['plan', 'roster', 'seed', 'reps', 'confidence', 'set', 'interval', 'from', 'to', 'allowOutside', 'workers', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan report --html report.html
  $ peakplan report scenarios/teaching-chat.yaml --html chat.html --interval 30m
  $ peakplan report --from 2026-11-10T18:00 --to 2026-11-12 --zoom 12h --html night.html
  $ peakplan report my.yaml --plan plan.csv --reps 20 --html plan-report.html`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./report.js')).reportCommand(scenario, opts, ctx)));

  withShared(program
    .command('check')
    .summary('CI gate: exit 0 when every target meets, 1 when one misses')
    .description('Simulate the scenario (with --plan, the plan in place of the pools it names) over fixed seeds and judge every target in every window it applies to: meets, misses or undecided at the confidence. Replications are added, in looks that double, while a window is undecided (up to --max-reps). Exit 0 when every window meets, 1 when one misses (listed), 2 on bad input; undecided windows follow --undecided.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--junit <file>', 'write a JUnit XML report (one test case per target)')
    .option('--fail-fast', 'stop at the first look at which a window misses (exit 1 sooner; windows not yet decided stay undecided)'),
  ['plan', 'roster', 'state', ...DECIDING, 'seed', 'reps', 'set', 'json', 'workers', 'shard', 'out', 'allowOutside', 'cache', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan check my.yaml --plan plan.csv
  $ peakplan check my.yaml --plan plan.csv --reps 200 --max-reps 200 --shard 3/10 --out parts/3.json   # then: peakplan merge parts/*.json
  $ peakplan check my.yaml --plan plan.csv --reps 20 --max-reps 160 --undecided fail --junit reports/peakplan.xml
  $ peakplan check my.yaml --set bot.resolve.presale=0.6 --json
  $ peakplan check my.yaml --plan plan.csv --cache .peakplan-cache   # keep the directory between CI runs
  $ peakplan check my.yaml --plan plan.csv --fail-fast    # a plan that misses fails at the first look

Each window (interval, day, horizon) meets, misses or is undecided; with probability at least the
confidence, no window's verdict is wrong (docs/verdicts.md).
Exit codes: 0 every window meets (undecided ones too, under --undecided warn) · 1 a window misses,
or is undecided under --undecided fail · 2 bad input or usage.`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./check.js')).checkCommand(scenario, opts, ctx)));

  withShared(program
    .command('compare')
    .summary('what-if: two scenarios, overrides or plans side by side with common random numbers')
    .description('Run two sides with the same seed and replications (common random numbers) and show every KPI side by side with the difference B − A and its 95% confidence interval from the paired replications; differences whose interval contains 0 are marked not significant. Each side is judged with the rule of check (PASS/FAIL per side). Side B is the second scenario, or the first with --set overrides, or the first with the second --plan.')
    .argument('[a]', 'scenario A (default: the built-in scenario)')
    .argument('[b]', 'scenario B (default: A, changed by --set or the second --plan)')
    .addOption(new Option('--set <key=value>', 'override a value on side B, e.g. bot.resolve.presale=0.8 (repeatable)').argParser(collect))
    .addOption(new Option('--plan <csv>', 'a staffing plan CSV: once for both sides, twice for A then B').argParser(collect))
    .option('--significant', 'show only the KPIs that differ significantly')
    .option('--csv <file>', 'write the comparison as CSV'),
  ['seed', 'reps', ...DECIDING, 'json', 'excel', 'workers', 'allowOutside', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan compare my.yaml --set bot.resolve.presale=0.8
  $ peakplan compare before.yaml after.yaml --reps 30 --csv diff.csv
  $ peakplan compare my.yaml --plan plan-a.csv --plan plan-b.csv --significant`)
    .action(async (a: string | undefined, b: string | undefined, opts) => setCode(await (await import('./compare.js')).compareCommand(a, b, opts, ctx)));

  withShared(program
    .command('sweep')
    .summary('sensitivity: agent-hours, cost and attainment over one or two scenario values')
    .description('Vary one or two scenario values over a grid. At every point simulate the scenario\'s staffing (or a fixed --plan), or re-plan it (--replan), with the same seed everywhere (common random numbers), and report agent-hours, cost and every target\'s verdict and attainment as a table, a chart, CSV or JSON.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .addOption(new Option('--param <key=range>', 'a value to vary: key=from:to:step (inclusive) or key=a,b,c; once or twice').argParser(collect))
    .option('--replan', 'plan the staffing at every point (the cheapest that meets every target)')
    .option('--search-reps <n>', 'with --replan: replications per candidate in the search (default 8)')
    .option('--csv <file>', 'write one row per point as CSV'),
  ['plan', 'set', 'seed', 'reps', ...DECIDING, 'json', 'excel', 'workers', 'shard', 'out', 'allowOutside', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan sweep my.yaml --param bot.resolve.presale=0.5:0.9:0.1
  $ peakplan sweep my.yaml --param bot.resolve.presale=0.5:0.9:0.1 --replan --csv sweep.csv
  $ peakplan sweep my.yaml --param pools.chat.staffing=10:20:2 --param channels.chat.patience.exponential=2m,4m,8m`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./sweep.js')).sweepCommand(scenario, opts, ctx)));

  withShared(program
    .command('merge')
    .summary('combine the partial results of --shard runs into the one-machine result')
    .description('Combine the partial results written by simulate, check or sweep with --shard k/n into exactly (byte for byte) what one machine running the whole job writes. The parts must share scenario, seed, options and shard count, and cover every shard once. check parts exit 0/1 like check.')
    .argument('<parts...>', 'partial result files (e.g. parts/*.json)')
    .option('--scenario <file>', 'the scenario, when it lies elsewhere than where the shards read it')
    .option('--csv <file>', 'simulate parts: the per-interval CSV; sweep parts: one row per point')
    .option('--daily-csv <file>', 'simulate parts: the per-day CSV')
    .option('--pool-csv <file>', 'simulate parts: the per-interval CSV of each pool')
    .option('--junit <file>', 'check parts: a JUnit XML report'),
  ['json', 'excel', 'from', 'to', 'all'])
    .addHelpText('after', `
Examples:
  $ for k in 1 2 3 4; do peakplan simulate big.yaml --shard $k/4 --out parts/$k.json & done; wait
  $ peakplan merge parts/*.json --json > result.json
  $ peakplan merge checks/*.json --junit junit.xml      # exit 1 when a target misses`)
    .action(async (files: string[], opts) => setCode(await (await import('./merge.js')).mergeCommand(files, opts, ctx)));

  program
    .command('init')
    .summary('write a commented scenario to start from')
    .description('Write a commented scenario file from a template (flagship: the built-in Double-11 store; small: a small store around the spike; teaching: the Erlang C queue), with the schema line that gives editors completion.')
    .argument('[file]', 'where to write it', 'scenario.yaml')
    .option('--template <name>', 'flagship, small or teaching', 'small')
    .option('--force', 'overwrite existing files')
    .addHelpText('after', `
Examples:
  $ peakplan init
  $ peakplan init my-store.yaml --template flagship
  $ peakplan init queue.yaml --template teaching`)
    .action(async (file: string | undefined, opts) => setCode((await import('./scenario-tools.js')).initCommand(file, opts, ctx)));

  withShared(program
    .command('fit')
    .summary('estimate a scenario from a contact log (arrivals, handle times, censored patience, bot, retrials)')
    .description('Read a per-contact log (simulate --log, or a real export with --columns) and estimate what it says: arrivals per channel and intent, handle times per intent and pool (lognormal or gamma by maximum likelihood, with a goodness-of-fit line), patience per channel from censored waits (exponential MLE and Kaplan–Meier), the bot\'s resolution share and the retrial share and delay, each with its 95% interval; --out writes the fitted scenario.')
    .argument('<log>', 'contact log CSV')
    .option('--orders <csv>', 'the orders export (order,placed): contacts with an order id become the contacts orders cause, per order and with their lag or lead')
    .option('--out <yaml>', 'write the fitted scenario')
    .option('--curves-out <csv>', 'with --out: write the arrivals per interval, and let the scenario use them instead of a daily shape')
    .option('--interval <duration>', 'the fitted calendar\'s interval (default 30m)')
    .option('--columns <map>', 'column names of another export: ours=theirs, comma-separated (e.g. arrival=created_at,channel=queue)')
    .option('--offset <+HH:MM>', 'UTC offset of times written without one'),
  ['json'])
    .addHelpText('after', `
Examples:
  $ peakplan simulate scenarios/teaching-chat.yaml --log contacts.csv
  $ peakplan fit contacts.csv --out fitted.yaml && peakplan validate fitted.yaml
  $ peakplan simulate my.yaml --log contacts.csv --orders-log orders.csv && peakplan fit contacts.csv --orders orders.csv`)
    .action(async (log: string, opts) => setCode(await (await import('./fit.js')).fitCommand(log, opts, ctx)));

  withShared(program
    .command('replan')
    .summary('on the night: re-forecast from the actuals, start from the live state, re-plan the rest')
    .description('Re-forecast each channel from its actual arrivals so far against the forecast (a Gamma–Poisson factor that trusts the actuals more as they accumulate), cut the scenario at --now, start it from the live state (--state), keep the plan in force where --notice is too short to change it, plan the rest, and print the changes ("call in 12 temps for chat_temps from 02:30 to 06:30") with the expected attainment of the plan in force and of the new one. Exit 0 when the new plan meets every target, 1 when not.')
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--actuals <csv>', 'arrivals so far: interval_start,channel,arrivals (an intent column is summed over)')
    .option('--now <time>', 'when the re-plan starts: the start of an interval, e.g. 2026-11-11T02:00')
    .option('--notice <duration>', 'how long it takes to call people in or send them home: the plan in force stands until now + notice (default 2h; a pool\'s roster.notice if longer)')
    .option('--prior <contacts>', `how many contacts' worth of weight the forecast has against the actuals (default ${DEFAULT_PRIOR_TEXT})`)
    .option('--out <csv>', 'write the new plan for the whole horizon (the plan in force before --now)'),
  ['plan', 'roster', 'state', 'seed', 'reps', ...DECIDING, 'json', 'set', 'allowOutside', 'workers', 'progress'])
    .addHelpText('after', `
Examples:
  $ peakplan replan --plan plan.csv --actuals sofar.csv --now 2026-11-11T02:00 --state live.json --out new-plan.csv`)
    .action(async (scenario: string | undefined, opts) => setCode(await (await import('./replan.js')).replanCommand(scenario, opts, ctx)));

  withShared(program
    .command('validate')
    .summary('check a scenario and print its normalised form')
    .description('Check a scenario file (structure, units, names, files it refers to) and print what peakplan made of it: every default filled in, every unit explicit, expected volumes. Exit 0 when valid, 2 with one located error line when not.')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('-q, --quiet', 'print nothing; the exit code says it all'),
  ['json', 'plan', 'set', 'allowOutside'])
    .addHelpText('after', `
Examples:
  $ peakplan validate my.yaml
  $ peakplan validate my.yaml --plan plan.csv --quiet && echo ok
  $ peakplan validate my.yaml --json > normalised.json`)
    .action(async (file: string, opts) => setCode((await import('./scenario-tools.js')).validateCommand(file, opts, ctx)));

  program
    .command('schema')
    .summary('print the JSON Schema of scenario files')
    .description('Print the JSON Schema of scenario files, generated from the validator\'s own definitions. Point your editor at it with a first line\n  # yaml-language-server: $schema=<path to>/scenario.schema.json')
    .addHelpText('after', `
Examples:
  $ peakplan schema > scenario.schema.json`)
    .action(async () => ctx.stdout(JSON.stringify((await import('../scenario/json-schema.js')).scenarioJsonSchema(), null, 2) + '\n'));

  return program;
}
