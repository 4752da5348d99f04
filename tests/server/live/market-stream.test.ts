import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import type { BookMessage, SubscribeAck, TickerMessage, TradeMessage, InstrumentMessage, RegulatorMessages } from '../../../server/market/live-contract.ts';
import { connect, emitWithAck, inboxOf, order, referencePrice, traders } from './live-support.ts';

let tp: TestPlatform;
let url: string;
const sockets: Socket[] = [];
const open = async (namespace: '/market' | '/account' | '/regulator', token?: string) => {
  const socket = await connect(url, namespace, token);
  sockets.push(socket);
  return socket;
};

beforeAll(async () => {
  tp = await startTestPlatform('live-market');
  url = await tp.running.listen();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await tp?.close();
});

type Ok = Extract<SubscribeAck, { ok: true }>;

describe('/market', () => {
  it('answers a subscribe with the book at the sequence REST reports and where each stream stands', async () => {
    const { seller } = await traders(tp, 'FARMLAND-PADDY');
    await order(tp, seller.token, { symbol: 'FARMLAND-PADDY', side: 'sell', price: await referencePrice(tp, 'FARMLAND-PADDY'), quantity: '2.00' });
    const socket = await open('/market');
    const ack = await emitWithAck<SubscribeAck>(socket, 'subscribe', { symbol: 'FARMLAND-PADDY' });
    const rest = (await tp.api('GET', '/api/instruments/FARMLAND-PADDY/book')).json<{ sequence: number; asks: unknown[] }>();
    expect(ack.ok).toBe(true);
    const { book, streams } = ack as Ok;
    expect(book.sequence).toBe(rest.sequence);
    expect(book.asks).toEqual(rest.asks);
    expect(Object.keys(streams).sort()).toEqual([
      'book:FARMLAND-PADDY',
      'instrument:FARMLAND-PADDY',
      'listing:FARMLAND-PADDY',
      'session:FARMLAND-PADDY',
      'ticker:FARMLAND-PADDY',
      'trade:FARMLAND-PADDY',
    ]);
    expect(streams['book:FARMLAND-PADDY']!.sequence).toBe(rest.sequence);
    expect(streams['trade:FARMLAND-PADDY']).toMatchObject({ sequence: 0, epoch: expect.any(String) });
  });

  it('refuses a subscribe to an unknown symbol or a malformed one with a code', async () => {
    const socket = await open('/market');
    expect(await emitWithAck(socket, 'subscribe', { symbol: 'NO-SUCH' })).toMatchObject({ ok: false, code: 'UNKNOWN_SYMBOL' });
    expect(await emitWithAck(socket, 'subscribe', 'WETLAND')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await emitWithAck(socket, 'subscribe', { symbol: 'WETLAND', channels: ['orders'] })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    // Without an acknowledgement callback the refusal comes as an event.
    const inbox = inboxOf(socket);
    socket.emit('subscribe', { symbol: 'NO-SUCH' });
    expect((await inbox.wait('subscribe_error'))[0]).toMatchObject({ ok: false, code: 'UNKNOWN_SYMBOL' });
  });

  it('numbers trades 1, 2, 3 with commit times, chains book snapshots by the REST sequence and keeps a ticker', async () => {
    const symbol = 'WETLAND';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    const socket = await open('/market');
    const inbox = inboxOf(socket);
    const ack = (await emitWithAck<SubscribeAck>(socket, 'subscribe', { symbol })) as Ok;

    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '10.00' });
    const fills: string[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const reply = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '1.00' });
      fills.push(...reply.fills.map((f) => f.tradeId));
      expect(reply.fills).toHaveLength(1);
      const [message] = await inbox.wait<TradeMessage>('trade', 1, (m) => m.trades.some((t) => t.id === reply.fills[0]!.tradeId));
      expect(message!.trades.at(-1)!.committedAt).toBeGreaterThanOrEqual(before);
    }
    const trades = inbox.of<TradeMessage>('trade');
    const start = ack.streams[`trade:${symbol}`]!.sequence;
    expect(trades.map((t) => t.sequence)).toEqual(trades.map((_, i) => start + 1 + i));
    expect(new Set(trades.map((t) => t.epoch)).size).toBe(1);
    expect(trades.every((t) => t.stream === `trade:${symbol}` && t.symbol === symbol && t.trade.id === t.trades.at(-1)!.id)).toBe(true);
    expect(trades.flatMap((t) => t.trades.map((x) => x.id))).toEqual(fills);
    expect(trades[0]!.trades[0]).toMatchObject({ symbol, price, quantity: '1.00', aggressorSide: 'buy', committedAt: expect.any(Number) });

    // The last book message is the book REST serves now, at the same sequence.
    const rest = (await tp.api('GET', `/api/instruments/${symbol}/book`)).json<{ sequence: number; asks: unknown[]; bids: unknown[] }>();
    const books = await inbox.wait<BookMessage>('book', 1, (b) => b.sequence === rest.sequence);
    expect(books[0]).toMatchObject({ stream: `book:${symbol}`, asks: rest.asks, bids: rest.bids });
    const chain = inbox.of<BookMessage>('book');
    expect(chain[0]!.prevSequence === null || chain[0]!.prevSequence! <= ack.book.sequence).toBe(true);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevSequence).toBe(chain[i - 1]!.sequence);

    const [ticker] = await inbox.wait<TickerMessage>('ticker', 1, (t) => t.dayTrades === 3);
    expect(ticker).toMatchObject({ stream: `ticker:${symbol}`, symbol, lastPrice: price, changePct: '0.00', dayVolume: '3.00', bestAsk: price, bestBid: null });
    const listed = (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; dayVolume: string; dayValue: string; dayTrades: number }>>();
    expect(listed.find((i) => i.symbol === symbol)).toMatchObject({ dayVolume: ticker!.dayVolume, dayValue: ticker!.dayValue, dayTrades: 3 });
    const tickers = inbox.of<TickerMessage>('ticker');
    expect(tickers.map((t) => t.sequence)).toEqual(tickers.map((_, i) => ack.streams[`ticker:${symbol}`]!.sequence + 1 + i));
  });

  it('sends only the channels asked for', async () => {
    const symbol = 'FARMLAND-GRAIN';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    const tradesOnly = await open('/market');
    const everything = await open('/market');
    const a = inboxOf(tradesOnly);
    const b = inboxOf(everything);
    await emitWithAck(tradesOnly, 'subscribe', { symbol, channels: ['trade'] });
    await emitWithAck(everything, 'subscribe', { symbol });
    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '5' });
    await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '5' });
    await a.wait('trade');
    await b.wait('trade');
    await b.wait('book');
    await b.wait('ticker');
    // b saw the book after the trade: had a subscribed to books, it would have one by now too.
    expect(a.of('book')).toEqual([]);
    expect(a.of('ticker')).toEqual([]);
  });

  it('announces a halt and a resume on the instrument stream and to regulators', async () => {
    const symbol = 'LAND-LINKAGE';
    const socket = await open('/market');
    const inbox = inboxOf(socket);
    const ack = (await emitWithAck<SubscribeAck>(socket, 'subscribe', { symbol })) as Ok;
    const reg = inboxOf(await open('/regulator', tp.regulatorToken));
    await reg.wait('ready');

    const halt = await tp.api('POST', `/api/regulator/instruments/${symbol}/halt`, tp.regulatorToken, { reason: '异常波动核查' });
    expect(halt.statusCode).toBe(200);
    const resume = await tp.api('POST', `/api/regulator/instruments/${symbol}/resume`, tp.regulatorToken, { reason: '核查完毕' });
    expect(resume.statusCode).toBe(200);

    const changes = await inbox.wait<InstrumentMessage>('instrument', 2);
    const start = ack.streams[`instrument:${symbol}`]!.sequence;
    expect(changes.map((c) => [c.status, c.sequence])).toEqual([
      ['halted', start + 1],
      ['trading', start + 2],
    ]);
    expect(changes[0]).toMatchObject({ stream: `instrument:${symbol}`, haltReason: '异常波动核查' });
    const halts = await reg.wait<RegulatorMessages['halt']>('halt', 2);
    expect(halts.map((h) => [h.symbol, h.status, h.reason])).toEqual([
      [symbol, 'halted', '异常波动核查'],
      [symbol, 'trading', '核查完毕'],
    ]);
    await eventually(async () => (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; status: string }>>().find((i) => i.symbol === symbol)?.status === 'trading', 'resumed');
  });
});
