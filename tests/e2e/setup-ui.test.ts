import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, seriousAxeViolations } from './support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 13, item 3, as the person installing the platform lives it: a production start
// (NODE_ENV=production; DEMO stays at its default) has no demo, no banner and no known password.
// The console shows a one-time setup token; the setup page turns it into the first operator, who
// creates the regulator's account; the regulator signs in. The token never works again.

const OPERATOR = 'ops-chief';
const OPERATOR_PASSWORD = 'Lushan-cloud-sea-2026';
const REGULATOR = 'jx-regulator';
const REGULATOR_PASSWORD = 'Poyang-lake-audit-88';

let platform: PlatformProcess;
let browser: Browser;
let setupToken: string;

async function post(path: string, body: unknown): Promise<{ status: number; code: string | undefined }> {
  const res = await fetch(`${platform.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code };
}

async function freshPage(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  if (lang !== 'zh-CN') await page.addInitScript((l) => localStorage.setItem('ecorights.lang', l), lang);
  return { context, page, errors };
}

describe('first start of a production platform', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('setup', { NODE_ENV: 'production' });
    browser = await launchChromium();
    const match = /setup token (\S+)/.exec(platform.log());
    expect(match, platform.log()).not.toBeNull();
    setupToken = match![1]!;
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('has no demo: no demo logins, no known staff password, no banner', async () => {
    expect((await fetch(`${platform.baseUrl}/api/demo-users`)).status).toBe(404);
    for (const username of ['operator', 'regulator']) {
      for (const password of ['demo-2026', 'jiangxi-demo-2026']) expect(await post('/api/auth/login', { username, password })).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    }
    const { context, page } = await freshPage('en');
    await page.goto(`${platform.baseUrl}/#/login`);
    // Nothing can be signed into yet, so every address leads to the setup page.
    await page.getByRole('heading', { name: 'Set up the platform: create the first operator' }).waitFor();
    expect(page.url()).toContain('#/setup');
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
    await context.close();
  });

  it('the setup token creates the first operator, who creates the regulator, who signs in', async () => {
    const { context, page, errors } = await freshPage();
    await page.goto(`${platform.baseUrl}/`);
    const setup = page.getByTestId('setup-page');
    await setup.waitFor();
    await screenshot(page, 'setup-01-first-operator');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const fill = async (token: string) => {
      await page.getByLabel('一次性设置令牌').fill(token);
      await page.getByLabel('运营管理员用户名').fill(OPERATOR);
      await page.getByLabel('密码', { exact: true }).fill(OPERATOR_PASSWORD);
      await page.getByLabel('确认密码').fill(OPERATOR_PASSWORD);
      await page.getByRole('button', { name: '创建运营管理员并登录' }).click();
    };
    await fill(`${setupToken.slice(0, -2)}xx`);
    await setup.getByRole('alert').filter({ hasText: '设置令牌无效' }).waitFor();

    await fill(setupToken);
    await page.getByTestId('staff-accounts').waitFor();
    expect(page.url()).toContain('#/operator');
    expect(await page.getByTestId('current-user').textContent()).toContain(OPERATOR);

    const staff = page.getByTestId('staff-accounts');
    await staff.getByLabel('用户名').fill(REGULATOR);
    await staff.getByLabel('初始密码').fill('too-short');
    await staff.getByLabel('角色').selectOption('regulator');
    await staff.getByRole('button', { name: '创建账户' }).click();
    await staff.getByRole('alert').filter({ hasText: '密码至少需要 12 个字符' }).waitFor();
    await staff.getByLabel('初始密码').fill(REGULATOR_PASSWORD);
    await staff.getByRole('button', { name: '创建账户' }).click();
    await staff.getByRole('status').filter({ hasText: `已创建账户：${REGULATOR}` }).waitFor();
    await staff.getByTestId('staff-table').getByRole('cell', { name: REGULATOR, exact: true }).waitFor();
    await screenshot(page, 'setup-02-staff-accounts');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill(REGULATOR);
    await page.getByLabel('密码', { exact: true }).fill(REGULATOR_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('current-user').waitFor();
    await page.waitForURL(/#\/regulator/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the token never works again, and the setup page is gone', async () => {
    expect(await post('/api/setup/operator', { setupToken, username: 'intruder', password: 'Another-strong-pass-1' })).toEqual({ status: 409, code: 'SETUP_COMPLETE' });
    const { context, page } = await freshPage();
    await page.goto(`${platform.baseUrl}/#/setup`);
    await page.waitForURL(/#\/login/);
    await page.getByRole('heading', { name: '用户登录' }).waitFor();
    expect(await page.getByTestId('setup-page').count()).toBe(0);
    await context.close();
  });
});
