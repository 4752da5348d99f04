import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderPdf } from '../../server/seed/demo-documents.ts';
import { jsErrors, pressButton, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 15: a county bureau submits a lot with its documents on the lot submission screen; the
// first operator reviews it with the documents in the page and cannot approve it (it is not in
// their approval queue, and the API says FOUR_EYES); a second operator approves it; the seller
// sees it approved and the quantity in the account.

const SELLER = 'wuyuan'; // 婺源县自然资源局: holds no WETLAND in the demo data
const FILING = `BA-361130-2026-E2E${Date.now() % 100000}`;

let platform: PlatformProcess;
let browser: Browser;
let seller: UserPage;
let reviewer: UserPage;
let approver: UserPage;
let submissionId = '';

describe('lot submission with four-eyes review, in the browser', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('lot_review');
    browser = await launchChromium();
    seller = await signedInPage(browser, platform.baseUrl, SELLER);
    reviewer = await signedInPage(browser, platform.baseUrl, 'operator');
    approver = await signedInPage(browser, platform.baseUrl, 'operator2');
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a county bureau submits a lot with its three PDFs, each upload showing its progress', async () => {
    const page = seller.page;
    await page.goto(`${platform.baseUrl}/#/lot-submissions`);
    const form = page.getByTestId('lot-submission-form');
    await form.waitFor();
    await form.getByLabel('交易品种').selectOption('WETLAND');
    await form.getByLabel('数量').fill('8.00');
    await form.getByLabel('所在区县').selectOption('361130');
    await form.getByLabel('来源项目').fill('婺源县饶河湿地修复工程');
    await form.getByLabel('验收文号').fill('饶自然资湿〔2026〕3号');
    await form.getByLabel('备案编号').fill(FILING);
    await form.getByLabel('图斑编号').fill('361130-W-0001\n361130-W-0002');
    for (const kind of ['acceptance', 'filing', 'consent']) {
      await form.getByTestId(`document-${kind}`).setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: placeholderPdf(`${kind} ${FILING}`) });
    }
    await form.getByRole('button', { name: '提交申请' }).click();
    await form.getByText(/已提交，申请编号 \d+/).waitFor();
    submissionId = /申请编号 (\d+)/.exec((await form.getByRole('status').textContent()) ?? '')![1]!;
    // Progress bars stay after the upload, full: what was sent is what the file holds.
    for (const kind of ['acceptance', 'filing', 'consent']) {
      const bar = form.getByTestId(`progress-${kind}`);
      expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    }
    const row = page.getByTestId('own-submissions').locator(`tr[data-submission="${submissionId}"]`);
    await row.getByText('待审核').waitFor();
    await screenshot(page, 'lot-review-01-submitted');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('the first operator reviews it with the documents shown in the page, then cannot approve it', async () => {
    const page = reviewer.page;
    await page.goto(`${platform.baseUrl}/#/operator/lot-review`);
    const row = page.getByTestId('review-queue').locator(`tr[data-submission="${submissionId}"]`);
    await row.getByRole('button', { name: '查看' }).click();
    const detail = page.getByTestId('submission-detail');
    await detail.getByText(FILING).waitFor();
    const frame = detail.getByTestId('shown-acceptance').locator('iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    await screenshot(page, 'lot-review-02-review');
    await pressButton(detail.getByRole('button', { name: '审核通过' }));
    await row.waitFor({ state: 'detached' });

    // Not in the reviewer's approval queue …
    await page.goto(`${platform.baseUrl}/#/operator/lot-approval`);
    const queue = page.getByTestId('approval-queue');
    await queue.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="approval-queue"]')?.getAttribute('aria-busy') !== 'true');
    expect(await queue.locator(`tr[data-submission="${submissionId}"]`).count()).toBe(0);
    // … and the API refuses the reviewer's approval.
    const token = await loginAs(platform.baseUrl, 'operator');
    const res = await fetch(`${platform.baseUrl}/api/lot-submissions/${submissionId}/approve`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FOUR_EYES');
  });

  it('a second operator approves it; the seller sees it approved and the quantity in the account', async () => {
    const page = approver.page;
    await page.goto(`${platform.baseUrl}/#/operator/lot-approval`);
    const row = page.getByTestId('approval-queue').locator(`tr[data-submission="${submissionId}"]`);
    await row.getByRole('button', { name: '查看' }).click();
    const detail = page.getByTestId('submission-detail');
    await detail.getByText(FILING).waitFor();
    await pressButton(detail.getByRole('button', { name: '批准入库' }));
    await row.waitFor({ state: 'detached' });
    await screenshot(page, 'lot-review-03-approved');

    const sellerPage = seller.page;
    await sellerPage.goto(`${platform.baseUrl}/#/lot-submissions`);
    await sellerPage.reload();
    await sellerPage.getByTestId('own-submissions').locator(`tr[data-submission="${submissionId}"][data-status="approved"]`).getByText('已批准入库').waitFor();
    await sellerPage.goto(`${platform.baseUrl}/#/account`);
    const holding = sellerPage.getByTestId('holdings').locator('tr[data-symbol="WETLAND"]');
    await holding.getByText('8.00').first().waitFor();
    const token = await loginAs(platform.baseUrl, SELLER);
    const account = await apiCall<{ holdings: Array<{ symbol: string; available: string }> }>(platform.baseUrl, 'GET', '/api/account', token);
    expect(account.holdings.find((h) => h.symbol === 'WETLAND')?.available).toBe('8.00');
    for (const user of [seller, reviewer, approver]) expect(jsErrors(user)).toEqual([]);
  });

  it('a rejected submission shows the reviewer’s reason and is corrected and resubmitted', async () => {
    const operator = await loginAs(platform.baseUrl, 'operator');
    const queue = await apiCall<Array<{ id: string; participantName: string }>>(platform.baseUrl, 'GET', '/api/lot-submissions?queue=review', operator);
    const demo = queue.find((q) => q.participantName === '寻乌县自然资源局')!;
    await apiCall(platform.baseUrl, 'POST', `/api/lot-submissions/${demo.id}/review`, operator, { decision: 'reject', reason: '县政府同意出让文件未盖章' });

    const county = await signedInPage(browser, platform.baseUrl, 'xunwu');
    await county.page.goto(`${platform.baseUrl}/#/lot-submissions`);
    const row = county.page.getByTestId('own-submissions').locator(`tr[data-submission="${demo.id}"][data-status="rejected"]`);
    await row.getByText('县政府同意出让文件未盖章').waitFor();
    await row.getByRole('button', { name: '修改' }).click();
    const form = county.page.getByTestId('correct-submission').getByTestId('lot-submission-form');
    await form.getByLabel('数量').fill('40.00');
    await form.getByTestId('document-consent').setInputFiles({ name: 'consent-stamped.pdf', mimeType: 'application/pdf', buffer: placeholderPdf('consent stamped') });
    await form.getByRole('button', { name: '修改后重新提交' }).click();
    const again = county.page.getByTestId('own-submissions').locator(`tr[data-submission="${demo.id}"][data-status="submitted"]`);
    await again.getByText('40.00').waitFor();
    const stored = await apiCall<{ revision: number; documents: Array<{ kind: string; fileName: string }> }>(platform.baseUrl, 'GET', `/api/lot-submissions/${demo.id}`, operator);
    expect(stored.revision).toBe(2);
    expect(stored.documents.find((d) => d.kind === 'consent')?.fileName).toBe('consent-stamped.pdf');
    expect(jsErrors(county)).toEqual([]);
    await county.context.close();
  });

  it('reads in English after the switch: the demo submission waiting for review', async () => {
    const english = await signedInPage(browser, platform.baseUrl, 'xunwu', 'en');
    await english.page.goto(`${platform.baseUrl}/#/lot-submissions`);
    await english.page.getByRole('heading', { name: 'Lot submissions' }).waitFor();
    await english.page.getByTestId('own-submissions').locator('tr[data-status="submitted"]').getByText('Awaiting review').first().waitFor();
    await english.page.getByTestId('lot-submission-form').getByLabel('County', { exact: true }).waitFor();
    expect(await seriousAxeViolations(english.page)).toEqual([]);
    expect(jsErrors(english)).toEqual([]);
    await english.context.close();
  });
});
