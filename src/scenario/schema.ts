// The scenario file's shape, declared once. The validator, `peakplan schema` (JSON Schema for
// editors) and the key suggestions in error messages are all derived from these definitions.
// Only structure and ranges live here; units, names and cross-references are resolved by
// normalise.ts and semantic checks, each with the dot-path of what they look at.

import { z } from 'zod';
import { LIMITS } from './limits.js';

export const DURATION_RE = /^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)+$/;
const durationMsg = "must be a duration such as '45s', '3m', '2h', '1d' or '1h30m'";
export const Duration = z
  .string({ error: durationMsg })
  .regex(DURATION_RE, { error: durationMsg })
  .describe("A duration: a number with a unit, ms s m h d, e.g. '45s', '3m', '1h30m'.");

const Probability = z.number().min(0).max(1);
const FiniteNonNeg = z.number().min(0);

const MeanCv = z.object({ mean: Duration, cv: z.number().gt(0).max(100) }).strict();

export const DistributionSchema = z
  .object({
    exponential: Duration.describe('Exponential with this mean.'),
    deterministic: Duration.describe('Always this value.'),
    uniform: z.tuple([Duration, Duration]).describe('Uniform between [min, max].'),
    lognormal: MeanCv.describe('Lognormal with mean and coefficient of variation.'),
    gamma: MeanCv.describe('Gamma with mean and coefficient of variation.'),
    empirical: z.array(Duration).min(1).describe('Each listed value equally likely.'),
  })
  .partial()
  .strict()
  .describe('A distribution of durations: exactly one of the keys.');

const FactorMeanCv = z.object({ mean: z.number().gt(0), cv: z.number().gt(0).max(10) }).strict();
/** A distribution of plain numbers (factors), e.g. the daily busyness { gamma: { mean: 1, cv: 0.1 } }. */
export const FactorDistributionSchema = z
  .object({
    gamma: FactorMeanCv,
    lognormal: FactorMeanCv,
    uniform: z.tuple([z.number().min(0), z.number().min(0)]),
    empirical: z.array(z.number().min(0)).min(1),
    deterministic: z.number().min(0),
  })
  .partial()
  .strict()
  .describe('A distribution of factors: exactly one of the keys.');

const Clock = z.string().regex(/^\s*\d{1,2}:\d{2}\s*$/, { error: "must be a time of day 'HH:MM', e.g. '06:00'" });
const RosterSchema = z
  .object({
    shifts: z.array(Duration).min(1).optional().describe('Allowed shift lengths, e.g. [4h, 6h, 8h] (default).'),
    starts: z
      .object({ every: Duration.optional(), from: Clock.optional(), to: Clock.optional() })
      .strict()
      .optional()
      .describe('Shift starts: every (default 1h) local time from–to (default any time; to may pass midnight, e.g. from 22:00 to 06:00).'),
    breaks: z
      .array(
        z
          .object({
            length: Duration,
            within: z.tuple([Duration, Duration]).describe('The break starts between these offsets from the shift start.'),
            paid: z.boolean().optional(),
            minShift: Duration.optional().describe('Only shifts at least this long take the break (default: every shift that can hold it).'),
          })
          .strict(),
      )
      .optional()
      .describe('Breaks inside shifts (default: a paid 30m break starting 3h–5h into shifts of 6h or more; [] for none).'),
    absence: z.number().min(0).max(0.9).optional().describe('Share of the rostered people expected absent on the day; the roster covers ⌈need ÷ (1 − absence)⌉ and staffs ⌊working × (1 − absence)⌋ (default 0).'),
    maxOnBreak: z.number().gt(0).max(1).optional().describe('Most of the people on shift in an interval on break at once, as a share (default 1; one may always be).'),
    people: z
      .union([z.number().int().min(1).max(100000), z.array(z.string().min(1)).min(1), z.object({ csv: z.string().min(1) }).strict()])
      .optional()
      .describe('Headcount, the names of the people, or { csv: staff.csv } (columns name and pool: the rows of this pool) (default: as many as the roster needs, numbered).'),
    rest: Duration.optional().describe('Least rest between two shifts of a person (default 11h).'),
    maxConsecutiveDays: z.number().int().min(1).max(366).optional().describe('Most working days in a row (default 6).'),
    daysOffPerWeek: z.number().int().min(0).max(7).optional().describe('Days off in every week (default 1).'),
    weeklyHours: z.object({ min: FiniteNonNeg.optional(), max: FiniteNonNeg.optional() }).strict().optional().describe('Paid hours per person and week (default 0–48).'),
    night: z
      .object({ from: Clock.optional(), to: Clock.optional(), maxPerWeek: z.number().int().min(0).max(7).optional() })
      .strict()
      .optional()
      .describe('Night shifts (working any time from–to, default 22:00–06:00): at most maxPerWeek per person (default 7).'),
    minBooking: Duration.optional().describe('Temps: the shortest booking (default 0).'),
    notice: Duration.optional().describe('Temps: no shift starts before the horizon start plus this notice (default 0).'),
    fairness: z
      .object({ weekendSpread: z.number().int().min(0).optional(), nightSpread: z.number().int().min(0).optional() })
      .strict()
      .optional()
      .describe('Most difference between two people of the pool in weekend and in night shifts over the horizon (default unbounded).'),
  })
  .strict()
  .describe('Labour rules for rostering this pool with plan --shifts (docs/scenario.md).');

