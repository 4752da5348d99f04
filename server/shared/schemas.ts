import { Type } from 'typebox';
import { DECIMAL_PATTERN } from './decimal.ts';

export const DecimalString = (description: string) => Type.String({ pattern: DECIMAL_PATTERN, description });

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'stable machine-readable reason, e.g. PRICE_OUT_OF_BAND' }),
  message: Type.String({ description: 'English, for API users; the client renders the code (and params) in its own language' }),
  params: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'figures the refusal names (amounts, limits, reasons), as strings' })),
});

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  503: ErrorBody,
};

export const IdParam = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });
export const SymbolParam = Type.Object({ symbol: Type.String({ pattern: '^[A-Z0-9_-]{1,40}$' }) }, { additionalProperties: false });

export const bearer = [{ bearer: [] as string[] }];
