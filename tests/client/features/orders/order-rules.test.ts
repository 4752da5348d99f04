import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../../client/src/shared/api/types.ts';
import { assessOrder } from '../../../../client/src/features/orders/model/order-rules.ts';

// The order form tells a seller whose quantity sits in frozen lots (冻结) why it cannot sell it,
// as the server does with LOT_FROZEN; a shortfall frozen lots do not explain stays the plain one.

const farmland = { symbol: 'FARMLAND-QTY', unit: '亩', tickSize: '0.01', lotSize: '0.01', priceBandPct: '10', referencePrice: '368500.00', status: 'trading', buyerFeeBps: 0, sellerFeeBps: 0 } as Instrument;
const sell = (quantity: string) => ({ side: 'sell' as const, type: 'limit' as const, price: '368500.00', quantity });
const funds = (holdingAvailable: string, holdingFrozen: string | null) => ({ cashAvailable: '0.00', holdingAvailable, holdingFrozen });
const fundErrors = (quantity: string, f: ReturnType<typeof funds>) => assessOrder(farmland, sell(quantity), f, []).errors.filter((e) => e.field === 'funds');

describe('selling with frozen lots', () => {
  it('names the frozen quantity when it explains the shortfall', () => {
    expect(fundErrors('2.50', funds('2.00', '3.00'))).toEqual([{ field: 'funds', key: 'holdingsFrozen', have: '2.00', frozen: '3.00' }]);
    expect(fundErrors('5.00', funds('2.00', '3.00'))[0]?.key).toBe('holdingsFrozen');
  });

  it('is the plain shortfall beyond what is frozen, or with nothing frozen', () => {
    expect(fundErrors('5.01', funds('2.00', '3.00'))[0]?.key).toBe('insufficientHoldings');
    expect(fundErrors('2.50', funds('2.00', null))[0]?.key).toBe('insufficientHoldings');
    expect(fundErrors('2.00', funds('2.00', '3.00'))).toEqual([]);
  });
});
