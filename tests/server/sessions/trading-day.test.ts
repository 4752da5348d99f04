import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding, place, submit, waitAllSettled } from '../support/market.ts';
import type { SessionEventView } from '../../../server/market/market-bus.ts';
import { SESSION_BREAK_REASON, SESSION_CLOSED_REASON } from '../../../server/sessions/session-service.ts';
import { advanceTo, ok, pinClock } from '../listings/listing-support.ts';

// Sessions (issue 8): a whole simulated trading day in Asia/Shanghai time — the opening call
// auction uncrossing at the open, the midday break, DAY orders expiring at the close, and the
// closing price (VWAP of the last 30 minutes, else the last trade, else the previous close)
// becoming the next day's reference price and band. The market clock is pinned: no waiting.

let tp: TestPlatform;
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const MONDAY = '2026-11-30';
const TUESDAY = '2026-12-01';
const WEDNESDAY = '2026-12-02';

interface InstrumentRow {
  symbol: string;
  status: string;
  haltReason: string | null;
  referencePrice: string;
  bandLow: string;
  bandHigh: string;
}

beforeAll(async () => {
  tp = await startTestPlatform('sessions', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, SESSIONS: 'on' });
});
afterAll(async () => {
  await tp?.close();
});

const instrument = async (symbol: string) => ok<InstrumentRow[]>(await tp.api('GET', '/api/instruments'), 200, 'instruments').find((i) => i.symbol === symbol)!;
const orderStatus = async (id: string) => (await tp.running.platform.knex('orders').where({ id }).first<{ status: string; cancel_reason: string | null }>('status', 'cancel_reason'))!;

