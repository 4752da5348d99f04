import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { EngineHost } from './engine/engine-host.ts';
import type { InstrumentCatalog } from './instruments/instrument-catalog.ts';
import type { MarketBus } from './market/market-bus.ts';
import type { TokenService } from './auth/tokens.ts';
import type { LoginBackoff } from './auth/login-backoff.ts';
import type { SessionGate } from './auth/session-gate.ts';
import type { OutboxRelay } from './settlement/outbox-relay.ts';
import type { SettlementJob } from './settlement/settlement-queue.ts';
import type { DemoUser } from './setup/demo-database.ts';

/** The services routes reach through `app.platform`; built once in main.ts (or a test). */
export interface Platform {
  config: Config;
  knex: Knex;
  engine: EngineHost;
  /** The instruments as the engine trades them now: what readers use instead of the engine. */
  instruments: InstrumentCatalog;
  bus: MarketBus;
  tokens: TokenService;
  /** The request path's Redis connection (fails fast while Redis is away): shared limits and counts. */
  redis: Redis;
  loginBackoff: LoginBackoff;
  /** Whether a session is live and who stands behind it now; announces changes to every node. */
  authSessions: SessionGate;
  settlementQueue: Queue<SettlementJob>;
  relay: OutboxRelay;
  /** Set when the database was created as a demo (its logins have published passwords). */
  demoDatabase: { createdAt: string } | null;
  /** Demo logins shown on the login page; empty unless the database is a demo and this start a demo start. */
  demoUsers: DemoUser[];
}
