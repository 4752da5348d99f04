import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderPdf } from '../../server/seed/demo-documents.ts';
import { jsErrors, pressButton, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs, type Method } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 15, "done when": the legal life of a government sale in one story, on a simulated market
// clock (SIMULATION_START) that the operator moves forward, so the publicity runs across National
// Day 2026 on the State Council calendar instead of in minutes.
//
// 婺源县 submits a wetland lot with its PDFs; the first operator reviews it and cannot approve it;
// a second approves it; the bureau lists it with a price cap on Tuesday 29 September 2026; the
// announcement is public without signing in; 寻乌县 objects and the operator dismisses it; the five
// working days of publicity are 29 and 30 September, 8 and 9 October and the adjusted Saturday
// 10 October, so bidding opens on Monday 12 October and not a minute before; two enterprises
// reach the cap; the operator reveals the seed; the test recomputes the winner from the public
// page alone; the award is on the results board.

const beijing = (local: string) => new Date(`${local}+08:00`);
const START = beijing('2026-09-29T09:00:00');
const SEED = 'jx-wetland-lottery-2026-10-12';
const FILING = 'BA-361130-2026-W0929';
const NAMES: Record<string, string> = { ncjt: '南昌城市建设投资发展有限公司', ganjiang: '赣江新区产业园开发建设有限公司' };

let platform: PlatformProcess;
let browser: Browser;
const opened: UserPage[] = [];
const api = <T>(method: Method, path: string, token: string | null, body?: unknown) => apiCall<T>(platform.baseUrl, method, path, token, body);
const tokens = new Map<string, Promise<string>>();
/** One sign-in per user: sign-ins are rate limited per address, as they should be. */
const login = (username: string) => {
  if (!tokens.has(username)) tokens.set(username, loginAs(platform.baseUrl, username));
  return tokens.get(username)!;
};
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

let marketNow = START;

/** A signed-in user whose browser reads the simulated market time, as a user of the simulation would. */
async function user(name: string): Promise<UserPage> {
  const u = await signedInPage(browser, platform.baseUrl, name);
  await u.context.clock.setFixedTime(marketNow);
  opened.push(u);
  return u;
}

/** Market time moves only when the operator moves it; every browser's clock follows it. */
async function advanceTo(at: Date, publicContext: BrowserContext): Promise<void> {
  const reply = await api<{ now: string }>('POST', '/api/admin/simulation/advance', await login('operator'), { to: at.toISOString() });
  expect(reply.now).toBe(at.toISOString());
  marketNow = at;
  for (const context of [publicContext, ...opened.map((u) => u.context)]) await context.clock.setFixedTime(at);
}

