import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { fixed, money } from '../shared/decimal.ts';
import { ownLotPieces, ownPostings, ownTrades, type LotRow } from './account-queries.ts';
import { accountSnapshot } from './account-snapshot.ts';
import { Account, AccountLimitQuery, AccountTrade, IndicatorLot, LedgerPosting, OwnLot } from '../../contract/account.ts';

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { knex, instruments } = app.platform;
  const participantOnly = requireRole('participant');

  app.get(
    '/account',
    { preHandler: participantOnly, schema: { tags: ['account'], security: bearer, response: { 200: Account, ...errorResponses } } },
    async (request) => accountSnapshot(knex, instruments, participantOf(request).participantId),
  );

  app.get<{ Querystring: Static<typeof AccountLimitQuery> }>(
    '/account/trades',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        querystring: AccountLimitQuery,
        response: {
          200: Type.Array(AccountTrade),
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

  app.get<{ Querystring: Static<typeof AccountLimitQuery> }>(
    '/account/ledger',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        description: 'Own journal postings, newest first: every movement of cash or indicator quantity.',
        querystring: AccountLimitQuery,
        response: {
          200: Type.Array(LedgerPosting),
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
        response: { 200: Type.Array(OwnLot), ...errorResponses },
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

// LotSchema is the name admin-routes.ts imports the lot shape under.
export { IndicatorLot as LotSchema };

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
