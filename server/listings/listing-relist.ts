import type { Knex } from 'knex';
import type { RelistBody } from '../../contract/listing-rules.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../engine/commands.ts';
import { conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { dec } from '../shared/decimal.ts';
import type { ListingCaller } from './listing-reader.ts';
import { listingSettingsOf, relistOf, updateListingSettings, type ListingSettingsRow } from './listing-rule-store.ts';
import type { ListingRow } from './listing-store.ts';
import type { CreateListingInput } from './listing-terms.ts';

// Relisting a failed listing (流拍后重新挂牌): a new listing on the old one's terms, offered again
// once. The seller may lower the start price by at most the instrument's relist step, and never
// below the guidance price (the create path refuses that with BELOW_GUIDANCE_PRICE).

/** The lowest start a relist of `previous` may use: the step below it, rounded up to the tick. */
export function lowestRelistStart(spec: InstrumentSpec, previous: string, stepPct: string): string {
  const lowest = dec(previous).mul(dec(100).sub(stepPct)).div(100).div(spec.tick).ceil().mul(spec.tick);
  return lowest.toFixed(spec.pricePlaces);
}

export async function relistInput(knex: Knex, spec: InstrumentSpec, caller: ListingCaller, row: ListingRow, body: RelistBody): Promise<CreateListingInput> {
  if (caller.viewer.role !== 'operator' && caller.viewer.participantId !== row.seller_id) throw forbidden('NOT_THE_SELLER', 'only the seller or the operator can relist a listing');
  if (row.status !== 'failed') throw conflict('LISTING_NOT_FAILED', `only a failed listing can be relisted; listing ${row.id} is ${row.status}`, { status: row.status });
  const already = await relistOf(knex, row.id);
  if (already) throw conflict('ALREADY_RELISTED', `listing ${row.id} has been relisted as listing ${already.id}`, { relistedAs: already.id });
  const settings = (await listingSettingsOf(knex, spec.symbol))!;
  const lowest = lowestRelistStart(spec, row.start_price, settings.listing_relist_step_pct);
  if (dec(body.startPrice).lt(lowest)) {
    const stepPct = dec(settings.listing_relist_step_pct).toString();
    throw unprocessable('RELIST_STEP_TOO_LARGE', `a relist may lower the start price by at most ${stepPct}%: no lower than ${lowest}`, { lowest, stepPct, previous: row.start_price });
  }
  const keepsCap = row.cap_pct !== null || (row.price_cap !== null && dec(row.price_cap).gt(body.startPrice));
  return {
    symbol: row.symbol,
    sellerId: row.seller_id,
    title: body.title ?? row.title,
    description: row.description,
    mode: row.mode,
    quantity: row.quantity,
    startPrice: body.startPrice,
    bidIncrement: row.bid_increment,
    marginPct: row.margin_pct,
    windows: {
      registrationOpensAt: new Date(body.registrationOpensAt),
      registrationClosesAt: new Date(body.registrationClosesAt),
      biddingOpensAt: new Date(body.biddingOpensAt),
      biddingClosesAt: new Date(body.biddingClosesAt),
    },
    antiSnipingSeconds: row.anti_sniping_seconds,
    terms: {
      priceCap: keepsCap && row.cap_pct === null ? row.price_cap : null,
      capPct: keepsCap ? row.cap_pct : null,
      capWindowMinutes: keepsCap ? row.cap_window_minutes : null,
      minBidders: row.min_bidders,
      reservePrice: row.reserve_price,
    },
    relistOf: row.id,
  };
}

export interface ListingSettings {
  relistStepPct: string;
  resultsWorkingDays: number;
}

const toSettings = (r: ListingSettingsRow): ListingSettings => ({ relistStepPct: dec(r.listing_relist_step_pct).toString(), resultsWorkingDays: r.listing_results_working_days });

export async function listingSettings(knex: Knex, symbol: string): Promise<ListingSettings> {
  const row = await listingSettingsOf(knex, symbol);
  if (!row) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
  return toSettings(row);
}

/** Sets an instrument's relist step and results-board days, audited. */
export async function setListingSettings(knex: Knex, actor: Actor, symbol: string, next: ListingSettings, at: Date): Promise<ListingSettings> {
  if (dec(next.relistStepPct).gt(100)) throw unprocessable('INVALID_RELIST_STEP', 'the relist step is a percentage from 0 to 100', { max: '100' });
  return knex.transaction(async (trx) => {
    const previous = await trx('instruments').where({ symbol }).forUpdate().first<ListingSettingsRow | undefined>('listing_relist_step_pct', 'listing_results_working_days');
    if (!previous) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    await updateListingSettings(trx, symbol, { listing_relist_step_pct: next.relistStepPct, listing_results_working_days: next.resultsWorkingDays });
    await appendAudit(trx, [
      { actorUserId: actor.userId, actor: actor.username, action: 'instrument.listingSettings', subject: `instrument:${symbol}`, payload: { symbol, previous: toSettings(previous), ...next }, at },
    ]);
    return next;
  });
}
