import { listingWindowRefusal, MAX_DAYS_AHEAD, type ListingMinimums, type ListingWindowTimes } from '../../contract/listing-windows.ts';
import { unprocessable } from '../errors.ts';
import { beijingDate } from '../shared/beijing-time.ts';

/** "2026-12-11 10:00" in Beijing time. */
const beijingMinute = (at: Date) => `${beijingDate(at)} ${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}`;

const windowName = { registrationClosesAt: 'registration (公示/报名)', biddingClosesAt: 'bidding' } as const;

/** Throws the stable refusal for windows a new listing may not use (see contract/listing-windows.ts). */
export function refuseListingWindows(w: ListingWindowTimes, minimums: ListingMinimums, now: Date): void {
  const refusal = listingWindowRefusal(w, minimums, now);
  if (!refusal) return;
  switch (refusal.code) {
    case 'LISTING_DATE_OUT_OF_RANGE':
      throw unprocessable(refusal.code, `${refusal.field} must lie between the year 2000 and ${MAX_DAYS_AHEAD} days from now`);
    case 'LISTING_STARTS_IN_PAST':
      throw unprocessable(refusal.code, `${refusal.field} lies in the past; a listing starts now or later`);
    case 'PUBLICITY_TOO_SHORT':
      throw unprocessable(
        refusal.code,
        `bidding opens only after ${refusal.workingDays} working days of publicity (公示) for this instrument: biddingOpensAt no earlier than ${beijingMinute(refusal.earliestOpen)} Beijing time`,
        { workingDays: String(refusal.workingDays), earliestOpen: beijingMinute(refusal.earliestOpen) },
      );
    case 'LISTING_WINDOW_TOO_SHORT':
      throw unprocessable(
        refusal.code,
        `the ${windowName[refusal.field]} window must last at least ${refusal.workingDays} working days for this instrument: ${refusal.field} no earlier than ${beijingMinute(refusal.earliestClose)} Beijing time`,
        { window: refusal.field === 'registrationClosesAt' ? 'registration' : 'bidding', workingDays: String(refusal.workingDays), earliestClose: beijingMinute(refusal.earliestClose) },
      );
  }
}
