import Decimal from 'decimal.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs, type Method } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Listing auctions (挂牌竞价) in a real browser against a real server process with demo data:
// the board opens populated; a government seller creates a listing in its console; an
// enterprise registers (margin locked) and bids on the bidding screen; a second bidder outbids
// it through the API and the first sees the new best bid and the anti-sniping extension live.
// A sealed-bid listing shows a bidder only its own bid until the close, then the result; a
// regulator sees its bids before the close only by breaking the glass, which the operator sees.
// A seller is told the instrument's minimum windows before anything is sent.

const SELLER = 'wuyuan'; // 婺源县自然资源局 (government)
const BIDDER = 'ncjt'; // 南昌城市建设投资发展有限公司
const RIVAL = 'ganjiang'; // 赣江新区产业园开发建设有限公司
const RIVAL_NAME = '赣江新区产业园开发建设有限公司';

let platform: PlatformProcess;
let browser: Browser;
let seller: UserPage;
let bidder: UserPage;

/** zh-CN display of an amount: 369000 → 369,000.00 */
const shown = (v: string) => new Decimal(v).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** A `datetime-local` value in Beijing time (the browser's time zone here), `minutes` from now. */
const beijingInput = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);

const api = <T>(method: Method, path: string, token: string | null, body?: unknown) => apiCall<T>(platform.baseUrl, method, path, token, body);
// One sign-in per user for the whole file: the stories sign in often, and sign-ins are limited per address.
const tokens = new Map<string, Promise<string>>();
const login = (username: string) => {
  if (!tokens.has(username)) tokens.set(username, loginAs(platform.baseUrl, username));
  return tokens.get(username)!;
};
const cashOf = async (token: string) => (await api<{ cash: { available: string; locked: string } }>('GET', '/api/account', token)).cash;

