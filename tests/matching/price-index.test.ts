// The price → level index: dense inside its window, hashed outside, re-filed when the band moves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceIndex } from '../../matching/price-index.ts';

describe('PriceIndex', () => {
  it('behaves like a Map across the window edge and through recentering', () => {
    const price = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 60_000, max: 80_000 }));
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), p: price, v: fc.nat(1000) }),
      fc.record({ op: fc.constant('delete' as const), p: price }),
      fc.record({ op: fc.constant('get' as const), p: price }),
      fc.record({ op: fc.constant('recenter' as const), low: fc.integer({ min: 1, max: 70_000 }), width: fc.integer({ min: 0, max: 200_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const idx = new PriceIndex(900, 1100);
        const ref = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            if (ref.has(o.p)) continue; // set is only for prices without a level
            idx.set(o.p, o.v);
            ref.set(o.p, o.v);
          } else if (o.op === 'delete') {
            idx.delete(o.p);
            ref.delete(o.p);
          } else if (o.op === 'get') {
            expect(idx.get(o.p)).toBe(ref.get(o.p) ?? -1);
          } else {
            idx.recenter(o.low, o.low + o.width, ref.entries());
          }
          expect(idx.size).toBe(ref.size);
        }
        for (const [p, v] of ref) expect(idx.get(p)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});
