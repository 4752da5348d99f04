import type { Knex } from 'knex';
import { commitmentOf, drawLottery } from '../../contract/rules/listing-lottery.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { conflict, forbidden, unprocessable } from '../errors.ts';
import { ticksOfPrice } from '../instruments/instrument-input.ts';
import { buyerCost } from '../ledger/trade-economics.ts';
import type { ListingChange } from '../market/market-bus.ts';
import { KeyedLane } from '../offbook/keyed-lane.ts';
import { reservationOf, storedReservation } from '../offbook/off-book.ts';
import { dec } from '../shared/decimal.ts';
import { ListingClosing, maxDec } from './listing-closing.ts';
import type { ListingCaller } from './listing-reader.ts';
import { acceptancesOf, insertAcceptance, insertLottery, lotteryOf } from './listing-rule-store.ts';
import { lockListing, registrationOf, registrationsOf, type BidRow, type ListingRow } from './listing-store.ts';
import { capAcceptanceCloses } from './listing-terms.ts';
import { listingFailure } from './listing-failure.ts';
import { listingView, type ListingView } from './listing-views.ts';

// The cap lottery (摇号) of an open listing, commit–reveal (contract/rules/listing-lottery.ts):
// the operator publishes SHA-256 of a seed before bidding opens; the first bid at the cap stops
// ordinary bidding; for the acceptance window every registered bidder may accept the cap (a bid at
// the cap, its full cost locked like a leading bid's); after it the operator reveals the seed and
// the draw's winner is awarded at the cap through the ordinary award and settlement.

export class ListingCapLottery extends ListingClosing {
  protected readonly lanes = new KeyedLane();

