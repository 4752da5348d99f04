import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { EngineHost } from '../engine/engine-host.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { MarketClock } from '../sessions/market-clock.ts';
import type { MarketBus } from './market-bus.ts';

/**
 * What a service that acts on the market is built with: the ledger, the engine it submits to,
 * the instruments, the bus it publishes on, the clock it schedules by and its log. Services add
 * their own settings to this.
 */
export interface MarketServiceDeps {
  knex: Knex;
  engine: EngineHost;
  instruments: InstrumentCatalog;
  bus: MarketBus;
  clock: MarketClock;
  log: FastifyBaseLogger;
}
