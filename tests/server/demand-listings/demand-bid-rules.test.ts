import { describe, expect, it } from 'vitest';
import { demandBidRefusal, highestNextBidTicks } from '../../../contract/rules/demand-bids.ts';

// The descending rule both the server and the seller's screen apply (contract/rules/demand-bids.ts).

const terms = { startTicks: 13_000_000, floorTicks: 12_500_000, decrementTicks: 100_000 };

describe('the descending bid rule', () => {
  it('opens at the starting price, then one decrement under the lowest', () => {
    expect(highestNextBidTicks(terms, null)).toBe(13_000_000);
    expect(highestNextBidTicks(terms, 12_900_000)).toBe(12_800_000);
  });

  it('allows a bid at the floor, and none once the lowest is within a decrement of it', () => {
    expect(highestNextBidTicks(terms, 12_600_000)).toBe(12_500_000);
    expect(demandBidRefusal(terms, 12_600_000, 12_500_000)).toBeNull();
    expect(highestNextBidTicks(terms, 12_550_000)).toBeNull();
    expect(demandBidRefusal(terms, 12_550_000, 12_500_000)).toEqual({ code: 'BID_CANNOT_GO_LOWER' });
  });

  it('refuses a bid above the next allowed price, or under the floor, naming the limit', () => {
    expect(demandBidRefusal(terms, 12_900_000, 12_850_000)).toEqual({ code: 'BID_NOT_LOWER', highestTicks: 12_800_000 });
    expect(demandBidRefusal(terms, null, 13_000_001)).toEqual({ code: 'BID_NOT_LOWER', highestTicks: 13_000_000 });
    expect(demandBidRefusal(terms, 12_900_000, 12_499_999)).toEqual({ code: 'BID_BELOW_FLOOR', floorTicks: 12_500_000 });
    // Lower than the minimum step is always allowed down to the floor.
    expect(demandBidRefusal(terms, 12_900_000, 12_500_000)).toBeNull();
  });
});
