import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyHistory, PublicMarket } from '../../../contract/public-market.ts';
import type { BlockView } from '../../../server/blocks/block-views.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal, place, stateSnapshot } from '../support/market.ts';
import { ok, pinClock } from '../listings/listing-support.ts';

// Issue 19, public site: the market anyone may read without signing in — today per instrument,
// daily history as JSON and CSV — cacheable, limited per client, with prices from the continuous
// market only (a block print counts in volume and turnover, never in the price: issue 20, item 2).

const SYMBOL = 'CARBON-2024';
const PUBLIC_LIMIT = 40;
let tp: TestPlatform;
let names: string[];

// Two Beijing trading days: 2026-11-30 and 2026-12-01, 10:00 Beijing time each.
const DAY1 = new Date('2026-11-30T02:00:00Z');
const DAY2 = new Date('2026-12-01T02:00:00Z');

beforeAll(async () => {
  tp = await startTestPlatform('public-market', { PUBLIC_RATE_LIMIT_PER_MINUTE: PUBLIC_LIMIT, LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  const [seller, buyer] = await Promise.all([tp.participant('enterprise', '赣州林业碳汇开发有限公司'), tp.participant('enterprise', '南昌电力股份有限公司')]);
  names = ['赣州林业碳汇开发有限公司', '南昌电力股份有限公司'];
  await tp.lot(seller.id, SYMBOL, '150000');
  await tp.deposit(buyer.id, '10000000.00');

  pinClock(tp, DAY1);
  await place(tp, seller.token, { symbol: SYMBOL, side: 'sell', price: '62.00', quantity: '1000' });
  await place(tp, buyer.token, { symbol: SYMBOL, side: 'buy', price: '62.00', quantity: '1000' });
  tp.running.platform.clock.advance(60_000);
  await place(tp, seller.token, { symbol: SYMBOL, side: 'sell', price: '62.50', quantity: '500' });
  await place(tp, buyer.token, { symbol: SYMBOL, side: 'buy', price: '62.50', quantity: '500' });

  pinClock(tp, DAY2);
  await place(tp, seller.token, { symbol: SYMBOL, side: 'sell', price: '63.00', quantity: '200' });
  await place(tp, buyer.token, { symbol: SYMBOL, side: 'buy', price: '63.00', quantity: '200' });
  // A negotiated block far from the market: 120,000 t at 70.00.
  const block = ok<BlockView>(await tp.api('POST', '/api/blocks', seller.token, { symbol: SYMBOL, side: 'sell', counterpartyId: buyer.id, price: '70.00', quantity: '120000' }), 201, 'propose block');
  ok<BlockView>(await tp.api('POST', `/api/blocks/${block.id}/confirm`, buyer.token), 200, 'confirm block');
});
afterAll(async () => {
  await tp?.close();
});

const anonymous = (url: string, headers: Record<string, string> = {}, remoteAddress = '198.51.100.1') => tp.running.app.inject({ method: 'GET', url, headers, remoteAddress });

describe('public market data, no sign-in', () => {
  it("today's market: the last price is the book's, not the block's; the block counts in volume and turnover", async () => {
    const res = await anonymous('/api/public/market');
    expect(res.statusCode).toBe(200);
    const market = res.json<PublicMarket>();
    expect(market.tradingDay).toBe('2026-12-01');
    expect(market.instruments.find((i) => i.symbol === SYMBOL)).toEqual({
      symbol: SYMBOL,
      nameZh: expect.any(String),
      name: expect.any(String),
      indicatorType: 'carbon_sink',
      unit: expect.any(String),
      last: '63.00',
      previousClose: '62.50',
      change: '0.50',
      changePct: '0.80',
      volume: '120200',
      turnover: '8412600.00',
      trades: 2,
      offBookVolume: '120000',
    });
    // An instrument that never traded says so rather than inventing a price.
    expect(market.instruments.find((i) => i.symbol === 'WETLAND')).toMatchObject({ last: null, change: null, volume: '0.00', trades: 0 });
    for (const name of names) expect(res.body).not.toContain(name);
  });

  it('is cacheable: Cache-Control public, an ETag, and 304 for a client that has it', async () => {
    const first = await anonymous('/api/public/market');
    expect(first.headers['cache-control']).toBe('public, max-age=10');
    const tag = String(first.headers.etag);
    expect(tag).toMatch(/^(W\/)?"/);
    const again = await anonymous('/api/public/market', { 'if-none-match': tag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('daily history: OHLC and VWAP of the continuous market, volume and turnover of every venue', async () => {
    const res = await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=2026-11-01&to=2026-12-01`);
    expect(res.statusCode).toBe(200);
    const history = res.json<DailyHistory>();
    expect(history.days).toEqual([
      // VWAP (62,000.00 + 31,250.00) / 1,500 = 62.1666… → 62.17
      { day: '2026-11-30', open: '62.00', high: '62.50', low: '62.00', close: '62.50', vwap: '62.17', volume: '1500', turnover: '93250.00', trades: 2, offBookVolume: '0', offBookTurnover: '0.00' },
      { day: '2026-12-01', open: '63.00', high: '63.00', low: '63.00', close: '63.00', vwap: '63.00', volume: '120200', turnover: '8412600.00', trades: 2, offBookVolume: '120000', offBookTurnover: '8400000.00' },
    ]);
    const oneDay = (await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=2026-11-30&to=2026-11-30`)).json<DailyHistory>();
    expect(oneDay.days.map((d) => d.day)).toEqual(['2026-11-30']);
  });

  it('the same history as CSV a spreadsheet opens: BOM, a header, one line per day', async () => {
    const res = await anonymous(`/api/public/instruments/${SYMBOL}/daily.csv?from=2026-11-01&to=2026-12-01`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${SYMBOL}-daily.csv"`);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\n');
    expect(lines).toEqual([
      'day,open,high,low,close,vwap,volume,turnover,trades,offBookVolume,offBookTurnover',
      '2026-11-30,62.00,62.50,62.00,62.50,62.17,1500,93250.00,2,0,0.00',
      '2026-12-01,63.00,63.00,63.00,63.00,63.00,120200,8412600.00,2,120000,8400000.00',
    ]);
  });

  it('refuses bad ranges and unknown instruments with a code, changing nothing', async () => {
    const before = await stateSnapshot(tp, [], [SYMBOL]);
    expectRefusal(await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=2026-12-02&to=2026-12-01`), 400, 'INVALID_RANGE');
    expectRefusal(await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=2026-02-30`), 400, 'INVALID_DATE');
    expectRefusal(await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=2016-01-01&to=2026-01-01`), 400, 'RANGE_TOO_LONG');
    expectRefusal(await anonymous(`/api/public/instruments/${SYMBOL}/daily?from=yesterday`), 400, 'VALIDATION_FAILED');
    expectRefusal(await anonymous(`/api/public/instruments/${SYMBOL}/daily?limit=5`), 400, 'UNKNOWN_FIELD');
    expectRefusal(await anonymous('/api/public/instruments/NOPE/daily.csv'), 404, 'UNKNOWN_SYMBOL');
    expect(await stateSnapshot(tp, [], [SYMBOL])).toEqual(before);
  });

  it('limits each client, in Redis: a scraper gets 429 while another client still reads', async () => {
    const answers: number[] = [];
    for (let i = 0; i < PUBLIC_LIMIT + 2; i++) answers.push((await anonymous('/api/public/market', {}, '203.0.113.99')).statusCode);
    expect(answers.slice(0, PUBLIC_LIMIT).every((s) => s === 200)).toBe(true);
    expect(answers.slice(PUBLIC_LIMIT)).toEqual([429, 429]);
    expect((await anonymous('/api/public/market', {}, '203.0.113.100')).statusCode).toBe(200);
  });
});
