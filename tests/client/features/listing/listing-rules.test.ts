import { describe, expect, it } from 'vitest';
import type { Listing } from '../../../../client/src/features/listing/api/types.ts';
import {
  assessBid,
  assessListingDraft,
  countdownTarget,
  extensionSeconds,
  formatDuration,
  listingRequest,
  marginFor,
  minimumNextBid,
  phaseAt,
  splitDuration,
  type ListingDraft,
} from '../../../../client/src/features/listing/model/listing-rules.ts';
import { beijingInstant, toBeijingInput } from '../../../../client/src/shared/format/beijing-time.ts';

const T0 = Date.parse('2026-03-02T01:30:00.000Z'); // 09:30 Beijing
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function listing(patch: Partial<Listing> = {}): Listing {
  return {
    id: '7',
    symbol: 'FARMLAND-QTY',
    instrumentName: '耕地占补平衡指标（新增耕地数量）',
    unit: '亩',
    title: '婺源县耕地占补平衡指标挂牌竞价',
    description: null,
    mode: 'open',
    seller: { id: '3', name: '婺源县自然资源局' },
    quantity: '5.00',
    startPrice: '368500.00',
    guidancePrice: '368500.00',
    bidIncrement: '1000.00',
    marginPct: '10',
    margin: '184250.00',
    registrationOpensAt: at(0),
    registrationClosesAt: at(60),
    biddingOpensAt: at(30),
    biddingClosesAt: at(90),
    scheduledCloseAt: at(90),
    antiSnipingSeconds: 300,
    extensions: 0,
    status: 'open',
    phase: 'registration',
    registrationOpen: true,
    biddingOpen: false,
    sealed: false,
    bidders: 0,
    bids: 0,
    bestPrice: null,
    bestBidderNo: null,
    minimumBid: '368500.00',
    clearingPrice: null,
    soldQuantity: null,
    resultReason: null,
    awards: [],
    createdAt: at(-10),
    closedAt: null,
    me: { registered: true, bidderNo: 1, quantity: '5.00', margin: '184250.00', leading: false, bid: null, isSeller: false },
    rules: {
      priceCap: null, capPct: null, capWindowMinutes: null, seedCommitment: null, capStage: 'none', capReachedAt: null, capAcceptanceClosesAt: null, capEntrants: null,
      lottery: null, minBidders: 1, hasReserve: false, reservePrice: null, failureCode: null, relistOf: null, relistedAs: null, objections: [], objectionPending: false, acceptedCap: false,
    },
    ...patch,
  };
}

const minute = (m: number) => T0 + m * 60_000;

describe('phaseAt and countdownTarget', () => {
  it('walks the windows: upcoming, registration, bidding (registration still open), closing', () => {
    const l = listing();
    expect(phaseAt(l, minute(-1))).toBe('upcoming');
    expect(countdownTarget(l, minute(-1))).toEqual({ kind: 'registrationOpens', at: at(0) });
    expect(phaseAt(l, minute(0))).toBe('registration');
    // bidding opens before registration closes: the next change is bidding opening
    expect(countdownTarget(l, minute(10))).toEqual({ kind: 'biddingOpens', at: at(30) });
    expect(phaseAt(l, minute(30))).toBe('bidding');
    expect(countdownTarget(l, minute(30))).toEqual({ kind: 'biddingCloses', at: at(90) });
    expect(phaseAt(l, minute(90))).toBe('closing');
    expect(countdownTarget(l, minute(90))).toBeNull();
  });

  it('counts to the registration close when it comes first, then waits for bidding', () => {
    const l = listing({ registrationClosesAt: at(20), biddingOpensAt: at(40) });
    expect(countdownTarget(l, minute(5))).toEqual({ kind: 'registrationCloses', at: at(20) });
    expect(phaseAt(l, minute(25))).toBe('waiting');
    expect(countdownTarget(l, minute(25))).toEqual({ kind: 'biddingOpens', at: at(40) });
  });

  it('follows an extended close and reports the result once there is one', () => {
    const extended = listing({ biddingClosesAt: at(95), extensions: 1 });
    expect(phaseAt(extended, minute(92))).toBe('bidding');
    expect(countdownTarget(extended, minute(92))?.at).toBe(at(95));
    expect(extensionSeconds(extended)).toBe(300);
    expect(extensionSeconds(listing())).toBe(0);
    expect(phaseAt(listing({ status: 'awarded' }), minute(30))).toBe('awarded');
    expect(countdownTarget(listing({ status: 'failed' }), minute(30))).toBeNull();
  });
});

