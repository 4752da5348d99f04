import { conflict, unprocessable, type AppError } from '../errors.ts';
import { ZERO, type Dec } from '../shared/decimal.ts';
import { accountKey, CASH } from './assets.ts';
import type { EngineCommand } from './commands.ts';
import type { LiveOrder } from './live-order.ts';
import { LOT_FREEZE, type Reservation } from './reservation.ts';

/** What a batch changes on one account: amounts added to available and to locked (either may be negative). */
export interface BalanceDelta {
  participantId: string;
  asset: string;
  available: Dec;
  locked: Dec;
}

/** Thrown before any change when a cached balance is too low to decide a command. */
export class StaleBalance extends Error {
  constructor(readonly key: string) {
    super(`cached balance of ${key} is too low to decide`);
  }
}

/** What the holds need of the engine: ids handed out synchronously (IdAllocator). */
export interface IdSource {
  take(): number;
}

/** Makes the refusal for a command its account cannot cover, from what is available and what of the account is frozen. */
export type Refusal = (available: Dec, frozen: Dec) => AppError;

/**
 * The risk step that runs before matching (exchange-core's RiskEngine): full prefunding of
 * every order and reservation. It checks each lock against the batch's available balances and
 * collects what moves between available and locked, and which reservations change; nothing here
 * does I/O. PostgreSQL's `CHECK (available >= 0 AND locked >= 0)` enforces the same rule again.
 */
export class Holds {
  readonly deltas = new Map<string, BalanceDelta>();
  readonly touchedReservations = new Map<string, Reservation>();
  readonly newReservationIds = new Set<string>();

  constructor(
    /**
     * Available balances at the start of the batch, keyed participant|asset. Those not in `fresh`
     * come from the host's cache and may be low (deposits and settlement add to available
     * outside the engine; nothing else takes from it), never high.
     */
    private readonly available: Map<string, Dec>,
    private readonly fresh: ReadonlySet<string>,
    /** Active reservations by id (the engine's state; closed ones leave it). */
    private readonly reservations: Map<string, Reservation>,
    private readonly ids: IdSource,
    private readonly now: Date,
  ) {}

  /** Moves `amount` from available to locked, or throws what `refuse` makes of a shortfall. */
  lock(participantId: string, asset: string, amount: Dec, refuse: Refusal): void {
    const d = this.delta(participantId, asset);
    const available = this.availableCovering(accountKey(participantId, asset), d, amount);
    if (available.lt(amount)) throw refuse(available, this.frozenOf(participantId, asset));
    d.available = d.available.sub(amount);
    d.locked = d.locked.add(amount);
  }

  /**
   * What is available on an account to this batch, for a command that must check several locks
   * before it makes any (throws StaleBalance when a cached figure cannot decide `need`).
   */
  availableFor(participantId: string, asset: string, need: Dec): Dec {
    return this.availableCovering(accountKey(participantId, asset), this.delta(participantId, asset), need);
  }

  /** Moves `amount` from locked back to available. */
  unlock(participantId: string, asset: string, amount: Dec): void {
    const d = this.delta(participantId, asset);
    d.available = d.available.add(amount);
    d.locked = d.locked.sub(amount);
  }

  /** Takes `amount` out of available for good (a use or retirement), or throws what `refuse` makes of a shortfall. */
  take(participantId: string, asset: string, amount: Dec, refuse: Refusal): void {
    const d = this.delta(participantId, asset);
    const available = this.availableCovering(accountKey(participantId, asset), d, amount);
    if (available.lt(amount)) throw refuse(available, this.frozenOf(participantId, asset));
    d.available = d.available.sub(amount);
  }

  /** Locks `amount` of available into a new active reservation. */
  reserve(participantId: string, asset: string, amount: Dec, purpose: string, reference: string, refuse: Refusal): Reservation {
    this.lock(participantId, asset, amount, refuse);
    return this.open({ participantId, asset, amount, purpose, reference });
  }

  active(id: string): Reservation {
    const r = this.reservations.get(id);
    if (!r || r.status !== 'active') throw conflict('RESERVATION_NOT_ACTIVE', `reservation ${id} is not active`);
    return r;
  }

  /** Adds `amount` of the holder's available balance to an active reservation. */
  topUp(r: Reservation, amount: Dec, refuse: Refusal): void {
    this.lock(r.participantId, r.asset, amount, refuse);
    r.amount = r.amount.add(amount);
    r.updatedAt = this.now;
    this.touchedReservations.set(r.id, r);
  }

