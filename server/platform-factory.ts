import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Worker, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import type { Platform } from './platform.ts';
import { createKnex, migrateToLatest } from './infra/database.ts';
import { createProducerRedis, createSubscriberRedis, createWorkerRedis } from './infra/redis.ts';
import { createLoginBackoff } from './auth/login-backoff.ts';
import { createSessionGate } from './auth/session-gate.ts';
import { waitAtMost } from './shared/wait-at-most.ts';
import { createTokenService, loadTokenSecret } from './auth/tokens.ts';
import { MarketBus } from './market/market-bus.ts';
import { EngineHost } from './engine/engine-host.ts';
import { OutboxRelay } from './settlement/outbox-relay.ts';
import { createSettlementEvents, createSettlementQueue, createSettlementWorker } from './settlement/settlement-queue.ts';
import { publishSettlements } from './settlement/settlement-events.ts';
import { ensureReferenceInstruments } from './seed/reference-instruments.ts';
import { prepareStartupAccounts } from './setup/startup-accounts.ts';
import { attachSocketServer, type SocketServer } from './market/socket-server.ts';
import { SurveillanceService, type SurveillanceOptions } from './surveillance/surveillance-service.ts';
import { MarketClock } from './sessions/market-clock.ts';
import { MarketScheduler } from './sessions/market-scheduler.ts';
import { ListingService } from './listings/listing-service.ts';
import { DemandListingService } from './demand-listings/demand-service.ts';
import { BlockService } from './blocks/block-service.ts';
import { SessionService } from './sessions/session-service.ts';
import { OnboardingService } from './onboarding/onboarding-service.ts';
import { LotSubmissionService } from './lot-submissions/lot-submission-service.ts';
import { chooseFileStore } from './storage/choose-file-store.ts';

export interface RunningPlatform {
  app: FastifyInstance;
  platform: Platform;
  /** Starts listening and attaches socket.io; resolves with the bound address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Progress lines for the newcomer watching start-up. */
  progress?: (line: string) => void;
  logger?: boolean;
  /** Surveillance thresholds and, for tests, its scheduler. */
  surveillance?: Pick<SurveillanceOptions, 'config' | 'scheduler'>;
}

