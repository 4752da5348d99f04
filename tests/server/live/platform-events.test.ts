import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, SessionEventView } from '../../../server/market/market-bus.ts';
import type { BlockView } from '../../../server/blocks/block-views.ts';
import type { ListingBidView } from '../../../server/listings/listing-views.ts';
import type { AccountMessages, ReadyMessage, RegulatorMessages, SessionMessage, SubscribeAck } from '../../../server/market/live-contract.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, emitWithAck, inboxOf, refusal } from './live-support.ts';

// The events other parts of the platform raise on the market bus reach the right sockets only:
// suspensions through the real route; the rest raised on the bus with their real view types.

let tp: TestPlatform;
let url: string;
const sockets: Socket[] = [];
const open = async (namespace: '/market' | '/account' | '/regulator', token?: string) => {
  const socket = await connect(url, namespace, token);
  sockets.push(socket);
  return inboxOf(socket);
};

beforeAll(async () => {
  tp = await startTestPlatform('live-events');
  url = await tp.running.listen();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await tp?.close();
});

describe('platform events on the live streams', () => {
  it('ends a suspended participant’s sessions on /account, says why, and refuses it until reinstated', async () => {
    const participant = await tp.participant('enterprise');
    const inbox = await open('/account', participant.token);
    await inbox.wait('ready');
    const regulator = await open('/regulator', tp.regulatorToken);
    await regulator.wait('ready');
    const closed = new Promise<string>((resolve) => inbox.socket.once('disconnect', resolve));

    const res = await tp.api('POST', `/api/onboarding/participants/${participant.id}/suspend`, tp.operatorToken, { reason: '涉嫌违规交易' });
    expect(res.statusCode).toBe(200);
    const [notice] = await inbox.wait<AccountMessages['suspended']>('suspended');
    expect(notice).toMatchObject({ stream: `account:${participant.id}`, code: 'PARTICIPANT_SUSPENDED', reason: '涉嫌违规交易' });
    expect(await closed).toBe('io server disconnect');
    const [status] = await regulator.wait<RegulatorMessages['participantStatus']>('participantStatus');
    expect(status).toMatchObject({ participantId: participant.id, status: 'suspended', reason: '涉嫌违规交易' });
    expect(await refusal(url, '/account', participant.token)).toMatchObject({ message: 'PARTICIPANT_SUSPENDED', data: { statusCode: 403 } });

    expect((await tp.api('POST', `/api/onboarding/participants/${participant.id}/reinstate`, tp.operatorToken, { reason: '核查完毕' })).statusCode).toBe(200);
    await regulator.wait<RegulatorMessages['participantStatus']>('participantStatus', 1, (s) => s.status === 'active');
    expect((await open('/account', participant.token)).socket.connected).toBe(true);
  });

  it('sends a block trade to its two parties, each with its role, and to regulators, and to nobody else', async () => {
    const [a, b, c] = [await tp.participant('enterprise'), await tp.participant('enterprise'), await tp.participant('enterprise')];
    const [ia, ib, ic] = [await open('/account', a.token), await open('/account', b.token), await open('/account', c.token)];
    const reg = await open('/regulator', tp.regulatorToken);
    await Promise.all([ia.wait('ready'), ib.wait('ready'), ic.wait('ready'), reg.wait('ready')]);
    const block = {
      id: '77',
      symbol: 'CARBON-2024',
      instrumentName: '林业碳汇',
      unit: '吨',
      initiatorSide: 'sell',
      initiator: { id: a.id, name: 'A' },
      counterparty: { id: b.id, name: 'B' },
      buyer: { id: b.id, name: 'B' },
      seller: { id: a.id, name: 'A' },
      price: '60.00',
      quantity: '1000',
      amount: '60000.00',
      buyerFee: '0.00',
      sellerFee: '0.00',
      referencePrice: '62.00',
      note: null,
      status: 'proposed',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      createdAt: new Date().toISOString(),
      decidedAt: null,
      reason: null,
      tradeId: null,
      myRole: null,
    } satisfies BlockView;
    tp.running.platform.bus.emit('blockTrade', 'proposed', block);
    expect((await ia.wait<AccountMessages['blockTrade']>('blockTrade'))[0]).toMatchObject({ change: 'proposed', block: { id: '77', myRole: 'initiator' } });
    expect((await ib.wait<AccountMessages['blockTrade']>('blockTrade'))[0]).toMatchObject({ block: { id: '77', myRole: 'counterparty' } });
    expect((await reg.wait<RegulatorMessages['blockTrade']>('blockTrade'))[0]).toMatchObject({ stream: 'regulator', block: { id: '77', myRole: null } });
    // c saw nothing but its ready: had it been sent anything, it would have come with a and b's.
    expect(ic.messages.map((m) => m.event)).toEqual(['ready']);
  });

  it('shows a listing bid to the seller and registered bidders in open mode, named to regulators; a sealed one only to its bidder', async () => {
    const [seller, bidder, other, outsider] = [await tp.participant('government'), await tp.participant('enterprise'), await tp.participant('enterprise'), await tp.participant('enterprise')];
    const inbox = { seller: await open('/account', seller.token), bidder: await open('/account', bidder.token), other: await open('/account', other.token), outsider: await open('/account', outsider.token) };
    const reg = await open('/regulator', tp.regulatorToken);
    await Promise.all([...Object.values(inbox).map((i) => i.wait('ready')), reg.wait('ready')]);
    const bid = (id: string): ListingBidView => ({ id, listingId: '5', bidderNo: 3, price: '380000.00', quantity: '2.00', at: new Date().toISOString(), mine: false, bidder: null });
    const audience = (sealed: boolean) => ({ listingId: '5', sealed, bidderId: bidder.id, bidderName: '竞买人三', sellerId: seller.id, registeredIds: [bidder.id, other.id] });

    tp.running.platform.bus.emit('listingBid', bid('b1'), audience(false));
    for (const who of ['seller', 'bidder', 'other'] as const) {
      const [m] = await inbox[who].wait<AccountMessages['listingBid']>('listingBid', 1, (x) => x.bid.id === 'b1');
      expect(m!.bid).toMatchObject({ bidderNo: 3, bidder: null, mine: who === 'bidder' });
    }
    const [named] = await reg.wait<RegulatorMessages['listingBid']>('listingBid', 1, (x) => x.bid.id === 'b1');
    expect(named!.bid.bidder).toEqual({ id: bidder.id, name: '竞买人三' });

    // Sealed: its bidder alone; regulators break the glass to look (issue 13).
    tp.running.platform.bus.emit('listingBid', bid('b2'), audience(true));
    await inbox.bidder.wait<AccountMessages['listingBid']>('listingBid', 1, (x) => x.bid.id === 'b2' && x.bid.mine);
    // Sent after b2 to everyone who saw b1: once it arrives, b2 would have too.
    tp.running.platform.bus.emit('listingBid', bid('b3'), audience(false));
    for (const who of ['seller', 'other'] as const) {
      await inbox[who].wait<AccountMessages['listingBid']>('listingBid', 1, (x) => x.bid.id === 'b3');
      expect(inbox[who].of<AccountMessages['listingBid']>('listingBid').map((x) => x.bid.id)).toEqual(['b1', 'b3']);
    }
    await reg.wait<RegulatorMessages['listingBid']>('listingBid', 1, (x) => x.bid.id === 'b3');
    expect(reg.of<RegulatorMessages['listingBid']>('listingBid').map((x) => x.bid.id)).toEqual(['b1', 'b3']);
    expect(inbox.outsider.messages.map((m) => m.event)).toEqual(['ready']);
  });

  it('forwards alerts to regulators and session changes to the symbol’s subscribers, once though every node hears them', async () => {
    const reg = await open('/regulator', tp.regulatorToken);
    const [ready] = await reg.wait<ReadyMessage>('ready');
    const alert: AlertView = {
      id: '9001',
      rule: 'abnormal_price',
      severity: 'warning',
      symbol: 'WETLAND',
      participantIds: ['1'],
      participants: [{ id: '1', name: '婺源县自然资源局' }],
      message: 'trade 17.5% above the reference price',
      details: { deviationPct: '17.50' },
      createdAt: new Date().toISOString(),
      status: 'open',
    };
    tp.running.platform.bus.emit('alert', alert);
    const [message] = await reg.wait<RegulatorMessages['alert']>('alert');
    expect(message).toMatchObject({ stream: 'regulator', sequence: ready!.streams.regulator!.sequence + 1, alert });

    const market = await open('/market');
    const ack = (await emitWithAck<SubscribeAck>(market.socket, 'subscribe', { symbol: 'WETLAND', channels: ['trade'] })) as Extract<SubscribeAck, { ok: true }>;
    const session: SessionEventView = { symbol: 'WETLAND', tradingDay: '2026-11-30', phase: 'open', at: '2026-11-30T01:30:00.000Z', openingPrice: '88000.00', closePrice: null, closeMethod: null, referencePrice: null };
    tp.running.platform.bus.emit('session', session);
    tp.running.platform.bus.emit('session', session); // a second node's scheduler
    tp.running.platform.bus.emit('session', { ...session, phase: 'break', at: '2026-11-30T03:30:00.000Z' });
    const changes = await market.wait<SessionMessage>('session', 2);
    const start = ack.streams['session:WETLAND']!.sequence;
    expect(changes.map((c) => [c.phase, c.sequence])).toEqual([
      ['open', start + 1],
      ['break', start + 2],
    ]);
  });
});
