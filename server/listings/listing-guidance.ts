import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../engine/commands.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

/** Sets an instrument's guidance price (指导价), below which no listing may start; audited with the price it replaces. */
export async function setGuidancePrice(knex: Knex, actor: Actor, spec: InstrumentSpec, ticks: number, price: string, at: Date): Promise<{ symbol: string; guidancePrice: string }> {
  const symbol = spec.symbol;
  await knex.transaction(async (trx) => {
    const before = await trx('instruments').where({ symbol }).forUpdate().first<{ guidance_price: string }>('guidance_price');
    await trx('instruments').where({ symbol }).update({ guidance_price: price });
    await appendAudit(trx, [{ actorUserId: actor.userId, actor: actor.username, action: 'instrument.guidance', subject: `instrument:${symbol}`, payload: { symbol, previous: before!.guidance_price, price }, at }]);
  });
  return { symbol, guidancePrice: spec.ticksToPrice(ticks) };
}
