// The layouts of the model's records and the states they go through: one contact record of
// Rec.CF doubles (Rec.CI int32s over the same memory) per contact in the system, one agent record
// of int32s per agent. Field offsets are F.* (in doubles) and I.* (in int32s) for contacts, A.*
// for agents.
//
// Const enums, not constants: TypeScript writes their values into the code that uses them, so the
// handlers index records with literal numbers. Imported `const`s cost the M/M/c+M bench 3.5%
// (V8 reads another module's binding instead of folding it; bench/run.mjs, A/B on 2026-12-02).
//
// What a service completion reads and writes (its key, start, state, agent, queue, slot, order,
// free-list link) sits in the first 64 bytes of a contact: the record is usually cold when its
// completion pops minutes later, and one record instead of one array per field saved a cache
// miss per completion (bench/run.mjs).

export const enum Rec {
  /** Doubles per contact record (160 bytes). */
  CF = 20,
  /** The same record in int32s. */
  CI = 40,
}

/** Contact fields read as doubles (offsets in doubles). */
export const enum F {
  DONEKEY = 0, STARTT = 1, PATKEY = 2, OVKEY = 3,
  OFFERT = 8, UWORK = 9, UPAT = 10, SERIAL = 11, WORK = 12, RATE = 13, LASTT = 14, BOTT = 15, UCOMPLAINT = 16,
}

/** Contact fields read as int32s (offsets in int32s; 8–15 share the doubles 4–7, 34–39 the double 17–19). */
export const enum I {
  STATE = 8, AGENT = 9, QUEUE = 10, SLOT = 11, ORDER = 12,
  /** Queue successor while waiting; free-list link while free. */
  NEXT = 13,
  TYPE = 14, SOURCE = 15,
  PREV = 34, OFFERBIN = 35, ARRBIN = 36, ESC = 37, ATTEMPTS = 38, OVTIER = 39,
}

export const enum ContactState { FREE = 0, IN_BOT = 1, WAITING = 2, IN_SERVICE = 3, AWAIT_RETRY = 4, SCHEDULED = 5 }

/** Agent record: A.CHATS + concurrency int32s, rounded up to 8 (a cache line holds two agents). */
export const enum A {
  POOL = 0, LOAD = 1, STATE = 2,
  /** 1 while a blending agent works a ticket (it then holds all its slots). */
  TICKET = 3,
  /** Position in its level set. */
  POS = 4,
  /** The contacts it holds, from here on. */
  CHATS = 5,
}

export const enum AgentState { OFF = 0, ON = 1, LEAVING = 2 }
