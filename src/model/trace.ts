// Tracing: one flat record per model event, for tests and diagnostics (what a contact or an agent
// did, and when). Only numbers cross, so tracing allocates nothing it does not keep.

/** What a trace record says happened; see TraceSink. */
export const TRACE_EVENTS = ['arrive', 'bot-resolved', 'offer', 'answer', 'done', 'abandon', 'retry', 'overflow', 'agent-on', 'agent-leaving', 'agent-off', 'order'] as const;
export type TraceEvent = (typeof TRACE_EVENTS)[number];

/**
 * Receives one flat record per model event when tracing (tests, `simulate --trace`). Arguments
 * are plain numbers so that tracing allocates nothing it does not keep: `contact` is the contact's
 * serial number (order of arrival from 0, -1 for agent events), `queue` its queue, `pool` and
 * `agent` the agent involved (-1 when none); at 'arrive', `order` is the serial of the order that
 * caused the contact (-1 when none). 'order' is an order placed: `contact` is its serial.
 */
export type TraceSink = (t: number, event: TraceEvent, contact: number, queue: number, pool: number, agent: number, order?: number) => void;
