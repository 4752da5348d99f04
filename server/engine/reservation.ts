import type { Dec } from '../shared/decimal.ts';
import type { ReservationView } from './commands.ts';

/**
 * The purpose of a reservation that locks a frozen lot's piece (lot-control-commands.ts). Only
 * unfreezing releases it: suspension and off-book flows leave it alone.
 */
export const LOT_FREEZE = 'lot_freeze';

/** Cash or quantity set aside for an off-book purpose; its remaining amount stays locked. */
export interface Reservation {
  id: string;
  participantId: string;
  asset: string;
  amount: Dec;
  purpose: string;
  reference: string;
  status: 'active' | 'released' | 'consumed';
  createdAt: Date;
  updatedAt: Date;
}

export const reservationView = (r: Reservation): ReservationView => ({
  id: r.id,
  participantId: r.participantId,
  asset: r.asset,
  amount: r.amount.toString(),
  purpose: r.purpose,
  reference: r.reference,
  status: r.status,
});
