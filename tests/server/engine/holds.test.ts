import { describe, expect, it } from 'vitest';
import { unprocessable } from '../../../server/errors.ts';
import { dec, type Dec } from '../../../server/shared/decimal.ts';
import { accountKey, CASH } from '../../../server/engine/assets.ts';
import { balanceKeysFor, Holds, StaleBalance } from '../../../server/engine/holds.ts';
import type { Reservation } from '../../../server/engine/reservation.ts';
import type { LiveOrder } from '../../../server/engine/live-order.ts';

// The risk step on its own: plain maps in, deltas and reservation changes out, no PostgreSQL.

const NOW = new Date('2026-03-02T02:00:00Z');
const SYMBOL = 'CARBON-2024';
const short = (available: Dec) => unprocessable('INSUFFICIENT_FUNDS', `only ${available.toFixed(2)}`);

function holdsWith(balances: Record<string, string>, options: { cached?: string[]; reservations?: Reservation[] } = {}) {
  const available = new Map(Object.entries(balances).map(([key, amount]) => [key, dec(amount)]));
  const cached = new Set(options.cached ?? []);
  const fresh = new Set([...available.keys()].filter((key) => !cached.has(key)));
  const reservations = new Map((options.reservations ?? []).map((r) => [r.id, r]));
  let next = 1000;
  const holds = new Holds(available, fresh, reservations, { take: () => next++ }, NOW);
  return { holds, reservations };
}

const delta = (holds: Holds, participantId: string, asset: string) => {
  const d = holds.deltas.get(accountKey(participantId, asset));
  return d && { available: d.available.toString(), locked: d.locked.toString() };
};

const reservation = (fields: Partial<Reservation> = {}): Reservation => ({
  id: 'r1',
  participantId: '7',
  asset: CASH,
  amount: dec('500'),
  purpose: 'listing_margin',
  reference: 'listing:1',
  status: 'active',
  createdAt: NOW,
  updatedAt: NOW,
  ...fields,
});

