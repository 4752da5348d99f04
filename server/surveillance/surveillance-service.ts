import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { EngineHost } from '../engine/engine-host.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { OrderView } from '../engine/commands.ts';
import type { AlertView, InstrumentStatusView, MarketBus, MarketEvents, SettlementView, TradeView } from '../market/market-bus.ts';
import { fixed } from '../shared/decimal.ts';
import { surveillanceConfig, type SurveillanceConfig, type SurveillanceOverrides } from './config.ts';
import { systemScheduler, type Scheduler } from './scheduler.ts';
import { RuleSet } from './rule-set.ts';
import { dayStart, tradingDay } from './sessions.ts';
import { insertAlerts } from './alert-store.ts';
import { loadRelatedPairs } from './related-participants.ts';
import { VolatilityHalt } from './volatility-halt.ts';
import type { AlertDraft, HoldingObserved, OrderObserved, TradeObserved } from './types.ts';

declare module '../platform.ts' {
  interface Platform {
    /** Market surveillance; absent only in a platform built without it. */
    surveillance?: SurveillanceService;
  }
}

export interface SurveillanceOptions {
  knex: Knex;
  bus: MarketBus;
  engine: EngineHost;
  instruments: InstrumentCatalog;
  log: FastifyBaseLogger;
  /** Time and timers; tests pass a ManualScheduler. */
  scheduler?: Scheduler;
  config?: SurveillanceOverrides;
}

type Listeners = { [K in keyof MarketEvents]?: (...args: MarketEvents[K]) => void };

/**
 * Watches the committed event stream: feeds every trade, order change and settled holding to the
 * rules, stores what they find and pushes it to regulators as `alert` bus events; runs the
 * automatic volatility halt. It never slows the engine: rules run synchronously on events the
 * engine has already published, and storing alerts happens behind them, in order.
 */
export class SurveillanceService {
  readonly config: SurveillanceConfig;
  readonly scheduler: Scheduler;
  private readonly rules: RuleSet;
  private readonly volatility: VolatilityHalt;
  private relatedPairs: ReadonlySet<string> = new Set();
  private writes: Promise<void> = Promise.resolve();
  private readonly holdingChecks = new Set<string>();
  private listeners: Listeners = {};
  private running = false;

  constructor(private readonly options: SurveillanceOptions) {
    this.config = surveillanceConfig(options.config);
    this.scheduler = options.scheduler ?? systemScheduler;
    this.rules = new RuleSet(this.config);
    this.volatility = new VolatilityHalt({
      engine: options.engine,
      instruments: options.instruments,
      knex: options.knex,
      scheduler: this.scheduler,
      config: this.config.volatilityHalt,
      log: options.log,
      raise: (draft) => this.record([draft]),
    });
  }

  /**
   * Loads related pairs, replays today's trades so the day's tallies survive a restart (alerts
   * already stored are not raised twice), picks up an unfinished volatility halt, then listens.
   */
  async start(): Promise<void> {
    const { knex, bus } = this.options;
    this.relatedPairs = await loadRelatedPairs(knex);
    await this.replayToday();
    await this.volatility.recover();
    this.listeners = {
      trade: (trade, parties) => this.guard('trade', () => this.onTrade(trade, parties)),
      order: (participantId, order) => this.guard('order', () => this.onOrder(participantId, order)),
      settlement: (settlement) => this.guard('settlement', () => this.onSettlement(settlement)),
      instrument: (status, actor) => this.guard('instrument', () => this.onInstrument(status, actor)),
    };
    for (const [event, listener] of Object.entries(this.listeners)) bus.on(event as keyof MarketEvents, listener as never);
    this.running = true;
  }

  /** Stops listening, drops pending halt steps and waits for alerts being stored. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const [event, listener] of Object.entries(this.listeners)) this.options.bus.off(event as keyof MarketEvents, listener as never);
    this.listeners = {};
    await this.volatility.stop();
    await this.writes;
  }

  /** Re-reads the operator's related pairs; called after they change. */
  async reloadRelatedPairs(): Promise<void> {
    this.relatedPairs = await loadRelatedPairs(this.options.knex);
  }

  /** Resolves once every alert found so far is stored and published. */
  async settled(): Promise<void> {
    await this.writes;
  }

  /** Instruments in an automatic volatility-halt cycle now. */
  volatilityCycles(): Array<{ symbol: string; phase: string }> {
    return this.volatility.activeCycles();
  }

