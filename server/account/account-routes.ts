import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { fixed, money } from '../shared/decimal.ts';
import { ownLotPieces, ownPostings, ownTrades, type LotRow } from './account-queries.ts';
import { accountSnapshot, AccountSnapshotSchema } from './account-snapshot.ts';

const LimitQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }, { additionalProperties: false });

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { knex, instruments } = app.platform;
  const participantOnly = requireRole('participant');

  app.get(
    '/account',
    { preHandler: participantOnly, schema: { tags: ['account'], security: bearer, response: { 200: AccountSnapshotSchema, ...errorResponses } } },
    async (request) => accountSnapshot(knex, instruments, participantOf(request).participantId),
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
      const rows = await ownTrades(knex, participantId, request.query.limit);
      return rows.map((t) => {
        const spec = instruments.spec(t.symbol);
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
      const rows = await ownPostings(knex, participantId, request.query.limit);
      return rows.map((r) => {
        const spec = instruments.spec(r.asset);
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
      const rows = await ownLotPieces(knex, participantOf(request).participantId);
      const views = lotViews(app, rows);
      return rows.map((r, i) => {
        const spec = instruments.spec(r.symbol);
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

// Re-exported for admin-routes.ts, which builds the same lot view.
export type { LotRow };

export function lotViews(app: FastifyInstance, rows: LotRow[]) {
  return rows.map((r) => {
    const spec = app.platform.instruments.spec(r.symbol);
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
