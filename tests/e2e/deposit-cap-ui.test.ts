import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage } from './support/browser.ts';
import { apiCall, loginAs } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 13, item 8, as the operator lives it: in the operations console the operator caps a single
// deposit at ¥5,000,000.00; a deposit of ¥6,000,000.00 is then refused with the reason shown and
// nothing credited; one of ¥4,000,000.00 goes through and appears once in the deposit history
// (issue 20, item 11). The same screen in English.

const BUYER = 'ncjt';
const BUYER_NAME = '南昌城市建设投资发展有限公司';

let platform: PlatformProcess;
let browser: Browser;

const cashOf = async () => (await apiCall<{ cash: { available: string } }>(platform.baseUrl, 'GET', '/api/account', await loginAs(platform.baseUrl, BUYER))).cash.available;

describe('the deposit cap in the operations console', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('deposit_cap');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the operator sets a cap; a deposit over it is refused with the reason, one under it is credited', async () => {
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    const page = operator.page;
    await page.goto(`${platform.baseUrl}/#/operator`);
    const capForm = page.getByTestId('deposit-cap-form');
    await capForm.getByTestId('deposit-cap-current').getByText('未设置（不限额）').waitFor();

    await capForm.getByLabel('新的单笔入金上限（元）').fill('5000000');
    await capForm.getByRole('button', { name: '保存上限' }).click();
    await capForm.getByText('单笔入金上限已设为 ¥5,000,000.00').waitFor();
    await capForm.getByTestId('deposit-cap-current').getByText('¥5,000,000.00').waitFor();

    const before = await cashOf();
    const form = page.getByTestId('deposit-form');
    await form.getByLabel('交易主体').selectOption({ label: BUYER_NAME });
    await form.getByLabel('金额（元）').fill('6000000.00');
    await form.getByLabel('银行流水号/参考号').fill('ICBC-E2E-CAP-1');
    await form.getByRole('button', { name: '确认入金' }).click();
    const refusal = form.locator('[data-error-code="DEPOSIT_OVER_CAP"]');
    await refusal.getByText('金额 ¥6,000,000.00 超过单笔入金上限 ¥5,000,000.00，未入金').waitFor();
    await screenshot(page, 'deposit-cap-01-refused');
    expect(await cashOf()).toBe(before);

    await form.getByLabel('金额（元）').fill('4000000.00');
    await form.getByRole('button', { name: '确认入金' }).click();
    await form.getByText(`已为 ${BUYER_NAME} 入金 ¥4,000,000.00`).waitFor();
    expect(Number(await cashOf()) - Number(before)).toBe(4_000_000);

    // The history shows the credited deposit with who confirmed it; the refused one is not there.
    const history = page.getByTestId('deposit-history-panel');
    const credited = history.locator('[data-reference="ICBC-E2E-CAP-1"]');
    await credited.getByText('¥4,000,000.00').waitFor();
    await credited.getByText(BUYER_NAME).waitFor();
    await credited.getByText('operator').waitFor();
    expect(await history.locator('[data-reference="ICBC-E2E-CAP-1"]').count()).toBe(1);
    await history.getByLabel('查找').fill('ICBC-E2E');
    expect(await history.locator('tbody tr[data-reference]').count()).toBe(1);
    await history.getByLabel('查找').fill('不存在的流水');
    await history.getByText('没有符合条件的入金').waitFor();

    // The participant register finds the buyer and shows the cash just credited.
    const register = page.getByLabel('查找交易主体');
    await register.fill('南昌城市');
    const rows = page.getByTestId('participants').locator('tbody tr[data-participant-id]');
    await rows.first().getByText(BUYER_NAME).waitFor();
    expect(await rows.count()).toBe(1);
    const shown = `¥${Number(await cashOf()).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    await rows.first().getByText(shown).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });

  it('shows the cap in English and removes it', async () => {
    const operator = await signedInPage(browser, platform.baseUrl, 'operator', 'en');
    const page = operator.page;
    await page.goto(`${platform.baseUrl}/#/operator`);
    const capForm = page.getByTestId('deposit-cap-form');
    await capForm.getByTestId('deposit-cap-current').getByText('¥5,000,000.00').waitFor();
    await capForm.getByRole('button', { name: 'Remove cap' }).click();
    await capForm.getByText('The deposit cap was removed').waitFor();
    await capForm.getByTestId('deposit-cap-current').getByText('none (no limit)').waitFor();
    await screenshot(page, 'deposit-cap-02-english');
    expect((await apiCall<{ maxAmount: string | null }>(platform.baseUrl, 'GET', '/api/admin/deposit-cap', await loginAs(platform.baseUrl, 'operator'))).maxAmount).toBeNull();
    expect(jsErrors(operator)).toEqual([]);
    await operator.context.close();
  });
});
