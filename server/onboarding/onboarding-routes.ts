import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { forbidden } from '../errors.ts';
import { actorOf, participantOf, requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam } from '../shared/schemas.ts';
import { signedInRoutes } from '../http/route-options.ts';
import { OnboardingService } from './onboarding-service.ts';
import { ApplicationBody, ApplicationView, ListQuery, ListedUserView, NewUserBody, NoteBody, ParticipantDetail, ReasonBody, RoleBody, RoleInside, UserParams, UserView } from '../../contract/onboarding.ts';

/**
 * Participant onboarding: applications (entered and decided by the operator), participants'
 * users and their roles inside the participant, suspension and reinstatement.
 */
export async function onboardingRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const onboarding = () => app.platform.onboarding;
  const signedIn = signedInRoutes(['onboarding']);
  const operatorOnly = requireRole('operator');
  const staff = requireRole('operator', 'regulator');

  app.post(
    '/onboarding/applications',
    signedIn(operatorOnly, {
      description:
        'Record a legal person’s application to trade (the operator enters the documents it received). Approve or reject it next; until approved no one can sign in for it.',
      body: ApplicationBody,
      response: { 201: ApplicationView, ...errorResponses },
    }),
    async (request, reply) => {
      const b = request.body;
      const view = await onboarding().apply(actorOf(request), {
        legalName: b.legalName,
        creditCode: b.creditCode,
        kind: b.kind,
        region: b.region,
        prefecture: b.prefecture ?? null,
        contact: { name: b.contact.name, phone: b.contact.phone, email: b.contact.email ?? null },
        username: b.username,
        password: b.password,
      });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/onboarding/applications',
    signedIn(staff, { querystring: ListQuery, response: { 200: Type.Array(ApplicationView), ...errorResponses } }),
    async (request) => onboarding().applications(request.query.status ?? null, request.query.limit),
  );

  app.get(
    '/onboarding/applications/:id',
    signedIn(staff, { params: IdParam, response: { 200: ApplicationView, ...errorResponses } }),
    async (request) => onboarding().application(request.params.id),
  );

  app.post(
    '/onboarding/applications/:id/approve',
    signedIn(operatorOnly, {
      description: 'Admit the applicant: creates the participant, its cash account and its first user (participant admin).',
      params: IdParam,
      body: NoteBody,
      response: { 200: Type.Object({ application: ApplicationView, participant: ParticipantDetail, user: UserView }), ...errorResponses },
    }),
    async (request) => onboarding().approve(actorOf(request), request.params.id, request.body.note ?? null),
  );

  app.post(
    '/onboarding/applications/:id/reject',
    signedIn(operatorOnly, { description: 'Reject with a reason the applicant is told.', params: IdParam, body: ReasonBody, response: { 200: ApplicationView, ...errorResponses } }),
    async (request) => onboarding().reject(actorOf(request), request.params.id, request.body.reason),
  );

  app.get(
    '/onboarding/me',
    signedIn(requireRole('participant'), {
      description: 'The signed-in user’s role inside its participant (a viewer cannot act), and the participant.',
      response: { 200: Type.Object({ user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleInside }), participant: ParticipantDetail }), ...errorResponses },
    }),
    async (request) => {
      const user = userOf(request);
      return { user: { id: user.id, username: user.username, role: user.participantRole ?? 'admin' }, participant: await onboarding().participant(participantOf(request).participantId) };
    },
  );

  app.get(
    '/onboarding/participants/:id',
    signedIn(requireRole('participant', 'regulator', 'operator'), { params: IdParam, response: { 200: ParticipantDetail, ...errorResponses } }),
    async (request) => {
      const user = userOf(request);
      if (user.role === 'participant' && user.participantId !== request.params.id) throw forbidden('NOT_YOUR_PARTICIPANT', 'a participant sees only its own record');
      return onboarding().participant(request.params.id);
    },
  );

  app.get(
    '/onboarding/participants/:id/users',
    signedIn(requireRole('participant', 'regulator', 'operator'), { params: IdParam, response: { 200: Type.Array(ListedUserView), ...errorResponses } }),
    async (request) => {
      const user = userOf(request);
      if (user.role === 'participant') OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
      return onboarding().users(request.params.id);
    },
  );

  app.post(
    '/onboarding/participants/:id/users',
    signedIn(requireRole('participant', 'operator'), { description: 'Add a user to a participant (its admin, or the operator).', params: IdParam, body: NewUserBody, response: { 201: UserView, ...errorResponses } }),
    async (request, reply) => {
      const user = userOf(request);
      OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
      return reply.status(201).send(await onboarding().addUser(actorOf(request), request.params.id, request.body));
    },
  );

  app.patch(
    '/onboarding/participants/:id/users/:userId',
    signedIn(requireRole('participant', 'operator'), { description: 'Change a user’s role inside the participant; the user’s sessions end (it signs in again with the new role).', params: UserParams, body: RoleBody, response: { 200: UserView, ...errorResponses } }),
    async (request) => {
      const user = userOf(request);
      OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
      const changed = await onboarding().setUserRole(actorOf(request), request.params.id, request.params.userId, request.body.role);
      await app.platform.authSessions.announce(request.params.userId);
      return changed;
    },
  );

  app.post(
    '/onboarding/participants/:id/suspend',
    signedIn(operatorOnly, {
      description: 'Suspend a participant: its open orders are cancelled, its reservations released, its listings withdrawn and block proposals ended; its users cannot sign in or act.',
      params: IdParam,
      body: ReasonBody,
      response: { 200: Type.Object({ ...ParticipantDetail.properties, cancelledOrderIds: Type.Array(Type.String()), releasedReservationIds: Type.Array(Type.String()) }), ...errorResponses },
    }),
    async (request) => onboarding().suspend(actorOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/onboarding/participants/:id/reinstate',
    signedIn(operatorOnly, { description: 'Lift a suspension.', params: IdParam, body: ReasonBody, response: { 200: ParticipantDetail, ...errorResponses } }),
    async (request) => onboarding().reinstate(actorOf(request), request.params.id, request.body.reason),
  );
}
