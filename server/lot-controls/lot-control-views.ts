import type { ControlledLot, HolderLotControl } from '../../contract/lot-controls.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import { fixed } from '../shared/decimal.ts';
import type { ControlLotRow, FreezeRow, HolderControlRow, OnwardRow, PieceRow, RevocationRow } from './lot-control-queries.ts';

// Rows of lot controls as the contract shows them: quantities to the instrument's precision.

const byOwner = <R extends { owner_id: string }>(rows: R[]): Map<string, R[]> => {
  const out = new Map<string, R[]>();
  for (const r of rows) out.set(String(r.owner_id), [...(out.get(String(r.owner_id)) ?? []), r]);
  return out;
};

export interface ControlRows {
  lots: ControlLotRow[];
  freezes: FreezeRow[];
  pieces: PieceRow[];
  revocations: RevocationRow[];
  onward: OnwardRow[];
}

export function controlledLotViews(instruments: InstrumentCatalog, rows: ControlRows): ControlledLot[] {
  const freezeOf = new Map(rows.freezes.map((f) => [String(f.lot_id), f]));
  const revocationOf = new Map(rows.revocations.map((r) => [String(r.lot_id), r]));
  const pieces = byOwner(rows.pieces);
  const onward = byOwner(rows.onward);
  return rows.lots.map((lot) => {
    const spec = instruments.spec(lot.symbol);
    const qty = (v: string) => fixed(v, spec?.qtyPlaces ?? 2);
    const f = freezeOf.get(String(lot.id));
    const r = revocationOf.get(String(lot.id));
    return {
      id: String(lot.id),
      symbol: lot.symbol,
      unit: spec?.row.unit ?? '',
      quantity: qty(lot.quantity),
      registrantId: String(lot.participant_id),
      registrant: lot.registrant,
      region: lot.region,
      sourceProject: lot.source_project,
      verificationRef: lot.verification_ref,
      status: r ? 'revoked' : f ? 'frozen' : 'normal',
      freeze: f
        ? {
            id: String(f.id),
            reason: f.reason,
            note: f.note,
            frozenBy: f.frozen_by,
            frozenAt: f.opened_at.toISOString(),
            pieces: (pieces.get(String(f.id)) ?? []).map((p) => ({ participantId: String(p.participant_id), participant: p.participant, quantity: qty(p.quantity) })),
          }
        : null,
      revocation: r
        ? {
            id: String(r.id),
            reason: r.reason,
            revokedBy: r.revoked_by,
            revokedAt: r.revoked_at.toISOString(),
            removedQuantity: qty(r.removed_quantity),
            onward: (onward.get(String(r.id)) ?? []).map((o) => ({ participantId: String(o.participant_id), participant: o.participant, status: o.status, quantity: qty(o.quantity) })),
          }
        : null,
    };
  });
}

export function holderControlViews(instruments: InstrumentCatalog, rows: HolderControlRow[]): HolderLotControl[] {
  return rows.map((r) => {
    const spec = instruments.spec(r.symbol);
    return {
      lotId: String(r.lot_id),
      symbol: r.symbol,
      unit: spec?.row.unit ?? '',
      verificationRef: r.verification_ref,
      status: r.status,
      quantity: fixed(r.quantity, spec?.qtyPlaces ?? 2),
      reason: r.reason,
      note: r.note,
      at: new Date(r.at).toISOString(),
    };
  });
}
