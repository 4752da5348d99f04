import type { CreateDemandBody, DemandListing, DemandPhase } from '../../../../../contract/demand-listings.ts';
import { addWorkingDays } from '../../../../../contract/listing-windows.ts';
import type { Instrument } from '../../../shared/api/types.ts';
import { beijingInstant, toBeijingInput } from '../../../shared/format/beijing-time.ts';
import { Dec, dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { feeFor } from '../../../shared/rules/fee.ts';
import type { SaleWindowsDraft } from '../../../shared/rules/sale-draft.ts';

// What the demand screens work out on the browser's clock between server reads: the phase and the
// next window change, and the form's figures. The server decides; these only show and prefill.

const HOUR = 3_600_000;

type Windows = Pick<DemandListing, 'status' | 'registrationOpensAt' | 'registrationClosesAt' | 'biddingOpensAt' | 'biddingClosesAt'>;

/** The phase at `now`: the result once there is one, else the window `now` falls in. */
export function phaseAt(l: Windows, now: number): DemandPhase {
  if (l.status !== 'open') return l.status;
  const at = (iso: string) => new Date(iso).getTime();
  if (now >= at(l.biddingClosesAt)) return 'closing';
  if (now >= at(l.biddingOpensAt)) return 'bidding';
  if (now >= at(l.registrationOpensAt) && now < at(l.registrationClosesAt)) return 'registration';
  return now < at(l.registrationOpensAt) ? 'upcoming' : 'waiting';
}

/** Registration is open at `now` (it may run on into bidding). */
export const registrationOpenAt = (l: Windows, now: number): boolean =>
  l.status === 'open' && now >= new Date(l.registrationOpensAt).getTime() && now < new Date(l.registrationClosesAt).getTime();

export type CountdownKind = 'registrationOpens' | 'registrationCloses' | 'biddingOpens' | 'biddingCloses';

/** The next window change after `now`, or null once bidding is over. */
export function countdownTarget(l: Windows, now: number): { kind: CountdownKind; at: string } | null {
  if (l.status !== 'open') return null;
  // Once bidding is open its close is what counts, even while registration runs on beside it.
  const biddingClose = new Date(l.biddingClosesAt).getTime();
  if (now >= new Date(l.biddingOpensAt).getTime()) return now < biddingClose ? { kind: 'biddingCloses', at: l.biddingClosesAt } : null;
  const steps: Array<[CountdownKind, string]> = [
    ['registrationOpens', l.registrationOpensAt],
    ['registrationCloses', l.registrationClosesAt],
    ['biddingOpens', l.biddingOpensAt],
    ['biddingCloses', l.biddingClosesAt],
  ];
  const next = steps.filter(([, at]) => new Date(at).getTime() > now).sort((a, b) => new Date(a[1]).getTime() - new Date(b[1]).getTime())[0];
  return next ? { kind: next[0], at: next[1] } : null;
}

/** "2d 03:04:05" or "03:04:05". */
export function formatCountdown(ms: number, dayUnit: string): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return days > 0 ? `${days}${dayUnit} ${hms}` : hms;
}

export interface DemandDraft extends SaleWindowsDraft {
  symbol: string;
  title: string;
  quantity: string;
  startPrice: string;
  floorPrice: string;
  decrement: string;
}

/** The shortest windows the instrument allows, ending on the hour; a day each without minimums. */
export function draftFor(instrument: Instrument | undefined, buyerName: string, lang: string, now: number): DemandDraft {
  const m = instrument?.listingMinimums ?? { registrationWorkingDays: 0, biddingWorkingDays: 0 };
  const ceilHour = (at: number) => Math.ceil(at / HOUR) * HOUR;
  const regClose = m.registrationWorkingDays === 0 ? now + 24 * HOUR : ceilHour(addWorkingDays(new Date(now), m.registrationWorkingDays).getTime());
  const bidOpen = m.registrationWorkingDays === 0 && m.biddingWorkingDays === 0 ? now : regClose;
  const bidClose = m.biddingWorkingDays === 0 ? Math.max(regClose, bidOpen + 24 * HOUR) : ceilHour(addWorkingDays(new Date(bidOpen), m.biddingWorkingDays).getTime());
  const year = new Date(now).getFullYear();
  const guidance = instrument ? (instrument.guidancePrice ?? instrument.referencePrice) : '';
  return {
    symbol: instrument?.symbol ?? '',
    title: instrument ? (lang.startsWith('zh') ? `${buyerName}${year}年${instrument.nameZh}需求挂牌` : `${buyerName} ${year} ${instrument.name} demand listing`) : '',
    quantity: '',
    startPrice: guidance,
    floorPrice: guidance,
    decrement: '',
    marginPct: '5',
    registrationOpensAt: toBeijingInput(now),
    registrationClosesAt: toBeijingInput(regClose),
    biddingOpensAt: toBeijingInput(bidOpen),
    biddingClosesAt: toBeijingInput(bidClose),
    antiSnipingMinutes: '5',
  };
}

const filled = (v: string) => isDecimalString(v) && dec(v).greaterThan(0);

/** Whether every figure is a positive decimal (the server checks ticks, lots, floors and windows). */
export const figuresFilled = (d: DemandDraft) => [d.quantity, d.startPrice, d.floorPrice, d.decrement, d.marginPct].every(filled);

/** The cash posting locks: quantity × starting price, to the fen, plus the buyer fee on it. */
export function buyerLockFor(d: DemandDraft, buyerFeeBps: number | undefined): Dec | null {
  if (!filled(d.quantity) || !filled(d.startPrice)) return null;
  const amount = dec(d.quantity).times(d.startPrice).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  return amount.plus(feeFor(amount, buyerFeeBps));
}

/** A seller's margin: the percentage of starting price × quantity, to the fen. */
export function sellerMarginFor(d: DemandDraft): Dec | null {
  if (!filled(d.quantity) || !filled(d.startPrice) || !filled(d.marginPct)) return null;
  return dec(d.quantity).times(d.startPrice).times(d.marginPct).dividedBy(100).toDecimalPlaces(2);
}

/** The request for a draft. A start already passed while the form was open is sent as now. */
export function demandRequest(d: DemandDraft, now: number): CreateDemandBody {
  const iso = (v: string) => new Date(beijingInstant(v)).toISOString();
  const start = (v: string) => new Date(Math.max(beijingInstant(v), now)).toISOString();
  const minutes = Number.parseInt(d.antiSnipingMinutes, 10);
  return {
    symbol: d.symbol,
    title: d.title.trim(),
    quantity: d.quantity.trim(),
    startPrice: d.startPrice.trim(),
    floorPrice: d.floorPrice.trim(),
    decrement: d.decrement.trim(),
    marginPct: d.marginPct.trim(),
    registrationOpensAt: start(d.registrationOpensAt),
    registrationClosesAt: iso(d.registrationClosesAt),
    biddingOpensAt: start(d.biddingOpensAt),
    biddingClosesAt: iso(d.biddingClosesAt),
    ...(Number.isFinite(minutes) && minutes >= 0 ? { antiSnipingSeconds: Math.min(minutes * 60, 3600) } : {}),
  };
}

/** The trade amount a seller's offer stands for: quantity × price, to the fen. */
export const offerAmount = (quantity: string, price: string): Dec => dec(quantity).times(price).toDecimalPlaces(2);
