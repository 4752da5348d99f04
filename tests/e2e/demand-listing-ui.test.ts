import Decimal from 'decimal.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs, type Method } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Demand listings (需求挂牌) in a real browser against a real server process with demo data: an
// enterprise posts what it wants to buy through its screen (its cash at the starting price is
// locked); two county bureaus register and bid the price down through theirs, each bid confirmed
// in a dialog, the next allowed price prefilled; at the close the lowest bid wins, and the buyer
// sees the result and the holding it bought, in Chinese and in English; the landing page
// publishes the result.

const BUYER = 'ncjt'; // 南昌城市建设投资发展有限公司 (enterprise)
const FIRST = 'wuyuan'; // 婺源县自然资源局
const SECOND = 'xunwu'; // 寻乌县自然资源局

let platform: PlatformProcess;
let browser: Browser;
let buyer: UserPage;
let first: UserPage;
let second: UserPage;

/** A `datetime-local` value in Beijing time (the browser's time zone here), `minutes` from now, to the minute. */
const beijingInput = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
const api = <T>(method: Method, path: string, token: string | null, body?: unknown) => apiCall<T>(platform.baseUrl, method, path, token, body);
const holdingOf = async (token: string, symbol: string) =>
  (await api<{ holdings: Array<{ symbol: string; available: string }> }>('GET', '/api/account', token)).holdings.find((h) => h.symbol === symbol)?.available ?? '0';

