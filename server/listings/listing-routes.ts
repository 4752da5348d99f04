import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { badRequest, forbidden, notFound } from '../errors.ts';
import { sealedNow, type ListingStatus } from './listing-rules.ts';
import { actorOf, callerOf, participantOf, requireRole } from '../auth/auth-plugin.ts';
import { DecimalString, errorResponses, IdParam } from '../shared/schemas.ts';
import { instrumentSettingRoute, signedInRoutes } from '../http/route-options.ts';
import { auctionFieldsOf } from '../http/auction-body.ts';
import { ListingBidSchema, ListingSchema, RegistrationSchema } from './listing-views.ts';
import { setListingMinimums } from './listing-minimums.ts';
import { MAX_MINIMUM_WORKING_DAYS } from '../../contract/listing-windows.ts';
import { ListingTermsFields } from '../../contract/listing-rules.ts';
import { termsOf } from './listing-terms.ts';

const ParticipantId = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });
const Instant = (description: string) => Type.String({ format: 'date-time', description });

const CreateBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    sellerId: Type.Optional({ ...ParticipantId, description: 'the selling participant; the operator lists on a seller’s behalf, a seller lists for itself' }),
    title: Type.String({ minLength: 2, maxLength: 200, description: 'e.g. 婺源县2025年度耕地占补平衡指标挂牌竞价' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    mode: Type.Union([Type.Literal('open'), Type.Literal('sealed')], { default: 'open', description: 'open ascending bids, or sealed bids cleared at one uniform price' }),
    quantity: DecimalString('quantity offered, in the instrument unit'),
    startPrice: DecimalString('start price per unit; not below the guidance price (指导价)'),
    bidIncrement: Type.Optional(DecimalString('least raise over the best bid (open mode only)')),
    marginPct: DecimalString('bidder margin (保证金) as a percentage of start price × quantity, e.g. "10"'),
    registrationOpensAt: Instant('registration window start'),
    registrationClosesAt: Instant('registration window end'),
    biddingOpensAt: Instant('bidding window start'),
    biddingClosesAt: Instant('bidding window end, before any anti-sniping extension'),
    antiSnipingSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'a bid this close to the end extends it by as much (open mode)' })),
    ...ListingTermsFields,
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('active'), Type.Literal('closed'), Type.Literal('all')], { default: 'active' }),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
const RegisterBody = Type.Object(
  { quantity: Type.Optional(DecimalString('sealed mode: the most you will bid for (default: all of it); it sets your margin')) },
  { additionalProperties: false },
);
const BidBody = Type.Object(
  {
    price: DecimalString('price per unit'),
    quantity: Type.Optional(DecimalString('sealed mode: quantity wanted at that price (default: what you registered for)')),
  },
  { additionalProperties: false },
);
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
const WorkingDays = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_MINIMUM_WORKING_DAYS, description });
const ListingMinimumsSchema = Type.Object(
  {
    registrationWorkingDays: WorkingDays('the registration window (公示/报名期) lasts at least this many Chinese working days'),
    biddingWorkingDays: WorkingDays('the bidding window lasts at least this many Chinese working days'),
  },
  { additionalProperties: false },
);
const BreakGlassBody = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 500, pattern: '\\S', description: 'why the sealed bids must be seen before the close; recorded in the audit chain and shown to the operator' }) },
  { additionalProperties: false },
);
const BreakGlassRecord = Type.Object({
  id: Type.String(),
  listingId: Type.String(),
  regulator: Type.String({ description: 'username of the regulator who broke the glass' }),
  reason: Type.String(),
  at: Type.String(),
});
const BreakGlassEntry = Type.Object({
  ...BreakGlassRecord.properties,
  symbol: Type.String(),
  title: Type.String(),
  listingStatus: Type.String(),
  stillSealed: Type.Boolean({ description: 'the listing has not closed yet' }),
});
const BreakGlassQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false });
const GuidanceBody = Type.Object({ guidancePrice: DecimalString('guidance price (指导价) per unit') }, { additionalProperties: false });

/**
 * Listing auctions (挂牌竞价): the board, registration with margin, bids, and the operator's
 * guidance price. Times are ISO 8601; prices, quantities and money are decimal strings.
 */
