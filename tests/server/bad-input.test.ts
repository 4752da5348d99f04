import type { LightMyRequestResponse } from 'fastify';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cancel, expectLedgerReconciles, expectRefusal, holding, place, stateSnapshot, submit, waitAllSettled, type OrderReply } from './support/market.ts';

// Issue 2, "Bad input": each refusal answers 4xx {statusCode, code, message} with a stable code
// and changes nothing — balances, books and the rows in PostgreSQL are compared before and after.

let tp: TestPlatform;
let gov: { id: string; token: string };
let ent: { id: string; token: string };
let other: { id: string; token: string };
let govAsk: OrderReply;
let entBid: OrderReply;
let entCarbonAsk: OrderReply;
let cancelledOrder: OrderReply;
let partlyFilled: OrderReply;
const tokens = {} as { expired: string; fresh: string; algNone: string; otherSecret: string; hs512: string; forgedRole: string };

const FQ = 'FARMLAND-QTY';
const C24 = 'CARBON-2024';

beforeAll(async () => {
  tp = await startTestPlatform('bad-input', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, LOT_DIRECT_REGISTRATION: 'on' });
  [gov, ent, other] = await Promise.all([
    tp.participant('government', '婺源县自然资源局'),
    tp.participant('enterprise', '江西中赣建设有限公司', '南昌市红谷滩区'),
    tp.participant('enterprise', '九江港务投资有限公司', '九江市濂溪区'),
  ]);
  await tp.lot(gov.id, FQ, '10.00');
  await tp.lot(gov.id, C24, '100');
  await tp.lot(ent.id, C24, '50');
  await tp.deposit(gov.id, '1000000.00');
  await tp.deposit(ent.id, '500000.00');
  await tp.deposit(other.id, '100000.00');

  govAsk = await place(tp, gov.token, { symbol: FQ, side: 'sell', price: '369000.00', quantity: '2.00' });
  entBid = await place(tp, ent.token, { symbol: FQ, side: 'buy', price: '368000.00', quantity: '1.00' });
  entCarbonAsk = await place(tp, ent.token, { symbol: C24, side: 'sell', price: '63.00', quantity: '10' });
  cancelledOrder = await place(tp, ent.token, { symbol: C24, side: 'buy', price: '60.00', quantity: '1' });
  await cancel(tp, ent.token, cancelledOrder.order.id);
  partlyFilled = await place(tp, gov.token, { symbol: C24, side: 'sell', price: '61.00', quantity: '5' });
  const take = await place(tp, other.token, { symbol: C24, side: 'buy', price: '61.00', quantity: '2' });
  expect(take.fills).toEqual([{ tradeId: expect.any(String), price: '61.00', quantity: '2' }]);
  await waitAllSettled(tp);

  // Tokens built by hand with the platform's own secret (or deliberately not), for gov's user.
  const knex = tp.running.platform.knex;
  const secret = (await knex('platform_settings').where({ key: 'token_secret' }).first<{ value: string }>()).value;
  const me = (await tp.api('GET', '/api/auth/me', gov.token)).json<{ id: string; username: string; participantId: string }>();
  // The claims of gov's own session: a token names its user and session, nothing else.
  const { sid } = JSON.parse(Buffer.from(gov.token.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string };
  const claims = { sub: me.id, sid, iss: 'ecorights' };
  const now = Math.floor(Date.now() / 1000);
  const hs256 = createSigner({ key: secret, algorithm: 'HS256' });
  tokens.expired = hs256({ ...claims, iat: now - 7200, exp: now - 3600 });
  tokens.fresh = hs256({ ...claims, iat: now, exp: now + 600 });
  tokens.algNone = createSigner({ algorithm: 'none' })({ ...claims, iat: now, exp: now + 600 });
  tokens.otherSecret = createSigner({ key: 'not-the-platform-secret-but-long-enough-0123456789', algorithm: 'HS256' })({ ...claims, iat: now, exp: now + 600 });
  tokens.hs512 = createSigner({ key: secret, algorithm: 'HS512' })({ ...claims, iat: now, exp: now + 600 });
  // gov's real token with its payload rewritten to claim the operator role; the signature no longer matches.
  const [header, payload, signature] = gov.token.split('.') as [string, string, string];
  const rewritten = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), role: 'operator', participantId: null };
  tokens.forgedRole = `${header}.${Buffer.from(JSON.stringify(rewritten)).toString('base64url')}.${signature}`;
});
afterAll(async () => {
  await tp?.close();
});

