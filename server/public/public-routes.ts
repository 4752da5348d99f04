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
import { PublicListingNotice, PublicListings, PublicResult, PublicResultsQuery } from '../../contract/public-listings.ts';
import { openListings, publicListing, publicRuleFacts, recentResults, resultHistory, type ResultRow } from './public-listing-queries.ts';
import { announcementOf, onBoardUntil, resultOf } from './public-listing-views.ts';
import { IdParam } from '../../contract/common.ts';
import { calendarDay, daysBetween, shiftDays } from '../shared/calendar-day.ts';

// The market anyone may read: no sign-in, cacheable (a CDN may sit in front), limited per client.
// Everything here comes from committed trades and carries no participant's name.

const MAX_RANGE_DAYS = 5 * 366;
// The board holds at most this many results; 60 working days (the longest board) fit in 100 calendar days.
const BOARD_RESULTS = 200;
const BOARD_LOOKBACK_MS = 100 * 86_400_000;
const CSV_COLUMNS = ['day', 'open', 'high', 'low', 'close', 'vwap', 'volume', 'turnover', 'trades', 'offBookVolume', 'offBookTurnover'] as const;

export async function publicRoutes(app: FastifyInstance): Promise<void> {
  const { instruments, knex, config, clock } = app.platform;
  // ETags for this plugin's answers only: If-None-Match gets 304 without a body.
  await app.register(etag);
  const rateLimit = { max: config.PUBLIC_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };
  const cacheFor = (reply: FastifyReply, seconds: number) => reply.header('cache-control', `public, max-age=${seconds}`);

  const specOr404 = (symbol: string): InstrumentSpec => {
    const spec = instruments.spec(symbol);
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
      const specs = withSpecs(rows, (symbol) => instruments.spec(symbol));
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

  const known = <T extends { symbol: string }>(rows: T[]) => withSpecs(rows, (symbol) => instruments.spec(symbol));
  const resultsOf = async (rows: ResultRow[], now: Date) => {
    const facts = await publicRuleFacts(knex, rows.map((r) => String(r.id)));
    return known(rows).map(({ row, spec }) => resultOf(row, spec, facts, now));
  };

  app.get(
    '/public/listings',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description:
          'Announced listings (terms, windows, cap, lottery commitment, objections and their answers; a sealed one shows nothing of its bids) and the results board (成交公示): each result for its instrument’s working days after the close. No sign-in; cacheable for 30 s.',
        response: { 200: PublicListings, ...errorResponses },
      },
    },
    async (_request, reply) => {
      const now = clock.now();
      const [open, recent] = await Promise.all([openListings(knex), recentResults(knex, new Date(now.getTime() - BOARD_LOOKBACK_MS), BOARD_RESULTS)]);
      const onBoard = recent.filter((r) => onBoardUntil(r) > now);
      const facts = await publicRuleFacts(knex, open.map((r) => String(r.id)));
      cacheFor(reply, 30);
      return {
        announcements: known(open).map(({ row, spec }) => announcementOf(row, spec, facts, now)),
        results: await resultsOf(onBoard, now),
      };
    },
  );

  app.get<{ Querystring: { limit: number; before?: string } }>(
    '/public/listings/results',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: 'Every listing result, on the board or past it, newest listing first; page with `before`. No sign-in.',
        querystring: PublicResultsQuery,
        response: { 200: Type.Array(PublicResult), ...errorResponses },
      },
    },
    async (request, reply) => {
      cacheFor(reply, 30);
      return resultsOf(await resultHistory(knex, request.query.before ?? null, request.query.limit), clock.now());
    },
  );

  app.get<{ Params: { id: string } }>(
    '/public/listings/:id',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        description: 'One listing’s announcement (公告) while it is open, or its result once closed, with objections, answers and the lottery’s inputs. No sign-in.',
        params: IdParam,
        response: { 200: PublicListingNotice, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const { open, closed } = await publicListing(knex, request.params.id);
      const row = open ?? closed;
      const spec = row ? instruments.spec(row.symbol) : undefined;
      if (!row || !spec) throw notFound('LISTING_NOT_FOUND', `no announced listing ${request.params.id}`);
      const facts = await publicRuleFacts(knex, [String(row.id)]);
      cacheFor(reply, 10);
      return { announcement: open ? announcementOf(open, spec, facts, now) : null, result: closed ? resultOf(closed, spec, facts, now) : null };
    },
  );
}