describe('a simulated trading day', () => {
  it('opens by call auction, breaks at midday, expires DAY orders at the close and sets the next reference price', async () => {
    const [seller, seller2, b1, b2, b3, b4] = await Promise.all([
      tp.participant('enterprise', '赣州林业碳汇开发有限公司'),
      tp.participant('enterprise'),
      tp.participant('enterprise'),
      tp.participant('enterprise'),
      tp.participant('enterprise'),
      tp.participant('enterprise'),
    ]);
    const wetlandSeller = await tp.participant('government', '永修县自然资源局', '九江市永修县');
    await tp.lot(seller.id, 'CARBON-2024', '200');
    await tp.lot(seller2.id, 'CARBON-2024', '100');
    await tp.lot(wetlandSeller.id, 'WETLAND', '5.00');
    await Promise.all([b1, b2, b3, b4].map((p) => tp.deposit(p.id, '100000.00')));

    pinClock(tp, at(MONDAY, '08:00'));
    await advanceTo(tp, at(MONDAY, '08:00'));
    expect(await instrument('CARBON-2024')).toMatchObject({ status: 'halted', haltReason: SESSION_CLOSED_REASON, referencePrice: '62.00' });
    expectRefusal(await submit(tp, b1.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '10' }), 409, 'INSTRUMENT_HALTED');
    // The day's events from here: before the clock was pinned, a scheduler tick on the real
    // clock may still have announced the market closed (slow set-up under load).
    const events: SessionEventView[] = [];
    tp.running.platform.bus.on('session', (e) => events.push(e));

    // 09:15 the opening call auction collects orders without matching.
    await advanceTo(tp, at(MONDAY, '09:15'));
    expect((await instrument('CARBON-2024')).status).toBe('auction');
    await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '61.00', quantity: '100' });
    const daySell = await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '66.00', quantity: '50', timeInForce: 'DAY' });
    const dayBuy = await place(tp, b1.token, { symbol: 'CARBON-2024', side: 'buy', price: '63.00', quantity: '120', timeInForce: 'DAY' });
    const expiring = await place(tp, b2.token, { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '40', timeInForce: 'DAY' });
    const overnight = await place(tp, b4.token, { symbol: 'CARBON-2024', side: 'buy', price: '59.00', quantity: '10' });
    expect(dayBuy.fills).toEqual([]);
    expect(await cash(tp, b2.token)).toEqual(['97600.00', '2400.00']);

    // 09:30 the auction uncrosses at one price: 100 trade anywhere from 61.00 to 63.00 with the same
    // imbalance, so the price nearest the reference wins: 62.00.
    await advanceTo(tp, at(MONDAY, '09:30'));
    expect((await instrument('CARBON-2024')).status).toBe('trading');
    const opening = await tp.running.platform.knex('trades').where({ symbol: 'CARBON-2024' }).orderBy('id').select<Array<{ price: string; quantity: string }>>('price', 'quantity');
    expect(opening).toEqual([{ price: '62.00', quantity: '100' }]);
    expect(events.find((e) => e.symbol === 'CARBON-2024' && e.phase === 'open')).toMatchObject({ tradingDay: MONDAY, openingPrice: '62.00' });

    // Morning: 10 at 63.00 against the rest of the DAY buy; one wetland trade at 10:30.
    await advanceTo(tp, at(MONDAY, '10:00'));
    await place(tp, seller2.token, { symbol: 'CARBON-2024', side: 'sell', price: '63.00', quantity: '10', timeInForce: 'IOC' });
    await advanceTo(tp, at(MONDAY, '10:30'));
    await tp.deposit(b3.id, '900000.00');
    await place(tp, wetlandSeller.token, { symbol: 'WETLAND', side: 'sell', price: '88500.00', quantity: '1.00' });
    await place(tp, b3.token, { symbol: 'WETLAND', side: 'buy', price: '88500.00', quantity: '1.00' });

    // 11:30 the midday break halts; 13:00 trading resumes.
    await advanceTo(tp, at(MONDAY, '11:30'));
    expect(await instrument('CARBON-2024')).toMatchObject({ status: 'halted', haltReason: SESSION_BREAK_REASON });
    expectRefusal(await submit(tp, b3.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '1' }), 409, 'INSTRUMENT_HALTED');
    await advanceTo(tp, at(MONDAY, '13:00'));
    expect((await instrument('CARBON-2024')).status).toBe('trading');

    // The last 30 minutes: 20 at 64.00, then 10 and 20 at 63.00: VWAP 3,170.00 / 50 = 63.40.
    await advanceTo(tp, at(MONDAY, '14:40'));
    await place(tp, seller2.token, { symbol: 'CARBON-2024', side: 'sell', price: '64.00', quantity: '20' });
    await place(tp, b3.token, { symbol: 'CARBON-2024', side: 'buy', price: '64.00', quantity: '20' });
    await advanceTo(tp, at(MONDAY, '14:50'));
    await place(tp, seller2.token, { symbol: 'CARBON-2024', side: 'sell', price: '63.00', quantity: '30' });
    await place(tp, b3.token, { symbol: 'CARBON-2024', side: 'buy', price: '63.00', quantity: '20' });

    // 15:00 the close: DAY orders expire, their reservations come back to the fen; GTC stays.
    await advanceTo(tp, at(MONDAY, '15:00'));
    expect(await instrument('CARBON-2024')).toMatchObject({ status: 'halted', haltReason: SESSION_CLOSED_REASON });
    expect(await orderStatus(expiring.order.id)).toEqual({ status: 'cancelled', cancel_reason: 'expired' });
    expect(await orderStatus(daySell.order.id)).toEqual({ status: 'cancelled', cancel_reason: 'expired' });
    expect(await orderStatus(overnight.order.id)).toEqual({ status: 'open', cancel_reason: null });
    expect(await cash(tp, b2.token)).toEqual(['100000.00', '0.00']);
    await waitAllSettled(tp);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['100', '0']);
    expect(await holding(tp, seller2.token, 'CARBON-2024')).toEqual(['40', '0']);

    const prices = ok<Array<{ tradingDay: string; closePrice: string; method: string; previousReference: string; volume: string; trades: number }>>(
      await tp.api('GET', '/api/sessions/CARBON-2024/daily-prices', tp.regulatorToken),
      200,
      'daily prices',
    );
    expect(prices).toEqual([expect.objectContaining({ tradingDay: MONDAY, closePrice: '63.40', method: 'vwap', previousReference: '62.00', volume: '160', trades: 5 })]);
    expect(await instrument('CARBON-2024')).toMatchObject({ referencePrice: '63.40', bandLow: '57.06', bandHigh: '69.74' });
    // No trade in the last 30 minutes: the day's last trade. No trade at all: the previous close.
    expect((await tp.api('GET', '/api/sessions/WETLAND/daily-prices', tp.regulatorToken)).json()).toEqual([expect.objectContaining({ closePrice: '88500.00', method: 'last' })]);
    expect((await tp.api('GET', '/api/sessions/CARBON-2023/daily-prices', tp.regulatorToken)).json()).toEqual([expect.objectContaining({ closePrice: '58.00', method: 'previous' })]);
    expect(events.filter((e) => e.symbol === 'CARBON-2024').map((e) => e.phase)).toEqual(['opening_auction', 'open', 'break', 'open', 'closed', 'closed']);
    expect(events.filter((e) => e.symbol === 'CARBON-2024').at(-1)).toMatchObject({ closePrice: '63.40', closeMethod: 'vwap', referencePrice: '63.40' });
    const expiries = await tp.running.platform.knex('audit_log').where({ action: 'order.expire' }).pluck('subject');
    expect(expiries.sort()).toEqual([`order:${daySell.order.id}`, `order:${expiring.order.id}`].sort());

    // Tuesday trades inside the new band: 69.74 is accepted, 69.75 refused.
    await advanceTo(tp, at(TUESDAY, '09:15'));
    expect((await instrument('CARBON-2024')).status).toBe('auction');
    await advanceTo(tp, at(TUESDAY, '09:30'));
    expect((await instrument('CARBON-2024')).status).toBe('trading');
    expectRefusal(await submit(tp, seller2.token, { symbol: 'CARBON-2024', side: 'sell', price: '69.75', quantity: '10' }), 422, 'PRICE_OUT_OF_BAND');
    await place(tp, seller2.token, { symbol: 'CARBON-2024', side: 'sell', price: '69.74', quantity: '10' });
    expect(await orderStatus(overnight.order.id)).toEqual({ status: 'open', cancel_reason: null });

    // A holiday keeps Wednesday closed; the next change is Thursday's auction.
    const holiday = await tp.api('POST', '/api/admin/holidays', tp.operatorToken, { day: WEDNESDAY, name: '测试休市日' });
    expect(holiday.statusCode, holiday.body).toBe(201);
    await advanceTo(tp, at(WEDNESDAY, '10:00'));
    // Tuesday traded nothing: its close carried 63.40 over.
    expect(await instrument('CARBON-2024')).toMatchObject({ status: 'halted', haltReason: SESSION_CLOSED_REASON, referencePrice: '63.40' });
    const board = ok<Array<{ symbol: string; phase: string; nextChangeAt: string | null }>>(await tp.api('GET', '/api/sessions', tp.regulatorToken), 200, 'sessions');
    expect(board.find((s) => s.symbol === 'CARBON-2024')).toMatchObject({ phase: 'closed', nextChangeAt: at('2026-12-03', '09:15').toISOString() });
    await expectLedgerReconciles(tp);
  });

  it('leaves a regulator’s halt alone: the open does not lift it', async () => {
    await advanceTo(tp, at('2026-12-03', '09:00'));
    const halt = await tp.api('POST', '/api/regulator/instruments/FARMLAND-QTY/halt', tp.regulatorToken, { reason: '异常交易核查' });
    expect(halt.statusCode, halt.body).toBe(200);
    await advanceTo(tp, at('2026-12-03', '10:00'));
    expect(await instrument('FARMLAND-QTY')).toMatchObject({ status: 'halted', haltReason: '异常交易核查' });
    expect((await instrument('CARBON-2024')).status).toBe('trading');
  });

  it('closes a day the platform was down for at its close, once it is back', async () => {
    const THURSDAY = '2026-12-03';
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2023', '50');
    await tp.deposit(buyer.id, '10000.00');
    await advanceTo(tp, at(THURSDAY, '14:00'));
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '59.00', quantity: '20' });
    await place(tp, buyer.token, { symbol: 'CARBON-2023', side: 'buy', price: '59.00', quantity: '5' });
    const day = await place(tp, buyer.token, { symbol: 'CARBON-2023', side: 'buy', price: '57.00', quantity: '10', timeInForce: 'DAY' });

    // Down from 14:10 until Friday morning: nobody closed Thursday.
    await advanceTo(tp, at(THURSDAY, '14:10'));
    await tp.restart();
    pinClock(tp, at('2026-12-04', '08:00'));
    await advanceTo(tp, at('2026-12-04', '08:00'));
    expect(await orderStatus(day.order.id)).toEqual({ status: 'cancelled', cancel_reason: 'expired' });
    const prices = ok<Array<{ tradingDay: string; closePrice: string; method: string }>>(await tp.api('GET', '/api/sessions/CARBON-2023/daily-prices?limit=1', tp.regulatorToken), 200, 'prices');
    expect(prices).toEqual([expect.objectContaining({ tradingDay: THURSDAY, closePrice: '59.00', method: 'last' })]);
    expect(await instrument('CARBON-2023')).toMatchObject({ status: 'halted', referencePrice: '59.00' });
    await advanceTo(tp, at('2026-12-04', '09:30'));
    expect((await instrument('CARBON-2023')).status).toBe('trading');
    await waitAllSettled(tp);
    expect(await cash(tp, buyer.token)).toEqual(['9705.00', '0.00']);
    await expectLedgerReconciles(tp);
  });
});
