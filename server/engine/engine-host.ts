import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { OrderBook } from '../../matching/index.ts';
import type { RestingOrder } from '../../matching/types.ts';
import { unavailable } from '../errors.ts';
import { InstrumentSpec, type InstrumentRow } from '../instruments/instrument-spec.ts';
import { dec, ZERO, type Dec } from '../shared/decimal.ts';
import type { DepthView, MarketBus } from '../market/market-bus.ts';
import { accountKey, Batch, type EngineState, type Reservation } from './batch.ts';
import { readAvailable, writeBatch } from './batch-writer.ts';
import type { CommandOutcome, EngineCommand } from './commands.ts';
import { IdAllocator } from './id-allocator.ts';
import type { LiveOrder } from './live-order.ts';
import { orderView } from './order-view.ts';
import type { StoredOrderRow } from '../orders/order-queries.ts';
import { chainAuditRows, readChainHead, type ChainHead } from '../audit/audit-log.ts';

const ENGINE_AUDIT_CHAIN = 'engine';

interface Pending {
  command: EngineCommand;
  resolve: (outcome: CommandOutcome) => void;
  /** Balance keys this command must see read from PostgreSQL, not from the cache. */
  freshKeys?: string[];
}

export interface EngineHostOptions {
  knex: Knex;
  bus: MarketBus;
  log: FastifyBaseLogger;
  /** Called after each commit with the ids of trades that now await settlement. */
  onTradesCommitted: (tradeIds: string[]) => void;
  maxBatch?: number;
  depthLevels?: number;
  clock?: () => Date;
}


/**
 * Owns the order books. Commands queue here and run in group-commit batches: a batch is applied
 * to the books in arrival order, written in one PostgreSQL transaction, and only then answered.
 * If the write fails, every book is rebuilt from PostgreSQL, so memory never holds what the
 * ledger does not.
 */
export class EngineHost {
  private state: EngineState;
  private readonly queue: Pending[] = [];
  private running = false;
  private ready = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly committedDepth = new Map<string, DepthView>();
  private readonly maxBatch: number;
  private readonly depthLevels: number;
  private readonly clock: () => Date;
  /** Last row of the engine's audit chain; the engine host is that chain's only writer. */
  private auditHead: ChainHead | null = null;
  /**
   * Available balances as of the engine's last commit. Only the engine takes from available;
   * deposits, lot registrations and settlement only add to it. So a cached figure is never too
   * high, and a command it cannot cover is decided again on a fresh read.
   */
  private readonly availableCache = new Map<string, Dec>();

  constructor(private readonly options: EngineHostOptions) {
    this.state = { books: new Map(), specs: new Map(), live: new Map(), reservations: new Map(), suspended: new Set(), ids: new IdAllocator(options.knex) };
    this.maxBatch = options.maxBatch ?? 2000;
    this.depthLevels = options.depthLevels ?? 50;
    this.clock = options.clock ?? (() => new Date());
  }

  async start(): Promise<void> {
    await this.rebuild();
    this.ready = true;
  }

  /** Waits for queued commands to finish; new ones are refused. */
  async stop(): Promise<void> {
    this.ready = false;
    await this.idle;
  }

  spec(symbol: string): InstrumentSpec | undefined {
    return this.state.specs.get(symbol);
  }

  specs(): InstrumentSpec[] {
    return [...this.state.specs.values()].sort((a, b) => a.row.display_order - b.row.display_order);
  }

  /** Depth as of the last commit: readers never see an order that is not yet durable. */
  depth(symbol: string, levels: number): DepthView | undefined {
    const full = this.committedDepth.get(symbol);
    if (!full) return undefined;
    return { ...full, bids: full.bids.slice(0, levels), asks: full.asks.slice(0, levels) };
  }

  /** Resting orders of one symbol in book priority (L3), as of now. */
  restingOrders(symbol: string): RestingOrder[] {
    return this.state.books.get(symbol)?.orders() ?? [];
  }

  liveOrder(orderId: number): LiveOrder | undefined {
    return this.state.live.get(orderId);
  }

  /** Whether the engine refuses this participant's orders and reservations (suspended). */
  participantSuspended(participantId: string): boolean {
    return this.state.suspended.has(participantId);
  }

