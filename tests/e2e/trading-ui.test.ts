import Decimal from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// The trading UI in a real browser against a real server process with demo data:
// a government seller lists from its seller console, an enterprise buys through the order form,
// both see the trade live, the regulator sees it in the live stream and halts the instrument,
// and the buyer's next order is refused with the halt message.

const SYMBOL = 'FARMLAND-QTY';
const SELLER = 'wuyuan'; // 婺源县自然资源局 (government)
const BUYER = 'ncjt'; // 南昌城市建设投资发展有限公司 (enterprise)
const HALT_REASON = '价格异常波动核查';
const QUANTITY = '2.00';

let platform: PlatformProcess;
let browser: Browser;
let seller: UserPage;
let sellerMarket: Page;
let buyer: UserPage;
let regulator: UserPage;
let listPrice = '';

/** zh-CN display of a price: 369000.00 → 369,000.00 */
const shown = (price: string) => new Decimal(price).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A price strictly between the best bid and the best ask, so the listing rests instead of trading. */
async function restingAskPrice(baseUrl: string): Promise<string> {
  const book = (await (await fetch(`${baseUrl}/api/instruments/${SYMBOL}/book?depth=5`)).json()) as {
    bids: { price: string }[];
    asks: { price: string }[];
  };
  const instruments = (await (await fetch(`${baseUrl}/api/instruments`)).json()) as { symbol: string; referencePrice: string }[];
  const ref = new Decimal(instruments.find((i) => i.symbol === SYMBOL)!.referencePrice);
  const bid = book.bids[0] ? new Decimal(book.bids[0].price) : ref.times('0.95');
  const ask = book.asks[0] ? new Decimal(book.asks[0].price) : ref.times('1.05');
  return bid.plus(ask).dividedBy(2).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(2);
}