export const PatienceSchema = z.union([z.literal('none'), DistributionSchema], {
  error: "must be 'none' or a distribution such as { exponential: 5m }",
});

const CurveSchema = z
  .object({
    shape: z.enum(['flat', 'daily', 'spike', 'double11']).optional().describe('A named arrival shape.'),
    total: FiniteNonNeg.optional().describe('Contacts over the whole horizon.'),
    perDay: FiniteNonNeg.optional().describe('Contacts on an ordinary day (the shape raises or lowers special days).'),
    hourly: z.array(FiniteNonNeg).length(24).optional().describe('Relative weight of each local hour 0–23 (daily cycle).'),
    peak: z.string().optional().describe('double11/spike: when the spike starts (ISO date-time); default 11 Nov 00:00 local.'),
    firstHourShare: z.number().gt(0).lt(1).optional().describe("Share of the spike day's volume in its first hour."),
    halfLife: Duration.optional().describe('How fast the spike decays.'),
    dayFactor: z.number().gt(0).optional().describe("The spike day's volume relative to an ordinary day."),
    csv: z.string().optional().describe('A CSV of per-interval volumes (columns interval_start and the volume column).'),
    column: z.string().optional().describe('The volume column in the CSV (default: volume).'),
    scale: z.number().min(0).optional().describe('Multiply the CSV volumes (or event counts) by this.'),
    timestamps: z.string().optional().describe('An event log instead of per-interval volumes: the column holding each row\'s time (ISO date-time with offset); every row is one arrival, counted per minute.'),
    at: z.array(Duration).optional().describe('Explicit arrival times after the start (replays, teaching, hand-checked timelines).'),
  })
  .strict();

/** Agents of a pool in an interval; the bound refuses absurd sizes up front (limits.ts). */
const Agents = z.number().int().min(0).max(LIMITS.agentsPerPool);

const StaffingSchema = z.union(
  [
    Agents,
    z.array(Agents),
    z
      .object({
        daily: z.record(z.string(), Agents).optional(),
        csv: z.string().optional(),
      })
      .strict(),
  ],
  { error: "must be a whole number of agents, a list (one per interval), { daily: { 'HH:MM': n } } or { csv: plan.csv }" },
);

const SkillSchema = z.union(
  [z.string(), z.object({ intent: z.string(), after: Duration.optional() }).strict()],
  { error: 'must be an intent name or { intent, after }' },
);

