// The plain book (plain-book.ts) answering through the engine's command/result contract, for
// bench:contract: how fast a book with no checks at all can be when every command arrives as an
// object and every outcome leaves as result and event objects. `fillsOnly` drops every event but
// fills, the shape of the "plain book emitting an event object per fill".
import type { ApplyResult, BookCommand, BookEvent } from '../../matching/index.ts';
import { PlainBook } from './plain-book.ts';

const NO_EVENTS: BookEvent[] = [];

export class PlainBookApi {
  private readonly book: PlainBook;
  private seq = 0;

  constructor(
    range: { minPrice: number; maxPrice: number; maxOrderId: number; maxLive: number },
    private readonly fillsOnly: boolean,
  ) {
    this.book = new PlainBook(range.minPrice, range.maxPrice, range.maxOrderId, range.maxLive);
  }

  apply(c: BookCommand): ApplyResult {
    if (c.type === 'cancel') {
      if (!this.book.cancel(c.orderId)) return { code: 'UNKNOWN_ORDER', events: [{ type: 'rejected', orderId: c.orderId, code: 'UNKNOWN_ORDER', timestamp: c.timestamp }], sequence: this.seq };
      // The plain book does not say how much it cancelled; the contract's event shape is what is measured.
      const events: BookEvent[] = this.fillsOnly ? NO_EVENTS : [{ type: 'cancelled', orderId: c.orderId, ownerId: 0, remainingLots: 0, reason: 'user', timestamp: c.timestamp }];
      return { code: 'OK', events, sequence: ++this.seq };
    }
    if (c.type !== 'place') return { code: 'INVALID_ORDER', events: NO_EVENTS, sequence: this.seq };
    const seq = ++this.seq;
    const b = this.book;
    b.limit(c.orderId, c.side === 'buy', c.priceTicks, c.qtyLots);
    const events: BookEvent[] = this.fillsOnly
      ? b.fillCount === 0
        ? NO_EVENTS
        : []
      : [{ type: 'accepted', orderId: c.orderId, ownerId: c.ownerId, side: c.side, priceTicks: c.priceTicks, qtyLots: c.qtyLots, timestamp: c.timestamp }];
    let left = c.qtyLots;
    for (let k = 0; k < b.fillCount; k++) {
      const f = b.fills[k]!;
      left -= f.qtyLots;
      events.push({
        type: 'fill',
        takerOrderId: c.orderId,
        makerOrderId: f.makerId,
        takerOwnerId: c.ownerId,
        makerOwnerId: 0,
        aggressorSide: c.side,
        priceTicks: f.priceTicks,
        qtyLots: f.qtyLots,
        takerRemainingLots: left,
        makerRemainingLots: 0,
        timestamp: c.timestamp,
      });
    }
    if (!this.fillsOnly && left > 0) events.push({ type: 'rested', orderId: c.orderId, priceTicks: c.priceTicks, remainingLots: left, timestamp: c.timestamp });
    return { code: 'OK', events, sequence: seq };
  }
}
