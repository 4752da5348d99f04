import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../matching/index.ts';
import { InstrumentSpec, type InstrumentRow } from '../../../server/instruments/instrument-spec.ts';
import { dec } from '../../../server/shared/decimal.ts';
import { accountKey, CASH } from '../../../server/engine/assets.ts';
import { Batch } from '../../../server/engine/batch.ts';
import type { EngineState } from '../../../server/engine/batch-context.ts';
import type { IdAllocator } from '../../../server/engine/id-allocator.ts';
import type { EngineCommand, PlaceCommand } from '../../../server/engine/commands.ts';

// The batch on in-memory state: dispatch to the handler modules, holds before matching, and what
// it collects for the writer. PostgreSQL is not needed to decide a batch, only to keep it.

const SYMBOL = 'CARBON-2024';
const ROW: InstrumentRow = {
  symbol: SYMBOL, indicator_type: 'carbon_sink', sub_type: null, name_zh: '林业碳汇 2024', name: 'Carbon 2024', unit: 'tCO2e',
  tick_size: '0.01', lot_size: '1', min_quantity: '1', price_band_pct: '10', reference_price: '62.00', status: 'trading',
  halt_reason: null, seller_kinds: 'any', buyer_fee_bps: 3, seller_fee_bps: 3, vintage: 2024, display_order: 1,
};
const actor = { userId: '1', username: 'tester' };
const NOW = new Date('2026-03-02T02:00:00Z');

function engineState(): EngineState {
  const spec = new InstrumentSpec({ ...ROW });
  const config = { symbol: SYMBOL, referencePriceTicks: spec.referenceTicks, priceBandBps: spec.bandBps, minQtyLots: spec.minLots };
  let next = 1;
  return {
    books: new Map([[SYMBOL, OrderBook.restore({ config, mode: 'continuous', sequence: 0, orders: [] })]]),
    specs: new Map([[SYMBOL, spec]]),
    live: new Map(),
    reservations: new Map(),
    suspended: new Set(),
    lots: new Map(),
    ids: { take: () => next++ } as unknown as IdAllocator,
  };
}

const funded = (balances: Record<string, string>) => new Map(Object.entries(balances).map(([k, v]) => [k, dec(v)]));
const place = (participantId: string, side: 'buy' | 'sell', price: number, qtyLots: number): PlaceCommand => ({
  kind: 'place', actor, participantId, participantKind: 'enterprise', symbol: SYMBOL, side, type: 'limit', priceTicks: price * 100, qtyLots, tif: 'GTC', clientOrderId: null,
});

function runBatch(state: EngineState, balances: Map<string, ReturnType<typeof dec>>, commands: EngineCommand[], fresh?: Set<string>): Batch {
  const batch = new Batch(state, balances, NOW, fresh);
  batch.run(commands);
  return batch;
}

describe('batch: book commands', () => {
  it('locks before matching, fills at the maker’s price and releases what the fill did not cost', () => {
    const state = engineState();
    const balances = funded({ [accountKey('20', SYMBOL)]: '100', [accountKey('10', CASH)]: '100000' });
    const batch = runBatch(state, balances, [place('20', 'sell', 62, 10), place('10', 'buy', 63, 4)]);
    const [ask, bid] = batch.outcomes;
    expect(ask).toMatchObject({ ok: true, order: { status: 'open' } });
    expect(bid).toMatchObject({ ok: true, order: { status: 'filled', filledQuantity: '4' }, fills: [{ price: '62.00', quantity: '4' }] });
    expect(batch.trades).toHaveLength(1);
    expect(batch.trades[0]).toMatchObject({ venue: 'book', buyerId: '10', sellerId: '20', priceTicks: 6200, lots: 4 });
    // The buyer keeps locked exactly the trade's cost plus fee (4 × 62.00 + 3 bps = 248.07).
    const cash = batch.deltas.get(accountKey('10', CASH))!;
    expect(cash.locked.toFixed(2)).toBe('248.07');
    expect(cash.available.toFixed(2)).toBe('-248.07');
    expect(batch.deltas.get(accountKey('20', SYMBOL))!.locked.toString()).toBe('10');
    expect(batch.audits.map((a) => a.action)).toEqual(['order.place', 'order.place']);
    expect(batch.changed).toBe(true);
  });

  it('refuses an order its account cannot cover, and changes no book', () => {
    const state = engineState();
    const batch = runBatch(state, funded({ [accountKey('10', CASH)]: '100' }), [place('10', 'buy', 62, 2)]);
    expect(batch.outcomes[0]).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_FUNDS' } });
    expect(state.live.size).toBe(0);
    expect(batch.trades).toHaveLength(0);
  });

  it('defers, rather than refuses, an order a cached balance cannot cover', () => {
    const key = accountKey('10', CASH);
    const batch = runBatch(engineState(), funded({ [key]: '100' }), [place('10', 'buy', 62, 2)], new Set());
    expect(batch.deferred).toEqual([{ index: 0, key }]);
    expect(batch.outcomes[0]).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
  });
});

