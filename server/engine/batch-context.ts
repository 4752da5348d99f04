import type { OrderBook } from '../../matching/index.ts';
import { forbidden, notFound } from '../errors.ts';
import type { Dec } from '../shared/decimal.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import type { TradeAmounts } from '../ledger/trade-economics.ts';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { IdAllocator } from './id-allocator.ts';
import type { LiveOrder } from './live-order.ts';
import type { Actor, ConsumeCommand, FreezeLotCommand, RegistryActionView, RevokeLotCommand, SystemActor, UnfreezeLotCommand } from './commands.ts';
import { auditEntry } from './audit-entry.ts';
import { Holds, type BalanceDelta } from './holds.ts';
import type { Reservation } from './reservation.ts';

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
  quantity: Dec;
}

/** A lot's legal controls as the engine enforces them; lots without controls are absent. */
export interface LotControlState {
  /** The open freeze and the reservations that lock its pieces. */
  frozen: { freezeId: string; reservationIds: string[] } | null;
  revoked: boolean;
}

/** A lot control for the writer: the rows it leaves (lot-control-writer.ts). */
export type LotControlWrite =
  | { kind: 'freeze'; command: FreezeLotCommand; freezeId: string; pieces: Array<{ participantId: string; quantity: Dec; reservationId: string }> }
  | { kind: 'unfreeze'; command: UnfreezeLotCommand; freezeId: string; pieces: Array<{ participantId: string; quantity: Dec }> }
  | { kind: 'revoke'; command: RevokeLotCommand; revocationId: string };

export interface EngineState {
  books: Map<string, OrderBook>;
  specs: Map<string, InstrumentSpec>;
  live: Map<number, LiveOrder>;
  /** Active reservations by id. */
  reservations: Map<string, Reservation>;
  /** Suspended participants: their orders and reservations are refused. */
  suspended: Set<string>;
  /** Frozen and revoked lots by lot id. */
  lots: Map<string, LotControlState>;
  ids: IdAllocator;
}

/**
 * What one batch has done so far, collected for the writer: the command handlers (book-commands,
 * reservation-commands, registry-commands, participant-commands) add to it and read the engine's
 * state through it. Nothing here does I/O.
 */
export class BatchContext {
  readonly holds: Holds;
  readonly deltas: Map<string, BalanceDelta>;
  readonly touchedOrders = new Map<number, LiveOrder>();
  readonly newOrderIds = new Set<number>();
  readonly trades: TradeRecord[] = [];
  readonly audits: AuditEntry[] = [];
  readonly instrumentChanges: InstrumentChange[] = [];
  readonly touchedSymbols = new Set<string>();
  readonly consumptions: Consumption[] = [];
  readonly touchedReservations: Map<string, Reservation>;
  readonly newReservationIds: Set<string>;
  readonly referenceChanges: ReferenceChange[] = [];
  readonly participantChanges: ParticipantChange[] = [];
  readonly lotControls: LotControlWrite[] = [];

  constructor(
    readonly state: EngineState,
    /** Available balances at the start of the batch, keyed participant|asset: see Holds. */
    available: Map<string, Dec>,
    readonly now: Date,
    fresh: ReadonlySet<string>,
  ) {
    this.holds = new Holds(available, fresh, state.reservations, state.ids, now);
    this.deltas = this.holds.deltas;
    this.touchedReservations = this.holds.touchedReservations;
    this.newReservationIds = this.holds.newReservationIds;
  }

  spec(symbol: string): InstrumentSpec {
    const spec = this.state.specs.get(symbol);
    if (!spec) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return spec;
  }

  book(symbol: string): OrderBook {
    const book = this.state.books.get(symbol);
    if (!book) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    return book;
  }

  ensureActive(participantId: string): void {
    if (this.state.suspended.has(participantId)) throw forbidden('PARTICIPANT_SUSPENDED', 'this participant is suspended and cannot trade');
  }

  /** Marks an order to be written (inserted when it is new in this batch, updated otherwise). */
  touch(order: LiveOrder): void {
    this.touchedOrders.set(order.id, order);
  }

  audit(actor: Actor | SystemActor, action: string, subject: string, payload: Record<string, unknown>): void {
    this.audits.push(auditEntry(actor, action, subject, payload, this.now));
  }
}
