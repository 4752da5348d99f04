import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { EngineHost } from '../engine/engine-host.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { SystemActor } from '../engine/commands.ts';
import type { InstrumentStatusView } from '../market/market-bus.ts';
import type { Dec } from '../shared/decimal.ts';
import type { VolatilityHaltConfig } from './config.ts';
import type { Scheduler } from './scheduler.ts';
import type { AlertDraft, TradeObserved } from './types.ts';
import { bandBreach } from './volatility-band.ts';
import { percentText } from './rules/figures.ts';

/** Who the audit log names for the platform's own halts, auctions and reopenings. */
export const SURVEILLANCE_ACTOR: SystemActor = { userId: null, username: 'system:surveillance' };
/** Halt reasons this controller writes start so; after a restart it knows its own halts by it. */
export const VOLATILITY_HALT_REASON = 'volatility halt';

type Phase = 'halting' | 'halted' | 'auction' | 'reopening';

interface Cycle {
  phase: Phase;
  haltReason: string;
  cancelTimer?: () => void;
}

export interface VolatilityHaltOptions {
  engine: EngineHost;
  instruments: InstrumentCatalog;
  knex: Knex;
  scheduler: Scheduler;
  config: VolatilityHaltConfig;
  log: FastifyBaseLogger;
  /** Records the alert that tells regulators about an automatic halt. */
  raise: (draft: AlertDraft) => void;
}

const minutes = (ms: number) => `${+(ms / 60_000).toFixed(2)} min`;

/**
 * The automatic volatility halt. A trade more than `bandPct` away from the previous trade price
 * (the reference price before an instrument's first trade) halts the instrument for `pauseMs`;
 * it then reopens through a call auction that collects orders for `auctionMs`, uncrosses at one
 * price and returns to continuous trading. The uncross price becomes the new yardstick.
 *
 * A regulator who halts, resumes or otherwise sets the mode of an instrument during the cycle
 * takes it over: the pending steps are dropped and the instrument is left as the regulator set it.
 */
