import type { FastifySchema, preHandlerAsyncHookHandler } from 'fastify';
import type { TSchema } from 'typebox';
import { requireRole } from '../auth/auth-plugin.ts';
import { bearer, errorResponses, SymbolParam } from '../shared/schemas.ts';

/**
 * Route options of a feature's signed-in routes: the role guard, and the schema documented under
 * the feature's tags as taking the bearer token. A schema that names its own tags keeps them.
 * The schema's type passes through unchanged, so the TypeBox provider still types the handler.
 */
export function signedInRoutes(tags: string[]) {
  return <S extends FastifySchema>(preHandler: preHandlerAsyncHookHandler, schema: S) => ({ preHandler, schema: { tags, security: bearer, ...schema } });
}

/**
 * Route options of an operator's per-instrument setting (PUT /admin/instruments/:symbol/…): each
 * feature keeps its own settings, and all of them are listed together under admin in OpenAPI.
 */
export function instrumentSettingRoute<B extends TSchema, R extends TSchema>(feature: string, description: string, body: B, reply: R) {
  return signedInRoutes(['admin', feature])(requireRole('operator'), { description, params: SymbolParam, body, response: { 200: reply, ...errorResponses } });
}