const snapshot = () => stateSnapshot(tp, [gov.token, ent.token, other.token], [FQ, C24, 'FARMLAND-PADDY']);
const order = (token: string, body: Record<string, unknown>) =>
  tp.api('POST', '/api/orders', token, { symbol: FQ, side: 'buy', type: 'limit', price: '368500.00', quantity: '0.10', timeInForce: 'GTC', ...body });
const withHeaders = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
  tp.running.app.inject({ method, url, headers, payload: payload as never });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const lot = (change: Record<string, unknown>) =>
  tp.api('POST', '/api/admin/lots', tp.operatorToken, {
    participantId: gov.id,
    indicatorType: 'farmland',
    symbol: FQ,
    quantity: '1.00',
    region: '上饶市婺源县',
    sourceProject: '婺源县高标准农田建设项目',
    verificationRef: `BAD-LOT-${Math.random().toString(36).slice(2)}`,
    vintage: 2025,
    ...change,
  });
const validOrder = { symbol: FQ, side: 'buy', type: 'limit', price: '368500.00', quantity: '0.10', timeInForce: 'GTC' };

interface Case {
  name: string;
  call: () => Promise<LightMyRequestResponse>;
  status: number;
  code: string;
}

const cases: Case[] = [
  // Unknown symbol
  { name: 'unknown symbol', call: () => order(ent.token, { symbol: 'NOPE-2024' }), status: 422, code: 'UNKNOWN_SYMBOL' },
  { name: 'symbol in the wrong case', call: () => order(ent.token, { symbol: 'farmland-qty' }), status: 422, code: 'UNKNOWN_SYMBOL' },

  // Malformed decimals: JSON numbers are refused, never coerced; strings must be plain decimals.
  { name: 'price as a JSON number', call: () => order(ent.token, { price: 368500 }), status: 400, code: 'INVALID_DECIMAL' },
  { name: 'quantity as a JSON number', call: () => order(ent.token, { quantity: 1 }), status: 400, code: 'INVALID_DECIMAL' },
  { name: 'price as null', call: () => order(ent.token, { price: null }), status: 400, code: 'INVALID_DECIMAL' },
  ...['1e5', '-1', '1.', ' 1', '0x10', '', '368,500.00', '368500.00 ', '+368500', '３６８５００', 'NaN', 'Infinity', '.5', '00368500', '368500.000000001', '1234567890123456789012345678901'].map(
    (price): Case => ({ name: `price ${JSON.stringify(price)}`, call: () => order(ent.token, { price }), status: 400, code: 'INVALID_DECIMAL' }),
  ),
  ...['1e2', '-0.10', '0.1.0', '1/2', '1234567890123456789012345678901.00'].map((quantity): Case => ({ name: `quantity ${JSON.stringify(quantity)}`, call: () => order(ent.token, { quantity }), status: 400, code: 'INVALID_DECIMAL' })),
  { name: 'amend price as a JSON number', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { price: 368100 }), status: 400, code: 'INVALID_DECIMAL' },
  { name: 'amend quantity "1e0"', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { quantity: '1e0' }), status: 400, code: 'INVALID_DECIMAL' },
  { name: 'deposit amount as a JSON number', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: 100, reference: 'BAD-1' }), status: 400, code: 'INVALID_DECIMAL' },
  { name: 'deposit amount "-100.00"', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: '-100.00', reference: 'BAD-2' }), status: 400, code: 'INVALID_DECIMAL' },

  // Price off the tick, outside the band (368,500.00 ± 10% = 331,650.00 … 405,350.00)
  { name: 'price off the tick', call: () => order(ent.token, { price: '368500.001' }), status: 422, code: 'PRICE_NOT_ON_TICK' },
  { name: 'price zero', call: () => order(ent.token, { price: '0.00' }), status: 422, code: 'PRICE_NOT_ON_TICK' },
  { name: 'buy one fen above the band', call: () => order(ent.token, { price: '405350.01' }), status: 422, code: 'PRICE_OUT_OF_BAND' },
  { name: 'buy one fen below the band', call: () => order(ent.token, { price: '331649.99' }), status: 422, code: 'PRICE_OUT_OF_BAND' },
  { name: 'sell far above the band', call: () => order(gov.token, { side: 'sell', price: '999999.00' }), status: 422, code: 'PRICE_OUT_OF_BAND' },
  { name: 'amend to a price outside the band', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { price: '405350.01' }), status: 422, code: 'PRICE_OUT_OF_BAND' },
  { name: 'amend to a price off the tick', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { price: '368000.005' }), status: 422, code: 'PRICE_NOT_ON_TICK' },

  // Quantity off the lot
  { name: 'quantity off the 0.01 亩 lot', call: () => order(ent.token, { quantity: '0.105' }), status: 422, code: 'QUANTITY_NOT_ON_LOT' },
  { name: 'quantity off the 1 tCO2e lot', call: () => order(ent.token, { symbol: C24, price: '62.00', quantity: '1.5' }), status: 422, code: 'QUANTITY_NOT_ON_LOT' },
  { name: 'quantity zero', call: () => order(ent.token, { quantity: '0.00' }), status: 422, code: 'QUANTITY_NOT_ON_LOT' },
  { name: 'amend to a quantity off the lot', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { quantity: '0.999' }), status: 422, code: 'QUANTITY_NOT_ON_LOT' },

  // Insufficient funds or holdings — including orders that would have traded, so no trade may happen
  // ent: 500,000.00 deposited, 368,000.00 locked by its bid → 132,000.00 available.
  { name: 'buy needing more cash than available', call: () => order(ent.token, { price: '368500.00', quantity: '0.36' }), status: 422, code: 'INSUFFICIENT_FUNDS' },
  { name: 'crossing buy needing more cash than available', call: () => order(ent.token, { price: '369000.00', quantity: '1.00' }), status: 422, code: 'INSUFFICIENT_FUNDS' },
  // 2,129 t at 62.00 = 131,998.00 would fit; 2,130 t = 132,060.00 does not.
  { name: 'buy one lot more than the cash covers', call: () => order(ent.token, { symbol: C24, price: '62.00', quantity: '2130' }), status: 422, code: 'INSUFFICIENT_FUNDS' },
  { name: 'amend a buy up beyond the cash available', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { quantity: '1.36' }), status: 422, code: 'INSUFFICIENT_FUNDS' },
  // gov: 10.00 亩, 2.00 locked by its ask → 8.00 available.
  { name: 'sell more than the holdings available', call: () => order(gov.token, { side: 'sell', price: '369000.00', quantity: '8.01' }), status: 422, code: 'INSUFFICIENT_HOLDINGS' },
  { name: 'crossing sell larger than the holdings available', call: () => order(gov.token, { side: 'sell', price: '368000.00', quantity: '8.01' }), status: 422, code: 'INSUFFICIENT_HOLDINGS' },
  { name: 'sell of an indicator never held', call: () => order(other.token, { symbol: 'CARBON-2023', side: 'sell', price: '58.00', quantity: '1' }), status: 422, code: 'INSUFFICIENT_HOLDINGS' },
  { name: 'amend a sell up beyond the holdings', call: () => tp.api('PATCH', `/api/orders/${govAsk.order.id}`, gov.token, { quantity: '10.01' }), status: 422, code: 'INSUFFICIENT_HOLDINGS' },
  { name: 'market buy with nothing to trade against', call: () => order(other.token, { symbol: 'FARMLAND-PADDY', type: 'market', price: undefined, quantity: '0.50', timeInForce: 'IOC' }), status: 422, code: 'NO_LIQUIDITY' },

  // Wrong role
  { name: 'regulator placing an order', call: () => order(tp.regulatorToken, {}), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'operator placing an order', call: () => order(tp.operatorToken, {}), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'regulator cancelling an order', call: () => tp.api('DELETE', `/api/orders/${govAsk.order.id}`, tp.regulatorToken), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'participant crediting itself a deposit', call: () => tp.api('POST', '/api/admin/deposits', ent.token, { participantId: ent.id, amount: '1000000.00', reference: 'SELF-1' }), status: 403, code: 'FORBIDDEN_ROLE' },
  {
    name: 'participant registering its own lot',
    call: () =>
      tp.api('POST', '/api/admin/lots', gov.token, { participantId: gov.id, indicatorType: 'farmland', symbol: FQ, quantity: '100.00', region: '上饶市婺源县', sourceProject: '自报项目', verificationRef: 'SELF-LOT-1', vintage: 2025 }),
    status: 403,
    code: 'FORBIDDEN_ROLE',
  },
  { name: 'participant admitting a participant', call: () => tp.api('POST', '/api/admin/participants', ent.token, { name: '某公司', kind: 'enterprise', region: '南昌市', username: 'sneaky', password: 'password-123' }), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'participant halting an instrument', call: () => tp.api('POST', `/api/regulator/instruments/${FQ}/halt`, ent.token, { reason: 'mine' }), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'operator halting an instrument', call: () => tp.api('POST', `/api/regulator/instruments/${FQ}/halt`, tp.operatorToken, { reason: 'not mine' }), status: 403, code: 'FORBIDDEN_ROLE' },
  { name: 'enterprise selling a government-only indicator', call: () => order(ent.token, { side: 'sell', price: '369000.00' }), status: 403, code: 'SELLER_NOT_ELIGIBLE' },

  // Unknown order, someone else's order, an order no longer open
  { name: 'cancel an unknown order', call: () => tp.api('DELETE', '/api/orders/999999999999', ent.token), status: 404, code: 'ORDER_NOT_FOUND' },
  { name: 'amend an unknown order', call: () => tp.api('PATCH', '/api/orders/999999999999', ent.token, { quantity: '0.50' }), status: 404, code: 'ORDER_NOT_FOUND' },
  { name: 'read an unknown order', call: () => tp.api('GET', '/api/orders/999999999999', ent.token), status: 404, code: 'ORDER_NOT_FOUND' },
  { name: 'order id that is not a number', call: () => tp.api('DELETE', '/api/orders/abc', ent.token), status: 400, code: 'VALIDATION_FAILED' },
  { name: "cancel someone else's order", call: () => tp.api('DELETE', `/api/orders/${govAsk.order.id}`, other.token), status: 403, code: 'ORDER_NOT_OWNED' },
  { name: "amend someone else's order", call: () => tp.api('PATCH', `/api/orders/${govAsk.order.id}`, other.token, { quantity: '1.00' }), status: 403, code: 'ORDER_NOT_OWNED' },
  { name: "read someone else's order", call: () => tp.api('GET', `/api/orders/${entBid.order.id}`, gov.token), status: 403, code: 'ORDER_NOT_OWNED' },
  { name: 'cancel an order already cancelled', call: () => tp.api('DELETE', `/api/orders/${cancelledOrder.order.id}`, ent.token), status: 409, code: 'ORDER_NOT_OPEN' },
  { name: 'amend an order already cancelled', call: () => tp.api('PATCH', `/api/orders/${cancelledOrder.order.id}`, ent.token, { quantity: '2' }), status: 409, code: 'ORDER_NOT_OPEN' },
  { name: 'amend to no change', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { quantity: '1.00' }), status: 422, code: 'AMEND_NO_CHANGE' },
  { name: 'amend below the quantity already filled', call: () => tp.api('PATCH', `/api/orders/${partlyFilled.order.id}`, gov.token, { quantity: '2' }), status: 422, code: 'AMEND_BELOW_FILLED' },

  // Missing, malformed, forged and expired tokens
  { name: 'no token', call: () => order('', {}), status: 401, code: 'TOKEN_MISSING' },
  { name: 'no token on cancel', call: () => tp.api('DELETE', `/api/orders/${govAsk.order.id}`, null), status: 401, code: 'TOKEN_MISSING' },
  { name: 'garbage token', call: () => withHeaders('POST', '/api/orders', bearer('garbage'), validOrder), status: 401, code: 'TOKEN_INVALID' },
  { name: 'not a bearer header', call: () => withHeaders('POST', '/api/orders', { authorization: `Basic ${Buffer.from('gov:pw').toString('base64')}` }, validOrder), status: 401, code: 'TOKEN_INVALID' },
  { name: 'token with alg none', call: () => withHeaders('POST', '/api/orders', bearer(tokens.algNone), validOrder), status: 401, code: 'TOKEN_INVALID' },
  { name: 'token signed with another secret', call: () => withHeaders('POST', '/api/orders', bearer(tokens.otherSecret), validOrder), status: 401, code: 'TOKEN_INVALID' },
  { name: 'token signed with HS512 (algorithm pinned to HS256)', call: () => withHeaders('POST', '/api/orders', bearer(tokens.hs512), validOrder), status: 401, code: 'TOKEN_INVALID' },
  { name: 'token whose payload was rewritten to another role', call: () => withHeaders('POST', '/api/admin/deposits', bearer(tokens.forgedRole), { participantId: ent.id, amount: '1.00', reference: 'FORGED' }), status: 401, code: 'TOKEN_INVALID' },
  { name: 'expired token', call: () => withHeaders('POST', '/api/orders', bearer(tokens.expired), validOrder), status: 401, code: 'TOKEN_EXPIRED' },
  { name: 'expired token on cancel', call: () => withHeaders('DELETE', `/api/orders/${govAsk.order.id}`, bearer(tokens.expired)), status: 401, code: 'TOKEN_EXPIRED' },

  // Unknown fields and other malformed bodies
  { name: 'unknown field in an order', call: () => order(ent.token, { leverage: '10' }), status: 400, code: 'UNKNOWN_FIELD' },
  { name: 'unknown field in an amend', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, { quantity: '0.50', priority: 'first' }), status: 400, code: 'UNKNOWN_FIELD' },
  { name: 'unknown field in a deposit', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: '1.00', reference: 'X-1', currency: 'USD' }), status: 400, code: 'UNKNOWN_FIELD' },
  { name: 'empty amend', call: () => tp.api('PATCH', `/api/orders/${entBid.order.id}`, ent.token, {}), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown side', call: () => order(ent.token, { side: 'short' }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown time in force', call: () => order(ent.token, { timeInForce: 'GTD' }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'missing quantity', call: () => order(ent.token, { quantity: undefined }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit order without a price', call: () => order(ent.token, { price: undefined }), status: 400, code: 'PRICE_REQUIRED' },
  { name: 'market order with a price', call: () => order(ent.token, { type: 'market', timeInForce: 'IOC' }), status: 400, code: 'PRICE_NOT_ALLOWED' },
  { name: 'market order that would rest (GTC)', call: () => order(ent.token, { type: 'market', price: undefined }), status: 400, code: 'MARKET_ORDER_TIF' },
  { name: 'malformed JSON', call: () => withHeaders('POST', '/api/orders', { ...bearer(ent.token), 'content-type': 'application/json' }, '{"symbol": "FARMLAND-QTY",'), status: 400, code: 'MALFORMED_JSON' },
  { name: 'deposit of a fraction of a fen', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: '100.001', reference: 'FEN-1' }), status: 422, code: 'INVALID_AMOUNT' },
  { name: 'deposit of zero', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: '0.00', reference: 'ZERO-1' }), status: 422, code: 'INVALID_AMOUNT' },
  { name: 'deposit to an unknown participant', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: '999999999', amount: '1.00', reference: 'NOBODY-1' }), status: 404, code: 'PARTICIPANT_NOT_FOUND' },
  { name: 'lot of farmland for an enterprise', call: () => lot({ participantId: ent.id }), status: 403, code: 'HOLDER_NOT_ELIGIBLE' },
  { name: 'lot for an unknown participant', call: () => lot({ participantId: '999999999' }), status: 404, code: 'PARTICIPANT_NOT_FOUND' },
  { name: 'lot of an unknown symbol', call: () => lot({ symbol: 'FARMLAND-XYZ' }), status: 422, code: 'UNKNOWN_SYMBOL' },
  { name: 'lot whose indicator type does not match the symbol', call: () => lot({ indicatorType: 'wetland' }), status: 422, code: 'INDICATOR_MISMATCH' },
  { name: 'lot off the lot size', call: () => lot({ quantity: '1.001' }), status: 422, code: 'QUANTITY_NOT_ON_LOT' },
  { name: 'lot with a verification reference used before', call: () => lot({ symbol: 'FARMLAND-PADDY', verificationRef: 'REPEATED-LOT' }), status: 409, code: 'DUPLICATE_LOT' },
  { name: 'a deposit reference used before', call: () => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: ent.id, amount: '1.00', reference: 'REPEATED' }), status: 409, code: 'DUPLICATE_DEPOSIT' },
];

