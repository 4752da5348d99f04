import { Type } from 'typebox';
import { ErrorBody } from '../../contract/common.ts';

// The shapes themselves live in contract/ (the client compiles against them); what stays here is
// how the server declares them in its routes.
export { DecimalString, ErrorBody, IdParam, SymbolParam } from '../../contract/common.ts';

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  503: ErrorBody,
};

export const bearer = [{ bearer: [] as string[] }];

/**
 * A response that is a file's bytes (PDF, XLSX, CSV). Fastify sends a Buffer as it is, so the
 * schema only documents it in OpenAPI and lets the typed handler return the buffer.
 */
export const fileResponse = (description: string) => Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description });
