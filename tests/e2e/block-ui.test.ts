import Decimal from 'decimal.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs, type Method } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Block trades (大宗协议) in a real browser against a real server process with demo data: an
// enterprise proposes a carbon block to the forestry company that holds the credits (a price
// outside the block band is stopped by the form, nothing sent); the proposal appears live on
// the counterparty's screen, which confirms it; the proposer sees it traded without reloading,
// its cash moves by amount + fee, and the trade prints to the tape as a block. A regulator
// sees it, read-only, in English.

const SYMBOL = 'CARBON-2024';
const BUYER = 'ncjt'; // 南昌城市建设投资发展有限公司
const SELLER = 'lvlin'; // 江西绿林碳汇林业发展有限公司
const SELLER_NAME = '江西绿林碳汇林业发展有限公司';

let platform: PlatformProcess;
let browser: Browser;
let buyer: UserPage;
let seller: UserPage;

const api = <T>(method: Method, path: string, token: string | null, body?: unknown) => apiCall<T>(platform.baseUrl, method, path, token, body);
const login = (username: string) => loginAs(platform.baseUrl, username);
const cashOf = async (token: string) => (await api<{ cash: { available: string } }>('GET', '/api/account', token)).cash.available;

describe('block trades end to end', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('block');
    // A carbon block is at least 100,000 t by default, more than the demo forestry company has
    // free; the operator lowers it, as a provincial platform may for its thinner market.
    await api('PUT', `/api/admin/instruments/${SYMBOL}/block-minimum`, await login('operator'), { quantity: '5000' });
    browser = await launchChromium();
    buyer = await signedInPage(browser, platform.baseUrl, BUYER);
    seller = await signedInPage(browser, platform.baseUrl, SELLER);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a buyer proposes, the holder confirms live, both see it traded and the tape flags it', async () => {
    const instruments = await api<Array<{ symbol: string; blockMinQuantity: string; blockBandHigh: string; referencePrice: string; buyerFeeBps: number }>>('GET', '/api/instruments', null);
    const carbon = instruments.find((i) => i.symbol === SYMBOL)!;
    expect(carbon.blockMinQuantity).toBe('5000');
    const quantity = '6000';
    const price = new Decimal(carbon.referencePrice).toFixed(2);
    const buyerToken = await login(BUYER);
    const cashBefore = await cashOf(buyerToken);

    // Both have the block screen open before anything happens: what follows arrives live.
    await seller.page.goto(`${platform.baseUrl}/#/blocks`);
    await seller.page.getByTestId('blocks-awaiting-table').waitFor();
    await buyer.page.goto(`${platform.baseUrl}/#/blocks`);
    const form = buyer.page.getByTestId('propose-block-form');
    await form.getByLabel('交易品种').selectOption(SYMBOL);
    await form.getByLabel('我方方向').selectOption('buy');
    await form.getByLabel('交易对手').selectOption({ label: `${SELLER_NAME} · 吉安市遂川县` });
    await form.getByLabel(/^协议数量/).fill(quantity);

    // Beyond the block band: the form says so and sends nothing.
    await form.getByLabel(/^协议价格/).fill(new Decimal(carbon.blockBandHigh).plus('0.01').toFixed(2));
    await form.getByRole('button', { name: '发起大宗协议' }).click();
    await form.getByText(/协议价格须在/).waitFor();
    expect(await api<unknown[]>('GET', '/api/blocks', buyerToken)).toEqual([]);

    await form.getByLabel(/^协议价格/).fill(price);
    await form.getByLabel('备注').fill('JX-CARBON-BLK-001');
    const amount = new Decimal(price).times(quantity);
    await expect.poll(() => form.getByTestId('block-amount').innerText()).toContain(amount.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    await form.getByRole('button', { name: '发起大宗协议' }).click();
    const proposed = form.getByTestId('block-proposed');
    await proposed.waitFor();
    const blockId = (await proposed.getAttribute('data-block-id'))!;
    await screenshot(buyer.page, 'block-01-proposed');

    // The holder sees it in its queue without reloading, and confirms.
    const awaiting = seller.page.getByTestId('blocks-awaiting-table').locator(`tr[data-block-id="${blockId}"]`);
    await awaiting.waitFor();
    await screenshot(seller.page, 'block-02-awaiting-confirmation');
    await awaiting.getByRole('button', { name: '确认成交' }).click();
    // The confirm step shows the terms from the holder's side before anything trades.
    const confirmStep = seller.page.getByTestId('block-confirm-dialog');
    await confirmStep.waitFor();
    expect(await confirmStep.getByTestId('block-summary-amount').textContent()).toBe(`¥${amount.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`);
    expect(await confirmStep.getByTestId('block-summary').textContent()).toContain('卖出');
    await screenshot(seller.page, 'block-02a-confirm-step');
    await confirmStep.getByRole('button', { name: '确认成交' }).click();
    await seller.page.getByTestId('blocks-table').locator(`tr[data-block-id="${blockId}"][data-status="confirmed"]`).waitFor();
    // And says what happened, with the trade number.
    const traded = await api<{ tradeId: string | null }>('GET', `/api/blocks/${blockId}`, buyerToken);
    await seller.page.getByRole('status').filter({ hasText: `已成交，成交编号 ${traded.tradeId}` }).waitFor();

    // The proposer's screen follows live; its cash paid amount + fee (reserved at proposal).
    const row = buyer.page.getByTestId('blocks-table').locator(`tr[data-block-id="${blockId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    expect(await row.getByTestId('block-status').innerText()).toBe('已成交');
    const fee = amount.times(carbon.buyerFeeBps).dividedBy(10_000).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    expect(await cashOf(buyerToken)).toBe(new Decimal(cashBefore).minus(amount).minus(fee).toFixed(2));
    const tape = await api<Array<{ price: string; quantity: string; venue: string }>>('GET', `/api/instruments/${SYMBOL}/trades?limit=5`, null);
    expect(tape[0]).toMatchObject({ venue: 'block', price, quantity: new Decimal(quantity).toFixed(0) });
    await screenshot(buyer.page, 'block-03-confirmed');
    expect(await seriousAxeViolations(buyer.page)).toEqual([]);
    expect(jsErrors(buyer)).toEqual([]);
    expect(jsErrors(seller)).toEqual([]);
  });

  it('a regulator sees every block trade with both parties, and cannot act on them', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator', 'en');
    await regulator.page.goto(`${platform.baseUrl}/#/blocks`);
    const table = regulator.page.getByTestId('blocks-table');
    const row = table.locator('tbody tr[data-status="confirmed"]').first();
    await row.waitFor();
    expect(await row.innerText()).toContain(SELLER_NAME);
    expect(await row.getByTestId('block-status').innerText()).toBe('Traded');
    expect(await regulator.page.getByTestId('propose-block-form').count()).toBe(0);
    expect(await table.getByRole('button').count()).toBe(0);
    await screenshot(regulator.page, 'block-04-regulator-english');
    expect(await seriousAxeViolations(regulator.page)).toEqual([]);
    await regulator.context.close();
  });
});
