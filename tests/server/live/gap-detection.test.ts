import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequencedOf, StreamSequenceTracker, type Verdict } from '../../../client/src/shared/socket/stream-sequence.ts';
import type { SubscribeAck, TradeMessage } from '../../../server/market/live-contract.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, emitWithAck, order, referencePrice, traders } from './live-support.ts';

describe('the sequence tracker', () => {
  const counted = (n: number, epoch = 'e1') => Array.from({ length: n }, (_, i) => ({ sequence: i + 1, epoch }));

  it('notices every lost message that is followed by a delivered one, and raises nothing otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), fc.integer({ min: 0, max: 5 }), (n, keep, start) => {
        const missed: string[] = [];
        const tracker = new StreamSequenceTracker((stream) => missed.push(stream));
        tracker.baseline('s', { sequence: start, epoch: 'e1' });
        const messages = counted(n).map((m) => ({ ...m, sequence: m.sequence + start }));
        const delivered = messages.filter((_, i) => keep[i]);
        const verdicts = delivered.map((m) => tracker.observe('s', m).kind);
        // A message is lost "before" a delivered one if some earlier sequence was not delivered.
        const lastDelivered = delivered.at(-1)?.sequence ?? start;
        const lostBeforeLast = messages.some((m, i) => !keep[i] && m.sequence < lastDelivered);
        expect(missed.length > 0).toBe(lostBeforeLast);
        // Exactly one report per run of lost messages.
        let runs = 0;
        for (let i = 0; i < messages.length; i++) if (!keep[i] && (i === 0 || keep[i - 1]) && messages[i]!.sequence < lastDelivered) runs++;
        expect(verdicts.filter((v) => v === 'gap')).toHaveLength(runs);
      }),
    );
  });

  it('drops duplicates and anything at or below the snapshot, without reporting a gap', () => {
    const tracker = new StreamSequenceTracker();
    tracker.baseline('s', { sequence: 5, epoch: 'e1' });
    const seen = [4, 5, 6, 6, 7, 5, 8].map((sequence) => tracker.observe('s', { sequence, epoch: 'e1' }).kind);
    expect(seen).toEqual(['stale', 'stale', 'next', 'stale', 'next', 'stale', 'next']);
  });

  it('treats a new epoch as a restart to reload from, even when the numbers look old', () => {
    const missed: Verdict[] = [];
    const tracker = new StreamSequenceTracker((_, v) => missed.push(v));
    for (const m of counted(3)) tracker.observe('s', m);
    expect(tracker.observe('s', { sequence: 1, epoch: 'e2' })).toEqual({ kind: 'reset' });
    expect(tracker.observe('s', { sequence: 2, epoch: 'e2' })).toEqual({ kind: 'next' });
    expect(missed).toEqual([{ kind: 'reset' }]);
  });

  it('follows a chained stream by prevSequence: jumps in the book sequence are fine, a missing link is not', () => {
    const tracker = new StreamSequenceTracker();
    tracker.baseline('book', { sequence: 10 });
    expect(tracker.observe('book', { sequence: 14, prevSequence: 10, epoch: 'n1' }).kind).toBe('next');
    expect(tracker.observe('book', { sequence: 15, prevSequence: 14, epoch: 'n1' }).kind).toBe('next');
    expect(tracker.observe('book', { sequence: 19, prevSequence: 17, epoch: 'n1' })).toEqual({ kind: 'gap', expected: 16, received: 19 });
    expect(tracker.observe('book', { sequence: 12, prevSequence: 11, epoch: 'n1' }).kind).toBe('stale');
    // The engine rebuilt its book and numbers from 0 again: a new chain.
    expect(tracker.observe('book', { sequence: 2, prevSequence: null, epoch: 'n1' }).kind).toBe('reset');
    expect(tracker.observe('book', { sequence: 3, prevSequence: 2, epoch: 'n1' }).kind).toBe('next');
  });

  it('reads positions from payloads, including digit strings', () => {
    expect(sequencedOf({ sequence: '12', epoch: 'x' })).toEqual({ sequence: 12, epoch: 'x' });
    expect(sequencedOf({ sequence: 3, prevSequence: null })).toEqual({ sequence: 3, prevSequence: null });
    expect(sequencedOf({ sequence: 'x' })).toBeNull();
    expect(sequencedOf(null)).toBeNull();
  });
});

