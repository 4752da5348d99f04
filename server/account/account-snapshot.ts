import type { Knex } from 'knex';
import { LOT_FREEZE } from '../engine/reservation.ts';
import type { Account as AccountSnapshot } from '../../contract/account.ts';
import type { ParticipantKind } from '../../contract/common.ts';
import { fixed, money } from '../shared/decimal.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import { CASH } from '../engine/assets.ts';

interface SnapshotRow {
  id: string;
  name: string;
  kind: ParticipantKind;
  region: string;
  prefecture: string;
  asset: string | null;
  available: string | null;
  locked: string | null;
}

/**
 * Cash and holdings, available and locked, as the ledger has them now, of several participants
 * in one statement (live balance pushes read many at once). Unknown ids are absent from the map.
 */
export async function accountSnapshots(knex: Knex, instruments: InstrumentCatalog, participantIds: readonly string[]): Promise<Map<string, AccountSnapshot>> {
  const rows = await knex('participants as p')
    .leftJoin('accounts as a', 'a.participant_id', 'p.id')
    .whereIn('p.id', participantIds)
    .select<SnapshotRow[]>('p.id', 'p.name', 'p.kind', 'p.region', 'p.prefecture', 'a.asset', 'a.available', 'a.locked');
  const byParticipant = new Map<string, SnapshotRow[]>();
  for (const row of rows) {
    const list = byParticipant.get(row.id);
    if (list) list.push(row);
    else byParticipant.set(row.id, [row]);
  }
  // Frozen lots lock their pieces in reservations of their own purpose (engine/reservation.ts).
  const frozenRows = await knex('reservations')
    .whereIn('participant_id', participantIds)
    .where({ status: 'active', purpose: LOT_FREEZE })
    .groupBy('participant_id', 'asset')
    .select<Array<{ participant_id: string; asset: string; frozen: string }>>('participant_id', 'asset', knex.raw('sum(amount)::text AS frozen'));
  const frozenOf = new Map(frozenRows.map((r) => [`${r.participant_id}|${r.asset}`, r.frozen]));
  const snapshots = new Map<string, AccountSnapshot>();
  for (const [id, accounts] of byParticipant) {
    const { name, kind, region, prefecture } = accounts[0]!;
    const cash = accounts.find((a) => a.asset === CASH);
    const holdings = [];
    for (const spec of instruments.specs()) {
      const a = accounts.find((x) => x.asset === spec.symbol);
      if (!a) continue;
      holdings.push({
        indicatorType: spec.row.indicator_type,
        symbol: spec.symbol,
        nameZh: spec.row.name_zh,
        available: fixed(a.available!, spec.qtyPlaces),
        locked: fixed(a.locked!, spec.qtyPlaces),
        ...(frozenOf.has(`${id}|${spec.symbol}`) ? { frozen: fixed(frozenOf.get(`${id}|${spec.symbol}`)!, spec.qtyPlaces) } : {}),
        unit: spec.row.unit,
      });
    }
    snapshots.set(id, {
      participant: { id, name, kind, region, prefecture },
      cash: { currency: 'CNY' as const, available: money(cash?.available ?? '0'), locked: money(cash?.locked ?? '0') },
      holdings,
    });
  }
  return snapshots;
}

/** One participant's snapshot (the participant is known to exist: the caller is signed in as it). */
export async function accountSnapshot(knex: Knex, instruments: InstrumentCatalog, participantId: string): Promise<AccountSnapshot> {
  return (await accountSnapshots(knex, instruments, [participantId])).get(participantId)!;
}
