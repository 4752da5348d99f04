import { notFound } from '../errors.ts';
import { knownSpec } from '../instruments/instrument-input.ts';
import type { Actor, SystemActor } from '../engine/commands.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import type { MarketServiceDeps } from '../market/market-service-deps.ts';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import { findOffBookTrade, SYSTEM_ACTOR } from '../offbook/off-book.ts';
import type { Dec } from '../shared/decimal.ts';
import {
  activeDemandReservations,
  awardOfDemand,
  bidsOfDemand,
  findDemand,
  insertAward,
  lockDemand,
  participantNames,
  registrationsOfDemand,
  settleRegistrations,
  updateAward,
  updateDemand,
  type DemandRow,
} from './demand-store.ts';
import { lowestBid, priceTicks, type DemandFacts } from './demand-views.ts';

// The close of a demand listing: the award is decided once under the listing's lock (one row per
// listing, unique), then carried out as an off-book trade found again by its reference after a
// restart, then every lock still held for the listing is released. Each step checks what is
// already done, so running the close again — after a crash, or on a second tick — is harmless.

/** Demand listings publish nothing on the market bus (screens read them over HTTP), so they take none. */
export interface DemandListingOptions extends Omit<MarketServiceDeps, 'bus'> {
  /** Anti-sniping window of a demand listing that does not name its own. */
  defaultAntiSnipingSeconds: number;
}

/** The trade reference of a demand award: unique per venue in `trades`, so it trades once. */
export const demandAwardReference = (awardId: string) => `demand-award:${awardId}`;

export class DemandClosing {
  constructor(protected readonly o: DemandListingOptions) {}

  protected spec(symbol: string): InstrumentSpec {
    return knownSpec(this.o.instruments, symbol);
  }

  protected async existing(id: string): Promise<DemandRow> {
    const row = await findDemand(this.o.knex, id);
    if (!row) throw notFound('DEMAND_LISTING_NOT_FOUND', `no demand listing ${id}`);
    return row;
  }

  protected audit(actor: Actor | SystemActor, action: string, id: string, at: Date, payload: Record<string, unknown>): AuditEntry {
    return { actorUserId: actor.userId, actor: actor.username, action, subject: `demand-listing:${id}`, payload: { demandListingId: id, ...payload }, at };
  }

  /** Everything a view of the demand listing needs, read together. */
  async facts(id: string): Promise<DemandFacts> {
    const { knex } = this.o;
    const row = await this.existing(id);
    const [registrations, bids, award] = await Promise.all([registrationsOfDemand(knex, id), bidsOfDemand(knex, id), awardOfDemand(knex, id)]);
    const names = await participantNames(knex, [row.buyer_id, ...registrations.map((r) => r.participant_id)]);
    return { row, spec: this.spec(row.symbol), registrations, bids, award, names };
  }

  /** Releases a reservation (all of it when `amount` is null); one already closed is left alone. */
  protected async release(reservationId: string, amount: Dec | null): Promise<void> {
    const outcome = await this.o.engine.submit({ kind: 'release', actor: SYSTEM_ACTOR, reservationId, amount });
    if (!outcome.ok && outcome.error.code !== 'RESERVATION_NOT_ACTIVE') throw outcome.error;
  }

  /** Decides the award once bidding is over (the lowest bid of a seller still in), then carries it out. */
  protected async close(id: string): Promise<void> {
    const { knex, clock } = this.o;
    const row = (await findDemand(knex, id))!;
    if (row.status === 'open') {
      if (clock.now() < row.bidding_closes_at) return;
      await knex.transaction(async (trx) => {
        const locked = (await lockDemand(trx, id))!;
        if (locked.status !== 'open' || clock.now() < locked.bidding_closes_at) return;
        const [registrations, bids] = await Promise.all([registrationsOfDemand(trx, id), bidsOfDemand(trx, id)]);
        const lowest = lowestBid(registrations, bids);
        if (lowest) await insertAward(trx, { demand_listing_id: id, registration_id: lowest.registration_id, bid_id: lowest.id, price: lowest.price, quantity: locked.quantity });
        await updateDemand(trx, id, { status: 'closing', clearing_price: lowest?.price ?? null, result_reason: lowest ? null : 'no seller bid at or under the starting price' });
      });
    }
    await this.finish(id);
  }

  /**
   * Carries out a decided close: the award becomes an off-book trade (the buyer's lock pays it,
   * what the lock held beyond the winning price goes back at once), then every margin, every
   * quantity still locked for a bid and whatever is left of the buyer's lock are released.
   */
  protected async finish(id: string): Promise<void> {
    const { knex, engine, clock } = this.o;
    const row = (await findDemand(knex, id))!;
    if (row.status !== 'closing') return;
    const spec = this.spec(row.symbol);
    const [registrations, bids] = await Promise.all([registrationsOfDemand(knex, id), bidsOfDemand(knex, id)]);
    let award = await awardOfDemand(knex, id);

    if (award?.status === 'pending') {
      const reference = demandAwardReference(award.id);
      let tradeId = await findOffBookTrade(knex, 'listing', reference);
      let voidReason: string | null = null;
      if (!tradeId) {
        const bid = bids.find((b) => b.id === award!.bid_id)!;
        const outcome = await engine.submit({
          kind: 'offBookTrade',
          actor: SYSTEM_ACTOR,
          venue: 'listing',
          symbol: spec.symbol,
          priceTicks: priceTicks(spec, award.price),
          qtyLots: spec.quantityToLots(award.quantity),
          buyerReservationId: row.buyer_reservation_id,
          sellerReservationId: bid.quantity_reservation_id,
          reference,
        });
        if (outcome.ok) tradeId = outcome.trade.id;
        else if (['RESERVATION_NOT_ACTIVE', 'RESERVATION_TOO_SMALL'].includes(outcome.error.code)) voidReason = outcome.error.message;
        else throw outcome.error;
      }
      // A lock gone (a suspension released it) voids the award; the demand listing then fails.
      await updateAward(knex, award.id, tradeId ? { status: 'traded', trade_id: tradeId } : { status: 'void', void_reason: voidReason });
      award = await awardOfDemand(knex, id);
    }

    for (const r of registrations) await this.release(r.reservation_id, null);
    for (const b of bids) await this.release(b.quantity_reservation_id, null);
    await this.release(row.buyer_reservation_id, null);
    // A lock whose registration or bid row a crash kept from being written is found by its reference.
    for (const reservationId of await activeDemandReservations(knex, id)) await this.release(reservationId, null);

    const traded = award?.status === 'traded' ? award : undefined;
    const status = row.cancel_reason !== null ? 'cancelled' : traded ? 'awarded' : 'failed';
    const now = clock.now();
    await knex.transaction(async (trx) => {
      const locked = (await lockDemand(trx, id))!;
      if (locked.status !== 'closing') return;
      await updateDemand(trx, id, {
        status,
        closed_at: now,
        clearing_price: traded ? traded.price : null,
        result_reason: status === 'cancelled' ? row.cancel_reason : status === 'failed' ? (row.result_reason ?? award?.void_reason ?? 'the award could not be traded') : null,
      });
      await settleRegistrations(trx, id, traded?.registration_id ?? null);
      await appendAudit(trx, [
        this.audit(SYSTEM_ACTOR, 'demand.close', id, now, {
          status,
          price: traded?.price ?? null,
          quantity: traded?.quantity ?? null,
          winnerId: traded ? registrations.find((r) => r.id === traded.registration_id)?.participant_id : null,
          tradeId: traded?.trade_id ?? null,
        }),
      ]);
    });
  }
}