describe('batch: reservations, off-book trades and suspension', () => {
  it('trades off the book from two reservations, returning what the trade does not use', () => {
    const state = engineState();
    const balances = funded({ [accountKey('10', CASH)]: '10000', [accountKey('20', SYMBOL)]: '100' });
    const reserved = runBatch(state, balances, [
      { kind: 'reserve', actor, participantId: '10', asset: CASH, amount: dec('1000'), purpose: 'block_trade', reference: 'block:1' },
      { kind: 'reserve', actor, participantId: '20', asset: SYMBOL, amount: dec('15'), purpose: 'block_trade', reference: 'block:1' },
    ]);
    const [buyer, seller] = [...reserved.newReservationIds];
    const batch = runBatch(state, balances, [
      { kind: 'offBookTrade', actor, venue: 'block', symbol: SYMBOL, priceTicks: 6000, qtyLots: 10, buyerReservationId: buyer!, sellerReservationId: seller!, reference: 'block:1' },
    ]);
    expect(batch.outcomes[0]).toMatchObject({ ok: true, trade: { venue: 'block', price: '60.00', quantity: '10', amount: '600.00', buyerFee: '0.18' } });
    // Cost 600.18 stays locked for settlement; the other 399.82 and 5 t go back to available.
    expect(batch.deltas.get(accountKey('10', CASH))!.available.toFixed(2)).toBe('399.82');
    expect(batch.deltas.get(accountKey('20', SYMBOL))!.available.toString()).toBe('5');
    expect([...batch.touchedReservations.values()].map((r) => r.status)).toEqual(['consumed', 'consumed']);
    expect(state.reservations.size).toBe(0);
  });

  it('suspension cancels resting orders and releases reservations in the same batch, then refuses the participant', () => {
    const state = engineState();
    const balances = funded({ [accountKey('10', CASH)]: '10000' });
    runBatch(state, balances, [place('10', 'buy', 61, 5), { kind: 'reserve', actor, participantId: '10', asset: CASH, amount: dec('500'), purpose: 'listing_margin', reference: 'listing:1' }]);
    const batch = runBatch(state, balances, [
      { kind: 'setParticipantStatus', actor, participantId: '10', status: 'suspended', reason: 'test' },
      place('10', 'buy', 61, 1),
    ]);
    expect(batch.outcomes[0]).toMatchObject({ ok: true, participant: { status: 'suspended', cancelledOrderIds: ['1'], releasedReservationIds: ['2'] } });
    expect(batch.outcomes[1]).toMatchObject({ ok: false, error: { code: 'PARTICIPANT_SUSPENDED' } });
    expect(state.live.size).toBe(0);
    const cash = batch.deltas.get(accountKey('10', CASH))!;
    expect(cash.available.add(cash.locked).toString()).toBe('0');
    expect(batch.participantChanges).toEqual([{ participantId: '10', status: 'suspended' }]);
  });
});
