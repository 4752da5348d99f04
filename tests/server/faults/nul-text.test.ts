import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Server bug (see /tmp/server-bugs-faults.md): a U+0000 in any free-text field reaches PostgreSQL,
// which refuses it (22021 invalid byte sequence for encoding "UTF8": 0x00). On a request-path
// query the answer is 500; inside an engine command (a retirement's reason, a halt reason) it
// fails the whole group-commit batch: every other participant's order in that batch is refused
// 503 ENGINE_UNAVAILABLE and the engine rebuilds every book. Text with U+0000 must be refused
// with a 400, alone.

let tp: TestPlatform;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };

beforeAll(async () => {
  tp = await startTestPlatform('nul-text', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
  await Promise.all([tp.lot(seller.id, 'CARBON-2024', '100'), tp.deposit(buyer.id, '100000.00')]);
});
afterAll(async () => {
  await tp?.close();
});

describe('text carrying U+0000', () => {
  it('is refused with a 4xx on every free-text query parameter, never a 500', async () => {
    const spec = (tp.running.app as unknown as { swagger(): { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: { type?: string; pattern?: string } }> }>> } }).swagger();
    const answers: string[] = [];
    for (const [path, ops] of Object.entries(spec.paths)) {
      const op = ops.get;
      if (!op || path.includes('{')) continue;
      for (const p of (op.parameters ?? []).filter((x) => x.in === 'query' && x.schema.type === 'string' && !x.schema.pattern)) {
        for (const token of [buyer.token, tp.regulatorToken, tp.operatorToken]) {
          const res = await tp.api('GET', `${path}?${p.name}=a%00b`, token);
          if (res.statusCode >= 500) answers.push(`GET ${path}?${p.name}=a%00b → ${res.statusCode}`);
        }
      }
    }
    expect(answers).toEqual([]);
  });

  it('is refused with a 4xx in request bodies, never a 500', async () => {
    const login = await tp.api('POST', '/api/auth/login', null, { username: 'operator\u0000', password: 'x' });
    const deposit = await tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: buyer.id, amount: '1.00', reference: 'REF\u0000-1' });
    expect([login.statusCode < 500, deposit.statusCode < 500]).toEqual([true, true]);
  });

  it('in one participant’s retirement does not refuse the other orders of its batch', async () => {
    const order = () => tp.api('POST', '/api/orders', buyer.token, { symbol: 'CARBON-2024', side: 'buy', type: 'limit', price: '61.00', quantity: '1', timeInForce: 'GTC' });
    const [first, retirement, second, third] = await Promise.all([
      order(),
      tp.api('POST', '/api/registry/retirements', seller.token, { symbol: 'CARBON-2024', quantity: '1', beneficiary: '受益人', reason: 'x\u0000y', requestId: 'nul-1' }),
      order(),
      order(),
    ]);
    expect(retirement.statusCode).toBe(400);
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([201, 201, 201]);
  });
});
