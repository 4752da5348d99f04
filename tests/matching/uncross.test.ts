// The call-auction price rule on its own: maximise executed volume, then minimise the imbalance,
// then nearest the reference price, then the lower price.
// (The last rule cannot decide anything for an integer reference: a price exactly between two
// equally good prices is the reference itself, which is always at least as good. It is kept so
// the result never depends on iteration order.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUncrossPrice } from '../../matching/index.ts';
import type { AuctionLevel } from '../../matching/index.ts';

const lv = (priceTicks: number, qtyLots: number): AuctionLevel => ({ priceTicks, qtyLots });

/** Every tick from 1 to 60, scored exactly as the rule reads. */
function bruteForce(bids: AuctionLevel[], asks: AuctionLevel[], ref: number) {
  let best: { priceTicks: number; volumeLots: number; imbalanceLots: number } | undefined;
  for (let p = 1; p <= 60; p++) {
    const d = bids.filter((b) => b.priceTicks >= p).reduce((a, b) => a + b.qtyLots, 0);
    const s = asks.filter((a) => a.priceTicks <= p).reduce((a, b) => a + b.qtyLots, 0);
    const c = { priceTicks: p, volumeLots: Math.min(d, s), imbalanceLots: Math.abs(d - s) };
    if (c.volumeLots === 0) continue;
    const better =
      !best ||
      c.volumeLots > best.volumeLots ||
      (c.volumeLots === best.volumeLots &&
        (c.imbalanceLots < best.imbalanceLots ||
          (c.imbalanceLots === best.imbalanceLots && Math.abs(p - ref) < Math.abs(best.priceTicks - ref))));
    if (better) best = c;
  }
  return best;
}

describe('findUncrossPrice', () => {
  it('returns undefined when the book does not cross', () => {
    expect(findUncrossPrice([], [lv(10, 1)], 10)).toBeUndefined();
    expect(findUncrossPrice([lv(9, 5)], [lv(10, 5)], 10)).toBeUndefined();
  });

  it('rule 1: maximises executed volume', () => {
    // At 10: demand 10 (both bids), supply 4 → 4. At 11: demand 6, supply 10 → 6. At 12: 0.
    const u = findUncrossPrice([lv(11, 6), lv(10, 4)], [lv(10, 4), lv(11, 6)], 10);
    expect(u).toEqual({ priceTicks: 11, volumeLots: 6, imbalanceLots: 4 });
  });

  it('rule 2: among equal volumes, minimises the imbalance', () => {
    // Volume 5 at 10, 11 and 12; imbalance 5 at 10, 0 at 11, 3 at 12 — 11 wins although the
    // reference is 10.
    const u = findUncrossPrice([lv(12, 5), lv(10, 5)], [lv(10, 5), lv(12, 3)], 10);
    expect(u).toEqual({ priceTicks: 11, volumeLots: 5, imbalanceLots: 0 });
  });

  it('rule 3: among equal volume and imbalance, takes the price nearest the reference — even between order prices', () => {
    const bids = [lv(14, 10)];
    const asks = [lv(8, 10)];
    expect(findUncrossPrice(bids, asks, 11)?.priceTicks).toBe(11);
    expect(findUncrossPrice(bids, asks, 3)?.priceTicks).toBe(8);
    expect(findUncrossPrice(bids, asks, 30)?.priceTicks).toBe(14);
  });

  it('rule 3 holds across a gap: equal volume and imbalance at both ends, the reference itself in between', () => {
    // At 10: demand 8, supply 5; at 12: demand 5, supply 8; at 11: demand 5, supply 5.
    const u = findUncrossPrice([lv(12, 5), lv(10, 3)], [lv(10, 5), lv(12, 3)], 11);
    expect(u).toEqual({ priceTicks: 11, volumeLots: 5, imbalanceLots: 0 });
  });

  it('agrees with trying every tick', () => {
    const levels = fc
      .uniqueArray(fc.record({ priceTicks: fc.integer({ min: 1, max: 50 }), qtyLots: fc.integer({ min: 1, max: 20 }) }), {
        selector: (l) => l.priceTicks,
        maxLength: 8,
      });
    fc.assert(
      fc.property(levels, levels, fc.integer({ min: 1, max: 50 }), (b, a, ref) => {
        const bids = [...b].sort((x, y) => y.priceTicks - x.priceTicks);
        const asks = [...a].sort((x, y) => x.priceTicks - y.priceTicks);
        const got = findUncrossPrice(bids, asks, ref);
        const want = bruteForce(bids, asks, ref);
        if (want === undefined) {
          expect(got).toBeUndefined();
          return;
        }
        expect(got?.volumeLots).toBe(want.volumeLots);
        expect(got?.imbalanceLots).toBe(want.imbalanceLots);
        expect(Math.abs(got!.priceTicks - ref)).toBe(Math.abs(want.priceTicks - ref));
        expect(got?.priceTicks).toBe(want.priceTicks);
      }),
      { numRuns: 2000 },
    );
  });
});
