// The open-addressing id/price index against a JS Map, with keys chosen to collide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap } from '../../matching/int-map.ts';

type Op = { op: 'set'; k: number; v: number } | { op: 'delete'; k: number } | { op: 'get'; k: number };

// Keys from a few families: small, strided by powers of two (same low bits), consecutive, huge.
const key = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 40 }).map((i) => i * 1024),
  fc.integer({ min: 0, max: 40 }).map((i) => i * 4 + 3),
  fc.integer({ min: -5, max: 5 }).map((i) => Number.MAX_SAFE_INTEGER - 100 + i),
  fc.integer({ min: -40, max: -1 }),
  fc.integer({ min: 0, max: 40 }).map((i) => i * 2 ** 32),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), k: key, v: fc.integer({ min: 0, max: 1 << 30 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), k: key }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), k: key }) },
);

describe('IntMap', () => {
  it('behaves like a Map under any mix of set, delete and get (collisions, growth, backward shifts)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400, size: 'max' }), fc.constantFrom(1, 4, 64), (ops, cap) => {
        const m = new IntMap(cap);
        const ref = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            m.set(o.k, o.v);
            ref.set(o.k, o.v);
          } else if (o.op === 'delete') {
            m.delete(o.k);
            ref.delete(o.k);
          } else if (m.get(o.k) !== (ref.get(o.k) ?? -1)) {
            throw new Error(`get(${o.k}) = ${m.get(o.k)}, Map has ${ref.get(o.k)}`);
          }
          if (m.size !== ref.size) throw new Error(`size ${m.size}, Map has ${ref.size}`);
        }
        for (const [k, v] of ref) expect(m.get(k)).toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every entry through heavy churn of consecutive ids (the order-id pattern)', () => {
    const m = new IntMap(16);
    const live: number[] = [];
    for (let id = 0; id < 50_000; id++) {
      m.set(id, id & 0xffff);
      live.push(id);
      if (id % 3 !== 0) m.delete(live.splice((id * 7919) % live.length, 1)[0]!);
    }
    expect(m.size).toBe(live.length);
    for (const id of live) expect(m.get(id)).toBe(id & 0xffff);
    expect(m.get(50_001)).toBe(-1);
  });
});
