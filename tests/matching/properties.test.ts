// Property-based tests over random command streams: the engine agrees with the reference book
// result for result, never leaves a continuous book crossed, conserves quantity, fills in
// price-time priority, and a snapshot restored mid-stream continues exactly like the original.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook, priceBand } from '../../matching/index.ts';
import type { BookCommand, BookConfig, BookEvent, RestingOrder, Side } from '../../matching/index.ts';
import { CONFIGS, commandStream, tradingStream } from './commands.ts';
import { ReferenceBook } from './reference-book.ts';

const RUNS = 300;
const TRADING: BookConfig = { ...CONFIGS[1]!, mode: 'continuous' };

function expectSound(book: OrderBook): void {
  expect(book.verify()).toBeUndefined();
  if (book.mode === 'continuous') {
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
  }
}

describe('order book properties', () => {
  it('produces exactly the reference book’s results, book and depth after every command', () => {
    fc.assert(
      fc.property(commandStream(80), ([cfg, stream]) => {
        const book = new OrderBook(cfg);
        const ref = new ReferenceBook(cfg);
        for (const c of stream) {
          expect(book.apply(c)).toEqual(ref.apply(c));
          expect(book.orders()).toEqual(ref.orders());
          expect(book.depth(3)).toEqual(ref.depth(3));
          expect(book.sequence).toBe(ref.sequence);
          expectSound(book);
        }
        expect(book.snapshot()).toEqual(ref.snapshot());
      }),
      { numRuns: RUNS },
    );
  });

  it('is never crossed after a continuous-mode command, and its structure stays intact (long streams)', () => {
    fc.assert(
      fc.property(commandStream(600), ([cfg, stream]) => {
        const book = new OrderBook(cfg);
        for (const c of stream) {
          book.apply(c);
          expectSound(book);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('conserves quantity: submitted ± amendments = filled + cancelled + resting, per order', () => {
    fc.assert(
      fc.property(commandStream(120), ([cfg, stream]) => {
        const book = new OrderBook(cfg);
        const t = new Map<number, { submitted: number; filled: number; cancelled: number; left: number }>();
        const get = (id: number) => {
          const e = t.get(id);
          if (!e) throw new Error(`event for unknown order ${id}`);
          return e;
        };
        for (const c of stream) {
          const r = book.apply(c);
          if (r.code !== 'OK') continue;
          if (c.type === 'place') t.set(c.orderId, { submitted: c.qtyLots, filled: 0, cancelled: 0, left: c.qtyLots });
          for (const e of r.events) {
            switch (e.type) {
              case 'fill':
                for (const [id, rem] of [
                  [e.takerOrderId, e.takerRemainingLots],
                  [e.makerOrderId, e.makerRemainingLots],
                ] as const) {
                  const o = get(id);
                  o.filled += e.qtyLots;
                  o.left -= e.qtyLots;
                  expect(o.left).toBe(rem);
                }
                break;
              case 'cancelled': {
                const o = get(e.orderId);
                expect(e.remainingLots).toBe(o.left);
                o.cancelled += e.remainingLots;
                o.left = 0;
                break;
              }
              case 'amended': {
                const o = get(e.orderId);
                o.submitted += e.remainingLots - o.left;
                o.left = e.remainingLots;
                break;
              }
            }
          }
          // What became of the command's own order: it rests, was cancelled, or filled.
          if (c.type === 'place' || c.type === 'amend' || c.type === 'cancel') {
            const o = get(c.orderId);
            expect(r.cancelReason === null).toBe(r.cancelledLots === 0);
            if (r.cancelledLots > 0) {
              expect(r.restedLots).toBe(0);
              expect(r.cancelledLots).toBe(o.left);
              o.cancelled += r.cancelledLots;
              o.left = 0;
            } else {
              expect(r.restedLots).toBe(o.left);
            }
          } else {
            expect([r.restedLots, r.cancelledLots, r.cancelReason]).toEqual([0, 0, null]);
          }
        }
        for (const [id, o] of t) {
          expect(o.submitted).toBe(o.filled + o.cancelled + o.left);
          expect(book.getOrder(id)?.remainingLots ?? 0).toBe(o.left);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('fills in price-time priority: the makers touched are the head of the opposite queue, at their own prices', () => {
    fc.assert(
      fc.property(tradingStream(TRADING, 120), (stream) => {
        const book = new OrderBook(TRADING);
        for (const c of stream) {
          if (c.type !== 'place' && c.type !== 'amend') {
            book.apply(c);
            continue;
          }
          const before = book.orders();
          const band = priceBand(book.config.referencePriceTicks, book.config.priceBandBps);
          const r = book.apply(c);
          if (r.code !== 'OK') continue;
          let takerSide: Side;
          let limit: number;
          if (c.type === 'place') {
            takerSide = c.side;
            // A market order is bounded by the band edge.
            limit = c.kind === 'limit' ? c.priceTicks : c.side === 'buy' ? band.highTicks : band.lowTicks;
          } else {
            takerSide = before.find((o) => o.orderId === c.orderId)!.side;
            limit = c.priceTicks ?? before.find((o) => o.orderId === c.orderId)!.priceTicks;
          }
          const opposite = before.filter((o) => o.side !== takerSide && o.orderId !== c.orderId);
          const touched = r.events.filter(
            (e): e is Extract<BookEvent, { type: 'fill' | 'cancelled' }> => e.type === 'fill' || (e.type === 'cancelled' && e.reason === 'stp'),
          );
          touched.forEach((e, i) => {
            const maker: RestingOrder = opposite[i]!;
            expect(e.type === 'fill' ? e.makerOrderId : e.orderId).toBe(maker.orderId);
            if (e.type === 'fill') {
              expect(e.priceTicks).toBe(maker.priceTicks);
              expect(takerSide === 'buy' ? e.priceTicks <= limit : e.priceTicks >= limit).toBe(true);
              // Every maker but the last one touched is used up.
              if (i < touched.length - 1) expect(e.makerRemainingLots).toBe(0);
            }
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('snapshot + the rest of the stream = the whole stream (restore keeps every priority)', () => {
    fc.assert(
      fc.property(commandStream(100), fc.nat(), ([cfg, stream]: [BookConfig, BookCommand[]], cut: number) => {
        const k = stream.length === 0 ? 0 : cut % (stream.length + 1);
        const whole = new OrderBook(cfg);
        const first = new OrderBook(cfg);
        for (const c of stream.slice(0, k)) {
          whole.apply(c);
          first.apply(c);
        }
        // Through JSON, as a snapshot would travel to disk or another node.
        const restored = OrderBook.restore(JSON.parse(JSON.stringify(first.snapshot())));
        expect(restored.snapshot()).toEqual(whole.snapshot());
        for (const c of stream.slice(k)) expect(restored.apply(c)).toEqual(whole.apply(c));
        expect(restored.snapshot()).toEqual(whole.snapshot());
        expect(restored.depth(10)).toEqual(whole.depth(10));
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same stream gives the same results and events', () => {
    fc.assert(
      fc.property(commandStream(100), ([cfg, stream]) => {
        const a = new OrderBook(cfg);
        const b = new OrderBook(cfg);
        for (const c of stream) expect(a.apply(c)).toEqual(b.apply(c));
      }),
      { numRuns: 100 },
    );
  });

  it('advances the sequence by one per command that changed something, and never otherwise', () => {
    fc.assert(
      fc.property(commandStream(100), ([cfg, stream]) => {
        const book = new OrderBook(cfg);
        for (const c of stream) {
          const before = book.sequence;
          const r = book.apply(c);
          // An accepted order command always changes the book; an instrument command only if it did something.
          const ownOrder = c.type === 'place' || c.type === 'amend' || c.type === 'cancel';
          const changed = r.code === 'OK' && (ownOrder || r.events.length > 0);
          expect(r.sequence).toBe(before + (changed ? 1 : 0));
          expect(book.sequence).toBe(r.sequence);
          expect(book.depth(1).sequence).toBe(r.sequence);
          if (r.code !== 'OK') expect(r.events.every((e) => e.type === 'rejected')).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
