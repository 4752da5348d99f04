import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { DecimalString, errorResponses, bearer } from '../shared/schemas.ts';
import { dec, money } from '../shared/decimal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { moveAvailable, participantAccountForUpdate, systemAccountId } from '../ledger/journal.ts';
import { CASH } from '../engine/batch.ts';
import { LotSchema, lotViews, type LotRow } from '../account/account-routes.ts';
import { createParticipant, prefectureOf } from './participants.ts';
import { giveLots, recordMovements } from '../registry/lot-holdings.ts';

const ParticipantBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    kind: Type.Union([Type.Literal('government'), Type.Literal('enterprise')]),
    region: Type.String({ minLength: 2, maxLength: 60, description: 'county or city, e.g. 上饶市婺源县' }),
    prefecture: Type.Optional(Type.String({ minLength: 2, maxLength: 30, description: '设区市; derived from region when omitted' })),
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    password: Type.String({ minLength: 1, maxLength: 200, description: 'at least 12 characters, not common, not containing the username' }),
  },
  { additionalProperties: false },
);
const ParticipantView = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String(), prefecture: Type.String(), status: Type.String() });

const DepositBody = Type.Object(
  {
    participantId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
    amount: DecimalString('CNY amount credited, e.g. "5000000.00"'),
    reference: Type.String({ minLength: 1, maxLength: 100, description: 'bank transfer reference; unique per deposit' }),
  },
  { additionalProperties: false },
);

