// What the order flow needs from the contact centre, and the contact sources it creates contacts
// from: the narrow interface between orders/ and the simulation.

import type { EventQueue } from '../../engine/event-queue.js';
import type { RecordStore } from '../../engine/store.js';
import type { Scenario } from '../../scenario/types.js';
import type { DailyRecorder } from '../../stats/daily.js';
import type { ComplaintKind, ComplaintRules } from '../complaints.js';
import type { OrderTape } from './tape.js';

export interface OrderHost {
  readonly eq: EventQueue;
  readonly daily: DailyRecorder;
  readonly complaints: ComplaintRules;
  /** A contact of a source, drawn now, arriving at `at` (≥ now); `order` links tickets to orders; `orderSerial` names the order that caused it (for the trace). */
  spawnContact(source: number, at: number, order: number, orderSerial?: number): void;
  /** Tracing only (null otherwise): an order placed at `placedAt`. */
  readonly traceOrder: ((placedAt: number, serial: number) => void) | null;
  complain(kind: ComplaintKind, now: number): void;
  /** The next order time after t from the order arrival process, or Infinity. */
  nextOrderTime(t: number): number;
}

/** Contact sources the order flow creates contacts from (indices into the host's sources). */
export interface OrderSources {
  readonly causes: readonly number[];
  readonly wismo: number;
  readonly returnTicket: number;
  readonly returnChat: number;
}

/**
 * What the parts of the order flow share. A class, not an object literal: V8 gives a literal's
 * objects their settled shape only the second time the literal runs, so every optimised
 * handler that read these fields was thrown away at the second replication's start (bench/v8.mjs).
 */
export class OrderParts {
  constructor(
    readonly s: Scenario,
    readonly host: OrderHost,
    readonly store: RecordStore,
    readonly src: OrderSources,
    readonly horizon: number,
    /** Recording this replication's order flow (tape.ts), or null. */
    readonly tape: OrderTape | null,
  ) {}
}