  /**
   * A change decided on the locked row (`act` checks the row as it is under the lock, since the
   * read before it may be stale), then published, answered with the caller's view of the result.
   */
  protected changeLocked(caller: ListingCaller, listingId: string, change: ListingChange, act: (trx: Knex.Transaction, locked: ListingRow, now: Date) => Promise<void>): Promise<ListingView> {
    return this.lanes.run(listingId, async () => {
      const { knex, clock } = this.o;
      await this.existing(listingId);
      await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        await act(trx, locked, clock.now());
      });
      const facts = await this.facts(listingId);
      this.publish(change, facts);
      return listingView(facts, caller.viewer, clock.now());
    });
  }

  /** Publishes the lottery commitment of a capped listing; once, and before bidding opens. */
  async commitSeed(caller: ListingCaller, listingId: string, commitment: string): Promise<ListingView> {
    return this.changeLocked(caller, listingId, 'commitment', async (trx, locked, now) => {
      if (locked.price_cap === null) throw conflict('LISTING_NOT_CAPPED', `listing ${listingId} has no price cap, so no lottery`);
      if (locked.seed_commitment !== null) throw conflict('COMMITMENT_ALREADY_SET', 'the lottery commitment is published and cannot change', { commitment: locked.seed_commitment });
      if (locked.status !== 'open' || now >= locked.bidding_opens_at) {
        throw conflict('COMMITMENT_TOO_LATE', 'the commitment must be published before bidding opens, before anyone can reach the cap');
      }
      await trx('listings').where({ id: listingId }).update({ seed_commitment: commitment });
      await appendAudit(trx, [this.audit(caller.actor, 'listing.commitSeed', listingId, now, { commitment })]);
    });
  }

  /** A registered bidder accepts the cap and so enters the draw; its full cost at the cap is locked. */
  async acceptCap(caller: ListingCaller, listingId: string): Promise<ListingView> {
    const participantId = caller.viewer.participantId!;
    return this.lanes.run(listingId, async () => {
      const { knex, clock, engine } = this.o;
      const row = await this.existing(listingId);
      this.refuseAcceptance(row.price_cap, row.cap_reached_at, row.cap_window_minutes, row.status, clock.now());
      const registration = await registrationOf(knex, listingId, participantId);
      if (!registration || registration.status !== 'active') throw forbidden('NOT_REGISTERED', `only registered bidders of listing ${listingId} may accept its cap`);
      if ((await acceptancesOf(knex, listingId)).some((a) => a.registration_id === registration.id)) throw conflict('CAP_ALREADY_ACCEPTED', 'you have already accepted the cap');
      const spec = this.spec(row.symbol);
      const lots = spec.quantityToLots(row.quantity);
      const target = maxDec(dec(registration.margin), buyerCost(spec, ticksOfPrice(spec, row.price_cap!, 'price'), lots));
      const held = await storedReservation(knex, registration.reservation_id);
      if (!held || held.status !== 'active') throw conflict('REGISTRATION_NOT_ACTIVE', 'your margin is no longer held for this listing');
      const topUp = target.sub(held.amount);
      if (topUp.gt(0)) reservationOf(await engine.submit({ kind: 'topUpReservation', actor: caller.actor, reservationId: held.id, amount: topUp }));
      try {
        await knex.transaction(async (trx) => {
          const locked = (await lockListing(trx, listingId))!;
          const now = clock.now();
          this.refuseAcceptance(locked.price_cap, locked.cap_reached_at, locked.cap_window_minutes, locked.status, now);
          const [bid] = await trx('listing_bids')
            .insert({ listing_id: listingId, registration_id: registration.id, user_id: caller.actor.userId, price: locked.price_cap, quantity: spec.lotsToQuantity(lots), created_at: now })
            .returning<BidRow[]>('*');
          // The unique key (listing, registration) refuses a second acceptance that raced this one.
          await insertAcceptance(trx, { listing_id: listingId, registration_id: registration.id, bid_id: bid!.id, created_at: now });
          await appendAudit(trx, [this.audit(caller.actor, 'listing.acceptCap', listingId, now, { participantId, bidderNo: registration.bidder_no, bidId: bid!.id, price: locked.price_cap })]);
        });
      } catch (error) {
        await this.rebalance(listingId).catch((e: unknown) => this.o.log.error({ err: e, listingId }, 'could not rebalance listing reservations'));
        if ((error as { constraint?: string }).constraint === 'listing_cap_acceptances_listing_id_registration_id_unique') throw conflict('CAP_ALREADY_ACCEPTED', 'you have already accepted the cap');
        throw error;
      }
      const facts = await this.facts(listingId);
      this.publish('capAccepted', facts);
      return listingView(facts, caller.viewer, clock.now());
    });
  }

  private refuseAcceptance(cap: string | null, reachedAt: Date | null, minutes: number | null, status: string, now: Date): void {
    if (cap === null) throw conflict('LISTING_NOT_CAPPED', 'this listing has no price cap');
    if (reachedAt === null) throw conflict('CAP_NOT_REACHED', 'nobody has bid the cap yet: bid as usual');
    if (status !== 'open' || now >= capAcceptanceCloses(reachedAt, minutes!)) throw conflict('CAP_ACCEPTANCE_CLOSED', 'the time to accept the cap is over');
  }

  /**
   * The draw: the operator reveals the seed, the server checks it against the commitment (and
   * PostgreSQL again), picks the winner by the published recipe, and awards it at the cap.
   */
  async draw(caller: ListingCaller, listingId: string, seed: string): Promise<ListingView> {
    await this.lanes.run(listingId, async () => {
      const { knex, clock } = this.o;
      const row = await this.existing(listingId);
      if (row.price_cap === null) throw conflict('LISTING_NOT_CAPPED', `listing ${listingId} has no price cap, so no lottery`);
      if (await lotteryOf(knex, listingId)) throw conflict('LOTTERY_DRAWN', `the lottery of listing ${listingId} has been drawn`);
      if (row.cap_reached_at === null || row.status !== 'open') throw conflict('CAP_NOT_REACHED', 'there is no lottery: nobody reached the cap');
      const closes = capAcceptanceCloses(row.cap_reached_at, row.cap_window_minutes!);
      if (clock.now() < closes) throw conflict('CAP_ACCEPTANCE_OPEN', 'bidders may still accept the cap; draw after the window closes', { closesAt: closes.toISOString() });
      if (commitmentOf(seed) !== row.seed_commitment) throw unprocessable('SEED_MISMATCH', 'SHA-256 of this seed is not the published commitment', { commitment: row.seed_commitment ?? '' });
      const registrations = new Map((await registrationsOf(knex, listingId)).map((r) => [r.id, r]));
      const entrants = (await acceptancesOf(knex, listingId)).filter((a) => registrations.get(a.registration_id)?.status === 'active');
      await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        if (locked.status !== 'open') throw conflict('LISTING_NOT_OPEN', `listing ${listingId} is ${locked.status}`);
        const now = clock.now();
        // The listing's own conditions hold at the cap too: too few bidders fails it all the same.
        const failure = entrants.length === 0 ? { code: 'no_bid' as const, reason: 'nobody who accepted the cap is still registered' } : listingFailure(locked, [...registrations.values()], locked.price_cap);
        if (failure) {
          await trx('listings').where({ id: listingId }).update({ status: 'closing', failure_code: failure.code, result_reason: failure.reason });
          await appendAudit(trx, [this.audit(caller.actor, 'listing.draw', listingId, now, { failed: failure.code })]);
          return;
        }
        const byNo = new Map(entrants.map((a) => [String(registrations.get(a.registration_id)!.bidder_no), a]));
        const drawn = drawLottery(seed, listingId, [...byNo.keys()].map(Number));
        const winner = byNo.get(drawn.winner)!;
        await insertLottery(trx, {
          listing_id: listingId,
          seed,
          commitment: locked.seed_commitment!,
          entrants: drawn.entrants,
          digest: drawn.digest,
          winner_index: drawn.winnerIndex,
          winner_registration_id: winner.registration_id,
          drawn_by: caller.actor.userId,
          drawn_at: now,
        });
        await trx('listing_awards').insert({ listing_id: listingId, registration_id: winner.registration_id, bid_id: winner.bid_id, price: locked.price_cap, quantity: locked.quantity });
        await trx('listings').where({ id: listingId }).update({ status: 'closing', clearing_price: locked.price_cap });
        await appendAudit(trx, [
          this.audit(caller.actor, 'listing.draw', listingId, now, { seed, commitment: locked.seed_commitment, entrants: drawn.entrants, digest: drawn.digest, winnerIndex: drawn.winnerIndex, winner: drawn.winner }),
        ]);
      });
      await this.finish(listingId);
    });
    return listingView(await this.facts(listingId), caller.viewer, this.o.clock.now());
  }
}
