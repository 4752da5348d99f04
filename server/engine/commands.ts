import type { AppError } from '../errors.ts';
import type { OrderKind, Side, TimeInForce, TradingMode } from '../../matching/types.ts';
import type { ParticipantKind } from '../auth/auth-context.ts';
import type { Dec } from '../shared/decimal.ts';
import type { InstrumentStatusChange } from '../../contract/regulator.ts';
import type { OrderStatus } from '../../contract/orders.ts';

/** Who asked, as the audit log records it. */
export interface Actor {
  userId: string;
  username: string;
}

export interface PlaceCommand {
  kind: 'place';
  actor: Actor;
  participantId: string;
  participantKind: ParticipantKind;
  symbol: string;
  side: Side;
  type: OrderKind;
  /** Null for market orders. */
  priceTicks: number | null;
  qtyLots: number;
  tif: TimeInForce;
  clientOrderId: string | null;
  /** Fingerprint of the request's terms, stored with the clientOrderId (see request-fingerprint.ts). */
  requestFingerprint?: string | null;
}

export interface CancelCommand {
  kind: 'cancel';
  actor: Actor;
  participantId: string;
  orderId: number;
}

export interface AmendCommand {
  kind: 'amend';
  actor: Actor;
  participantId: string;
  orderId: number;
  /** New limit price in ticks, or null to keep it. */
  priceTicks: number | null;
  /** New total order quantity in lots (filled included), or null to keep it. */
  qtyLots: number | null;
}

/** The platform itself acting (surveillance's automatic volatility halt); audited without a user id. */
export interface SystemActor {
  userId: null;
  username: string;
}

export interface SetModeCommand {
  kind: 'setMode';
  actor: Actor | SystemActor;
  symbol: string;
  mode: TradingMode;
  reason: string;
}

/**
 * Use (核销) or retirement (注销): removes available quantity for good. It runs through the
 * engine host because every decrease of available balances is serialised there, so a batch's
 * reservation checks can never be undercut by a concurrent consumption.
 */
export interface ConsumeCommand {
  kind: 'consume';
  actor: Actor;
  participantId: string;
  action: 'use' | 'retire';
  symbol: string;
  qtyLots: number;
  requestId: string;
  /** Fingerprint of the request's terms, stored with the requestId. */
  requestFingerprint?: string | null;
  projectName: string | null;
  approvalRef: string | null;
  beneficiary: string | null;
  reason: string | null;
}

/**
 * Ends a call auction: everything crossable trades at the one equilibrium price and the book stays
 * in auction mode. Its fills are recorded exactly like continuous fills (orders, trades, outbox).
 */
export interface UncrossCommand {
  kind: 'uncross';
  actor: Actor | SystemActor;
  symbol: string;
  reason: string;
}

/** Sets cash or quantity aside for an off-book purpose (a bidder margin, a block trade). */
export interface ReserveCommand {
  kind: 'reserve';
  actor: Actor;
  participantId: string;
  /** 'CNY' or an instrument symbol. */
  asset: string;
  amount: Dec;
  purpose: string;
  reference: string;
}

/** Gives a reservation (or part of it) back to the holder's available balance. */
export interface ReleaseCommand {
  kind: 'release';
  actor: Actor | SystemActor;
  reservationId: string;
  /** Null: release all that remains. */
  amount: Dec | null;
}

/**
 * Records a trade made off the book (block trade, listing auction). The buyer's cash reservation
 * must cover amount + buyer fee and the seller's quantity reservation the quantity; what they
 * hold beyond that goes back to available. The trade then settles like any other.
 */
export interface OffBookTradeCommand {
  kind: 'offBookTrade';
  actor: Actor | SystemActor;
  venue: 'block' | 'listing';
  symbol: string;
  priceTicks: number;
  qtyLots: number;
  buyerReservationId: string;
  sellerReservationId: string;
  reference: string;
}

/** Adds to an active reservation from the holder's available balance (a leading bid's payment on top of its margin). */
export interface TopUpReservationCommand {
  kind: 'topUpReservation';
  actor: Actor | SystemActor;
  reservationId: string;
  amount: Dec;
}

/**
 * Carves parts out of an active reservation into new reservations of the same holder and asset
 * (one per buyer of a multi-unit listing); no balance moves. What is left stays reserved.
 */
export interface SplitReservationCommand {
  kind: 'splitReservation';
  actor: Actor | SystemActor;
  reservationId: string;
  parts: Array<{ amount: Dec; purpose: string; reference: string }>;
}

/** Session close: cancels every resting DAY order of the instrument, releasing what each reserved. */
export interface ExpireDayCommand {
  kind: 'expireDay';
  actor: Actor | SystemActor;
  symbol: string;
  reason: string;
}

/** Moves the reference price, and with it the price band; resting orders keep their prices. */
export interface SetReferencePriceCommand {
  kind: 'setReferencePrice';
  actor: Actor | SystemActor;
  symbol: string;
  priceTicks: number;
  reason: string;
}

/**
 * Suspends or reinstates a participant. Suspension cancels its open orders and releases its
 * reservations in the same batch; from then on the engine refuses its orders and reservations.
 */
