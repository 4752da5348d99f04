import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage } from './support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 13, items 2 and 6, as users live them: a session survives a reload without any token in
// the page's storage, a password change ends the old password, signing out ends the session; an
// operator's reset throws the regulator out at once and makes it choose a new password.

const BUYER = 'ncjt';
const NEW_PASSWORD = 'Ganjiang-river-ledger-57';
const REGULATOR_PASSWORD = 'Poyang-lake-audit-88';

let platform: PlatformProcess;
let browser: Browser;

async function signInForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

describe('sessions in the browser', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('sessions');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('stays signed in across a reload, changes the password, signs out, and the old password no longer works', async () => {
    const user = await signedInPage(browser, platform.baseUrl, BUYER);
    const { page } = user;
    // Nothing a script could steal: no token in storage, and the refresh cookie is HttpOnly.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toMatch(/eyJ|ecorights_refresh/);
    const cookie = (await user.context.cookies()).find((c) => c.name === 'ecorights_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });

    await page.goto(`${platform.baseUrl}/#/account`);
    await page.reload();
    await page.getByTestId('current-user').waitFor();
    expect(page.url()).toContain('#/account');

    await page.getByRole('link', { name: '修改密码' }).click();
    const form = page.getByTestId('password-page');
    await form.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await form.getByLabel('当前密码').fill(DEMO_PASSWORD);
    await form.getByLabel('新密码', { exact: true }).fill('password1234');
    await form.getByLabel('再次输入新密码').fill('password1234');
    await form.getByRole('button', { name: '保存新密码' }).click();
    await form.getByRole('alert').filter({ hasText: '密码过于常见' }).waitFor();
    await form.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await form.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
    await form.getByRole('button', { name: '保存新密码' }).click();
    await form.getByRole('status').filter({ hasText: '密码已修改' }).waitFor();
    await screenshot(page, 'session-01-password-changed');

    // Still signed in with the session the change answered, also after a reload.
    await page.reload();
    await page.getByTestId('current-user').waitFor();

    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
    await page.getByTestId('sign-out').click();
    await page.getByRole('heading', { name: '用户登录' }).waitFor();
    expect((await loggedOut).status()).toBe(204);
    await page.reload();
    await page.getByRole('heading', { name: '用户登录' }).waitFor();

    await signInForm(page, BUYER, DEMO_PASSWORD);
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    await signInForm(page, BUYER, NEW_PASSWORD);
    await page.getByTestId('current-user').waitFor();
    expect(jsErrors(user)).toEqual([]);
    await user.context.close();
  });

  it('an operator’s reset signs the regulator out at once; the temporary password only lets it choose a new one', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    await regulator.page.waitForURL(/#\/regulator/);
    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    await operator.page.waitForURL(/#\/operator/);

    const row = operator.page.getByTestId('user-access-regulator');
    await row.getByRole('button', { name: '重置密码' }).click();
    const temporary = (await row.getByTestId('temporary-password').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(16);
    await row.getByText('待修改密码').waitFor();
    await screenshot(operator.page, 'session-02-reset-by-operator');

    // The regulator's open dashboard is told over its socket and returns to sign-in.
    await regulator.page.getByRole('heading', { name: '用户登录' }).waitFor();
    await signInForm(regulator.page, 'regulator', temporary);
    const forced = regulator.page.getByTestId('password-page');
    await forced.getByRole('heading', { name: '请设置新密码' }).waitFor();
    await forced.getByLabel('临时密码').fill(temporary);
    await forced.getByLabel('新密码', { exact: true }).fill(REGULATOR_PASSWORD);
    await forced.getByLabel('再次输入新密码').fill(REGULATOR_PASSWORD);
    await forced.getByRole('button', { name: '保存新密码' }).click();
    // The forced screen gives way to the regulator's dashboard.
    await forced.waitFor({ state: 'detached' });
    expect(regulator.page.url()).toMatch(/#\/regulator/);
    await regulator.page.getByTestId('current-user').waitFor();
    expect({ regulator: jsErrors(regulator), operator: jsErrors(operator) }).toEqual({ regulator: [], operator: [] });
    await regulator.context.close();
    await operator.context.close();
  });
});
