import fs from 'node:fs';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicListings } from '../../contract/public-listings.ts';
import type { DailyHistory, PublicMarket } from '../../contract/public-market.ts';
import type { MarketReport } from '../../contract/reports.ts';
import { jsErrors, launchChromium, screenshot, seriousAxeViolations, signedInPage, type UserPage } from './support/browser.ts';
import { apiCall, loginAs } from './support/platform-api.ts';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

// Issue 19, public site: a visitor with no account opens the market page, an instrument's daily
// history and its CSV, and is one click from signing in. And what the province files: a
// regulator opens this month's report, sees its charts and downloads it as XLSX and PDF.

const SYMBOL = 'FARMLAND-QTY';
let platform: PlatformProcess;
let browser: Browser;

/** zh-CN display of money: 369000.5 → ¥369,000.50 */
const cny = (value: string) => `¥${new Decimal(value).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

beforeAll(async () => {
  platform = await startPlatformProcess('public');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the public site', () => {
  it('a visitor sees today’s market, opens an instrument’s history, downloads its CSV, and can sign in', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    const visitor: UserPage = { context, page, errors: [], csp: '' };
    page.on('console', (m) => {
      if (m.type() === 'error') visitor.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => visitor.errors.push(`pageerror: ${e.message}`));

    const market = (await (await fetch(`${platform.baseUrl}/api/public/market`)).json()) as PublicMarket;
    const farmland = market.instruments.find((i) => i.symbol === SYMBOL)!;

    await page.goto(`${platform.baseUrl}/#/`);
    await page.getByRole('heading', { name: '江西省生态权益指标市场行情' }).waitFor();
    const row = page.getByTestId(`public-row-${SYMBOL}`);
    await row.waitFor();
    // The demo market has traded today: its last price is what the API publishes.
    expect(farmland.last).not.toBeNull();
    expect(await row.textContent()).toContain(cny(farmland.last!));
    await page.getByTestId('public-group-carbon_sink').waitFor();
    // The demo's listing auctions are announced on the front page, with their terms.
    const sales = (await (await fetch(`${platform.baseUrl}/api/public/listings`)).json()) as PublicListings;
    expect(sales.announcements.length).toBeGreaterThan(0);
    const announced = sales.announcements[0]!;
    const announcement = page.getByTestId(`announcement-${announced.id}`);
    await announcement.waitFor();
    expect(await announcement.textContent()).toContain(announced.title);
    expect(await announcement.textContent()).toContain(cny(announced.startPrice));
    await screenshot(page, 'public-01-market');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await row.getByRole('link').click();
    const table = page.getByTestId('daily-table');
    const today = market.tradingDay;
    await table.getByTestId(`day-${today}`).waitFor();
    const range = new URL(await page.getByTestId('daily-csv').getAttribute('href') ?? '', platform.baseUrl).searchParams;
    const history = (await (await fetch(`${platform.baseUrl}/api/public/instruments/${SYMBOL}/daily?${range}`)).json()) as DailyHistory;
    const todayBar = history.days.find((d) => d.day === today)!;
    expect(await table.getByTestId(`day-${today}`).textContent()).toContain(cny(todayBar.close!));
    await screenshot(page, 'public-02-history');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('daily-csv').click()]);
    expect(download.suggestedFilename()).toBe(`${SYMBOL}-daily.csv`);
    const lines = fs.readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe('day,open,high,low,close,vwap,volume,turnover,trades,offBookVolume,offBookTurnover');
    expect(lines).toHaveLength(history.days.length + 1);
    expect(lines.at(-1)!.split(',').slice(0, 8)).toEqual([todayBar.day, todayBar.open, todayBar.high, todayBar.low, todayBar.close, todayBar.vwap, todayBar.volume, todayBar.turnover]);

    await page.getByRole('link', { name: /返回市场行情/ }).click();
    await page.getByTestId('public-sign-in').click();
    await page.getByLabel('用户名').waitFor();
    expect(jsErrors(visitor)).toEqual([]);
    await context.close();
  });

  it('a regulator opens the monthly report, sees its charts, and downloads XLSX and PDF with the same totals', async () => {
    const regulator = await signedInPage(browser, platform.baseUrl, 'regulator');
    const { page } = regulator;
    await page.getByRole('link', { name: '统计报表' }).click();
    await page.getByRole('heading', { name: '市场统计报表' }).waitFor();
    await page.getByRole('button', { name: '月报' }).waitFor();
    expect(await page.getByRole('button', { name: '月报' }).getAttribute('aria-pressed')).toBe('true');
    const report = page.getByTestId('market-report');
    await report.waitFor();

    const today = await page.getByTestId('report-date').inputValue();
    const token = await loginAs(platform.baseUrl, 'regulator');
    const api = await apiCall<MarketReport>(platform.baseUrl, 'GET', `/api/regulator/reports?period=month&date=${today}`, token);
    // The demo market trades on seeding day, so this month has figures to show.
    expect(api.totals.trades).toBeGreaterThan(0);
    expect(await page.getByTestId('report-turnover').textContent()).toBe(cny(api.totals.turnover));
    expect(await page.getByTestId('report-trades').textContent()).toBe(String(api.totals.trades));
    expect(await page.getByTestId('report-period').textContent()).toContain(`${api.period.from} 至 ${api.period.to}`);
    // Both charts drew into their canvases, and the price chart too.
    for (const chart of ['report-chart-types', 'report-chart-venues', 'report-price-chart']) {
      await page.getByTestId(chart).locator('canvas').first().waitFor();
    }
    const firstInstrument = api.byInstrument[0]!;
    expect(await page.getByTestId('report-instruments').textContent()).toContain(cny(firstInstrument.turnover));
    await screenshot(page, 'reports-01-monthly');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe(`market-report-month-${api.period.from}_${api.period.to}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    const summary = workbook.getWorksheet('概览')!;
    expect(summary.getRow(2).getCell(2).value).toBe(api.totals.trades);
    expect(summary.getRow(3).getCell(2).value).toBe(Number(api.totals.turnover));
    const types = workbook.getWorksheet('按指标类型')!;
    const sheetTurnover = types.getSheetValues().slice(2).reduce((sum: Decimal, row) => sum.plus(String((row as unknown[])[5])), new Decimal(0));
    expect(sheetTurnover.toFixed(2)).toBe(api.totals.turnover);

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download-pdf').click()]);
    expect(pdf.suggestedFilename()).toBe(`market-report-month-${api.period.from}_${api.period.to}.pdf`);
    expect(fs.readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');

    // The English switch relabels the report.
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'Market reports' }).waitFor();
    expect(jsErrors(regulator)).toEqual([]);
    await regulator.context.close();
  });
});
