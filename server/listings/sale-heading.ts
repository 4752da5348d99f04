import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

/** What a listing auction's and a demand listing's views open with: the sale and its instrument. */
export const saleHeading = (row: { id: string; symbol: string; title: string; description: string | null }, spec: InstrumentSpec) => ({
  id: row.id,
  symbol: row.symbol,
  instrumentName: spec.row.name_zh,
  unit: spec.row.unit,
  title: row.title,
  description: row.description,
});
