import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../errors.ts';
import { errorResponses, SymbolParam } from '../shared/schemas.ts';
import { dec, fixed } from '../shared/decimal.ts';
import type { InstrumentSpec } from './instrument-spec.ts';
import { blockBand } from '../blocks/block-rules.ts';
import { candles, marketSummary, recentTradeTicks } from './instrument-queries.ts';
import { Book, BookQuery, CandleBar, CandleQuery, Instrument, PublicTrade, TradesQuery } from '../../contract/instruments.ts';

const intervals = { '1m': '1 minute', '1h': '1 hour', '1d': '1 day' } as const;

export async function instrumentRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine, instruments, knex, config } = app.platform;
  const specOr404 = (symbol: string): InstrumentSpec => {
    const spec = instruments.spec(symbol);
    if (!spec) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return spec;
  };

  app.get(
    '/instruments',
    { schema: { tags: ['market'], response: { 200: Type.Array(Instrument) } } },
    async () => {
      const { day, last, rules } = await marketSummary(knex);
      const rulesBy = new Map(rules.map((r) => [r.symbol, r]));
      const dayBy = new Map(day.map((r) => [r.symbol, r]));
      const lastBy = new Map(last.map((r) => [r.symbol, r.price]));
      return instruments.specs().map((spec) => {
        const r = spec.row;
        const stats = dayBy.get(r.symbol);
        const lastPrice = lastBy.get(r.symbol) ?? null;
        const { low, high } = spec.bandTicks();
        const block = blockBand(spec, config.BLOCK_PRICE_BAND_PCT);
        return {
          symbol: r.symbol,
          indicatorType: r.indicator_type,
          subType: r.sub_type,
          nameZh: r.name_zh,
          name: r.name,
          unit: r.unit,
          tickSize: r.tick_size,
          lotSize: r.lot_size,
          minQuantity: r.min_quantity,
          priceBandPct: dec(r.price_band_pct).toString(),
          referencePrice: fixed(r.reference_price, spec.pricePlaces),
          bandLow: spec.ticksToPrice(low),
          bandHigh: spec.ticksToPrice(high),
          status: r.status,
          haltReason: r.halt_reason,
          sellerKinds: r.seller_kinds,
          buyerFeeBps: r.buyer_fee_bps,
          sellerFeeBps: r.seller_fee_bps,
          vintage: r.vintage,
          lastPrice: lastPrice === null ? null : fixed(lastPrice, spec.pricePlaces),
          changePct: lastPrice === null ? null : dec(lastPrice).div(r.reference_price).sub(1).mul(100).toFixed(2),
          dayVolume: fixed(stats?.volume ?? '0', spec.qtyPlaces),
          dayValue: fixed(stats?.value ?? '0', 2),
          dayTrades: Number(stats?.trades ?? 0),
          guidancePrice: fixed(rulesBy.get(r.symbol)?.guidance_price ?? r.reference_price, spec.pricePlaces),
          blockMinQuantity: fixed(rulesBy.get(r.symbol)?.block_min_quantity ?? r.min_quantity, spec.qtyPlaces),
          blockBandLow: block.low.toFixed(spec.pricePlaces),
          blockBandHigh: block.high.toFixed(spec.pricePlaces),
          listingMinimums: {
            registrationWorkingDays: rulesBy.get(r.symbol)?.listing_min_registration_days ?? 0,
            biddingWorkingDays: rulesBy.get(r.symbol)?.listing_min_bidding_days ?? 0,
          },
        };
      });
    },
  );

  app.get(
    '/instruments/:symbol/book',
    {
      schema: {
        tags: ['market'],
        params: SymbolParam,
        querystring: BookQuery,
        response: { 200: Book, ...errorResponses },
      },
    },
    async (request) => {
      specOr404(request.params.symbol);
      return engine.depth(request.params.symbol, request.query.depth)!;
    },
  );

  app.get(
    '/instruments/:symbol/trades',
    { schema: { tags: ['market'], params: SymbolParam, querystring: TradesQuery, response: { 200: Type.Array(PublicTrade), ...errorResponses } } },
    async (request) => {
      const spec = specOr404(request.params.symbol);
      const rows = await recentTradeTicks(knex, spec.symbol, request.query.limit);
      return rows.map((t) => ({
        id: t.id,
        price: fixed(t.price, spec.pricePlaces),
        quantity: fixed(t.quantity, spec.qtyPlaces),
        aggressorSide: t.aggressor_side,
        executedAt: t.executed_at.toISOString(),
        venue: t.venue,
      }));
    },
  );

  app.get(
    '/instruments/:symbol/candles',
    { schema: { tags: ['market'], params: SymbolParam, querystring: CandleQuery, response: { 200: Type.Array(CandleBar), ...errorResponses } } },
    async (request) => {
      const spec = specOr404(request.params.symbol);
      const rows = await candles(knex, spec.symbol, intervals[request.query.interval], request.query.limit);
      return rows.map((c) => ({
        time: c.t.toISOString(),
        open: fixed(c.open, spec.pricePlaces),
        high: fixed(c.high, spec.pricePlaces),
        low: fixed(c.low, spec.pricePlaces),
        close: fixed(c.close, spec.pricePlaces),
        volume: fixed(c.volume, spec.qtyPlaces),
        value: fixed(c.value, 2),
      }));
    },
  );
}
