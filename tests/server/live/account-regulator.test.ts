import type { Socket } from 'socket.io-client';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenSecret } from '../../../server/auth/tokens.ts';
import type { AccountMessages, ReadyMessage, RegulatorMessages } from '../../../server/market/live-contract.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, emitWithAck, inboxOf, type Inbox, order, referencePrice, refusal, traders } from './live-support.ts';

let tp: TestPlatform;
let url: string;
const sockets: Socket[] = [];
const open = async (namespace: '/market' | '/account' | '/regulator', token?: string) => {
  const socket = await connect(url, namespace, token);
  sockets.push(socket);
  return socket;
};

beforeAll(async () => {
  tp = await startTestPlatform('live-account');
  url = await tp.running.listen();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await tp?.close();
});

/** Sequences of one stream's messages, whatever their event, in arrival order. */
const sequences = (inbox: Inbox) => inbox.messages.filter((m) => typeof m.payload.sequence === 'number').map((m) => m.payload.sequence as number);
const contiguousFrom = (start: number, list: number[]) => list.map((_, i) => start + 1 + i);

describe('who may connect', () => {
  it('refuses /account and /regulator without a valid token of the right role, with the HTTP codes', async () => {
    const participant = await tp.participant('enterprise');
    expect(await refusal(url, '/account')).toEqual({ message: 'TOKEN_MISSING', data: { statusCode: 401, code: 'TOKEN_MISSING', message: expect.any(String) } });
    expect(await refusal(url, '/regulator', 'not-a-token')).toMatchObject({ message: 'TOKEN_INVALID', data: { statusCode: 401, code: 'TOKEN_INVALID' } });
    expect(await refusal(url, '/regulator', participant.token)).toMatchObject({ message: 'FORBIDDEN_ROLE', data: { statusCode: 403, code: 'FORBIDDEN_ROLE' } });
    expect(await refusal(url, '/account', tp.regulatorToken)).toMatchObject({ message: 'FORBIDDEN_ROLE', data: { statusCode: 403 } });
    expect(await refusal(url, '/account', tp.operatorToken)).toMatchObject({ message: 'FORBIDDEN_ROLE', data: { statusCode: 403 } });
    expect(await refusal(url, '/regulator', tp.operatorToken)).toMatchObject({ message: 'FORBIDDEN_ROLE' });

    // A token signed with the platform's secret an hour ago, valid for a minute.
    const secret = await loadTokenSecret(tp.running.platform.knex);
    const sign = createSigner({ key: secret, algorithm: 'HS256', iss: 'ecorights', expiresIn: 60_000, clockTimestamp: Date.now() - 3_600_000 });
    const expired = sign({ sub: '1', username: 'regulator', role: 'regulator', participantId: null, participantKind: null });
    expect(await refusal(url, '/regulator', expired)).toMatchObject({ message: 'TOKEN_EXPIRED', data: { statusCode: 401, code: 'TOKEN_EXPIRED' } });
  });

  it('ends a socket when its session is signed out, saying why', async () => {
    const token = await tp.login('regulator');
    const socket = await open('/regulator', token);
    const inbox = inboxOf(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await tp.api('POST', '/api/auth/logout', token, {})).statusCode).toBe(204);
    const [notice] = await inbox.wait('session_ended', 1, () => true, 10_000);
    expect(notice).toEqual({ statusCode: 401, code: 'SESSION_ENDED', message: expect.any(String) });
    expect(await closed).toBe('io server disconnect');
  });
});

