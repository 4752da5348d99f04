import type { Accepted, SetParticipantStatusCommand } from './commands.ts';
import { cancelSuspended } from './book-commands.ts';
import type { BatchContext } from './batch-context.ts';

/**
 * Suspends or reinstates a participant. Suspension cancels its resting orders and releases its
 * reservations in the same batch; from then on the batch refuses its orders and reservations.
 */
export function setParticipantStatus(batch: BatchContext, c: SetParticipantStatusCommand): Accepted<SetParticipantStatusCommand> {
  const cancelled: string[] = [];
  const released: string[] = [];
  if (c.status === 'suspended') {
    batch.state.suspended.add(c.participantId);
    const orders = [...batch.state.live.values()].filter((o) => o.participantId === c.participantId);
    for (const order of orders) {
      cancelSuspended(batch, order);
      cancelled.push(String(order.id));
    }
    const reservations = batch.holds.reservationsOf(c.participantId);
    for (const r of reservations) {
      batch.holds.shrink(r, r.amount, r.amount, 'released');
      released.push(r.id);
    }
  } else {
    batch.state.suspended.delete(c.participantId);
  }
  batch.participantChanges.push({ participantId: c.participantId, status: c.status });
  batch.audit(c.actor, c.status === 'suspended' ? 'participant.suspend' : 'participant.reinstate', `participant:${c.participantId}`, { participantId: c.participantId, reason: c.reason, cancelledOrders: cancelled, releasedReservations: released });
  return { ok: true, participant: { participantId: c.participantId, status: c.status, cancelledOrderIds: cancelled, releasedReservationIds: released } };
}
