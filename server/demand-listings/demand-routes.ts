import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { callerOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam } from '../shared/schemas.ts';
import { signedInRoutes } from '../http/route-options.ts';
import { auctionFieldsOf } from '../http/auction-body.ts';
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
  const signedIn = signedInRoutes(tags);

  app.post(
    '/demand-listings',
    signedIn(requireRole('participant'), {
      description: 'Post a demand listing as the buyer. Locks quantity × starting price + buyer fee of your cash until the close (INSUFFICIENT_FUNDS names the shortfall).',
      body: CreateDemandBody,
      response: { 201: DemandListing, ...errorResponses },
    }),
    async (request, reply) => {
      const b = request.body;
      const view = await demand().create(callerOf(request), { ...auctionFieldsOf(b), floorPrice: b.floorPrice, decrement: b.decrement });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/demand-listings',
    signedIn(anyone, { description: 'The demand board, newest first.', querystring: DemandListQuery, response: { 200: Type.Array(DemandListing), ...errorResponses } }),
    async (request) => demand().list(callerOf(request).viewer, request.query),
  );

  app.get(
    '/demand-listings/:id',
    signedIn(anyone, { params: IdParam, response: { 200: DemandListing, ...errorResponses } }),
    async (request) => demand().view(request.params.id, callerOf(request).viewer),
  );

  app.get(
    '/demand-listings/:id/bids',
    signedIn(anyone, {
      description: 'Bids, oldest first, to the buyer, registered sellers and staff. Sellers appear by number (竞价号); the regulator and operator see names.',
      params: IdParam,
      response: { 200: Type.Array(DemandBid), ...errorResponses },
    }),
    async (request) => demand().bids(request.params.id, callerOf(request).viewer),
  );

  app.post(
    '/demand-listings/:id/registrations',
    signedIn(requireRole('participant'), {
      description: 'Register to offer: you must hold the quantity and be eligible to sell the indicator; locks the margin (保证金) from your available cash.',
      params: IdParam,
      response: { 201: DemandRegistration, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await demand().register(callerOf(request), request.params.id)),
  );

  app.post(
    '/demand-listings/:id/bids',
    signedIn(requireRole('participant'), {
      description:
        'Bid the price down: at most the current lowest less the decrement (the starting price for the first bid), at least the floor. Your quantity is locked while you lead; a bid near the end extends the close.',
      params: IdParam,
      body: DemandBidBody,
      response: { 201: DemandBidResult, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await demand().bid(callerOf(request), request.params.id, request.body.price)),
  );

  app.post(
    '/demand-listings/:id/cancel',
    signedIn(requireRole('participant', 'operator'), {
      description: 'Withdraw a demand listing (operator; the buyer only before registration opens). Every lock is released.',
      params: IdParam,
      body: DemandCancelBody,
      response: { 200: DemandListing, ...errorResponses },
    }),
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
