// The descending rule of a demand listing (需求挂牌), shared by the server that enforces it and the
// seller's screen that prefills the next bid: pure, on integer ticks, nothing of server or client.

export interface DemandBidTerms {
  startTicks: number;
  floorTicks: number;
  decrementTicks: number;
}

/**
 * The highest price the next bid may name, in ticks: the starting price while nobody has bid,
 * then the current lowest bid less one decrement. Null when that would fall under the floor:
 * the lowest bid can no longer be undercut.
 */
export function highestNextBidTicks(terms: DemandBidTerms, lowestTicks: number | null): number | null {
  const highest = lowestTicks === null ? terms.startTicks : lowestTicks - terms.decrementTicks;
  return highest >= terms.floorTicks ? highest : null;
}

export type DemandBidRefusal = { code: 'BID_NOT_LOWER'; highestTicks: number } | { code: 'BID_BELOW_FLOOR'; floorTicks: number } | { code: 'BID_CANNOT_GO_LOWER' };

/** Why a bid of `priceTicks` is not allowed against the current lowest, or null. */
export function demandBidRefusal(terms: DemandBidTerms, lowestTicks: number | null, priceTicks: number): DemandBidRefusal | null {
  if (priceTicks < terms.floorTicks) return { code: 'BID_BELOW_FLOOR', floorTicks: terms.floorTicks };
  const highest = highestNextBidTicks(terms, lowestTicks);
  if (highest === null) return { code: 'BID_CANNOT_GO_LOWER' };
  if (priceTicks > highest) return { code: 'BID_NOT_LOWER', highestTicks: highest };
  return null;
}
