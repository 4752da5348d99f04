import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { badRequest, unprocessable } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam, bearer } from '../shared/schemas.ts';
import { acknowledgeAlertAudited, alertRecord, alertView, listAlerts, participantNamesOf } from './alert-store.ts';
import { listRelatedPairs, orderedPair, relateParticipants, unrelateParticipants } from './related-participants.ts';
import { tradingStatistics } from './trading-statistics.ts';
import { tradingDay } from './sessions.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from './config.ts';
import { AcknowledgeBody, Alert, AlertsQuery, HistoryQuery, RelatedBody, RelatedPair, RelatedPairRemoved, RelatedParams, TradingHistory } from '../../contract/surveillance.ts';

const DAY_MS = 24 * 3600_000;
const MAX_RANGE_DAYS = 366;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export async function surveillanceRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, bus } = app.platform;
  const regulatorOnly = requireRole('regulator');
  const operatorOnly = requireRole('operator');

  app.get(
    '/regulator/alerts',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Surveillance alerts, newest first. Live ones also arrive as `alert` on the /regulator socket namespace.',
        querystring: AlertsQuery,
        response: { 200: Type.Array(Alert), ...errorResponses },
      },
    },
    async (request) => listAlerts(knex, request.query),
  );

  app.post(
    '/regulator/alerts/:id/acknowledge',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Acknowledge an alert with a note; an alert is acknowledged once (409 after that).',
        params: IdParam,
        body: AcknowledgeBody,
        response: { 200: Alert, ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      const { id } = request.params;
      const at = new Date();
      const row = await acknowledgeAlertAudited(knex, id, user, request.body.note, at);
      const names = await participantNamesOf(knex, [row]);
      bus.emit('alert', alertView(row, names));
      return alertRecord({ ...row, acknowledged_by_username: user.username }, names);
    },
  );

  app.get(
    '/admin/related-participants',
    {
      preHandler: requireRole('operator', 'regulator'),
      schema: { tags: ['admin'], security: bearer, description: 'Pairs of participants marked as related.', response: { 200: Type.Array(RelatedPair), ...errorResponses } },
    },
    async () => {
      const rows = await listRelatedPairs(knex);
      return rows.map((r) => ({
        participantA: r.participant_a,
        participantB: r.participant_b,
        nameA: r.name_a,
        nameB: r.name_b,
        reason: r.reason,
        createdBy: r.username,
        createdAt: r.created_at.toISOString(),
      }));
    },
  );

  app.post(
    '/admin/related-participants',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Mark two participants as related: their trades with each other are then flagged as wash trades.',
        body: RelatedBody,
        response: { 201: RelatedPair, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { participantA, participantB, reason } = request.body;
      if (participantA === participantB) throw unprocessable('SAME_PARTICIPANT', 'a participant cannot be related to itself');
      const pair = orderedPair(participantA, participantB);
      const created = await relateParticipants(knex, pair, reason, user);
      await app.platform.surveillance?.reloadRelatedPairs();
      return reply.status(201).send({
        participantA: created.row.participant_a,
        participantB: created.row.participant_b,
        nameA: created.nameA,
        nameB: created.nameB,
        reason: created.row.reason,
        createdBy: user.username,
        createdAt: created.row.created_at.toISOString(),
      });
    },
  );

  app.delete(
    '/admin/related-participants/:participantA/:participantB',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Remove a related-participants mark (either order of the two ids).',
        params: RelatedParams,
        response: { 200: RelatedPairRemoved, ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      const pair = orderedPair(request.params.participantA, request.params.participantB);
      await unrelateParticipants(knex, pair, user);
      await app.platform.surveillance?.reloadRelatedPairs();
      return { participantA: pair.participant_a, participantB: pair.participant_b, removed: true };
    },
  );

  app.get(
    '/regulator/stats/history',
    {
      preHandler: regulatorOnly,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Volume and value by indicator type, by prefecture (seller and buyer side), by Beijing day, and the top participants by value, over a range of days.',
        querystring: HistoryQuery,
        response: { 200: TradingHistory, ...errorResponses },
      },
    },
    async (request) => {
      const to = request.query.to ?? tradingDay(new Date(), DEFAULT_SURVEILLANCE_CONFIG.sessions);
      const from = request.query.from ?? addDays(to, -29);
      if (from > to) throw badRequest('INVALID_RANGE', `from (${from}) is after to (${to})`);
      const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
      if (days > MAX_RANGE_DAYS) throw badRequest('RANGE_TOO_LONG', `a range covers at most ${MAX_RANGE_DAYS} days; this one covers ${days}`);
      return tradingStatistics(knex, { from, to, top: request.query.top });
    },
  );
}
