import { randomInt } from 'node:crypto';
import { conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import { ticksOfPrice } from '../instruments/instrument-input.ts';
import { buyerCost } from '../ledger/trade-economics.ts';
import { CASH } from '../engine/assets.ts';
import { shortfall } from '../engine/shortfall.ts';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import type { Actor } from '../engine/commands.ts';
import { KeyedLane } from '../offbook/keyed-lane.ts';
import { reservationOf, SYSTEM_ACTOR } from '../offbook/off-book.ts';
import type { DueWork } from '../sessions/market-scheduler.ts';
import { biddingOpen, drawBidderNo, extendedClose, registrationOpen, windowProblem, type ListingWindows } from '../listings/listing-rules.ts';
import { listingMinimumsOf } from '../listings/listing-minimums.ts';
import { refuseListingWindows } from '../listings/listing-window-refusal.ts';
import { newScheduleColumns, windowsOf } from '../listings/listing-schedule.ts';
import { refuseWithdrawal } from '../listings/withdrawal-rule.ts';
import type { DemandBid, DemandBidResult, DemandListing, DemandRegistration, PublicDemandListings } from '../../contract/demand-listings.ts';
import { demandBidRefusal } from '../../contract/rules/demand-bids.ts';
import { dec } from '../shared/decimal.ts';
import { DemandClosing } from './demand-closing.ts';
import {
  availableHolding,
  bidderNosTaken,
  bidsOfDemand,
  demandIds,
  dueDemandIds,
  guidancePriceOf,
  insertBid,
  insertDemand,
  insertRegistration,
  lockDemand,
  nextDemandDue,
  nextDemandId,
  orphanedBuyerLocks,
  openDemandIdsOfBuyer,
  participantForDemand,
  publicDemandRows,
  registrationForDemand,
  registrationsOfDemand,
  updateDemand,
  type DemandBidRow,
} from './demand-store.ts';
import {
  type DemandCaller,
  type Viewer,
  demandBidView,
  demandRegistrationView,
  demandView,
  lowestBid,
  publicAnnouncement,
  publicResult,
  sellerMargin,
  visibleDemandBids,
} from './demand-views.ts';

declare module '../platform.ts' {
  interface Platform {
    demandListings: DemandListingService;
  }
}

/** How old a buyer's lock without its demand listing must be before the sweep releases it. */
const ORPHAN_AFTER_MS = 10 * 60_000;

export interface CreateDemandInput {
  symbol: string;
  title: string;
  description: string | null;
  quantity: string;
  startPrice: string;
  floorPrice: string;
  decrement: string;
  marginPct: string;
  windows: ListingWindows;
  antiSnipingSeconds: number | null;
}

/**
 * Demand listings (需求挂牌): buyer-initiated descending auctions. Money and quantity move only
 * through the engine host: the buyer's cash at the starting price, each seller's margin and the
 * leader's quantity are reservations, so the close can never fail for funds or holdings. Work on
 * one demand listing runs in one lane; its PostgreSQL row lock and re-checks guard the rest.
 */
export class DemandListingService extends DemandClosing implements DueWork {
  readonly name = 'demand-listings';
  private readonly lanes = new KeyedLane();

  async create(caller: DemandCaller, input: CreateDemandInput): Promise<DemandListing> {
    const { knex, engine, clock } = this.o;
    const buyerId = caller.viewer.participantId!;
    const spec = this.spec(input.symbol);
    const buyer = await participantForDemand(knex, buyerId);
    if (!buyer || buyer.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${buyerId}`);
    if (buyer.status !== 'active') throw forbidden('PARTICIPANT_SUSPENDED', 'a suspended participant cannot post a demand listing');
    const lots = spec.quantityToLots(input.quantity);
    const startTicks = ticksOfPrice(spec, input.startPrice, 'startPrice');
    const floorTicks = ticksOfPrice(spec, input.floorPrice, 'floorPrice');
    ticksOfPrice(spec, input.decrement, 'decrement');
    // The guidance price (指导价) protects what a seller is paid: the lowest price a demand
    // listing can award, its floor, may not go under it.
    const guidance = await guidancePriceOf(knex, spec.symbol);
    if (dec(input.floorPrice).lt(guidance)) {
      throw unprocessable('FLOOR_BELOW_GUIDANCE_PRICE', `the floor price ${input.floorPrice} is below the guidance price (指导价) ${guidance}`, { floorPrice: input.floorPrice, guidancePrice: guidance });
    }
    if (startTicks < floorTicks) throw unprocessable('START_BELOW_FLOOR', `the starting price ${input.startPrice} is below the floor ${input.floorPrice}`, { startPrice: input.startPrice, floorPrice: input.floorPrice });
    const marginPct = dec(input.marginPct);
    if (marginPct.lte(0) || marginPct.gt(100)) throw unprocessable('INVALID_MARGIN', 'the margin is a percentage above 0 and at most 100');
    if (dec(input.startPrice).mul(input.quantity).mul(marginPct).div(100).lt('0.005')) throw unprocessable('INVALID_MARGIN', 'the margin rounds to nothing');
    refuseListingWindows(input.windows, await listingMinimumsOf(knex, spec.symbol), clock.now());
    const problem = windowProblem(input.windows, clock.now());
    if (problem) throw unprocessable('INVALID_WINDOW', problem);
    const antiSniping = input.antiSnipingSeconds ?? this.o.defaultAntiSnipingSeconds;

    const id = await nextDemandId(knex);
    // The buyer locks the whole purchase at the starting price, with its fee, at publication.
    const lock = buyerCost(spec, startTicks, lots);
    const reservation = reservationOf(
      await engine.submit({ kind: 'reserve', actor: caller.actor, participantId: buyerId, asset: CASH, amount: lock, purpose: 'demand_purchase', reference: `demand:${id}` }),
    );
    const w = input.windows;
    try {
      await knex.transaction(async (trx) => {
        const now = clock.now();
        // Again under the instrument's lock: the operator may have raised the minimums meanwhile.
        refuseListingWindows(w, await listingMinimumsOf(trx, spec.symbol, true), now);
        await insertDemand(trx, {
          id,
          symbol: spec.symbol,
          buyer_id: buyerId,
          created_by: caller.actor.userId,
          title: input.title,
          description: input.description,
          quantity: spec.lotsToQuantity(lots),
          start_price: input.startPrice,
          floor_price: input.floorPrice,
          guidance_price: guidance,
          decrement: input.decrement,
          margin_pct: marginPct.toString(),
          ...newScheduleColumns(w, antiSniping),
          buyer_reservation_id: reservation.id,
          created_at: now,
        });
        await appendAudit(trx, [
          this.audit(caller.actor, 'demand.create', id, now, {
            symbol: spec.symbol,
            buyerId,
            quantity: spec.lotsToQuantity(lots),
            startPrice: input.startPrice,
            floorPrice: input.floorPrice,
            guidancePrice: guidance,
            decrement: input.decrement,
            marginPct: marginPct.toString(),
            windows: w,
            antiSnipingSeconds: antiSniping,
            buyerLock: lock.toFixed(2),
            reservationId: reservation.id,
          }),
        ]);
      });
    } catch (error) {
      await this.release(reservation.id, null);
      throw error;
    }
    return this.view(id, caller.viewer);
  }

  async register(caller: DemandCaller, id: string): Promise<DemandRegistration> {
    const participantId = caller.viewer.participantId!;
    return this.lanes.run(id, async () => {
      const { knex, engine, clock } = this.o;
      const row = await this.existing(id);
      if (!registrationOpen(row.status, windowsOf(row), clock.now())) throw conflict('REGISTRATION_CLOSED', `registration for demand listing ${id} is not open`);
      if (participantId === row.buyer_id) throw unprocessable('BUYER_CANNOT_SELL', 'the buyer cannot offer to its own demand listing');
      const spec = this.spec(row.symbol);
      const seller = (await participantForDemand(knex, participantId))!;
      if (spec.row.seller_kinds === 'government' && seller.kind !== 'government') {
        throw forbidden('SELLER_NOT_ELIGIBLE', `${spec.row.name_zh} may be sold only by government bodies (政府主导)`);
      }
      if (await registrationForDemand(knex, id, participantId)) throw conflict('ALREADY_REGISTERED', `you are already registered for demand listing ${id}`);
      // Only a holder of the indicator may offer it; the quantity itself is locked when it leads.
      const held = dec(await availableHolding(knex, participantId, spec.symbol));
      if (held.lt(row.quantity)) throw shortfall(spec.symbol, dec(row.quantity), held);
      const margin = sellerMargin(row);
      const reservation = reservationOf(
        await engine.submit({ kind: 'reserve', actor: caller.actor, participantId, asset: CASH, amount: margin, purpose: 'demand_margin', reference: `demand:${id}` }),
      );
      try {
        const registration = await knex.transaction(async (trx) => {
          const locked = (await lockDemand(trx, id))!;
          const now = clock.now();
          if (!registrationOpen(locked.status, windowsOf(locked), now)) throw conflict('REGISTRATION_CLOSED', `registration for demand listing ${id} is not open`);
          const inserted = await insertRegistration(trx, {
            demand_listing_id: id,
            participant_id: participantId,
            user_id: caller.actor.userId,
            bidder_no: drawBidderNo(await bidderNosTaken(trx, id), randomInt),
            margin: margin.toFixed(2),
            reservation_id: reservation.id,
            created_at: now,
          });
          await appendAudit(trx, [this.audit(caller.actor, 'demand.register', id, now, { participantId, bidderNo: inserted.bidder_no, margin: margin.toFixed(2), reservationId: reservation.id })]);
          return inserted;
        });
        return demandRegistrationView(registration);
      } catch (error) {
        await this.release(reservation.id, null);
        throw error;
      }
    });
  }

  /**
   * A seller bids the price down. The bidder's quantity is reserved before anything is written
   * (INSUFFICIENT_HOLDINGS changes nothing); once the bid is committed as the new lowest, the
   * quantity of the seller it undercut goes back to that seller.
   */
  async bid(caller: DemandCaller, id: string, price: string): Promise<DemandBidResult> {
    const participantId = caller.viewer.participantId!;
    return this.lanes.run(id, async () => {
      const { knex, engine, clock } = this.o;
      const row = await this.existing(id);
      if (!biddingOpen(row.status, windowsOf(row), clock.now())) throw conflict('BIDDING_CLOSED', `bidding on demand listing ${id} is not open`);
      const registration = await registrationForDemand(knex, id, participantId);
      if (!registration || registration.status !== 'active') throw forbidden('NOT_REGISTERED', `register for demand listing ${id} before bidding`);
      const spec = this.spec(row.symbol);
      const ticks = ticksOfPrice(spec, price, 'price');
      const [registrations, bids] = await Promise.all([registrationsOfDemand(knex, id), bidsOfDemand(knex, id)]);
      const lowest = lowestBid(registrations, bids);
      if (lowest?.registration_id === registration.id) throw conflict('ALREADY_LOWEST', 'your bid is already the lowest');
      const tick = (p: string) => ticksOfPrice(spec, p, 'price');
      const refusal = demandBidRefusal({ startTicks: tick(row.start_price), floorTicks: tick(row.floor_price), decrementTicks: tick(row.decrement) }, lowest ? tick(lowest.price) : null, ticks);
      if (refusal?.code === 'BID_BELOW_FLOOR') throw unprocessable(refusal.code, `bids may not go under the floor price ${spec.ticksToPrice(refusal.floorTicks)}`, { floorPrice: spec.ticksToPrice(refusal.floorTicks) });
      if (refusal?.code === 'BID_NOT_LOWER') throw unprocessable(refusal.code, `the next bid may be at most ${spec.ticksToPrice(refusal.highestTicks)}`, { maximum: spec.ticksToPrice(refusal.highestTicks) });
      if (refusal?.code === 'BID_CANNOT_GO_LOWER') throw conflict(refusal.code, `the lowest bid is within one decrement of the floor ${row.floor_price}: it cannot be undercut`, { floorPrice: spec.ticksToPrice(tick(row.floor_price)) });

      const quantity = reservationOf(
        await engine.submit({ kind: 'reserve', actor: caller.actor, participantId, asset: spec.symbol, amount: dec(row.quantity), purpose: 'demand_offer', reference: `demand:${id}` }),
      );
      let bid: DemandBidRow;
      try {
        bid = await knex.transaction(async (trx) => {
          const locked = (await lockDemand(trx, id))!;
          const now = clock.now();
          if (!biddingOpen(locked.status, windowsOf(locked), now)) throw conflict('BIDDING_CLOSED', `bidding on demand listing ${id} is not open`);
          if (locked.best_bid_id !== row.best_bid_id) throw conflict('BID_RACED', 'another bid arrived first; look at the new lowest and bid again');
          const inserted = await insertBid(trx, { demand_listing_id: id, registration_id: registration.id, user_id: caller.actor.userId, price, quantity_reservation_id: quantity.id, created_at: now });
          const entries: AuditEntry[] = [this.audit(caller.actor, 'demand.bid', id, now, { participantId, bidderNo: registration.bidder_no, bidId: inserted.id, price, reservationId: quantity.id })];
          const close = extendedClose(locked.bidding_closes_at, now, locked.anti_sniping_seconds * 1000);
          const extended = close.getTime() !== locked.bidding_closes_at.getTime();
          if (extended) entries.push(this.audit(SYSTEM_ACTOR, 'demand.extend', id, now, { from: locked.bidding_closes_at, to: close, bidId: inserted.id }));
          await updateDemand(trx, id, { best_bid_id: inserted.id, bidding_closes_at: close, extensions: locked.extensions + (extended ? 1 : 0) });
          await appendAudit(trx, entries);
          return inserted;
        });
      } catch (error) {
        await this.release(quantity.id, null);
        throw error;
      }
      // Undercut: the previous leader's quantity is free again (the close releases it if this is interrupted).
      if (lowest) await this.release(lowest.quantity_reservation_id, null);
      const facts = await this.facts(id);
      return { bid: demandBidView(facts, bid, registration, caller.viewer), demandListing: demandView(facts, caller.viewer, clock.now()) };
    });
  }

  /** Withdraws a demand listing: the operator while it is open, the buyer only before registration opens. */
  async cancel(caller: DemandCaller, id: string, reason: string): Promise<DemandListing> {
    await this.lanes.run(id, async () => {
      const { knex, clock } = this.o;
      const row = await this.existing(id);
      refuseWithdrawal(caller.viewer, row.buyer_id, row.registration_opens_at, clock.now(), { code: 'NOT_THE_BUYER', owner: 'buyer', sale: 'demand listing' });
      await knex.transaction(async (trx) => {
        const locked = (await lockDemand(trx, id))!;
        if (locked.status !== 'open') throw conflict('LISTING_NOT_OPEN', `demand listing ${id} is ${locked.status}`);
        await updateDemand(trx, id, { status: 'closing', cancel_reason: reason });
        await appendAudit(trx, [this.audit(caller.actor, 'demand.cancel', id, clock.now(), { reason })]);
      });
      await this.finish(id);
    });
    return this.view(id, caller.viewer);
  }

  /**
   * A suspended buyer's open demand listings are withdrawn at once (the suspension already
   * released its lock, so no award could be paid); the sellers' margins come back with them.
   * A suspended seller's own locks were released by the suspension: if it leads at the close,
   * the award cannot be traded and the demand listing fails.
   */
  async participantSuspended(participantId: string, actor: Actor): Promise<void> {
    for (const id of await openDemandIdsOfBuyer(this.o.knex, participantId)) {
      await this.cancel({ actor, viewer: { role: 'operator', participantId: null } }, id, 'the buyer was suspended').catch((error: unknown) => {
        this.o.log.error({ err: error, demandListingId: id }, 'could not withdraw a suspended buyer’s demand listing');
      });
    }
  }

  async view(id: string, viewer: Viewer): Promise<DemandListing> {
    return demandView(await this.facts(id), viewer, this.o.clock.now());
  }

  async list(viewer: Viewer, filter: { status: 'active' | 'closed' | 'all'; limit: number }): Promise<DemandListing[]> {
    const ids = await demandIds(this.o.knex, filter);
    return Promise.all(ids.map((id) => this.view(id, viewer)));
  }

  async bids(id: string, viewer: Viewer): Promise<DemandBid[]> {
    return visibleDemandBids(await this.facts(id), viewer);
  }

  /** The public board (需求挂牌公告, 结果公示): open demand listings and the latest results. */
  async publicBoard(results: number): Promise<PublicDemandListings> {
    const rows = await publicDemandRows(this.o.knex, results);
    const now = this.o.clock.now();
    const [open, closed] = await Promise.all([Promise.all(rows.open.map((r) => this.facts(r.id))), Promise.all(rows.closed.map((r) => this.facts(r.id)))]);
    return { announcements: open.map((f) => publicAnnouncement(f, now)), results: closed.map(publicResult) };
  }

  async nextDueAt(now: Date): Promise<Date | null> {
    return nextDemandDue(this.o.knex, now);
  }

  /** Closes every demand listing whose bidding is over, and finishes any close a restart interrupted. */
  async runDue(now: Date): Promise<void> {
    for (const id of await dueDemandIds(this.o.knex, now)) {
      await this.lanes.run(id, () => this.close(id)).catch((error: unknown) => this.o.log.error({ err: error, demandListingId: id }, 'demand listing close failed; retried at the next tick'));
    }
    // Well past any request still in flight, a buyer's lock without its demand listing goes back.
    for (const reservationId of await orphanedBuyerLocks(this.o.knex, new Date(now.getTime() - ORPHAN_AFTER_MS))) {
      await this.release(reservationId, null).catch((error: unknown) => this.o.log.error({ err: error, reservationId }, 'orphaned demand lock not released; retried at the next tick'));
    }
  }
}