export interface SetParticipantStatusCommand {
  kind: 'setParticipantStatus';
  actor: Actor;
  participantId: string;
  status: 'active' | 'suspended';
  reason: string;
}

export type FreezeReason = 'dispute' | 'court_order' | 'pledge';

/**
 * Freezes (冻结) every piece of a lot where it lies: each holder's piece, as the registry read it,
 * is locked in a reservation. The writer checks the pieces against lot_holdings under lock.
 */
export interface FreezeLotCommand {
  kind: 'freezeLot';
  actor: Actor;
  lotId: string;
  symbol: string;
  reason: FreezeReason;
  note: string;
  pieces: Array<{ participantId: string; quantity: Dec }>;
}

/** Lifts a lot's open freeze: exactly what it locked goes back to each holder's available balance. */
export interface UnfreezeLotCommand {
  kind: 'unfreezeLot';
  actor: Actor;
  lotId: string;
  note: string;
}

/**
 * Revokes (撤销) a lot: what its registrant still holds of it (`quantity`, as the registry read it)
 * goes back to issuance; what others bought of it stays theirs and is flagged to regulators.
 */
export interface RevokeLotCommand {
  kind: 'revokeLot';
  actor: Actor;
  lotId: string;
  symbol: string;
  holderId: string;
  quantity: Dec;
  reason: string;
}

export type EngineCommand =
  | FreezeLotCommand
  | UnfreezeLotCommand
  | RevokeLotCommand
  | PlaceCommand
  | CancelCommand
  | AmendCommand
  | SetModeCommand
  | ConsumeCommand
  | UncrossCommand
  | ReserveCommand
  | ReleaseCommand
  | OffBookTradeCommand
  | TopUpReservationCommand
  | SplitReservationCommand
  | ExpireDayCommand
  | SetReferencePriceCommand
  | SetParticipantStatusCommand;

export interface ReservationView {
  id: string;
  participantId: string;
  asset: string;
  amount: string;
  purpose: string;
  reference: string;
  status: 'active' | 'released' | 'consumed';
}

export interface OffBookTradeView {
  id: string;
  venue: 'block' | 'listing';
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyerFee: string;
  sellerFee: string;
  buyerId: string;
  sellerId: string;
  executedAt: string;
}

export interface OrderView {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: Side;
  type: OrderKind;
  timeInForce: TimeInForce;
  price: string | null;
  quantity: string;
  filledQuantity: string;
  status: OrderStatus;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FillView {
  tradeId: string;
  price: string;
  quantity: string;
}

export interface RegistryActionView {
  id: string;
  kind: 'use' | 'retire';
  symbol: string;
  quantity: string;
  requestId: string;
  projectName: string | null;
  approvalRef: string | null;
  beneficiary: string | null;
  reason: string | null;
  certificateNo: string;
  createdAt: string;
}

export interface OrderResult {
  order: OrderView;
  fills: FillView[];
}

/** What a halt, resume or session change leaves an instrument in: the contract's shape. */
export type InstrumentStatusView = InstrumentStatusChange;

export interface ParticipantStatusView {
  participantId: string;
  status: 'active' | 'suspended';
  cancelledOrderIds: string[];
  releasedReservationIds: string[];
}

export interface LotControlView {
  lotId: string;
  /** The freeze's or revocation's id. */
  id: string;
  /** Per holder: what the freeze locked or released, or what the revocation removed. */
  pieces: Array<{ participantId: string; quantity: string }>;
}

/** What each command answers when the engine accepts it, by command kind. */
interface Results {
  freezeLot: { control: LotControlView };
  unfreezeLot: { control: LotControlView };
  revokeLot: { control: LotControlView };
  place: OrderResult;
  cancel: OrderResult;
  amend: OrderResult;
  setMode: { instrument: InstrumentStatusView };
  consume: { registryAction: RegistryActionView };
  uncross: { uncross: { symbol: string; trades: number; price: string | null; quantity: string } };
  reserve: { reservation: ReservationView };
  release: { reservation: ReservationView };
  topUpReservation: { reservation: ReservationView };
  splitReservation: { reservations: ReservationView[] };
  offBookTrade: { trade: OffBookTradeView };
  expireDay: { expired: { symbol: string; orderIds: string[] } };
  setReferencePrice: { referencePrice: { symbol: string; price: string; previous: string } };
  setParticipantStatus: { participant: ParticipantStatusView };
}

/** A command the engine refused: the error says why, and nothing changed. */
export interface Refused {
  ok: false;
  error: AppError;
}

export type Accepted<C extends EngineCommand> = { ok: true } & Results[C['kind']];

/** The answer to one command: `submit(c)` resolves to this, so no caller narrows it by hand. */
export type OutcomeOf<C extends EngineCommand> = Accepted<C> | Refused;

export type CommandOutcome = OutcomeOf<EngineCommand>;

/** An accepted command's answer, or its refusal thrown (for callers that pass refusals on). */
export function accepted<A extends { ok: true }>(outcome: A | Refused): A {
  if (!outcome.ok) throw outcome.error;
  return outcome;
}
