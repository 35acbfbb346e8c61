// Event kinds of the contact-centre model. A payload is (id << 4) | kind, where id is a contact,
// an order, an arrival process or a day, depending on the kind.
// Same-time priorities (lower first; ties in scheduling order): see docs/model.md.
export const EV_DONE = 0, EV_BOT = 1, EV_EDGE = 2, EV_RETRY = 3, EV_ARRIVAL = 4, EV_OVERFLOW = 5, EV_PATIENCE = 6,
  EV_SPAWN = 7, EV_ORDER_GEN = 8, EV_DISPATCH = 10, EV_LATE_PARCEL = 11, EV_WISMO = 12,
  EV_RETURN = 13, EV_REFUND = 14, EV_DAYEND = 15;
// (9 is free: an order's placement needs no event of its own, orders/flow.ts)
//                   DONE BOT EDGE RETRY ARR OVF PAT SPAWN OGEN -   DISP LATE  WISMO RET REFUND DAYEND
export const PRI = [0,   1,  2,   3,    4,  5,  6,  4,    4,   4,  3,   1,    4,    4,  4,     2];
