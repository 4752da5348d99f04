import { randomInt } from 'node:crypto';
import { conflict, forbidden, notFound, unprocessable, badRequest } from '../errors.ts';
import type { Actor } from '../engine/commands.ts';
import { CASH } from '../engine/assets.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { tradeAmounts } from '../ledger/trade-economics.ts';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import { dec, fixed, ZERO, type Dec } from '../shared/decimal.ts';
import type { DueWork } from '../sessions/market-scheduler.ts';
import { KeyedLane } from '../offbook/keyed-lane.ts';
import { findOffBookTrade, reservationOf, reservationsOf, storedReservation, SYSTEM_ACTOR } from '../offbook/off-book.ts';
import {
  biddingOpen,
  clearSealedBids,
  drawBidderNo,
  extendedClose,
  marginFor,
  minimumOpenBid,
  registrationOpen,
  windowProblem,
  type ListingMode,
  type ListingWindows,
} from './listing-rules.ts';
import {
  awardsOf,
  bestOpenBid,
  bidsOf,
  findListing,
  lockListing,
  registrationOf,
  registrationsOf,
  standingBids,
  type AwardRow,
  type BidRow,
  type ListingRow,
  type RegistrationRow,
} from './listing-store.ts';
import {
  bidView,
  listingView,
  registrationView,
  type ListingBidView,
  type ListingView,
  type RegistrationView,
} from './listing-views.ts';
import { listingMinimumsOf } from './listing-minimums.ts';
import { refuseListingWindows } from './listing-window-refusal.ts';

import { ListingReader, type ListingCaller } from './listing-reader.ts';

export type { ListingCaller, ListingServiceOptions } from './listing-reader.ts';

declare module '../platform.ts' {
  interface Platform {
    listings: ListingService;
  }
}

export interface CreateListingInput {
  symbol: string;
  sellerId: string;
  title: string;
  description: string | null;
  mode: ListingMode;
  quantity: string;
  startPrice: string;
  bidIncrement: string | null;
  marginPct: string;
  windows: ListingWindows;
  antiSnipingSeconds: number | null;
}

const windowsOf = (row: ListingRow): ListingWindows => ({
  registrationOpensAt: row.registration_opens_at,
  registrationClosesAt: row.registration_closes_at,
  biddingOpensAt: row.bidding_opens_at,
  biddingClosesAt: row.bidding_closes_at,
});

const maxDec = (a: Dec, b: Dec) => (a.gt(b) ? a : b);
const awardReference = (awardId: string) => `listing-award:${awardId}`;

/**
 * Listing auctions (挂牌竞价). Money and quantity move only through the engine host: the seller's
 * quantity and each bidder's margin are reservations; a leading bid tops its bidder's margin up
 * to the bid's full cost (amount + buyer fee), so the close can never fail for funds; the close
 * turns the winner's reservation into an off-book trade, which settles like any other.
 * Work on one listing runs in one lane; PostgreSQL row locks and re-checks guard the rest.
 */
export class ListingService extends ListingReader implements DueWork {
  readonly name = 'listings';
  private readonly lanes = new KeyedLane();

  private ticks(spec: InstrumentSpec, price: string, field: string): number {
    const ticks = dec(price).div(spec.tick);
    if (!ticks.isInteger() || ticks.lte(0) || ticks.gt(Number.MAX_SAFE_INTEGER)) {
      throw unprocessable('PRICE_NOT_ON_TICK', `${field} ${price} is not a positive multiple of the tick size ${spec.row.tick_size}`);
    }
    return ticks.toNumber();
  }

  private cost(spec: InstrumentSpec, priceTicks: number, lots: number): Dec {
    const a = tradeAmounts(spec, priceTicks, lots);
    return a.amount.add(a.buyerFee);
  }

