// The benchmark's op-stream format and generator: what the benchmark checks its results against
// must itself be right.
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../matching/index.ts';
import { BUY, OP_CANCEL, formatOps, generateOps, parseOps } from '../bench/matching-workload.ts';

describe('benchmark op streams', () => {
  it('format and parse round-trip', () => {
    const s = generateOps(2000, 7);
    const back = parseOps(formatOps(s, 7), 'mem');
    expect(back.expect).toEqual(s.expect);
    for (const k of ['type', 'id', 'price', 'qty'] as const) expect(Array.from(back[k])).toEqual(Array.from(s[k]));
    for (let i = 0; i < s.n; i++) if (s.type[i] !== OP_CANCEL) expect(back.side[i]).toBe(s.side[i]);
  });

  it('fails loudly on a bad header, a bad line or a truncated file', () => {
    expect(() => parseOps('L 1 B 100 5\n', 'f')).toThrow(/line 1 is not an ecorights-ops v1 header/);
    const h = '# ecorights-ops v1 n=2 seed=1 orders=1 trades=0 volume=0\n';
    expect(() => parseOps(h + 'L 1 X 100 5\nC 1\n', 'f')).toThrow(/line 2: side must be B or S/);
    expect(() => parseOps(h + 'L 1 B 100 5\n', 'f')).toThrow(/n=2 but the file has 1 ops/);
    expect(() => parseOps(h + 'L 1 B 100 5\nC 1\nC 1\n', 'f')).toThrow(/more ops than/);
    expect(() => parseOps(h + 'L 1 B 100 5x\nC 1\n', 'f')).toThrow(/trailing/);
  });

  it('the generator’s expected trades and volume are what the engine produces', () => {
    const s = generateOps(50_000, 42);
    const book = new OrderBook({ symbol: 'B', referencePriceTicks: 100_000, priceBandBps: 1000, minQtyLots: 1 });
    let trades = 0;
    let volume = 0;
    for (let i = 0; i < s.n; i++) {
      const r =
        s.type[i] === OP_CANCEL
          ? book.apply({ type: 'cancel', orderId: s.id[i]!, timestamp: i })
          : book.apply({
              type: 'place',
              orderId: s.id[i]!,
              ownerId: s.id[i]!,
              side: s.side[i] === BUY ? 'buy' : 'sell',
              kind: 'limit',
              priceTicks: s.price[i]!,
              qtyLots: s.qty[i]!,
              tif: 'GTC',
              timestamp: i,
            });
      expect(r.code).toBe('OK');
      for (const e of r.events) {
        if (e.type === 'fill') {
          trades++;
          volume += e.qtyLots;
        }
      }
    }
    expect({ trades, volume }).toEqual({ trades: s.expect.trades, volume: s.expect.volume });
    expect(trades).toBeGreaterThan(10_000);
    expect(book.verify()).toBeUndefined();
  });
});
