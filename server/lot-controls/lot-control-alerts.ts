import type { Knex } from 'knex';
import { alertView, participantNamesOf, type AlertRow } from '../surveillance/alert-store.ts';
import type { MarketBus } from '../market/market-bus.ts';

// Lot controls reach regulators as surveillance alerts: written with the control in the engine's
// transaction (so a committed control always has its alert), pushed on the bus once committed.

export const lotAlertKey = (kind: 'freeze' | 'unfreeze' | 'revoke', id: string): string => `lot-${kind}:${id}`;

/** Pushes the committed alert of a lot control to regulators. */
export async function publishLotAlert(knex: Knex, bus: MarketBus, key: string): Promise<void> {
  const row = await knex('alerts').where({ dedupe_key: key }).first<AlertRow | undefined>('*');
  if (row) bus.emit('alert', alertView(row, await participantNamesOf(knex, [row])));
}
