// Call-auction equilibrium price. Pure arithmetic over aggregated price levels, kept apart from
// the book so the market rule can be tested on its own.

export interface AuctionLevel {
  priceTicks: number;
  qtyLots: number;
}

export interface UncrossPrice {
  priceTicks: number;
  /** Quantity that trades at this price: min(demand, supply). */
  volumeLots: number;
  /** |demand - supply| at this price. */
  imbalanceLots: number;
}

/**
 * The uncross price of a crossed book, or undefined if the book does not cross.
 *
 * Over every tick price p: demand(p) = bid quantity priced >= p, supply(p) = ask quantity priced
 * <= p. The rule: maximise min(demand, supply), then minimise |demand - supply|, then be nearest
 * the reference price, then the lower price. (That last step never decides for an integer
 * reference: a price exactly between two equally good prices is the reference itself, which is
 * always at least as good. It keeps the result independent of the evaluation order.) Between two neighbouring order prices demand and supply are constant, so each gap
 * is evaluated once, at its point nearest the reference: the uncross price need not be an order
 * price (a bid at 101 and an ask at 99 with reference 100 uncross at 100).
 *
 * @param bids best first (price descending)
 * @param asks best first (price ascending)
 */
export function findUncrossPrice(
  bids: readonly AuctionLevel[],
  asks: readonly AuctionLevel[],
  referencePriceTicks: number,
): UncrossPrice | undefined {
  const bestBid = bids[0];
  const bestAsk = asks[0];
  if (bestBid === undefined || bestAsk === undefined || bestBid.priceTicks < bestAsk.priceTicks) return undefined;
  const lo = bestAsk.priceTicks;
  const hi = bestBid.priceTicks;

  // Levels inside [lo, hi], ascending. Only they move demand or supply inside the range.
  const bidAsc: AuctionLevel[] = [];
  for (let i = bids.length - 1; i >= 0; i--) {
    const b = bids[i]!;
    if (b.priceTicks >= lo) bidAsc.push(b);
  }
  const askAsc: AuctionLevel[] = [];
  for (const a of asks) {
    if (a.priceTicks > hi) break;
    askAsc.push(a);
  }
  let demandAtLo = 0;
  for (const b of bidAsc) demandAtLo += b.qtyLots;

  // Distinct candidate prices ascending, with demand and supply at each.
  const price: number[] = [];
  const demand: number[] = [];
  const supply: number[] = [];
  let bi = 0;
  let ai = 0;
  let belowDemand = 0; // bid quantity priced below the current candidate
  let supplyAtOrBelow = 0;
  while (bi < bidAsc.length || ai < askAsc.length) {
    const bp = bi < bidAsc.length ? bidAsc[bi]!.priceTicks : Infinity;
    const ap = ai < askAsc.length ? askAsc[ai]!.priceTicks : Infinity;
    const p = bp < ap ? bp : ap;
    while (ai < askAsc.length && askAsc[ai]!.priceTicks === p) supplyAtOrBelow += askAsc[ai++]!.qtyLots;
    price.push(p);
    demand.push(demandAtLo - belowDemand);
    supply.push(supplyAtOrBelow);
    while (bi < bidAsc.length && bidAsc[bi]!.priceTicks === p) belowDemand += bidAsc[bi++]!.qtyLots;
  }

  let best: UncrossPrice | undefined;
  let bestDist = Infinity;
  const consider = (p: number, d: number, s: number): void => {
    const volume = d < s ? d : s;
    const imbalance = Math.abs(d - s);
    const dist = Math.abs(p - referencePriceTicks);
    if (
      best === undefined ||
      volume > best.volumeLots ||
      (volume === best.volumeLots &&
        (imbalance < best.imbalanceLots ||
          (imbalance === best.imbalanceLots && (dist < bestDist || (dist === bestDist && p < best.priceTicks)))))
    ) {
      best = { priceTicks: p, volumeLots: volume, imbalanceLots: imbalance };
      bestDist = dist;
    }
  };
  for (let i = 0; i < price.length; i++) {
    const p = price[i]!;
    consider(p, demand[i]!, supply[i]!);
    const next = price[i + 1];
    if (next !== undefined && next - p >= 2) {
      // Strictly between p and next: bids priced >= next, asks priced <= p.
      const inside = Math.min(Math.max(referencePriceTicks, p + 1), next - 1);
      consider(inside, demand[i + 1]!, supply[i]!);
    }
  }
  return best;
}
