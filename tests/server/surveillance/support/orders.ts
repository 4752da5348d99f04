import type { TestPlatform } from '../../support/test-platform.ts';

export interface Placed {
  order: { id: string; status: string; filledQuantity: string; cancelReason?: string | null };
  fills: Array<{ tradeId: string; price: string; quantity: string }>;
}

/** Places a limit order through the API and insists it was accepted. */
export async function place(tp: TestPlatform, token: string, symbol: string, side: 'buy' | 'sell', price: string, quantity: string, timeInForce = 'GTC'): Promise<Placed> {
  const res = await tp.api('POST', '/api/orders', token, { symbol, side, type: 'limit', price, quantity, timeInForce });
  if (res.statusCode !== 201) throw new Error(`place ${side} ${quantity} ${symbol} @ ${price}: ${res.statusCode} ${res.body}`);
  return res.json<Placed>();
}

export const instrumentStatus = async (tp: TestPlatform, symbol: string) =>
  (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; status: string }>>().find((i) => i.symbol === symbol)?.status;
