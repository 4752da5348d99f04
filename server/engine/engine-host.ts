import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { RestingOrder } from '../../matching/types.ts';
import { unavailable } from '../errors.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import { ZERO, type Dec } from '../shared/decimal.ts';
import type { DepthView, MarketBus } from '../market/market-bus.ts';
import { Batch } from './batch.ts';
import type { EngineState } from './batch-context.ts';
import { balanceKeysFor } from './holds.ts';
import { accountKey } from './assets.ts';
import { isPlainBatch, readAvailable, writeBatch, type ChainLink } from './batch-writer.ts';
import { EngineSession } from './engine-session.ts';
import type { CommandOutcome, EngineCommand, OrderView, OutcomeOf } from './commands.ts';
import { IdAllocator } from './id-allocator.ts';
import { loadEngineState } from './engine-state-loader.ts';
import type { LiveOrder } from './live-order.ts';
import { orderView } from './order-view.ts';
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
  /** Batches sent and not yet committed, at most. */
  maxInFlight?: number;
  /**
   * A batch goes out behind others still committing only when this many commands wait: every
   * batch costs a statement, a depth snapshot and a round of live messages, so while the node is
   * busy, fewer and larger batches carry more orders; an idle engine sends at once.
   */
  pipelineMinBatch?: number;
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
  private readonly session: EngineSession;
  /** Commits of the batches in flight, chained in send order. */
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private inFlightCommands = 0;
  /** Commands of the batch being matched (it may wait for a read queued behind the batches in flight). */
  private preparing = 0;
  private readonly maxInFlight: number;
  private readonly pipelineMinBatch: number;
  /** Set when a batch failed; the loop rebuilds once nothing is in flight. */
  private failed = false;

  constructor(private readonly options: EngineHostOptions) {
    this.state = { books: new Map(), specs: new Map(), live: new Map(), reservations: new Map(), suspended: new Set(), lots: new Map(), ids: new IdAllocator(options.knex) };
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.pipelineMinBatch = options.pipelineMinBatch ?? 32;
    this.session = new EngineSession(options.knex);
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
    await this.session.close();
  }

  /** The instruments as of the engine's state now (a rebuild replaces the state, so it is read at each call). */
  readonly instruments: InstrumentCatalog = {
    spec: (symbol) => this.state.specs.get(symbol),
    specs: () => [...this.state.specs.values()].sort((a, b) => a.row.display_order - b.row.display_order),
  };

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

  /** Commands waiting for a batch, and batches (and their commands) sent but not yet committed. */
  pipeline(): { queued: number; preparing: number; inFlight: number; inFlightCommands: number } {
    return { queued: this.queue.length, preparing: this.preparing, inFlight: this.inFlight, inFlightCommands: this.inFlightCommands };
  }

  /** Queues a command; it is answered once its batch has committed (or refused, changing nothing). */
  submit<C extends EngineCommand>(command: C): Promise<OutcomeOf<C>> {
    if (!this.ready) return Promise.resolve({ ok: false, error: unavailable('ENGINE_UNAVAILABLE', 'the matching engine is not accepting orders right now; retry shortly') });
    return new Promise<OutcomeOf<C>>((resolve) => {
      // The batch answers each command with its own handler's outcome (Batch.apply), so the
      // outcome a pending command gets is always the OutcomeOf its kind.
      this.queue.push({ command, resolve: resolve as (outcome: CommandOutcome) => void });
      this.wakeUp();
      if (!this.running) {
        this.running = true;
        this.idle = this.drain();
      }
    });
  }

  /**
   * The batch loop. Batches are pipelined: while batch k commits, k+1 is matched and sent on
   * the same connection, so PostgreSQL always has the next batch waiting. Each plain batch's
   * statement checks that the batch before it on the audit chain is committed, so a failure
   * fails every batch after it; the loop then waits for the ones in flight and rebuilds.
   */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.failed) {
          await this.tail;
          await this.rebuildUntilReady();
          this.failed = false;
          continue;
        }
        if (this.queue.length > 0 && (this.inFlight === 0 || (this.inFlight < this.maxInFlight && this.queue.length >= this.pipelineMinBatch))) {
          const pending = this.queue.splice(0, this.maxBatch);
          this.preparing = pending.length;
          try {
            await this.runBatch(pending);
          } finally {
            this.preparing = 0;
          }
          continue;
        }
        if (this.queue.length === 0 && this.inFlight === 0) break;
        await new Promise<void>((resolve) => (this.wakeUp = resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private wakeUp: () => void = () => {};

  /** Matches one batch and sends its write; its commands are answered when the write commits. */
  private async runBatch(pending: Pending[]): Promise<void> {
    const commands = pending.map((p) => p.command);
    const t0 = performance.now();
    let batch: Batch;
    let fresh: Set<string>;
    try {
      await this.state.ids.reserve(3 * commands.length + this.state.live.size + 100);
      const balances = await this.balancesFor(pending);
      fresh = balances.fresh;
      batch = new Batch(this.state, balances.available, this.clock(), fresh);
      batch.run(commands);
    } catch (error) {
      this.fail(error, pending);
      return;
    }
    const t1 = performance.now();
    const chained = chainAuditRows(ENGINE_AUDIT_CHAIN, this.auditHead, batch.audits);
    const link: ChainLink = { chain: ENGINE_AUDIT_CHAIN, previousSeq: this.auditHead ? this.auditHead.chainSeq.toString() : null };
    this.auditHead = chained.head;
    // What subscribers will be told, captured now: later batches change the books and orders
    // before this one commits, and nobody may see their effects early.
    const notice = this.noticeOf(batch);
    for (const d of batch.deltas.values()) {
      const key = accountKey(d.participantId, d.asset);
      const before = this.availableCache.get(key);
      if (before) this.availableCache.set(key, before.add(d.available));
    }
    const deferred = new Set(batch.deferred.map((d) => d.index));
    // Deferred commands go first in the next batch, whose read of their balances follows this one.
    this.queue.unshift(...batch.deferred.map((d) => ({ ...pending[d.index]!, freshKeys: [...(pending[d.index]!.freshKeys ?? []), d.key] })));

    // A batch that cannot prove its predecessor committed (it writes no audit row, or is not a
    // single statement) waits until nothing is in flight.
    const linked = batch.audits.length > 0 && isPlainBatch(batch);
    const previous = this.tail;
    if (!linked) {
      await previous;
      if (this.failed) {
        this.refuse(pending.filter((_, i) => !deferred.has(i)));
        return;
      }
    }
    const written = batch.changed ? writeBatch(this.session, this.options.knex, batch, this.state.specs, chained.rows, link) : Promise.resolve();
    written.catch(() => {}); // handled below, in commit order
    this.inFlight += 1;
    this.inFlightCommands += pending.length;
    this.tail = previous.then(async () => {
      try {
        await written;
      } catch (error) {
        this.fail(error, pending);
        return;
      } finally {
        this.inFlight -= 1;
        this.inFlightCommands -= pending.length;
        this.wakeUp();
      }
      if (this.failed) {
        // Only an unchanged batch can succeed after a failed one; what it answered was read from
        // books about to be rebuilt.
        this.refuse(pending.filter((_, i) => !deferred.has(i)));
        return;
      }
      if (this.options.log.level === 'trace') {
        this.options.log.trace(
          { commands: commands.length, read: fresh.size, deferred: deferred.size, matchMs: t1 - t0, commitMs: performance.now() - t1, inFlight: this.inFlight },
          'batch committed',
        );
      }
      pending.forEach((p, i) => deferred.has(i) || p.resolve(batch.outcomes[i]!));
      try {
        this.publish(batch, notice);
      } catch (err) {
        // A subscriber's fault must not stall the commits queued behind this one.
        this.options.log.error({ err }, 'publishing a committed batch failed');
      }
    });
    // Nothing may be sent behind an unlinked batch either: a transaction runs on a connection of
    // its own, so the next batch would not wait for it on the engine's.
    if (!linked) await this.tail;
  }

  /** Marks the engine failed: these commands are refused, the loop rebuilds once the pipeline is empty. */
  private fail(error: unknown, pending: Pending[]): void {
    if (!this.failed) this.options.log.error({ err: error, commands: pending.length }, 'batch failed; rebuilding books from PostgreSQL');
    this.failed = true;
    this.refuse(pending);
  }

  private refuse(pending: Pending[]): void {
    const refusal = unavailable('ENGINE_UNAVAILABLE', 'the order could not be recorded and nothing was changed; retry shortly');
    for (const p of pending) p.resolve({ ok: false, error: refusal });
  }

  /** Balances of the batch's accounts: cached where known, read where not or where asked to. */
  private async balancesFor(pending: Pending[]): Promise<{ available: Map<string, Dec>; fresh: Set<string> }> {
    const keys = balanceKeysFor(
      pending.map((p) => p.command),
      this.state.live,
      this.state.reservations,
    );
    const mustRead = new Set(pending.flatMap((p) => p.freshKeys ?? []));
    const toRead = keys.filter((k) => mustRead.has(k.key) || !this.availableCache.has(k.key));
    const read = await readAvailable(this.session, toRead);
    const fresh = new Set<string>();
    for (const { key } of toRead) {
      // No account row yet is nothing available.
      this.availableCache.set(key, read.get(key) ?? ZERO);
      fresh.add(key);
    }
    return { available: new Map(keys.map(({ key }) => [key, this.availableCache.get(key)!])), fresh };
  }

  private async rebuildUntilReady(): Promise<void> {
    this.ready = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.session.close();
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
    await this.session.open();
    const state = await loadEngineState(knex, this.state.ids);
    this.auditHead = await readChainHead(knex, ENGINE_AUDIT_CHAIN);
    this.state = state;
    this.availableCache.clear();
    this.committedDepth.clear();
    for (const symbol of state.specs.keys()) this.committedDepth.set(symbol, this.depthNow(symbol));
  }

  private depthNow(symbol: string): DepthView {
    const book = this.state.books.get(symbol)!;
    const spec = this.state.specs.get(symbol)!;
    const depth = book.depth(this.depthLevels);
    const level = (l: { priceTicks: number; qtyLots: number; orders: number }) => ({
      price: spec.ticksToPrice(l.priceTicks),
      quantity: spec.lotsToQuantity(l.qtyLots),
      orders: l.orders,
    });
    const view: DepthView = { symbol, sequence: depth.sequence, bids: depth.bids.map(level), asks: depth.asks.map(level) };
    return view;
  }

  /** The views a batch's commit will publish, taken from the books as the batch left them. */
  private noticeOf(batch: Batch): CommitNotice {
    return {
      depths: [...batch.touchedSymbols].map((symbol) => this.depthNow(symbol)),
      orders: [...batch.touchedOrders.values()].map((order) => ({ participantId: order.participantId, view: orderView(order, this.state.specs.get(order.symbol)!) })),
    };
  }

  private publish(batch: Batch, notice: CommitNotice): void {
    const { bus } = this.options;
    for (const depth of notice.depths) {
      this.committedDepth.set(depth.symbol, depth);
      bus.emit('book', depth);
    }
    for (const { participantId, view } of notice.orders) bus.emit('order', participantId, view);
    const balanceChanged = new Set<string>();
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

interface CommitNotice {
  depths: DepthView[];
  orders: Array<{ participantId: string; view: OrderView }>;
}
