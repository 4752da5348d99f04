// The order-id index against a JS Map, with the record array it reads ids from, under ids chosen
// to collide (same low bits), to be huge or negative, and to churn like an exchange's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderIdIndex } from '../../matching/order-id-index.ts';

/** Records as the book keeps them: the id in word 0 of each record; freed records keep theirs. */
class Records {
  ids = new Float64Array(8 * 64);
  private used = 0;
  private readonly free: number[] = [];

  alloc(id: number): number {
    let o = this.free.pop();
    if (o === undefined) {
      if ((this.used + 1) * 8 > this.ids.length) {
        const bigger = new Float64Array(this.ids.length * 2);
        bigger.set(this.ids);
        this.ids = bigger;
      }
      o = this.used++ * 8;
    }
    this.ids[o] = id;
    return o;
  }

  release(o: number): void {
    this.free.push(o);
  }
}

const id = fc.oneof(
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 0, max: 40 }).map((i) => i * 8192),
  fc.integer({ min: 0, max: 40 }).map((i) => i * 2 ** 32 + 5),
  fc.integer({ min: -5, max: 5 }).map((i) => Number.MAX_SAFE_INTEGER - 10 + i),
  fc.integer({ min: -40, max: -1 }),
);
type Op = { op: 'add'; id: number } | { op: 'delete'; id: number } | { op: 'get'; id: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('add' as const), id }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), id }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), id }) },
);

describe('OrderIdIndex', () => {
  it('behaves like a Map under any mix of add, delete and get (collisions, growth, reused records)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600, size: 'max' }), fc.constantFrom(1, 16, 200), (ops, cap) => {
        const index = new OrderIdIndex(cap);
        const recs = new Records();
        const ref = new Map<number, number>();
        for (const o of ops) {
          const held = ref.get(o.id);
          if (o.op === 'add') {
            if (held !== undefined) continue; // the book refuses a duplicate before adding
            const r = recs.alloc(o.id);
            index.add(o.id, r, recs.ids);
            ref.set(o.id, r);
          } else if (o.op === 'delete') {
            if (held === undefined) continue; // the book only removes what it holds
            index.delete(o.id, held);
            recs.release(held);
            ref.delete(o.id);
          } else if (index.get(o.id, recs.ids) !== (held ?? -1)) {
            throw new Error(`get(${o.id}) = ${index.get(o.id, recs.ids)}, Map has ${held}`);
          }
          if (index.size !== ref.size) throw new Error(`size ${index.size}, Map has ${ref.size}`);
        }
        for (const [k, r] of ref) expect(index.get(k, recs.ids)).toBe(r);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every order through churn where old orders outlive a table of ids', () => {
    const index = new OrderIdIndex(16);
    const recs = new Records();
    const live = new Map<number, number>();
    const order: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const r = recs.alloc(i);
      index.add(i, r, recs.ids);
      live.set(i, r);
      order.push(i);
      // Cancel mostly recent orders, so a few old ones live on while ids wrap the table.
      if (i % 4 !== 0 && order.length > 1) {
        const k = order.length - 1 - ((i * 7919) % Math.min(order.length, 500));
        const gone = order.splice(k, 1)[0]!;
        index.delete(gone, live.get(gone)!);
        recs.release(live.get(gone)!);
        live.delete(gone);
      }
    }
    expect(index.size).toBe(live.size);
    for (const [k, r] of live) expect(index.get(k, recs.ids)).toBe(r);
    expect(index.get(200_001, recs.ids)).toBe(-1);
  });
});
