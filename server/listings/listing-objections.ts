import { appendAudit } from '../audit/audit-log.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { ListingCapLottery } from './listing-cap-lottery.ts';
import type { ListingCaller } from './listing-reader.ts';
import { hasPendingObjection, insertDecision, insertObjection, objectionOf, objectionQueue } from './listing-rule-store.ts';
import { objectionView } from './listing-rule-views.ts';
import type { Viewer } from './listing-views.ts';
import { lockListing } from './listing-store.ts';
import { listingView, type ListingView } from './listing-views.ts';

// Objections (异议) heard during publicity (公示): from the announcement until bidding opens, any
// participant may object; while an objection is undecided the listing takes no bids and does not
// close — the rule the tendering regulations set (招标投标法实施条例: 作出答复前，应当暂停) — and
// a dismissal after the planned opening gives bidders the bidding time they were promised. An
// upheld objection withdraws the listing through the ordinary cancel path: the close releases the
// seller's quantity and every margin. Objections and answers are public, the objector's name is
// not: a county bureau or a rival bidder must be able to object without being seen to.

const REASON_MIN = 5;
const REASON_MAX = 2000;

export class ListingObjections extends ListingCapLottery {
  async fileObjection(caller: ListingCaller, listingId: string, reason: string): Promise<ListingView> {
    const text = reason.trim();
    if (text.length < REASON_MIN || text.length > REASON_MAX) {
      throw unprocessable('OBJECTION_REASON_LENGTH', `an objection states its reason in ${REASON_MIN} to ${REASON_MAX} characters`, { min: String(REASON_MIN), max: String(REASON_MAX) });
    }
    return this.changeLocked(caller, listingId, 'objection', async (trx, locked, now) => {
      if (locked.status !== 'open' || now >= locked.bidding_opens_at) {
        throw conflict('OBJECTION_CLOSED', 'objections are heard only during publicity, before bidding opens', { biddingOpensAt: locked.bidding_opens_at.toISOString() });
      }
      const id = await insertObjection(trx, { listing_id: listingId, participant_id: caller.viewer.participantId!, user_id: caller.actor.userId, reason: text, created_at: now });
      await appendAudit(trx, [this.audit(caller.actor, 'listing.object', listingId, now, { objectionId: id, participantId: caller.viewer.participantId, reason: text })]);
    });
  }

  /** The operator's answer: upheld withdraws the listing; dismissed lets it proceed. Decided once. */
  async decideObjection(caller: ListingCaller, objectionId: string, outcome: 'upheld' | 'dismissed', reason: string): Promise<ListingView> {
    const { knex, clock } = this.o;
    const objection = await objectionOf(knex, objectionId);
    if (!objection) throw notFound('OBJECTION_NOT_FOUND', `no objection ${objectionId}`);
    const listingId = objection.listing_id;
    await this.lanes.run(listingId, async () => {
      const withdraw = await knex.transaction(async (trx) => {
        const locked = (await lockListing(trx, listingId))!;
        const now = clock.now();
        const current = await objectionOf(trx, objectionId);
        if (current?.outcome) throw conflict('OBJECTION_DECIDED', `objection ${objectionId} was ${current.outcome}`, { outcome: current.outcome });
        if (locked.status !== 'open') throw conflict('LISTING_NOT_OPEN', `listing ${listingId} is ${locked.status}`);
        // The primary key on the objection is the backstop against two decisions racing.
        await insertDecision(trx, { objection_id: objectionId, outcome, reason: reason.trim(), decided_by: caller.actor.userId, decided_at: now });
        await appendAudit(trx, [this.audit(caller.actor, 'listing.objectionDecided', listingId, now, { objectionId, outcome, reason: reason.trim() })]);
        if (outcome === 'upheld') {
          const cancelReason = `objection upheld: ${reason.trim()}`;
          await trx('listings').where({ id: listingId }).update({ status: 'closing', cancel_reason: cancelReason });
          await appendAudit(trx, [this.audit(caller.actor, 'listing.cancel', listingId, now, { reason: cancelReason, objectionId })]);
          return true;
        }
        const heldSince = locked.bidding_opens_at;
        if (now > heldSince && !(await hasPendingObjection(trx, listingId))) {
          const delay = now.getTime() - heldSince.getTime();
          const to = new Date(locked.bidding_closes_at.getTime() + delay);
          await trx('listings')
            .where({ id: listingId })
            .update({ bidding_closes_at: to, scheduled_close_at: new Date(locked.scheduled_close_at.getTime() + delay) });
          await appendAudit(trx, [this.audit(caller.actor, 'listing.extend', listingId, now, { from: locked.bidding_closes_at, to, objectionId, reason: 'bidding was suspended by an objection' })]);
        }
        return false;
      });
      if (withdraw) await this.finish(listingId);
      else this.publish('objection', await this.facts(listingId));
    });
    return listingView(await this.facts(listingId), caller.viewer, clock.now());
  }

  /** The operator's desk: objections with their listing, the objector named (staff only). */
  async objectionDesk(viewer: Viewer, all: boolean, limit: number) {
    const rows = await objectionQueue(this.o.knex, all, limit);
    return rows.map((r) => ({
      ...objectionView(r, viewer, new Map([[r.participant_id, r.objector]])),
      listingTitle: r.title,
      symbol: r.symbol,
      listingStatus: r.listing_status,
    }));
  }
}
