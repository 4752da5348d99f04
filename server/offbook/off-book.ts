import type { Knex } from 'knex';
import type {
  OffBookTradeCommand,
  OffBookTradeView,
  OutcomeOf,
  ReleaseCommand,
  ReservationView,
  ReserveCommand,
  SplitReservationCommand,
  SystemActor,
  TopUpReservationCommand,
} from '../engine/commands.ts';

/** Who the audit log names for what the platform does on its own schedule (closes, expiries). */
export const SYSTEM_ACTOR: SystemActor = { userId: null, username: 'system' };

/** The reservation an engine answer carries, or its refusal thrown. */
export function reservationOf(outcome: OutcomeOf<ReserveCommand | ReleaseCommand | TopUpReservationCommand>): ReservationView {
  if (!outcome.ok) throw outcome.error;
  return outcome.reservation;
}

export function reservationsOf(outcome: OutcomeOf<SplitReservationCommand>): ReservationView[] {
  if (!outcome.ok) throw outcome.error;
  return outcome.reservations;
}

export function tradeOf(outcome: OutcomeOf<OffBookTradeCommand>): OffBookTradeView {
  if (!outcome.ok) throw outcome.error;
  return outcome.trade;
}

export interface StoredReservation {
  id: string;
  participant_id: string;
  asset: string;
  amount: string;
  status: 'active' | 'released' | 'consumed';
  reference: string;
}

export async function storedReservation(knex: Knex | Knex.Transaction, id: string): Promise<StoredReservation | undefined> {
  return knex('reservations').where({ id }).first<StoredReservation | undefined>('id', 'participant_id', 'asset', 'amount', 'status', 'reference');
}

/**
 * The trade an off-book command with `reference` made, if it committed. The engine writes the
 * reference on the trade row (trades.offbook_ref, unique per venue), so a close or confirmation
 * interrupted after the engine answered finds its trade here instead of trading twice.
 */
export async function findOffBookTrade(knex: Knex | Knex.Transaction, venue: 'block' | 'listing', reference: string): Promise<string | null> {
  const row = await knex('trades').where({ venue, offbook_ref: reference }).first<{ id: string } | undefined>('id');
  return row ? row.id : null;
}
