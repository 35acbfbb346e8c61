// The options more than one command takes, declared once: flag, help and default. Every command
// takes its shared options from here (program.ts), so a flag means the same thing everywhere and
// its help says the same. Light on purpose: program.ts imports it before any command runs, and
// `peakplan --version` should not load the simulator to print a number.

import { Option } from 'commander';
import { DEFAULT_CONFIDENCE, DEFAULT_UNDECIDED } from '../defaults.js';

/** commander: a repeatable option collects its values. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

interface Flag {
  readonly flags: string;
  readonly help: string;
  /** Repeatable: the values are collected into a list. */
  readonly repeat?: boolean;
}

export const SHARED = {
  seed: { flags: '--seed <n>', help: "random seed (overrides the scenario's; always printed)" },
  reps: { flags: '--reps <n>', help: "replications of the first look (overrides the scenario's `replications`)" },
  maxReps: { flags: '--max-reps <n>', help: 'replications a run may add, in looks that double, while a window is undecided (default: about four million contacts and orders in all, 4–128 × --reps)' },
  confidence: { flags: '--confidence <level>', help: `the probability that no window of the run gets a wrong verdict (default ${DEFAULT_CONFIDENCE}; docs/verdicts.md)` },
  undecided: { flags: '--undecided <policy>', help: `a window still undecided at the budget: 'warn' (exit 0, with a warning) or 'fail' (exit 1); default ${DEFAULT_UNDECIDED}` },
  set: { flags: '--set <key=value>', help: 'override a scenario value, e.g. bot.resolve.presale=0.8 or pools.chat.staffing=30 (repeatable)', repeat: true },
  plan: { flags: '--plan <csv>', help: 'staffing plan CSV (interval_start,pool,agents) replacing the pools it names' },
  state: { flags: '--state <json>', help: 'start from a live state: contacts waiting per queue with the time they have waited (docs/state.md)' },
  roster: { flags: '--roster <csv>', help: 'a roster of people (plan --shifts --roster-out) staffing the pools it names: people on shift and off break, after shrinkage' },
  workers: { flags: '--workers <n>', help: 'worker threads for the replications (default: the cores this process may use; results are the same for any number)' },
  allowOutside: { flags: '--allow-outside', help: 'let the scenario read files outside its own folder' },
  json: { flags: '--json', help: 'print the result as JSON on stdout' },
  excel: { flags: '--excel', help: 'with CSV output: UTF-8 BOM, CRLF and local times Excel reads as dates (read back by peakplan)' },
  xlsx: { flags: '--xlsx <file>', help: 'write an Excel workbook: summary and targets, staffing per pool, roster, intervals, pools, days' },
  lang: { flags: '--lang <en|zh>', help: "with --xlsx: the workbook's headers in English (default) or Chinese" },
  interval: { flags: '--interval <duration>', help: 'report grain of tables and charts, e.g. 15m or 1h (default 1h)' },
  from: { flags: '--from <time>', help: 'tables and charts from this date or date-time' },
  to: { flags: '--to <time>', help: 'tables and charts up to this date or date-time' },
  all: { flags: '--all', help: 'table over the whole horizon (default: the busiest day)' },
  shard: { flags: '--shard <k/n>', help: 'run the k-th of n slices and write a partial result for peakplan merge' },
  out: { flags: '--out <file>', help: 'with --shard: write the partial result here (default: stdout)' },
  progress: { flags: '--no-progress', help: 'no progress on stderr' },
  cache: { flags: '--cache <dir>', help: "keep each replication's order flow in this directory and play it back on later runs of the same scenario, whatever the staffing (the same results; a CI cache, 113 MB for the built-in scenario's 40 replications)" },
} as const satisfies Record<string, Flag>;

export type SharedName = keyof typeof SHARED;

/** The decision options, which every command that judges targets takes together. */
export const DECIDING: readonly SharedName[] = ['confidence', 'maxReps', 'undecided'];

export function shared(name: SharedName): Option {
  const f: Flag = SHARED[name];
  const o = new Option(f.flags, f.help);
  return f.repeat ? o.argParser(collect) : o;
}