describe('a client of the real platform that loses a message', () => {
  let tp: TestPlatform;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    tp = await startTestPlatform('live-gaps');
    url = await tp.running.listen();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await tp?.close();
  });

  /**
   * A trade tape as a screen keeps it: REST snapshot, then live messages through the tracker; a
   * gap reloads the snapshot. `lose` says which messages to drop on purpose, by arrival count.
   */
  async function tape(symbol: string, lose: (n: number) => boolean) {
    const socket = await connect(url, '/market');
    sockets.push(socket);
    const state = { ids: [] as string[], reloads: 0, received: 0, dropped: [] as TradeMessage[], verdicts: [] as string[] };
    let reloading: Promise<void> = Promise.resolve();
    const reload = () => {
      state.reloads += 1;
      reloading = tp.api('GET', `/api/instruments/${symbol}/trades?limit=500`).then((res) => {
        state.ids = res.json<Array<{ id: string }>>().map((t) => t.id).reverse();
      });
    };
    const tracker = new StreamSequenceTracker(() => reload());
    socket.on('trade', (message: TradeMessage) => {
      state.received += 1;
      if (lose(state.received)) {
        state.dropped.push(message);
        return;
      }
      const verdict = tracker.observe(message.stream, sequencedOf(message)!);
      state.verdicts.push(verdict.kind);
      if (verdict.kind === 'stale') return;
      for (const t of message.trades) if (!state.ids.includes(t.id)) state.ids.push(t.id);
    });
    const ack = (await emitWithAck<SubscribeAck>(socket, 'subscribe', { symbol, channels: ['trade'] })) as Extract<SubscribeAck, { ok: true }>;
    for (const [stream, position] of Object.entries(ack.streams)) tracker.baseline(stream, position);
    reload();
    await reloading;
    state.reloads = 0;
    return { state, settled: () => reloading };
  }

  it('notices the loss at the next message and reloads the REST snapshot, which has the lost trade', async () => {
    const symbol = 'WETLAND';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '10.00' });
    const { state, settled } = await tape(symbol, (n) => n === 2);

    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '1.00' });
      ids.push(reply.fills[0]!.tradeId);
      // Each trade's message has arrived (or was dropped) before the next order goes in.
      await eventually(async () => state.received === i + 1, `trade message ${i + 1}`);
    }
    await settled();
    expect(state.dropped.map((m) => m.trades[0]!.id)).toEqual([ids[1]]);
    expect(state.verdicts).toEqual(['next', 'gap', 'next']);
    expect(state.reloads).toBe(1);
    expect(state.ids).toEqual(ids);
  });

  it('notices the loss of the very first message after subscribing, thanks to the acknowledged position', async () => {
    const symbol = 'CARBON-2023';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '10' });
    const { state, settled } = await tape(symbol, (n) => n === 1);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push((await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '1' })).fills[0]!.tradeId);
      await eventually(async () => state.received === i + 1, `trade message ${i + 1}`);
    }
    await settled();
    expect(state.verdicts).toEqual(['gap']);
    expect(state.reloads).toBe(1);
    expect(state.ids).toEqual(ids);
  });

  it('raises nothing when nothing is lost', async () => {
    const symbol = 'FARMLAND-GRAIN';
    const price = await referencePrice(tp, symbol);
    const { seller, buyer } = await traders(tp, symbol);
    await order(tp, seller.token, { symbol, side: 'sell', price, quantity: '10' });
    const { state } = await tape(symbol, () => false);
    for (let i = 0; i < 3; i++) {
      await order(tp, buyer.token, { symbol, side: 'buy', price, quantity: '1' });
      await eventually(async () => state.received === i + 1, `trade message ${i + 1}`);
    }
    expect(state.verdicts).toEqual(['next', 'next', 'next']);
    expect(state.reloads).toBe(0);
  });
});
