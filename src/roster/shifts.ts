// Shifts on the calendar: which starts and lengths a pool's rules allow, where its breaks may go,
// which intervals a shift works, and the facts labour rules look at (local day, week, weekend,
// night, paid hours). Everything at the scenario's interval grain; a shift may start before the
// horizon (to cover its first hours) when no notice is asked for.

import type { Calendar, RosterRules } from '../scenario/types.js';
import { secondsOfLocalDay } from '../scenario/time.js';

/** A shift of one person: start and length in intervals, and its breaks' start intervals (absolute). */
export interface PlacedShift {
  readonly start: number;
  readonly len: number;
  readonly breaks: readonly number[];
}

/** A shift shape the cover may use: start and length in intervals. */
export interface ShiftType {
  readonly start: number;
  readonly len: number;
}

export class ShiftCalendar {
  readonly iv: number;
  /** Local day index (0 = the horizon's first local day) of each interval offset; see dayOf. */
  private readonly firstMidnightSec: number;

  constructor(readonly cal: Calendar) {
    this.iv = cal.intervalSec;
    const local0 = secondsOfLocalDay(cal.startMs, cal.offsetMinutes, 0);
    this.firstMidnightSec = -local0; // the horizon's first local midnight, at or before its start
  }

  /** The local day a shift starting at interval i belongs to (negative before the horizon's first day). */
  dayOf(i: number): number {
    return Math.floor((i * this.iv - this.firstMidnightSec) / 86400);
  }

  /** Weeks are blocks of seven local days from the horizon's first day. */
  weekOf(day: number): number {
    return Math.floor(day / 7);
  }

  days(): number {
    return this.dayOf(this.cal.intervals - 1) + 1;
  }

  /** 'YYYY-MM-DD' of a local day. */
  date(day: number): string {
    const ms = this.cal.startMs + (this.firstMidnightSec + day * 86400) * 1000 + this.cal.offsetMinutes * 60000;
    return new Date(ms).toISOString().slice(0, 10);
  }

  /** Saturday or Sunday. */
  weekend(day: number): boolean {
    const ms = this.cal.startMs + (this.firstMidnightSec + day * 86400) * 1000 + this.cal.offsetMinutes * 60000;
    const wd = new Date(ms).getUTCDay();
    return wd === 0 || wd === 6;
  }

  /** Seconds after local midnight of interval i's start. */
  clock(i: number): number {
    return secondsOfLocalDay(this.cal.startMs, this.cal.offsetMinutes, i * this.iv);
  }
}

/** Is a local clock time inside [from, to) (a window may pass midnight: from > to)? */
export function inClockWindow(sec: number, from: number, to: number): boolean {
  if (from === to) return true;
  return from < to ? sec >= from && sec < to : sec >= from || sec < to;
}

/** The shift shapes the rules allow: starts on the local grid, lengths, notice, within reach of the horizon. */
export function shiftTypes(sc: ShiftCalendar, r: RosterRules): ShiftType[] {
  const iv = sc.iv;
  const n = sc.cal.intervals;
  const maxLen = Math.max(...r.lengthsSec) / iv;
  const every = r.starts.everySec / iv;
  const first = r.noticeSec > 0 ? Math.ceil(r.noticeSec / iv) : 1 - maxLen;
  const out: ShiftType[] = [];
  for (let s = first; s < n; s++) {
    const c = sc.clock(s);
    // on the grid of `every` counted from local midnight, within the allowed start times
    if (Math.round(c / iv) % every !== 0) continue;
    if (!inClockWindow(c, r.starts.fromSec, r.starts.toSec)) continue;
    for (const l of r.lengthsSec) {
      const len = l / iv;
      if (s + len <= 0) continue;
      out.push({ start: s, len });
    }
  }
  return out;
}

/** Per break rule a shift of `len` intervals takes: the offsets (in intervals from its start) its break may start at. */
export function breakOffsets(len: number, iv: number, r: RosterRules): number[][] {
  const out: number[][] = [];
  for (const b of r.breaks) {
    if (len * iv < b.minShiftSec) continue;
    const bl = b.lengthSec / iv;
    const lo = b.withinSec[0] / iv, hi = Math.min(b.withinSec[1] / iv, len - bl);
    if (hi < lo) continue;
    const offs: number[] = [];
    for (let k = lo; k <= hi; k++) offs.push(k);
    out.push(offs);
  }
  return out;
}

/** The default placement: every break in the middle of its window (the cover's assumption). */
export function defaultBreaks(t: ShiftType, iv: number, r: RosterRules): number[] {
  return breakOffsets(t.len, iv, r).map((offs) => t.start + offs[Math.floor((offs.length - 1) / 2)]);
}

/** Lengths (intervals) of the breaks a shift takes, in the order of breakOffsets. */
export function breakLengths(len: number, iv: number, r: RosterRules): number[] {
  return r.breaks.filter((b) => len * iv >= b.minShiftSec && Math.min(b.withinSec[1] / iv, len - b.lengthSec / iv) >= b.withinSec[0] / iv).map((b) => b.lengthSec / iv);
}

/** The intervals inside the horizon a placed shift works (its breaks taken out). */
export function workIntervals(sh: PlacedShift, iv: number, r: RosterRules, n: number): number[] {
  const lens = breakLengths(sh.len, iv, r);
  const off = new Set<number>();
  sh.breaks.forEach((b, k) => { for (let j = 0; j < lens[k]; j++) off.add(b + j); });
  const out: number[] = [];
  for (let i = sh.start; i < sh.start + sh.len; i++) if (i >= 0 && i < n && !off.has(i)) out.push(i);
  return out;
}

/** Paid seconds of a shift: its length less its unpaid breaks. */
export function paidSec(len: number, iv: number, r: RosterRules): number {
  let unpaid = 0;
  const applicable = r.breaks.filter((b) => len * iv >= b.minShiftSec && Math.min(b.withinSec[1] / iv, len - b.lengthSec / iv) >= b.withinSec[0] / iv);
  for (const b of applicable) if (!b.paid) unpaid += b.lengthSec;
  return len * iv - unpaid;
}

/** A night shift works some of its time in the night window. */
export function isNight(sc: ShiftCalendar, t: ShiftType, r: RosterRules): boolean {
  for (let i = t.start; i < t.start + t.len; i++) if (inClockWindow(sc.clock(i), r.night.fromSec, r.night.toSec)) return true;
  return false;
}
