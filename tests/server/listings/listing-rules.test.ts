import { describe, expect, it } from 'vitest';
import { clearSealedBids, extendedClose, listingPhase, marginFor, windowProblem } from '../../../server/listings/listing-rules.ts';
import { dec } from '../../../server/shared/decimal.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute));
const w = { registrationOpensAt: at(0), registrationClosesAt: at(30), biddingOpensAt: at(20), biddingClosesAt: at(50) };

describe('listing rules', () => {
  it('phases follow the windows; registration may overlap bidding', () => {
    expect([new Date(at(0).getTime() - 1), at(10), at(25), at(35), at(50)].map((t) => listingPhase('open', w, t))).toEqual([
      'upcoming',
      'registration',
      'bidding',
      'bidding',
      'closing',
    ]);
    expect(listingPhase('awarded', w, at(10))).toBe('awarded');
    expect(windowProblem({ ...w, biddingOpensAt: at(-1) }, at(0))).toMatch(/bidding cannot open before registration/);
    expect(windowProblem(w, at(30))).toMatch(/already over/);
    expect(windowProblem(w, at(1))).toBeNull();
  });

  it('margin is the percentage of start price × quantity, half up to the fen', () => {
    expect(marginFor(dec('62.35'), dec('333'), dec('10')).toFixed(2)).toBe('2076.26');
  });

  it('anti-sniping extends only bids inside the window, to the window after the bid', () => {
    expect(extendedClose(at(50), at(44), 5 * 60_000)).toEqual(at(50));
    expect(extendedClose(at(50), at(46), 5 * 60_000)).toEqual(at(51));
    expect(extendedClose(at(50), at(49), 0)).toEqual(at(50));
  });

  it('sealed bids clear from the top, earlier first at a price, at the lowest winning price', () => {
    const bid = (registrationId: string, priceTicks: number, qtyLots: number, sequence: number) => ({ registrationId, bidId: `b${sequence}`, priceTicks, qtyLots, sequence });
    expect(clearSealedBids([bid('a', 6200, 300, 1), bid('b', 6300, 500, 2), bid('c', 6300, 400, 3), bid('d', 6100, 900, 4)], 1000)).toEqual({
      priceTicks: 6200,
      soldLots: 1000,
      awards: [
        { registrationId: 'b', bidId: 'b2', qtyLots: 500 },
        { registrationId: 'c', bidId: 'b3', qtyLots: 400 },
        { registrationId: 'a', bidId: 'b1', qtyLots: 100 },
      ],
    });
    // Undersubscribed: everyone wins, at the lowest bid, and the rest goes back to the seller.
    expect(clearSealedBids([bid('a', 6200, 300, 1), bid('b', 6500, 100, 2)], 1000)).toEqual({
      priceTicks: 6200,
      soldLots: 400,
      awards: [
        { registrationId: 'b', bidId: 'b2', qtyLots: 100 },
        { registrationId: 'a', bidId: 'b1', qtyLots: 300 },
      ],
    });
    expect(clearSealedBids([], 10)).toEqual({ priceTicks: null, soldLots: 0, awards: [] });
  });
});
