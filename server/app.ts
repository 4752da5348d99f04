import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from './errors.ts';
import type { Platform } from './platform.ts';
import { authPlugin } from './auth/auth-plugin.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { instrumentRoutes } from './instruments/instrument-routes.ts';
import { orderRoutes } from './orders/order-routes.ts';
import { accountRoutes } from './account/account-routes.ts';
import { settlementRoutes } from './settlement/settlement-routes.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import { regulatorRoutes } from './regulator/regulator-routes.ts';
import { surveillanceRoutes } from './surveillance/surveillance-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { registryRoutes } from './registry/registry-routes.ts';
import { lotControlRoutes } from './lot-controls/lot-control-routes.ts';
import { deadLetterRoutes } from './settlement/dead-letter-routes.ts';
import { listingRoutes } from './listings/listing-routes.ts';
import { demandListingRoutes } from './demand-listings/demand-routes.ts';
import { listingRuleRoutes } from './listings/listing-rule-routes.ts';
import { blockRoutes } from './blocks/block-routes.ts';
import { sessionRoutes } from './sessions/session-routes.ts';
import { onboardingRoutes } from './onboarding/onboarding-routes.ts';
import { setupRoutes } from './setup/setup-routes.ts';
import { staffRoutes } from './admin/staff-routes.ts';
import { depositCapRoutes } from './admin/deposit-cap-routes.ts';
import { depositHistoryRoutes } from './admin/deposit-history-routes.ts';
import { simulationRoutes } from './admin/simulation-routes.ts';
import { userAccessRoutes } from './admin/user-access-routes.ts';
import { securityHeaders } from './shared/security-headers.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { publicRoutes } from './public/public-routes.ts';
import { lotSubmissionRoutes } from './lot-submissions/lot-submission-routes.ts';
import { divisionRoutes } from './divisions/division-routes.ts';
import { uniqueKeyRefusal } from './shared/unique-violation.ts';
import { findHiddenCharacter, hiddenCharacterMessage } from './shared/hidden-characters.ts';

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
  }
}

const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

// Bodies are validated strictly: a price sent as a JSON number is refused, never coerced into a
// string, and unknown fields are errors. Query strings and path params arrive as text, so those
// are coerced to the declared types.
const ajvBase = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false } as const;
const bodyAjv = addFormats.default(new Ajv({ ...ajvBase, coerceTypes: false }));
const paramAjv = addFormats.default(new Ajv({ ...ajvBase, coerceTypes: 'array' }));

function validationCode(error: FastifyError): { code: string; message: string } {
  const first = error.validation?.[0];
  const field = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || (first?.params as { missingProperty?: string })?.missingProperty || '';
  if (first?.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperty?: string }).additionalProperty;
    return { code: 'UNKNOWN_FIELD', message: `unknown field "${extra}"${field ? ` in ${field}` : ''}` };
  }
  if (first?.keyword === 'pattern' && /price|quantity|amount/i.test(field)) {
    return { code: 'INVALID_DECIMAL', message: `${field} must be a decimal string such as "368500.00"` };
  }
  if (first?.keyword === 'type' && /price|quantity|amount/i.test(field)) {
    return { code: 'INVALID_DECIMAL', message: `${field} must be a decimal string such as "368500.00", not a number` };
  }
  return { code: 'VALIDATION_FAILED', message: `${error.validationContext ?? 'request'}${field ? `.${field}` : ''} ${first?.message ?? 'is invalid'}` };
}

