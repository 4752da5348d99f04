import Decimal from 'decimal.js';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs, type Method } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Lot controls (issue 15) in a real browser against a real server process with demo data: a
// regulator freezes a lot under a court order; its holder sees the lot frozen in its account and
// a sell order of it is refused with the reason in Chinese; the operator lifts the freeze; the
// operator revokes another lot part of which was sold, and the regulator sees the flag naming the
// buyer. Each action asks for its reason and confirms a summary before anything is sent.

const SYMBOL = 'FARMLAND-QTY';
const BUYER = 'ncjt';
const BUYER_NAME = '南昌城市建设投资发展有限公司';
const COURT_NOTE = '(2026)赣1102执保88号 财产保全裁定';

let platform: PlatformProcess;
let browser: Browser;
let regulator: UserPage;
let operator: UserPage;
let holder: UserPage;

const api = <T>(method: Method, path: string, token: string | null, body?: unknown) => apiCall<T>(platform.baseUrl, method, path, token, body);
const suffix = randomBytes(3).toString('hex');
const frozenRef = `赣自然资耕备〔2026〕F${suffix}号`;
const revokedRef = `赣自然资耕备〔2026〕R${suffix}号`;
const holderName = `上饶市广丰区自然资源局`;
const sellerName = `上饶市铅山县自然资源局`;

