import type { OrderBook } from '../../matching/index.ts';
import type { ApplyResult, CancelReason, RejectCode } from '../../matching/types.ts';
import { AppError, conflict, forbidden, notFound, unavailable, unprocessable } from '../errors.ts';
import { ZERO, type Dec as DecT } from '../shared/decimal.ts';
import { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { buyReservePerLot, tradeAmounts, type TradeAmounts } from '../ledger/trade-economics.ts';
import type { AuditEntry } from '../audit/audit-log.ts';
import { registryCertificateNo } from '../certificates/certificate-number.ts';
import type { IdAllocator } from './id-allocator.ts';
import { remainingLots, type LiveOrder } from './live-order.ts';
import type {
  AmendCommand,
  CancelCommand,
  CommandOutcome,
  ConsumeCommand,
  EngineCommand,
  ExpireDayCommand,
  FillView,
  OffBookTradeCommand,
  PlaceCommand,
  RegistryActionView,
  ReleaseCommand,
  ReservationView,
  ReserveCommand,
  SetModeCommand,
  SetParticipantStatusCommand,
  SetReferencePriceCommand,
  SplitReservationCommand,
  TopUpReservationCommand,
  UncrossCommand,
} from './commands.ts';
import { orderView } from './order-view.ts';

export const CASH = 'CNY';

export const reservationView = (r: Reservation): ReservationView => ({
  id: r.id,
  participantId: r.participantId,
  asset: r.asset,
  amount: r.amount.toString(),
  purpose: r.purpose,
  reference: r.reference,
  status: r.status,
});

export interface TradeRecord {
  id: number;
  venue: 'book' | 'block' | 'listing';
  symbol: string;
  priceTicks: number;
  lots: number;
  amounts: TradeAmounts;
  /** Book orders on each side; null for a trade made off the book. */
  buyOrder: LiveOrder | null;
  sellOrder: LiveOrder | null;
  buyerId: string;
  sellerId: string;
  aggressorSide: 'buy' | 'sell';
  executedAt: Date;
  /** An off-book trade's reference ('block:<id>', 'listing-award:<id>'), unique per venue: trades.offbook_ref. */
  offBookRef?: string;
}

/** Cash or quantity set aside for an off-book purpose; its remaining amount stays locked. */
export interface Reservation {
  id: string;
  participantId: string;
  asset: string;
  amount: DecT;
  purpose: string;
  reference: string;
  status: 'active' | 'released' | 'consumed';
  createdAt: Date;
  updatedAt: Date;
}

export interface BalanceDelta {
  participantId: string;
  asset: string;
  available: DecT;
  locked: DecT;
}

export interface InstrumentChange {
  symbol: string;
  status: 'trading' | 'auction' | 'halted';
  haltReason: string | null;
}

export interface ReferenceChange {
  symbol: string;
  price: string;
}

export interface ParticipantChange {
  participantId: string;
  status: 'active' | 'suspended';
}

export interface Consumption {
  command: ConsumeCommand;
  view: RegistryActionView;
  quantity: DecT;
}

export interface EngineState {
  books: Map<string, OrderBook>;
  specs: Map<string, InstrumentSpec>;
  live: Map<number, LiveOrder>;
  /** Active reservations by id. */
  reservations: Map<string, Reservation>;
  /** Suspended participants: their orders and reservations are refused. */
  suspended: Set<string>;
  ids: IdAllocator;
}

/** Thrown before any change when a cached balance is too low to decide a command. */
class StaleBalance extends Error {
  constructor(readonly key: string) {
    super(`cached balance of ${key} is too low to decide`);
  }
}

export const accountKey = (participantId: string, asset: string) => `${participantId}|${asset}`;

// Engine reject codes that reach the API; the book's own validation doubles as the server's.
const rejectStatus: Partial<Record<RejectCode, number>> = { UNKNOWN_ORDER: 404, INSTRUMENT_HALTED: 409, NOT_IN_AUCTION: 409 };
const rejectMessages: Partial<Record<RejectCode, string>> = {
  INSTRUMENT_HALTED: 'the instrument is halted; only cancels are accepted',
  PRICE_OUT_OF_BAND: 'price is outside the price band',
  POST_ONLY_WOULD_TRADE: 'a post-only order would trade on arrival',
  NO_LIQUIDITY: 'no resting orders to trade against',
  AMEND_NO_CHANGE: 'the amendment changes nothing',
  BELOW_MIN_QUANTITY: 'quantity is below the instrument minimum',
  NOT_IN_AUCTION: 'the instrument is not in a call auction',
};

/**
 * One group-commit batch: applies commands to the in-memory books in arrival order and collects
 * every row the batch must write. Nothing here does I/O; the writer persists the result and, if
 * that fails, the host throws the books away and rebuilds them from PostgreSQL.
 */
export class Batch {
  readonly deltas = new Map<string, BalanceDelta>();
  readonly touchedOrders = new Map<number, LiveOrder>();
  readonly newOrderIds = new Set<number>();
  readonly trades: TradeRecord[] = [];
  readonly audits: AuditEntry[] = [];
  readonly instrumentChanges: InstrumentChange[] = [];
  readonly touchedSymbols = new Set<string>();
  readonly outcomes: CommandOutcome[] = [];
  readonly consumptions: Consumption[] = [];
  readonly touchedReservations = new Map<string, Reservation>();
  readonly newReservationIds = new Set<string>();
  readonly referenceChanges: ReferenceChange[] = [];
  readonly participantChanges: ParticipantChange[] = [];
  /** Commands refused only on a cached balance: the host runs them again on a fresh read. */
  readonly deferred: Array<{ index: number; key: string }> = [];

  constructor(
    private readonly state: EngineState,
    /**
     * Available balances at the start of the batch, keyed participant|asset. Those not in `fresh`
     * come from the host's cache and may be low (deposits and settlement add to available
     * outside the engine; nothing else takes from it), never high.
     */
    private readonly available: Map<string, DecT>,
    private readonly now: Date,
    private readonly fresh: ReadonlySet<string> = new Set(available.keys()),
  ) {}

  static balanceKeysFor(commands: EngineCommand[], state: EngineState): Array<{ key: string; participantId: string; asset: string }> {
    const keys = new Map<string, { key: string; participantId: string; asset: string }>();
    const add = (participantId: string, asset: string) => {
      const key = accountKey(participantId, asset);
      keys.set(key, { key, participantId, asset });
    };
    for (const c of commands) {
      if (c.kind === 'place') add(c.participantId, c.side === 'buy' ? CASH : c.symbol);
      if (c.kind === 'consume') add(c.participantId, c.symbol);
      if (c.kind === 'reserve') add(c.participantId, c.asset);
      if (c.kind === 'topUpReservation') {
        const r = state.reservations.get(c.reservationId);
        if (r) add(r.participantId, r.asset);
      }
      if (c.kind === 'amend') {
        const o = state.live.get(c.orderId);
        if (o) add(o.participantId, o.side === 'buy' ? CASH : o.symbol);
      }
    }
    return [...keys.values()];
  }

  run(commands: EngineCommand[]): void {
    for (const [index, command] of commands.entries()) {
      let outcome: CommandOutcome;
      try {
        outcome = this.apply(command);
      } catch (error) {
        if (error instanceof StaleBalance) {
          this.deferred.push({ index, key: error.key });
          outcome = { ok: false, error: unavailable('ENGINE_UNAVAILABLE', 'deferred') };
        } else if (error instanceof AppError) {
          outcome = { ok: false, error };
        } else {
          throw error;
        }
      }
      this.outcomes.push(outcome);
    }
  }

  get changed(): boolean {
    return (
      this.touchedOrders.size > 0 ||
      this.instrumentChanges.length > 0 ||
      this.deltas.size > 0 ||
      this.consumptions.length > 0 ||
      this.touchedReservations.size > 0 ||
      this.trades.length > 0 ||
      this.referenceChanges.length > 0 ||
      this.participantChanges.length > 0 ||
      // An action that moved nothing (an uncross with no crossing orders) is still on the record.
      this.audits.length > 0
    );
  }

  private apply(command: EngineCommand): CommandOutcome {
    switch (command.kind) {
      case 'place':
        return this.place(command);
      case 'cancel':
        return this.cancel(command);
      case 'amend':
        return this.amend(command);
      case 'setMode':
        return this.setMode(command);
      case 'consume':
        return this.consume(command);
      case 'uncross':
        return this.uncross(command);
      case 'reserve':
        return this.reserveFor(command);
      case 'release':
        return this.releaseReservation(command);
      case 'offBookTrade':
        return this.offBookTrade(command);
      case 'topUpReservation':
        return this.topUpReservation(command);
      case 'splitReservation':
        return this.splitReservation(command);
      case 'expireDay':
        return this.expireDay(command);
      case 'setReferencePrice':
        return this.setReferencePrice(command);
      case 'setParticipantStatus':
        return this.setParticipantStatus(command);
    }
  }

  private ensureActive(participantId: string): void {
    if (this.state.suspended.has(participantId)) throw forbidden('PARTICIPANT_SUSPENDED', 'this participant is suspended and cannot trade');
  }

  private spec(symbol: string): InstrumentSpec {
    const spec = this.state.specs.get(symbol);
    if (!spec) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return spec;
  }

  private book(symbol: string): OrderBook {
    const book = this.state.books.get(symbol);
    if (!book) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return book;
  }

  private place(c: PlaceCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const book = this.book(c.symbol);
    this.ensureActive(c.participantId);
    spec.ensureTradable();
    // A market buy is bounded by the band, so it reserves as a limit buy at the band's top.
    const reservePriceTicks = c.priceTicks ?? spec.bandTicks().high;
    const order: LiveOrder = {
      id: this.state.ids.take(),
      participantId: c.participantId,
      userId: c.actor.userId,
      clientOrderId: c.clientOrderId,
      requestFingerprint: c.requestFingerprint ?? null,
      symbol: c.symbol,
      side: c.side,
      type: c.type,
      tif: c.tif,
      priceTicks: c.priceTicks,
      qtyLots: c.qtyLots,
      filledLots: 0,
      status: 'open',
      cancelReason: null,
      reservePerLot: c.side === 'buy' ? buyReservePerLot(spec, reservePriceTicks) : null,
      feeBps: c.side === 'buy' ? spec.row.buyer_fee_bps : spec.row.seller_fee_bps,
      priority: 0,
      createdAt: this.now,
      updatedAt: this.now,
    };
    order.priority = order.id;
    const reservation = this.reservationFor(order, spec, c.qtyLots);
    this.reserve(order, reservation);

    const result = book.apply({
      type: 'place',
      orderId: order.id,
      ownerId: Number(c.participantId),
      side: c.side,
      kind: c.type,
      priceTicks: c.priceTicks ?? 0,
      qtyLots: c.qtyLots,
      tif: c.tif,
      stp: 'cancel_newest',
      timestamp: this.now.getTime(),
    });
    if (result.code !== 'OK') {
      this.release(order, reservation);
      throw this.rejection(result.code);
    }
    this.newOrderIds.add(order.id);
    this.touch(order);
    const fills = this.applyResult(order, spec, result);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'order.place',
      subject: `order:${order.id}`,
      payload: {
        participantId: c.participantId,
        symbol: c.symbol,
        side: c.side,
        type: c.type,
        timeInForce: c.tif,
        price: c.priceTicks === null ? null : spec.ticksToPrice(c.priceTicks),
        quantity: spec.lotsToQuantity(c.qtyLots),
        clientOrderId: c.clientOrderId,
        status: order.status,
        fills: fills.map((f) => f.tradeId),
      },
      at: this.now,
    });
    return { ok: true, order: orderView(order, spec), fills };
  }

  private ownedLiveOrder(participantId: string, orderId: number): LiveOrder {
    const order = this.state.live.get(orderId);
    if (!order) throw conflict('ORDER_NOT_OPEN', `order ${orderId} is not open`);
    if (order.participantId !== participantId) throw forbidden('ORDER_NOT_OWNED', `order ${orderId} belongs to another participant`);
    return order;
  }

  private cancel(c: CancelCommand): CommandOutcome {
    const order = this.ownedLiveOrder(c.participantId, c.orderId);
    const spec = this.spec(order.symbol);
    const result = this.book(order.symbol).apply({ type: 'cancel', orderId: order.id, timestamp: this.now.getTime() });
    if (result.code !== 'OK') throw this.rejection(result.code);
    this.touch(order);
    this.applyResult(order, spec, result);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'order.cancel',
      subject: `order:${order.id}`,
      payload: { participantId: c.participantId, symbol: order.symbol, cancelledQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) },
      at: this.now,
    });
    return { ok: true, order: orderView(order, spec), fills: [] };
  }

  private amend(c: AmendCommand): CommandOutcome {
    this.ensureActive(c.participantId);
    const order = this.ownedLiveOrder(c.participantId, c.orderId);
    const spec = this.spec(order.symbol);
    const book = this.book(order.symbol);
    spec.ensureTradable();
    const newQty = c.qtyLots ?? order.qtyLots;
    if (newQty <= order.filledLots) {
      throw unprocessable('AMEND_BELOW_FILLED', `the new quantity must exceed the ${spec.lotsToQuantity(order.filledLots)} already filled`);
    }
    const newPrice = c.priceTicks ?? order.priceTicks;
    const before = { qtyLots: order.qtyLots, priceTicks: order.priceTicks, reservePerLot: order.reservePerLot };
    const oldReservation = this.reservationFor(order, spec, remainingLots(order));
    const newReservePerLot = order.side === 'buy' && newPrice !== null ? buyReservePerLot(spec, newPrice, order.feeBps) : order.reservePerLot;
    const newReservation = order.side === 'buy' ? newReservePerLot!.mul(newQty - order.filledLots) : spec.lotsDecimal(newQty - order.filledLots);
    const extra = newReservation.sub(oldReservation);
    if (extra.gt(0)) this.reserve(order, extra);

    const result = book.apply({
      type: 'amend',
      orderId: order.id,
      priceTicks: c.priceTicks ?? undefined,
      qtyLots: newQty - order.filledLots,
      timestamp: this.now.getTime(),
    });
    if (result.code !== 'OK') {
      if (extra.gt(0)) this.release(order, extra);
      throw this.rejection(result.code);
    }
    order.qtyLots = newQty;
    order.priceTicks = newPrice;
    order.reservePerLot = newReservePerLot;
    if (extra.lt(0)) this.release(order, extra.neg());
    this.touch(order);
    const fills = this.applyResult(order, spec, result);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'order.amend',
      subject: `order:${order.id}`,
      payload: {
        participantId: c.participantId,
        symbol: order.symbol,
        from: { quantity: spec.lotsToQuantity(before.qtyLots), price: before.priceTicks === null ? null : spec.ticksToPrice(before.priceTicks) },
        to: { quantity: spec.lotsToQuantity(order.qtyLots), price: order.priceTicks === null ? null : spec.ticksToPrice(order.priceTicks) },
        fills: fills.map((f) => f.tradeId),
      },
      at: this.now,
    });
    return { ok: true, order: orderView(order, spec), fills };
  }

  private setMode(c: SetModeCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const result = this.book(c.symbol).apply({ type: 'setMode', mode: c.mode, timestamp: this.now.getTime() });
    if (result.code !== 'OK') throw this.rejection(result.code);
    // Leaving an auction for continuous trading uncrosses the book first: those fills are real.
    this.applyResult(null, spec, result);
    const status = c.mode === 'continuous' ? 'trading' : c.mode;
    const haltReason = c.mode === 'halted' ? c.reason : null;
    spec.row.status = status;
    spec.row.halt_reason = haltReason;
    this.instrumentChanges.push({ symbol: c.symbol, status, haltReason });
    this.touchedSymbols.add(c.symbol);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: c.mode === 'halted' ? 'instrument.halt' : 'instrument.resume',
      subject: `instrument:${c.symbol}`,
      payload: { symbol: c.symbol, status, reason: c.reason },
      at: this.now,
    });
    return { ok: true, instrument: { symbol: c.symbol, status, haltReason } };
  }

  private uncross(c: UncrossCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const result = this.book(c.symbol).apply({ type: 'uncross', timestamp: this.now.getTime() });
    if (result.code !== 'OK') throw this.rejection(result.code);
    const first = this.trades.length;
    this.applyResult(null, spec, result);
    const trades = this.trades.slice(first);
    const lots = trades.reduce((sum, t) => sum + t.lots, 0);
    const last = trades[trades.length - 1];
    const price = last ? spec.ticksToPrice(last.priceTicks) : null;
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'instrument.uncross',
      subject: `instrument:${c.symbol}`,
      payload: { symbol: c.symbol, reason: c.reason, price, quantity: spec.lotsToQuantity(lots), trades: trades.map((t) => String(t.id)) },
      at: this.now,
    });
    return { ok: true, uncross: { symbol: c.symbol, trades: trades.length, price, quantity: spec.lotsToQuantity(lots) } };
  }

  private consume(c: ConsumeCommand): CommandOutcome {
    this.ensureActive(c.participantId);
    const spec = this.spec(c.symbol);
    const quantity = spec.lotsDecimal(c.qtyLots);
    if (this.consumptions.some((x) => x.command.participantId === c.participantId && x.command.requestId === c.requestId)) {
      throw conflict('DUPLICATE_REQUEST', `request ${c.requestId} is already being processed`);
    }
    const key = accountKey(c.participantId, c.symbol);
    const d = this.delta(c.participantId, c.symbol);
    const available = this.availableCovering(key, d, quantity);
    if (available.lt(quantity)) {
      throw unprocessable(
        'INSUFFICIENT_HOLDINGS',
        `${c.action === 'use' ? 'use' : 'retirement'} of ${spec.lotsToQuantity(c.qtyLots)} ${spec.row.unit} exceeds the ${available.toString()} available`,
      );
    }
    d.available = d.available.sub(quantity);
    const id = this.state.ids.take();
    const view: RegistryActionView = {
      id: String(id),
      kind: c.action,
      symbol: c.symbol,
      quantity: spec.lotsToQuantity(c.qtyLots),
      requestId: c.requestId,
      projectName: c.projectName,
      approvalRef: c.approvalRef,
      beneficiary: c.beneficiary,
      reason: c.reason,
      certificateNo: registryCertificateNo(c.action, id, this.now),
      createdAt: this.now.toISOString(),
    };
    this.consumptions.push({ command: c, view, quantity });
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: c.action === 'use' ? 'registry.use' : 'registry.retire',
      subject: `registry-action:${id}`,
      payload: { participantId: c.participantId, ...view },
      at: this.now,
    });
    return { ok: true, registryAction: view };
  }

  /**
   * Applies what a book command did: its events (fills, and resting orders cancelled by STP or
   * expiry), then what became of the command's own (incoming) order; `own` is null for an
   * instrument-level command such as an auction uncross, where every order involved was resting.
   */
  private applyResult(own: LiveOrder | null, spec: InstrumentSpec, result: ApplyResult): FillView[] {
    const fills: FillView[] = [];
    for (const event of result.events) {
      switch (event.type) {
        case 'fill': {
          const taker = this.liveOrOwn(event.takerOrderId, own);
          const maker = this.liveOrOwn(event.makerOrderId, own);
          const trade = this.recordFill(spec, taker, maker, event.priceTicks, event.qtyLots, event.aggressorSide, own);
          if (own && (taker === own || maker === own)) fills.push({ tradeId: String(trade.id), price: spec.ticksToPrice(trade.priceTicks), quantity: spec.lotsToQuantity(trade.lots) });
          break;
        }
        case 'cancelled':
          this.cancelOrder(this.liveOrOwn(event.orderId, own), spec, event.remainingLots, event.reason);
          break;
        case 'amended': {
          const order = this.liveOrOwn(event.orderId, own);
          if (event.priorityLost) order.priority = this.state.ids.take();
          break;
        }
        default:
          break;
      }
    }
    if (own) {
      if (result.cancelledLots > 0) this.cancelOrder(own, spec, result.cancelledLots, result.cancelReason!);
      else if (result.restedLots > 0) {
        own.status = own.filledLots > 0 ? 'partially_filled' : 'open';
        this.state.live.set(own.id, own);
      } else if (own.filledLots === own.qtyLots) {
        own.status = 'filled';
        this.state.live.delete(own.id);
      }
    }
    this.touchedSymbols.add(spec.symbol);
    return fills;
  }

  /** Takes an order off the live set, its unfilled lots' reservation released. */
  private cancelOrder(order: LiveOrder, spec: InstrumentSpec, lots: number, reason: CancelReason): void {
    this.release(order, this.reservationFor(order, spec, lots));
    order.status = 'cancelled';
    order.cancelReason = reason;
    order.updatedAt = this.now;
    this.state.live.delete(order.id);
    this.touch(order);
  }

  private reserveFor(c: ReserveCommand): CommandOutcome {
    if (c.amount.lte(0)) throw unprocessable('INVALID_AMOUNT', 'a reservation must be positive');
    this.ensureActive(c.participantId);
    const key = accountKey(c.participantId, c.asset);
    const d = this.delta(c.participantId, c.asset);
    const available = this.availableCovering(key, d, c.amount);
    if (available.lt(c.amount)) {
      throw c.asset === CASH
        ? unprocessable('INSUFFICIENT_FUNDS', `¥${c.amount.toFixed(2)} is needed but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `${c.amount.toString()} is needed but only ${available.toString()} is available`);
    }
    d.available = d.available.sub(c.amount);
    d.locked = d.locked.add(c.amount);
    const reservation: Reservation = {
      id: String(this.state.ids.take()),
      participantId: c.participantId,
      asset: c.asset,
      amount: c.amount,
      purpose: c.purpose,
      reference: c.reference,
      status: 'active',
      createdAt: this.now,
      updatedAt: this.now,
    };
    this.state.reservations.set(reservation.id, reservation);
    this.newReservationIds.add(reservation.id);
    this.touchedReservations.set(reservation.id, reservation);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'reservation.create',
      subject: `reservation:${reservation.id}`,
      payload: { participantId: c.participantId, asset: c.asset, amount: c.amount.toString(), purpose: c.purpose, reference: c.reference },
      at: this.now,
    });
    return { ok: true, reservation: reservationView(reservation) };
  }

  private activeReservation(id: string): Reservation {
    const r = this.state.reservations.get(id);
    if (!r || r.status !== 'active') throw conflict('RESERVATION_NOT_ACTIVE', `reservation ${id} is not active`);
    return r;
  }

  /**
   * Takes `amount` off a reservation; `toAvailable` of it goes back to the holder's available
   * balance (the rest stays locked for a trade). The reservation closes when nothing is left.
   */
  private shrinkReservation(r: Reservation, amount: DecT, toAvailable: DecT, closeAs: 'released' | 'consumed'): void {
    if (amount.gt(r.amount)) throw unprocessable('RESERVATION_TOO_SMALL', `reservation ${r.id} holds only ${r.amount.toString()}`);
    if (toAvailable.gt(0)) {
      const d = this.delta(r.participantId, r.asset);
      d.available = d.available.add(toAvailable);
      d.locked = d.locked.sub(toAvailable);
    }
    r.amount = r.amount.sub(amount);
    r.updatedAt = this.now;
    if (r.amount.isZero()) {
      r.status = closeAs;
      this.state.reservations.delete(r.id);
    }
    this.touchedReservations.set(r.id, r);
  }

  private releaseReservation(c: ReleaseCommand): CommandOutcome {
    const r = this.activeReservation(c.reservationId);
    const amount = c.amount ?? r.amount;
    this.shrinkReservation(r, amount, amount, 'released');
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'reservation.release',
      subject: `reservation:${r.id}`,
      payload: { participantId: r.participantId, asset: r.asset, released: amount.toString(), remaining: r.amount.toString() },
      at: this.now,
    });
    return { ok: true, reservation: reservationView(r) };
  }

  private offBookTrade(c: OffBookTradeCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const buyer = this.activeReservation(c.buyerReservationId);
    const seller = this.activeReservation(c.sellerReservationId);
    if (buyer.asset !== CASH || seller.asset !== c.symbol) throw unprocessable('RESERVATION_MISMATCH', 'the buyer must reserve cash and the seller the instrument');
    if (buyer.participantId === seller.participantId) throw unprocessable('SELF_TRADE', 'a participant cannot trade with itself');
    const amounts = tradeAmounts(spec, c.priceTicks, c.qtyLots);
    const cost = amounts.amount.add(amounts.buyerFee);
    const quantity = spec.lotsDecimal(c.qtyLots);
    if (buyer.amount.lt(cost)) throw unprocessable('RESERVATION_TOO_SMALL', `the buyer's reservation of ¥${buyer.amount.toFixed(2)} does not cover ¥${cost.toFixed(2)}`);
    if (seller.amount.lt(quantity)) throw unprocessable('RESERVATION_TOO_SMALL', `the seller's reservation does not cover ${quantity.toString()} ${spec.row.unit}`);
    // The trade's cost stays locked until settlement moves it; whatever else was reserved goes back now.
    this.shrinkReservation(buyer, buyer.amount, buyer.amount.sub(cost), 'consumed');
    this.shrinkReservation(seller, seller.amount, seller.amount.sub(quantity), 'consumed');
    const trade: TradeRecord = {
      id: this.state.ids.take(),
      venue: c.venue,
      symbol: spec.symbol,
      priceTicks: c.priceTicks,
      lots: c.qtyLots,
      amounts,
      buyOrder: null,
      sellOrder: null,
      buyerId: buyer.participantId,
      sellerId: seller.participantId,
      aggressorSide: 'buy',
      executedAt: this.now,
      offBookRef: c.reference,
    };
    this.trades.push(trade);
    this.touchedSymbols.add(spec.symbol);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: `trade.${c.venue}`,
      subject: `trade:${trade.id}`,
      payload: { symbol: c.symbol, price: spec.ticksToPrice(c.priceTicks), quantity: spec.lotsToQuantity(c.qtyLots), buyerId: trade.buyerId, sellerId: trade.sellerId, reference: c.reference },
      at: this.now,
    });
    return {
      ok: true,
      trade: {
        id: String(trade.id),
        venue: c.venue,
        symbol: spec.symbol,
        price: spec.ticksToPrice(c.priceTicks),
        quantity: spec.lotsToQuantity(c.qtyLots),
        amount: amounts.amount.toFixed(2),
        buyerFee: amounts.buyerFee.toFixed(2),
        sellerFee: amounts.sellerFee.toFixed(2),
        buyerId: trade.buyerId,
        sellerId: trade.sellerId,
        executedAt: this.now.toISOString(),
      },
    };
  }

  private topUpReservation(c: TopUpReservationCommand): CommandOutcome {
    const r = this.activeReservation(c.reservationId);
    if (c.amount.lte(0)) throw unprocessable('INVALID_AMOUNT', 'a top-up must be positive');
    this.ensureActive(r.participantId);
    const d = this.delta(r.participantId, r.asset);
    const available = this.availableCovering(accountKey(r.participantId, r.asset), d, c.amount);
    if (available.lt(c.amount)) {
      throw r.asset === CASH
        ? unprocessable('INSUFFICIENT_FUNDS', `¥${c.amount.toFixed(2)} more is needed but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `${c.amount.toString()} more is needed but only ${available.toString()} is available`);
    }
    d.available = d.available.sub(c.amount);
    d.locked = d.locked.add(c.amount);
    r.amount = r.amount.add(c.amount);
    r.updatedAt = this.now;
    this.touchedReservations.set(r.id, r);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'reservation.topUp',
      subject: `reservation:${r.id}`,
      payload: { participantId: r.participantId, asset: r.asset, added: c.amount.toString(), amount: r.amount.toString() },
      at: this.now,
    });
    return { ok: true, reservation: reservationView(r) };
  }

  private splitReservation(c: SplitReservationCommand): CommandOutcome {
    const r = this.activeReservation(c.reservationId);
    if (c.parts.length === 0 || c.parts.some((p) => p.amount.lte(0))) throw unprocessable('INVALID_AMOUNT', 'every part of a split must be positive');
    const total = c.parts.reduce((sum, p) => sum.add(p.amount), ZERO);
    // The parts stay locked: they only change which reservation explains the lock.
    this.shrinkReservation(r, total, ZERO, 'consumed');
    const parts = c.parts.map((p) => {
      const part: Reservation = {
        id: String(this.state.ids.take()),
        participantId: r.participantId,
        asset: r.asset,
        amount: p.amount,
        purpose: p.purpose,
        reference: p.reference,
        status: 'active',
        createdAt: this.now,
        updatedAt: this.now,
      };
      this.state.reservations.set(part.id, part);
      this.newReservationIds.add(part.id);
      this.touchedReservations.set(part.id, part);
      return part;
    });
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'reservation.split',
      subject: `reservation:${r.id}`,
      payload: { participantId: r.participantId, asset: r.asset, remaining: r.amount.toString(), parts: parts.map((p) => ({ id: p.id, amount: p.amount.toString(), reference: p.reference })) },
      at: this.now,
    });
    return { ok: true, reservations: parts.map(reservationView) };
  }

  private expireDay(c: ExpireDayCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const result = this.book(c.symbol).apply({ type: 'expireDay', timestamp: this.now.getTime() });
    if (result.code !== 'OK') throw this.rejection(result.code);
    const expired: LiveOrder[] = [];
    for (const event of result.events) {
      if (event.type === 'cancelled') expired.push(this.liveOrOwn(event.orderId, null));
    }
    this.applyResult(null, spec, result);
    for (const order of expired) {
      this.audits.push({
        actorUserId: c.actor.userId,
        actor: c.actor.username,
        action: 'order.expire',
        subject: `order:${order.id}`,
        payload: { participantId: order.participantId, symbol: c.symbol, reason: c.reason, expiredQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) },
        at: this.now,
      });
    }
    return { ok: true, expired: { symbol: c.symbol, orderIds: expired.map((o) => String(o.id)) } };
  }

  private setReferencePrice(c: SetReferencePriceCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const result = this.book(c.symbol).apply({ type: 'setReferencePrice', referencePriceTicks: c.priceTicks, timestamp: this.now.getTime() });
    if (result.code !== 'OK') throw this.rejection(result.code);
    const previous = spec.ticksToPrice(spec.referenceTicks);
    const price = spec.ticksToPrice(c.priceTicks);
    // The spec derives its band from the reference price once, so a new price is a new spec.
    this.state.specs.set(c.symbol, new InstrumentSpec({ ...spec.row, reference_price: price }));
    this.referenceChanges.push({ symbol: c.symbol, price });
    this.touchedSymbols.add(c.symbol);
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: 'instrument.reference',
      subject: `instrument:${c.symbol}`,
      payload: { symbol: c.symbol, previous, price, reason: c.reason },
      at: this.now,
    });
    return { ok: true, referencePrice: { symbol: c.symbol, price, previous } };
  }

  private setParticipantStatus(c: SetParticipantStatusCommand): CommandOutcome {
    const cancelled: string[] = [];
    const released: string[] = [];
    if (c.status === 'suspended') {
      this.state.suspended.add(c.participantId);
      const orders = [...this.state.live.values()].filter((o) => o.participantId === c.participantId);
      for (const order of orders) {
        const spec = this.spec(order.symbol);
        const result = this.book(order.symbol).apply({ type: 'cancel', orderId: order.id, timestamp: this.now.getTime() });
        if (result.code !== 'OK') throw new Error(`suspension: the book refused to cancel live order ${order.id}: ${result.code}`);
        this.touch(order);
        this.applyResult(order, spec, result);
        order.cancelReason = 'suspended';
        cancelled.push(String(order.id));
      }
      const reservations = [...this.state.reservations.values()].filter((r) => r.participantId === c.participantId);
      for (const r of reservations) {
        this.shrinkReservation(r, r.amount, r.amount, 'released');
        released.push(r.id);
      }
    } else {
      this.state.suspended.delete(c.participantId);
    }
    this.participantChanges.push({ participantId: c.participantId, status: c.status });
    this.audits.push({
      actorUserId: c.actor.userId,
      actor: c.actor.username,
      action: c.status === 'suspended' ? 'participant.suspend' : 'participant.reinstate',
      subject: `participant:${c.participantId}`,
      payload: { participantId: c.participantId, reason: c.reason, cancelledOrders: cancelled, releasedReservations: released },
      at: this.now,
    });
    return { ok: true, participant: { participantId: c.participantId, status: c.status, cancelledOrderIds: cancelled, releasedReservationIds: released } };
  }

  private liveOrOwn(orderId: number, own: LiveOrder | null): LiveOrder {
    if (own && orderId === own.id) return own;
    const order = this.state.live.get(orderId);
    if (!order) throw new Error(`book event names order ${orderId}, which the engine host does not know`);
    return order;
  }

  private recordFill(spec: InstrumentSpec, taker: LiveOrder, maker: LiveOrder, priceTicks: number, lots: number, aggressorSide: 'buy' | 'sell', incoming: LiveOrder | null): TradeRecord {
    const buyOrder = taker.side === 'buy' ? taker : maker;
    const sellOrder = taker.side === 'buy' ? maker : taker;
    const amounts = tradeAmounts(spec, priceTicks, lots, { buyerFeeBps: buyOrder.feeBps, sellerFeeBps: sellOrder.feeBps });
    // The buyer locked reservePerLot for each lot; what the fill does not cost goes back at once,
    // and the cost itself stays locked until settlement pays the seller.
    const unused = buyOrder.reservePerLot!.mul(lots).sub(amounts.amount).sub(amounts.buyerFee);
    if (unused.lt(0)) throw new Error(`reservation shortfall on order ${buyOrder.id}`);
    if (unused.gt(0)) this.release(buyOrder, unused);
    for (const order of [taker, maker]) {
      order.filledLots += lots;
      order.updatedAt = this.now;
      // The incoming order's final status is settled once all its events are walked; an order that
      // was resting (every order in an auction uncross) is final after each fill.
      if (order !== incoming) {
        order.status = order.filledLots === order.qtyLots ? 'filled' : 'partially_filled';
        if (order.status === 'filled') this.state.live.delete(order.id);
      } else {
        order.status = 'partially_filled';
      }
      this.touch(order);
    }
    const trade: TradeRecord = {
      id: this.state.ids.take(),
      venue: 'book',
      symbol: spec.symbol,
      priceTicks,
      lots,
      amounts,
      buyOrder,
      sellOrder,
      buyerId: buyOrder.participantId,
      sellerId: sellOrder.participantId,
      aggressorSide,
      executedAt: this.now,
    };
    this.trades.push(trade);
    return trade;
  }

  private reservationFor(order: LiveOrder, spec: InstrumentSpec, lots: number): DecT {
    return order.side === 'buy' ? order.reservePerLot!.mul(lots) : spec.lotsDecimal(lots);
  }

  private assetOf(order: LiveOrder): string {
    return order.side === 'buy' ? CASH : order.symbol;
  }

  private delta(participantId: string, asset: string): BalanceDelta {
    const key = accountKey(participantId, asset);
    let d = this.deltas.get(key);
    if (!d) {
      d = { participantId, asset, available: ZERO, locked: ZERO };
      this.deltas.set(key, d);
    }
    return d;
  }

  /**
   * What is available to this batch on an account. When that falls short of `need` and the
   * figure came from the cache, the command is deferred to a fresh read instead of refused.
   */
  private availableCovering(key: string, d: BalanceDelta, need: DecT): DecT {
    const available = (this.available.get(key) ?? ZERO).add(d.available);
    if (available.lt(need) && !this.fresh.has(key)) throw new StaleBalance(key);
    return available;
  }

  private reserve(order: LiveOrder, amount: DecT): void {
    const asset = this.assetOf(order);
    const key = accountKey(order.participantId, asset);
    const d = this.delta(order.participantId, asset);
    const available = this.availableCovering(key, d, amount);
    if (available.lt(amount)) {
      throw order.side === 'buy'
        ? unprocessable('INSUFFICIENT_FUNDS', `this order needs ¥${amount.toFixed(2)} but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `this order needs ${amount.toString()} but only ${available.toString()} is available to sell`);
    }
    d.available = d.available.sub(amount);
    d.locked = d.locked.add(amount);
  }

  private release(order: LiveOrder, amount: DecT): void {
    if (amount.isZero()) return;
    const d = this.delta(order.participantId, this.assetOf(order));
    d.available = d.available.add(amount);
    d.locked = d.locked.sub(amount);
  }

  private touch(order: LiveOrder): void {
    this.touchedOrders.set(order.id, order);
  }

  private rejection(code: RejectCode): AppError {
    return new AppError(rejectStatus[code] ?? 422, code, rejectMessages[code] ?? code.toLowerCase().replace(/_/g, ' '));
  }
}