describe('a government sale from submission to the results board', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess('sale_lifecycle', { SIMULATION_START: START.toISOString() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lives through review, publicity across National Day, the cap lottery and the public result', { timeout: 300_000 }, async () => {
    expect((await api<{ now: string }>('GET', '/api/simulation/clock', null)).now).toBe(START.toISOString());

    // 1. The county bureau submits the lot with its three documents.
    const seller = await user('wuyuan');
    await seller.page.goto(`${platform.baseUrl}/#/lot-submissions`);
    const form = seller.page.getByTestId('lot-submission-form');
    await form.getByLabel('交易品种').selectOption('WETLAND');
    await form.getByLabel('数量').fill('8.00');
    await form.getByLabel('所在区县').selectOption('361130');
    await form.getByLabel('来源项目').fill('婺源县饶河湿地修复工程');
    await form.getByLabel('验收文号').fill('饶自然资湿〔2026〕9号');
    await form.getByLabel('备案编号').fill(FILING);
    await form.getByLabel('图斑编号').fill('361130-W-0929');
    for (const kind of ['acceptance', 'filing', 'consent']) {
      await form.getByTestId(`document-${kind}`).setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: placeholderPdf(`${kind} ${FILING}`) });
    }
    await form.getByRole('button', { name: '提交申请' }).click();
    await form.getByText(/已提交，申请编号 \d+/).waitFor();
    const submissionId = /申请编号 (\d+)/.exec((await form.getByRole('status').textContent()) ?? '')![1]!;

    // 2. The first operator reviews it and cannot approve it alone; a second operator approves it.
    const reviewer = await user('operator');
    await reviewer.page.goto(`${platform.baseUrl}/#/operator/lot-review`);
    const reviewRow = reviewer.page.getByTestId('review-queue').locator(`tr[data-submission="${submissionId}"]`);
    await reviewRow.getByRole('button', { name: '查看' }).click();
    await pressButton(reviewer.page.getByTestId('submission-detail').getByRole('button', { name: '审核通过' }));
    await reviewRow.waitFor({ state: 'detached' });
    const alone = await fetch(`${platform.baseUrl}/api/lot-submissions/${submissionId}/approve`, { method: 'POST', headers: { authorization: `Bearer ${await login('operator')}` } });
    expect([alone.status, ((await alone.json()) as { code: string }).code]).toEqual([403, 'FOUR_EYES']);
    const approver = await user('operator2');
    await approver.page.goto(`${platform.baseUrl}/#/operator/lot-approval`);
    const approvalRow = approver.page.getByTestId('approval-queue').locator(`tr[data-submission="${submissionId}"]`);
    await approvalRow.getByRole('button', { name: '查看' }).click();
    await pressButton(approver.page.getByTestId('submission-detail').getByRole('button', { name: '批准入库' }));
    await approvalRow.waitFor({ state: 'detached' });

    // 3. The bureau lists the approved quantity with a cap of 105% of the start price. Bidding may
    //    not open before five working days of publicity: Sunday 11 October is refused.
    const sellerToken = await login('wuyuan');
    const wetland = (await api<Array<{ symbol: string; guidancePrice: string }>>('GET', '/api/instruments', null)).find((i) => i.symbol === 'WETLAND')!;
    const startPrice = Number(wetland.guidancePrice).toFixed(2);
    const terms = {
      symbol: 'WETLAND',
      title: '婺源县饶河湿地占补平衡指标挂牌竞价',
      quantity: '8.00',
      startPrice,
      bidIncrement: '1000.00',
      marginPct: '10',
      capPct: '105',
      capWindowMinutes: 30,
      registrationOpensAt: START.toISOString(),
      registrationClosesAt: beijing('2026-10-12T09:00:00').toISOString(),
      biddingClosesAt: beijing('2026-10-13T15:00:00').toISOString(),
    };
    const early = await fetch(`${platform.baseUrl}/api/listings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sellerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...terms, biddingOpensAt: beijing('2026-10-11T09:00:00').toISOString() }),
    });
    expect([early.status, ((await early.json()) as { code: string }).code]).toEqual([422, 'PUBLICITY_TOO_SHORT']);
    // The refused dates aside, the bureau lists in its own form, the cap as a percentage.
    await seller.page.goto(`${platform.baseUrl}/#/seller`);
    const create = seller.page.getByTestId('create-listing-form');
    await create.getByLabel('交易品种').selectOption('WETLAND');
    await create.getByLabel('挂牌名称').fill(terms.title);
    await create.getByLabel(/^挂牌数量/).fill(terms.quantity);
    await create.getByLabel(/^起始价/).fill(startPrice);
    await create.getByLabel(/^加价幅度/).fill(terms.bidIncrement);
    await create.getByLabel(/^保证金比例/).fill(terms.marginPct);
    await create.getByLabel('最高限价', { exact: true }).selectOption('pct');
    await create.getByLabel(/^最高限价（起始价的/).fill(terms.capPct);
    await create.getByLabel(/^接受限价时长/).fill(String(terms.capWindowMinutes));
    await create.getByLabel('报名开始').fill('2026-09-29T09:00');
    await create.getByLabel('报名截止').fill('2026-10-12T09:00');
    await create.getByLabel('竞价开始').fill('2026-10-12T09:00');
    await create.getByLabel('竞价结束').fill('2026-10-13T15:00');
    await create.getByRole('button', { name: '发布挂牌' }).click();
    const created = create.getByTestId('listing-created');
    await created.waitFor();
    const id = (await created.getAttribute('data-listing-id'))!;
    const listing = await api<{ rules: { priceCap: string } }>('GET', `/api/listings/${id}`, sellerToken);
    const cap = listing.rules.priceCap;
    expect(cap).toBe((Number(startPrice) * 1.05).toFixed(2));

    // 4. The operator publishes the seed's commitment on the listing screen.
    await reviewer.page.goto(`${platform.baseUrl}/#/listings/${id}`);
    const commit = reviewer.page.getByTestId('commit-seed-form');
    await commit.getByLabel('种子的 SHA-256（64 位十六进制）').fill(sha256(SEED));
    await commit.getByRole('button', { name: '公布承诺值' }).click();
    await reviewer.page.getByTestId('rules-commitment').getByText(sha256(SEED)).waitFor();

    // 5. Signed out, anyone reads the announcement.
    const publicContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await publicContext.clock.setFixedTime(START);
    const anonymous: Page = await publicContext.newPage();
    await anonymous.goto(`${platform.baseUrl}/#/notice/${id}`);
    await anonymous.getByTestId('notice-commitment').getByText(sha256(SEED)).waitFor();
    await anonymous.getByTestId('notice-cap').getByText(`¥${Number(cap).toLocaleString('en-US', { minimumFractionDigits: 2 })}`).waitFor();
    await anonymous.getByTestId('phase-biddingOpens').getByText(/2026-10-12 09:00/).waitFor();
    await screenshot(anonymous, 'sale-lifecycle-01-announcement');
    expect(await seriousAxeViolations(anonymous)).toEqual([]);

    // 6. On the adjusted Saturday, still publicity, 寻乌县 objects; the operator dismisses it.
    await advanceTo(beijing('2026-10-10T10:00:00'), publicContext);
    const objector = await user('xunwu');
    await objector.page.goto(`${platform.baseUrl}/#/notice/${id}`);
    const objection = objector.page.getByTestId('objection-form');
    await objection.getByLabel('异议理由').fill('该湿地图斑与我县湿地保护红线相邻，请核实边界');
    await objection.getByRole('button', { name: '提交异议' }).click();
    await objector.page.getByTestId('objection-filed').waitFor();
    // A pending objection holds the sale, and the announcement says so.
    await objector.page.getByTestId('notice-objection-hold').waitFor();
    await reviewer.page.goto(`${platform.baseUrl}/#/operator/objections`);
    const objectionRow = reviewer.page.getByTestId('objection-desk').locator('tbody tr', { hasText: '湿地保护红线相邻' });
    await screenshot(reviewer.page, 'sale-lifecycle-objection-desk');
    await objectionRow.getByLabel('答复内容').fill('经核实，图斑不在我省湿地保护红线内，异议不成立');
    await objectionRow.getByRole('button', { name: '异议不成立' }).click();
    await objectionRow.waitFor({ state: 'detached' });
    // Decided, it leaves the pending desk and shows with its answer among all objections.
    await reviewer.page.getByLabel('显示已处理的异议').check();
    await reviewer.page.getByTestId('objection-desk').locator('tbody tr', { hasText: '异议不成立: 经核实，图斑不在我省湿地保护红线内' }).waitFor();
    await anonymous.reload();
    const published = anonymous.getByTestId('notice-objections');
    await published.getByText(/图斑不在我省湿地保护红线内/).waitFor();
    expect(await published.textContent()).not.toContain('寻乌县');

    // 7. Two enterprises register during publicity; one minute before the fifth working day bidding is still closed.
    const [first, second] = [await login('ncjt'), await login('ganjiang')];
    const firstNo = (await api<{ bidderNo: number }>('POST', `/api/listings/${id}/registrations`, first, {})).bidderNo;
    const secondNo = (await api<{ bidderNo: number }>('POST', `/api/listings/${id}/registrations`, second, {})).bidderNo;
    await advanceTo(beijing('2026-10-12T08:59:00'), publicContext);
    const tooSoon = await fetch(`${platform.baseUrl}/api/listings/${id}/bids`, { method: 'POST', headers: { authorization: `Bearer ${first}`, 'content-type': 'application/json' }, body: JSON.stringify({ price: cap }) });
    expect([tooSoon.status, ((await tooSoon.json()) as { code: string }).code]).toEqual([409, 'BIDDING_CLOSED']);

    // 8. Monday 12 October, 09:00: bidding opens; the first bids the cap, the second accepts it on screen.
    await advanceTo(beijing('2026-10-12T09:00:00'), publicContext);
    await api('POST', `/api/listings/${id}/bids`, first, { price: cap });
    const bidder = await user('ganjiang');
    await bidder.page.goto(`${platform.baseUrl}/#/listings/${id}`);
    await bidder.page.getByTestId('cap-reached').getByText(`报价已达最高限价 ¥${Number(cap).toLocaleString('en-US', { minimumFractionDigits: 2 })}——接受限价即可参加摇号`).waitFor();
    await bidder.page.getByRole('button', { name: '接受最高限价，参加摇号' }).click();
    await bidder.page.getByTestId('cap-accepted').waitFor();
    await screenshot(bidder.page, 'sale-lifecycle-accept-cap');
    expect(await seriousAxeViolations(bidder.page)).toEqual([]);

    // 9. After the acceptance window the operator reveals the seed.
    await advanceTo(beijing('2026-10-12T09:31:00'), publicContext);
    await reviewer.page.goto(`${platform.baseUrl}/#/listings/${id}`);
    const draw = reviewer.page.getByTestId('draw-form');
    await draw.getByLabel('种子', { exact: true }).fill(SEED);
    await draw.getByRole('button', { name: '公开种子并摇号' }).click();
    await reviewer.page.getByTestId('lottery-proof').waitFor();

    // 10. The public page alone proves the draw.
    await anonymous.reload();
    const proof = anonymous.getByTestId('notice-lottery');
    await proof.getByTestId('lottery-verified').waitFor();
    const text = async (testId: string) => (await proof.getByTestId(testId).textContent())!.trim();
    const [seed, listingId, entrants, digest, index] = [await text('lottery-seed'), await text('lottery-listing-id'), await text('lottery-entrants'), await text('lottery-digest'), await text('lottery-winner-index')];
    expect(await text('lottery-commitment')).toBe(sha256(seed));
    expect(entrants).toBe([firstNo, secondNo].sort((a, b) => a - b).join(','));
    const recomputed = sha256(`${seed}|${listingId}|${entrants}`);
    const winnerIndex = Number(BigInt(`0x${recomputed}`) % BigInt(entrants.split(',').length));
    expect([digest, Number(index)]).toEqual([recomputed, winnerIndex]);
    const winner = entrants.split(',')[winnerIndex] === String(firstNo) ? 'ncjt' : 'ganjiang';
    await anonymous.getByTestId('notice-winners').getByText(NAMES[winner]!).waitFor();
    await screenshot(anonymous, 'sale-lifecycle-02-lottery-proof');

    // 11. The result is on the public results board.
    await anonymous.goto(`${platform.baseUrl}/#/`);
    await anonymous.getByTestId(`result-${id}`).getByText(NAMES[winner]!).waitFor();
    await publicContext.close();
    for (const u of opened) expect(jsErrors(u)).toEqual([]);
  });
});
