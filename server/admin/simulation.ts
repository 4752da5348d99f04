import type { Knex } from 'knex';
import { conflict } from '../errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { MarketClock } from '../sessions/market-clock.ts';
import type { MarketScheduler } from '../sessions/market-scheduler.ts';

/** Moves a simulation's market time forward, running what falls due on the way, and audits who did it. */
export async function advanceSimulation(
  deps: { knex: Knex; clock: MarketClock; scheduler: MarketScheduler },
  actor: { id: string; username: string },
  to: Date,
): Promise<Date> {
  const from = deps.clock.now();
  if (to.getTime() < from.getTime()) throw conflict('CLOCK_BACKWARD', `market time is ${from.toISOString()}; it never runs back to ${to.toISOString()}`, { now: from.toISOString() });
  await deps.scheduler.advanceTo(to);
  await deps.knex.transaction((trx) =>
    appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: 'simulation.advance', subject: 'simulation:clock', payload: { from: from.toISOString(), to: to.toISOString() } }]),
  );
  return deps.clock.now();
}