const LotBody = Type.Object(
  {
    participantId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
    indicatorType: Type.Union([Type.Literal('farmland'), Type.Literal('land_linkage'), Type.Literal('wetland'), Type.Literal('carbon_sink')]),
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: DecimalString('verified quantity in the instrument unit'),
    region: Type.String({ minLength: 2, maxLength: 60 }),
    sourceProject: Type.String({ minLength: 2, maxLength: 200 }),
    verificationRef: Type.String({ minLength: 2, maxLength: 100, description: '验收文号 / 备案号' }),
    vintage: Type.Integer({ minimum: 1990, maximum: 2100 }),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), { maxProperties: 20 })),
  },
  { additionalProperties: false },
);
const LotsQuery = Type.Object({ participantId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })) }, { additionalProperties: false });

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { knex, engine, bus } = app.platform;
  const operatorOnly = requireRole('operator');

  app.post<{ Body: Static<typeof ParticipantBody> }>(
    '/admin/participants',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Admit a participant (a government body or an enterprise) with its first user.',
        body: ParticipantBody,
        response: { 201: Type.Object({ participant: ParticipantView, user: Type.Object({ id: Type.String(), username: Type.String() }) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const b = request.body;
      const created = await knex.transaction(async (trx) => {
        const result = await createParticipant(trx, { ...b, prefecture: b.prefecture ?? prefectureOf(b.region) });
        await appendAudit(trx, [
          {
            actorUserId: actor.id,
            actor: actor.username,
            action: 'participant.admit',
            subject: `participant:${result.participant.id}`,
            payload: { name: b.name, kind: b.kind, region: b.region, username: b.username },
          },
        ]);
        return result;
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/admin/participants',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['admin'], security: bearer, response: { 200: Type.Array(ParticipantView), ...errorResponses } } },
    async () => knex('participants').whereNot({ kind: 'platform' }).orderBy('id').select('id', 'name', 'kind', 'region', 'prefecture', 'status'),
  );

  app.post<{ Body: Static<typeof DepositBody> }>(
    '/admin/deposits',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Confirm a deposit received at the settlement bank: credits the participant’s available cash.',
        body: DepositBody,
        response: { 201: Type.Object({ transferId: Type.String(), participantId: Type.String(), amount: Type.String(), available: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const { participantId, reference } = request.body;
      const amount = dec(request.body.amount);
      if (amount.lte(0) || !amount.mul(100).isInteger()) throw unprocessable('INVALID_AMOUNT', 'a deposit is a positive amount in whole fen');
      const result = await knex.transaction(async (trx) => {
        const participant = await trx('participants').where({ id: participantId }).first<{ kind: string } | undefined>('kind');
        if (!participant || participant.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${participantId}`);
        const duplicate = await trx('journal_transfers').where({ kind: 'deposit', reference: `deposit:${reference}` }).first('id');
        if (duplicate) throw conflict('DUPLICATE_DEPOSIT', `deposit ${reference} was already confirmed`);
        const bank = await systemAccountId(trx, 'bank', CASH);
        const account = await participantAccountForUpdate(trx, participantId, CASH);
        const transferId = await moveAvailable(trx, { kind: 'deposit', reference: `deposit:${reference}` }, [
          { accountId: bank, asset: CASH, amount: amount.neg() },
          { accountId: account, asset: CASH, amount },
        ]);
        const updated = await trx('accounts').where({ id: account }).first<{ available: string }>('available');
        await appendAudit(trx, [
          { actorUserId: actor.id, actor: actor.username, action: 'cash.deposit', subject: `participant:${participantId}`, payload: { amount: money(amount), reference, transferId } },
        ]);
        return { transferId, participantId, amount: money(amount), available: money(updated!.available) };
      });
      bus.emit('balance', participantId);
      return reply.status(201).send(result);
    },
  );

  app.post<{ Body: Static<typeof LotBody> }>(
    '/admin/lots',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Register a verified indicator lot on a holder’s behalf; credits its available holdings.',
        body: LotBody,
        response: { 201: LotSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const b = request.body;
      const spec = engine.spec(b.symbol);
      if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${b.symbol}`);
      if (spec.row.indicator_type !== b.indicatorType) throw unprocessable('INDICATOR_MISMATCH', `${b.symbol} is a ${spec.row.indicator_type} instrument, not ${b.indicatorType}`);
      const quantity = dec(b.quantity);
      if (quantity.lte(0) || !quantity.div(spec.lot).isInteger()) {
        throw unprocessable('QUANTITY_NOT_ON_LOT', `quantity ${b.quantity} is not a positive multiple of the lot size ${spec.row.lot_size} ${spec.row.unit}`);
      }
      const lot = await knex.transaction(async (trx) => {
        const holder = await trx('participants').where({ id: b.participantId }).first<{ kind: string } | undefined>('kind');
        if (!holder || holder.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${b.participantId}`);
        if (spec.row.seller_kinds === 'government' && holder.kind !== 'government') {
          throw forbidden('HOLDER_NOT_ELIGIBLE', `${spec.row.name_zh} lots are issued to government bodies only`);
        }
        const duplicate = await trx('lots').where({ symbol: b.symbol, verification_ref: b.verificationRef }).first('id');
        if (duplicate) throw conflict('DUPLICATE_LOT', `a lot with verification reference ${b.verificationRef} is already registered`);
        const issuance = await systemAccountId(trx, 'issuance', b.symbol);
        const account = await participantAccountForUpdate(trx, b.participantId, b.symbol);
        const transferId = await moveAvailable(trx, { kind: 'lot_registration', reference: `lot:${b.verificationRef}` }, [
          { accountId: issuance, asset: b.symbol, amount: quantity.neg() },
          { accountId: account, asset: b.symbol, amount: quantity },
        ]);
        const [row] = await trx('lots')
          .insert({
            participant_id: b.participantId,
            symbol: b.symbol,
            quantity: quantity.toString(),
            region: b.region,
            source_project: b.sourceProject,
            verification_ref: b.verificationRef,
            vintage: b.vintage,
            attributes: JSON.stringify(b.attributes ?? {}),
            transfer_id: transferId,
          })
          .returning<LotRow[]>('*');
        const piece = [{ lotId: row!.id, quantity }];
        await giveLots(trx, b.participantId, b.symbol, piece);
        await recordMovements(trx, piece, { kind: 'issue', fromParticipantId: null, toParticipantId: b.participantId });
        await appendAudit(trx, [
          {
            actorUserId: actor.id,
            actor: actor.username,
            action: 'lot.register',
            subject: `lot:${row!.id}`,
            payload: { participantId: b.participantId, symbol: b.symbol, quantity: b.quantity, verificationRef: b.verificationRef, sourceProject: b.sourceProject },
          },
        ]);
        return row!;
      });
      bus.emit('balance', b.participantId);
      return reply.status(201).send(lotViews(app, [lot])[0]);
    },
  );

  app.get<{ Querystring: Static<typeof LotsQuery> }>(
    '/admin/lots',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['admin'], security: bearer, querystring: LotsQuery, response: { 200: Type.Array(LotSchema), ...errorResponses } } },
    async (request) => {
      const q = knex('lots').orderBy('id');
      if (request.query.participantId) q.where({ participant_id: request.query.participantId });
      return lotViews(app, await q.select<LotRow[]>('*'));
    },
  );
}