  async create(caller: ListingCaller, input: CreateListingInput): Promise<ListingView> {
    const { knex, engine, clock } = this.o;
    const spec = this.spec(input.symbol);
    const seller = await knex('participants').where({ id: input.sellerId }).first<{ id: string; kind: string; status: string } | undefined>('id', 'kind', 'status');
    if (!seller || seller.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${input.sellerId}`);
    if (seller.status !== 'active') throw forbidden('PARTICIPANT_SUSPENDED', 'a suspended participant cannot list');
    if (spec.row.seller_kinds === 'government' && seller.kind !== 'government') {
      throw forbidden('SELLER_NOT_ELIGIBLE', `${spec.row.name_zh} may be sold only by government bodies (政府主导)`);
    }
    const lots = spec.quantityToLots(input.quantity);
    this.ticks(spec, input.startPrice, 'startPrice');
    const guidance = (await knex('instruments').where({ symbol: spec.symbol }).first<{ guidance_price: string }>('guidance_price'))!.guidance_price;
    if (dec(input.startPrice).lt(guidance)) {
      throw unprocessable('BELOW_GUIDANCE_PRICE', `the start price ${input.startPrice} is below the guidance price (指导价) ${guidance}`);
    }
    if (input.mode === 'open' && input.bidIncrement === null) throw badRequest('INCREMENT_REQUIRED', 'an open listing needs a bid increment');
    if (input.mode === 'sealed' && input.bidIncrement !== null) throw badRequest('INCREMENT_NOT_ALLOWED', 'sealed bids have no increment');
    if (input.bidIncrement !== null) this.ticks(spec, input.bidIncrement, 'bidIncrement');
    const marginPct = dec(input.marginPct);
    if (marginPct.lte(0) || marginPct.gt(100)) throw unprocessable('INVALID_MARGIN', 'the margin is a percentage above 0 and at most 100');
    if (marginFor(dec(input.startPrice), spec.lotsDecimal(lots), marginPct).lte(0)) throw unprocessable('INVALID_MARGIN', 'the margin rounds to nothing');
    refuseListingWindows(input.windows, await listingMinimumsOf(knex, spec.symbol), clock.now());
    const problem = windowProblem(input.windows, clock.now());
    if (problem) throw unprocessable('INVALID_WINDOW', problem);
    const antiSniping = input.mode === 'sealed' ? 0 : (input.antiSnipingSeconds ?? this.o.defaultAntiSnipingSeconds);

    const id = String((await knex.raw<{ rows: Array<{ id: string }> }>(`SELECT nextval('listings_id_seq') AS id`)).rows[0]!.id);
    const reservation = reservationOf(
      await engine.submit({ kind: 'reserve', actor: caller.actor, participantId: seller.id, asset: spec.symbol, amount: spec.lotsDecimal(lots), purpose: 'listing_sale', reference: `listing:${id}` }),
    );
    const w = input.windows;
    const now = clock.now();
    try {
      await knex.transaction(async (trx) => {
        // Again under the instrument's lock: the operator may have raised the minimums meanwhile.
        refuseListingWindows(input.windows, await listingMinimumsOf(trx, spec.symbol, true), now);
        await trx('listings').insert({
          id,
          symbol: spec.symbol,
          seller_id: seller.id,
          created_by: caller.actor.userId,
          title: input.title,
          description: input.description,
          mode: input.mode,
          quantity: spec.lotsToQuantity(lots),
          start_price: input.startPrice,
          guidance_price: guidance,
          bid_increment: input.bidIncrement,
          margin_pct: marginPct.toString(),
          registration_opens_at: w.registrationOpensAt,
          registration_closes_at: w.registrationClosesAt,
          bidding_opens_at: w.biddingOpensAt,
          bidding_closes_at: w.biddingClosesAt,
          scheduled_close_at: w.biddingClosesAt,
          anti_sniping_seconds: antiSniping,
          seller_reservation_id: reservation.id,
          created_at: now,
        });
        await appendAudit(trx, [
          this.audit(caller.actor, 'listing.create', id, now, {
            symbol: spec.symbol,
            sellerId: seller.id,
            mode: input.mode,
            quantity: spec.lotsToQuantity(lots),
            startPrice: input.startPrice,
            guidancePrice: guidance,
            bidIncrement: input.bidIncrement,
            marginPct: marginPct.toString(),
            windows: { registrationOpensAt: w.registrationOpensAt, registrationClosesAt: w.registrationClosesAt, biddingOpensAt: w.biddingOpensAt, biddingClosesAt: w.biddingClosesAt },
            antiSnipingSeconds: antiSniping,
            reservationId: reservation.id,
          }),
        ]);
      });
    } catch (error) {
      await this.release(reservation.id, null);
      throw error;
    }
    const facts = await this.facts(id);
    this.publish('created', facts);
    return listingView(facts, caller.viewer, clock.now());
  }

  async register(caller: ListingCaller, listingId: string, quantity: string | null): Promise<RegistrationView> {
    const participantId = caller.viewer.participantId!;
    return this.lanes.run(listingId, async () => {
      const { knex, engine, clock } = this.o;
      const row = await this.existing(listingId);
      if (!registrationOpen(row.status, windowsOf(row), clock.now())) throw conflict('REGISTRATION_CLOSED', `registration for listing ${listingId} is not open`);
      if (participantId === row.seller_id) throw unprocessable('SELLER_CANNOT_BID', 'the seller cannot bid on its own listing');
      if (await registrationOf(knex, listingId, participantId)) throw conflict('ALREADY_REGISTERED', `you are already registered for listing ${listingId}`);
      const spec = this.spec(row.symbol);
      const listingLots = spec.quantityToLots(row.quantity);
      let lots = listingLots;
      if (quantity !== null) {
        if (row.mode === 'open') throw badRequest('QUANTITY_NOT_ALLOWED', 'an open listing is bid for as a whole; register without a quantity');
        lots = spec.quantityToLots(quantity);
        if (lots > listingLots) throw unprocessable('QUANTITY_EXCEEDS_LISTING', `the listing offers ${row.quantity} ${spec.row.unit}`);
      }
      const margin = maxDec(marginFor(dec(row.start_price), spec.lotsDecimal(lots), dec(row.margin_pct)), dec('0.01'));
      const reservation = reservationOf(
        await engine.submit({ kind: 'reserve', actor: caller.actor, participantId, asset: CASH, amount: margin, purpose: 'listing_margin', reference: `listing:${listingId}` }),
      );
      let registration: RegistrationRow;
      try {
        registration = await knex.transaction(async (trx) => {
          const locked = (await lockListing(trx, listingId))!;
          const now = clock.now();
          if (!registrationOpen(locked.status, windowsOf(locked), now)) throw conflict('REGISTRATION_CLOSED', `registration for listing ${listingId} is not open`);
          // The listing's row lock serialises registrations; the unique key is the backstop.
          const taken = new Set((await trx('listing_registrations').where({ listing_id: listingId }).pluck<number[]>('bidder_no')).map(Number));
          const [inserted] = await trx('listing_registrations')
            .insert({
              listing_id: listingId,
              participant_id: participantId,
              user_id: caller.actor.userId,
              bidder_no: drawBidderNo(taken, randomInt),
              quantity: spec.lotsToQuantity(lots),
              margin: margin.toFixed(2),
              reservation_id: reservation.id,
              created_at: now,
            })
            .returning<RegistrationRow[]>('*');
          await appendAudit(trx, [
            this.audit(caller.actor, 'listing.register', listingId, now, {
              participantId,
              bidderNo: inserted!.bidder_no,
              quantity: inserted!.quantity,
              margin: margin.toFixed(2),
              reservationId: reservation.id,
            }),
          ]);
          return inserted!;
        });
      } catch (error) {
        await this.release(reservation.id, null);
        throw error;
      }
      const facts = await this.facts(listingId);
      this.publish('registered', facts);
      return registrationView(facts, registration, caller.viewer);
    });
  }

  async bid(caller: ListingCaller, listingId: string, price: string, quantity: string | null): Promise<{ bid: ListingBidView; listing: ListingView }> {
    const participantId = caller.viewer.participantId!;
    return this.lanes.run(listingId, async () => {
      const { knex, engine, clock } = this.o;
      const row = await this.existing(listingId);
      if (!biddingOpen(row.status, windowsOf(row), clock.now())) throw conflict('BIDDING_CLOSED', `bidding on listing ${listingId} is not open`);
      const registration = await registrationOf(knex, listingId, participantId);
      if (!registration || registration.status !== 'active') throw forbidden('NOT_REGISTERED', `register for listing ${listingId} before bidding`);
      const spec = this.spec(row.symbol);
      const priceTicks = this.ticks(spec, price, 'price');
      const [registrations, bids] = await Promise.all([registrationsOf(knex, listingId), bidsOf(knex, listingId)]);
      let lots: number;
      if (row.mode === 'open') {
        if (quantity !== null) throw badRequest('QUANTITY_NOT_ALLOWED', 'an open listing is bid for as a whole; bid without a quantity');
        lots = spec.quantityToLots(row.quantity);
        const best = bestOpenBid(registrations, bids);
        if (best?.registration_id === registration.id) throw conflict('ALREADY_LEADING', 'your bid is already the best');
        const minimum = minimumOpenBid(dec(row.start_price), dec(row.bid_increment!), best ? dec(best.price) : null);
        if (dec(price).lt(minimum)) throw unprocessable('BID_TOO_LOW', `the lowest acceptable bid is ${spec.ticksToPrice(minimum.div(spec.tick).toNumber())}`);
      } else {
        lots = spec.quantityToLots(quantity ?? registration.quantity);
        if (dec(spec.lotsToQuantity(lots)).gt(registration.quantity)) {
          throw unprocessable('QUANTITY_EXCEEDS_REGISTRATION', `you registered for at most ${registration.quantity} ${spec.row.unit}`);
        }
        if (dec(price).lt(row.start_price)) throw unprocessable('BID_TOO_LOW', `bids start at ${row.start_price}`);
      }
      // The bid must be paid in full if it wins: its cost beyond the margin is locked now.
      const target = maxDec(dec(registration.margin), this.cost(spec, priceTicks, lots));
      const held = await storedReservation(knex, registration.reservation_id);
      if (!held || held.status !== 'active') throw conflict('REGISTRATION_NOT_ACTIVE', 'your margin is no longer held for this listing');
      const topUp = target.sub(held.amount);
      if (topUp.gt(0)) reservationOf(await engine.submit({ kind: 'topUpReservation', actor: caller.actor, reservationId: held.id, amount: topUp }));

      let bid: BidRow;
      let extendedTo: Date | null = null;
      try {
        bid = await knex.transaction(async (trx) => {
          const locked = (await lockListing(trx, listingId))!;
          const now = clock.now();
          if (!biddingOpen(locked.status, windowsOf(locked), now)) throw conflict('BIDDING_CLOSED', `bidding on listing ${listingId} is not open`);
          if (locked.best_bid_id !== row.best_bid_id) throw conflict('BID_RACED', 'another bid arrived first; look at the new best bid and bid again');
          const [inserted] = await trx('listing_bids')
            .insert({ listing_id: listingId, registration_id: registration.id, user_id: caller.actor.userId, price, quantity: spec.lotsToQuantity(lots), created_at: now })
            .returning<BidRow[]>('*');
          const entries: AuditEntry[] = [
            this.audit(caller.actor, 'listing.bid', listingId, now, { participantId, bidderNo: registration.bidder_no, bidId: inserted!.id, price, quantity: inserted!.quantity }),
          ];
          if (row.mode === 'open') {
            const close = extendedClose(locked.bidding_closes_at, now, locked.anti_sniping_seconds * 1000);
            if (close.getTime() !== locked.bidding_closes_at.getTime()) {
              extendedTo = close;
              entries.push(this.audit(SYSTEM_ACTOR, 'listing.extend', listingId, now, { from: locked.bidding_closes_at, to: close, bidId: inserted!.id }));
            }
            await trx('listings')
              .where({ id: listingId })
              .update({ best_bid_id: inserted!.id, bidding_closes_at: close, extensions: locked.extensions + (extendedTo ? 1 : 0) });
          }
          await appendAudit(trx, entries);
          return inserted!;
        });
      } finally {
        // Whatever happened, each bidder's reservation goes back to what its standing requires:
        // the bidder just outbid keeps only its margin; a failed bid gives its top-up back.
        await this.rebalance(listingId).catch((error: unknown) => this.o.log.error({ err: error, listingId }, 'could not rebalance listing reservations'));
      }
      const facts = await this.facts(listingId);
      this.o.bus.emit('listingBid', bidView(facts, bid, registration, { role: 'public', participantId: null }, false), {
        listingId,
        sealed: row.mode === 'sealed',
        bidderId: participantId,
        bidderName: facts.names.get(participantId) ?? '',
        sellerId: row.seller_id,
        registeredIds: facts.registrations.filter((r) => r.status === 'active').map((r) => r.participant_id),
      });
      this.publish(extendedTo ? 'extended' : 'bid', facts);
      return { bid: bidView(facts, bid, registration, caller.viewer, false), listing: listingView(facts, caller.viewer, clock.now()) };
    });
  }

  /** Withdraws a listing: the operator while it is open, the seller only before registration opens. */
  async cancel(caller: ListingCaller, listingId: string, reason: string): Promise<ListingView> {
    await this.lanes.run(listingId, async () => {
      const { knex, clock } = this.o;
      const row = await this.existing(listingId);
      const isOperator = caller.viewer.role === 'operator';
      if (!isOperator && caller.viewer.participantId !== row.seller_id) throw forbidden('NOT_THE_SELLER', 'only the seller or the operator can withdraw a listing');
      if (!isOperator && clock.now() >= row.registration_opens_at) throw forbidden('CANCEL_NOT_ALLOWED', 'once registration has opened only the operator can withdraw a listing');
      await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        if (locked.status !== 'open') throw conflict('LISTING_NOT_OPEN', `listing ${listingId} is ${locked.status}`);
        await trx('listings').where({ id: listingId }).update({ status: 'closing', cancel_reason: reason });
        await appendAudit(trx, [this.audit(caller.actor, 'listing.cancel', listingId, clock.now(), { reason })]);
      });
      await this.finish(listingId);
    });
    return listingView(await this.facts(listingId), caller.viewer, this.o.clock.now());
  }

  /**
   * A suspended participant's listings are withdrawn and its registrations struck (its bids no
   * longer count); the suspension itself already released its reservations.
   */
  async participantSuspended(participantId: string, actor: Actor): Promise<void> {
    const { knex } = this.o;
    const selling = await knex('listings').where({ seller_id: participantId, status: 'open' }).pluck<string[]>('id');
    for (const id of selling) {
      await this.cancel({ actor, viewer: { role: 'operator', participantId: null } }, id, 'the seller was suspended').catch((error: unknown) => {
        this.o.log.error({ err: error, listingId: id }, 'could not withdraw a suspended seller’s listing');
      });
    }
    const registrations = await knex('listing_registrations as r')
      .join('listings as l', 'l.id', 'r.listing_id')
      .where({ 'r.participant_id': participantId, 'r.status': 'active' })
      .whereIn('l.status', ['open'])
      .select<Array<{ id: string; listing_id: string }>>('r.id', 'r.listing_id');
    for (const r of registrations) {
      await this.lanes.run(r.listing_id, async () => {
        await knex.transaction(async (trx) => {
          await lockListing(trx, r.listing_id);
          await trx('listing_registrations').where({ id: r.id, status: 'active' }).update({ status: 'withdrawn' });
          await appendAudit(trx, [this.audit(actor, 'listing.withdraw', r.listing_id, this.o.clock.now(), { participantId, registrationId: r.id, reason: 'participant suspended' })]);
        });
        this.publish('withdrawn', await this.facts(r.listing_id));
      });
    }
  }

  async nextDueAt(now: Date): Promise<Date | null> {
    const row = await this.o.knex('listings')
      .whereIn('status', ['open', 'closing'])
      .first<{ due: Date | null }>(this.o.knex.raw(`min(CASE WHEN status = 'closing' THEN ?::timestamptz ELSE bidding_closes_at END) AS due`, [now]));
    return row?.due ?? null;
  }

  /** Closes every listing whose bidding is over, and finishes any close a restart interrupted. */
  async runDue(now: Date): Promise<void> {
    const ids = await this.o.knex('listings')
      .where('status', 'closing')
      .orWhere((q) => q.where('status', 'open').where('bidding_closes_at', '<=', now))
      .orderBy('id')
      .pluck<string[]>('id');
    for (const id of ids) {
      await this.lanes.run(id, () => this.close(id)).catch((error: unknown) => this.o.log.error({ err: error, listingId: id }, 'listing close failed; retried at the next tick'));
    }
  }

  /** Decides the awards (once, in PostgreSQL), then carries them out. */
  private async close(listingId: string): Promise<void> {
    const { knex, clock } = this.o;
    const row = (await findListing(knex, listingId))!;
    if (row.status === 'open') {
      if (clock.now() < row.bidding_closes_at) return;
      const spec = this.spec(row.symbol);
      await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        const now = clock.now();
        if (locked.status !== 'open' || now < locked.bidding_closes_at) return;
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
            standing.map((b) => ({ registrationId: b.registration_id, bidId: b.id, priceTicks: this.ticks(spec, b.price, 'price'), qtyLots: spec.quantityToLots(b.quantity), sequence: Number(b.id) })),
            spec.quantityToLots(locked.quantity),
          );
          if (result.priceTicks !== null) {
            clearing = spec.ticksToPrice(result.priceTicks);
            for (const a of result.awards) awards.push({ registration_id: a.registrationId, bid_id: a.bidId, price: clearing, quantity: spec.lotsToQuantity(a.qtyLots) });
          }
        }
        if (awards.length > 0) await trx('listing_awards').insert(awards.map((a) => ({ listing_id: listingId, ...a })));
        await trx('listings')
          .where({ id: listingId })
          .update({ status: 'closing', clearing_price: clearing, result_reason: awards.length === 0 ? 'no bid at or above the start price' : null });
      });
    }
    await this.finish(listingId);
  }

  /**
   * Carries out a decided close: the seller's quantity is split into one part per award, each
   * award becomes an off-book trade, every other reservation is released, and the listing gets
   * its result. Each step checks what is already done, so running it again is harmless.
   */
  private async finish(listingId: string): Promise<void> {
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
        const priceTicks = this.ticks(spec, award.price, 'price');
        const lots = spec.quantityToLots(award.quantity);
        const voidReason = await this.fund(registration, this.cost(spec, priceTicks, lots));
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
  private async fund(registration: RegistrationRow, cost: Dec): Promise<string | null> {
    const held = await storedReservation(this.o.knex, registration.reservation_id);
    if (!held || held.status !== 'active') return 'the winner’s reservation is no longer held';
    const short = cost.sub(held.amount);
    if (short.lte(0)) return null;
    const outcome = await this.o.engine.submit({ kind: 'topUpReservation', actor: SYSTEM_ACTOR, reservationId: held.id, amount: short });
    return outcome.ok ? null : `the winner cannot pay: ${outcome.error.message}`;
  }

  /** Brings each registration's reservation down to what its standing needs now. */
  private async rebalance(listingId: string): Promise<void> {
    const { knex } = this.o;
    const row = (await findListing(knex, listingId))!;
    if (row.status !== 'open') return;
    const spec = this.spec(row.symbol);
    const [registrations, bids] = await Promise.all([registrationsOf(knex, listingId), bidsOf(knex, listingId)]);
    const best = row.mode === 'open' ? bestOpenBid(registrations, bids) : null;
    const standing = standingBids(registrations, bids);
    for (const r of registrations.filter((x) => x.status === 'active')) {
      const bid = row.mode === 'open' ? (best?.registration_id === r.id ? best : undefined) : standing.get(r.id);
      const needed = bid
        ? maxDec(dec(r.margin), this.cost(spec, this.ticks(spec, bid.price, 'price'), spec.quantityToLots(bid.quantity)))
        : dec(r.margin);
      const held = await storedReservation(knex, r.reservation_id);
      if (held?.status === 'active' && dec(held.amount).gt(needed)) await this.release(held.id, dec(held.amount).sub(needed));
    }
  }

  /** Releases a reservation (all of it when `amount` is null); one already closed is left alone. */
  private async release(reservationId: string, amount: Dec | null): Promise<void> {
    const outcome = await this.o.engine.submit({ kind: 'release', actor: SYSTEM_ACTOR, reservationId, amount });
    if (!outcome.ok && outcome.error.code !== 'RESERVATION_NOT_ACTIVE') throw outcome.error;
  }

  /** Sets an instrument's guidance price (指导价), below which no listing may start. */
  async setGuidancePrice(actor: Actor, symbol: string, price: string): Promise<{ symbol: string; guidancePrice: string }> {
    const spec = this.spec(symbol);
    this.ticks(spec, price, 'guidancePrice');
    await this.o.knex.transaction(async (trx) => {
      const before = await trx('instruments').where({ symbol }).forUpdate().first<{ guidance_price: string }>('guidance_price');
      await trx('instruments').where({ symbol }).update({ guidance_price: price });
      await appendAudit(trx, [
        { actorUserId: actor.userId, actor: actor.username, action: 'instrument.guidance', subject: `instrument:${symbol}`, payload: { symbol, previous: before!.guidance_price, price }, at: this.o.clock.now() },
      ]);
    });
    return { symbol, guidancePrice: spec.ticksToPrice(this.ticks(spec, price, 'guidancePrice')) };
  }
}
