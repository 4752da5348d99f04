import type { Knex } from 'knex';
import type { ControlledLot, FreezeBody, HolderLotControl } from '../../contract/lot-controls.ts';
import { notFound } from '../errors.ts';
import { dec, ZERO } from '../shared/decimal.ts';
import { accepted, type Actor, type LotControlView } from '../engine/commands.ts';
import type { EngineHost } from '../engine/engine-host.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { MarketBus } from '../market/market-bus.ts';
import { lotAlertKey, publishLotAlert } from './lot-control-alerts.ts';
import { controlLot, controlLots, currentPieces, freezePieces, holderControls, onwardOf, openFreezes, revocations, type ControlLotRow } from './lot-control-queries.ts';
import { controlledLotViews, holderControlViews } from './lot-control-views.ts';

// Freeze, unfreeze and revoke: the rules that need the registry (which lot, who holds its pieces
// now) before the engine decides; the engine refuses what the lot's state forbids, locks or takes
// the quantity and writes the rows with the regulators' alert; then holders and regulators hear.

export interface LotControlDeps {
  knex: Knex;
  engine: EngineHost;
  instruments: InstrumentCatalog;
  bus: MarketBus;
}

export class LotControlService {
  constructor(private readonly d: LotControlDeps) {}

  async freeze(actor: Actor, lotId: string, body: FreezeBody): Promise<ControlledLot> {
    const lot = await this.lot(lotId);
    // Decided on the registry as read now. If settlement moves a piece before the engine writes,
    // the writer fails the batch (nothing is written, ENGINE_UNAVAILABLE) and the caller retries.
    const pieces = (await currentPieces(this.d.knex, lot.id)).map((p) => ({ participantId: String(p.participant_id), quantity: dec(p.quantity) }));
    const outcome = accepted(await this.d.engine.submit({ kind: 'freezeLot', actor, lotId: lot.id, symbol: lot.symbol, reason: body.reason, note: body.note, pieces }));
    return this.announce(lot.id, lotAlertKey('freeze', outcome.control.id), outcome.control);
  }

  async unfreeze(actor: Actor, lotId: string, note: string): Promise<ControlledLot> {
    const lot = await this.lot(lotId);
    const outcome = accepted(await this.d.engine.submit({ kind: 'unfreezeLot', actor, lotId: lot.id, note }));
    return this.announce(lot.id, lotAlertKey('unfreeze', outcome.control.id), outcome.control);
  }

  /** Takes back what the registrant still holds; pieces others bought stay theirs and are flagged. */
  async revoke(actor: Actor, lotId: string, reason: string): Promise<ControlledLot> {
    const lot = await this.lot(lotId);
    const held = (await currentPieces(this.d.knex, lot.id)).find((p) => String(p.participant_id) === String(lot.participant_id));
    const quantity = held ? dec(held.quantity) : ZERO;
    const outcome = accepted(await this.d.engine.submit({ kind: 'revokeLot', actor, lotId: lot.id, symbol: lot.symbol, holderId: String(lot.participant_id), quantity, reason }));
    return this.announce(lot.id, lotAlertKey('revoke', outcome.control.id), outcome.control);
  }

  async list(filter: { participantId?: string; symbol?: string; limit: number }): Promise<ControlledLot[]> {
    return this.views(await controlLots(this.d.knex, filter));
  }

  async ofHolder(participantId: string): Promise<HolderLotControl[]> {
    return holderControlViews(this.d.instruments, await holderControls(this.d.knex, participantId));
  }

  private async lot(lotId: string): Promise<ControlLotRow> {
    const lot = await controlLot(this.d.knex, lotId);
    if (!lot) throw notFound('LOT_NOT_FOUND', `no lot ${lotId}`);
    return { ...lot, id: String(lot.id) };
  }

  private async announce(lotId: string, alertKey: string, control: LotControlView): Promise<ControlledLot> {
    await publishLotAlert(this.d.knex, this.d.bus, alertKey);
    for (const p of control.pieces) this.d.bus.emit('balance', p.participantId);
    const [view] = await this.views([(await controlLot(this.d.knex, lotId))!]);
    return view!;
  }

  private async views(lots: ControlLotRow[]): Promise<ControlledLot[]> {
    const ids = lots.map((l) => String(l.id));
    const freezes = await openFreezes(this.d.knex, ids);
    const revoked = await revocations(this.d.knex, ids);
    return controlledLotViews(this.d.instruments, {
      lots,
      freezes,
      pieces: await freezePieces(this.d.knex, freezes.map((f) => String(f.id))),
      revocations: revoked,
      onward: await onwardOf(this.d.knex, revoked.map((r) => String(r.id))),
    });
  }
}
