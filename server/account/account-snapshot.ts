import type { Knex } from 'knex';
import { Type } from 'typebox';
import { fixed, money } from '../shared/decimal.ts';
import type { EngineHost } from '../engine/engine-host.ts';
import { CASH } from '../engine/batch.ts';

export const AccountSnapshotSchema = Type.Object({
  participant: Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String(), prefecture: Type.String() }),
  cash: Type.Object({ currency: Type.Literal('CNY'), available: Type.String(), locked: Type.String() }),
  holdings: Type.Array(
    Type.Object({ indicatorType: Type.String(), symbol: Type.String(), nameZh: Type.String(), available: Type.String(), locked: Type.String(), unit: Type.String() }),
  ),
});

/** A participant's cash and holdings, available and locked, as the ledger has them now. */
export async function accountSnapshot(knex: Knex, engine: EngineHost, participantId: string) {
  const [participant, accounts] = await Promise.all([
    knex('participants').where({ id: participantId }).first<{ id: string; name: string; kind: string; region: string; prefecture: string }>('id', 'name', 'kind', 'region', 'prefecture'),
    knex('accounts').where({ participant_id: participantId }).select<Array<{ asset: string; available: string; locked: string }>>('asset', 'available', 'locked'),
  ]);
  const cash = accounts.find((a) => a.asset === CASH);
  const holdings = [];
  for (const spec of engine.specs()) {
    const a = accounts.find((x) => x.asset === spec.symbol);
    if (!a) continue;
    holdings.push({
      indicatorType: spec.row.indicator_type,
      symbol: spec.symbol,
      nameZh: spec.row.name_zh,
      available: fixed(a.available, spec.qtyPlaces),
      locked: fixed(a.locked, spec.qtyPlaces),
      unit: spec.row.unit,
    });
  }
  return {
    participant: participant!,
    cash: { currency: 'CNY' as const, available: money(cash?.available ?? '0'), locked: money(cash?.locked ?? '0') },
    holdings,
  };
}
