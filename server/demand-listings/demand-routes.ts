import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam, bearer } from '../shared/schemas.ts';
import type { DemandCaller } from './demand-views.ts';
import {
  CreateDemandBody,
  DemandBid,
  DemandBidBody,
  DemandBidResult,
  DemandCancelBody,
  DemandListing,
  DemandListQuery,
  DemandRegistration,
  PublicDemandListings,
} from '../../contract/demand-listings.ts';

const RECENT_RESULTS = 20;

function callerOf(request: FastifyRequest): DemandCaller {
  const user = userOf(request);
  return { actor: { userId: user.id, username: user.username }, viewer: { role: user.role, participantId: user.participantId } };
}

/**
 * Demand listings (需求挂牌): a buyer's descending auction — posting, the board, seller
 * registration with margin, descending bids — and the public announcements. Times are ISO 8601;
 * prices, quantities and money are decimal strings.
 */
export async function demandListingRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const demand = () => app.platform.demandListings;
  const anyone = requireRole('participant', 'regulator', 'operator');
  const tags = ['demand-listings'];

  app.post(
    '/demand-listings',
    {
      preHandler: requireRole('participant'),
      schema: {
        tags,
        security: bearer,
        description: 'Post a demand listing as the buyer. Locks quantity × starting price + buyer fee of your cash until the close (INSUFFICIENT_FUNDS names the shortfall).',
        body: CreateDemandBody,
        response: { 201: DemandListing, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const view = await demand().create(callerOf(request), {
        symbol: b.symbol,
        title: b.title,
        description: b.description ?? null,
        quantity: b.quantity,
        startPrice: b.startPrice,
        floorPrice: b.floorPrice,
        decrement: b.decrement,
        marginPct: b.marginPct,
        windows: {
          registrationOpensAt: new Date(b.registrationOpensAt),
          registrationClosesAt: new Date(b.registrationClosesAt),
          biddingOpensAt: new Date(b.biddingOpensAt),
          biddingClosesAt: new Date(b.biddingClosesAt),
        },
        antiSnipingSeconds: b.antiSnipingSeconds ?? null,
      });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/demand-listings',
    { preHandler: anyone, schema: { tags, security: bearer, description: 'The demand board, newest first.', querystring: DemandListQuery, response: { 200: Type.Array(DemandListing), ...errorResponses } } },
    async (request) => demand().list(callerOf(request).viewer, request.query),
  );

  app.get(
    '/demand-listings/:id',
    { preHandler: anyone, schema: { tags, security: bearer, params: IdParam, response: { 200: DemandListing, ...errorResponses } } },
    async (request) => demand().view(request.params.id, callerOf(request).viewer),
  );

  app.get(
    '/demand-listings/:id/bids',
    {
      preHandler: anyone,
      schema: {
        tags,
        security: bearer,
        description: 'Bids, oldest first, to the buyer, registered sellers and staff. Sellers appear by number (竞价号); the regulator and operator see names.',
        params: IdParam,
        response: { 200: Type.Array(DemandBid), ...errorResponses },
      },
    },
    async (request) => demand().bids(request.params.id, callerOf(request).viewer),
  );

  app.post(
    '/demand-listings/:id/registrations',
    {
      preHandler: requireRole('participant'),
      schema: {
        tags,
        security: bearer,
        description: 'Register to offer: you must hold the quantity and be eligible to sell the indicator; locks the margin (保证金) from your available cash.',
        params: IdParam,
        response: { 201: DemandRegistration, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await demand().register(callerOf(request), request.params.id)),
  );

  app.post(
    '/demand-listings/:id/bids',
    {
      preHandler: requireRole('participant'),
      schema: {
        tags,
        security: bearer,
        description:
          'Bid the price down: at most the current lowest less the decrement (the starting price for the first bid), at least the floor. Your quantity is locked while you lead; a bid near the end extends the close.',
        params: IdParam,
        body: DemandBidBody,
        response: { 201: DemandBidResult, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await demand().bid(callerOf(request), request.params.id, request.body.price)),
  );

  app.post(
    '/demand-listings/:id/cancel',
    {
      preHandler: requireRole('participant', 'operator'),
      schema: {
        tags,
        security: bearer,
        description: 'Withdraw a demand listing (operator; the buyer only before registration opens). Every lock is released.',
        params: IdParam,
        body: DemandCancelBody,
        response: { 200: DemandListing, ...errorResponses },
      },
    },
    async (request) => demand().cancel(callerOf(request), request.params.id, request.body.reason),
  );

  app.get(
    '/public/demand-listings',
    {
      config: { rateLimit: { max: app.platform.config.PUBLIC_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['public', ...tags],
        description: 'Demand announcements (需求挂牌公告) still open and the latest results (结果公示). No sign-in; cacheable for 10 s.',
        response: { 200: PublicDemandListings, ...errorResponses },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=10');
      return demand().publicBoard(RECENT_RESULTS);
    },
  );
}