describe('listing auctions end to end', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('listing');
    // Listings of minutes for the instruments these stories list quickly, set as an operator
    // would; FARMLAND-GRAIN keeps the default minimums (5 and 1 working days) for the last story.
    const operator = await login('operator');
    for (const symbol of ['FARMLAND-QTY', 'FARMLAND-PADDY']) {
      await api('PUT', `/api/admin/instruments/${symbol}/listing-minimums`, operator, { registrationWorkingDays: 0, biddingWorkingDays: 0 });
    }
    browser = await launchChromium();
    seller = await signedInPage(browser, platform.baseUrl, SELLER);
    bidder = await signedInPage(browser, platform.baseUrl, BIDDER);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('opens on a board populated by the demo data', async () => {
    const page = bidder.page;
    await page.goto(`${platform.baseUrl}/#/listings`);
    const bidding = page.getByTestId('listing-board-bidding').locator('tbody tr', { hasText: '南丰县2025年度城乡建设用地增减挂钩节余指标挂牌竞价' });
    await bidding.waitFor();
    expect(await bidding.getAttribute('data-phase')).toBe('bidding');
    expect(await bidding.getByTestId('listing-best').textContent()).toBe('281,000.00');
    await bidding.getByTestId('listing-countdown').getByText('距竞价结束').waitFor();
    const registering = page.getByTestId('listing-board-upcoming').locator('tbody tr', { hasText: '永修县鄱阳湖退化湿地修复湿地占补平衡指标挂牌竞价' });
    await registering.waitFor();
    expect(await registering.getAttribute('data-phase')).toBe('registration');
    await screenshot(page, 'listing-01-board');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('a seller creates a listing, a bidder registers and bids, a rival outbids, the bidder sees it live', async () => {
    // 1. The government seller fills the form in its console; the client refuses a start price
    //    below the guidance price before anything is sent.
    await seller.page.goto(`${platform.baseUrl}/#/seller`);
    const form = seller.page.getByTestId('create-listing-form');
    await form.waitFor();
    await form.getByLabel('交易品种').selectOption('FARMLAND-QTY');
    await form.getByLabel('挂牌名称').fill('婺源县2026年第一批耕地占补平衡指标挂牌竞价');
    await form.getByLabel(/^挂牌数量/).fill('5.00');
    await form.getByLabel(/^起始价/).fill('368000.00');
    await form.getByLabel(/^加价幅度/).fill('1000.00');
    await form.getByLabel(/^保证金比例/).fill('10');
    await form.getByLabel(/^延时时长/).fill('5');
    // Registration and bidding close within the 5-minute anti-sniping window: every bid extends.
    await form.getByLabel('报名截止').fill(beijingInput(3));
    await form.getByLabel('竞价结束').fill(beijingInput(3));
    await form.getByRole('button', { name: '发布挂牌' }).click();
    await form.getByText('起始价不得低于指导价 368500.00').waitFor();
    await form.getByLabel(/^起始价/).fill('368500.00');
    await form.getByText('每位竞买人需冻结 ¥184,250.00').waitFor();
    await form.getByRole('button', { name: '发布挂牌' }).click();
    const created = form.getByTestId('listing-created');
    await created.waitFor();
    const listingId = (await created.getAttribute('data-listing-id'))!;
    expect(listingId).toMatch(/^\d+$/);
    await seller.page.getByTestId('seller-auctions').locator(`tr[data-listing-id="${listingId}"][data-phase="bidding"]`).waitFor();
    await screenshot(seller.page, 'listing-02-seller-console');
    expect(await seriousAxeViolations(seller.page)).toEqual([]);

    // 2. The enterprise registers on the bidding screen: the margin is locked from its cash.
    const bidderToken = await login(BIDDER);
    const before = await cashOf(bidderToken);
    const page = bidder.page;
    await page.goto(`${platform.baseUrl}/#/listings/${listingId}`);
    await page.getByTestId('listing-screen').waitFor();
    expect(await page.getByTestId('margin-to-lock').textContent()).toBe('¥184,250.00');
    await page.getByRole('button', { name: '报名并冻结保证金 ¥184,250.00' }).click();
    await page.getByTestId('my-margin').getByText('¥184,250.00').waitFor();
    const registered = await cashOf(bidderToken);
    expect(new Decimal(registered.locked).minus(before.locked).toFixed(2)).toBe('184250.00');
    expect(new Decimal(before.available).minus(registered.available).toFixed(2)).toBe('184250.00');

    // 3. The bid form refuses a bid below the start price and one off the tick, without sending it.
    const bidForm = page.getByTestId('bid-form');
    await bidForm.getByLabel(/^出价（元/).fill('368000.00');
    await bidForm.getByRole('button', { name: '确认出价' }).click();
    await bidForm.getByText('出价不得低于 368500.00（当前最高价加加价幅度）').waitFor();
    await bidForm.getByLabel(/^出价（元/).fill('368500.005');
    await bidForm.getByText('价格须为最小变动单位 0.01 的整数倍').waitFor();
    expect(await page.getByTestId('listing-bid-count').textContent()).toBe('0');

    // 4. It bids the minimum and leads; the close is extended (the bid came within 5 minutes of it).
    await bidForm.getByRole('button', { name: '按最低价出价' }).click();
    expect(await bidForm.getByLabel(/^出价（元/).inputValue()).toBe('368500.00');
    await bidForm.getByRole('button', { name: '确认出价' }).click();
    await page.getByTestId('leading').waitFor();
    await page.getByTestId('listing-best-price').getByText('¥368,500.00').waitFor();
    await page.getByTestId('listing-extended').getByText(/已延时 1 次/).waitFor();
    expect(await page.getByTestId('listing-minimum').textContent()).toBe('¥369,500.00');

    // 5. A rival registers and outbids through the API; the bidder's screen follows live.
    const rival = await login(RIVAL);
    const rivalNo = (await api<{ bidderNo: number }>('POST', `/api/listings/${listingId}/registrations`, rival, {})).bidderNo;
    await api('POST', `/api/listings/${listingId}/bids`, rival, { price: '369500.00' });
    await page.getByTestId('listing-best-price').getByText('¥369,500.00').waitFor({ timeout: 10_000 });
    await page.getByTestId('outbid').waitFor({ timeout: 10_000 });
    await page.getByTestId('listing-extended').getByText(/已延时 2 次/).waitFor({ timeout: 10_000 });
    await page.getByTestId('listing-minimum').getByText('¥370,500.00').waitFor({ timeout: 10_000 });
    const rows = page.getByTestId('listing-bids').locator('tbody tr[data-bid-id]');
    await rows.nth(1).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(2);
    // Bidders see each other by number only.
    expect(await rows.first().textContent()).toContain(`竞买号 ${rivalNo}`);
    expect(await page.getByTestId('listing-bids').textContent()).not.toContain(RIVAL_NAME);
    await screenshot(page, 'listing-03-bidding-screen');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The regulator (here in English) sees the same bids with the bidders named, and cannot bid.
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator', 'en');
    await regulator.page.goto(`${platform.baseUrl}/#/listings/${listingId}`);
    await regulator.page.getByTestId('listing-bids').getByText(`${RIVAL_NAME}（Bidder ${rivalNo}）`).waitFor();
    await regulator.page.getByRole('heading', { name: 'Your participation' }).waitFor();
    await regulator.page.getByText('Your role can view listings but not register or bid.').waitFor();
    expect(await regulator.page.getByTestId('listing-best-price').textContent()).toBe('¥369,500.00');
    await screenshot(regulator.page, 'listing-04-regulator-view');
    await regulator.context.close();

    expect(jsErrors(seller)).toEqual([]);
    expect(jsErrors(bidder)).toEqual([]);
  });

  it('a sealed-bid listing hides others’ bids until the close, then shows the uniform-price result', { timeout: 120_000 }, async () => {
    const sellerToken = await login(SELLER);
    const now = Date.now();
    const closes = new Date(now + 30_000).toISOString();
    const listing = await api<{ id: string }>('POST', '/api/listings', sellerToken, {
      symbol: 'FARMLAND-PADDY',
      title: '婺源县水田规模指标密封报价',
      mode: 'sealed',
      quantity: '5.00',
      startPrice: '125000.00',
      marginPct: '10',
      registrationOpensAt: new Date(now).toISOString(),
      registrationClosesAt: closes,
      biddingOpensAt: new Date(now).toISOString(),
      biddingClosesAt: closes,
    });

    // The bidder registers for 3 of the 5 亩 and bids high for them.
    const page = bidder.page;
    await page.goto(`${platform.baseUrl}/#/listings/${listing.id}`);
    await page.getByTestId('sealed-note').waitFor();
    await page.getByLabel(/^拟竞买数量/).fill('3.00');
    expect(await page.getByTestId('margin-to-lock').textContent()).toBe('¥37,500.00');
    await page.getByRole('button', { name: /报名并冻结保证金/ }).click();
    const bidForm = page.getByTestId('bid-form');
    await bidForm.getByLabel(/^出价（元/).fill('127000.00');
    await bidForm.getByRole('button', { name: '确认出价' }).click();
    await bidForm.getByTestId('bid-accepted').waitFor();

    // A rival bids lower for all 5 亩; the bidder learns nothing of it, not even how many bid.
    const rival = await login(RIVAL);
    await api('POST', `/api/listings/${listing.id}/registrations`, rival, {});
    await api('POST', `/api/listings/${listing.id}/bids`, rival, { price: '126000.00' });
    await page.reload();
    await page.getByTestId('listing-bids').locator('tbody tr[data-bid-id]').first().waitFor();
    expect(await page.getByTestId('listing-bid-count').textContent()).toBe('密封，截止后公布');
    expect(await page.getByTestId('listing-bidders').textContent()).toBe('密封，截止后公布');
    expect(await page.getByTestId('listing-bids').locator('tbody tr[data-bid-id]').count()).toBe(1);
    expect(await page.getByTestId('listing-best-price').textContent()).toBe('密封，截止后公布');
    await screenshot(page, 'listing-05-sealed-before-close');

    // At the close: both win (3 + 2 亩) at the lowest winning bid, and the bids are revealed.
    const result = page.getByTestId('listing-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-status')).toBe('awarded');
    expect(await page.getByTestId('clearing-price').textContent()).toBe(shown('126000'));
    expect(await page.getByTestId('my-outcome').getAttribute('data-outcome')).toBe('won');
    await page.getByTestId('listing-bids').locator('tbody tr[data-bid-id]').nth(1).waitFor({ timeout: 10_000 });
    await screenshot(page, 'listing-06-sealed-result');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(jsErrors(bidder)).toEqual([]);
  });
  it('the operator lists on a government seller’s behalf from its console, and the seller’s quantity is locked', async () => {
    const sellerToken = await login(SELLER);
    const holding = async () => (await api<{ holdings: Array<{ symbol: string; available: string; locked: string }> }>('GET', '/api/account', sellerToken)).holdings.find((h) => h.symbol === 'FARMLAND-PADDY')!;
    const before = await holding();
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    await operator.page.goto(`${platform.baseUrl}/#/operator`);
    const panel = operator.page.getByTestId('operator-listing');
    await panel.getByLabel('挂牌方').selectOption({ label: '婺源县自然资源局 · 上饶市婺源县' });
    const form = panel.getByTestId('create-listing-form');
    // The form appears once the seller's lots have loaded; its choices are read only then.
    await form.waitFor();
    // Only what this seller holds lots of, and may sell, is offered.
    const offered = await form.getByLabel('交易品种').locator('option').allInnerTexts();
    expect(offered.map((o) => o.split(' · ')[0])).toEqual(['FARMLAND-QTY', 'FARMLAND-PADDY', 'FARMLAND-GRAIN']);
    await form.getByLabel('交易品种').selectOption('FARMLAND-PADDY');
    expect(await form.getByLabel('挂牌名称').inputValue()).toContain('婺源县自然资源局');
    await form.getByLabel(/^挂牌数量/).fill('8.00');
    await form.getByRole('button', { name: '发布挂牌' }).click();
    const created = form.getByTestId('listing-created');
    await created.waitFor();
    const listingId = (await created.getAttribute('data-listing-id'))!;
    const listing = await api<{ seller: { name: string }; quantity: string; symbol: string }>('GET', `/api/listings/${listingId}`, sellerToken);
    expect(listing).toMatchObject({ seller: { name: '婺源县自然资源局' }, quantity: '8.00', symbol: 'FARMLAND-PADDY' });
    const after = await holding();
    expect(new Decimal(before.available).minus(after.available).toFixed(2)).toBe('8.00');
    expect(new Decimal(after.locked).minus(before.locked).toFixed(2)).toBe('8.00');
    await screenshot(operator.page, 'listing-07-operator-on-behalf');
    expect(await seriousAxeViolations(operator.page)).toEqual([]);
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });

  it('a regulator breaks the glass of a sealed listing with a reason; the operator sees it', async () => {
    const sellerToken = await login(SELLER);
    const now = Date.now();
    const listing = await api<{ id: string }>('POST', '/api/listings', sellerToken, {
      symbol: 'FARMLAND-PADDY',
      title: '婺源县水田规模指标密封报价（核查）',
      mode: 'sealed',
      quantity: '2.00',
      startPrice: '125000.00',
      marginPct: '10',
      registrationOpensAt: new Date(now).toISOString(),
      registrationClosesAt: new Date(now + 3_600_000).toISOString(),
      biddingOpensAt: new Date(now).toISOString(),
      biddingClosesAt: new Date(now + 3_600_000).toISOString(),
    });
    for (const [who, price] of [[BIDDER, '128000.00'], [RIVAL, '127500.00']] as const) {
      const token = await login(who);
      await api('POST', `/api/listings/${listing.id}/registrations`, token, { quantity: '2.00' });
      await api('POST', `/api/listings/${listing.id}/bids`, token, { price });
    }

    // Sealed to the regulator too: no counts, no bids, nobody named.
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    const page = regulator.page;
    await page.goto(`${platform.baseUrl}/#/listings/${listing.id}`);
    await page.getByTestId('listing-screen').waitFor();
    expect(await page.getByTestId('listing-bidders').textContent()).toBe('密封，截止后公布');
    expect(await page.getByTestId('listing-bid-count').textContent()).toBe('密封，截止后公布');
    expect(await page.getByTestId('listing-bids').textContent()).not.toContain(RIVAL_NAME);
    expect(await page.getByTestId('listing-bids').textContent()).not.toContain('127,500.00');

    // The button asks for a reason and a confirmation first.
    const glass = page.getByTestId('break-glass');
    await glass.getByRole('button', { name: '紧急查看密封报价…' }).click();
    await glass.getByRole('button', { name: '确认查看并记录' }).click();
    await glass.getByText('请填写查看理由（至少 5 个字）').waitFor();
    await glass.getByLabel(/^查看理由/).fill('核查串通投标举报（赣监〔2026〕12号）');
    await glass.getByRole('button', { name: '确认查看并记录' }).click();
    await glass.getByTestId('break-glass-recorded').getByText(/核查串通投标举报/).waitFor();
    const bids = glass.getByTestId('break-glass-bids');
    await bids.getByText(RIVAL_NAME, { exact: false }).waitFor();
    expect(await bids.textContent()).toContain('127,500.00');
    expect(await bids.textContent()).toContain('128,000.00');
    await screenshot(page, 'listing-08-break-glass');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(jsErrors(regulator)).toEqual([]);
    await regulator.context.close();

    // The operator's console lists the look, with who, why and the listing still sealed.
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    await operator.page.goto(`${platform.baseUrl}/#/operator`);
    const row = operator.page.getByTestId('break-glass-log').locator(`tr[data-listing-id="${listing.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('核查串通投标举报（赣监〔2026〕12号）');
    expect(await row.textContent()).toContain('regulator');
    expect(await row.textContent()).toContain('仍在密封中');
    await screenshot(operator.page, 'listing-09-break-glass-record');
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });

  it('the operator sets an instrument’s minimum windows; a seller is told them and refused a listing that closes inside them', async () => {
    // The operator raises FARMLAND-GRAIN's registration minimum from the default 5 to 6 working days.
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    await operator.page.goto(`${platform.baseUrl}/#/operator`);
    const minimums = operator.page.getByTestId('listing-minimums-form');
    await minimums.getByLabel('交易品种').selectOption('FARMLAND-GRAIN');
    expect(await minimums.getByLabel('公示（报名）期最少工作日').inputValue()).toBe('5');
    await minimums.getByLabel('公示（报名）期最少工作日').fill('6');
    await minimums.getByRole('button', { name: '保存最短期限' }).click();
    await minimums.getByTestId('listing-minimums-saved').getByText('FARMLAND-GRAIN：公示期不少于 6 个工作日，竞价期不少于 1 个工作日').waitFor();
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();

    await seller.page.goto(`${platform.baseUrl}/#/seller`);
    await seller.page.reload();
    const form = seller.page.getByTestId('create-listing-form');
    await form.waitFor();
    await form.getByLabel('交易品种').selectOption('FARMLAND-GRAIN');
    await form.getByTestId('listing-minimums-hint').getByText(/公示（报名）期不少于 6 个工作日，竞价期不少于 1 个工作日/).waitFor();
    const listed = async () => (await api<Array<{ id: string }>>('GET', '/api/listings?status=all&symbol=FARMLAND-GRAIN', await login(SELLER))).map((l) => l.id);
    const listingsBefore = await listed();
    await form.getByLabel(/^挂牌数量/).fill('1.00');
    await form.getByLabel('报名截止').fill(beijingInput(3));
    await form.getByLabel('竞价开始').fill(beijingInput(3));
    await form.getByLabel('竞价结束').fill(beijingInput(10));
    await form.getByRole('button', { name: '发布挂牌' }).click();
    await form.getByText(/公示（报名）期不少于 6 个工作日：报名截止不得早于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    expect(await form.getByTestId('listing-created').count()).toBe(0);
    expect(await listed()).toEqual(listingsBefore);
    await screenshot(seller.page, 'listing-10-minimum-window');
    expect(jsErrors(seller)).toEqual([]);
  });

  it('a seller whose browser runs on UTC enters and reads listing times in Beijing time', async () => {
    const utc = await signedInPage(browser, platform.baseUrl, SELLER, 'zh-CN', DESKTOP, 'UTC');
    const { page } = utc;
    await page.goto(`${platform.baseUrl}/#/seller`);
    const form = page.getByTestId('create-listing-form');
    await form.waitFor();
    await form.getByLabel('交易品种').selectOption('FARMLAND-QTY');
    // The form's first start is now on the Beijing clock, not the browser's UTC one.
    expect([beijingInput(-1), beijingInput(0)]).toContain(await form.getByLabel('报名开始').inputValue());
    await form.getByLabel('挂牌名称').fill('北京时间测试挂牌');
    await form.getByLabel(/^挂牌数量/).fill('1.00');
    await form.getByLabel(/^起始价/).fill('368500.00');
    await form.getByLabel(/^保证金比例/).fill('10');
    const closes = beijingInput(90);
    await form.getByLabel('报名截止').fill(closes);
    await form.getByLabel('竞价结束').fill(closes);
    await form.getByRole('button', { name: '发布挂牌' }).click();
    const created = form.getByTestId('listing-created');
    await created.waitFor();
    const listing = await api<{ biddingClosesAt: string }>('GET', `/api/listings/${await created.getAttribute('data-listing-id')}`, await login(SELLER));
    // What was typed as Beijing time is the instant the server stored.
    expect(listing.biddingClosesAt).toBe(new Date(`${closes}:00+08:00`).toISOString());
    expect(jsErrors(utc)).toEqual([]);
    await utc.context.close();
  });
});