describe('trading UI end to end', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('ui');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows the demo logins on the login page', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${platform.baseUrl}/#/login`);
    const demo = page.getByTestId('demo-users');
    await demo.getByText('婺源县自然资源局').waitFor();
    // A demo platform says so on every screen, its logins being public.
    await page.getByTestId('demo-banner').waitFor();
    expect(await page.getByTestId('demo-banner').textContent()).toContain('演示环境');
    await screenshot(page, '01-login');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('a seller lists, a buyer buys, both see it live, the regulator halts, the next order is refused', async () => {
    listPrice = await restingAskPrice(platform.baseUrl);

    // Everyone has their screen open before anything happens: all updates below arrive live.
    seller = await signedInPage(browser, platform.baseUrl, SELLER);
    buyer = await signedInPage(browser, platform.baseUrl, BUYER);
    regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    await regulator.page.getByTestId('regulator-stream').waitFor();

    await buyer.page.goto(`${platform.baseUrl}/#/`);
    await buyer.page.locator(`[data-symbol="${SYMBOL}"]`).waitFor();
    await screenshot(buyer.page, '02-market-overview');
    await buyer.page.goto(`${platform.baseUrl}/#/instruments/${SYMBOL}`);
    await buyer.page.getByTestId('order-book').waitFor();

    sellerMarket = await seller.context.newPage();
    await sellerMarket.goto(`${platform.baseUrl}/#/instruments/${SYMBOL}`);
    await sellerMarket.getByTestId('trade-tape').waitFor();

    // 1. The government seller lists from a verified lot in its seller console.
    await seller.page.goto(`${platform.baseUrl}/#/seller`);
    const lotRow = seller.page.getByTestId('seller-lots').locator('tbody tr', { hasText: SYMBOL }).first();
    await lotRow.getByRole('button', { name: /挂牌出售/ }).click();
    const listing = seller.page.getByTestId('listing-form');
    await listing.waitFor();
    // the form is prefilled from the lot: a sell order at the reference price
    expect(await listing.getByLabel(/^价格/).inputValue()).not.toBe('');
    expect(await listing.getByLabel(/^数量/).inputValue()).not.toBe('');
    // and the price is focused, ready to be typed over
    expect(await listing.getByLabel(/^价格/).evaluate((input) => input === document.activeElement)).toBe(true);
    await listing.getByLabel(/^价格/).fill(listPrice);
    await listing.getByLabel(/^数量/).fill(QUANTITY);
    // Each field holds what was typed into it: no keystroke went to another field.
    expect([await listing.getByLabel(/^价格/).inputValue(), await listing.getByLabel(/^数量/).inputValue()]).toEqual([listPrice, QUANTITY]);
    await listing.getByRole('button', { name: `卖出 ${SYMBOL}` }).click();
    const accepted = listing.getByTestId('order-accepted');
    await accepted.waitFor().catch(async (error: unknown) => {
      // What the seller saw (a refusal, a field error) and what the server said, not just a timeout.
      throw new Error(`listing not accepted: ${String(error)}\nform: ${await listing.innerText()}\nserver: ${platform.log().slice(-4000)}`);
    });
    const listingId = await accepted.getAttribute('data-order-id');
    expect(listingId).toBeTruthy();
    const listingRow = seller.page.getByTestId('listings').locator(`tr[data-order-id="${listingId}"]`);
    await listingRow.waitFor();
    expect(await listingRow.getAttribute('data-status')).toBe('open');
    await screenshot(seller.page, '03-seller-console');

    // 2. The buyer's order book shows the new ask without a reload.
    await buyer.page.getByTestId('book-asks').getByText(shown(listPrice), { exact: true }).waitFor({ timeout: 10_000 });

    // Client-side rules refuse an off-tick price before anything is sent.
    const form = buyer.page.getByTestId('order-form');
    await form.getByLabel(/^价格/).fill(`${listPrice}5`); // 369000.005: off the ¥0.01 tick
    await form.getByLabel(/^数量/).fill(QUANTITY);
    await form.getByRole('button', { name: `买入 ${SYMBOL}` }).click();
    await form.getByText(/最小变动单位/).first().waitFor();

    // 3. The enterprise buys through the form: notional and fee are shown, then it trades.
    await form.getByLabel(/^价格/).fill(listPrice);
    const notional = new Decimal(listPrice).times(QUANTITY).toFixed(2);
    await form.getByTestId('order-notional').getByText(`¥${shown(notional)}`).waitFor();
    await form.getByRole('button', { name: `买入 ${SYMBOL}` }).click();
    await form.getByTestId('order-accepted').getByText(/成交 1 笔/).waitFor();

    // 4. Both sides see the trade live: tapes, the buyer's fills, the seller's listing status.
    await buyer.page.getByTestId('trade-tape').getByText(shown(listPrice)).first().waitFor({ timeout: 10_000 });
    await buyer.page.getByTestId('own-fills').getByText(shown(listPrice)).first().waitFor({ timeout: 10_000 });
    await sellerMarket.getByTestId('trade-tape').getByText(shown(listPrice)).first().waitFor({ timeout: 10_000 });
    await seller.page.getByTestId('listings').locator(`tr[data-order-id="${listingId}"][data-status="filled"]`).waitFor({ timeout: 10_000 });
    await screenshot(buyer.page, '04-instrument-after-trade');
    await screenshot(sellerMarket, '05-seller-sees-trade');

    // 5. The regulator sees the trade in the live stream, then halts the instrument with a reason.
    const streamTrade = regulator.page
      .getByTestId('regulator-stream')
      .locator(`tr[data-kind="trade"][data-symbol="${SYMBOL}"]`, { hasText: shown(listPrice) });
    await streamTrade.first().waitFor({ timeout: 10_000 });
    await regulator.page.getByLabel(`${SYMBOL} 停复牌原因`).fill(HALT_REASON);
    await regulator.page.getByRole('button', { name: `暂停交易 ${SYMBOL}` }).click();
    // Halting asks first, with the instrument and the reason in view; nothing is sent before.
    const confirmHalt = regulator.page.getByTestId('halt-confirm-dialog');
    await confirmHalt.waitFor();
    expect(await confirmHalt.textContent()).toContain(HALT_REASON);
    expect(await confirmHalt.getByRole('heading').textContent()).toBe(`确认暂停 ${SYMBOL} 交易`);
    await screenshot(regulator.page, '06a-halt-confirm');
    await confirmHalt.getByRole('button', { name: '暂停交易' }).click();
    await regulator.page.getByTestId('trading-controls').locator(`tr[data-symbol="${SYMBOL}"] [data-status="halted"]`).waitFor();
    await screenshot(regulator.page, '06-regulator-dashboard');

    // 6. The buyer sees the halt live, and its next order is refused with the halt message.
    await buyer.page.getByTestId('halt-banner').getByText(HALT_REASON).waitFor({ timeout: 10_000 });
    await form.getByLabel(/^价格/).fill(listPrice);
    await form.getByLabel(/^数量/).fill('1.00');
    await form.getByRole('button', { name: `买入 ${SYMBOL}` }).click();
    const refusal = form.locator('[data-error-code="INSTRUMENT_HALTED"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('该品种已暂停交易');
    expect(await refusal.textContent()).toContain(HALT_REASON);
    await screenshot(buyer.page, '07-order-refused-halted');

    // The whole story ran under the platform's CSP: only its own scripts, no inline ones.
    expect(buyer.csp).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
    expect(jsErrors(buyer)).toEqual([]);
    expect(jsErrors(seller)).toEqual([]);
  });

  it('account, operator and English screens render; main screens pass axe-core', async () => {
    const checks: { name: string; page: Page; path: string }[] = [
      { name: '08-account', page: buyer.page, path: '/account' },
      { name: '09-instrument', page: buyer.page, path: `/instruments/${SYMBOL}` },
      { name: '10-market', page: buyer.page, path: '/' },
      { name: '11-seller', page: seller.page, path: '/seller' },
      { name: '12-regulator', page: regulator.page, path: '/regulator' },
    ];
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    checks.push({ name: '13-operator', page: operator.page, path: '/operator' });

    const failures: Record<string, unknown> = {};
    for (const check of checks) {
      await check.page.goto(`${platform.baseUrl}/#${check.path}`);
      await check.page.locator('main h1').first().waitFor();
      await check.page.waitForLoadState('networkidle');
      if (check.name === '08-account') {
        await check.page.getByTestId('cash-available').waitFor();
        await check.page.getByTestId('settlements').locator('tbody tr[data-trade-id]').first().waitFor();
        // Lineage: the bought quantity traces back to the seller's verified lot.
        const holding = check.page.getByTestId('holdings').locator(`tr[data-symbol="${SYMBOL}"]`);
        await holding.getByRole('button', { name: /查看来源批次/ }).click();
        await check.page.getByRole('button', { name: '流转记录' }).first().click();
        await check.page.getByTestId('lot-lineage').getByText('婺源县自然资源局').first().waitFor();
        // Use (核销) part of the holding against a construction project: a certificate number comes back.
        await holding.getByRole('button', { name: '核销' }).click();
        const consume = check.page.getByTestId('consume-form');
        await consume.getByLabel(/^数量/).fill('0.50');
        await consume.getByLabel('建设项目名称').fill('南昌市红谷滩区公共服务配套项目');
        await consume.getByLabel('项目批准文号').fill('洪发改审批〔2026〕18号');
        await consume.getByRole('button', { name: '核销', exact: true }).click();
        await consume.getByText(/证明编号/).waitFor();
        await check.page.getByTestId('registry-actions').locator('tbody tr', { hasText: SYMBOL }).waitFor();
      }
      await screenshot(check.page, check.name);
      const violations = await seriousAxeViolations(check.page);
      if (violations.length > 0) failures[check.name] = violations;
    }
    expect(failures).toEqual({});

    // The English switch is remembered across reloads.
    await buyer.page.getByRole('button', { name: /English/ }).click();
    await buyer.page.goto(`${platform.baseUrl}/#/instruments/${SYMBOL}`);
    await buyer.page.reload();
    await buyer.page.getByRole('heading', { name: 'Order entry' }).waitFor();
    await screenshot(buyer.page, '14-instrument-english');
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });
});
