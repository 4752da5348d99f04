import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../errors.ts';
import { actorOf, callerOf, requireRole } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam, SymbolParam } from '../shared/schemas.ts';
import { instrumentSettingRoute, signedInRoutes } from '../http/route-options.ts';
import { ListingSchema } from './listing-views.ts';
import { DrawBody, ListingObjection, ListingSettingsBody, ObjectionBody, ObjectionDecisionBody, RelistBody, SeedCommitmentBody } from '../../contract/listing-rules.ts';
import { listingSettings, setListingSettings } from './listing-relist.ts';

// The listing rules of issue 15 over HTTP: objections (异议) and their answers, the cap lottery's
// commitment, acceptances and draw (摇号), relisting a failed listing, and the operator's
// per-instrument relist step and results-board days. Rules live in the service.

const DeskQuery = Type.Object(
  { status: Type.Union([Type.Literal('pending'), Type.Literal('all')], { default: 'pending' }), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  { additionalProperties: false },
);
const DeskEntry = Type.Object({ ...ListingObjection.properties, listingTitle: Type.String(), symbol: Type.String(), listingStatus: Type.String() });
const SettingsReply = Type.Object({ symbol: Type.String(), ...ListingSettingsBody.properties });

export async function listingRuleRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const listings = () => app.platform.listings;
  const signedIn = signedInRoutes(['listings']);
  const one = { 200: ListingSchema, ...errorResponses };

  app.post(
    '/listings/:id/objections',
    signedIn(requireRole('participant'), {
      description: 'Object to a listing during publicity (公示), before bidding opens. Bidding is suspended until the operator answers; the objection and the answer are published without the objector’s name.',
      params: IdParam,
      body: ObjectionBody,
      response: { 201: ListingSchema, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await listings().fileObjection(callerOf(request), request.params.id, request.body.reason)),
  );

  app.get(
    '/admin/listing-objections',
    signedIn(requireRole('operator', 'regulator'), {
      tags: ['admin', 'listings'],
      description: 'Objections to decide (or all of them, newest first), with the objector named.',
      querystring: DeskQuery,
      response: { 200: Type.Array(DeskEntry), ...errorResponses },
    }),
    async (request) => listings().objectionDesk(callerOf(request).viewer, request.query.status === 'all', request.query.limit),
  );

  app.post(
    '/admin/listing-objections/:id/decision',
    signedIn(requireRole('operator'), {
      tags: ['admin', 'listings'],
      description: 'Answer an objection, once. Upheld: the listing is withdrawn and the seller’s quantity and every margin released. Dismissed: it proceeds, its close moved by as long as bidding was suspended.',
      params: IdParam,
      body: ObjectionDecisionBody,
      response: one,
    }),
    async (request) => listings().decideObjection(callerOf(request), request.params.id, request.body.outcome, request.body.reason),
  );

  app.put(
    '/listings/:id/seed-commitment',
    signedIn(requireRole('operator'), {
      description: 'Publish SHA-256 of the lottery seed of a capped listing (commit–reveal). Once, before bidding opens; a capped listing takes no bids without it.',
      params: IdParam,
      body: SeedCommitmentBody,
      response: one,
    }),
    async (request) => listings().commitSeed(callerOf(request), request.params.id, request.body.commitment),
  );

  app.post(
    '/listings/:id/cap-acceptances',
    signedIn(requireRole('participant'), {
      description: 'Accept the cap of a listing whose cap was reached, during the acceptance window: you enter the lottery, and the full cost at the cap is locked until the draw.',
      params: IdParam,
      response: { 201: ListingSchema, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await listings().acceptCap(callerOf(request), request.params.id)),
  );

  app.post(
    '/listings/:id/draw',
    signedIn(requireRole('operator'), {
      description: 'Reveal the seed and draw the cap lottery after the acceptance window: SHA-256(seed) must be the commitment; the winner (recipe in the listing’s lottery) is awarded at the cap, every other margin released.',
      params: IdParam,
      body: DrawBody,
      response: one,
    }),
    async (request) => listings().draw(callerOf(request), request.params.id, request.body.seed),
  );

  app.post(
    '/listings/:id/relist',
    signedIn(requireRole('participant', 'operator'), {
      description: 'Offer a failed listing (流拍) again on its terms, once: the start price at most the instrument’s relist step lower, never below the guidance price. Locks the seller’s quantity again.',
      params: IdParam,
      body: RelistBody,
      response: { 201: ListingSchema, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await listings().relist(callerOf(request), request.params.id, request.body)),
  );

  app.get(
    '/admin/instruments/:symbol/listing-settings',
    signedIn(requireRole('operator', 'regulator'), { tags: ['admin', 'listings'], params: SymbolParam, response: { 200: SettingsReply, ...errorResponses } }),
    async (request) => ({ symbol: request.params.symbol, ...(await listingSettings(app.platform.knex, request.params.symbol)) }),
  );

  app.put(
    '/admin/instruments/:symbol/listing-settings',
    instrumentSettingRoute('listings', 'Set how far a relist may lower the start price (percent) and how many working days an award stays on the public results board.', ListingSettingsBody, SettingsReply),
    async (request) => {
      const { symbol } = request.params;
      if (!app.platform.instruments.spec(symbol)) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
      return { symbol, ...(await setListingSettings(app.platform.knex, actorOf(request), symbol, request.body, app.platform.clock.now())) };
    },
  );
}
