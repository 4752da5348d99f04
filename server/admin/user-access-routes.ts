import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { forcePasswordReset, setUserDisabled, type UserScope } from '../auth/user-access.ts';
import { OnboardingService } from '../onboarding/onboarding-service.ts';
import { bearer, errorResponses, IdParam } from '../shared/schemas.ts';
import { ParticipantUserParams, ResetAnswer, AccountState } from '../../contract/staff-admin.ts';

// Disable, enable and force a password reset of one user: the operator for any user
// (/admin/users/:id/…), a participant's admin for its own participant's users
// (/onboarding/participants/:id/users/:userId/…). Each ends the user's sessions on every node.

type Action = 'disable' | 'enable' | 'password-reset';
const ACTIONS: Array<{ action: Action; what: string }> = [
  { action: 'disable', what: 'Disable the user: its sessions end at once and it cannot sign in (audited).' },
  { action: 'enable', what: 'Enable a disabled user again (audited).' },
  { action: 'password-reset', what: 'Replace the password with a temporary one the user must change at the next sign-in; its sessions end (audited).' },
];

export async function userAccessRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, authSessions } = app.platform;

  const perform = async (request: FastifyRequest, action: Action, userId: string, scope: UserScope) => {
    const actor = userOf(request);
    const result =
      action === 'password-reset' ? await forcePasswordReset(knex, actor, userId, scope) : await setUserDisabled(knex, actor, userId, action === 'disable', scope);
    await authSessions.announce(userId);
    return result;
  };

  for (const { action, what } of ACTIONS) {
    const response = { 200: action === 'password-reset' ? ResetAnswer : AccountState, ...errorResponses };

    app.post(
      `/admin/users/:id/${action}`,
      { preHandler: requireRole('operator'), schema: { tags: ['admin'], security: bearer, description: what, params: IdParam, response } },
      async (request) => perform(request, action, request.params.id, 'all'),
    );

    app.post(
      `/onboarding/participants/:id/users/:userId/${action}`,
      {
        preHandler: requireRole('participant', 'operator'),
        schema: { tags: ['onboarding'], security: bearer, description: `${what} For the participant’s admin or the operator.`, params: ParticipantUserParams, response },
      },
      async (request) => {
        const user = userOf(request);
        OnboardingService.ensureManager(user.role, user.participantRole, user.participantId, request.params.id);
        return perform(request, action, request.params.userId, { participantId: request.params.id });
      },
    );
  }
}
