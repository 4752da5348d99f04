import { describe, expect, it } from 'vitest';
import { buyerLockFor, countdownTarget, demandRequest, draftFor, phaseAt, registrationOpenAt, sellerMarginFor } from '../../../../client/src/features/demand-listing/model/demand-model.ts';
import { beijingInstant, toBeijingInput } from '../../../../client/src/shared/format/beijing-time.ts';

// What the demand screens work out between server reads: phases on the browser clock, the
// countdown's target, and the figures and request of the posting form.

const t0 = Date.UTC(2026, 11, 8, 2, 0, 0); // 10:00 Beijing time
const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const listing = { status: 'open' as const, registrationOpensAt: iso(0), registrationClosesAt: iso(60), biddingOpensAt: iso(30), biddingClosesAt: iso(60) };

describe('the demand listing model', () => {
  it('registration runs on into bidding; once bidding is open the countdown names its close', () => {
    expect(phaseAt(listing, t0 - 1)).toBe('upcoming');
    expect(phaseAt(listing, t0 + 10 * 60_000)).toBe('registration');
    expect(phaseAt(listing, t0 + 40 * 60_000)).toBe('bidding');
    expect(registrationOpenAt(listing, t0 + 40 * 60_000)).toBe(true);
    expect(countdownTarget(listing, t0 + 10 * 60_000)).toEqual({ kind: 'biddingOpens', at: iso(30) });
    expect(countdownTarget(listing, t0 + 40 * 60_000)).toEqual({ kind: 'biddingCloses', at: iso(60) });
    expect(countdownTarget(listing, t0 + 61 * 60_000)).toBeNull();
    expect(phaseAt({ ...listing, status: 'awarded' }, t0)).toBe('awarded');
  });

  it('shows the buyer’s lock with its fee and the seller margin to the fen', () => {
    const draft = { ...draftFor(undefined, '', 'zh-CN', t0), quantity: '2.50', startPrice: '280000.00', marginPct: '5' };
    expect(buyerLockFor(draft, 25)?.toFixed(2)).toBe('701750.00');
    expect(sellerMarginFor(draft)?.toFixed(2)).toBe('35000.00');
    expect(buyerLockFor({ ...draft, quantity: '' }, 25)).toBeNull();
  });

  it('sends Beijing times as instants, a start already passed as now', () => {
    expect(toBeijingInput(t0)).toBe('2026-12-08T10:00');
    expect(beijingInstant('2026-12-08T10:00')).toBe(t0);
    const draft = { ...draftFor(undefined, '', 'zh-CN', t0), symbol: 'CARBON-2024', title: ' 碳汇需求 ', quantity: '100', startPrice: '70.00', floorPrice: '62.00', decrement: '1.00', marginPct: '10', antiSnipingMinutes: '5' };
    const body = demandRequest({ ...draft, registrationOpensAt: '2026-12-08T10:00', biddingOpensAt: '2026-12-08T10:30', registrationClosesAt: '2026-12-08T11:00', biddingClosesAt: '2026-12-08T11:00' }, t0 + 30_000);
    expect(body).toMatchObject({ title: '碳汇需求', registrationOpensAt: new Date(t0 + 30_000).toISOString(), biddingOpensAt: iso(30), biddingClosesAt: iso(60), antiSnipingSeconds: 300 });
  });
});