  submit(command: EngineCommand): Promise<CommandOutcome> {
    if (!this.ready) return Promise.resolve({ ok: false, error: unavailable('ENGINE_UNAVAILABLE', 'the matching engine is not accepting orders right now; retry shortly') });
    return new Promise((resolve) => {
      this.queue.push({ command, resolve });
      if (!this.running) {
        this.running = true;
        this.idle = this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.runBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(pending: Pending[]): Promise<void> {
    const commands = pending.map((p) => p.command);
    let batch: Batch | undefined;
    let auditHead = this.auditHead;
    try {
      const t0 = performance.now();
      await this.state.ids.reserve(3 * commands.length + this.state.live.size + 100);
      const t1 = performance.now();
      const { available, fresh } = await this.balancesFor(pending);
      const t2 = performance.now();
      batch = new Batch(this.state, available, this.clock(), fresh);
      batch.run(commands);
      const t3 = performance.now();
      if (batch.changed) {
        const chained = chainAuditRows(ENGINE_AUDIT_CHAIN, auditHead, batch.audits);
        await writeBatch(this.options.knex, batch, this.state.specs, chained.rows);
        auditHead = chained.head;
      }
      if (this.options.log.level === 'trace') {
        this.options.log.trace(
          { commands: commands.length, read: fresh.size, deferred: batch.deferred.length, idsMs: t1 - t0, readMs: t2 - t1, matchMs: t3 - t2, writeMs: performance.now() - t3 },
          'batch committed',
        );
      }
    } catch (error) {
      this.options.log.error({ err: error, commands: commands.length }, 'batch failed; rebuilding books from PostgreSQL');
      const refusal = unavailable('ENGINE_UNAVAILABLE', 'the order could not be recorded and nothing was changed; retry shortly');
      for (const p of pending) p.resolve({ ok: false, error: refusal });
      await this.rebuildUntilReady();
      return;
    }
    this.auditHead = auditHead;
    const done = batch!;
    for (const d of done.deltas.values()) {
      const key = accountKey(d.participantId, d.asset);
      const before = this.availableCache.get(key);
      if (before) this.availableCache.set(key, before.add(d.available));
    }
    const deferred = new Set(done.deferred.map((d) => d.index));
    // Deferred commands go first in the next batch, whose read of their balances follows this commit.
    this.queue.unshift(...done.deferred.map((d) => ({ ...pending[d.index]!, freshKeys: [...(pending[d.index]!.freshKeys ?? []), d.key] })));
    pending.forEach((p, i) => deferred.has(i) || p.resolve(done.outcomes[i]!));
    this.publish(done);
  }

  /** Balances of the batch's accounts: cached where known, read where not or where asked to. */
  private async balancesFor(pending: Pending[]): Promise<{ available: Map<string, Dec>; fresh: Set<string> }> {
    const keys = Batch.balanceKeysFor(
      pending.map((p) => p.command),
      this.state,
    );
    const mustRead = new Set(pending.flatMap((p) => p.freshKeys ?? []));
    const toRead = keys.filter((k) => mustRead.has(accountKey(k.participantId, k.asset)) || !this.availableCache.has(accountKey(k.participantId, k.asset)));
    const read = await readAvailable(this.options.knex, toRead);
    const fresh = new Set<string>();
    for (const k of toRead) {
      const key = accountKey(k.participantId, k.asset);
      // No account row yet is nothing available.
      this.availableCache.set(key, read.get(key) ?? ZERO);
      fresh.add(key);
    }
    const available = new Map<string, Dec>();
    for (const k of keys) {
      const key = accountKey(k.participantId, k.asset);
      available.set(key, this.availableCache.get(key)!);
    }
    return { available, fresh };
  }

  private async rebuildUntilReady(): Promise<void> {
    this.ready = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.rebuild();
        this.ready = true;
        return;
      } catch (error) {
        this.options.log.error({ err: error, attempt }, 'rebuilding books failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  /** Loads instruments and every resting order, in priority, into fresh books. */
  private async rebuild(): Promise<void> {
    const knex = this.options.knex;
    const instruments = await knex('instruments').select<InstrumentRow[]>('*');
    const rows = await knex('orders').whereIn('status', ['open', 'partially_filled']).orderBy('priority').select<StoredOrderRow[]>('*');
    const specs = new Map<string, InstrumentSpec>();
    const books = new Map<string, OrderBook>();
    const live = new Map<number, LiveOrder>();
    const resting = new Map<string, RestingOrder[]>();
    for (const row of instruments) {
      const spec = new InstrumentSpec(row);
      specs.set(row.symbol, spec);
      resting.set(row.symbol, []);
    }
    for (const row of rows) {
      const spec = specs.get(row.symbol)!;
      const order: LiveOrder = {
        id: Number(row.id),
        participantId: row.participant_id,
        userId: row.user_id,
        clientOrderId: row.client_order_id,
        symbol: row.symbol,
        side: row.side,
        type: row.type,
        tif: row.time_in_force,
        priceTicks: row.price === null ? null : dec(row.price).div(spec.tick).toNumber(),
        qtyLots: dec(row.quantity).div(spec.lot).toNumber(),
        filledLots: dec(row.filled_quantity).div(spec.lot).toNumber(),
        status: row.status,
        cancelReason: null,
        reservePerLot: row.reserve_per_lot === null ? null : dec(row.reserve_per_lot),
        feeBps: row.fee_bps ?? (row.side === 'buy' ? spec.row.buyer_fee_bps : spec.row.seller_fee_bps),
        priority: Number(row.priority),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
      live.set(order.id, order);
      resting.get(row.symbol)!.push({
        orderId: order.id,
        ownerId: Number(order.participantId),
        side: order.side,
        priceTicks: order.priceTicks!,
        remainingLots: order.qtyLots - order.filledLots,
        tif: order.tif,
        stp: 'cancel_newest',
        timestamp: order.createdAt.getTime(),
      });
    }
    for (const [symbol, spec] of specs) {
      const orders = resting.get(symbol)!;
      const mode = spec.row.status === 'halted' ? 'halted' : spec.row.status === 'auction' ? 'auction' : 'continuous';
      const config = { symbol, referencePriceTicks: spec.referenceTicks, priceBandBps: spec.bandBps, minQtyLots: spec.minLots };
      books.set(symbol, OrderBook.restore({ config, mode, sequence: 0, orders: [...orders.filter((o) => o.side === 'buy'), ...orders.filter((o) => o.side === 'sell')] }));
    }
    this.auditHead = await readChainHead(knex, ENGINE_AUDIT_CHAIN);
    const reservations = new Map<string, Reservation>();
    const reservationRows = await knex('reservations').where({ status: 'active' }).select<
      Array<{ id: string; participant_id: string; asset: string; amount: string; purpose: string; reference: string; created_at: Date; updated_at: Date }>
    >('*');
    for (const r of reservationRows) {
      reservations.set(r.id, {
        id: r.id,
        participantId: r.participant_id,
        asset: r.asset,
        amount: dec(r.amount),
        purpose: r.purpose,
        reference: r.reference,
        status: 'active',
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      });
    }
    const suspended = new Set(await knex('participants').where({ status: 'suspended' }).pluck<string[]>('id'));
    this.state = { books, specs, live, reservations, suspended, ids: this.state.ids };
    this.availableCache.clear();
    this.committedDepth.clear();
    for (const symbol of specs.keys()) this.refreshDepth(symbol);
  }

  private refreshDepth(symbol: string): DepthView {
    const book = this.state.books.get(symbol)!;
    const spec = this.state.specs.get(symbol)!;
    const depth = book.depth(this.depthLevels);
    const level = (l: { priceTicks: number; qtyLots: number; orders: number }) => ({
      price: spec.ticksToPrice(l.priceTicks),
      quantity: spec.lotsToQuantity(l.qtyLots),
      orders: l.orders,
    });
    const view: DepthView = { symbol, sequence: depth.sequence, bids: depth.bids.map(level), asks: depth.asks.map(level) };
    this.committedDepth.set(symbol, view);
    return view;
  }

  private publish(batch: Batch): void {
    const { bus } = this.options;
    for (const symbol of batch.touchedSymbols) bus.emit('book', this.refreshDepth(symbol));
    const balanceChanged = new Set<string>();
    for (const order of batch.touchedOrders.values()) {
      bus.emit('order', order.participantId, orderView(order, this.state.specs.get(order.symbol)!));
    }
    for (const d of batch.deltas.values()) balanceChanged.add(d.participantId);
    for (const t of batch.trades) {
      const spec = this.state.specs.get(t.symbol)!;
      bus.emit(
        'trade',
        {
          id: String(t.id),
          symbol: t.symbol,
          price: spec.ticksToPrice(t.priceTicks),
          quantity: spec.lotsToQuantity(t.lots),
          amount: t.amounts.amount.toFixed(2),
          aggressorSide: t.aggressorSide,
          executedAt: t.executedAt.toISOString(),
          venue: t.venue,
        },
        { buyerId: t.buyerId, sellerId: t.sellerId },
      );
    }
    for (const change of batch.instrumentChanges) {
      const audit = batch.audits.find((a) => a.subject === `instrument:${change.symbol}`);
      bus.emit('instrument', change, audit?.actor ?? 'system', String(audit?.payload.reason ?? ''));
    }
    for (const participantId of balanceChanged) bus.emit('balance', participantId);
    if (batch.trades.length > 0) this.options.onTradesCommitted(batch.trades.map((t) => String(t.id)));
  }
}
