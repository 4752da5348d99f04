import { conflict, notFound } from '../errors.ts';
import { knownSpec } from '../instruments/instrument-input.ts';
import type { Actor, SystemActor } from '../engine/commands.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import type { ListingChange } from '../market/market-bus.ts';
import type { MarketServiceDeps } from '../market/market-service-deps.ts';
import { sealedNow } from './listing-rules.ts';
import { awardsOf, bidsOf, findListing, registrationsOf, shareListing, type ListingRow } from './listing-store.ts';
import {
  listingView,
  visibleBids,
  visibleRegistrations,
  type ListingBidView,
  type ListingFacts,
  type ListingView,
  type RegistrationView,
  type Viewer,
} from './listing-views.ts';
import { acceptancesOf, lotteryOf, objectionsOf, relistOf } from './listing-rule-store.ts';
import { breakGlassLog, insertBreakGlass, type BreakGlassRow } from './break-glass-store.ts';

// The read side of listing auctions: what a listing looks like to each viewer, the board, and the
// regulator's audited look at sealed bids. ListingService adds every state change on top; both
// share the lookups and the audit and publish helpers defined here.

export interface ListingServiceOptions extends MarketServiceDeps {
  /** Anti-sniping window of an open listing that does not name its own. */
  defaultAntiSnipingSeconds: number;
}

/** A caller acting on a listing: the user (for the audit log) and, for participants, whose behalf. */
export interface ListingCaller {
  actor: Actor;
  viewer: Viewer;
}

export class ListingReader {
  constructor(protected readonly o: ListingServiceOptions) {}

  protected spec(symbol: string): InstrumentSpec {
    return knownSpec(this.o.instruments, symbol);
  }

  protected async existing(listingId: string): Promise<ListingRow> {
    const row = await findListing(this.o.knex, listingId);
    if (!row) throw notFound('LISTING_NOT_FOUND', `no listing ${listingId}`);
    return row;
  }

  protected audit(actor: Actor | SystemActor, action: string, listingId: string, at: Date, payload: Record<string, unknown>): AuditEntry {
    return { actorUserId: actor.userId, actor: actor.username, action, subject: `listing:${listingId}`, payload: { listingId, ...payload }, at };
  }

  protected publish(change: ListingChange, facts: ListingFacts): void {
    // That someone registered for or bid on a sealed listing is itself what must stay hidden.
    if (sealedNow(facts.row.mode, facts.row.status) && (change === 'registered' || change === 'bid' || change === 'withdrawn')) return;
    this.o.bus.emit('listing', change, listingView(facts, { role: 'public', participantId: null }, this.o.clock.now()));
  }

  /** Everything a view of the listing needs, read together. */
  async facts(listingId: string): Promise<ListingFacts> {
    const { knex } = this.o;
    const row = await this.existing(listingId);
    const [registrations, bids, awards] = await Promise.all([registrationsOf(knex, listingId), bidsOf(knex, listingId), awardsOf(knex, listingId)]);
    const ids = [row.seller_id, ...registrations.map((r) => r.participant_id)];
    const [objections, acceptances, lottery, relisted] = await Promise.all([objectionsOf(knex, listingId), acceptancesOf(knex, listingId), lotteryOf(knex, listingId), relistOf(knex, listingId)]);
    ids.push(...objections.map((o) => o.participant_id));
    const names = new Map((await knex('participants').whereIn('id', ids).select<Array<{ id: string; name: string }>>('id', 'name')).map((p) => [p.id, p.name]));
    const rules = { objections, acceptances, lottery: lottery ?? null, relistedAs: relisted?.id ?? null };
    return { row, spec: this.spec(row.symbol), sellerName: names.get(row.seller_id) ?? '', registrations, bids, awards, names, rules };
  }

  async view(listingId: string, viewer: Viewer): Promise<ListingView> {
    return listingView(await this.facts(listingId), viewer, this.o.clock.now());
  }

  async list(viewer: Viewer, filter: { status: 'active' | 'closed' | 'all'; symbol: string | null; limit: number }): Promise<ListingView[]> {
    const q = this.o.knex('listings').orderBy('id', 'desc').limit(filter.limit);
    if (filter.status === 'active') q.whereIn('status', ['open', 'closing']);
    if (filter.status === 'closed') q.whereIn('status', ['awarded', 'failed', 'cancelled']);
    if (filter.symbol) q.where({ symbol: filter.symbol });
    const ids = await q.pluck<string[]>('id');
    return Promise.all(ids.map((id) => this.view(id, viewer)));
  }

  async bids(listingId: string, viewer: Viewer): Promise<ListingBidView[]> {
    return visibleBids(await this.facts(listingId), viewer);
  }

  async registrations(listingId: string, viewer: Viewer): Promise<RegistrationView[]> {
    return visibleRegistrations(await this.facts(listingId), viewer);
  }

  /**
   * Break glass: a regulator looks at a sealed listing's bids and bidders before the close. The
   * look is recorded (with its reason, in the audit chain, and for the operator to see) in the
   * same transaction that finds the listing still sealed; only then are the bids read.
   */
  async breakGlass(caller: ListingCaller, listingId: string, reason: string): Promise<{ record: BreakGlassRow; listing: ListingView; bids: ListingBidView[]; registrations: RegistrationView[] }> {
    const { knex, clock } = this.o;
    await this.existing(listingId);
    const record = await knex.transaction(async (trx) => {
      const locked = (await shareListing(trx, listingId))!;
      if (!sealedNow(locked.mode, locked.status)) {
        throw conflict('LISTING_NOT_SEALED', locked.mode === 'sealed' ? `listing ${listingId} is closed: its bids are public` : `listing ${listingId} is an open listing: its bids are not sealed`);
      }
      const now = clock.now();
      const row = await insertBreakGlass(trx, { listing_id: listingId, user_id: caller.actor.userId, username: caller.actor.username, reason, created_at: now });
      await appendAudit(trx, [this.audit(caller.actor, 'listing.breakGlass', listingId, now, { breakGlassId: row.id, reason })]);
      return row;
    });
    const facts = await this.facts(listingId);
    const view = listingView(facts, caller.viewer, clock.now());
    return {
      record,
      listing: { ...view, bidders: facts.registrations.length, bids: facts.bids.length },
      bids: visibleBids(facts, caller.viewer, true),
      registrations: visibleRegistrations(facts, caller.viewer, true),
    };
  }

  breakGlassLog(limit: number) {
    return breakGlassLog(this.o.knex, limit);
  }

}
