import type { InstrumentSpec } from './instrument-spec.ts';

/**
 * The instruments as the engine trades them now: status, reference price and band move with
 * the engine's commands (halts, auctions, closing prices), so readers get each spec from here
 * when they need it instead of keeping one. The engine host is the one that implements it.
 */
export interface InstrumentCatalog {
  spec(symbol: string): InstrumentSpec | undefined;
  /** Every instrument, in display order. */
  specs(): InstrumentSpec[];
}
