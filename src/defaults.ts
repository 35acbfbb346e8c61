// Every default of peakplan that a user can change, in one place: the command line's help, the
// docs and the core read them from here. No imports, so that any module may import it cheaply.

/** The probability that no judged window of a run gets a wrong verdict (docs/verdicts.md). */
export const DEFAULT_CONFIDENCE = 0.95;

/** What an undecided window does to the exit code: 'warn' (exit 0, with a warning) or 'fail'. */
export const DEFAULT_UNDECIDED = 'warn';

/**
 * The default replication budget of a run in looks (--max-reps): as many replications as make
 * about this many expected contacts and orders, between 4 and 128 times the first look.
 */
export const BUDGET_WORK = 4_000_000;
export const BUDGET_MIN_FACTOR = 4;
export const BUDGET_MAX_FACTOR = 128;

/** Replications when neither the scenario nor --reps says. */
export const DEFAULT_REPLICATIONS = 10;

/** The planner: replications per candidate in the search (it doubles them where precision is short). */
export const DEFAULT_SEARCH_REPS = 8;
/** The planner: most simulation rounds of its search. */
export const DEFAULT_MAX_ROUNDS = 30;

/** Tables and charts report every this many seconds unless --interval says otherwise. */
export const DEFAULT_REPORT_SEC = 3600;

/** plan --shifts: allowed shift lengths and how often shifts may start. */
export const DEFAULT_SHIFT_LENGTHS = '4h,6h,8h';
/** plan --shifts: most simulation rounds of the roster's search on shifts, and the integer program's time limit (s) per pool. */
export const DEFAULT_ROSTER_ROUNDS = 40;
export const DEFAULT_SOLVER_TIME_LIMIT = 30;
export const DEFAULT_SHIFT_START_EVERY = '1h';