describe('holds: locks checked against available', () => {
  it('locks what available covers and counts later locks of the batch against what is left', () => {
    const { holds } = holdsWith({ [accountKey('7', CASH)]: '1000' });
    holds.lock('7', CASH, dec('600'), short);
    expect(delta(holds, '7', CASH)).toEqual({ available: '-600', locked: '600' });
    expect(() => holds.lock('7', CASH, dec('400.01'), short)).toThrowError(/only 400.00/);
    holds.lock('7', CASH, dec('400'), short);
    expect(delta(holds, '7', CASH)).toEqual({ available: '-1000', locked: '1000' });
  });

  it('gives back what is unlocked, and takes for good what is taken', () => {
    const { holds } = holdsWith({ [accountKey('7', SYMBOL)]: '50' });
    holds.lock('7', SYMBOL, dec('30'), short);
    holds.unlock('7', SYMBOL, dec('10'));
    holds.take('7', SYMBOL, dec('25'), short);
    expect(delta(holds, '7', SYMBOL)).toEqual({ available: '-45', locked: '20' });
    expect(() => holds.take('7', SYMBOL, dec('6'), short)).toThrowError(/only 5.00/);
  });

  it('refuses a shortfall on a fresh figure, but defers one on a cached figure (it may be low)', () => {
    const key = accountKey('7', CASH);
    const fresh = holdsWith({ [key]: '10' }).holds;
    expect(() => fresh.lock('7', CASH, dec('11'), short)).toThrowError(/only 10.00/);
    const cached = holdsWith({ [key]: '10' }, { cached: [key] }).holds;
    const error = (() => {
      try {
        cached.lock('7', CASH, dec('11'), short);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StaleBalance);
    expect((error as StaleBalance).key).toBe(key);
    // A cached figure that covers is used as it is.
    cached.lock('7', CASH, dec('10'), short);
    expect(delta(cached, '7', CASH)).toEqual({ available: '-10', locked: '10' });
  });

  it('treats an account read fresh without a figure as empty, and one never read as not known', () => {
    const read = new Holds(new Map(), new Set([accountKey('8', CASH)]), new Map(), { take: () => 1 }, NOW);
    expect(() => read.lock('8', CASH, dec('0.01'), short)).toThrowError(/only 0.00/);
    expect(() => holdsWith({}).holds.lock('8', CASH, dec('0.01'), short)).toThrowError(StaleBalance);
  });
});

describe('holds: reservations', () => {
  it('reserves from available into a new active reservation with an id of its own', () => {
    const { holds, reservations } = holdsWith({ [accountKey('7', CASH)]: '1000' });
    const r = holds.reserve('7', CASH, dec('200'), 'block_trade', 'block:5', short);
    expect(r).toMatchObject({ id: '1000', participantId: '7', asset: CASH, purpose: 'block_trade', reference: 'block:5', status: 'active' });
    expect(r.amount.toString()).toBe('200');
    expect(reservations.get('1000')).toBe(r);
    expect(holds.newReservationIds.has('1000')).toBe(true);
    expect(delta(holds, '7', CASH)).toEqual({ available: '-200', locked: '200' });
  });

  it('tops up from available and releases back to it, closing the reservation when nothing is left', () => {
    const r = reservation();
    const { holds, reservations } = holdsWith({ [accountKey('7', CASH)]: '100' }, { reservations: [r] });
    holds.topUp(holds.active('r1'), dec('100'), short);
    expect(r.amount.toString()).toBe('600');
    expect(() => holds.topUp(r, dec('1'), short)).toThrowError(/only 0.00/);
    holds.shrink(r, dec('600'), dec('600'), 'released');
    expect(r.status).toBe('released');
    expect(reservations.has('r1')).toBe(false);
    expect(() => holds.active('r1')).toThrowError(/not active/);
    expect(delta(holds, '7', CASH)).toEqual({ available: '500', locked: '-500' });
    expect(holds.touchedReservations.get('r1')).toBe(r);
    expect(holds.newReservationIds.size).toBe(0);
  });

  it('keeps locked what a trade consumes and returns only the rest', () => {
    const r = reservation();
    const { holds } = holdsWith({}, { reservations: [r] });
    holds.shrink(r, r.amount, dec('120'), 'consumed');
    expect(r.status).toBe('consumed');
    expect(delta(holds, '7', CASH)).toEqual({ available: '120', locked: '-120' });
  });

  it('refuses to shrink a reservation by more than it holds, changing nothing', () => {
    const r = reservation();
    const { holds } = holdsWith({}, { reservations: [r] });
    expect(() => holds.shrink(r, dec('500.01'), dec('0'), 'released')).toThrowError(/holds only 500/);
    expect(r.amount.toString()).toBe('500');
    expect(holds.deltas.size).toBe(0);
    expect(holds.touchedReservations.size).toBe(0);
  });

  it('splits parts into new reservations of the same holder without moving a balance', () => {
    const r = reservation();
    const { holds, reservations } = holdsWith({}, { reservations: [r] });
    const parts = holds.split(r, [
      { amount: dec('200'), purpose: 'listing_award', reference: 'award:1' },
      { amount: dec('100'), purpose: 'listing_award', reference: 'award:2' },
    ]);
    expect(parts.map((p) => [p.id, p.participantId, p.asset, p.amount.toString(), p.reference])).toEqual([
      ['1000', '7', CASH, '200', 'award:1'],
      ['1001', '7', CASH, '100', 'award:2'],
    ]);
    expect(r.amount.toString()).toBe('200');
    expect(r.status).toBe('active');
    expect([...reservations.keys()]).toEqual(['r1', '1000', '1001']);
    expect(holds.deltas.size).toBe(0);
  });

  it('lists a participant’s active reservations', () => {
    const { holds } = holdsWith({}, { reservations: [reservation(), reservation({ id: 'r2', participantId: '8' }), reservation({ id: 'r3' })] });
    expect(holds.reservationsOf('7').map((r) => r.id)).toEqual(['r1', 'r3']);
  });
});

describe('balanceKeysFor: the accounts a batch must know before it runs', () => {
  it('names cash for buys, the instrument for sells, uses and reservations, and the account of a topped-up reservation or amended order', () => {
    const actor = { userId: '1', username: 'u' };
    const order = { id: 9, participantId: '12', side: 'sell', symbol: SYMBOL } as LiveOrder;
    const keys = balanceKeysFor(
      [
        { kind: 'place', actor, participantId: '10', participantKind: 'enterprise', symbol: SYMBOL, side: 'buy', type: 'limit', priceTicks: 100, qtyLots: 1, tif: 'GTC', clientOrderId: null },
        { kind: 'place', actor, participantId: '10', participantKind: 'enterprise', symbol: SYMBOL, side: 'sell', type: 'limit', priceTicks: 100, qtyLots: 1, tif: 'GTC', clientOrderId: null },
        { kind: 'reserve', actor, participantId: '11', asset: CASH, amount: dec('1'), purpose: 'p', reference: 'r' },
        { kind: 'topUpReservation', actor, reservationId: 'r1', amount: dec('1') },
        { kind: 'amend', actor, participantId: '12', orderId: 9, priceTicks: null, qtyLots: 2 },
        { kind: 'cancel', actor, participantId: '13', orderId: 10 },
        { kind: 'place', actor, participantId: '10', participantKind: 'enterprise', symbol: SYMBOL, side: 'buy', type: 'limit', priceTicks: 101, qtyLots: 1, tif: 'GTC', clientOrderId: null },
      ],
      new Map([[9, order]]),
      new Map([['r1', reservation()]]),
    );
    expect(keys.map((k) => k.key)).toEqual([accountKey('10', CASH), accountKey('10', SYMBOL), accountKey('11', CASH), accountKey('7', CASH), accountKey('12', SYMBOL)]);
  });
});
