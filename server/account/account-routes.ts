import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { lockLineView, lotView, ownLotView, ownTradeView, postingView } from './account-views.ts';
import { ownLockLines, ownLotPieces, ownPostings, ownTrades, type LotRow } from './account-queries.ts';
import { accountSnapshot } from './account-snapshot.ts';
import { Account, AccountLimitQuery, AccountTrade, IndicatorLot, LedgerPosting, LockLine, OwnLot } from '../../contract/account.ts';

export async function accountRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, instruments } = app.platform;
  const participantOnly = requireRole('participant');

  app.get(
    '/account',
    { preHandler: participantOnly, schema: { tags: ['account'], security: bearer, response: { 200: Account, ...errorResponses } } },
    async (request) => accountSnapshot(knex, instruments, participantOf(request).participantId),
  );

  app.get(
    '/account/locks',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['account'],
        security: bearer,
        description: 'Why cash and quantity are locked: open orders, reservations (margins, listings, blocks, frozen lots) and unsettled trades, grouped per asset; the lines of an asset add up to its locked balance.',
        response: { 200: Type.Array(LockLine), ...errorResponses },
      },
    },
    async (request) => (await ownLockLines(knex, participantOf(request).participantId)).map((r) => lockLineView(instruments, r)),
  );

  app.get(
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
      return (await ownTrades(knex, participantId, request.query.limit)).map((t) => ownTradeView(instruments, participantId, t));
    },
  );

  app.get(
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
    async (request) => (await ownPostings(knex, participantOf(request).participantId, request.query.limit)).map((r) => postingView(instruments, r)),
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
    async (request) => (await ownLotPieces(knex, participantOf(request).participantId)).map((r) => ownLotView(instruments, r)),
  );
}

// LotSchema is the name admin-routes.ts imports the lot shape under.
export { IndicatorLot as LotSchema };

// Re-exported for admin-routes.ts, which builds the same lot view.
export type { LotRow };

export function lotViews(app: FastifyInstance, rows: LotRow[]) {
  return rows.map((r) => lotView(app.platform.instruments, r));
}
