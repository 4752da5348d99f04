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
