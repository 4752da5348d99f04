import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/ecorights' }),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  /** Namespaces every Redis key and queue, so several platforms (or test files) share one Redis. */
  REDIS_PREFIX: Type.String({ default: 'ecorights', pattern: '^[A-Za-z0-9_-]+$' }),
  /** 'production' is a production start: never demo data, whatever DEMO says. */
  NODE_ENV: Type.String({ default: 'development' }),
  /** 'auto' seeds demo data into an empty database and marks it a demo; 'off' never does. */
  DEMO: Type.Union([Type.Literal('auto'), Type.Literal('off')], { default: 'auto' }),
  /** The first operator of a production database; read only while no operator exists. */
  INITIAL_OPERATOR_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  INITIAL_OPERATOR_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  /** How long the one-time setup token printed at a production start stays valid. */
  SETUP_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 60 }),
  /** 'auto' rebuilds client/dist at start when it is missing or older than the client sources. */
  CLIENT_BUILD: Type.Union([Type.Literal('auto'), Type.Literal('off')], { default: 'auto' }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
    { default: 'info' },
  ),
  /** Least time between two trade messages of one symbol on /market (trades in between travel together). */
  LIVE_TRADE_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 10 }),
  /** Least time between two book snapshots of one symbol on /market. */
  LIVE_BOOK_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 50 }),
  /** Engine batches sent to PostgreSQL and not yet committed, at most (1: no pipelining). */
  ENGINE_PIPELINE_DEPTH: Type.Integer({ minimum: 1, maximum: 16, default: 4 }),
  /** Commands that must be waiting before a batch is sent behind others still committing. */
  ENGINE_PIPELINE_MIN_BATCH: Type.Integer({ minimum: 1, maximum: 2000, default: 32 }),
  /** Settlement workers started inside the API process (0 when they run as `npm run worker`). */
  SETTLEMENT_WORKERS: Type.Integer({ minimum: 0, maximum: 16, default: 1 }),
  /** Jobs one settlement worker runs at once; each settles its trade with others in a batch. */
  SETTLEMENT_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 8 }),
  /** How often the outbox sweeper looks for trades not yet on the settlement queue. */
  OUTBOX_SWEEP_MS: Type.Integer({ minimum: 50, default: 2000 }),
  /** A queued trade still unsettled after this long is queued again (Redis may have lost it). */
  SETTLEMENT_REQUEUE_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  /** Lifetime of an access token (at most 15 min); the client refreshes it silently before it ends. */
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 2, maximum: 900, default: 900 }),
  /** A session not refreshed for this long ends (the refresh cookie's lifetime, renewed by each refresh). */
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 30 * 24 * 3600, default: 12 * 3600 }),
  /** Sign-in attempts per client IP per minute, counted in Redis across every node. */
  LOGIN_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 20 }),
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), as Fastify's
   * trustProxy: '' trusts none, a number that many hops, else a comma list of addresses/CIDRs.
   * Behind a reverse proxy this must be set, or every user shares the proxy's sign-in limit.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** Requests per client IP per minute to the public market data (no sign-in), every node together. */
  PUBLIC_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 300 }),
  /** How often scheduled market work (listing closes, block deadlines, sessions) is looked for. */
  MARKET_TICK_MS: Type.Integer({ minimum: 20, default: 1000 }),
  /** Anti-sniping window of an open listing auction that does not set its own: a bid this close to the end extends it. */
  LISTING_ANTI_SNIPING_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 300 }),
  /** How long a block trade's counterparty has to confirm, unless the proposal allows less. */
  BLOCK_CONFIRM_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
  /** Block trades are priced within ± this percentage of the reference price (大宗协议: 30). */
  BLOCK_PRICE_BAND_PCT: Type.Integer({ minimum: 1, maximum: 99, default: 30 }),
  /**
   * 'on': each instrument trades in its calendar's sessions (default 09:30–11:30, 13:00–15:00
   * Asia/Shanghai, weekdays) after an opening call auction, DAY orders expire at the close and the
   * closing price becomes the next day's reference price. 'off': trading at any hour.
   */
  SESSIONS: Type.Union([Type.Literal('off'), Type.Literal('on')], { default: 'off' }),
  /** Default length of the opening call auction before the first session. */
  SESSION_OPENING_AUCTION_MINUTES: Type.Integer({ minimum: 0, maximum: 120, default: 15 }),
  /** Default closing-price window: volume-weighted over the last this-many minutes of the day. */
  SESSION_CLOSING_VWAP_MINUTES: Type.Integer({ minimum: 1, maximum: 240, default: 30 }),
  /**
   * Lot documents go to an S3-compatible store when S3_ENDPOINT is set (e.g. http://minio:9000),
   * with S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET; otherwise they are kept in PostgreSQL.
   */
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_KEY: Type.Optional(Type.String({ minLength: 1 })),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  /**
   * 'on' keeps the one-call lot registration (POST /api/admin/lots) for test harnesses that drive
   * a separate process; a production start refuses it: there, lots exist only through four-eyes review.
   */
  LOT_DIRECT_REGISTRATION: Type.Union([Type.Literal('off'), Type.Literal('on')], { default: 'off' }),
  /**
   * A simulation (仿真环境) for training and end-to-end tests: the market clock starts pinned at this
   * instant and moves only when an operator advances it (POST /api/admin/simulation/advance), running
   * every listing phase, deadline and session on the way. A production start refuses it.
   */
  SIMULATION_START: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$' })),
});

export type Config = Static<typeof ConfigSchema>;

/** Whether this start may seed demo data (with its published passwords) into an empty database. */
export const demoSeedingAllowed = (config: Config): boolean => config.DEMO === 'auto' && config.NODE_ENV !== 'production';

/** Reads and validates the environment once; an invalid value stops start-up with its name. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const merged = { ...(converted as object), ...overrides };
  if (!Value.Check(ConfigSchema, merged)) {
    const first = Value.Errors(ConfigSchema, merged)[0];
    throw new Error(`invalid configuration: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim());
  }
  const config = merged as Config;
  if (config.S3_ENDPOINT && !(config.S3_ACCESS_KEY && config.S3_SECRET_KEY && config.S3_BUCKET)) {
    throw new Error('invalid configuration: S3_ENDPOINT needs S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET');
  }
  if (config.LOT_DIRECT_REGISTRATION === 'on' && config.NODE_ENV === 'production') {
    throw new Error('invalid configuration: LOT_DIRECT_REGISTRATION cannot be on in production (lots are approved by two operators)');
  }
  if (config.SIMULATION_START && config.NODE_ENV === 'production') {
    throw new Error('invalid configuration: SIMULATION_START cannot be set in production (the market runs on real time)');
  }
  return config;
}
