import { AppError, unavailable } from '../errors.ts';
import type { Dec } from '../shared/decimal.ts';
import type { CommandOutcome, EngineCommand } from './commands.ts';
import { BatchContext, type EngineState } from './batch-context.ts';
import { StaleBalance } from './holds.ts';
import { amend, cancel, expireDay, place, setMode, setReferencePrice, uncross } from './book-commands.ts';
import { offBookTrade, release, reserve, split, topUp } from './reservation-commands.ts';
import { consume } from './registry-commands.ts';
import { setParticipantStatus } from './participant-commands.ts';
import { freezeLot, revokeLot, unfreezeLot } from './lot-control-commands.ts';

/**
 * One group-commit batch: applies commands to the in-memory books in arrival order and collects
 * every row the batch must write (BatchContext). Nothing here does I/O; the writer persists the
 * result and, if that fails, the host throws the books away and rebuilds them from PostgreSQL.
 */
export class Batch extends BatchContext {
  readonly outcomes: CommandOutcome[] = [];
  /** Commands refused only on a cached balance: the host runs them again on a fresh read. */
  readonly deferred: Array<{ index: number; key: string }> = [];

  constructor(state: EngineState, available: Map<string, Dec>, now: Date, fresh: ReadonlySet<string> = new Set(available.keys())) {
    super(state, available, now, fresh);
  }

  run(commands: EngineCommand[]): void {
    for (const [index, command] of commands.entries()) {
      let outcome: CommandOutcome;
      try {
        outcome = this.apply(command);
      } catch (error) {
        if (error instanceof StaleBalance) {
          this.deferred.push({ index, key: error.key });
          outcome = { ok: false, error: unavailable('ENGINE_UNAVAILABLE', 'deferred') };
        } else if (error instanceof AppError) {
          outcome = { ok: false, error };
        } else {
          throw error;
        }
      }
      this.outcomes.push(outcome);
    }
  }

  get changed(): boolean {
    return (
      this.touchedOrders.size > 0 ||
      this.instrumentChanges.length > 0 ||
      this.deltas.size > 0 ||
      this.consumptions.length > 0 ||
      this.touchedReservations.size > 0 ||
      this.trades.length > 0 ||
      this.referenceChanges.length > 0 ||
      this.participantChanges.length > 0 ||
      this.lotControls.length > 0 ||
      // An action that moved nothing (an uncross with no crossing orders) is still on the record.
      this.audits.length > 0
    );
  }

  private apply(command: EngineCommand): CommandOutcome {
    switch (command.kind) {
      case 'place':
        return place(this, command);
      case 'cancel':
        return cancel(this, command);
      case 'amend':
        return amend(this, command);
      case 'setMode':
        return setMode(this, command);
      case 'consume':
        return consume(this, command);
      case 'uncross':
        return uncross(this, command);
      case 'reserve':
        return reserve(this, command);
      case 'release':
        return release(this, command);
      case 'offBookTrade':
        return offBookTrade(this, command);
      case 'topUpReservation':
        return topUp(this, command);
      case 'splitReservation':
        return split(this, command);
      case 'expireDay':
        return expireDay(this, command);
      case 'setReferencePrice':
        return setReferencePrice(this, command);
      case 'setParticipantStatus':
        return setParticipantStatus(this, command);
      case 'freezeLot':
        return freezeLot(this, command);
      case 'unfreezeLot':
        return unfreezeLot(this, command);
      case 'revokeLot':
        return revokeLot(this, command);
    }
  }
}
