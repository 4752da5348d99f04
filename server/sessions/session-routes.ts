import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound, unprocessable } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, SymbolParam, bearer } from '../shared/schemas.ts';
import { fixed } from '../shared/decimal.ts';
import { listHolidays, saveCalendar, saveHoliday } from './session-queries.ts';
import { calendarProblem } from './trading-calendar.ts';
import { BEIJING_UTC_OFFSET_MINUTES } from '../shared/beijing-time.ts';
import { CalendarBody, DailyPrice, Holiday, HolidayBody, PricesQuery, SessionStatus } from '../../contract/sessions.ts';

/** Trading sessions: today's phase per instrument, closing prices, and the operator's calendars and holidays. */
export async function sessionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, instruments } = app.platform;
  const sessions = () => app.platform.sessions;
  const tags = ['sessions'];
  const specOr404 = (symbol: string) => {
    const spec = instruments.spec(symbol);
    if (!spec) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return spec;
  };

  const anyone = requireRole('participant', 'regulator', 'operator');

  app.get(
    '/sessions',
    { preHandler: anyone, schema: { tags, security: bearer, description: 'Each instrument’s session phase now, its next change and its calendar.', response: { 200: Type.Array(SessionStatus), ...errorResponses } } },
    async () => instruments.specs().map((spec) => sessions().status(spec, app.platform.clock.now())),
  );

  app.get(
    '/sessions/:symbol/daily-prices',
    {
      preHandler: anyone,
      schema: {
        tags,
        security: bearer,
        description: 'Closing prices, newest first; each became the next trading day’s reference price.',
        params: SymbolParam,
        querystring: PricesQuery,
        response: { 200: Type.Array(DailyPrice), ...errorResponses },
      },
    },
    async (request) => {
      const spec = specOr404(request.params.symbol);
      const rows = await sessions().dailyPrices(spec.symbol, request.query.limit);
      return rows.map((r) => ({
        symbol: r.symbol,
        tradingDay: r.trading_day,
        closePrice: fixed(r.close_price, spec.pricePlaces),
        method: r.method,
        volume: fixed(r.volume, spec.qtyPlaces),
        value: fixed(r.value, 2),
        trades: r.trades,
        previousReference: fixed(r.previous_reference, spec.pricePlaces),
        closedAt: r.closed_at.toISOString(),
      }));
    },
  );

  app.get(
    '/sessions/holidays',
    { preHandler: anyone, schema: { tags, security: bearer, response: { 200: Type.Array(Holiday), ...errorResponses } } },
    async () => listHolidays(knex),
  );

  app.put(
    '/admin/instruments/:symbol/calendar',
    {
      preHandler: requireRole('operator'),
      schema: { tags: ['admin', 'sessions'], security: bearer, description: 'Set an instrument’s trading calendar (Asia/Shanghai times).', params: SymbolParam, body: CalendarBody, response: { 200: SessionStatus, ...errorResponses } },
    },
    async (request) => {
      const user = userOf(request);
      const spec = specOr404(request.params.symbol);
      const b = request.body;
      const problem = calendarProblem({ ...b, utcOffsetMinutes: BEIJING_UTC_OFFSET_MINUTES });
      if (problem) throw unprocessable('INVALID_CALENDAR', problem);
      await saveCalendar(
        knex,
        { symbol: spec.symbol, ...b, utcOffsetMinutes: BEIJING_UTC_OFFSET_MINUTES, at: app.platform.clock.now() },
        { actorUserId: user.id, actor: user.username, action: 'instrument.calendar', subject: `instrument:${spec.symbol}`, payload: { ...b } },
      );
      await sessions().load();
      return sessions().status(spec, app.platform.clock.now());
    },
  );

  app.post(
    '/admin/holidays',
    {
      preHandler: requireRole('operator'),
      schema: { tags: ['admin', 'sessions'], security: bearer, description: 'Declare a day without trading, market-wide or for one instrument.', body: HolidayBody, response: { 201: Holiday, ...errorResponses } },
    },
    async (request, reply) => {
      const user = userOf(request);
      const b = request.body;
      if (b.symbol) specOr404(b.symbol);
      await saveHoliday(
        knex,
        { day: b.day, symbol: b.symbol ?? null, name: b.name },
        { actorUserId: user.id, actor: user.username, action: 'market.holiday', subject: `holiday:${b.day}`, payload: { ...b } },
      );
      await sessions().load();
      return reply.status(201).send({ day: b.day, symbol: b.symbol ?? null, name: b.name });
    },
  );
}
