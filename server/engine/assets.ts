/**
 * What an account holds: cash, or one instrument's indicator quantity (the asset is the symbol).
 * A balance is keyed by its holder and asset; the engine, the writer and settlement share the key.
 */
export const CASH = 'CNY';

export const accountKey = (participantId: string, asset: string) => `${participantId}|${asset}`;