describe('demand listings end to end', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('demand');
    // As the operator would: minutes-long windows for this story, and cash for the bureaus' margins.
    const operator = await loginAs(platform.baseUrl, 'operator');
    await api('PUT', '/api/admin/instruments/FARMLAND-QTY/listing-minimums', operator, { registrationWorkingDays: 0, biddingWorkingDays: 0 });
    const participants = await api<Array<{ id: string; name: string }>>('GET', '/api/admin/participants', operator);
    for (const name of ['婺源县自然资源局', '寻乌县自然资源局']) {
      const id = participants.find((p) => p.name === name)!.id;
      await api('POST', '/api/admin/deposits', operator, { participantId: id, amount: '100000.00', reference: `E2E-DEMAND-${id}` });
    }
    browser = await launchChromium();
    [buyer, first, second] = await Promise.all([signedInPage(browser, platform.baseUrl, BUYER), signedInPage(browser, platform.baseUrl, FIRST), signedInPage(browser, platform.baseUrl, SECOND)]);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('an enterprise posts a demand listing, two bureaus bid down, the lowest wins and the buyer sees the result and the holding', { timeout: 240_000 }, async () => {
    const buyerToken = await loginAs(platform.baseUrl, BUYER);
    const heldBefore = await holdingOf(buyerToken, 'FARMLAND-QTY');

    // 1. The buyer fills the form; the cash to lock is shown before anything is sent.
    await buyer.page.goto(`${platform.baseUrl}/#/demand`);
    const form = buyer.page.getByTestId('create-demand-form');
    await form.waitFor();
    await form.getByLabel('指标品种').selectOption('FARMLAND-QTY');
    await form.getByLabel(/^需求数量/).fill('2.00');
    await form.getByLabel(/^起始价/).fill('380000.00');
    await form.getByLabel(/^最低可接受价/).fill('368500.00');
    await form.getByLabel(/^降价幅度/).fill('1000.00');
    await form.getByLabel(/^出让方保证金比例/).fill('5');
    await form.getByLabel(/^延时竞价/).fill('0');
    await form.getByText('每个出让方报名时冻结 ¥38,000.00').waitFor();
    await form.getByLabel('报名开始').fill(beijingInput(0));
    await form.getByLabel('报价开始').fill(beijingInput(0));
    // Registration runs on into bidding; both close on the minute, one to two minutes from now.
    await form.getByLabel('报名截止').fill(beijingInput(2));
    await form.getByLabel('报价截止').fill(beijingInput(2));
    const lock = await form.getByTestId('demand-lock').textContent();
    expect(lock).toMatch(/^¥76\d,\d{3}\.\d{2}$/);
    await screenshot(buyer.page, 'demand-01-post');
    expect(await seriousAxeViolations(buyer.page)).toEqual([]);
    await form.getByRole('button', { name: '发布并冻结资金' }).click();
    const created = form.getByTestId('demand-created');
    await created.waitFor();
    const id = (await created.getAttribute('data-demand-id'))!;
    const posted = await api<{ buyerLock: string; status: string }>('GET', `/api/demand-listings/${id}`, buyerToken);
    expect(`¥${new Decimal(posted.buyerLock).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`).toBe(lock);
    await buyer.page.goto(`${platform.baseUrl}/#/demand/${id}`);
    await buyer.page.getByTestId('demand-buyer-note').waitFor();

    // 2. The first bureau registers (margin locked) and opens at the prefilled starting price.
    await first.page.goto(`${platform.baseUrl}/#/demand/${id}`);
    await first.page.getByRole('button', { name: '报名并冻结保证金 ¥38,000.00' }).click();
    const firstForm = first.page.getByTestId('demand-bid-form');
    await firstForm.waitFor();
    expect(await firstForm.getByLabel(/^报价（元/).inputValue()).toBe('380000.00');
    await firstForm.getByRole('button', { name: '提交报价' }).click();
    const confirm = first.page.getByTestId('demand-bid-confirm');
    await confirm.getByText(/以 ¥380,000.00/).waitFor();
    await screenshot(first.page, 'demand-02-confirm');
    await confirm.getByRole('button', { name: '确认报价' }).click();
    await first.page.getByTestId('demand-leading').waitFor();

    // 3. The second bureau sees the next allowed price prefilled, and goes lower still.
    await second.page.goto(`${platform.baseUrl}/#/demand/${id}`);
    await second.page.getByRole('button', { name: /报名并冻结保证金/ }).click();
    const secondForm = second.page.getByTestId('demand-bid-form');
    await secondForm.getByTestId('demand-next-at-most').getByText('¥379,000.00').waitFor();
    expect(await secondForm.getByLabel(/^报价（元/).inputValue()).toBe('379000.00');
    await secondForm.getByLabel(/^报价（元/).fill('378000.00');
    await secondForm.getByRole('button', { name: '提交报价' }).click();
    await second.page.getByTestId('demand-bid-confirm').getByRole('button', { name: '确认报价' }).click();
    await second.page.getByTestId('demand-leading').waitFor();

    // 4. The first bureau learns it was undercut and answers at the prefilled 377,000.00.
    await first.page.getByTestId('demand-undercut').waitFor({ timeout: 10_000 });
    const again = first.page.getByTestId('demand-bid-form');
    await again.getByTestId('demand-next-at-most').getByText('¥377,000.00').waitFor({ timeout: 10_000 });
    await again.getByRole('button', { name: '提交报价' }).click();
    await first.page.getByTestId('demand-bid-confirm').getByRole('button', { name: '确认报价' }).click();
    await first.page.getByTestId('demand-leading').waitFor();
    await screenshot(first.page, 'demand-03-leading');
    expect(await seriousAxeViolations(first.page)).toEqual([]);

    // 5. The buyer follows it: current lowest, and the countdown to the close.
    await buyer.page.getByTestId('demand-lowest').getByText('¥377,000.00').waitFor({ timeout: 10_000 });
    await buyer.page.getByTestId('demand-countdown').getByText('距报价截止').waitFor();
    await screenshot(buyer.page, 'demand-04-buyer-follows');

    // 6. The close awards the lowest: the buyer sees the winner, the price and the 2.00 亩 it now holds.
    const result = buyer.page.getByTestId('demand-result');
    await result.waitFor({ timeout: 150_000 });
    expect(await result.getAttribute('data-outcome')).toBe('awarded');
    await result.getByText('¥377,000.00').waitFor();
    await buyer.page.getByTestId('demand-result-seller').getByText('婺源县自然资源局').waitFor();
    const heldAfter = new Decimal(heldBefore).plus('2.00');
    await expect.poll(() => holdingOf(buyerToken, 'FARMLAND-QTY'), { timeout: 30_000 }).toBe(heldAfter.toFixed(2));
    await buyer.page.reload();
    await buyer.page.getByTestId('demand-holding').getByText(`${heldAfter.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} 亩`).waitFor();
    await screenshot(buyer.page, 'demand-05-result');
    expect(await seriousAxeViolations(buyer.page)).toEqual([]);
    // The same result in English.
    await buyer.page.getByRole('button', { name: 'English' }).click();
    await result.getByText(/^Awarded: seller no\. \d+, ¥377,000\.00 × 2\.00 mu$/).waitFor();
    await buyer.page.getByTestId('demand-phase').getByText('Awarded').waitFor();
    expect(await second.page.getByTestId('demand-my-outcome').getAttribute('data-outcome', { timeout: 10_000 })).toBe('lost');

    // 7. The landing page publishes the result, marked 需求挂牌, to anyone.
    const visitor = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const landing = await visitor.newPage();
    await landing.goto(`${platform.baseUrl}/#/`);
    const row = landing.getByTestId(`demand-result-${id}`);
    await row.waitFor();
    await row.getByText('需求挂牌').waitFor();
    await row.getByText('婺源县自然资源局').waitFor();
    await visitor.close();

    for (const user of [buyer, first, second]) expect(jsErrors(user)).toEqual([]);
  });
});