/** Builds and starts every part of one platform node against the configured services. */
export async function startPlatform(config: Config, options: StartOptions = {}): Promise<RunningPlatform> {
  const progress = options.progress ?? (() => {});
  const knex = createKnex(config.DATABASE_URL);
  progress('migrating the database');
  await migrateToLatest(knex);
  await ensureReferenceInstruments(knex);

  const producer: Redis = createProducerRedis(config.REDIS_URL);
  producer.on('error', () => {});
  const workerConnections: Redis[] = [];
  const settlementQueue = createSettlementQueue(producer, config.REDIS_PREFIX);
  settlementQueue.on('error', () => {});
  const bus = new MarketBus();
  const tokens = createTokenService(await loadTokenSecret(knex), config.ACCESS_TOKEN_TTL_SECONDS);

  const log = pino({ level: options.logger === false ? 'silent' : config.LOG_LEVEL });
  const relay = new OutboxRelay({ knex, queue: settlementQueue, log, sweepEveryMs: config.OUTBOX_SWEEP_MS, requeueAfterMs: config.SETTLEMENT_REQUEUE_MS });
  const clock = new MarketClock();
  // A simulation runs on market time an operator moves; everything else on the system clock.
  if (config.SIMULATION_START) clock.pin(new Date(config.SIMULATION_START));
  // The engine and the settlement workers get connections of their own: a busy route or a
  // worker batch must never leave the engine waiting for a pooled connection.
  const engineKnex = createKnex(config.DATABASE_URL, 2);
  const workerKnex = createKnex(config.DATABASE_URL, config.SETTLEMENT_CONCURRENCY + 1);
  const engine = new EngineHost({ knex: engineKnex, bus, log, clock: () => clock.now(), onTradesCommitted: (ids) => relay.notify(ids), maxInFlight: config.ENGINE_PIPELINE_DEPTH, pipelineMinBatch: config.ENGINE_PIPELINE_MIN_BATCH });
  progress('rebuilding order books from PostgreSQL');
  await engine.start();
  const instruments = engine.instruments;
  const surveillance = new SurveillanceService({ knex, bus, engine, instruments, log, ...options.surveillance });
  await surveillance.start();
  const scheduler = new MarketScheduler(clock, log, config.MARKET_TICK_MS);
  const listings = new ListingService({ knex, engine, instruments, bus, clock, log, defaultAntiSnipingSeconds: config.LISTING_ANTI_SNIPING_SECONDS });
  scheduler.register(listings);
  const demandListings = new DemandListingService({ knex, engine, instruments, clock, log, defaultAntiSnipingSeconds: config.LISTING_ANTI_SNIPING_SECONDS });
  scheduler.register(demandListings);
  const blocks = new BlockService({ knex, engine, instruments, bus, clock, log, confirmMinutes: config.BLOCK_CONFIRM_MINUTES, priceBandPct: config.BLOCK_PRICE_BAND_PCT });
  scheduler.register(blocks);
  const sessions = new SessionService({
    knex,
    engine,
    instruments,
    bus,
    clock,
    log,
    enabled: config.SESSIONS === 'on',
    defaults: { openingAuctionMinutes: config.SESSION_OPENING_AUCTION_MINUTES, closingVwapMinutes: config.SESSION_CLOSING_VWAP_MINUTES },
  });
  await sessions.load();
  scheduler.register(sessions);
  const onboarding = new OnboardingService({ knex, engine, bus, clock, log, followers: [listings, demandListings, blocks] });
  const lotSubmissions = new LotSubmissionService({ knex, files: chooseFileStore(config, knex), instruments, bus });
  const loginBackoff = createLoginBackoff(producer, config.REDIS_PREFIX);
  const sessionSubscriber = createSubscriberRedis(config.REDIS_URL);
  sessionSubscriber.on('error', () => {});
  const authSessions = createSessionGate({ knex, publisher: producer, subscriber: sessionSubscriber, prefix: config.REDIS_PREFIX, onError: (err) => log.warn({ err }, 'session change not announced to other nodes') });
  // Subscribed before the first request, so no change announced after it is missed; never wait for ever.
  await waitAtMost(5_000, authSessions.start());
  const platform: Platform = { config, knex, bus, tokens, redis: producer, loginBackoff, authSessions, settlementQueue, relay, engine, instruments, surveillance, clock, scheduler, listings, demandListings, blocks, sessions, onboarding, lotSubmissions, demoDatabase: null, demoUsers: [] };
  const app = await buildApp(platform, { loggerInstance: log });
  await app.ready();

  Object.assign(platform, await prepareStartupAccounts(app, knex, config, progress));

  const workers: Worker[] = [];
  for (let i = 0; i < (config.SETTLEMENT_WORKERS > 0 ? 1 : 0); i++) {
    const connection = createWorkerRedis(config.REDIS_URL);
    connection.on('error', () => {});
    workerConnections.push(connection);
    workers.push(createSettlementWorker({ knex: workerKnex, connection, prefix: config.REDIS_PREFIX, concurrency: config.SETTLEMENT_CONCURRENCY, log: app.log }));
  }
  const eventsConnection = createWorkerRedis(config.REDIS_URL);
  eventsConnection.on('error', () => {});
  workerConnections.push(eventsConnection);
  const queueEvents: QueueEvents = createSettlementEvents(eventsConnection, config.REDIS_PREFIX);
  queueEvents.on('error', () => {});
  publishSettlements(queueEvents, knex, bus, app.log);
  relay.start();
  scheduler.start();
  // Trades committed before a restart and never settled are sent again now.
  void relay.sweep();

  let socket: SocketServer | undefined;
  return {
    app,
    platform,
    async listen() {
      const address = await app.listen({ port: config.PORT, host: config.HOST });
      socket = await attachSocketServer(app, config);
      return address;
    },
    async close() {
      await scheduler.stop();
      // Surveillance first: a volatility-halt step in flight still needs the engine.
      await (platform.surveillance ?? surveillance).stop();
      await engine.stop();
      await socket?.close();
      await app.close();
      await relay.stop();
      await authSessions.close();
      await waitAtMost(5000, Promise.all(workers.map((w) => w.close())));
      await waitAtMost(2000, queueEvents.close());
      await waitAtMost(2000, settlementQueue.close());
      for (const c of [producer, ...workerConnections]) c.disconnect();
      await Promise.all([knex.destroy(), engineKnex.destroy(), workerKnex.destroy()]);
    },
  };
}