describe('/account', () => {
  it('streams a participant its own orders, fills, balances and settlements, numbered without gaps, and nobody else’s', async () => {
    const symbol = 'FARMLAND-QTY';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    const bystander = await tp.participant('enterprise');
    const sellerInbox = inboxOf(await open('/account', seller.token));
    const buyerInbox = inboxOf(await open('/account', buyer.token));
    const bystanderInbox = inboxOf(await open('/account', bystander.token));
    const [ready] = await buyerInbox.wait<ReadyMessage>('ready');
    await sellerInbox.wait('ready');
    expect(Object.keys(ready!.streams)).toEqual([`account:${buyer.id}`]);

    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '4.00' });
    const buy = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '3.00' });
    const tradeId = buy.fills[0]!.tradeId;

    const [fill] = await buyerInbox.wait<AccountMessages['fill']>('fill');
    expect(fill).toMatchObject({ stream: `account:${buyer.id}`, fill: { id: tradeId, side: 'buy', price, quantity: '3.00', committedAt: expect.any(Number) } });
    expect((await sellerInbox.wait<AccountMessages['fill']>('fill'))[0]!.fill).toMatchObject({ id: tradeId, side: 'sell' });
    const orders = await buyerInbox.wait<AccountMessages['order']>('order');
    expect(orders[0]!.order).toMatchObject({ id: buy.order.id, status: 'filled', filledQuantity: '3.00' });

    const [settlement] = await buyerInbox.wait<AccountMessages['settlement']>('settlement', 1, (s) => s.settlement.status === 'settled');
    expect(settlement!.settlement).toMatchObject({ tradeId, symbol, status: 'settled', certificateNo: expect.any(String) });
    await sellerInbox.wait('settlement', 1);
    // After settlement the balance pushed equals what GET /api/account says.
    const rest = (await tp.api('GET', '/api/account', buyer.token)).json<{ cash: unknown; holdings: unknown }>();
    const balances = await buyerInbox.wait<AccountMessages['balance']>('balance', 1, (b) => JSON.stringify(b.balance.cash) === JSON.stringify(rest.cash));
    expect(balances.at(-1)!.balance.holdings).toEqual(rest.holdings);

    for (const inbox of [buyerInbox, sellerInbox]) {
      const seen = sequences(inbox);
      const start = inbox.of<ReadyMessage>('ready')[0]!.streams[Object.keys(inbox.of<ReadyMessage>('ready')[0]!.streams)[0]!]!.sequence;
      expect(seen).toEqual(contiguousFrom(start, seen));
      expect(new Set(inbox.messages.filter((m) => m.payload.stream).map((m) => m.payload.stream)).size).toBe(1);
    }
    expect(bystanderInbox.messages.map((m) => m.event)).toEqual(['ready']);
  });

  it('answers a subscribe with the stream position', async () => {
    const participant = await tp.participant('enterprise');
    const socket = await open('/account', participant.token);
    expect(await emitWithAck(socket, 'subscribe', {})).toMatchObject({ ok: true, streams: { [`account:${participant.id}`]: { sequence: expect.any(Number), epoch: expect.any(String) } } });
  });
});

describe('/regulator', () => {
  it('sees every order, trade and settlement on one gapless stream, with both parties', async () => {
    const symbol = 'CARBON-2024';
    const price = await referencePrice(tp, symbol);
    const inbox = inboxOf(await open('/regulator', tp.regulatorToken));
    const [ready] = await inbox.wait<ReadyMessage>('ready');
    const { seller, buyer } = await traders(tp, symbol);
    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '10' });
    const buy = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '10' });
    const tradeId = buy.fills[0]!.tradeId;

    const [trade] = await inbox.wait<RegulatorMessages['trade']>('trade');
    expect(trade!.trade).toMatchObject({ id: tradeId, buyerId: buyer.id, sellerId: seller.id, committedAt: expect.any(Number) });
    const orders = await inbox.wait<RegulatorMessages['order']>('order', 2, (o) => o.order.symbol === symbol && o.order.status === 'filled');
    expect(orders.map((o) => o.order.participantId).sort()).toEqual([seller.id, buyer.id].sort());
    await inbox.wait<RegulatorMessages['settlement']>('settlement', 1, (s) => s.settlement.tradeId === tradeId && s.settlement.status === 'settled');

    const seen = sequences(inbox);
    expect(seen).toEqual(contiguousFrom(ready!.streams.regulator!.sequence, seen));
    expect(new Set(inbox.messages.filter((m) => m.payload.stream).map((m) => m.payload.stream))).toEqual(new Set(['regulator']));
    // A settlement is heard once per node from the queue events, but sent once.
    expect(inbox.of<RegulatorMessages['settlement']>('settlement').filter((s) => s.settlement.tradeId === tradeId && s.settlement.status === 'settled')).toHaveLength(1);
  });
});