export async function listingRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const listings = () => app.platform.listings;
  const anyone = requireRole('participant', 'regulator', 'operator');
  const signedIn = signedInRoutes(['listings']);

  app.post(
    '/listings',
    signedIn(requireRole('participant', 'operator'), {
      description: 'List a quantity for auction. Locks the seller’s quantity until the close.',
      body: CreateBody,
      response: { 201: ListingSchema, ...errorResponses },
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const b = request.body;
      let sellerId: string;
      if (caller.viewer.role === 'operator') {
        if (!b.sellerId) throw badRequest('SELLER_REQUIRED', 'the operator lists on a seller’s behalf: name the sellerId');
        sellerId = b.sellerId;
      } else {
        if (b.sellerId && b.sellerId !== caller.viewer.participantId) throw forbidden('NOT_THE_SELLER', 'a participant lists only its own holdings');
        sellerId = participantOf(request).participantId;
      }
      const view = await listings().create(caller, {
        ...auctionFieldsOf(b),
        sellerId,
        mode: b.mode,
        bidIncrement: b.bidIncrement ?? null,
        terms: termsOf(b),
      });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/listings',
    signedIn(anyone, { description: 'The listing board, newest first.', querystring: ListQuery, response: { 200: Type.Array(ListingSchema), ...errorResponses } }),
    async (request) => listings().list(callerOf(request).viewer, { status: request.query.status, symbol: request.query.symbol ?? null, limit: request.query.limit }),
  );

  app.get('/listings/:id', signedIn(anyone, { params: IdParam, response: { 200: ListingSchema, ...errorResponses } }), async (request) => listings().view(request.params.id, callerOf(request).viewer));

  app.get(
    '/listings/:id/bids',
    signedIn(anyone, {
      description: 'Bids, oldest first. Bidders appear by number (竞买号); sealed bids stay hidden until the close; the regulator and operator see names.',
      params: IdParam,
      response: { 200: Type.Array(ListingBidSchema), ...errorResponses },
    }),
    async (request) => listings().bids(request.params.id, callerOf(request).viewer),
  );

  app.get(
    '/listings/:id/registrations',
    signedIn(anyone, { description: 'Registered bidders (regulator, operator); a participant sees its own registration only.', params: IdParam, response: { 200: Type.Array(RegistrationSchema), ...errorResponses } }),
    async (request) => listings().registrations(request.params.id, callerOf(request).viewer),
  );

  app.post(
    '/listings/:id/registrations',
    signedIn(requireRole('participant'), {
      description: 'Register to bid; locks the margin (保证金) from your available cash.',
      params: IdParam,
      body: RegisterBody,
      response: { 201: RegistrationSchema, ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await listings().register(callerOf(request), request.params.id, request.body.quantity ?? null)),
  );

  app.post(
    '/listings/:id/bids',
    signedIn(requireRole('participant'), {
      description:
        'Bid. Open mode: at least the best bid plus the increment; the bid’s full cost beyond the margin is locked while it leads, and a bid near the end extends the close. Sealed mode: one standing bid per bidder, replaced by the next.',
      params: IdParam,
      body: BidBody,
      response: { 201: Type.Object({ bid: ListingBidSchema, listing: ListingSchema }), ...errorResponses },
    }),
    async (request, reply) => reply.status(201).send(await listings().bid(callerOf(request), request.params.id, request.body.price, request.body.quantity ?? null)),
  );

  app.post(
    '/listings/:id/cancel',
    signedIn(requireRole('participant', 'operator'), {
      description: 'Withdraw a listing (operator; the seller only before registration opens). Every reservation is released.',
      params: IdParam,
      body: ReasonBody,
      response: { 200: ListingSchema, ...errorResponses },
    }),
    async (request) => listings().cancel(callerOf(request), request.params.id, request.body.reason),
  );

  app.put(
    '/admin/instruments/:symbol/guidance-price',
    instrumentSettingRoute('listings', 'Set the guidance price (指导价): no listing may start below it.', GuidanceBody, Type.Object({ symbol: Type.String(), guidancePrice: Type.String() })),
    async (request) => listings().setGuidancePrice(actorOf(request), request.params.symbol, request.body.guidancePrice),
  );

  app.put(
    '/admin/instruments/:symbol/listing-minimums',
    instrumentSettingRoute(
      'listings',
      'Set the least registration and bidding windows of a new listing, in Chinese working days (State Council calendar). Listings already made keep their windows.',
      ListingMinimumsSchema,
      Type.Object({ symbol: Type.String(), ...ListingMinimumsSchema.properties }),
    ),
    async (request) => {
      const { symbol } = request.params;
      if (!app.platform.instruments.spec(symbol)) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
      const set = await setListingMinimums(app.platform.knex, actorOf(request), symbol, request.body, app.platform.clock.now());
      return { symbol, ...set };
    },
  );

  app.post(
    '/regulator/listings/:id/break-glass',
    signedIn(requireRole('regulator'), {
      tags: ['regulator', 'listings'],
      description:
        'Break glass: see a sealed listing’s bids and bidders before the close. Each use is recorded with its reason in the audit chain and listed to the operator; the answer is the sealed book at that moment.',
      params: IdParam,
      body: BreakGlassBody,
      response: {
        201: Type.Object({ breakGlass: BreakGlassRecord, listing: ListingSchema, bids: Type.Array(ListingBidSchema), registrations: Type.Array(RegistrationSchema) }),
        ...errorResponses,
      },
    }),
    async (request, reply) => {
      const seen = await listings().breakGlass(callerOf(request), request.params.id, request.body.reason.trim());
      const r = seen.record;
      return reply.status(201).send({
        breakGlass: { id: r.id, listingId: r.listing_id, regulator: r.username, reason: r.reason, at: r.created_at.toISOString() },
        listing: seen.listing,
        bids: seen.bids,
        registrations: seen.registrations,
      });
    },
  );

  app.get(
    '/admin/break-glass',
    signedIn(requireRole('operator'), {
      tags: ['admin', 'listings'],
      description: 'Every time a regulator broke the glass of a sealed listing, newest first.',
      querystring: BreakGlassQuery,
      response: { 200: Type.Array(BreakGlassEntry), ...errorResponses },
    }),
    async (request) =>
      (await listings().breakGlassLog(request.query.limit)).map((r) => ({
        id: r.id,
        listingId: r.listing_id,
        regulator: r.username,
        reason: r.reason,
        at: r.created_at.toISOString(),
        symbol: r.symbol,
        title: r.title,
        listingStatus: r.status,
        stillSealed: sealedNow(r.mode, r.status as ListingStatus),
      })),
  );
}
