import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, isChineseWorkingDay, listingWindowRefusal } from '../../../contract/listing-windows.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal, holding } from '../support/market.ts';
import { allowShortListings, createListing, ok, pinClock, put } from './listing-support.ts';

// Issue 13 item 5: no flash listings. Each instrument has minimum registration (公示/报名) and
// bidding windows in Chinese working days, set by the operator; a listing may not start in the
// past nor use absurd dates. The rule is one pure module shared with the seller's form.

const beijing = (local: string) => new Date(`${local}+08:00`);

describe('Chinese working days', () => {
  it('follow the State Council calendar: holidays are off, adjusted weekends (调休) work', () => {
    expect(isChineseWorkingDay('2026-10-01')).toBe(false); // 国庆节
    expect(isChineseWorkingDay('2026-10-10')).toBe(true); // a Saturday worked in lieu
    expect(isChineseWorkingDay('2026-12-05')).toBe(false); // an ordinary Saturday
    expect(isChineseWorkingDay('2026-12-07')).toBe(true);
  });

  it('count whole working days at the same Beijing time of day, skipping weekends and holidays', () => {
    expect(addWorkingDays(beijing('2026-12-04T15:00:00'), 1)).toEqual(beijing('2026-12-07T15:00:00'));
    expect(addWorkingDays(beijing('2026-09-30T10:00:00'), 1)).toEqual(beijing('2026-10-08T10:00:00'));
    expect(addWorkingDays(beijing('2026-12-14T10:00:00'), 5)).toEqual(beijing('2026-12-21T10:00:00'));
    expect(addWorkingDays(beijing('2026-12-14T10:00:00'), 0)).toEqual(beijing('2026-12-14T10:00:00'));
  });

  it('refuse the flash listing of the issue: 65 s of registration, a close 95 s later', () => {
    const now = beijing('2026-12-14T10:00:00');
    const flash = { registrationOpensAt: now, registrationClosesAt: new Date(now.getTime() + 65_000), biddingOpensAt: now, biddingClosesAt: new Date(now.getTime() + 160_000) };
    expect(listingWindowRefusal(flash, { registrationWorkingDays: 5, biddingWorkingDays: 1 }, now)).toMatchObject({
      code: 'LISTING_WINDOW_TOO_SHORT',
      field: 'registrationClosesAt',
      earliestClose: beijing('2026-12-21T10:00:00'),
    });
  });
});

let tp: TestPlatform;
// Monday 14 December 2026, 10:00 Beijing time.
const NOW = beijing('2026-12-14T10:00:00');

beforeAll(async () => {
  tp = await startTestPlatform('listing-windows', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, NOW);
});
afterAll(async () => {
  await tp?.close();
});

const minimumsOf = async (symbol: string) =>
  ok<Array<{ symbol: string; listingMinimums: unknown }>>(await tp.api('GET', '/api/instruments'), 200, 'instruments').find((i) => i.symbol === symbol)!.listingMinimums;

