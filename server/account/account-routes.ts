import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { fixed, money } from '../shared/decimal.ts';
import { accountSnapshot, AccountSnapshotSchema } from './account-snapshot.ts';

const LimitQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }, { additionalProperties: false });

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { knex, engine } = app.platform;
  const participantOnly = requireRole('participant');

  app.get(
    '/account',
    { preHandler: participantOnly, schema: { tags: ['account'], security: bearer, response: { 200: AccountSnapshotSchema, ...errorResponses } } },
    async (request) => accountSnapshot(knex, engine, participantOf(request).participantId),
  );

  app.get<{ Querystring: Static<typeof LimitQuery> }>(
    '/account/trades',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        querystring: LimitQuery,
        response: {
          200: Type.Array(
            Type.Object({
              tradeId: Type.String(),
              orderId: Type.String(),
              symbol: Type.String(),
              side: Type.String(),
              price: Type.String(),
              quantity: Type.String(),
              amount: Type.String(),
              fee: Type.String(),
              executedAt: Type.String(),
              settlementStatus: Type.String(),
              certificateNo: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { participantId } = participantOf(request);
      const rows = await knex('trades as t')
        .leftJoin('settlements as s', 's.trade_id', 't.id')
        .where('t.buyer_id', participantId)
        .orWhere('t.seller_id', participantId)
        .orderBy('t.id', 'desc')
        .limit(request.query.limit)
        .select<
          Array<{ id: string; symbol: string; price: string; quantity: string; amount: string; buyer_fee: string; seller_fee: string; buyer_id: string; buy_order_id: string; sell_order_id: string; executed_at: Date; status: string; certificate_no: string | null }>
        >('t.*', 's.certificate_no');
      return rows.map((t) => {
        const spec = engine.spec(t.symbol);
        const side = t.buyer_id === participantId ? 'buy' : 'sell';
        return {
          tradeId: t.id,
          orderId: side === 'buy' ? t.buy_order_id : t.sell_order_id,
          symbol: t.symbol,
          side,
          price: fixed(t.price, spec?.pricePlaces ?? 2),
          quantity: fixed(t.quantity, spec?.qtyPlaces ?? 2),
          amount: money(t.amount),
          fee: money(side === 'buy' ? t.buyer_fee : t.seller_fee),
          executedAt: t.executed_at.toISOString(),
          settlementStatus: t.status,
          certificateNo: t.certificate_no,
        };
      });
    },
  );

  app.get<{ Querystring: Static<typeof LimitQuery> }>(
    '/account/ledger',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        description: 'Own journal postings, newest first: every movement of cash or indicator quantity.',
        querystring: LimitQuery,
        response: {
          200: Type.Array(
            Type.Object({ id: Type.String(), transferId: Type.String(), kind: Type.String(), reference: Type.String(), asset: Type.String(), amount: Type.String(), createdAt: Type.String() }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { participantId } = participantOf(request);
      const rows = await knex('postings as p')
        .join('accounts as a', 'a.id', 'p.account_id')
        .join('journal_transfers as j', 'j.id', 'p.transfer_id')
        .where('a.participant_id', participantId)
        .orderBy('p.id', 'desc')
        .limit(request.query.limit)
        .select<Array<{ id: string; transfer_id: string; kind: string; reference: string; asset: string; amount: string; created_at: Date }>>(
          'p.id',
          'p.transfer_id',
          'j.kind',
          'j.reference',
          'p.asset',
          'p.amount',
          'j.created_at',
        );
      return rows.map((r) => {
        const spec = engine.spec(r.asset);
        return {
          id: r.id,
          transferId: r.transfer_id,
          kind: r.kind,
          reference: r.reference,
          asset: r.asset,
          amount: spec ? fixed(r.amount, spec.qtyPlaces) : money(r.amount),
          createdAt: r.created_at.toISOString(),
        };
      });
    },
  );

  app.get(
    '/account/lots',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        description: 'What this participant holds, lot by lot: each piece with the verified lot it came from (quantity = held now).',
        response: { 200: Type.Array(Type.Object({ ...LotSchema.properties, originalQuantity: Type.String(), acquiredAt: Type.String() })), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await knex('lot_holdings as h')
        .join('lots as l', 'l.id', 'h.lot_id')
        .where('h.participant_id', participantOf(request).participantId)
        .where('h.quantity', '>', 0)
        .orderBy([{ column: 'h.acquired_at' }, { column: 'h.lot_id' }])
        .select<Array<LotRow & { held: string; acquired_at: Date }>>('l.*', 'h.quantity as held', 'h.acquired_at');
      const views = lotViews(app, rows);
      return rows.map((r, i) => {
        const spec = engine.spec(r.symbol);
        return { ...views[i]!, quantity: fixed(r.held, spec?.qtyPlaces ?? 2), originalQuantity: views[i]!.quantity, acquiredAt: r.acquired_at.toISOString() };
      });
    },
  );
}

export const LotSchema = Type.Object({
  id: Type.String(),
  participantId: Type.String(),
  symbol: Type.String(),
  indicatorType: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  region: Type.String(),
  sourceProject: Type.String(),
  verificationRef: Type.String(),
  vintage: Type.Integer(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});

export interface LotRow {
  id: string;
  participant_id: string;
  symbol: string;
  quantity: string;
  region: string;
  source_project: string;
  verification_ref: string;
  vintage: number;
  attributes: Record<string, unknown>;
  created_at: Date;
}

export function lotViews(app: FastifyInstance, rows: LotRow[]) {
  return rows.map((r) => {
    const spec = app.platform.engine.spec(r.symbol);
    return {
      id: r.id,
      participantId: r.participant_id,
      symbol: r.symbol,
      indicatorType: spec?.row.indicator_type ?? 'unknown',
      quantity: fixed(r.quantity, spec?.qtyPlaces ?? 2),
      unit: spec?.row.unit ?? '',
      region: r.region,
      sourceProject: r.source_project,
      verificationRef: r.verification_ref,
      vintage: r.vintage,
      attributes: r.attributes,
      createdAt: r.created_at.toISOString(),
    };
  });
}