  /**
   * Takes `amount` off a reservation; `toAvailable` of it goes back to the holder's available
   * balance (the rest stays locked for a trade). The reservation closes when nothing is left.
   */
  shrink(r: Reservation, amount: Dec, toAvailable: Dec, closeAs: 'released' | 'consumed'): void {
    if (amount.gt(r.amount)) throw unprocessable('RESERVATION_TOO_SMALL', `reservation ${r.id} holds only ${r.amount.toString()}`);
    if (toAvailable.gt(0)) this.unlock(r.participantId, r.asset, toAvailable);
    r.amount = r.amount.sub(amount);
    r.updatedAt = this.now;
    if (r.amount.isZero()) {
      r.status = closeAs;
      this.reservations.delete(r.id);
    }
    this.touchedReservations.set(r.id, r);
  }

  /** Carves parts out of a reservation into new ones of the same holder and asset; they stay locked. */
  split(r: Reservation, parts: Array<{ amount: Dec; purpose: string; reference: string }>): Reservation[] {
    const total = parts.reduce((sum, p) => sum.add(p.amount), ZERO);
    // The parts only change which reservation explains the lock: no balance moves.
    this.shrink(r, total, ZERO, 'consumed');
    return parts.map((p) => this.open({ participantId: r.participantId, asset: r.asset, ...p }));
  }

  /** Every active reservation a participant holds for its own purposes (not the locks of frozen lots, which only unfreezing lifts). */
  reservationsOf(participantId: string): Reservation[] {
    return [...this.reservations.values()].filter((r) => r.participantId === participantId && r.purpose !== LOT_FREEZE);
  }

  /** What of a holder's quantity is locked because lots it holds pieces of are frozen. */
  frozenOf(participantId: string, asset: string): Dec {
    let frozen = ZERO;
    for (const r of this.reservations.values()) {
      if (r.participantId === participantId && r.asset === asset && r.purpose === LOT_FREEZE) frozen = frozen.add(r.amount);
    }
    return frozen;
  }

  private open(fields: Pick<Reservation, 'participantId' | 'asset' | 'amount' | 'purpose' | 'reference'>): Reservation {
    const reservation: Reservation = { id: String(this.ids.take()), ...fields, status: 'active', createdAt: this.now, updatedAt: this.now };
    this.reservations.set(reservation.id, reservation);
    this.newReservationIds.add(reservation.id);
    this.touchedReservations.set(reservation.id, reservation);
    return reservation;
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
  private availableCovering(key: string, d: BalanceDelta, need: Dec): Dec {
    const available = (this.available.get(key) ?? ZERO).add(d.available);
    if (available.lt(need) && !this.fresh.has(key)) throw new StaleBalance(key);
    return available;
  }
}

/** The asset an order locks: cash for a buy, the instrument's quantity for a sell. */
export const assetOf = (order: Pick<LiveOrder, 'side' | 'symbol'>): string => (order.side === 'buy' ? CASH : order.symbol);

/** The balances a batch of commands may lock or take from: read (or taken from the cache) before it runs. */
export function balanceKeysFor(
  commands: EngineCommand[],
  live: ReadonlyMap<number, LiveOrder>,
  reservations: ReadonlyMap<string, Reservation>,
): Array<{ key: string; participantId: string; asset: string }> {
  const keys = new Map<string, { key: string; participantId: string; asset: string }>();
  const add = (participantId: string, asset: string) => {
    const key = accountKey(participantId, asset);
    keys.set(key, { key, participantId, asset });
  };
  for (const c of commands) {
    if (c.kind === 'place') add(c.participantId, c.side === 'buy' ? CASH : c.symbol);
    if (c.kind === 'consume') add(c.participantId, c.symbol);
    if (c.kind === 'freezeLot') for (const p of c.pieces) add(p.participantId, c.symbol);
    if (c.kind === 'revokeLot') add(c.holderId, c.symbol);
    if (c.kind === 'reserve') add(c.participantId, c.asset);
    if (c.kind === 'topUpReservation') {
      const r = reservations.get(c.reservationId);
      if (r) add(r.participantId, r.asset);
    }
    if (c.kind === 'amend') {
      const o = live.get(c.orderId);
      if (o) add(o.participantId, o.side === 'buy' ? CASH : o.symbol);
    }
  }
  return [...keys.values()];
}
