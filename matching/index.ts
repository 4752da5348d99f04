// Public surface of the pure matching engine.
export * from './types.ts';
export { OrderBook } from './order-book.ts';
export { priceBand, isValidBand } from './price-band.ts';
export type { PriceBand } from './price-band.ts';
export { findUncrossPrice } from './uncross.ts';
export type { AuctionLevel, UncrossPrice } from './uncross.ts';
