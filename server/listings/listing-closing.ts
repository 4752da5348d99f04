import { buyerCost } from '../ledger/trade-economics.ts';
import { ticksOfPrice } from '../instruments/instrument-input.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { dec, fixed, ZERO, type Dec } from '../shared/decimal.ts';
import { findOffBookTrade, reservationsOf, storedReservation, SYSTEM_ACTOR } from '../offbook/off-book.ts';
import { clearSealedBids } from './listing-rules.ts';
import {
  awardsOf,
  bestOpenBid,
  bidsOf,
  findListing,
  lockListing,
  registrationsOf,
  standingBids,
  type AwardRow,
  type RegistrationRow,
} from './listing-store.ts';
import { ListingReader } from './listing-reader.ts';
import { acceptancesOf } from './listing-rule-store.ts';
import { closeHeld, listingFailure } from './listing-failure.ts';

// The close of a listing auction: deciding the awards once in PostgreSQL, carrying them out as
// off-book trades, and keeping bidders' margins funded and released; with the price checks the
// bids and the close share. ListingService adds the commands on top.

export const maxDec = (a: Dec, b: Dec) => (a.gt(b) ? a : b);
const awardReference = (awardId: string) => `listing-award:${awardId}`;

export class ListingClosing extends ListingReader {
  /** Decides the awards (once, in PostgreSQL), then carries them out. */
  protected async close(listingId: string): Promise<void> {
    const { knex, clock } = this.o;
    const row = (await findListing(knex, listingId))!;
    if (row.status === 'open') {
      if (clock.now() < row.bidding_closes_at || (await closeHeld(knex, row))) return;
      const spec = this.spec(row.symbol);
      await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        const now = clock.now();
        if (locked.status !== 'open' || now < locked.bidding_closes_at || (await closeHeld(trx, locked))) return;
        const [registrations, bids] = await Promise.all([registrationsOf(trx, listingId), bidsOf(trx, listingId)]);
        const awards: Array<{ registration_id: string; bid_id: string; price: string; quantity: string }> = [];
        let clearing: string | null = null;
        if (locked.mode === 'open') {
          const best = bestOpenBid(registrations, bids);
          if (best) {
            awards.push({ registration_id: best.registration_id, bid_id: best.id, price: best.price, quantity: locked.quantity });
            clearing = best.price;
          }
        } else {
          const standing = [...standingBids(registrations, bids).values()];
          const result = clearSealedBids(
            standing.map((b) => ({ registrationId: b.registration_id, bidId: b.id, priceTicks: ticksOfPrice(spec, b.price, 'price'), qtyLots: spec.quantityToLots(b.quantity), sequence: Number(b.id) })),
            spec.quantityToLots(locked.quantity),
          );
          if (result.priceTicks !== null) {
            clearing = spec.ticksToPrice(result.priceTicks);
            for (const a of result.awards) awards.push({ registration_id: a.registrationId, bid_id: a.bidId, price: clearing, quantity: spec.lotsToQuantity(a.qtyLots) });
          }
        }
        const failure = listingFailure(locked, registrations, clearing);
        if (failure === null) await trx('listing_awards').insert(awards.map((a) => ({ listing_id: listingId, ...a })));
        await trx('listings')
          .where({ id: listingId })
          .update({ status: 'closing', clearing_price: failure ? null : clearing, failure_code: failure?.code ?? null, result_reason: failure?.reason ?? null });
      });
    }
    await this.finish(listingId);
  }

  /**
   * Carries out a decided close: the seller's quantity is split into one part per award, each
   * award becomes an off-book trade, every other reservation is released, and the listing gets
   * its result. Each step checks what is already done, so running it again is harmless.
   */
  protected async finish(listingId: string): Promise<void> {
    const { knex, engine, clock } = this.o;
    const row = (await findListing(knex, listingId))!;
    if (row.status !== 'closing') return;
    const spec = this.spec(row.symbol);
    const registrations = new Map((await registrationsOf(knex, listingId)).map((r) => [r.id, r]));
    let awards = await awardsOf(knex, listingId);

    const unsplit: AwardRow[] = [];
    for (const award of awards.filter((a) => a.status === 'pending' && a.seller_reservation_id === null)) {
      const found = await knex('reservations').where({ reference: awardReference(award.id) }).first<{ id: string } | undefined>('id');
      if (found) await knex('listing_awards').where({ id: award.id }).update({ seller_reservation_id: found.id });
      else unsplit.push(award);
    }
    if (unsplit.length > 0) {
      const parts = reservationsOf(
        await engine.submit({
          kind: 'splitReservation',
          actor: SYSTEM_ACTOR,
          reservationId: row.seller_reservation_id,
          parts: unsplit.map((a) => ({ amount: dec(a.quantity), purpose: 'listing_award', reference: awardReference(a.id) })),
        }),
      );
      for (const part of parts) await knex('listing_awards').where({ id: part.reference.replace('listing-award:', '') }).update({ seller_reservation_id: part.id });
    }
    awards = await awardsOf(knex, listingId);

    for (const award of awards.filter((a) => a.status === 'pending')) {
      const reference = awardReference(award.id);
      let tradeId = await findOffBookTrade(knex, 'listing', reference);
      if (!tradeId) {
        const registration = registrations.get(award.registration_id)!;
        const priceTicks = ticksOfPrice(spec, award.price, 'price');
        const lots = spec.quantityToLots(award.quantity);
        const voidReason = await this.fund(registration, buyerCost(spec, priceTicks, lots));
        const outcome = voidReason
          ? null
          : await engine.submit({
              kind: 'offBookTrade',
              actor: SYSTEM_ACTOR,
              venue: 'listing',
              symbol: spec.symbol,
              priceTicks,
              qtyLots: lots,
              buyerReservationId: registration.reservation_id,
              sellerReservationId: award.seller_reservation_id!,
              reference,
            });
        if (outcome && !outcome.ok && !['RESERVATION_NOT_ACTIVE', 'RESERVATION_TOO_SMALL'].includes(outcome.error.code)) throw outcome.error;
        if (!outcome || !outcome.ok) {
          // The winner can no longer pay (it was suspended): its part goes back to the seller.
          await this.release(award.seller_reservation_id!, null);
          await knex('listing_awards')
            .where({ id: award.id })
            .update({ status: 'void', void_reason: voidReason ?? (outcome && !outcome.ok ? outcome.error.message : 'the award could not be traded') });
          continue;
        }
        tradeId = outcome.trade.id;
      }
      await knex('listing_awards').where({ id: award.id }).update({ status: 'traded', trade_id: tradeId });
    }
    awards = await awardsOf(knex, listingId);

    // Losers' margins, and whatever the seller did not sell, go back at once.
    const winners = new Set(awards.filter((a) => a.status === 'traded').map((a) => a.registration_id));
    for (const r of registrations.values()) if (!winners.has(r.id)) await this.release(r.reservation_id, null);
    await this.release(row.seller_reservation_id, null);

    const traded = awards.filter((a) => a.status === 'traded');
    const sold = traded.reduce((sum, a) => sum.add(a.quantity), ZERO);
    const status = row.cancel_reason !== null ? 'cancelled' : traded.length > 0 ? 'awarded' : 'failed';
    const now = clock.now();
    await knex.transaction(async (trx) => {
      const locked = (await lockListing(trx, listingId))!;
      if (locked.status !== 'closing') return;
      await trx('listings')
        .where({ id: listingId })
        .update({
          status,
          sold_quantity: fixed(sold, spec.qtyPlaces),
          closed_at: now,
          result_reason: status === 'cancelled' ? row.cancel_reason : status === 'failed' ? (row.result_reason ?? 'no award could be paid') : null,
          failure_code: status === 'failed' ? (row.failure_code ?? 'unpaid') : null,
        });
      await trx('listing_registrations').where({ listing_id: listingId, status: 'active' }).whereIn('id', [...winners]).update({ status: 'won' });
      await trx('listing_registrations').where({ listing_id: listingId, status: 'active' }).update({ status: 'lost' });
      await appendAudit(trx, [
        this.audit(SYSTEM_ACTOR, 'listing.close', listingId, now, {
          status,
          clearingPrice: row.clearing_price,
          soldQuantity: sold.toString(),
          awards: awards.map((a) => ({ registrationId: a.registration_id, participantId: registrations.get(a.registration_id)?.participant_id, price: a.price, quantity: a.quantity, tradeId: a.trade_id, status: a.status })),
        }),
      ]);
    });
    this.publish(status, await this.facts(listingId));
  }

  /** Makes sure a winner's reservation covers what it must pay (it may have won by fallback). */
  protected async fund(registration: RegistrationRow, cost: Dec): Promise<string | null> {
    const held = await storedReservation(this.o.knex, registration.reservation_id);
    if (!held || held.status !== 'active') return 'the winner’s reservation is no longer held';
    const short = cost.sub(held.amount);
    if (short.lte(0)) return null;
    const outcome = await this.o.engine.submit({ kind: 'topUpReservation', actor: SYSTEM_ACTOR, reservationId: held.id, amount: short });
    return outcome.ok ? null : `the winner cannot pay: ${outcome.error.message}`;
  }

  /** Brings each registration's reservation down to what its standing needs now. */
  protected async rebalance(listingId: string): Promise<void> {
    const { knex } = this.o;
    const row = (await findListing(knex, listingId))!;
    if (row.status !== 'open') return;
    const spec = this.spec(row.symbol);
    const [registrations, bids] = await Promise.all([registrationsOf(knex, listingId), bidsOf(knex, listingId)]);
    const best = row.mode === 'open' ? bestOpenBid(registrations, bids) : null;
    const standing = standingBids(registrations, bids);
    // Who accepted the cap may win the draw: its bid at the cap stays paid for in full.
    const accepted = new Map((row.price_cap === null ? [] : await acceptancesOf(knex, listingId)).map((a) => [a.registration_id, bids.find((b) => b.id === a.bid_id)]));
    for (const r of registrations.filter((x) => x.status === 'active')) {
      const bid = row.mode === 'open' ? (best?.registration_id === r.id ? best : accepted.get(r.id)) : standing.get(r.id);
      const needed = bid
        ? maxDec(dec(r.margin), buyerCost(spec, ticksOfPrice(spec, bid.price, 'price'), spec.quantityToLots(bid.quantity)))
        : dec(r.margin);
      const held = await storedReservation(knex, r.reservation_id);
      if (held?.status === 'active' && dec(held.amount).gt(needed)) await this.release(held.id, dec(held.amount).sub(needed));
    }
  }

  /** Releases a reservation (all of it when `amount` is null); one already closed is left alone. */
  protected async release(reservationId: string, amount: Dec | null): Promise<void> {
    const outcome = await this.o.engine.submit({ kind: 'release', actor: SYSTEM_ACTOR, reservationId, amount });
    if (!outcome.ok && outcome.error.code !== 'RESERVATION_NOT_ACTIVE') throw outcome.error;
  }

}
