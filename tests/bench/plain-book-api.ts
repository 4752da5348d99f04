// The plain book (plain-book.ts) answering through the engine's command/result contract, for
// bench:contract: how fast a book with no checks at all can be when every command arrives as an
// object and its outcome leaves as a result object, with an event object per fill.
import type { ApplyResult, BookCommand, BookEvent } from '../../matching/index.ts';
import { PlainBook } from './plain-book.ts';

const NO_EVENTS: BookEvent[] = [];

export class PlainBookApi {
  private readonly book: PlainBook;
  private seq = 0;

  constructor(range: { minPrice: number; maxPrice: number; maxOrderId: number; maxLive: number }) {
    this.book = new PlainBook(range.minPrice, range.maxPrice, range.maxOrderId, range.maxLive);
  }

  apply(c: BookCommand): ApplyResult {
    if (c.type === 'cancel') {
      if (!this.book.cancel(c.orderId)) {
        const events: BookEvent[] = [{ type: 'rejected', orderId: c.orderId, code: 'UNKNOWN_ORDER', timestamp: c.timestamp }];
        return { code: 'UNKNOWN_ORDER', events, sequence: this.seq, restedLots: 0, cancelledLots: 0, cancelReason: null };
      }
      // The plain book does not say how much it cancelled; the contract's result shape is what is measured.
      return { code: 'OK', events: NO_EVENTS, sequence: ++this.seq, restedLots: 0, cancelledLots: 1, cancelReason: 'user' };
    }
    if (c.type !== 'place') return { code: 'INVALID_ORDER', events: NO_EVENTS, sequence: this.seq, restedLots: 0, cancelledLots: 0, cancelReason: null };
    const seq = ++this.seq;
    const b = this.book;
    b.limit(c.orderId, c.side === 'buy', c.priceTicks, c.qtyLots);
    const events: BookEvent[] = b.fillCount === 0 ? NO_EVENTS : [];
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
    return { code: 'OK', events, sequence: seq, restedLots: left, cancelledLots: 0, cancelReason: null };
  }
}
