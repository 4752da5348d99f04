import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage } from './support/browser.ts';
import { apiCall, loginAs } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 20, item 12: an enterprise sees why its cash is locked. ganjiang (demo) has resting buy
// orders and a listing margin; the account page names each, and the lines add up to the locked
// cash in the summary. A new order shows up in the breakdown without a reload.

let platform: PlatformProcess;
let browser: Browser;

const cny = (text: string) => Number(text.replace(/[¥,\s]/g, ''));

describe('the locked-balance breakdown on the account page', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('account_locks');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('names open orders and the listing margin, sums to the locked cash, and follows a new order live', async () => {
    const user = await signedInPage(browser, platform.baseUrl, 'ganjiang');
    const page = user.page;
    await page.goto(`${platform.baseUrl}/#/account`);
    const panel = page.getByTestId('locks-panel');
    const buys = panel.locator('[data-asset="CNY"][data-source="order_buy"]');
    await buys.getByText('未成交的买入委托').waitFor();
    await panel.locator('[data-asset="CNY"][data-purpose="listing_margin"]').getByText('挂牌竞买保证金').waitFor();

    const lockedKpi = page.getByTestId('cash-summary').locator('dd').nth(1);
    const cashLines = panel.locator('tbody tr[data-asset="CNY"]');
    const sumOfLines = async () => {
      let sum = 0;
      for (const cell of await cashLines.locator('td:last-child').allTextContents()) sum += cny(cell);
      return Math.round(sum * 100) / 100;
    };
    expect(await sumOfLines()).toBe(cny(await lockedKpi.innerText()));
    const ordersBefore = Number(await buys.locator('td').nth(2).innerText());
    await screenshot(page, 'account-locks-01');

    const token = await loginAs(platform.baseUrl, 'ganjiang');
    await apiCall(platform.baseUrl, 'POST', '/api/orders', token, { symbol: 'CARBON-2024', side: 'buy', type: 'limit', price: '62.00', quantity: '100', timeInForce: 'GTC' });
    await buys.locator('td').nth(2).getByText(String(ordersBefore + 1), { exact: true }).waitFor();
    await expect.poll(async () => (await sumOfLines()) === cny(await lockedKpi.innerText())).toBe(true);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(jsErrors(user)).toEqual([]);
    await user.context.close();
  });

  it('reads in English', async () => {
    const user = await signedInPage(browser, platform.baseUrl, 'ganjiang', 'en');
    await user.page.goto(`${platform.baseUrl}/#/account`);
    const panel = user.page.getByTestId('locks-panel');
    await panel.getByText('Open buy orders').waitFor();
    await panel.getByText('Listing bid margin').waitFor();
    expect(jsErrors(user)).toEqual([]);
    await user.context.close();
  });
});
