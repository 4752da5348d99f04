import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { forbidden } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam, bearer } from '../shared/schemas.ts';
import { OnboardingService } from './onboarding-service.ts';

const Id = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });
const RoleInside = Type.Union([Type.Literal('admin'), Type.Literal('trader'), Type.Literal('viewer')], {
  description: 'admin: manages the participant’s users and trades; trader: trades; viewer: reads only',
});
const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 200, description: 'at least 12 characters, not common, not containing the username' });

const ApplicationBody = Type.Object(
  {
    legalName: Type.String({ minLength: 2, maxLength: 100, description: 'registered legal name, e.g. 江西省赣江碳汇科技有限公司' }),
    creditCode: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码: 18 characters, check character validated (GB 32100-2015)' }),
    kind: Type.Union([Type.Literal('government'), Type.Literal('enterprise')]),
    region: Type.String({ minLength: 2, maxLength: 60, description: 'county or city, e.g. 上饶市婺源县' }),
    prefecture: Type.Optional(Type.String({ minLength: 2, maxLength: 30, description: '设区市; derived from region when omitted' })),
    contact: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 60 }),
        phone: Type.String({ minLength: 5, maxLength: 30, pattern: '^[0-9+() -]+$' }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    username: { ...Username, description: 'the first user, participant admin once approved' },
    password: Password,
  },
  { additionalProperties: false },
);
const ApplicationView = Type.Object({
  id: Type.String(),
  legalName: Type.String(),
  creditCode: Type.String(),
  kind: Type.String(),
  region: Type.String(),
  prefecture: Type.String(),
  contact: Type.Object({ name: Type.String(), phone: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
  username: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  participantId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const ParticipantDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  region: Type.String(),
  prefecture: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  contact: Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const UserView = Type.Object({ id: Type.String(), username: Type.String(), role: RoleInside, createdAt: Type.String() });
const ListedUserView = Type.Object({ ...UserView.properties, disabled: Type.Boolean(), mustChangePassword: Type.Boolean() });
const ListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  { additionalProperties: false },
);
const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
const NewUserBody = Type.Object({ username: Username, password: Password, role: RoleInside }, { additionalProperties: false });
const RoleBody = Type.Object({ role: RoleInside }, { additionalProperties: false });
const UserParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });

const actorOf = (request: FastifyRequest) => {
  const user = userOf(request);
  return { userId: user.id, username: user.username };
};

/**
 * Participant onboarding: applications (entered and decided by the operator), participants'
 * users and their roles inside the participant, suspension and reinstatement.
 */
export async function onboardingRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const onboarding = () => app.platform.onboarding;
  const tags = ['onboarding'];
  const operatorOnly = requireRole('operator');
  const staff = requireRole('operator', 'regulator');

  app.post(
    '/onboarding/applications',
    {
      preHandler: operatorOnly,
      schema: {
        tags,
        security: bearer,
        description:
          'Record a legal person’s application to trade (the operator enters the documents it received). Approve or reject it next; until approved no one can sign in for it.',
        body: ApplicationBody,
        response: { 201: ApplicationView, ...errorResponses },
      },
    },
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
    { preHandler: staff, schema: { tags, security: bearer, querystring: ListQuery, response: { 200: Type.Array(ApplicationView), ...errorResponses } } },
    async (request) => onboarding().applications(request.query.status ?? null, request.query.limit),
  );

  app.get(
    '/onboarding/applications/:id',
    { preHandler: staff, schema: { tags, security: bearer, params: IdParam, response: { 200: ApplicationView, ...errorResponses } } },
    async (request) => onboarding().application(request.params.id),
  );

  app.post(
    '/onboarding/applications/:id/approve',
    {
      preHandler: operatorOnly,
      schema: {
        tags,
        security: bearer,
        description: 'Admit the applicant: creates the participant, its cash account and its first user (participant admin).',
        params: IdParam,
        body: NoteBody,
        response: { 200: Type.Object({ application: ApplicationView, participant: ParticipantDetail, user: UserView }), ...errorResponses },
      },
    },
    async (request) => onboarding().approve(actorOf(request), request.params.id, request.body.note ?? null),
  );

  app.post(
    '/onboarding/applications/:id/reject',
    { preHandler: operatorOnly, schema: { tags, security: bearer, description: 'Reject with a reason the applicant is told.', params: IdParam, body: ReasonBody, response: { 200: ApplicationView, ...errorResponses } } },
    async (request) => onboarding().reject(actorOf(request), request.params.id, request.body.reason),
  );

  app.get(
    '/onboarding/me',
    {
      preHandler: requireRole('participant'),
      schema: {
        tags,
        security: bearer,
        description: 'The signed-in user’s role inside its participant (a viewer cannot act), and the participant.',
        response: { 200: Type.Object({ user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleInside }), participant: ParticipantDetail }), ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      return { user: { id: user.id, username: user.username, role: user.participantRole ?? 'admin' }, participant: await onboarding().participant(user.participantId!) };
    },
  );

  app.get(
    '/onboarding/participants/:id',
    { preHandler: requireRole('participant', 'regulator', 'operator'), schema: { tags, security: bearer, params: IdParam, response: { 200: ParticipantDetail, ...errorResponses } } },
    async (request) => {
      const user = userOf(request);
      if (user.role === 'participant' && user.participantId !== request.params.id) throw forbidden('NOT_YOUR_PARTICIPANT', 'a participant sees only its own record');
      return onboarding().participant(request.params.id);
    },
  );

  app.get(
    '/onboarding/participants/:id/users',
    { preHandler: requireRole('participant', 'regulator', 'operator'), schema: { tags, security: bearer, params: IdParam, response: { 200: Type.Array(ListedUserView), ...errorResponses } } },
    async (request) => {
      const user = userOf(request);
      if (user.role === 'participant') OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
      return onboarding().users(request.params.id);
    },
  );

  app.post(
    '/onboarding/participants/:id/users',
    {
      preHandler: requireRole('participant', 'operator'),
      schema: { tags, security: bearer, description: 'Add a user to a participant (its admin, or the operator).', params: IdParam, body: NewUserBody, response: { 201: UserView, ...errorResponses } },
    },
    async (request, reply) => {
      const user = userOf(request);
      OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
      return reply.status(201).send(await onboarding().addUser(actorOf(request), request.params.id, request.body));
    },
  );

  app.patch(
    '/onboarding/participants/:id/users/:userId',
    {
      preHandler: requireRole('participant', 'operator'),
      schema: { tags, security: bearer, description: 'Change a user’s role inside the participant; the user’s sessions end (it signs in again with the new role).', params: UserParams, body: RoleBody, response: { 200: UserView, ...errorResponses } },
    },
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
    {
      preHandler: operatorOnly,
      schema: {
        tags,
        security: bearer,
        description: 'Suspend a participant: its open orders are cancelled, its reservations released, its listings withdrawn and block proposals ended; its users cannot sign in or act.',
        params: IdParam,
        body: ReasonBody,
        response: { 200: Type.Object({ ...ParticipantDetail.properties, cancelledOrderIds: Type.Array(Type.String()), releasedReservationIds: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => onboarding().suspend(actorOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/onboarding/participants/:id/reinstate',
    { preHandler: operatorOnly, schema: { tags, security: bearer, description: 'Lift a suspension.', params: IdParam, body: ReasonBody, response: { 200: ParticipantDetail, ...errorResponses } } },
    async (request) => onboarding().reinstate(actorOf(request), request.params.id, request.body.reason),
  );
}
