import { randomInt } from 'node:crypto';
import { conflict, forbidden, notFound, unprocessable, badRequest } from '../errors.ts';
import { ticksOfPrice } from '../instruments/instrument-input.ts';
import { buyerCost } from '../ledger/trade-economics.ts';
import type { Actor } from '../engine/commands.ts';
import { CASH } from '../engine/assets.ts';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import { dec } from '../shared/decimal.ts';
import type { DueWork } from '../sessions/market-scheduler.ts';
import { reservationOf, storedReservation, SYSTEM_ACTOR } from '../offbook/off-book.ts';
import {
  biddingOpen,
  drawBidderNo,
  extendedClose,
  marginFor,
  minimumOpenBid,
  registrationOpen,
  windowProblem,
} from './listing-rules.ts';
import {
  bestOpenBid,
  bidsOf,
  lockListing,
  registrationOf,
  registrationsOf,
  type BidRow,
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
import { relistInput } from './listing-relist.ts';
import { setGuidancePrice } from './listing-guidance.ts';
import type { RelistBody } from '../../contract/listing-rules.ts';
import { refuseListingWindows } from './listing-window-refusal.ts';
import { newScheduleColumns, windowsOf } from './listing-schedule.ts';
import { refuseWithdrawal } from './withdrawal-rule.ts';

import type { ListingCaller } from './listing-reader.ts';
import { maxDec } from './listing-closing.ts';
import { ListingObjections } from './listing-objections.ts';
import { CLOSE_NOT_HELD, hasPendingObjection, insertAcceptance } from './listing-rule-store.ts';
import { cappedMinimum, listingTerms, reachesCap, refuseCapBid, type CreateListingInput } from './listing-terms.ts';

export type { ListingCaller, ListingServiceOptions } from './listing-reader.ts';

declare module '../platform.ts' {
  interface Platform {
    listings: ListingService;
  }
}

export type { CreateListingInput } from './listing-terms.ts';

/**
 * Listing auctions (挂牌竞价). Money and quantity move only through the engine host: the seller's
 * quantity and each bidder's margin are reservations; a leading bid tops its bidder's margin up
 * to the bid's full cost (amount + buyer fee), so the close can never fail for funds; the close
 * turns the winner's reservation into an off-book trade, which settles like any other.
 * Work on one listing runs in one lane; PostgreSQL row locks and re-checks guard the rest.
 */
export class ListingService extends ListingObjections implements DueWork {
  readonly name = 'listings';

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
    ticksOfPrice(spec, input.startPrice, 'startPrice');
    const guidance = (await knex('instruments').where({ symbol: spec.symbol }).first<{ guidance_price: string }>('guidance_price'))!.guidance_price;
    if (dec(input.startPrice).lt(guidance)) {
      throw unprocessable('BELOW_GUIDANCE_PRICE', `the start price ${input.startPrice} is below the guidance price (指导价) ${guidance}`, { startPrice: input.startPrice, guidance });
    }
    if (input.mode === 'open' && input.bidIncrement === null) throw badRequest('INCREMENT_REQUIRED', 'an open listing needs a bid increment');
    if (input.mode === 'sealed' && input.bidIncrement !== null) throw badRequest('INCREMENT_NOT_ALLOWED', 'sealed bids have no increment');
    if (input.bidIncrement !== null) ticksOfPrice(spec, input.bidIncrement, 'bidIncrement');
    const marginPct = dec(input.marginPct);
    if (marginPct.lte(0) || marginPct.gt(100)) throw unprocessable('INVALID_MARGIN', 'the margin is a percentage above 0 and at most 100');
    if (marginFor(dec(input.startPrice), spec.lotsDecimal(lots), marginPct).lte(0)) throw unprocessable('INVALID_MARGIN', 'the margin rounds to nothing');
    refuseListingWindows(input.windows, await listingMinimumsOf(knex, spec.symbol), clock.now());
    const problem = windowProblem(input.windows, clock.now());
    if (problem) throw unprocessable('INVALID_WINDOW', problem);
    const antiSniping = input.mode === 'sealed' ? 0 : (input.antiSnipingSeconds ?? this.o.defaultAntiSnipingSeconds);
    const terms = listingTerms(spec, input.mode, input.startPrice, input.terms);

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
          ...newScheduleColumns(w, antiSniping),
          seller_reservation_id: reservation.id,
          created_at: now,
          relist_of: input.relistOf ?? null,
          ...terms,
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
            ...terms,
            relistOf: input.relistOf ?? null,
          }),
        ]);
      });
    } catch (error) {
      await this.release(reservation.id, null);
      if ((error as { constraint?: string }).constraint === 'listings_relist_once') throw conflict('ALREADY_RELISTED', `listing ${input.relistOf} has been relisted already`);
      throw error;
    }
    const facts = await this.facts(id);
    this.publish('created', facts);
    return listingView(facts, caller.viewer, clock.now());
  }

  /** Offers a failed listing again, on its terms, with a start price the relist step allows. */
  async relist(caller: ListingCaller, listingId: string, body: RelistBody): Promise<ListingView> {
    const row = await this.existing(listingId);
    return this.create(caller, await relistInput(this.o.knex, this.spec(row.symbol), caller, row, body));
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
      if (await hasPendingObjection(knex, listingId)) throw conflict('OBJECTION_PENDING', 'bidding is suspended until the operator has answered the objection to this listing');
      const spec = this.spec(row.symbol);
      const priceTicks = ticksOfPrice(spec, price, 'price');
      const [registrations, bids] = await Promise.all([registrationsOf(knex, listingId), bidsOf(knex, listingId)]);
      let lots: number;
      if (row.mode === 'open') {
        if (quantity !== null) throw badRequest('QUANTITY_NOT_ALLOWED', 'an open listing is bid for as a whole; bid without a quantity');
        lots = spec.quantityToLots(row.quantity);
        const best = bestOpenBid(registrations, bids);
        if (best?.registration_id === registration.id) throw conflict('ALREADY_LEADING', 'your bid is already the best');
        refuseCapBid(row, price);
        const uncapped = minimumOpenBid(dec(row.start_price), dec(row.bid_increment!), best ? dec(best.price) : null);
        const minimum = cappedMinimum(uncapped, row.price_cap);
        if (dec(price).lt(minimum)) {
          const lowest = spec.ticksToPrice(minimum.div(spec.tick).toNumber());
          // Before the first bid the floor is the start price, after it the best bid plus one
          // increment, or the cap where that would pass it: say which, so the refusal gives the right reason.
          const basis: Record<string, string> = !best ? { basis: 'first' } : minimum.lt(uncapped) ? { basis: 'cap', best: best.price } : { basis: 'best', best: best.price };
          throw unprocessable('BID_TOO_LOW', `the lowest acceptable bid is ${lowest}`, { lowest, ...basis });
        }
      } else {
        lots = spec.quantityToLots(quantity ?? registration.quantity);
        if (dec(spec.lotsToQuantity(lots)).gt(registration.quantity)) {
          throw unprocessable('QUANTITY_EXCEEDS_REGISTRATION', `you registered for at most ${registration.quantity} ${spec.row.unit}`);
        }
        if (dec(price).lt(row.start_price)) throw unprocessable('BID_TOO_LOW', `bids start at ${row.start_price}`, { lowest: row.start_price, basis: 'start' });
      }
      // The bid must be paid in full if it wins: its cost beyond the margin is locked now.
      const target = maxDec(dec(registration.margin), buyerCost(spec, priceTicks, lots));
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
          if (reachesCap(locked, price)) {
            // Ordinary bidding stops here; the bidder at the cap is the draw's first entrant.
            if (locked.cap_reached_at !== null) throw conflict('CAP_REACHED', 'the cap has been reached: accept the cap to enter the lottery');
            await insertAcceptance(trx, { listing_id: listingId, registration_id: registration.id, bid_id: inserted!.id, created_at: now });
            await trx('listings').where({ id: listingId }).update({ best_bid_id: inserted!.id, cap_reached_at: now });
          } else if (row.mode === 'open') {
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
      this.publish(facts.row.cap_reached_at !== null ? 'capReached' : extendedTo ? 'extended' : 'bid', facts);
      return { bid: bidView(facts, bid, registration, caller.viewer, false), listing: listingView(facts, caller.viewer, clock.now()) };
    });
  }

  /** Withdraws a listing: the operator while it is open, the seller only before registration opens. */
  async cancel(caller: ListingCaller, listingId: string, reason: string): Promise<ListingView> {
    await this.lanes.run(listingId, async () => {
      const { knex, clock } = this.o;
      const row = await this.existing(listingId);
      refuseWithdrawal(caller.viewer, row.seller_id, row.registration_opens_at, clock.now(), { code: 'NOT_THE_SELLER', owner: 'seller', sale: 'listing' });
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
      .where((q) => q.where('status', 'closing').orWhere((o) => o.where('status', 'open').whereRaw(CLOSE_NOT_HELD)))
      .first<{ due: Date | null }>(this.o.knex.raw(`min(CASE WHEN status = 'closing' THEN ?::timestamptz ELSE bidding_closes_at END) AS due`, [now]));
    return row?.due ?? null;
  }

  /** Closes every listing whose bidding is over, and finishes any close a restart interrupted. */
  async runDue(now: Date): Promise<void> {
    const ids = await this.o.knex('listings')
      .where('status', 'closing')
      .orWhere((q) => q.where('status', 'open').where('bidding_closes_at', '<=', now).whereRaw(CLOSE_NOT_HELD))
      .orderBy('id')
      .pluck<string[]>('id');
    for (const id of ids) {
      await this.lanes.run(id, () => this.close(id)).catch((error: unknown) => this.o.log.error({ err: error, listingId: id }, 'listing close failed; retried at the next tick'));
    }
  }

  /** Sets an instrument's guidance price (指导价), below which no listing may start. */
  setGuidancePrice(actor: Actor, symbol: string, price: string): Promise<{ symbol: string; guidancePrice: string }> {
    const spec = this.spec(symbol);
    return setGuidancePrice(this.o.knex, actor, spec, ticksOfPrice(spec, price, 'guidancePrice'), price, this.o.clock.now());
  }
}