/** Polls the server until `check` holds: what the story waits on, never a fixed delay. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function admit(token: string, name: string, region: string, username: string): Promise<string> {
  const created = await api<{ participant: { id: string } }>('POST', '/api/admin/participants', token, { name, kind: 'government', region, username, password: DEMO_PASSWORD });
  return created.participant.id;
}

describe('lot controls end to end', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('lotcontrols', { LOT_DIRECT_REGISTRATION: 'on' });
    const op = await loginAs(platform.baseUrl, 'operator');
    // Two counties of their own, so the lots below are each one's only holding of the instrument.
    const holderId = await admit(op, holderName, '上饶市广丰区', `gf${suffix}`);
    const sellerId = await admit(op, sellerName, '上饶市铅山县', `qs${suffix}`);
    const lot = (participantId: string, quantity: string, verificationRef: string) =>
      api('POST', '/api/admin/lots', op, { participantId, indicatorType: 'farmland', symbol: SYMBOL, quantity, region: '上饶市', sourceProject: '土地整治新增耕地项目', verificationRef, vintage: 2025 });
    await lot(holderId, '3.00', frozenRef);
    await lot(sellerId, '2.00', revokedRef);

    // The seller sells 0.50 亩 of the second lot to the buyer, at a price inside the spread so
    // that exactly these two orders meet; then it settles.
    const book = await api<{ bids: Array<{ price: string }>; asks: Array<{ price: string }> }>('GET', `/api/instruments/${SYMBOL}/book?depth=1`, null);
    const instruments = await api<Array<{ symbol: string; referencePrice: string }>>('GET', '/api/instruments', null);
    const ref = new Decimal(instruments.find((i) => i.symbol === SYMBOL)!.referencePrice);
    const bid = book.bids[0] ? new Decimal(book.bids[0].price) : ref.times('0.97');
    const ask = book.asks[0] ? new Decimal(book.asks[0].price) : ref.times('1.03');
    const price = bid.plus(ask).dividedBy(2).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(2);
    const seller = await loginAs(platform.baseUrl, `qs${suffix}`);
    const buyer = await loginAs(platform.baseUrl, BUYER);
    await api('POST', '/api/orders', seller, { symbol: SYMBOL, side: 'sell', type: 'limit', price, quantity: '0.50', timeInForce: 'GTC' });
    const bought = await api<{ fills: Array<{ tradeId: string }> }>('POST', '/api/orders', buyer, { symbol: SYMBOL, side: 'buy', type: 'limit', price, quantity: '0.50', timeInForce: 'IOC' });
    expect(bought.fills).toHaveLength(1);
    await until(async () => (await api<{ status: string }>('GET', `/api/settlements/${bought.fills[0]!.tradeId}`, buyer)).status === 'settled', 'the sale settled');

    browser = await launchChromium();
    regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    operator = await signedInPage(browser, platform.baseUrl, 'operator');
    holder = await signedInPage(browser, platform.baseUrl, `gf${suffix}`);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a regulator freezes a lot under a court order; its holder cannot sell it; the operator lifts the freeze', async () => {
    // 1. The regulator freezes the lot from its dashboard: reason, note, then a confirm step.
    await regulator.page.goto(`${platform.baseUrl}/#/regulator`);
    const panel = regulator.page.getByTestId('regulator-lot-controls');
    const row = panel.locator(`tr[data-verification-ref="${frozenRef}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('normal');
    // Revoking is the operator's: the regulator has no such button.
    expect(await row.getByRole('button', { name: `撤销 ${frozenRef}` }).count()).toBe(0);
    await row.getByRole('button', { name: `冻结 ${frozenRef}` }).click();
    const form = panel.getByTestId('lot-control-form');
    await form.getByLabel('冻结原因').selectOption('court_order');
    // A freeze without its note is refused before anything is sent.
    await form.getByRole('button', { name: '冻结' }).click();
    await form.getByText('请填写原因或说明').waitFor();
    await form.getByLabel('说明').fill(COURT_NOTE);
    await form.getByRole('button', { name: '冻结' }).click();
    const confirm = regulator.page.getByTestId('lot-control-confirm');
    await confirm.waitFor();
    expect(await confirm.getByRole('heading').textContent()).toBe(`确认冻结批次 ${frozenRef}`);
    const summary = await confirm.textContent();
    expect(summary).toContain('司法冻结');
    expect(summary).toContain(COURT_NOTE);
    expect(summary).toContain('3.00 亩');
    await screenshot(regulator.page, 'lot-controls-01-freeze-confirm');
    await confirm.getByRole('button', { name: '冻结' }).click();
    await panel.locator(`tr[data-verification-ref="${frozenRef}"][data-status="frozen"]`).waitFor();
    expect(await row.getByTestId('freeze-summary').textContent()).toContain(`${holderName} 3.00 亩`);
    await screenshot(regulator.page, 'lot-controls-02-frozen');

    // 2. The holder sees its lot frozen, with the reason, in its account.
    await holder.page.goto(`${platform.baseUrl}/#/account`);
    const notice = holder.page.getByTestId('holder-lot-controls').locator('li[data-status="frozen"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(frozenRef);
    expect(await notice.textContent()).toContain('司法冻结');
    expect(await holder.page.getByTestId('holding-frozen').textContent()).toBe('其中冻结 3.00 亩');
    await screenshot(holder.page, 'lot-controls-03-holder-account');
    expect(await seriousAxeViolations(holder.page)).toEqual([]);

    // 3. A sell order of the frozen quantity is refused, saying the lot is frozen.
    await holder.page.goto(`${platform.baseUrl}/#/instruments/${SYMBOL}`);
    const order = holder.page.getByTestId('order-form');
    await order.waitFor();
    await order.getByLabel('卖出').check();
    const instruments = await api<Array<{ symbol: string; referencePrice: string }>>('GET', '/api/instruments', null);
    await order.getByLabel(/^价格/).fill(instruments.find((i) => i.symbol === SYMBOL)!.referencePrice);
    await order.getByLabel(/^数量/).fill('1.00');
    await order.getByRole('button', { name: `卖出 ${SYMBOL}` }).click();
    const refusal = order.getByRole('alert').filter({ hasText: '已被冻结' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('3.00');
    expect(await order.getByTestId('order-accepted').count()).toBe(0);
    await screenshot(holder.page, 'lot-controls-04-sell-refused');

    // 4. The operator lifts the freeze; the holder's quantity is available again.
    await operator.page.goto(`${platform.baseUrl}/#/operator`);
    // The console may have been open since sign-in: a fresh visit shows the regulator's freeze.
    await operator.page.reload();
    const opPanel = operator.page.getByTestId('operator-lot-controls');
    const opRow = opPanel.locator(`tr[data-verification-ref="${frozenRef}"][data-status="frozen"]`);
    await opRow.waitFor();
    await opRow.getByRole('button', { name: `解冻 ${frozenRef}` }).click();
    const opForm = opPanel.getByTestId('lot-control-form');
    await opForm.getByLabel('解冻说明').fill('法院裁定解除保全');
    await opForm.getByRole('button', { name: '解冻' }).click();
    const unfreeze = operator.page.getByTestId('lot-control-confirm');
    expect(await unfreeze.textContent()).toContain(`${holderName} 3.00 亩`);
    await unfreeze.getByRole('button', { name: '解冻' }).click();
    await opPanel.locator(`tr[data-verification-ref="${frozenRef}"][data-status="normal"]`).waitFor();
    await holder.page.goto(`${platform.baseUrl}/#/account`);
    await holder.page
      .locator('[data-testid="holder-lot-controls"][data-count="0"]')
      .waitFor({ state: 'attached' })
      .catch(async (error: unknown) => {
        await screenshot(holder.page, 'lot-controls-failed-holder');
        throw new Error(`the freeze notice stayed: ${String(error)}\npage: ${(await holder.page.locator('main').innerText().catch(() => '')).slice(0, 3000)}`);
      });
    const token = await loginAs(platform.baseUrl, `gf${suffix}`);
    const account = await api<{ holdings: Array<{ symbol: string; available: string; locked: string }> }>('GET', '/api/account', token);
    expect(account.holdings.find((h) => h.symbol === SYMBOL)).toMatchObject({ available: '3.00', locked: '0.00' });
    expect(jsErrors(regulator)).toEqual([]);
    expect(jsErrors(holder)).toEqual([]);
  });

  it('the operator revokes a lot part of which was sold; the regulator sees the flag naming the buyer', async () => {
    await operator.page.goto(`${platform.baseUrl}/#/operator`);
    const panel = operator.page.getByTestId('operator-lot-controls');
    const row = panel.locator(`tr[data-verification-ref="${revokedRef}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: `撤销 ${revokedRef}` }).click();
    const form = panel.getByTestId('lot-control-form');
    await form.getByLabel('撤销理由（哪份文件经查不实）').fill('验收文件系伪造，经省厅复核确认');
    await form.getByRole('button', { name: '撤销' }).click();
    const confirm = operator.page.getByTestId('lot-control-confirm');
    await confirm.waitFor();
    expect(await confirm.getByRole('heading').textContent()).toBe(`确认撤销批次 ${revokedRef}`);
    expect(await confirm.textContent()).toContain('不可撤回');
    await screenshot(operator.page, 'lot-controls-05-revoke-confirm');
    await confirm.getByRole('button', { name: '撤销' }).click();
    await panel.locator(`tr[data-verification-ref="${revokedRef}"][data-status="revoked"]`).waitFor();
    expect(await row.getByTestId('revocation-flag').textContent()).toContain('收回 1.50 亩');

    // The regulator sees the revocation with the buyer, on the lot and among its alerts.
    await regulator.page.goto(`${platform.baseUrl}/#/regulator`);
    await regulator.page.reload();
    const flag = regulator.page.getByTestId('regulator-lot-controls').locator(`tr[data-verification-ref="${revokedRef}"][data-status="revoked"]`).getByTestId('revocation-flag');
    await flag.waitFor();
    expect(await flag.textContent()).toContain(`${BUYER_NAME} 0.50 亩（持有）`);
    const alert = regulator.page.getByTestId('alerts').locator('tbody tr', { hasText: '批次撤销' }).filter({ hasText: BUYER_NAME });
    await alert.first().waitFor();
    await screenshot(regulator.page, 'lot-controls-06-regulator-flag');
    expect(await seriousAxeViolations(regulator.page)).toEqual([]);
    expect(jsErrors(operator)).toEqual([]);
    expect(jsErrors(regulator)).toEqual([]);
  });
});
