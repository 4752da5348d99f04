import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { notFound } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, SymbolParam, bearer } from '../shared/schemas.ts';
import { beijingDateDigits } from '../shared/beijing-time.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { reconcile } from '../ledger/reconciliation.ts';
import { auditEntries, recentOrders, recentTrades, todayStats } from './regulator-queries.ts';
import { auditCsv, auditView, orderView, statsView, tradeView } from './regulator-views.ts';
import { AuditEntry, AuditQuery, AuditVerification, InstrumentStatusChange, Reconciliation, RecentQuery, RegulatorOrder, RegulatorReasonBody, RegulatorStats, RegulatorTrade } from '../../contract/regulator.ts';

export async function regulatorRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, engine, instruments } = app.platform;
  const regulatorOnly = requireRole('regulator');
  const schema = <R extends TSchema>(description: string, ok: R) => ({ tags: ['regulator'], security: bearer, description, response: { 200: ok, ...errorResponses } });

  for (const action of ['halt', 'resume'] as const) {
    app.post(
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

  app.get(
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
      const rows = await auditEntries(knex, request.query);
      if (request.query.format === 'json') return rows.map(auditView);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${beijingDateDigits(new Date())}.csv"`)
        .send(auditCsv(rows));
    },
  );

  app.get('/regulator/audit/verify', { preHandler: regulatorOnly, schema: schema('Recomputes the whole hash chain and reports the first broken link.', AuditVerification) }, async () =>
    verifyAuditChain(knex),
  );

  app.get(
    '/regulator/reconciliation',
    { preHandler: requireRole('regulator', 'operator'), schema: schema('Checks the ledger from first principles and reports each check with its figures.', Reconciliation) },
    async () => reconcile(knex),
  );

  app.get('/regulator/trades', { preHandler: regulatorOnly, schema: { ...schema('The latest trades of every participant, newest first.', Type.Array(RegulatorTrade)), querystring: RecentQuery } }, async (request) =>
    (await recentTrades(knex, request.query.limit)).map((t) => tradeView(instruments, t)),
  );

  app.get('/regulator/orders', { preHandler: regulatorOnly, schema: { ...schema('The latest orders of every participant, last changed first.', Type.Array(RegulatorOrder)), querystring: RecentQuery } }, async (request) =>
    (await recentOrders(knex, request.query.limit)).map((o) => orderView(instruments, o)),
  );

  app.get('/regulator/stats', { preHandler: regulatorOnly, schema: schema("Today's volume and value by indicator type and by the seller's prefecture (设区市).", RegulatorStats) }, async () =>
    statsView(await todayStats(knex)),
  );
}
