// fast-check generators of command streams for the order-book property tests. Owners and prices
// come from small ranges on purpose (self-trades, out-of-band prices and crossed auctions happen
// often); order ids are mostly fresh, cancels and amends mostly name a recent order, and a few
// of each reuse or invent ids (duplicates, unknown orders).
import fc from 'fast-check';
import type { BookCommand, BookConfig, StpMode, TimeInForce } from '../../matching/types.ts';
import { ReferenceBook } from './reference-book.ts';

export const CONFIGS: BookConfig[] = [
  // band 90..110, minimum 2 lots
  { symbol: 'CEA', referencePriceTicks: 100, priceBandBps: 1000, minQtyLots: 2 },
  // band 80..120, minimum 1 lot
  { symbol: 'WATER', referencePriceTicks: 100, priceBandBps: 2000, minQtyLots: 1 },
  // the same, starting in a call auction
  { symbol: 'LAND', referencePriceTicks: 100, priceBandBps: 2000, minQtyLots: 1, mode: 'auction' },
  // band 1..100100: wider than the dense price window, so every level here is found by hashing
  { symbol: 'WIDE', referencePriceTicks: 100, priceBandBps: 10_000_000, minQtyLots: 1 },
];

type Untimed = BookCommand extends infer C ? (C extends BookCommand ? Omit<C, 'timestamp'> : never) : never;

/** Resolved per stream by `assignIds`: < 0 picks a recent order id, otherwise a literal id. */
const orderId = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -8, max: -1 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }) });
const placeId = fc.oneof({ weight: 19, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: -1 }) });

/**
 * Places with id 0 get the next fresh id, other places with a negative id reuse a recent one;
 * a cancel or amend with id -k names the k-th resting order (found by running the stream through
 * the reference book as it is built, so most of them hit a live order).
 */
function assignIds(cfg: BookConfig, cs: Untimed[], timestamp: (i: number) => number): BookCommand[] {
  const placed: number[] = [];
  const book = new ReferenceBook(cfg);
  return cs.map((u, i) => {
    let c = { ...u, timestamp: timestamp(i) } as BookCommand;
    if (c.type === 'place') {
      const id = c.orderId === 0 ? 1001 + placed.length : (placed[placed.length + c.orderId] ?? 1);
      placed.push(id);
      c = { ...c, orderId: id };
    } else if ((c.type === 'cancel' || c.type === 'amend') && c.orderId < 0) {
      const live = book.orders();
      c = { ...c, orderId: live.length > 0 ? live[(-c.orderId - 1) % live.length]!.orderId : 999 };
    }
    book.apply(c);
    return c;
  });
}

const price = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 94, max: 106 }) },
  { weight: 3, arbitrary: fc.integer({ min: 80, max: 120 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 100.5) },
);
const qty = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5) });
const tif = fc.constantFrom<TimeInForce>('GTC', 'GTC', 'DAY', 'IOC', 'FOK');
const stp = fc.constantFrom<StpMode | undefined>(undefined, 'none', 'cancel_newest', 'cancel_oldest', 'cancel_both');

const place: fc.Arbitrary<Untimed> = fc
  .record({
    orderId: placeId,
    ownerId: fc.integer({ min: 1, max: 3 }),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    kind: fc.constantFrom('limit' as const, 'limit' as const, 'limit' as const, 'limit' as const, 'market' as const),
    priceTicks: price,
    qtyLots: qty,
    tif,
    postOnly: fc.constantFrom(false, false, false, false, false, false, false, true),
    stp,
  })
  .map((p) => ({ type: 'place' as const, ...p }));

const command: fc.Arbitrary<Untimed> = fc.oneof(
  { weight: 24, arbitrary: place },
  { weight: 4, arbitrary: orderId.map((id) => ({ type: 'cancel' as const, orderId: id })) },
  {
    weight: 5,
    arbitrary: fc
      .record({ orderId, priceTicks: fc.option(price, { nil: undefined }), qtyLots: fc.option(qty, { nil: undefined }) })
      .map((a) => ({ type: 'amend' as const, ...a })),
  },
  { weight: 1, arbitrary: fc.constantFrom('continuous' as const, 'continuous' as const, 'continuous' as const, 'auction' as const, 'auction' as const, 'halted' as const).map((mode) => ({ type: 'setMode' as const, mode })) },
  { weight: 1, arbitrary: fc.constant({ type: 'uncross' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'expireDay' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 94, max: 106 }).map((p) => ({ type: 'setReferencePrice' as const, referencePriceTicks: p })) },
);

/** A book configuration and a stream of commands for it (several commands may share a millisecond). */
export function commandStream(maxLength: number): fc.Arbitrary<[BookConfig, BookCommand[]]> {
  return fc
    .tuple(fc.constantFrom(...CONFIGS), fc.array(command, { minLength: Math.floor(maxLength / 3), maxLength, size: 'max' }))
    .map(([cfg, cs]) => [cfg, assignIds(cfg, cs, (i) => 1_700_000_000_000 + Math.floor(i / 3))]);
}

/** Only continuous-mode trading (places, cancels and amends) on the `cfg` book. */
export function tradingStream(cfg: BookConfig, maxLength: number): fc.Arbitrary<BookCommand[]> {
  const trading = fc.oneof(
    { weight: 12, arbitrary: place },
    { weight: 3, arbitrary: orderId.map((id) => ({ type: 'cancel' as const, orderId: id })) },
    {
      weight: 3,
      arbitrary: fc
        .record({ orderId, priceTicks: fc.option(price, { nil: undefined }), qtyLots: fc.option(qty, { nil: undefined }) })
        .map((a) => ({ type: 'amend' as const, ...a })),
    },
  );
  return fc.array(trading, { minLength: Math.floor(maxLength / 3), maxLength, size: 'max' }).map((cs) => assignIds(cfg, cs, (i) => 1_700_000_000_000 + i));
}
