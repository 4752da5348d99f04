import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { Config } from './config.ts';
import type { EngineHost } from './engine/engine-host.ts';
import type { MarketBus } from './market/market-bus.ts';
import type { TokenService } from './auth/tokens.ts';
import type { OutboxRelay } from './settlement/outbox-relay.ts';
import type { SettlementJob } from './settlement/settlement-queue.ts';

/** The services routes reach through `app.platform`; built once in main.ts (or a test). */
export interface Platform {
  config: Config;
  knex: Knex;
  engine: EngineHost;
  bus: MarketBus;
  tokens: TokenService;
  settlementQueue: Queue<SettlementJob>;
  relay: OutboxRelay;
  /** Demo logins shown on the login page; empty unless demo data was seeded. */
  demoUsers: Array<{ username: string; password: string; role: string; participantName: string | null }>;
}
