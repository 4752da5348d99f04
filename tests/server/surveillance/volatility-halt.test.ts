import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { ManualScheduler } from '../../../server/surveillance/scheduler.ts';
import { SurveillanceService } from '../../../server/surveillance/surveillance-service.ts';
import type { SurveillanceOverrides } from '../../../server/surveillance/config.ts';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { instrumentStatus, place } from './support/orders.ts';

let tp: TestPlatform;
const PAUSE = 60_000;
const AUCTION = 30_000;

beforeAll(async () => {
  tp = await startTestPlatform('surveillance-volatility');
});
afterAll(async () => {
  await tp?.close();
});

/** Replaces the platform's surveillance with one on a clock the test moves by hand. */
async function surveillanceOnManualClock(start?: Date, config: SurveillanceOverrides = {}): Promise<{ service: SurveillanceService; clock: ManualScheduler }> {
  const { platform, app } = tp.running;
  await platform.surveillance?.stop();
  const clock = new ManualScheduler(start);
  const service = new SurveillanceService({
    knex: platform.knex,
    bus: platform.bus,
    engine: platform.engine,
    instruments: platform.instruments,
    log: app.log,
    scheduler: clock,
    config: { volatilityHalt: { pauseMs: PAUSE, auctionMs: AUCTION }, ...config },
  });
  await service.start();
  platform.surveillance = service;
  return { service, clock };
}

async function market(symbol: string, label: string) {
  const seller = await tp.participant('government', `${label}自然资源局`);
  const buyer = await tp.participant('enterprise', `${label}建设投资有限公司`);
  await tp.lot(seller.id, symbol, '20.00');
  await tp.deposit(buyer.id, '20000000.00');
  return { seller, buyer };
}

/** Waits until the automatic cycle of `symbol` reached `phase`, so its next timer is set. */
const cyclePhase = (symbol: string, phase: string) =>
  eventually(async () => tp.running.platform.surveillance!.volatilityCycles().some((c) => c.symbol === symbol && c.phase === phase), `${symbol} ${phase}`);

const auditOf = async (symbol: string) =>
  (await tp.running.platform.knex('audit_log').where({ subject: `instrument:${symbol}` }).orderBy('seq').select<Array<{ action: string; actor: string; payload: { status?: string; price?: string } }>>('action', 'actor', 'payload')).map(
    (r) => [r.action, r.actor, r.payload.status ?? r.payload.price ?? null],
  );