  private guard(event: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      // A listener must never throw back into the engine's publish loop.
      this.options.log.error({ err, event }, 'surveillance could not evaluate an event');
    }
  }

  private observeTrade(trade: TradeView, parties: { buyerId: string; sellerId: string }, referencePrice: string): TradeObserved {
    return {
      type: 'trade',
      tradeId: trade.id,
      symbol: trade.symbol,
      price: trade.price,
      quantity: trade.quantity,
      amount: trade.amount,
      buyerId: parties.buyerId,
      sellerId: parties.sellerId,
      at: new Date(trade.executedAt),
      venue: trade.venue ?? 'book',
      referencePrice,
    };
  }

  private referencePrice(symbol: string): string {
    return this.options.instruments.spec(symbol)?.row.reference_price ?? '0';
  }

  private onTrade(trade: TradeView, parties: { buyerId: string; sellerId: string }): void {
    const observed = this.observeTrade(trade, parties, this.referencePrice(trade.symbol));
    this.record(this.rules.evaluate(observed, this.relatedPairs));
    this.volatility.onTrade(observed);
  }

  private onOrder(participantId: string, order: OrderView): void {
    const observed: OrderObserved = {
      type: 'order',
      orderId: order.id,
      participantId,
      symbol: order.symbol,
      side: order.side,
      price: order.price,
      quantity: order.quantity,
      filledQuantity: order.filledQuantity,
      status: order.status,
      cancelReason: order.cancelReason,
      createdAt: new Date(order.createdAt),
      at: new Date(order.updatedAt),
    };
    this.record(this.rules.evaluate(observed, this.relatedPairs));
  }

  private onInstrument(status: InstrumentStatusView, actor: string): void {
    this.volatility.onInstrument(status, actor);
  }

  /** After a settlement moves quantity to the buyer, its share of the instrument is judged. */
  private onSettlement(settlement: SettlementView): void {
    if (settlement.status !== 'settled') return;
    const key = `${settlement.buyerId}|${settlement.symbol}`;
    // Settlements arrive in bursts; one pending check per holder and instrument covers them all.
    if (this.holdingChecks.has(key)) return;
    this.holdingChecks.add(key);
    this.enqueue(async () => {
      this.holdingChecks.delete(key);
      const observed = await this.holding(settlement.buyerId, settlement.symbol);
      return this.rules.evaluate(observed, this.relatedPairs);
    });
  }

  private async holding(participantId: string, symbol: string): Promise<HoldingObserved> {
    const result = await this.options.knex.raw<{ rows: Array<{ held: string; outstanding: string }> }>(
      `SELECT coalesce(sum(available + locked) FILTER (WHERE participant_id = ?), 0) AS held,
              coalesce(sum(available + locked), 0) AS outstanding
         FROM accounts WHERE asset = ? AND participant_id IS NOT NULL`,
      [participantId, symbol],
    );
    const row = result.rows[0]!;
    const places = this.options.instruments.spec(symbol)?.qtyPlaces ?? 2;
    return { type: 'holding', symbol, participantId, quantity: fixed(row.held, places), outstanding: fixed(row.outstanding, places), at: this.scheduler.now() };
  }

  private record(drafts: AlertDraft[]): void {
    if (drafts.length === 0) return;
    this.enqueue(async () => drafts);
  }

  /** Alerts are stored and published one step after another, in the order they were found. */
  private enqueue(find: () => Promise<AlertDraft[]>): void {
    this.writes = this.writes
      .then(async () => {
        const drafts = await find();
        const stored = await insertAlerts(this.options.knex, drafts, this.scheduler.now());
        for (const alert of stored) this.publish(alert);
      })
      .catch((err: unknown) => this.options.log.error({ err }, 'surveillance could not store alerts'));
  }

  private publish(alert: AlertView): void {
    this.options.bus.emit('alert', alert);
  }

  private async replayToday(): Promise<void> {
    const { knex } = this.options;
    const sessions = this.config.sessions;
    const since = dayStart(tradingDay(this.scheduler.now(), sessions), sessions);
    const rows = await knex('trades as t')
      .join('instruments as i', 'i.symbol', 't.symbol')
      .where('t.executed_at', '>=', since)
      .orderBy([{ column: 't.executed_at' }, { column: 't.id' }])
      .select<Array<{ id: string; symbol: string; price: string; quantity: string; amount: string; buyer_id: string; seller_id: string; aggressor_side: 'buy' | 'sell'; executed_at: Date; venue: 'book' | 'block' | 'listing'; reference_price: string }>>(
        't.id',
        't.symbol',
        't.price',
        't.quantity',
        't.amount',
        't.buyer_id',
        't.seller_id',
        't.aggressor_side',
        't.executed_at',
        't.venue',
        'i.reference_price',
      );
    const drafts: AlertDraft[] = [];
    for (const r of rows) {
      const view: TradeView = { id: r.id, symbol: r.symbol, price: r.price, quantity: r.quantity, amount: r.amount, aggressorSide: r.aggressor_side, executedAt: r.executed_at.toISOString(), venue: r.venue };
      drafts.push(...this.rules.evaluate(this.observeTrade(view, { buyerId: r.buyer_id, sellerId: r.seller_id }, r.reference_price), this.relatedPairs));
    }
    this.record(drafts);
    const last = await knex
      .select<Array<{ symbol: string; price: string }>>('symbol', 'price')
      .from(knex.raw(`(SELECT DISTINCT ON (symbol) symbol, price FROM trades WHERE venue = 'book' ORDER BY symbol, executed_at DESC, id DESC) AS last`));
    this.volatility.seed(new Map(last.map((r) => [r.symbol, r.price])));
  }
}
