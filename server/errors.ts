/** Figures a refusal names (amounts, limits, reasons), as strings, for the client to render in its language. */
export type ErrorParams = Record<string, string>;

/**
 * A refusal the client can act on: a stable machine-readable code, a human message (English, for
 * API users) and, where the refusal names figures, `params` the client renders in its own words.
 * Thrown anywhere below a route and turned into `{statusCode, code, message, params?}` by the app.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, params?: ErrorParams) => new AppError(400, code, message, params);
export const unauthorized = (code: string, message: string, params?: ErrorParams) => new AppError(401, code, message, params);
export const forbidden = (code: string, message: string, params?: ErrorParams) => new AppError(403, code, message, params);
export const notFound = (code: string, message: string, params?: ErrorParams) => new AppError(404, code, message, params);
export const conflict = (code: string, message: string, params?: ErrorParams) => new AppError(409, code, message, params);
export const unprocessable = (code: string, message: string, params?: ErrorParams) => new AppError(422, code, message, params);
export const unavailable = (code: string, message: string, params?: ErrorParams) => new AppError(503, code, message, params);
