import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamSequencer } from '../../../server/market/stream-sequencer.ts';
import { eventually } from '../support/test-platform.ts';

// Two nodes share the numbered streams through Redis: what one publishes, both deliver, in
// number order, each message once, whatever the bodies hold.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test_seq_${randomUUID().slice(0, 8)}`;
const connections: Redis[] = [];
const connect = () => {
  const c = new Redis(REDIS_URL);
  connections.push(c);
  return c;
};

afterAll(async () => {
  const cleanup = connect();
  const keys = await cleanup.keys(`${prefix}:*`);
  if (keys.length > 0) await cleanup.del(...keys);
  for (const c of connections) c.disconnect();
});

function node(name: string) {
  const delivered: Array<{ room: string | null; event: string; payload: Record<string, unknown> }> = [];
  const errors: unknown[] = [];
  const sequencer = new StreamSequencer(
    connect(),
    connect(),
    prefix,
    (_namespace, room, event, payload) => delivered.push({ room, event, payload }),
    () => true,
    (err) => errors.push(err),
  );
  return { name, sequencer, delivered, errors };
}

describe('numbered live streams across nodes', () => {
  it('delivers every message of a flush on every node, numbered per stream in order, bodies intact', async () => {
    const a = node('a');
    const b = node('b');
    await Promise.all([a.sequencer.start(), b.sequencer.start()]);
    const awkward = `南昌\u001e市 "quoted" \n line`;
    for (let i = 1; i <= 5; i++) a.sequencer.publish({ namespace: '/account', room: 'p:7', event: 'order', stream: 'account:7', body: { i, note: awkward } });
    a.sequencer.publish({ namespace: '/regulator', room: null, event: 'trade', stream: 'regulator', body: { i: 1 } });
    // The same settlement heard by both nodes is sent once.
    a.sequencer.publish({ namespace: '/regulator', room: null, event: 'settlement', stream: 'regulator', body: { i: 2 }, once: 'settlement:9:settled' });
    b.sequencer.publish({ namespace: '/regulator', room: null, event: 'settlement', stream: 'regulator', body: { i: 2 }, once: 'settlement:9:settled' });

    // Both flushes done; a marker published after them arrives after anything they published.
    await Promise.all([a.sequencer.close(), b.sequencer.close()]);
    const c = node('c');
    c.sequencer.publish({ namespace: '/regulator', room: null, event: 'marker', stream: 'marker', body: {} });
    await c.sequencer.close();
    for (const n of [a, b]) {
      await eventually(async () => n.delivered.some((d) => d.event === 'marker') || undefined, `node ${n.name} delivers the marker`);
      const account = n.delivered.filter((d) => d.room === 'p:7');
      expect(account.map((d) => [d.payload.sequence, d.payload.i, d.payload.note])).toEqual([1, 2, 3, 4, 5].map((i) => [i, i, awkward]));
      const regulator = n.delivered.filter((d) => d.room === null && d.event !== 'marker');
      expect(regulator.map((d) => [d.event, d.payload.sequence])).toEqual([
        ['trade', 1],
        ['settlement', 2],
      ]);
      expect(n.errors).toEqual([]);
    }
  });
});