export async function buildApp(platform: Platform, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? {} : { logger: { level: platform.config.LOG_LEVEL } }),
    bodyLimit: 64 * 1024,
    trustProxy: trustedProxies(platform.config.TRUST_PROXY),
    ajv: { customOptions: ajvBase },
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));
  // PostgreSQL text cannot hold U+0000, and bidi controls, zero-width and control characters
  // would make stored text read differently on a certificate: refuse them all at the door.
  app.addHook('preValidation', async (request) => {
    const hidden = findHiddenCharacter(request.body) ?? findHiddenCharacter(request.query) ?? findHiddenCharacter(request.params);
    if (hidden) throw new AppError(400, 'INVALID_TEXT', hiddenCharacterMessage(hidden));
  });
  app.decorate('platform', platform);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const refusal = error instanceof AppError ? error : uniqueKeyRefusal(error);
    if (refusal) {
      const params = refusal.params ? { params: refusal.params } : {};
      return reply.status(refusal.statusCode).send({ statusCode: refusal.statusCode, code: refusal.code, message: refusal.message, ...params });
    }
    if (error.validation) {
      const { code, message } = validationCode(error);
      return reply.status(400).send({ statusCode: 400, code, message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database connection lost');
      return reply.status(503).send({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: 'the database connection was lost; nothing was changed, retry shortly' });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'internal error; nothing was acknowledged' });
    }
    const code = status === 429 ? 'RATE_LIMITED' : error.code?.startsWith('FST_') ? mapFastifyCode(error.code) : error.code ?? 'BAD_REQUEST';
    return reply.status(status).send({ statusCode: status, code, message: error.message });
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !fs.existsSync(path.join(clientDist, 'index.html'))) {
      return reply.status(404).send({ statusCode: 404, code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    }
    return reply.sendFile('index.html');
  });

  await app.register(securityHeaders);
  // Limits are counted in Redis, so every node shares them; if Redis is away a limit is skipped
  // rather than every request refused.
  await app.register(rateLimit, { global: false, redis: platform.redis, nameSpace: `${platform.config.REDIS_PREFIX}:rate-limit:`, skipOnError: true });
  await app.register(swagger, {
    openapi: {
      info: { title: 'EcoRights Exchange API — 生态权益指标交易平台', version: '0.1.0', description: 'Amounts and prices are decimal strings.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // Swagger UI sets inline styles; that page alone (no user data of its own) may. A hash in the
  // directive would make browsers ignore 'unsafe-inline', so the directive is replaced whole.
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: (csp) => csp.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'") });
  await app.register(cookie);
  await app.register(authPlugin);

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(instrumentRoutes, { prefix: '/api' });
  await app.register(orderRoutes, { prefix: '/api' });
  await app.register(accountRoutes, { prefix: '/api' });
  await app.register(settlementRoutes, { prefix: '/api' });
  await app.register(adminRoutes, { prefix: '/api' });
  await app.register(regulatorRoutes, { prefix: '/api' });
  await app.register(surveillanceRoutes, { prefix: '/api' });
  await app.register(registryRoutes, { prefix: '/api' });
  await app.register(lotControlRoutes, { prefix: '/api' });
  await app.register(deadLetterRoutes, { prefix: '/api' });
  await app.register(listingRoutes, { prefix: '/api' });
  await app.register(demandListingRoutes, { prefix: '/api' });
  await app.register(listingRuleRoutes, { prefix: '/api' });
  await app.register(blockRoutes, { prefix: '/api' });
  await app.register(sessionRoutes, { prefix: '/api' });
  await app.register(onboardingRoutes, { prefix: '/api' });
  await app.register(setupRoutes, { prefix: '/api' });
  await app.register(staffRoutes, { prefix: '/api' });
  await app.register(depositCapRoutes, { prefix: '/api' });
  await app.register(depositHistoryRoutes, { prefix: '/api' });
  await app.register(simulationRoutes, { prefix: '/api' });
  await app.register(userAccessRoutes, { prefix: '/api' });
  await app.register(publicRoutes, { prefix: '/api' });
  await app.register(reportRoutes, { prefix: '/api' });
  await app.register(lotSubmissionRoutes, { prefix: '/api' });
  await app.register(divisionRoutes, { prefix: '/api' });

  if (fs.existsSync(clientDist)) {
    await app.register(fastifyStatic, { root: clientDist, prefix: '/', wildcard: false });
  }
  return app;
}

/** TRUST_PROXY as Fastify's trustProxy: '' none, digits a hop count, else a list of addresses. */
function trustedProxies(setting: string): boolean | string | ((address: string, hop: number) => boolean) {
  const value = setting.trim();
  if (value === '') return false;
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}

/** A lost or refused PostgreSQL connection: retryable, so 503 rather than 500. */
function isDatabaseUnavailable(error: { code?: unknown; message?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  return /^08|^57P0[123]$/.test(code) || /Connection terminated|Connection ended unexpectedly|ECONNREFUSED|ECONNRESET/i.test(message);
}



function mapFastifyCode(code: string): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_JSON';
    default:
      return 'BAD_REQUEST';
  }
}
