import type { Knex } from 'knex';

/**
 * One instrument per tradeable indicator. Farmland balance indicators are split into the three
 * quantities provinces trade separately; carbon sinks trade by vintage. Reference prices are
 * realistic Jiangxi levels (see DOMAIN.md); the band is ±10% of the reference.
 */
export const REFERENCE_INSTRUMENTS = [
  {
    symbol: 'FARMLAND-QTY',
    indicator_type: 'farmland',
    sub_type: 'quantity',
    name_zh: '耕地占补平衡指标（新增耕地数量）',
    name: 'Farmland balance — new farmland quantity',
    unit: '亩',
    tick_size: '0.01',
    lot_size: '0.01',
    min_quantity: '0.01',
    reference_price: '368500.00',
    seller_kinds: 'government',
    display_order: 1,
  },
  {
    symbol: 'FARMLAND-PADDY',
    indicator_type: 'farmland',
    sub_type: 'paddy',
    name_zh: '耕地占补平衡指标（水田规模）',
    name: 'Farmland balance — paddy field',
    unit: '亩',
    tick_size: '0.01',
    lot_size: '0.01',
    min_quantity: '0.01',
    reference_price: '125000.00',
    seller_kinds: 'government',
    display_order: 2,
  },
  {
    symbol: 'FARMLAND-GRAIN',
    indicator_type: 'farmland',
    sub_type: 'grain_capacity',
    name_zh: '耕地占补平衡指标（粮食产能）',
    name: 'Farmland balance — grain production capacity',
    unit: 'kg',
    tick_size: '0.01',
    lot_size: '1',
    min_quantity: '1',
    reference_price: '3.20',
    seller_kinds: 'government',
    display_order: 3,
  },
  {
    symbol: 'LAND-LINKAGE',
    indicator_type: 'land_linkage',
    sub_type: null,
    name_zh: '城乡建设用地增减挂钩节余指标',
    name: 'Urban–rural construction land linkage surplus',
    unit: '亩',
    tick_size: '0.01',
    lot_size: '0.01',
    min_quantity: '0.01',
    reference_price: '280000.00',
    seller_kinds: 'government',
    display_order: 4,
  },
  {
    symbol: 'WETLAND',
    indicator_type: 'wetland',
    sub_type: null,
    name_zh: '湿地占补平衡指标',
    name: 'Wetland occupation–compensation balance',
    unit: '亩',
    tick_size: '0.01',
    lot_size: '0.01',
    min_quantity: '0.01',
    reference_price: '88000.00',
    seller_kinds: 'government',
    display_order: 5,
  },
  {
    symbol: 'CARBON-2024',
    indicator_type: 'carbon_sink',
    sub_type: null,
    name_zh: '林业碳汇（2024年度）',
    name: 'Forestry carbon sink, vintage 2024',
    unit: 'tCO2e',
    tick_size: '0.01',
    lot_size: '1',
    min_quantity: '1',
    reference_price: '62.00',
    seller_kinds: 'any',
    vintage: 2024,
    display_order: 6,
  },
  {
    symbol: 'CARBON-2023',
    indicator_type: 'carbon_sink',
    sub_type: null,
    name_zh: '林业碳汇（2023年度）',
    name: 'Forestry carbon sink, vintage 2023',
    unit: 'tCO2e',
    tick_size: '0.01',
    lot_size: '1',
    min_quantity: '1',
    reference_price: '58.00',
    seller_kinds: 'any',
    vintage: 2023,
    display_order: 7,
  },
] as const;

/** Inserts the reference instruments that are missing; existing ones are left as configured. */
export async function ensureReferenceInstruments(knex: Knex): Promise<void> {
  await knex('instruments')
    .insert(REFERENCE_INSTRUMENTS.map((i) => ({ price_band_pct: 10, ...i })))
    .onConflict('symbol')
    .ignore();
}
