// The layouts of the model's records and the states they go through: one contact record of CF
// doubles (CI int32s over the same memory) per contact in the system, one agent record of int32s
// per agent. Field offsets are F_* (in doubles) and I_* (in int32s) for contacts, A_* for agents.
//
// What a service completion reads and writes (its key, start, state, agent, queue, slot, order,
// free-list link) sits in the first 64 bytes of a contact: the record is usually cold when its
// completion pops minutes later, and one record instead of one array per field saved a cache
// miss per completion (bench/run.mjs).

export const CF = 20; // doubles per contact record (160 bytes)
export const CI = 2 * CF; // the same record in int32s
export const F_DONEKEY = 0;
export const F_STARTT = 1;
export const F_PATKEY = 2;
export const F_OVKEY = 3;
export const I_STATE = 8;
export const I_AGENT = 9;
export const I_QUEUE = 10;
export const I_SLOT = 11;
export const I_ORDER = 12;
/** Queue successor while waiting; free-list link while free. */
export const I_NEXT = 13;
export const I_TYPE = 14;
export const I_SOURCE = 15;
export const F_OFFERT = 8;
export const F_UWORK = 9;
export const F_UPAT = 10;
export const F_SERIAL = 11;
export const F_WORK = 12;
export const F_RATE = 13;
export const F_LASTT = 14;
export const F_BOTT = 15;
export const F_UCOMPLAINT = 16;
export const I_PREV = 34;
export const I_OFFERBIN = 35;
export const I_ARRBIN = 36;
export const I_ESC = 37;
export const I_ATTEMPTS = 38;
export const I_OVTIER = 39;

// Contact states.
export const FREE = 0, IN_BOT = 1, WAITING = 2, IN_SERVICE = 3, AWAIT_RETRY = 4, SCHEDULED = 5;

// Agent record: A_CHATS + concurrency int32s, rounded up to 8 (a cache line holds two agents).
export const A_POOL = 0;
export const A_LOAD = 1;
export const A_STATE = 2;
/** 1 while a blending agent works a ticket (it then holds all its slots). */
export const A_TICKET = 3;
/** Position in its level set. */
export const A_POS = 4;
/** The contacts it holds, from here on. */
export const A_CHATS = 5;

// Agent states.
export const OFF = 0, ON = 1, LEAVING = 2;
