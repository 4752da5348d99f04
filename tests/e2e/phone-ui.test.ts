import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, PHONE, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 20, item 1: every role's main screens on a 390×844 phone — the header stays one compact
// bar (≤ 80 px), the page never scrolls sideways (wide tables scroll inside their panel), and the
// menu opens to reach every section, the language switch and sign-out.

let platform: PlatformProcess;
let browser: Browser;

beforeAll(async () => {
  platform = await startPlatformProcess('phone');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

async function expectFitsPhone(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const { pageWidth, headerHeight, wide } = await page.evaluate(() => {
    // The outermost elements that reach past the screen's right edge, to say what to fix.
    const over = (el: Element) => el.getBoundingClientRect().right > 391;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => over(el) && !(el.parentElement && over(el.parentElement)))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
    return { pageWidth: document.documentElement.scrollWidth, headerHeight: document.querySelector('header.topbar')!.getBoundingClientRect().height, wide };
  });
  expect({ name, pageWidth, wide, fits: pageWidth <= 390 }).toEqual({ name, pageWidth, wide, fits: true });
  expect({ name, headerHeight, compact: headerHeight <= 80 }).toEqual({ name, headerHeight, compact: true });
  await screenshot(page, `phone-${name}`);
  expect(await seriousAxeViolations(page)).toEqual([]);
}

/** Opens the menu and follows one of its links. */
async function viaMenu(page: Page, link: string): Promise<void> {
  const menu = page.getByRole('button', { name: /菜单|Menu/ });
  expect(await menu.getAttribute('aria-expanded')).toBe('false');
  await menu.click();
  expect(await menu.getAttribute('aria-expanded')).toBe('true');
  await page.getByRole('navigation').getByRole('link', { name: link }).click();
  // Following a link closes the menu again.
  expect(await menu.getAttribute('aria-expanded')).toBe('false');
}

describe('on a phone', () => {
  it('a visitor reads the market and history and reaches sign-in', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const visitor: UserPage = { context, page, errors: [], csp: '' };
    page.on('console', (m) => m.type() === 'error' && visitor.errors.push(m.text()));
    await page.goto(`${platform.baseUrl}/#/`);
    await page.getByTestId('public-row-FARMLAND-QTY').waitFor();
    await expectFitsPhone(page, 'visitor-market');
    await page.getByTestId('public-row-FARMLAND-QTY').getByRole('link').click();
    await page.getByTestId('daily-table').waitFor();
    await expectFitsPhone(page, 'visitor-history');
    await page.getByRole('link', { name: /返回市场行情/ }).click();
    await page.getByTestId('public-sign-in').click();
    await page.getByLabel('用户名').waitFor();
    await expectFitsPhone(page, 'visitor-login');
    expect(jsErrors(visitor)).toEqual([]);
    await context.close();
  });

  it('a buyer moves through market, an instrument, listings, blocks and the account', async () => {
    const buyer = await signedInPage(browser, platform.baseUrl, 'ncjt', 'zh-CN', PHONE);
    const { page } = buyer;
    const card = page.locator('[data-symbol="FARMLAND-QTY"]');
    await card.waitFor();
    await expectFitsPhone(page, 'buyer-market');
    await card.getByRole('link').first().click();
    await page.getByTestId('order-form').waitFor();
    await expectFitsPhone(page, 'buyer-instrument');
    await viaMenu(page, '挂牌竞价');
    await page.getByRole('heading', { name: '挂牌竞价', level: 1 }).waitFor();
    await expectFitsPhone(page, 'buyer-listings');
    await viaMenu(page, '大宗协议');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectFitsPhone(page, 'buyer-blocks');
    await viaMenu(page, '我的账户');
    await page.getByTestId('cash-summary').waitFor();
    await expectFitsPhone(page, 'buyer-account');
    // Language and sign-out live in the menu too.
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('button', { name: /Menu/ }).waitFor();
    expect(jsErrors(buyer)).toEqual([]);
    await buyer.context.close();
  });

  it('the regulator and the operator have their consoles', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator', 'zh-CN', PHONE);
    await regulator.page.getByTestId('regulator-stream').waitFor({ state: 'attached' });
    await expectFitsPhone(regulator.page, 'regulator-dashboard');
    await viaMenu(regulator.page, '统计报表');
    await regulator.page.getByTestId('market-report').waitFor();
    await expectFitsPhone(regulator.page, 'regulator-reports');
    expect(jsErrors(regulator)).toEqual([]);
    await regulator.context.close();

    const operator = await signedInPage(browser, platform.baseUrl, 'operator', 'zh-CN', PHONE);
    await operator.page.getByTestId('staff-accounts').waitFor();
    await expectFitsPhone(operator.page, 'operator-console');
    await operator.page.getByRole('button', { name: /菜单/ }).click();
    await operator.page.getByRole('button', { name: '退出登录' }).click();
    await operator.page.getByLabel('用户名').waitFor();
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });
});
