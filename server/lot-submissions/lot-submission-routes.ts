import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Ajv } from 'ajv';
import { Type, type TSchema } from 'typebox';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { forbidden, notFound } from '../errors.ts';
import { errorResponses, fileResponse, IdParam, bearer } from '../shared/schemas.ts';
import {
  DocumentParams,
  LotResubmissionUpload,
  LotSubmission,
  LotSubmissionQuery,
  LotSubmissionUpload,
  MAX_DOCUMENT_BYTES,
  ReviewBody,
} from '../../contract/lot-submissions.ts';
import { readLotUpload } from './lot-document-intake.ts';
import type { Seller } from './lot-submission-service.ts';

const tags = ['lot-submissions'];
const responses = { ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] };

// A multipart body is read by the handler, part by part, so the route's body schema documents
// the form (OpenAPI) while the handler applies it to the text fields (lot-submission-rules).
const paramAjv = new Ajv({ coerceTypes: 'array', strict: false });
const multipartValidation = ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? () => true : paramAjv.compile(schema));
// The same schema, but typed as what the handler gets: the multipart parser leaves request.body unset.
const formDocument = (schema: TSchema) => Type.Unsafe<undefined>(schema);

function sellerOf(request: FastifyRequest): Seller {
  const user = userOf(request);
  if (!user.participantId || !user.participantKind) throw forbidden('FORBIDDEN_ROLE', 'lots are submitted by participants');
  return { id: user.id, username: user.username, participantId: user.participantId, participantKind: user.participantKind };
}

/**
 * Lot submission with documents and four-eyes review (指标入库审核). Sellers submit, correct and
 * withdraw; one operator reviews; another approves, which credits the holdings.
 */
export async function lotSubmissionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // Capped in the parser: a file over 20 MB stops being read, it is never buffered whole.
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 3, fields: 20, fieldSize: 8 * 1024, parts: 30 } });
  const service = () => app.platform.lotSubmissions;
  const seller = requireRole('participant');
  const operator = requireRole('operator');

  app.post(
    '/lot-submissions',
    {
      preHandler: seller,
      validatorCompiler: multipartValidation,
      schema: {
        tags,
        security: bearer,
        description: 'Submit a lot for review (government sellers, admin or trader): the form and its three documents in one multipart/form-data request. Nothing is stored unless all of it is valid.',
        consumes: ['multipart/form-data'],
        body: formDocument(LotSubmissionUpload),
        response: { 201: LotSubmission, ...responses },
      },
    },
    async (request, reply) => {
      const caller = sellerOf(request);
      const upload = await readLotUpload(request);
      return reply.status(201).send(await service().submit(caller, upload));
    },
  );

  app.post(
    '/lot-submissions/:id/resubmit',
    {
      preHandler: seller,
      validatorCompiler: multipartValidation,
      schema: {
        tags,
        security: bearer,
        description: 'Correct a rejected submission and send it back for review: all fields again, and a file for each document being replaced.',
        consumes: ['multipart/form-data'],
        params: IdParam,
        body: formDocument(LotResubmissionUpload),
        response: { 200: LotSubmission, ...responses },
      },
    },
    async (request) => {
      const caller = sellerOf(request);
      const upload = await readLotUpload(request);
      return service().resubmit(caller, request.params.id, upload);
    },
  );

  app.post(
    '/lot-submissions/:id/withdraw',
    { preHandler: seller, schema: { tags, security: bearer, description: 'Withdraw a submission not yet approved; frees its filing number and plots.', params: IdParam, response: { 200: LotSubmission, ...responses } } },
    async (request) => service().withdraw(sellerOf(request), request.params.id),
  );

  app.post(
    '/lot-submissions/:id/review',
    {
      preHandler: operator,
      schema: { tags, security: bearer, description: 'First pair of eyes: accept the documents, or reject with a reason the seller sees.', params: IdParam, body: ReviewBody, response: { 200: LotSubmission, ...responses } },
    },
    async (request) => service().review(userOf(request), request.params.id, request.body),
  );

  app.post(
    '/lot-submissions/:id/approve',
    {
      preHandler: operator,
      schema: { tags, security: bearer, description: 'Second pair of eyes: an operator other than the reviewer approves; the lot is registered and the holdings credited.', params: IdParam, response: { 200: LotSubmission, ...responses } },
    },
    async (request) => service().approve(userOf(request), request.params.id),
  );

  app.get(
    '/lot-submissions',
    {
      preHandler: requireRole('participant', 'operator', 'regulator'),
      schema: { tags, security: bearer, description: 'Submissions: a participant sees its own; operators and regulators all. queue=approval leaves out what the caller reviewed.', querystring: LotSubmissionQuery, response: { 200: Type.Array(LotSubmission), ...errorResponses } },
    },
    async (request) => {
      const user = userOf(request);
      return service().list({ ...request.query, participantId: user.role === 'participant' ? user.participantId! : undefined, viewerUserId: user.id });
    },
  );

  app.get(
    '/lot-submissions/:id',
    { preHandler: requireRole('participant', 'operator', 'regulator'), schema: { tags, security: bearer, params: IdParam, response: { 200: LotSubmission, ...errorResponses } } },
    async (request) => {
      const user = userOf(request);
      const submission = await service().get(request.params.id);
      if (user.role === 'participant' && submission.participantId !== user.participantId) throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${request.params.id}`);
      return submission;
    },
  );

  app.get(
    '/lot-submissions/:id/documents/:documentId',
    {
      preHandler: requireRole('participant', 'operator', 'regulator'),
      schema: {
        tags,
        security: bearer,
        description: 'The stored bytes of a document, with the type detected at upload; for the submitting participant, operators and regulators.',
        params: DocumentParams,
        response: { 200: fileResponse('the document’s bytes as uploaded'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const doc = await service().document({ role: user.role, participantId: user.participantId }, request.params.id, request.params.documentId);
      // Shown inside the review screen (an <iframe> of our own origin), so this answer alone may be
      // framed by 'self'; it runs nothing of its own.
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'");
      reply.header('x-frame-options', 'SAMEORIGIN');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-disposition', `inline; filename="document"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`);
      reply.header('cache-control', 'private, no-store');
      return reply.type(doc.contentType).send(doc.bytes);
    },
  );
}
