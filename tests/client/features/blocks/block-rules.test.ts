import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../../client/src/shared/api/types.ts';
import { assessBlockDraft, type BlockDraft, type BlockFunds } from '../../../../client/src/features/blocks/model/block-rules.ts';

// The block form's checks mirror the server's (tests/server/blocks/block-trades.test.ts): the
// same band edges, minimum and eligibility, so a proposal the form lets through is one the
// server accepts, and one it stops would have been refused.

const farmland: Instrument = {
  symbol: 'FARMLAND-QTY',
  indicatorType: 'farmland',
  nameZh: '耕地占补平衡指标（新增耕地数量）',
  name: 'Farmland balance quota (quantity)',
  unit: '亩',
  tickSize: '0.01',
  lotSize: '0.01',
  priceBandPct: '10',
  referencePrice: '368500.00',
  status: 'trading',
  sellerKinds: 'government',
  buyerFeeBps: 3,
  sellerFeeBps: 0,
  blockMinQuantity: '10.00',
  blockBandLow: '257950.00',
  blockBandHigh: '479050.00',
} as Instrument;

const government: BlockFunds = { kind: 'government', cashAvailable: '0.00', holdingAvailable: '50.00' };
const enterprise: BlockFunds = { kind: 'enterprise', cashAvailable: '5000000.00', holdingAvailable: '0.00' };
const draft = (patch: Partial<BlockDraft> = {}): BlockDraft => ({ symbol: 'FARMLAND-QTY', side: 'sell', counterpartyId: '12', price: '368500.00', quantity: '12.00', note: '', ...patch });
const keys = (d: BlockDraft, f: BlockFunds) => assessBlockDraft(farmland, d, f).errors.map((e) => e.key);

describe('block trade terms checked before proposing', () => {
  it('accepts the band’s edges and refuses a cent beyond either', () => {
    expect(keys(draft({ price: '479050.00' }), government)).toEqual([]);
    expect(keys(draft({ price: '257950.00' }), government)).toEqual([]);
    expect(keys(draft({ price: '479050.01' }), government)).toEqual(['priceBand']);
    expect(keys(draft({ price: '257949.99' }), government)).toEqual(['priceBand']);
  });

  it('refuses a price off the tick, a quantity off the lot or under the block minimum', () => {
    expect(keys(draft({ price: '368500.001' }), government)).toEqual(['priceTick']);
    expect(keys(draft({ quantity: '12.005' }), government)).toEqual(['quantityLot']);
    expect(keys(draft({ quantity: '9.99' }), government)).toEqual(['blockMinimum']);
    expect(keys(draft({ quantity: '10.00' }), government)).toEqual([]);
  });

  it('needs a counterparty, and lets only government bodies sell a government-only indicator', () => {
    expect(keys(draft({ counterpartyId: '' }), government)).toEqual(['counterpartyRequired']);
    expect(keys(draft({ side: 'sell' }), enterprise)).toContain('sellerNotEligible');
    expect(keys(draft({ side: 'buy' }), enterprise)).toEqual([]);
  });

  it('locks amount + fee for a buyer, to the fen, and refuses what the cash cannot cover', () => {
    // 12.37 亩 × ¥381,234.57 = ¥4,715,871.63 (half up); 3 bps fee = ¥1,414.76
    const a = assessBlockDraft(farmland, draft({ side: 'buy', price: '381234.57', quantity: '12.37' }), enterprise);
    expect(a.errors).toEqual([]);
    expect(a.amount?.toFixed(2)).toBe('4715871.63');
    expect(a.fee?.toFixed(2)).toBe('1414.76');
    expect(a.cashToLock?.toFixed(2)).toBe('4717286.39');
    const poor = assessBlockDraft(farmland, draft({ side: 'buy', price: '381234.57', quantity: '13.12' }), enterprise);
    expect(poor.errors).toEqual([{ field: 'funds', key: 'insufficientCash', values: { need: '5003298.10', have: '5000000.00' } }]);
  });

  it('refuses selling more than the available holding', () => {
    expect(keys(draft({ quantity: '50.01' }), government)).toEqual(['insufficientHoldings']);
    expect(keys(draft({ quantity: '50.00' }), government)).toEqual([]);
  });
});

describe('frozen lots in a block proposal', () => {
  it('says the lot is frozen when frozen quantity explains the shortfall, and a plain shortfall otherwise', () => {
    const frozen: BlockFunds = { ...government, holdingAvailable: '5.00', holdingFrozen: '10.00' };
    expect(assessBlockDraft(farmland, draft({ quantity: '12.00' }), frozen).errors).toEqual([{ field: 'funds', key: 'holdingsFrozen', values: { have: '5.00', frozen: '10.00' } }]);
    expect(keys(draft({ quantity: '15.01' }), frozen)).toEqual(['insufficientHoldings']);
    expect(keys(draft({ quantity: '12.00' }), { ...government, holdingAvailable: '5.00' })).toEqual(['insufficientHoldings']);
  });
});
