import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage } from './support/browser.ts';
import { apiCall, loginAs } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 20, item 11: the ledger checks and failed settlements have screens. The regulator proves
// the ledger and the audit chain from the dashboard; a fault behind the platform's back (the
// seller's locked carbon sinks zeroed in the database) makes a trade fail settlement; the
// regulator's reconciliation names the broken check; the operator sees the trade in the console,
// repairs the account and settles it again after a confirm step; the ledger proves again.

const SYMBOL = 'CARBON-2023';

let platform: PlatformProcess;
let browser: Browser;
let db: pg.Client;

async function sellerAccount(): Promise<{ available: string; locked: string }> {
  const { rows } = await db.query<{ available: string; locked: string }>(
    `SELECT a.available::text, a.locked::text FROM accounts a JOIN participants p ON p.id = a.participant_id JOIN users u ON u.participant_id = p.id
      WHERE u.username = 'lvlin' AND a.asset = $1`,
    [SYMBOL],
  );
  return rows[0]!;
}

describe('ledger checks and failed settlements on screen', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('integrity');
    browser = await launchChromium();
    db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${platform.databaseName}` });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await platform?.stop();
  });

  it('a regulator finds a broken ledger, the operator settles the failed trade again, the ledger proves', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    const rpage = regulator.page;
    await rpage.goto(`${platform.baseUrl}/#/regulator`);
    const panel = rpage.getByTestId('integrity-panel');
    await panel.getByRole('button', { name: '核对账本' }).click();
    await panel.getByText('全部核对项通过').waitFor();
    expect(await panel.locator('[data-check][data-ok="false"]').count()).toBe(0);
    await panel.locator('[data-check="settled_once"]').getByText('每笔成交恰好结算一次').waitFor();
    await panel.getByRole('button', { name: '校验审计链' }).click();
    await panel.locator('[data-testid="audit-chain"][data-ok="true"]').getByText(/审计链完整：逐条校验 \d+ 条记录/).waitFor();

    // The fault: the seller's locked quantity is released in the database, not by the platform.
    const seller = await loginAs(platform.baseUrl, 'lvlin');
    const buyer = await loginAs(platform.baseUrl, 'ncjt');
    await apiCall(platform.baseUrl, 'POST', '/api/orders', seller, { symbol: SYMBOL, side: 'sell', type: 'limit', price: '58.00', quantity: '10', timeInForce: 'GTC' });
    const healthy = await sellerAccount();
    await db.query(`UPDATE accounts SET available = available + locked, locked = 0 WHERE id = (SELECT a.id FROM accounts a JOIN users u ON u.participant_id = a.participant_id WHERE u.username = 'lvlin' AND a.asset = $1)`, [SYMBOL]);
    const bought = await apiCall<{ fills: Array<{ tradeId: string }> }>(platform.baseUrl, 'POST', '/api/orders', buyer, { symbol: SYMBOL, side: 'buy', type: 'limit', price: '58.00', quantity: '10', timeInForce: 'IOC' });
    const tradeId = bought.fills[0]!.tradeId;

    const operator = await signedInPage(browser, platform.baseUrl, 'operator');
    const opage = operator.page;
    await opage.goto(`${platform.baseUrl}/#/operator`);
    const letters = opage.getByTestId('dead-letters-panel');
    const row = letters.locator(`[data-trade-id="${tradeId}"]`);
    await row.waitFor({ timeout: 60_000 }); // settlement retries with back-off before it gives up
    await row.getByText(/accounts_non_negative/).waitFor();

    await panel.getByRole('button', { name: '核对账本' }).click();
    await panel.getByText('有核对项未通过，请查看明细').waitFor();
    await panel.locator('[data-check="locks_explained"][data-ok="false"]').waitFor();
    await screenshot(rpage, 'integrity-01-ledger-broken');

    // Repaired, then settled again through the confirm step.
    await db.query(`UPDATE accounts SET available = $2, locked = $3 WHERE id = (SELECT a.id FROM accounts a JOIN users u ON u.participant_id = a.participant_id WHERE u.username = 'lvlin' AND a.asset = $1)`, [SYMBOL, healthy.available, healthy.locked]);
    await row.getByRole('button', { name: `重新结算成交 ${tradeId}` }).click();
    const dialog = opage.getByTestId('replay-confirm-dialog');
    await dialog.getByText(`${SYMBOL}，金额 ¥580.00`, { exact: false }).waitFor();
    await screenshot(opage, 'integrity-02-replay-confirm');
    await dialog.getByRole('button', { name: '重新结算' }).click();
    await letters.getByText(`成交 ${tradeId} 已重新提交结算`).waitFor();
    await row.waitFor({ state: 'detached' });
    const settlement = await apiCall<{ status: string }>(platform.baseUrl, 'GET', `/api/settlements/${tradeId}`, buyer);
    expect(['pending', 'settled']).toContain(settlement.status);

    await panel.getByRole('button', { name: '核对账本' }).click();
    await panel.getByText('全部核对项通过').waitFor({ timeout: 30_000 });
    expect(await seriousAxeViolations(rpage)).toEqual([]);
    expect(await seriousAxeViolations(opage)).toEqual([]);
    expect(jsErrors(regulator)).toEqual([]);
    expect(jsErrors(operator)).toEqual([]);
    await regulator.context.close();
    await operator.context.close();
  });

  it('reads the same checks in English', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator', 'en');
    const page = regulator.page;
    await page.goto(`${platform.baseUrl}/#/regulator`);
    const panel = page.getByTestId('integrity-panel');
    await panel.getByRole('button', { name: 'Reconcile the ledger' }).click();
    await panel.locator('[data-check="postings_balance"]').getByText('Postings of each asset sum to zero (double entry)').waitFor();
    await panel.getByRole('button', { name: 'Verify the audit chain' }).click();
    await panel.getByText(/Audit chain intact: \d+ entries checked/).waitFor();
    expect(jsErrors(regulator)).toEqual([]);
    await regulator.context.close();
  });
});