export class VolatilityHalt {
  private readonly lastPrice = new Map<string, string>();
  private readonly cycles = new Map<string, Cycle>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: VolatilityHaltOptions) {}

  /** Last trade prices known at start, so the band holds across a restart. */
  seed(prices: Map<string, string>): void {
    for (const [symbol, price] of prices) this.lastPrice.set(symbol, price);
  }

  /** Instruments in an automatic halt or auction cycle now. */
  activeCycles(): Array<{ symbol: string; phase: Phase }> {
    return [...this.cycles].map(([symbol, c]) => ({ symbol, phase: c.phase }));
  }

  onTrade(trade: TradeObserved): void {
    // The band watches the book; a negotiated block trade neither moves it nor breaches it.
    if (trade.venue !== 'book') return;
    const previous = this.lastPrice.get(trade.symbol) ?? trade.referencePrice;
    this.lastPrice.set(trade.symbol, trade.price);
    if (this.stopped || !this.options.config.enabled || this.cycles.has(trade.symbol)) return;
    const move = bandBreach(previous, trade.price, this.options.config.bandPct);
    if (!move) return;
    if (this.options.instruments.spec(trade.symbol)?.row.status !== 'trading') return;
    const { bandPct, pauseMs } = this.options.config;
    const haltReason = `${VOLATILITY_HALT_REASON}: trade ${trade.tradeId} at ${trade.price} moved ${percentText(move)}% from ${previous} (band ±${bandPct}%); reopens by call auction after ${minutes(pauseMs)}`;
    const cycle: Cycle = { phase: 'halting', haltReason };
    this.cycles.set(trade.symbol, cycle);
    this.track(this.halt(trade, previous, move, cycle));
  }

  /** A mode change by anyone else ends the automatic cycle for that instrument. */
  onInstrument(status: InstrumentStatusView, actor: string): void {
    if (actor === SURVEILLANCE_ACTOR.username) return;
    const cycle = this.cycles.get(status.symbol);
    if (!cycle) return;
    cycle.cancelTimer?.();
    this.cycles.delete(status.symbol);
    this.options.log.info({ symbol: status.symbol, status: status.status, actor }, 'volatility halt cycle taken over by a regulator');
  }

  /**
   * Picks up cycles a previous run left unfinished: an instrument halted by this controller
   * reopens when its pause is over (at once if it already is), one in its reopening auction
   * uncrosses when the auction time is over.
   */
  async recover(): Promise<void> {
    const { instruments, knex, scheduler, config } = this.options;
    for (const spec of instruments.specs()) {
      const status = spec.row.status;
      if (status === 'trading') continue;
      const last = await knex('audit_log')
        .where({ subject: `instrument:${spec.symbol}` })
        .whereIn('action', ['instrument.halt', 'instrument.resume'])
        .orderBy('seq', 'desc')
        .first<{ at: Date; actor: string; payload: { status?: string } } | undefined>('at', 'actor', 'payload');
      if (!last || last.actor !== SURVEILLANCE_ACTOR.username) continue;
      const elapsed = scheduler.now().getTime() - last.at.getTime();
      if (status === 'halted' && spec.row.halt_reason?.startsWith(VOLATILITY_HALT_REASON)) {
        const cycle: Cycle = { phase: 'halted', haltReason: spec.row.halt_reason };
        this.cycles.set(spec.symbol, cycle);
        this.schedule(spec.symbol, cycle, config.pauseMs - elapsed, () => this.openAuction(spec.symbol, cycle));
      } else if (status === 'auction' && last.payload.status === 'auction') {
        const cycle: Cycle = { phase: 'auction', haltReason: '' };
        this.cycles.set(spec.symbol, cycle);
        this.schedule(spec.symbol, cycle, config.auctionMs - elapsed, () => this.reopen(spec.symbol, cycle));
      }
    }
  }

  /** Drops pending steps and waits for the one running, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cycle of this.cycles.values()) cycle.cancelTimer?.();
    await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.options.log.error({ err }, 'volatility halt step failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private schedule(symbol: string, cycle: Cycle, delayMs: number, step: () => Promise<void>): void {
    cycle.cancelTimer = this.options.scheduler.after(Math.max(0, delayMs), () => {
      cycle.cancelTimer = undefined;
      if (this.stopped || this.cycles.get(symbol) !== cycle) return;
      this.track(step());
    });
  }

  private current(symbol: string, cycle: Cycle): boolean {
    return !this.stopped && this.cycles.get(symbol) === cycle;
  }

  private abandon(symbol: string, cycle: Cycle, why: string): void {
    if (this.cycles.get(symbol) === cycle) this.cycles.delete(symbol);
    this.options.log.warn({ symbol, phase: cycle.phase }, `volatility halt cycle abandoned: ${why}`);
  }

  private async halt(trade: TradeObserved, previous: string, move: Dec, cycle: Cycle): Promise<void> {
    const { engine, config } = this.options;
    const outcome = await engine.submit({ kind: 'setMode', actor: SURVEILLANCE_ACTOR, symbol: trade.symbol, mode: 'halted', reason: cycle.haltReason });
    if (!outcome.ok) return this.abandon(trade.symbol, cycle, `the halt was refused: ${outcome.error.message}`);
    this.options.raise({
      rule: 'volatility_halt',
      severity: 'critical',
      symbol: trade.symbol,
      participantIds: trade.buyerId === trade.sellerId ? [trade.buyerId] : [trade.buyerId, trade.sellerId],
      message: `${trade.symbol} halted: trade ${trade.tradeId} at ${trade.price} moved ${percentText(move)}% from ${previous}, beyond the ±${config.bandPct}% band; call auction in ${minutes(config.pauseMs)}`,
      details: {
        tradeId: trade.tradeId,
        price: trade.price,
        previousPrice: previous,
        movePct: percentText(move),
        bandPct: config.bandPct,
        pauseMs: config.pauseMs,
        auctionMs: config.auctionMs,
        executedAt: trade.at.toISOString(),
      },
      dedupeKey: `volatility_halt:${trade.symbol}:${trade.tradeId}`,
    });
    if (!this.current(trade.symbol, cycle)) return;
    cycle.phase = 'halted';
    this.schedule(trade.symbol, cycle, config.pauseMs, () => this.openAuction(trade.symbol, cycle));
  }

  private async openAuction(symbol: string, cycle: Cycle): Promise<void> {
    const { engine, instruments, config } = this.options;
    const row = instruments.spec(symbol)?.row;
    if (row?.status !== 'halted' || row.halt_reason !== cycle.haltReason) return this.abandon(symbol, cycle, 'the instrument is no longer in this halt');
    const outcome = await engine.submit({
      kind: 'setMode',
      actor: SURVEILLANCE_ACTOR,
      symbol,
      mode: 'auction',
      reason: `volatility halt over: call auction collects orders for ${minutes(config.auctionMs)}`,
    });
    if (!outcome.ok) return this.abandon(symbol, cycle, `the auction could not open: ${outcome.error.message}`);
    if (!this.current(symbol, cycle)) return;
    cycle.phase = 'auction';
    this.schedule(symbol, cycle, config.auctionMs, () => this.reopen(symbol, cycle));
  }

  private async reopen(symbol: string, cycle: Cycle): Promise<void> {
    const { engine, instruments } = this.options;
    if (instruments.spec(symbol)?.row.status !== 'auction') return this.abandon(symbol, cycle, 'the instrument is no longer in its reopening auction');
    cycle.phase = 'reopening';
    const uncross = await engine.submit({ kind: 'uncross', actor: SURVEILLANCE_ACTOR, symbol, reason: 'volatility halt: reopening call auction' });
    if (!uncross.ok) return this.abandon(symbol, cycle, `the uncross failed: ${uncross.error.message}`);
    if (!this.current(symbol, cycle)) return;
    const resumed = await engine.submit({ kind: 'setMode', actor: SURVEILLANCE_ACTOR, symbol, mode: 'continuous', reason: 'continuous trading resumes after the volatility-halt call auction' });
    if (!resumed.ok) return this.abandon(symbol, cycle, `continuous trading could not resume: ${resumed.error.message}`);
    if (this.cycles.get(symbol) === cycle) this.cycles.delete(symbol);
  }
}
