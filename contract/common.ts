import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

// What every area of the API shares: decimal strings, the error body, path parameters and the
// enumerations both sides switch on. Amounts, prices and quantities are decimal strings at every
// boundary (design/ARCHITECTURE.md); ids are strings (PostgreSQL int8 as node-postgres reads it).

/** JSON-schema pattern of a non-negative decimal string as the API accepts it. */
export const DECIMAL_PATTERN = '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,8})?$';

/** A decimal string the API accepts (validated against DECIMAL_PATTERN). */
export const DecimalString = (description: string) => Type.String({ pattern: DECIMAL_PATTERN, description });
export type DecimalString = string;

/**
 * A string out of a closed set. A plain `{type: string, enum}` rather than a union of literals:
 * the response serialiser writes it as a string without trying each branch, and the type is the
 * union of the literals all the same.
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'stable machine-readable reason, e.g. PRICE_OUT_OF_BAND' }),
  message: Type.String({ description: 'English, for API users; the client renders the code (and params) in its own language' }),
  params: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'figures the refusal names (amounts, limits, reasons), as strings' })),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const IdParam = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });
export const SymbolParam = Type.Object({ symbol: Type.String({ pattern: '^[A-Z0-9_-]{1,40}$' }) }, { additionalProperties: false });

export const ROLES = ['participant', 'regulator', 'operator'] as const;
export type Role = (typeof ROLES)[number];
export const PARTICIPANT_KINDS = ['government', 'enterprise'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
export const INDICATOR_TYPES = ['farmland', 'land_linkage', 'wetland', 'carbon_sink'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];
export const SIDES = ['buy', 'sell'] as const;
export type Side = (typeof SIDES)[number];
export const SETTLEMENT_STATUSES = ['pending', 'settled', 'failed'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];