describe('bad input is refused with its code and changes nothing', () => {
  beforeAll(async () => {
    // The reference the duplicate-deposit case repeats.
    const first = await tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId: other.id, amount: '0.01', reference: 'REPEATED' });
    expect(first.statusCode).toBe(201);
    const firstLot = await lot({ symbol: 'FARMLAND-PADDY', verificationRef: 'REPEATED-LOT', quantity: '0.01' });
    expect(firstLot.statusCode, firstLot.body).toBe(201);
  });

  it.each(cases)('$name → $status $code', async ({ call, status, code }) => {
    const before = await snapshot();
    const res = await call();
    expectRefusal(res, status, code);
    expect(await snapshot()).toEqual(before);
  });

  it('a price outside the band names the band, so the screen can say which prices would do', async () => {
    const res = await order(ent.token, { price: '405350.01' });
    expectRefusal(res, 422, 'PRICE_OUT_OF_BAND');
    expect(res.json<{ params: unknown }>().params).toEqual({ low: '331650.00', high: '405350.00', reference: '368500.00', bandPct: '10' });
  });

  it('the same requests, made valid, are accepted (the refusals above are not blanket ones)', async () => {
    // The hand-made token with a future expiry works, so TOKEN_EXPIRED above is about expiry alone.
    const me = await withHeaders('GET', '/api/auth/me', bearer(tokens.fresh));
    expect(me.statusCode).toBe(200);
    // Band edges are inclusive. ent has 132,000.00 available: 0.01 亩 at the band floor 331,650.00
    // locks 3,316.50 and 0.34 亩 at 368,500.00 locks 125,290.00, leaving 3,393.50 — less than the
    // 3,685.00 one more 0.01 亩 at 368,500.00 needs.
    const atFloor = await order(ent.token, { price: '331650.00', quantity: '0.01' });
    expect(atFloor.statusCode, atFloor.body).toBe(201);
    const fits = await order(ent.token, { price: '368500.00', quantity: '0.34' });
    expect(fits.statusCode, fits.body).toBe(201);
    expectRefusal(await order(ent.token, { price: '368500.00', quantity: '0.01' }), 422, 'INSUFFICIENT_FUNDS');
    expect((await tp.api('GET', '/api/account', ent.token)).json<{ cash: unknown }>().cash).toEqual({ currency: 'CNY', available: '3393.50', locked: '496606.50' });
  });
});

