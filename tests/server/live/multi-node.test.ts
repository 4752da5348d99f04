import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';
import type { AccountMessages, BookMessage, ReadyMessage, RegulatorMessages, SubscribeAck, TradeMessage } from '../../../server/market/live-contract.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, emitWithAck, inboxOf, order, referencePrice, traders } from './live-support.ts';
import type { NodeProcessMessage } from './node-process.ts';

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

describe('a node in a process of its own', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.send({ type: 'stop' });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill();
  });

  it('receives, through Redis, the trades, fills and regulator messages of trades committed on node A', async () => {
    child = fork(fileURLToPath(new URL('./node-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, DATABASE_URL: tp.config.DATABASE_URL, REDIS_URL: tp.config.REDIS_URL, REDIS_PREFIX: tp.config.REDIS_PREFIX },
    });
    const started = await new Promise<NodeProcessMessage>((resolve, reject) => {
      child!.once('message', (m: NodeProcessMessage) => resolve(m));
      child!.once('exit', (code) => reject(new Error(`node process exited with ${code}`)));
    });
    if (started.type !== 'listening') throw new Error(started.message);
    const urlC = started.url;

    const symbol = 'WETLAND';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    const market = await open(urlC, '/market');
    const ack = (await emitWithAck<SubscribeAck>(market.socket, 'subscribe', { symbol, channels: ['trade'] })) as Extract<SubscribeAck, { ok: true }>;
    const account = await open(urlC, '/account', buyer.token);
    const regulator = await open(urlC, '/regulator', tp.regulatorToken);
    await Promise.all([account.wait('ready'), regulator.wait('ready')]);

    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '3.00' });
    const buy = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '3.00' });
    const tradeId = buy.fills[0]!.tradeId;

    const [trade] = await market.wait<TradeMessage>('trade');
    expect(trade).toMatchObject({ stream: `trade:${symbol}`, sequence: ack.streams[`trade:${symbol}`]!.sequence + 1, trade: { id: tradeId } });
    expect((await account.wait<AccountMessages['fill']>('fill'))[0]!.fill).toMatchObject({ id: tradeId, side: 'buy' });
    expect((await regulator.wait<RegulatorMessages['trade']>('trade'))[0]!.trade).toMatchObject({ id: tradeId, buyerId: buyer.id, sellerId: seller.id });
    await account.wait<AccountMessages['settlement']>('settlement', 1, (s) => s.settlement.tradeId === tradeId && s.settlement.status === 'settled');
  });
});