describe('automatic volatility halt', () => {
  it('halts an instrument on a trade beyond the band, reopens it by a call auction after the pause, and records the auction fills like any others', async () => {
    const { clock } = await surveillanceOnManualClock();
    const { seller, buyer } = await market('FARMLAND-QTY', '婺源县');
    const alerts: string[] = [];
    tp.running.platform.bus.on('alert', (a) => alerts.push(`${a.rule}:${a.severity}`));

    await place(tp, seller.token, 'FARMLAND-QTY', 'sell', '368500.00', '1.00');
    await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '368500.00', '1.00');
    expect(await instrumentStatus(tp, 'FARMLAND-QTY')).toBe('trading');

    // 395,000.00 is 7.19% above the last trade at 368,500.00: beyond the ±7% band (inside the ±10% price band).
    await place(tp, seller.token, 'FARMLAND-QTY', 'sell', '395000.00', '1.00');
    await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '395000.00', '1.00');
    await eventually(async () => (await instrumentStatus(tp, 'FARMLAND-QTY')) === 'halted', 'volatility halt');
    const refused = await tp.api('POST', '/api/orders', buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', type: 'limit', price: '390000.00', quantity: '1.00', timeInForce: 'GTC' });
    expect(refused.json()).toMatchObject({ statusCode: 409, code: 'INSTRUMENT_HALTED' });
    await eventually(async () => alerts.includes('volatility_halt:critical'), 'volatility alert');
    const stored = (await tp.api('GET', '/api/regulator/alerts?rule=volatility_halt', tp.regulatorToken)).json<Array<{ details: { movePct: string; previousPrice: string } }>>();
    expect(stored[0]?.details).toMatchObject({ movePct: '7.19', previousPrice: '368500.00' });

    await cyclePhase('FARMLAND-QTY', 'halted');
    // Not yet: the pause is a minute.
    clock.advance(PAUSE - 1);
    expect(await instrumentStatus(tp, 'FARMLAND-QTY')).toBe('halted');
    clock.advance(1);
    await eventually(async () => (await instrumentStatus(tp, 'FARMLAND-QTY')) === 'auction', 'reopening auction');
    await cyclePhase('FARMLAND-QTY', 'auction');

    // The auction collects without matching.
    const ask = await place(tp, seller.token, 'FARMLAND-QTY', 'sell', '390000.00', '2.00');
    const bid = await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '392000.00', '1.50');
    expect([ask.fills, bid.fills, bid.order.status]).toEqual([[], [], 'open']);
    const ioc = await tp.api('POST', '/api/orders', buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', type: 'limit', price: '392000.00', quantity: '1.00', timeInForce: 'IOC' });
    expect(ioc.statusCode).toBe(422);

    clock.advance(AUCTION);
    await eventually(async () => (await instrumentStatus(tp, 'FARMLAND-QTY')) === 'trading', 'continuous trading again');

    const { knex } = tp.running.platform;
    const fills = await knex('trades').where({ buy_order_id: bid.order.id }).select<Array<{ id: string; price: string; quantity: string; sell_order_id: string }>>('id', 'price', 'quantity', 'sell_order_id');
    // One price for the whole auction: both orders cross between 390,000.00 and 392,000.00; the tie goes to the price nearest the reference (368,500.00).
    expect(fills).toEqual([{ id: expect.any(String), price: '390000.00', quantity: '1.50', sell_order_id: ask.order.id }]);
    const orders = await knex('orders').whereIn('id', [ask.order.id, bid.order.id]).orderBy('id').select('status', 'filled_quantity');
    expect(orders).toEqual([
      { status: 'partially_filled', filled_quantity: '1.50' },
      { status: 'filled', filled_quantity: '1.50' },
    ]);
    const book = (await tp.api('GET', '/api/instruments/FARMLAND-QTY/book')).json<{ bids: unknown[]; asks: unknown[] }>();
    expect(book).toMatchObject({ bids: [], asks: [{ price: '390000.00', quantity: '0.50', orders: 1 }] });
    await eventually(async () => (await tp.api('GET', `/api/settlements/${fills[0]!.id}`, buyer.token)).json<{ status: string }>().status === 'settled', 'auction trade settled');

    expect(await auditOf('FARMLAND-QTY')).toEqual([
      ['instrument.halt', 'system:surveillance', 'halted'],
      ['instrument.resume', 'system:surveillance', 'auction'],
      ['instrument.uncross', 'system:surveillance', '390000.00'],
      ['instrument.resume', 'system:surveillance', 'trading'],
    ]);
    // The uncross price is the new yardstick: a trade near it does not halt again.
    await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '390000.00', '0.50');
    await tp.running.platform.surveillance!.settled();
    expect(await instrumentStatus(tp, 'FARMLAND-QTY')).toBe('trading');

    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('leaves the instrument to a regulator who steps in during the pause, and records the fills of a crossed auction the regulator resumes', async () => {
    const { clock, service } = await surveillanceOnManualClock();
    const { seller, buyer } = await market('LAND-LINKAGE', '永修县');
    await place(tp, seller.token, 'LAND-LINKAGE', 'sell', '280000.00', '1.00');
    await place(tp, buyer.token, 'LAND-LINKAGE', 'buy', '280000.00', '1.00');
    // 259,000.00 is 7.5% below.
    await place(tp, buyer.token, 'LAND-LINKAGE', 'buy', '259000.00', '1.00');
    await place(tp, seller.token, 'LAND-LINKAGE', 'sell', '259000.00', '1.00');
    await eventually(async () => (await instrumentStatus(tp, 'LAND-LINKAGE')) === 'halted', 'volatility halt');
    await cyclePhase('LAND-LINKAGE', 'halted');

    // The regulator puts it into an auction of their own and, with the book crossed, resumes.
    const { engine } = tp.running.platform;
    const regulator = { userId: null, username: 'test-regulator' };
    expect((await engine.submit({ kind: 'setMode', actor: regulator, symbol: 'LAND-LINKAGE', mode: 'auction', reason: '人工集合竞价' })).ok).toBe(true);
    expect(service.volatilityCycles()).toEqual([]);
    const ask = await place(tp, seller.token, 'LAND-LINKAGE', 'sell', '265000.00', '1.00');
    const bid = await place(tp, buyer.token, 'LAND-LINKAGE', 'buy', '266000.00', '1.00');
    const resumed = await tp.api('POST', '/api/regulator/instruments/LAND-LINKAGE/resume', tp.regulatorToken, { reason: '恢复连续交易' });
    expect(resumed.json()).toMatchObject({ status: 'trading' });

    const { knex } = tp.running.platform;
    // Crossed between 265,000.00 and 266,000.00: the price nearest the reference (280,000.00).
    expect(await knex('trades').where({ buy_order_id: bid.order.id, sell_order_id: ask.order.id }).select('price', 'quantity')).toEqual([{ price: '266000.00', quantity: '1.00' }]);
    expect(await knex('orders').whereIn('id', [ask.order.id, bid.order.id]).pluck('status')).toEqual(['filled', 'filled']);

    // The automatic steps were dropped: time passing changes nothing.
    clock.advance(PAUSE + AUCTION);
    await service.settled();
    expect(await instrumentStatus(tp, 'LAND-LINKAGE')).toBe('trading');
    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('finishes a halt left unfinished by a previous run: after a restart the instrument still reopens', async () => {
    await surveillanceOnManualClock();
    const { seller, buyer } = await market('WETLAND', '南丰县');
    await place(tp, seller.token, 'WETLAND', 'sell', '88000.00', '1.00');
    await place(tp, buyer.token, 'WETLAND', 'buy', '88000.00', '1.00');
    await place(tp, seller.token, 'WETLAND', 'sell', '95000.00', '1.00');
    await place(tp, buyer.token, 'WETLAND', 'buy', '95000.00', '1.00');
    await eventually(async () => (await instrumentStatus(tp, 'WETLAND')) === 'halted', 'volatility halt');

    // A new run starts after the pause has passed: it opens the auction at once, then uncrosses on time.
    const { clock } = await surveillanceOnManualClock(new Date(Date.now() + PAUSE + 1000));
    clock.advance(0);
    await eventually(async () => (await instrumentStatus(tp, 'WETLAND')) === 'auction', 'auction after restart');
    await cyclePhase('WETLAND', 'auction');
    clock.advance(AUCTION);
    await eventually(async () => (await instrumentStatus(tp, 'WETLAND')) === 'trading', 'trading after restart');
  });

  it('does not halt on moves inside the band, nor when switched off', async () => {
    await surveillanceOnManualClock(undefined, { volatilityHalt: { enabled: false } });
    const { seller, buyer } = await market('FARMLAND-PADDY', '寻乌县');
    await place(tp, seller.token, 'FARMLAND-PADDY', 'sell', '125000.00', '1.00');
    await place(tp, buyer.token, 'FARMLAND-PADDY', 'buy', '125000.00', '1.00');
    // +8% from 125,000.00 would halt, but the halt is switched off.
    await place(tp, seller.token, 'FARMLAND-PADDY', 'sell', '135000.00', '1.00');
    await place(tp, buyer.token, 'FARMLAND-PADDY', 'buy', '135000.00', '1.00');
    await tp.running.platform.surveillance!.settled();
    expect(await instrumentStatus(tp, 'FARMLAND-PADDY')).toBe('trading');

    await surveillanceOnManualClock();
    // From the last trade at 135,000.00: 137,000.00 is +1.48%, then 128,000.00 is −6.57% — inside the band.
    await place(tp, seller.token, 'FARMLAND-PADDY', 'sell', '137000.00', '1.00');
    await place(tp, buyer.token, 'FARMLAND-PADDY', 'buy', '137000.00', '1.00');
    // A block trade negotiated 25% below (as the engine reports off-book trades) neither halts the
    // book nor becomes its yardstick: the next book trade is judged against 137,000.00.
    tp.running.platform.bus.emit(
      'trade',
      { id: '990001', symbol: 'FARMLAND-PADDY', price: '102750.00', quantity: '10.00', amount: '1027500.00', aggressorSide: 'buy', executedAt: new Date().toISOString(), venue: 'block' },
      { buyerId: buyer.id, sellerId: seller.id },
    );
    await place(tp, buyer.token, 'FARMLAND-PADDY', 'buy', '128000.00', '1.00');
    await place(tp, seller.token, 'FARMLAND-PADDY', 'sell', '128000.00', '1.00');
    await tp.running.platform.surveillance!.settled();
    expect(await instrumentStatus(tp, 'FARMLAND-PADDY')).toBe('trading');
  });
});