describe('a halted instrument', () => {
  it('refuses new orders and amendments with INSTRUMENT_HALTED but still accepts a cancel', async () => {
    const halt = await tp.api('POST', `/api/regulator/instruments/${C24}/halt`, tp.regulatorToken, { reason: '异常交易核查' });
    expect(halt.statusCode, halt.body).toBe(200);
    expect(halt.json()).toEqual({ symbol: C24, status: 'halted', haltReason: '异常交易核查' });

    const before = await snapshot();
    expectRefusal(await order(other.token, { symbol: C24, price: '62.00', quantity: '1' }), 409, 'INSTRUMENT_HALTED');
    expectRefusal(await order(gov.token, { symbol: C24, side: 'sell', price: '62.00', quantity: '1' }), 409, 'INSTRUMENT_HALTED');
    expectRefusal(await tp.api('PATCH', `/api/orders/${entCarbonAsk.order.id}`, ent.token, { quantity: '5' }), 409, 'INSTRUMENT_HALTED');
    expect(await snapshot()).toEqual(before);
    // Another instrument trades on.
    expect((await order(other.token, { symbol: 'CARBON-2023', price: '58.00', quantity: '1' })).statusCode).toBe(201);

    expect(await holding(tp, ent.token, C24)).toEqual(['40', '10']);
    const cancelled = await cancel(tp, ent.token, entCarbonAsk.order.id);
    expect(cancelled.order).toMatchObject({ status: 'cancelled', cancelReason: 'user', filledQuantity: '0' });
    expect(await holding(tp, ent.token, C24)).toEqual(['50', '0']);
    const carbonBook = (await tp.api('GET', `/api/instruments/${C24}/book`)).json<{ asks: Array<{ price: string }> }>();
    expect(carbonBook.asks.map((a) => a.price)).toEqual(['61.00']);

    const resume = await tp.api('POST', `/api/regulator/instruments/${C24}/resume`, tp.regulatorToken, { reason: '核查完毕' });
    expect(resume.json()).toEqual({ symbol: C24, status: 'trading', haltReason: null });
    const after = await submit(tp, other.token, { symbol: C24, side: 'buy', price: '62.00', quantity: '1' });
    expect(after.statusCode, after.body).toBe(201);
    await waitAllSettled(tp);
    await expectLedgerReconciles(tp);
  });
});
