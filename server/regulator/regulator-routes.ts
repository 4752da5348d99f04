import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { notFound } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, SymbolParam, bearer } from '../shared/schemas.ts';
import { fixed, money } from '../shared/decimal.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { reconcile } from '../ledger/reconciliation.ts';
import { auditEntries, recentOrders, recentTrades, todayStats } from './regulator-queries.ts';
import { AuditEntry, AuditQuery, AuditVerification, InstrumentStatusChange, Reconciliation, RecentQuery, RegulatorOrder, RegulatorReasonBody, RegulatorStats, RegulatorTrade } from '../../contract/regulator.ts';

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export async function regulatorRoutes(app: FastifyInstance): Promise<void> {
  const { knex, engine, instruments } = app.platform;
  const regulatorOnly = requireRole('regulator');

  for (const action of ['halt', 'resume'] as const) {
    app.post<{ Params: Static<typeof SymbolParam>; Body: Static<typeof RegulatorReasonBody> }>(
      `/regulator/instruments/:symbol/${action}`,
      {
        preHandler: regulatorOnly,
        schema: {
          tags: ['regulator'],
          security: bearer,
          description: action === 'halt' ? 'Halt trading: the book then accepts only cancels.' : 'Resume continuous trading.',
          params: SymbolParam,
          body: RegulatorReasonBody,
          response: { 200: InstrumentStatusChange, ...errorResponses },
        },
      },
      async (request) => {
        const user = userOf(request);
        if (!instruments.spec(request.params.symbol)) throw notFound('UNKNOWN_SYMBOL', `no instrument ${request.params.symbol}`);
        const outcome = await engine.submit({
          kind: 'setMode',
          actor: { userId: user.id, username: user.username },
          symbol: request.params.symbol,
          mode: action === 'halt' ? 'halted' : 'continuous',
          reason: request.body.reason,
        });
        if (!outcome.ok) throw outcome.error;
        return outcome.instrument;
      },
    );
  }

  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/regulator/audit',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Hash-chained audit log, newest first; format=csv downloads it.',
        querystring: AuditQuery,
        response: { 200: Type.Union([Type.Array(AuditEntry), Type.String()]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = await auditEntries(knex, q);
      const entries = rows.map((r) => ({
        seq: String(r.seq),
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        payload: r.payload,
        hash: r.hash,
        prevHash: r.prev_hash,
      }));
      if (q.format === 'json') return entries;
      const header = 'seq,at,actor,action,subject,payload,hash,prev_hash';
      const lines = entries.map((e) => [e.seq, e.at, e.actor, e.action, e.subject, e.payload, e.hash, e.prevHash].map(csvCell).join(','));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(`\uFEFF${[header, ...lines].join('\r\n')}\r\n`);
    },
  );

  app.get(
    '/regulator/audit/verify',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Recomputes the whole hash chain and reports the first broken link.',
        response: {
          200: AuditVerification,
          ...errorResponses,
        },
      },
    },
    async () => verifyAuditChain(knex),
  );

  app.get(
    '/regulator/reconciliation',
    {
      preHandler: requireRole('regulator', 'operator'),
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Checks the ledger from first principles and reports each check with its figures.',
        response: {
          200: Reconciliation,
          ...errorResponses,
        },
      },
    },
    async () => reconcile(knex),
  );

  app.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/regulator/trades',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        querystring: RecentQuery,
        response: {
          200: Type.Array(RegulatorTrade),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await recentTrades(knex, request.query.limit);
      return rows.map((t) => {
        const spec = instruments.spec(t.symbol);
        return {
          id: t.id,
          symbol: t.symbol,
          price: fixed(t.price, spec?.pricePlaces ?? 2),
          quantity: fixed(t.quantity, spec?.qtyPlaces ?? 2),
          amount: money(t.amount),
          buyer: t.buyer,
          seller: t.seller,
          aggressorSide: t.aggressor_side,
          status: t.status,
          executedAt: t.executed_at.toISOString(),
        };
      });
    },
  );

  app.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/regulator/orders',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        querystring: RecentQuery,
        response: {
          200: Type.Array(RegulatorOrder),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await recentOrders(knex, request.query.limit);
      return rows.map((o) => {
        const spec = instruments.spec(o.symbol);
        return {
          id: o.id,
          participant: o.participant,
          symbol: o.symbol,
          side: o.side,
          type: o.type,
          price: o.price === null ? null : fixed(o.price, spec?.pricePlaces ?? 2),
          quantity: fixed(o.quantity, spec?.qtyPlaces ?? 2),
          filledQuantity: fixed(o.filled_quantity, spec?.qtyPlaces ?? 2),
          status: o.status,
          updatedAt: o.updated_at.toISOString(),
        };
      });
    },
  );

  app.get(
    '/regulator/stats',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: "Today's volume and value by indicator type and by the seller's prefecture (设区市).",
        response: {
          200: RegulatorStats,
          ...errorResponses,
        },
      },
    },
    async () => {
      const { byType, totals: total, byPrefecture } = await todayStats(knex);
      return {
        today: {
          trades: Number(total.trades),
          value: money(total.value ?? '0'),
          activeParticipants: Number(total.active),
          volumeByType: Object.fromEntries(byType.map((r) => [r.indicator_type, r.volume])),
          valueByType: Object.fromEntries(byType.map((r) => [r.indicator_type, money(r.value)])),
        },
        byPrefecture: byPrefecture.map((r) => ({ prefecture: r.prefecture, value: money(r.value), trades: Number(r.trades) })),
      };
    },
  );
}