const TargetSchema = z
  .object({
    channel: z.string().optional(),
    intent: z.string().optional(),
    serviceLevel: z.object({
      within: Duration,
      atLeast: Probability,
      of: z.enum(['offered', 'answered', 'offeredExceptShortAbandons', 'allWaits']).optional()
        .describe('What the share counts (docs/model.md): offered (default) = answered within the threshold ÷ (answered + abandoned); answered = ÷ answered; offeredExceptShortAbandons = ÷ (answered + abandoned after the threshold); allWaits = (answered or abandoned within the threshold) ÷ (answered + abandoned).'),
    }).strict().optional(),
    averageWait: z.object({ atMost: Duration }).strict().optional(),
    abandonment: z.object({ atMost: Probability }).strict().optional(),
    occupancy: z.object({ atMost: Probability }).strict().optional(),
    firstReply: z.object({ within: Duration, atLeast: Probability }).strict().optional(),
    resolved: z.object({ within: Duration, atLeast: Probability }).strict().optional(),
    complaintsPer1000Orders: z.object({ atMost: z.number().min(0) }).strict().optional(),
    scope: z.enum(['interval', 'day', 'horizon']).optional(),
    minOffered: FiniteNonNeg.optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    replications: z.number().int().min(1).max(10000).optional(),
    calendar: z
      .object({
        start: z.string().describe('ISO date-time with offset, e.g. 2026-11-10T00:00+08:00.'),
        horizon: Duration,
        interval: Duration,
      })
      .strict(),
    intents: z.array(z.string().min(1)).min(1),
    channels: z.record(
      z.string(),
      z
        .object({
          deferred: z.boolean().optional().describe('Deferred work (e-mail, tickets): no abandonment; worked from a backlog.'),
          patience: PatienceSchema.optional(),
          retrial: z
            .object({
              probability: Probability,
              delay: DistributionSchema,
              maxRetrials: z.number().int().min(1).max(100).optional(),
            })
            .strict()
            .optional(),
          vipShare: Probability.optional(),
        })
        .strict(),
    ),
    demand: z
      .array(z.object({ channel: z.string(), intent: z.string(), curve: CurveSchema }).strict())
      .optional()
      .describe('Arrival curves per channel and intent (contacts not caused by modelled orders).'),
    forecast: z
      .object({
        busyness: FactorDistributionSchema.describe('A factor per local day and replication on the order and demand curves (forecast error).'),
      })
      .strict()
      .optional(),
    orders: z
      .object({
        curve: CurveSchema,
        categories: z.record(z.string(), z.object({ share: z.number().gt(0), returnRate: Probability.optional() }).strict()),
        lookahead: Duration.optional().describe('Orders are known this long before they are placed, so questions can come before them (default 3d).'),
        causes: z
          .array(
            z
              .object({
                channel: z.string(),
                intent: z.string(),
                perOrder: z.number().min(0).max(100),
                lag: DistributionSchema.optional(),
                lead: DistributionSchema.optional(),
                categories: z.array(z.string()).min(1).optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    logistics: z
      .object({
        dispatch: z
          .object({
            perDay: z.union([z.number().min(0), z.array(z.number().min(0))], { error: 'must be a number of parcels or a list with one per day' }),
            cutoff: z.string().optional(),
          })
          .strict(),
        shipWithin: Duration.optional(),
        transit: DistributionSchema,
        congestion: z.object({ normalPerDay: z.number().gt(0), elasticity: z.number().min(0).max(5) }).strict().optional(),
        promise: Duration,
        wismo: z
          .object({ channel: z.string(), intent: z.string(), probability: Probability, after: DistributionSchema })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    returns: z
      .object({
        lag: DistributionSchema,
        ticket: z.object({ channel: z.string(), intent: z.string() }).strict(),
        chat: z.object({ channel: z.string(), intent: z.string(), probability: Probability }).strict().optional(),
        refund: z.object({ time: DistributionSchema, promise: Duration }).strict().optional(),
      })
      .strict()
      .optional(),
    complaints: z
      .object({
        ticket: z.object({ channel: z.string(), intent: z.string() }).strict(),
        wait: z.object({ midpoint: Duration, scale: Duration, max: Probability }).strict().optional(),
        abandoned: Probability.optional(),
        late: z.object({ perDay: Probability, max: Probability }).strict().optional(),
        refundDelay: z.object({ perDay: Probability, max: Probability }).strict().optional(),
      })
      .strict()
      .optional(),
    bot: z
      .object({
        channels: z.array(z.string()).min(1),
        resolve: z.record(z.string(), Probability),
        time: DistributionSchema,
        escalatedPatience: z.number().gt(0).max(1).optional(),
      })
      .strict()
      .optional(),
    routing: z
      .object({
        priority: z.record(z.string(), z.number().int().min(0).max(99)).optional(),
        vipPriority: z.number().int().min(0).max(99).optional(),
        handover: z.enum(['finish-in-hand', 'first-free']).optional(),
      })
      .strict()
      .optional(),
    pools: z
      .array(
        z
          .object({
            name: z.string().min(1),
            kind: z.enum(['permanent', 'temporary', 'borrowed']).optional(),
            channel: z.string(),
            skills: z.array(SkillSchema).min(1),
            tickets: z
              .object({
                channel: z.string(),
                skills: z.array(SkillSchema).min(1),
                when: z.enum(['idle']).optional(),
              })
              .strict()
              .optional()
              .describe('Blending: the pool also works tickets of a deferred channel, when it has no live work (when: idle).'),
            concurrency: z.number().int().min(1).max(64).optional(),
            speed: z.array(z.number().gt(0)).optional(),
            efficiency: z.number().gt(0).max(10).optional(),
            costPerHour: FiniteNonNeg.optional(),
            shrinkage: z.number().min(0).lt(1).optional(),
            handleTime: z
              .record(z.string(), DistributionSchema)
              .describe('Handle time per intent at one chat and efficiency 1; the key default covers the rest.'),
            staffing: StaffingSchema,
            planning: z
              .object({
                min: Agents.optional(),
                max: Agents.optional(),
                maxStep: z.number().int().min(1).optional(),
                from: z.string().optional(),
                to: z.string().optional(),
                fixed: z.boolean().optional(),
              })
              .strict()
              .optional()
              .describe('Constraints for peakplan plan: agents per interval between min and max (seats, hiring limits), at most maxStep change between intervals, only from/to (e.g. temps for the surge), or fixed (keep the staffing as given).'),
            roster: RosterSchema.optional(),
          })
          .strict(),
      )
      .min(1),
    targets: z.array(TargetSchema).optional(),
  })
  .strict();

export type RawScenario = z.infer<typeof ScenarioSchema>;
export type RawDistribution = z.infer<typeof DistributionSchema>;
export type RawCurve = z.infer<typeof CurveSchema>;
export type RawTarget = z.infer<typeof TargetSchema>;
export type RawFactorDistribution = z.infer<typeof FactorDistributionSchema>;
