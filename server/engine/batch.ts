import type { OrderBook } from '../../matching/index.ts';
import type { ApplyResult, CancelReason, RejectCode } from '../../matching/types.ts';
import { AppError, conflict, forbidden, notFound, unavailable, unprocessable } from '../errors.ts';
import type { Dec as DecT } from '../shared/decimal.ts';
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
  ReserveCommand,
  SetModeCommand,
  SetParticipantStatusCommand,
  SetReferencePriceCommand,
  SplitReservationCommand,
  TopUpReservationCommand,
  UncrossCommand,
} from './commands.ts';
import { orderView } from './order-view.ts';
import { CASH } from './assets.ts';
import { auditEntry } from './audit-entry.ts';
import { assetOf, Holds, StaleBalance, type BalanceDelta } from './holds.ts';
import { reservationView, type Reservation } from './reservation.ts';

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
  readonly holds: Holds;
  readonly deltas: Map<string, BalanceDelta>;
  readonly touchedOrders = new Map<number, LiveOrder>();
  readonly newOrderIds = new Set<number>();
  readonly trades: TradeRecord[] = [];
  readonly audits: AuditEntry[] = [];
  readonly instrumentChanges: InstrumentChange[] = [];
  readonly touchedSymbols = new Set<string>();
  readonly outcomes: CommandOutcome[] = [];
  readonly consumptions: Consumption[] = [];
  readonly touchedReservations: Map<string, Reservation>;
  readonly newReservationIds: Set<string>;
  readonly referenceChanges: ReferenceChange[] = [];
  readonly participantChanges: ParticipantChange[] = [];
  /** Commands refused only on a cached balance: the host runs them again on a fresh read. */
  readonly deferred: Array<{ index: number; key: string }> = [];

  constructor(
    private readonly state: EngineState,
    /** Available balances at the start of the batch, keyed participant|asset: see Holds. */
    available: Map<string, DecT>,
    private readonly now: Date,
    fresh: ReadonlySet<string> = new Set(available.keys()),
  ) {
    this.holds = new Holds(available, fresh, state.reservations, state.ids, now);
    this.deltas = this.holds.deltas;
    this.touchedReservations = this.holds.touchedReservations;
    this.newReservationIds = this.holds.newReservationIds;
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
    this.audits.push(auditEntry(c.actor, 'order.place', `order:${order.id}`, {
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
    }, this.now));
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
    this.audits.push(auditEntry(c.actor, 'order.cancel', `order:${order.id}`, { participantId: c.participantId, symbol: order.symbol, cancelledQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) }, this.now));
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
    this.audits.push(auditEntry(c.actor, 'order.amend', `order:${order.id}`, {
      participantId: c.participantId,
      symbol: order.symbol,
      from: { quantity: spec.lotsToQuantity(before.qtyLots), price: before.priceTicks === null ? null : spec.ticksToPrice(before.priceTicks) },
      to: { quantity: spec.lotsToQuantity(order.qtyLots), price: order.priceTicks === null ? null : spec.ticksToPrice(order.priceTicks) },
      fills: fills.map((f) => f.tradeId),
    }, this.now));
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
    this.audits.push(auditEntry(c.actor, c.mode === 'halted' ? 'instrument.halt' : 'instrument.resume', `instrument:${c.symbol}`, { symbol: c.symbol, status, reason: c.reason }, this.now));
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
    this.audits.push(auditEntry(c.actor, 'instrument.uncross', `instrument:${c.symbol}`, { symbol: c.symbol, reason: c.reason, price, quantity: spec.lotsToQuantity(lots), trades: trades.map((t) => String(t.id)) }, this.now));
    return { ok: true, uncross: { symbol: c.symbol, trades: trades.length, price, quantity: spec.lotsToQuantity(lots) } };
  }

  private consume(c: ConsumeCommand): CommandOutcome {
    this.ensureActive(c.participantId);
    const spec = this.spec(c.symbol);
    const quantity = spec.lotsDecimal(c.qtyLots);
    if (this.consumptions.some((x) => x.command.participantId === c.participantId && x.command.requestId === c.requestId)) {
      throw conflict('DUPLICATE_REQUEST', `request ${c.requestId} is already being processed`);
    }
    this.holds.take(c.participantId, c.symbol, quantity, (available) =>
      unprocessable(
        'INSUFFICIENT_HOLDINGS',
        `${c.action === 'use' ? 'use' : 'retirement'} of ${spec.lotsToQuantity(c.qtyLots)} ${spec.row.unit} exceeds the ${available.toString()} available`,
      ),
    );
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
    this.audits.push(auditEntry(c.actor, c.action === 'use' ? 'registry.use' : 'registry.retire', `registry-action:${id}`, { participantId: c.participantId, ...view }, this.now));
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
    const reservation = this.holds.reserve(c.participantId, c.asset, c.amount, c.purpose, c.reference, (available) =>
      c.asset === CASH
        ? unprocessable('INSUFFICIENT_FUNDS', `¥${c.amount.toFixed(2)} is needed but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `${c.amount.toString()} is needed but only ${available.toString()} is available`),
    );
    this.audits.push(auditEntry(c.actor, 'reservation.create', `reservation:${reservation.id}`, { participantId: c.participantId, asset: c.asset, amount: c.amount.toString(), purpose: c.purpose, reference: c.reference }, this.now));
    return { ok: true, reservation: reservationView(reservation) };
  }

  private releaseReservation(c: ReleaseCommand): CommandOutcome {
    const r = this.holds.active(c.reservationId);
    const amount = c.amount ?? r.amount;
    this.holds.shrink(r, amount, amount, 'released');
    this.audits.push(auditEntry(c.actor, 'reservation.release', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, released: amount.toString(), remaining: r.amount.toString() }, this.now));
    return { ok: true, reservation: reservationView(r) };
  }

  private offBookTrade(c: OffBookTradeCommand): CommandOutcome {
    const spec = this.spec(c.symbol);
    const buyer = this.holds.active(c.buyerReservationId);
    const seller = this.holds.active(c.sellerReservationId);
    if (buyer.asset !== CASH || seller.asset !== c.symbol) throw unprocessable('RESERVATION_MISMATCH', 'the buyer must reserve cash and the seller the instrument');
    if (buyer.participantId === seller.participantId) throw unprocessable('SELF_TRADE', 'a participant cannot trade with itself');
    const amounts = tradeAmounts(spec, c.priceTicks, c.qtyLots);
    const cost = amounts.amount.add(amounts.buyerFee);
    const quantity = spec.lotsDecimal(c.qtyLots);
    if (buyer.amount.lt(cost)) throw unprocessable('RESERVATION_TOO_SMALL', `the buyer's reservation of ¥${buyer.amount.toFixed(2)} does not cover ¥${cost.toFixed(2)}`);
    if (seller.amount.lt(quantity)) throw unprocessable('RESERVATION_TOO_SMALL', `the seller's reservation does not cover ${quantity.toString()} ${spec.row.unit}`);
    // The trade's cost stays locked until settlement moves it; whatever else was reserved goes back now.
    this.holds.shrink(buyer, buyer.amount, buyer.amount.sub(cost), 'consumed');
    this.holds.shrink(seller, seller.amount, seller.amount.sub(quantity), 'consumed');
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
    this.audits.push(auditEntry(c.actor, `trade.${c.venue}`, `trade:${trade.id}`, { symbol: c.symbol, price: spec.ticksToPrice(c.priceTicks), quantity: spec.lotsToQuantity(c.qtyLots), buyerId: trade.buyerId, sellerId: trade.sellerId, reference: c.reference }, this.now));
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
    const r = this.holds.active(c.reservationId);
    if (c.amount.lte(0)) throw unprocessable('INVALID_AMOUNT', 'a top-up must be positive');
    this.ensureActive(r.participantId);
    this.holds.topUp(r, c.amount, (available) =>
      r.asset === CASH
        ? unprocessable('INSUFFICIENT_FUNDS', `¥${c.amount.toFixed(2)} more is needed but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `${c.amount.toString()} more is needed but only ${available.toString()} is available`),
    );
    this.audits.push(auditEntry(c.actor, 'reservation.topUp', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, added: c.amount.toString(), amount: r.amount.toString() }, this.now));
    return { ok: true, reservation: reservationView(r) };
  }

  private splitReservation(c: SplitReservationCommand): CommandOutcome {
    const r = this.holds.active(c.reservationId);
    if (c.parts.length === 0 || c.parts.some((p) => p.amount.lte(0))) throw unprocessable('INVALID_AMOUNT', 'every part of a split must be positive');
    const parts = this.holds.split(r, c.parts);
    this.audits.push(auditEntry(c.actor, 'reservation.split', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, remaining: r.amount.toString(), parts: parts.map((p) => ({ id: p.id, amount: p.amount.toString(), reference: p.reference })) }, this.now));
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
      this.audits.push(auditEntry(c.actor, 'order.expire', `order:${order.id}`, { participantId: order.participantId, symbol: c.symbol, reason: c.reason, expiredQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) }, this.now));
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
    this.audits.push(auditEntry(c.actor, 'instrument.reference', `instrument:${c.symbol}`, { symbol: c.symbol, previous, price, reason: c.reason }, this.now));
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
      const reservations = this.holds.reservationsOf(c.participantId);
      for (const r of reservations) {
        this.holds.shrink(r, r.amount, r.amount, 'released');
        released.push(r.id);
      }
    } else {
      this.state.suspended.delete(c.participantId);
    }
    this.participantChanges.push({ participantId: c.participantId, status: c.status });
    this.audits.push(auditEntry(c.actor, c.status === 'suspended' ? 'participant.suspend' : 'participant.reinstate', `participant:${c.participantId}`, { participantId: c.participantId, reason: c.reason, cancelledOrders: cancelled, releasedReservations: released }, this.now));
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

  /** Locks what an order needs, refused as the order's own shortfall. */
  private reserve(order: LiveOrder, amount: DecT): void {
    this.holds.lock(order.participantId, assetOf(order), amount, (available) =>
      order.side === 'buy'
        ? unprocessable('INSUFFICIENT_FUNDS', `this order needs ¥${amount.toFixed(2)} but only ¥${available.toFixed(2)} is available`)
        : unprocessable('INSUFFICIENT_HOLDINGS', `this order needs ${amount.toString()} but only ${available.toString()} is available to sell`),
    );
  }

  private release(order: LiveOrder, amount: DecT): void {
    if (amount.isZero()) return;
    this.holds.unlock(order.participantId, assetOf(order), amount);
  }

  private touch(order: LiveOrder): void {
    this.touchedOrders.set(order.id, order);
  }

  private rejection(code: RejectCode): AppError {
    return new AppError(rejectStatus[code] ?? 422, code, rejectMessages[code] ?? code.toLowerCase().replace(/_/g, ' '));
  }
}

