import type { FastifyInstance, FastifyReply } from 'fastify';
import etag from '@fastify/etag';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import { badRequest, notFound } from '../errors.ts';
import { errorResponses, SymbolParam } from '../shared/schemas.ts';
import { withSpecs, type InstrumentSpec } from '../instruments/instrument-spec.ts';
import { DailyHistory, DailyHistoryQuery, PublicMarket, type DailyBar } from '../../contract/public-market.ts';
import { dailyBars, publicToday } from './public-market-queries.ts';
import { beijingDate } from '../shared/beijing-time.ts';
import { dailyBarOf, todayOf } from './public-market-views.ts';
import { PublicListings } from '../../contract/public-listings.ts';
import { openListings, recentResults } from './public-listing-queries.ts';
import { announcementOf, resultOf } from './public-listing-views.ts';
import { calendarDay, daysBetween, shiftDays } from '../shared/calendar-day.ts';

// The market anyone may read: no sign-in, cacheable (a CDN may sit in front), limited per client.
// Everything here comes from committed trades and carries no participant's name.

const MAX_RANGE_DAYS = 5 * 366;
const RECENT_RESULTS = 20;
const CSV_COLUMNS = ['day', 'open', 'high', 'low', 'close', 'vwap', 'volume', 'turnover', 'trades', 'offBookVolume', 'offBookTurnover'] as const;

export async function publicRoutes(app: FastifyInstance): Promise<void> {
  const { engine, knex, config, clock } = app.platform;
  // ETags for this plugin's answers only: If-None-Match gets 304 without a body.
  await app.register(etag);
  const rateLimit = { max: config.PUBLIC_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };
  const cacheFor = (reply: FastifyReply, seconds: number) => reply.header('cache-control', `public, max-age=${seconds}`);

  const specOr404 = (symbol: string): InstrumentSpec => {
    const spec = engine.spec(symbol);
    if (!spec) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return spec;
  };

  async function history(symbol: string, query: { from?: string; to?: string }): Promise<{ spec: InstrumentSpec; days: DailyBar[] }> {
    const spec = specOr404(symbol);
    const to = query.to === undefined ? beijingDate(clock.now()) : calendarDay(query.to, 'to');
    const from = query.from === undefined ? shiftDays(to, -365) : calendarDay(query.from, 'from');
    if (from > to) throw badRequest('INVALID_RANGE', `from (${from}) is after to (${to})`);
    if (daysBetween(from, to) > MAX_RANGE_DAYS) throw badRequest('RANGE_TOO_LONG', `at most ${MAX_RANGE_DAYS} days per request`);
    const rows = await dailyBars(knex, spec.symbol, from, to);
    return { spec, days: rows.map((row) => dailyBarOf(row, spec)) };
  }

  app.get(
    '/public/market',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: "Today's market per instrument (Beijing trading day): last price, change, volume and turnover. No sign-in; cacheable for 10 s.",
        response: { 200: PublicMarket, ...errorResponses },
      },
    },
    async (_request, reply) => {
      // The market clock, not PostgreSQL's: trades carry its time, so "today" must be its day.
      const now = clock.now();
      const rows = await publicToday(knex, now);
      const specs = withSpecs(rows, (symbol) => engine.spec(symbol));
      cacheFor(reply, 10);
      return { tradingDay: rows[0]?.trading_day ?? beijingDate(now), instruments: specs.map(({ row, spec }) => todayOf(row, spec)) };
    },
  );

  app.get<{ Params: { symbol: string }; Querystring: { from?: string; to?: string } }>(
    '/public/instruments/:symbol/daily',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: 'Daily open/high/low/close/VWAP (continuous market) and volume/turnover (every venue) per Beijing trading day, oldest first.',
        params: SymbolParam,
        querystring: DailyHistoryQuery,
        response: { 200: DailyHistory, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { spec, days } = await history(request.params.symbol, request.query);
      cacheFor(reply, 60);
      return { symbol: spec.symbol, unit: spec.row.unit, days };
    },
  );

  app.get<{ Params: { symbol: string }; Querystring: { from?: string; to?: string } }>(
    '/public/instruments/:symbol/daily.csv',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: `The daily history as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese name): ${CSV_COLUMNS.join(', ')}.`,
        params: SymbolParam,
        querystring: DailyHistoryQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { spec, days } = await history(request.params.symbol, request.query);
      const csv = stringify(days, { header: true, columns: [...CSV_COLUMNS], cast: { string: (v) => v } });
      cacheFor(reply, 60);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${spec.symbol}-daily.csv"`);
      return `\ufeff${csv}`;
    },
  );

  app.get(
    '/public/listings',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: 'Announced listings (terms and windows; a sealed one shows nothing of its bids) and the 20 most recent results with their winners. No sign-in; cacheable for 30 s.',
        response: { 200: PublicListings, ...errorResponses },
      },
    },
    async (_request, reply) => {
      const now = clock.now();
      const [open, results] = await Promise.all([openListings(knex), recentResults(knex, RECENT_RESULTS)]);
      const known = <T extends { symbol: string }>(rows: T[]) => withSpecs(rows, (symbol) => engine.spec(symbol));
      cacheFor(reply, 30);
      return {
        announcements: known(open).map(({ row, spec }) => announcementOf(row, spec, now)),
        results: known(results).map(({ row, spec }) => resultOf(row, spec)),
      };
    },
  );
}
