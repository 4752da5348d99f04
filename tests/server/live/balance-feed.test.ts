import { describe, expect, it } from 'vitest';
import { BalanceFeed } from '../../../server/market/balance-feed.ts';
import type { Account as AccountSnapshot } from '../../../contract/account.ts';

const snapshot = (id: string, available: string): AccountSnapshot => ({
  participant: { id, name: id, kind: 'enterprise', region: '南昌市', prefecture: '南昌市' },
  cash: { currency: 'CNY', available, locked: '0.00' },
  holdings: [],
});

/** A feed whose reads are answered by the test, one at a time. */
function harness() {
  const reads: Array<{ ids: string[]; answer: (s: Map<string, AccountSnapshot>) => void }> = [];
  const sent: Array<[string, string]> = [];
  let readArrived: () => void = () => {};
  const feed = new BalanceFeed({
    read: (ids) =>
      new Promise((resolve) => {
        reads.push({ ids, answer: resolve });
        readArrived();
      }),
    send: (id, balance) => sent.push([id, balance.cash.available]),
    onError: (err) => {
      throw err;
    },
    intervalMs: 0,
  });
  const nextRead = () => new Promise<void>((r) => (readArrived = r));
  return { feed, reads, sent, nextRead };
}

describe('live balance feed', () => {
  it('serves every participant a commit touched with one read', async () => {
    const { feed, reads, sent, nextRead } = harness();
    const arrived = nextRead();
    feed.mark('1');
    feed.mark('2');
    feed.mark('1');
    await arrived;
    expect(reads.map((r) => r.ids.sort())).toEqual([['1', '2']]);
    reads[0]!.answer(new Map([['1', snapshot('1', '10.00')], ['2', snapshot('2', '20.00')]]));
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([['1', '10.00'], ['2', '20.00']]);
    feed.close();
  });

  it('reads again after a change made while a read was in flight, so the last balance sent is current', async () => {
    const { feed, reads, sent, nextRead } = harness();
    let arrived = nextRead();
    feed.mark('1');
    await arrived;
    arrived = nextRead();
    feed.mark('1'); // a commit lands while the first read runs
    expect(reads).toHaveLength(1);
    reads[0]!.answer(new Map([['1', snapshot('1', '10.00')]]));
    await arrived;
    expect(reads).toHaveLength(2);
    reads[1]!.answer(new Map([['1', snapshot('1', '7.50')]]));
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([['1', '10.00'], ['1', '7.50']]);
    feed.close();
  });
});
