import { listingPhase, registrationOpen, type ListingStatus, type ListingWindows } from './listing-rules.ts';

// The timetable a listing auction (挂牌) and a demand listing (需求挂牌) share: the same windows,
// anti-sniping and statuses, so the same columns, rules and view fields.

/** The timetable columns of a `listings` or `demand_listings` row. */
export interface ScheduleColumns {
  registration_opens_at: Date;
  registration_closes_at: Date;
  bidding_opens_at: Date;
  bidding_closes_at: Date;
  scheduled_close_at: Date;
  anti_sniping_seconds: number;
  extensions: number;
  status: ListingStatus;
}

export const windowsOf = (row: Pick<ScheduleColumns, 'registration_opens_at' | 'registration_closes_at' | 'bidding_opens_at' | 'bidding_closes_at'>): ListingWindows => ({
  registrationOpensAt: row.registration_opens_at,
  registrationClosesAt: row.registration_closes_at,
  biddingOpensAt: row.bidding_opens_at,
  biddingClosesAt: row.bidding_closes_at,
});

/** The timetable columns a new sale is written with: it closes as scheduled until a bid extends it. */
export const newScheduleColumns = (w: ListingWindows, antiSnipingSeconds: number) => ({
  registration_opens_at: w.registrationOpensAt,
  registration_closes_at: w.registrationClosesAt,
  bidding_opens_at: w.biddingOpensAt,
  bidding_closes_at: w.biddingClosesAt,
  scheduled_close_at: w.biddingClosesAt,
  anti_sniping_seconds: antiSnipingSeconds,
});

/**
 * The timetable as a viewer sees it at `now`. Whether bidding is open is left to the caller:
 * a listing auction also holds bidding while an objection or its cap is pending.
 */
export function scheduleView(row: ScheduleColumns, now: Date) {
  const windows = windowsOf(row);
  return {
    registrationOpensAt: row.registration_opens_at.toISOString(),
    registrationClosesAt: row.registration_closes_at.toISOString(),
    biddingOpensAt: row.bidding_opens_at.toISOString(),
    biddingClosesAt: row.bidding_closes_at.toISOString(),
    scheduledCloseAt: row.scheduled_close_at.toISOString(),
    antiSnipingSeconds: row.anti_sniping_seconds,
    extensions: row.extensions,
    status: row.status,
    phase: listingPhase(row.status, windows, now),
    registrationOpen: registrationOpen(row.status, windows, now),
  };
}