describe('durations', () => {
  it('splits whole seconds, rounding a part second up and never going negative', () => {
    expect(splitDuration(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
    expect(splitDuration(1)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 1 });
    expect(splitDuration(-5000)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(formatDuration(splitDuration(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000), '天')).toBe('2天 03:04:05');
    expect(formatDuration(splitDuration(59_000), 'd')).toBe('00:00:59');
  });
});

describe('minimumNextBid', () => {
  it('is the start price first, then the best bid plus the increment; sealed bids start at the start price', () => {
    expect(minimumNextBid(listing()).toFixed(2)).toBe('368500.00');
    expect(minimumNextBid(listing({ bestPrice: '369500.00' })).toFixed(2)).toBe('370500.00');
    expect(minimumNextBid(listing({ mode: 'sealed', bidIncrement: null, bestPrice: null })).toFixed(2)).toBe('368500.00');
  });
});

describe('assessBid', () => {
  const ctx = { tickSize: '0.01', lotSize: '0.01', buyerFeeBps: 5, cashAvailable: '10000000.00' };

  it('refuses a missing, malformed, off-tick or too-low price', () => {
    const l = listing({ bestPrice: '369500.00' });
    expect(assessBid(l, { price: '', quantity: '' }, ctx).errors).toEqual([{ field: 'price', key: 'priceRequired' }]);
    expect(assessBid(l, { price: '3.7e5', quantity: '' }, ctx).errors).toEqual([{ field: 'price', key: 'priceFormat' }]);
    expect(assessBid(l, { price: '370500.005', quantity: '' }, ctx).errors).toEqual([{ field: 'price', key: 'priceTick', tick: '0.01' }]);
    expect(assessBid(l, { price: '370499.99', quantity: '' }, ctx).errors).toEqual([{ field: 'price', key: 'bidTooLow', min: '370500.00' }]);
    expect(assessBid(l, { price: '370500.00', quantity: '' }, ctx).errors).toEqual([]);
  });

  it('prices the whole listing with the buyer fee and locks only what the margin does not cover', () => {
    const a = assessBid(listing(), { price: '368500.00', quantity: '' }, ctx);
    expect(a.cost?.amount.toFixed(2)).toBe('1842500.00');
    expect(a.cost?.fee.toFixed(2)).toBe('921.25');
    expect(a.extraLock?.toFixed(2)).toBe('1659171.25');
  });

  it('refuses a bid the bidder could not pay if it won', () => {
    const a = assessBid(listing(), { price: '368500.00', quantity: '' }, { ...ctx, cashAvailable: '1000000.00' });
    expect(a.errors).toEqual([{ field: 'funds', key: 'insufficientCash', need: '1659171.25', have: '1000000.00' }]);
  });

  it('sealed: quantity defaults to the registration, may not exceed it, and a standing bid is already held', () => {
    const sealed = listing({ mode: 'sealed', bidIncrement: null, me: { registered: true, bidderNo: 2, quantity: '3.00', margin: '110550.00', leading: false, bid: { price: '370000.00', quantity: '3.00', at: at(40) }, isSeller: false } });
    const same = assessBid(sealed, { price: '370000.00', quantity: '' }, ctx);
    expect(same.quantity).toBe('3.00');
    expect(same.extraLock?.toFixed(2)).toBe('0.00');
    expect(assessBid(sealed, { price: '370000.00', quantity: '3.01' }, ctx).errors).toEqual([{ field: 'quantity', key: 'quantityAboveRegistration', max: '3.00' }]);
    expect(assessBid(sealed, { price: '370000.00', quantity: '1.005' }, ctx).errors).toEqual([{ field: 'quantity', key: 'quantityLot', lot: '0.01' }]);
  });
});

describe('a seller’s draft', () => {
  const now = minute(0);
  const draft = (patch: Partial<ListingDraft> = {}): ListingDraft => ({
    symbol: 'FARMLAND-QTY',
    title: '婺源县耕地占补平衡指标挂牌竞价',
    mode: 'open',
    quantity: '5.00',
    startPrice: '368500.00',
    bidIncrement: '1000.00',
    marginPct: '10',
    registrationOpensAt: toBeijingInput(minute(0)),
    registrationClosesAt: toBeijingInput(minute(60)),
    biddingOpensAt: toBeijingInput(minute(0)),
    biddingClosesAt: toBeijingInput(minute(120)),
    antiSnipingMinutes: '5',
    ...patch,
  });
  const ctx = { tickSize: '0.01', lotSize: '0.01', guidancePrice: '368500.00', available: '106.50', minimums: { registrationWorkingDays: 0, biddingWorkingDays: 0 }, now };
  const keys = (d: ListingDraft) => assessListingDraft(d, ctx).map((e) => `${e.field}:${e.key}`);

  it('accepts a sound draft and sends times as instants and the extension in seconds', () => {
    expect(keys(draft())).toEqual([]);
    const body = listingRequest(draft());
    expect(body.registrationClosesAt).toBe(new Date(minute(60)).toISOString());
    expect(body).toMatchObject({ bidIncrement: '1000.00', antiSnipingSeconds: 300, quantity: '5.00' });
    expect(listingRequest(draft({ mode: 'sealed' }))).not.toHaveProperty('bidIncrement');
  });

  it('refuses a start price below the guidance price or off the tick', () => {
    expect(keys(draft({ startPrice: '368499.99' }))).toEqual(['startPrice:belowGuidance']);
    expect(keys(draft({ startPrice: '368500.001' }))).toEqual(['startPrice:priceTick']);
  });

  it('checks quantity against the lot and the holdings, and the increment, margin and extension', () => {
    expect(keys(draft({ quantity: '106.51' }))).toEqual(['quantity:quantityAboveHoldings']);
    expect(keys(draft({ quantity: '1.001' }))).toEqual(['quantity:quantityLot']);
    expect(keys(draft({ bidIncrement: '0' }))).toEqual(['bidIncrement:incrementFormat']);
    expect(keys(draft({ mode: 'sealed', bidIncrement: '', antiSnipingMinutes: '' }))).toEqual([]);
    expect(keys(draft({ marginPct: '100.5' }))).toEqual(['marginPct:marginRange']);
    expect(keys(draft({ quantity: '0.01', startPrice: '368500.00', marginPct: '0.0000001' }))).toEqual(['marginPct:marginNothing']);
    expect(keys(draft({ antiSnipingMinutes: '61' }))).toEqual(['antiSnipingMinutes:antiSnipingRange']);
  });

  it('insists on the order of the windows, as the server does', () => {
    expect(keys(draft({ registrationClosesAt: toBeijingInput(minute(0)) }))).toEqual(['windows:registrationOrder']);
    expect(keys(draft({ biddingClosesAt: toBeijingInput(minute(0)) }))).toEqual(['windows:biddingOrder']);
    expect(keys(draft({ biddingOpensAt: toBeijingInput(minute(-5)) }))).toEqual(['windows:biddingBeforeRegistration']);
    expect(keys(draft({ biddingClosesAt: toBeijingInput(minute(50)) }))).toEqual(['windows:registrationAfterBidding']);
    expect(keys(draft({ registrationOpensAt: toBeijingInput(minute(-60)), registrationClosesAt: toBeijingInput(minute(-1)), biddingOpensAt: toBeijingInput(minute(-60)) }))).toEqual(['windows:registrationOver']);
    expect(keys(draft({ biddingOpensAt: '' }))).toEqual(['biddingOpensAt:timeRequired']);
  });

  it('explains the instrument’s minimum windows and refuses a start in the past before anything is sent', () => {
    const strict = { ...ctx, minimums: { registrationWorkingDays: 5, biddingWorkingDays: 1 } };
    const errors = assessListingDraft(draft(), strict);
    expect(errors).toEqual([{ field: 'registrationClosesAt', key: 'registrationTooShort', values: { days: '5', earliest: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) } }]);
    expect(assessListingDraft(draft({ registrationOpensAt: toBeijingInput(minute(-10)) }), ctx).map((e) => `${e.field}:${e.key}`)).toEqual(['registrationOpensAt:startsInPast']);
    expect(assessListingDraft(draft({ registrationOpensAt: '0000-01-01T00:00' }), ctx).map((e) => `${e.field}:${e.key}`)).toEqual(['registrationOpensAt:dateOutOfRange']);
    // A start in this minute or the last means now, and is sent as now.
    expect(keys(draft({ registrationOpensAt: toBeijingInput(minute(-1)) }))).toEqual([]);
    expect(listingRequest(draft({ registrationOpensAt: toBeijingInput(minute(-1)) }), now).registrationOpensAt).toBe(new Date(now).toISOString());
  });

  it('computes the margin to the fen', () => {
    expect(marginFor('368500.00', '5.00', '10').toFixed(2)).toBe('184250.00');
    expect(marginFor('62.35', '3', '7.5').toFixed(2)).toBe('14.03');
  });

  it('reads and writes form times in Beijing time, whatever the zone it runs in', () => {
    expect(beijingInstant('2026-12-11T10:00')).toBe(Date.parse('2026-12-11T02:00:00Z'));
    expect(toBeijingInput(Date.parse('2026-12-10T16:30:00Z'))).toBe('2026-12-11T00:30');
    expect(beijingInstant('2026-12-11 10:00')).toBeNaN();
  });
});
