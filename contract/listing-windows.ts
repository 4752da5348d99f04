import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

// How long a listing must be announced (公示, its registration window) and open for bids, and
// when it may start: one rule the server enforces and the seller's form explains before sending.
// Pure: no clock (`now` is passed in), no I/O, nothing of server or client.
//
// Working days are those of the State Council's calendar (法定节假日 and 调休 workdays, shipped
// by the `chinese-days` package); a year it does not know yet counts Monday to Friday. The data
// is read by calendar date, never through the local time zone, so a server in UTC and a browser
// in Beijing count the same days.

export interface ListingMinimums {
  /** The registration window (公示/报名期) lasts at least this many working days. */
  registrationWorkingDays: number;
  /** The bidding window lasts at least this many working days. */
  biddingWorkingDays: number;
}

export interface ListingWindowTimes {
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  biddingOpensAt: Date;
  biddingClosesAt: Date;
}

/** The most working days an operator may require of either window. */
export const MAX_MINIMUM_WORKING_DAYS = 60;
/** A start this much before the server's clock still counts as now: the time a request takes. */
export const START_TOLERANCE_MS = 60_000;
/** No window may end further ahead than this. */
export const MAX_DAYS_AHEAD = 366;
/** Nothing before this instant is a plausible listing time (refuses year 0000 and the like). */
export const EARLIEST_LISTING_TIME = Date.UTC(2000, 0, 1);

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const holidays: Readonly<Record<string, string>> = calendar.holidays;
const adjustedWorkdays: Readonly<Record<string, string>> = calendar.workdays;

/** A Beijing calendar date ("2026-10-08") is a working day: a weekday that is no holiday, or a 调休 Saturday/Sunday. */
export function isChineseWorkingDay(day: string): boolean {
  if (adjustedWorkdays[day] !== undefined) return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5 && holidays[day] === undefined;
}

/**
 * The instant `days` working days after `from`: the same Beijing time of day on the `days`-th
 * working day after `from`'s date. Zero days is `from` itself.
 */
export function addWorkingDays(from: Date, days: number): Date {
  let at = from.getTime();
  for (let counted = 0; counted < days; ) {
    at += DAY_MS;
    if (isChineseWorkingDay(new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 10))) counted++;
  }
  return new Date(at);
}

export type ListingWindowRefusal =
  | { code: 'LISTING_DATE_OUT_OF_RANGE'; field: keyof ListingWindowTimes }
  | { code: 'LISTING_STARTS_IN_PAST'; field: 'registrationOpensAt' | 'biddingOpensAt' }
  | { code: 'LISTING_WINDOW_TOO_SHORT'; field: 'registrationClosesAt' | 'biddingClosesAt'; workingDays: number; earliestClose: Date }
  | { code: 'PUBLICITY_TOO_SHORT'; field: 'biddingOpensAt'; workingDays: number; earliestOpen: Date };

const FIELDS = ['registrationOpensAt', 'registrationClosesAt', 'biddingOpensAt', 'biddingClosesAt'] as const;

/**
 * Why these windows may not be used for a new listing under these minimums, or null. Checked in
 * this order: a date no market uses, a start before now, a registration window shorter than its
 * minimum, bidding opening before that many working days of publicity, a short bidding window.
 */
export function listingWindowRefusal(w: ListingWindowTimes, minimums: ListingMinimums, now: Date): ListingWindowRefusal | null {
  const latest = now.getTime() + MAX_DAYS_AHEAD * DAY_MS;
  for (const field of FIELDS) {
    const at = w[field].getTime();
    if (!Number.isFinite(at) || at < EARLIEST_LISTING_TIME || at > latest) return { code: 'LISTING_DATE_OUT_OF_RANGE', field };
  }
  const earliestStart = now.getTime() - START_TOLERANCE_MS;
  if (w.registrationOpensAt.getTime() < earliestStart) return { code: 'LISTING_STARTS_IN_PAST', field: 'registrationOpensAt' };
  if (w.biddingOpensAt.getTime() < earliestStart) return { code: 'LISTING_STARTS_IN_PAST', field: 'biddingOpensAt' };
  const registrationEnd = addWorkingDays(w.registrationOpensAt, minimums.registrationWorkingDays);
  if (w.registrationClosesAt < registrationEnd) {
    return { code: 'LISTING_WINDOW_TOO_SHORT', field: 'registrationClosesAt', workingDays: minimums.registrationWorkingDays, earliestClose: registrationEnd };
  }
  // Bidding opens only after the whole publicity (公示): objections are heard before anyone bids.
  if (w.biddingOpensAt < registrationEnd) {
    return { code: 'PUBLICITY_TOO_SHORT', field: 'biddingOpensAt', workingDays: minimums.registrationWorkingDays, earliestOpen: registrationEnd };
  }
  const biddingEnd = addWorkingDays(w.biddingOpensAt, minimums.biddingWorkingDays);
  if (w.biddingClosesAt < biddingEnd) {
    return { code: 'LISTING_WINDOW_TOO_SHORT', field: 'biddingClosesAt', workingDays: minimums.biddingWorkingDays, earliestClose: biddingEnd };
  }
  return null;
}
