import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';
import type { AccountMessages, BookMessage, ReadyMessage, RegulatorMessages, SubscribeAck, TradeMessage } from '../../../server/market/live-contract.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, emitWithAck, inboxOf, order, referencePrice, traders } from './live-support.ts';

// Two platform nodes on one database and one Redis prefix, as two processes behind a load
// balancer would be: they share nothing in memory, only PostgreSQL and Redis. Orders go to node
// A (the engine owner in this test); subscribers sit on node B, and on A for comparison.

let tp: TestPlatform;
let nodeB: RunningPlatform;
let urlA: string;
let urlB: string;
const sockets: Socket[] = [];
const open = async (url: string, namespace: '/market' | '/account' | '/regulator', token?: string) => {
  const socket = await connect(url, namespace, token);
  sockets.push(socket);
  return inboxOf(socket);
};

beforeAll(async () => {
  tp = await startTestPlatform('live-nodes');
  urlA = await tp.running.listen();
  nodeB = await startPlatform(tp.config, { logger: false });
  urlB = await nodeB.listen();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await nodeB?.close();
  await tp?.close();
});

describe('two nodes', () => {
  it('deliver a trade committed on node A to subscribers of node B, numbered on the same streams', async () => {
    expect(urlA).not.toBe(urlB);
    const symbol = 'FARMLAND-QTY';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);

    const marketB = await open(urlB, '/market');
    const marketA = await open(urlA, '/market');
    const ackB = (await emitWithAck<SubscribeAck>(marketB.socket, 'subscribe', { symbol })) as Extract<SubscribeAck, { ok: true }>;
    await emitWithAck(marketA.socket, 'subscribe', { symbol });
    const buyerB = await open(urlB, '/account', buyer.token);
    const sellerB = await open(urlB, '/account', seller.token);
    const regulatorB = await open(urlB, '/regulator', tp.regulatorToken);
    const regulatorA = await open(urlA, '/regulator', tp.regulatorToken);
    const [buyerReady] = await buyerB.wait<ReadyMessage>('ready');
    const [regulatorReady] = await regulatorB.wait<ReadyMessage>('ready');
    await Promise.all([sellerB.wait('ready'), regulatorA.wait('ready')]);

    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '5.00' });
    const buy = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '2.00' });
    const tradeId = buy.fills[0]!.tradeId;

    // Market: the trade, numbered right after where B's acknowledgement said the stream stood.
    const [tradeB] = await marketB.wait<TradeMessage>('trade');
    const [tradeA] = await marketA.wait<TradeMessage>('trade');
    expect(tradeB).toEqual(tradeA);
    expect(tradeB).toMatchObject({ stream: `trade:${symbol}`, sequence: ackB.streams[`trade:${symbol}`]!.sequence + 1, trade: { id: tradeId } });
    // The book as node A (the engine owner) serves it, at A's sequence.
    const restA = (await tp.api('GET', `/api/instruments/${symbol}/book`)).json<{ sequence: number; asks: unknown[] }>();
    const [bookB] = await marketB.wait<BookMessage>('book', 1, (b) => b.sequence === restA.sequence);
    expect(bookB!.asks).toEqual(restA.asks);

    // Account: the fill reaches the buyer's socket on B, on the buyer's one stream.
    const [fill] = await buyerB.wait<AccountMessages['fill']>('fill');
    expect(fill).toMatchObject({ stream: `account:${buyer.id}`, fill: { id: tradeId, side: 'buy' } });
    expect((await sellerB.wait<AccountMessages['fill']>('fill'))[0]!.fill).toMatchObject({ id: tradeId, side: 'sell' });

    // Regulator: the same message, same number, on both nodes.
    const [regTradeB] = await regulatorB.wait<RegulatorMessages['trade']>('trade');
    const [regTradeA] = await regulatorA.wait<RegulatorMessages['trade']>('trade');
    expect(regTradeB).toEqual(regTradeA);
    expect(regTradeB!.trade).toMatchObject({ id: tradeId, buyerId: buyer.id, sellerId: seller.id });

    // Both nodes hear the settlement from the queue events; each stream carries it once.
    await regulatorB.wait<RegulatorMessages['settlement']>('settlement', 1, (s) => s.settlement.tradeId === tradeId && s.settlement.status === 'settled');
    await buyerB.wait<AccountMessages['settlement']>('settlement', 1, (s) => s.settlement.status === 'settled');
    const rest = (await tp.api('GET', '/api/account', buyer.token)).json<{ cash: unknown }>();
    await buyerB.wait<AccountMessages['balance']>('balance', 1, (b) => JSON.stringify(b.balance.cash) === JSON.stringify(rest.cash));

    for (const [inbox, ready] of [
      [buyerB, buyerReady!],
      [regulatorB, regulatorReady!],
    ] as const) {
      const settlements = inbox.of<{ settlement: { tradeId: string; status: string } }>('settlement').filter((s) => s.settlement.tradeId === tradeId && s.settlement.status === 'settled');
      expect(settlements).toHaveLength(1);
      const seen = inbox.messages.filter((m) => typeof m.payload.sequence === 'number').map((m) => m.payload.sequence as number);
      const start = Object.values(ready.streams)[0]!.sequence;
      expect(seen).toEqual(seen.map((_, i) => start + 1 + i));
    }
    expect(regulatorA.of('settlement').filter((s) => (s as { settlement: { tradeId: string } }).settlement.tradeId === tradeId)).toEqual(
      regulatorB.of('settlement').filter((s) => (s as { settlement: { tradeId: string } }).settlement.tradeId === tradeId),
    );
  });
});