describe('a new listing', () => {
  it('is refused when it starts in the past, uses absurd dates or closes inside the minimum windows; nothing is locked', async () => {
    const seller = await tp.participant('government', '婺源县自然资源局', '上饶市婺源县');
    await tp.lot(seller.id, 'FARMLAND-QTY', '5.00');
    expect(await minimumsOf('FARMLAND-QTY')).toEqual({ registrationWorkingDays: 5, biddingWorkingDays: 1 });
    const body = { symbol: 'FARMLAND-QTY', title: '婺源县耕地占补平衡指标挂牌', quantity: '2.00', startPrice: '368500.00', bidIncrement: '1000.00', marginPct: '10' };
    const at = (local: string) => beijing(local).toISOString();
    // Registration Mon 10:00 → next Mon 10:00 is 5 working days; bidding Mon 10:00 → Tue 10:00 is 1.
    const fine = { registrationOpensAt: at('2026-12-14T10:00:00'), registrationClosesAt: at('2026-12-21T10:00:00'), biddingOpensAt: at('2026-12-21T10:00:00'), biddingClosesAt: at('2026-12-22T10:00:00') };
    const before = await tp.running.platform.knex('listings').count<Array<{ count: string }>>('* as count');

    const refusals: Array<[Record<string, string>, string]> = [
      [{ registrationClosesAt: at('2026-12-18T18:00:00') }, 'LISTING_WINDOW_TOO_SHORT'],
      [{ biddingClosesAt: at('2026-12-21T12:00:00') }, 'LISTING_WINDOW_TOO_SHORT'],
      // Bidding may not open before five working days of publicity (公示) are over.
      [{ biddingOpensAt: at('2026-12-18T10:00:00') }, 'PUBLICITY_TOO_SHORT'],
      [{ registrationOpensAt: at('2026-12-14T09:00:00') }, 'LISTING_STARTS_IN_PAST'],
      [{ registrationOpensAt: '0000-01-01T00:00:00.000Z' }, 'LISTING_DATE_OUT_OF_RANGE'],
      [{ biddingClosesAt: '9999-12-31T00:00:00.000Z' }, 'LISTING_DATE_OUT_OF_RANGE'],
    ];
    for (const [change, code] of refusals) expectRefusal(await tp.api('POST', '/api/listings', seller.token, { ...body, ...fine, ...change }), 422, code);
    const tooShort = (await tp.api('POST', '/api/listings', seller.token, { ...body, ...fine, registrationClosesAt: at('2026-12-18T18:00:00') })).json<{ message: string }>();
    expect(tooShort.message).toContain('2026-12-21 10:00');
    expect(await tp.running.platform.knex('listings').count<Array<{ count: string }>>('* as count')).toEqual(before);
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['5.00', '0.00']);

    // Exactly the minimums is enough.
    const created = await createListing(tp, seller.token, { ...body, ...fine });
    expect(created).toMatchObject({ status: 'open', phase: 'registration' });
    // PostgreSQL refuses a backdated new listing even past the service…
    const knex = tp.running.platform.knex;
    const copy = (opensAt: string) =>
      knex.raw(
        `INSERT INTO listings (symbol, seller_id, created_by, title, mode, quantity, start_price, guidance_price, bid_increment, margin_pct,
           registration_opens_at, registration_closes_at, bidding_opens_at, bidding_closes_at, scheduled_close_at, seller_reservation_id, created_at)
         SELECT symbol, seller_id, created_by, title, mode, quantity, start_price, guidance_price, bid_increment, margin_pct,
           ?::timestamptz, registration_closes_at, ?::timestamptz, bidding_closes_at, scheduled_close_at, seller_reservation_id, created_at FROM listings WHERE id = ?`,
        [opensAt, opensAt, created.id],
      );
    await expect(copy('0001-01-01T00:00:00Z')).rejects.toThrow(/listings_start_not_past/);
    await expect(copy(new Date(NOW.getTime() - 3_600_000).toISOString())).rejects.toThrow(/listings_start_not_past/);
    // …while a listing made before the rule (here: backdated by hand) can still be changed, bid on and closed.
    await knex('listings').where({ id: created.id }).update({ registration_opens_at: new Date(NOW.getTime() - 86_400_000) });
    await knex('listings').where({ id: created.id }).update({ extensions: 0 });
  });

  it('follows the operator’s minimums: validated, audited, lowered for a test, still no start in the past', async () => {
    const path = '/api/admin/instruments/WETLAND/listing-minimums';
    const seller = await tp.participant('government', '永修县自然资源局', '九江市永修县');
    for (const [token, payload, status, code] of [
      [seller.token, { registrationWorkingDays: 0, biddingWorkingDays: 0 }, 403, 'FORBIDDEN_ROLE'],
      [tp.regulatorToken, { registrationWorkingDays: 0, biddingWorkingDays: 0 }, 403, 'FORBIDDEN_ROLE'],
      [tp.operatorToken, { registrationWorkingDays: -1, biddingWorkingDays: 0 }, 400, 'VALIDATION_FAILED'],
      [tp.operatorToken, { registrationWorkingDays: 61, biddingWorkingDays: 0 }, 400, 'VALIDATION_FAILED'],
      [tp.operatorToken, { registrationWorkingDays: '3', biddingWorkingDays: 1 }, 400, 'VALIDATION_FAILED'],
      [tp.operatorToken, { registrationWorkingDays: 3 }, 400, 'VALIDATION_FAILED'],
    ] as const) {
      expectRefusal(await put(tp, path, token, payload), status, code);
    }
    expectRefusal(await put(tp, '/api/admin/instruments/NO-SUCH/listing-minimums', tp.operatorToken, { registrationWorkingDays: 1, biddingWorkingDays: 1 }), 404, 'UNKNOWN_SYMBOL');
    expect(await minimumsOf('WETLAND')).toEqual({ registrationWorkingDays: 5, biddingWorkingDays: 1 });

    expect(ok(await put(tp, path, tp.operatorToken, { registrationWorkingDays: 7, biddingWorkingDays: 2 }), 200, 'set')).toEqual({ symbol: 'WETLAND', registrationWorkingDays: 7, biddingWorkingDays: 2 });
    expect(await minimumsOf('WETLAND')).toEqual({ registrationWorkingDays: 7, biddingWorkingDays: 2 });
    const audit = await tp.running.platform.knex('audit_log').where({ action: 'instrument.listingMinimums', subject: 'instrument:WETLAND' }).first<{ payload: unknown }>('payload');
    expect(audit?.payload).toMatchObject({ previous: { registrationWorkingDays: 5, biddingWorkingDays: 1 }, registrationWorkingDays: 7, biddingWorkingDays: 2 });

    // What tests use: minimums of nothing let a listing run for minutes, but never start in the past.
    await allowShortListings(tp, 'WETLAND');
    await tp.lot(seller.id, 'WETLAND', '2.00');
    const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
    const body = { symbol: 'WETLAND', title: '永修县湿地占补平衡指标挂牌', quantity: '1.00', startPrice: '88000.00', bidIncrement: '100.00', marginPct: '10' };
    expectRefusal(
      await tp.api('POST', '/api/listings', seller.token, { ...body, registrationOpensAt: minutes(-5), registrationClosesAt: minutes(10), biddingOpensAt: minutes(0), biddingClosesAt: minutes(20) }),
      422,
      'LISTING_STARTS_IN_PAST',
    );
    await createListing(tp, seller.token, { ...body, registrationOpensAt: minutes(0), registrationClosesAt: minutes(10), biddingOpensAt: minutes(1), biddingClosesAt: minutes(20) });
  });
});
