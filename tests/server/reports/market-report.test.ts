import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketReport } from '../../../contract/reports.ts';
import type { BlockView } from '../../../server/blocks/block-views.ts';
import { dec } from '../../../server/shared/decimal.ts';
import { ok, pinClock } from '../listings/listing-support.ts';
import { expectLedgerReconciles, expectRefusal, place, waitAllSettled } from '../support/market.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Issue 19, regulator reports: a known month of trading — two indicator types, two counties,
// government and enterprise on both sides, the continuous market and a block, a use against an
// approval — and trades just outside it on both ends. Every figure of the November report must
// equal what was traded, and the fees must equal what the journal moved into the fee account.

let tp: TestPlatform;
let farmSeller: { id: string; token: string };
let carbonSeller: { id: string; token: string };
let enterprise: { id: string; token: string };
let county: { id: string; token: string };

const at = (iso: string) => new Date(iso);

async function trade(seller: string, buyer: string, symbol: string, price: string, quantity: string): Promise<void> {
  await place(tp, seller, { symbol, side: 'sell', price, quantity });
  await place(tp, buyer, { symbol, side: 'buy', price, quantity });
}

const report = async (query: string, token = tp.regulatorToken) => {
  const res = await tp.api('GET', `/api/regulator/reports?${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MarketReport>();
};

beforeAll(async () => {
  tp = await startTestPlatform('market-report', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  await tp.running.platform.knex('instruments').where({ symbol: 'CARBON-2024' }).update({ buyer_fee_bps: 30, seller_fee_bps: 20 });
  await tp.restart();
  [farmSeller, carbonSeller, enterprise, county] = await Promise.all([
    tp.participant('government', '婺源县自然资源局', '上饶市婺源县'),
    tp.participant('enterprise', '遂川县绿林碳汇有限公司', '吉安市遂川县'),
    tp.participant('enterprise', '南昌建设集团有限公司', '南昌市红谷滩区'),
    tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县'),
  ]);
  await tp.lot(farmSeller.id, 'FARMLAND-QTY', '10.00');
  await tp.lot(carbonSeller.id, 'CARBON-2024', '150000');
  await tp.deposit(enterprise.id, '5000000.00');
  await tp.deposit(county.id, '7000000.00');

  // 31 October, 10:00 Beijing: before the month.
  pinClock(tp, at('2026-10-31T02:00:00Z'));
  await trade(carbonSeller.token, enterprise.token, 'CARBON-2024', '62.00', '100');
  // November.
  pinClock(tp, at('2026-11-03T02:00:00Z'));
  await trade(farmSeller.token, enterprise.token, 'FARMLAND-QTY', '368500.00', '2.50');
  await trade(carbonSeller.token, county.token, 'CARBON-2024', '62.00', '1000');
  pinClock(tp, at('2026-11-20T02:00:00Z'));
  await trade(carbonSeller.token, enterprise.token, 'CARBON-2024', '63.00', '500');
  const block = ok<BlockView>(
    await tp.api('POST', '/api/blocks', carbonSeller.token, { symbol: 'CARBON-2024', side: 'sell', counterpartyId: county.id, price: '65.00', quantity: '100000' }),
    201,
    'propose block',
  );
  ok<BlockView>(await tp.api('POST', `/api/blocks/${block.id}/confirm`, county.token), 200, 'confirm block');
  await waitAllSettled(tp);
  pinClock(tp, at('2026-11-25T02:00:00Z'));
  ok(await tp.api('POST', '/api/registry/uses', enterprise.token, { symbol: 'FARMLAND-QTY', quantity: '1.00', projectName: '南昌市红谷滩区安置房项目', approvalRef: '赣府土〔2026〕88号', requestId: 'use-1' }), 201, 'use');
  // 1 December 00:30 Beijing is still 30 November in UTC: it belongs to December.
  pinClock(tp, at('2026-11-30T16:30:00Z'));
  await trade(carbonSeller.token, county.token, 'CARBON-2024', '62.50', '10');
  await waitAllSettled(tp);
  pinClock(tp, at('2026-12-02T02:00:00Z'));
});
afterAll(async () => {
  await tp?.close();
});

describe('the monthly report of a known month', () => {
  it('counts exactly the trades of the Beijing month, by type, instrument, county, kind and venue', async () => {
    const r = await report('period=month&date=2026-11-15');
    expect(r.period).toEqual({ kind: 'month', from: '2026-11-01', to: '2026-11-30' });
    // 2.50 × 368,500 + 1,000 × 62 + 500 × 63 + 100,000 × 65 (the block)
    expect(r.totals).toMatchObject({ trades: 4, turnover: '7514750.00' });
    expect(r.byIndicatorType).toEqual([
      { indicatorType: 'carbon_sink', unit: expect.any(String), trades: 3, quantity: '101500', turnover: '6593500.00' },
      { indicatorType: 'farmland', unit: '亩', trades: 1, quantity: '2.50', turnover: '921250.00' },
    ]);
    expect(r.byInstrument.find((i) => i.symbol === 'CARBON-2024')).toMatchObject({ trades: 3, quantity: '101500', turnover: '6593500.00', high: '63.00', low: '62.00', vwap: '62.33' });
    expect(r.byRegion).toEqual([
      expect.objectContaining({ prefecture: '上饶市', region: '上饶市婺源县', indicatorType: 'farmland', trades: 1, turnover: '921250.00' }),
      expect.objectContaining({ prefecture: '吉安市', region: '吉安市遂川县', indicatorType: 'carbon_sink', trades: 3, turnover: '6593500.00' }),
    ]);
    expect(r.byParticipantKind).toEqual([
      { side: 'buy', kind: 'enterprise', trades: 2, turnover: '952750.00' },
      { side: 'buy', kind: 'government', trades: 2, turnover: '6562000.00' },
      { side: 'sell', kind: 'enterprise', trades: 3, turnover: '6593500.00' },
      { side: 'sell', kind: 'government', trades: 1, turnover: '921250.00' },
    ]);
    expect(r.byVenue).toEqual([
      { venue: 'block', trades: 1, turnover: '6500000.00' },
      { venue: 'book', trades: 3, turnover: '1014750.00' },
    ]);
    expect(r.topParticipants[0]).toMatchObject({ name: '遂川县绿林碳汇有限公司', trades: 3, sold: '6593500.00', bought: '0.00' });
    expect(r.registry).toEqual([{ kind: 'use', indicatorType: 'farmland', unit: '亩', actions: 1, quantity: '1.00' }]);
  });

  it('fees equal what the journal moved into the fee account for those trades', async () => {
    const r = await report('period=month&date=2026-11-01');
    const { knex } = tp.running.platform;
    const [journal] = await knex('postings as p')
      .join('accounts as a', 'a.id', 'p.account_id')
      .join('journal_transfers as j', 'j.id', 'p.transfer_id')
      .join('trades as t', 't.id', 'j.trade_id')
      .where('a.system_role', 'fees')
      .where('t.executed_at', '>=', '2026-10-31T16:00:00Z')
      .where('t.executed_at', '<', '2026-11-30T16:00:00Z')
      .sum({ fees: 'p.amount' });
    expect(dec(r.totals.fees).isZero()).toBe(false);
    expect(r.totals.fees).toBe(dec(String(journal!.fees)).toFixed(2));
    await expectLedgerReconciles(tp);
  });

  it('a day, a week and a range cover just their days', async () => {
    expect((await report('period=day&date=2026-11-03')).totals).toMatchObject({ trades: 2, turnover: '983250.00' });
    // 2026-11-20 is a Friday: its week runs Monday 16 to Sunday 22 November.
    const week = await report('period=week&date=2026-11-20');
    expect(week.period).toEqual({ kind: 'week', from: '2026-11-16', to: '2026-11-22' });
    expect(week.totals).toMatchObject({ trades: 2, turnover: '6531500.00' });
    const december = await report('period=range&from=2026-12-01&to=2026-12-01');
    expect(december.totals).toMatchObject({ trades: 1, turnover: '625.00' });
    expect((await report('period=year&date=2026-06-01')).totals.trades).toBe(6);
  });

  it('the XLSX holds the same figures as numbers with CNY formatting, one sheet per table', async () => {
    const api = await report('period=month&date=2026-11-15');
    const res = await tp.api('GET', '/api/regulator/reports.xlsx?period=month&date=2026-11-15', tp.regulatorToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('market-report-month-2026-11-01_2026-11-30.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概览', '按指标类型', '按交易品种', '按地区', '按主体类型', '按交易方式', '核销与注销', '监察预警', '主要参与者', '价格序列']);
    const summary = workbook.getWorksheet('概览')!;
    const turnover = summary.getRow(3).getCell(2);
    expect(summary.getRow(3).getCell(1).value).toBe('成交额（元）');
    expect(turnover.value).toBe(Number(api.totals.turnover));
    expect(turnover.numFmt).toContain('¥');
    const venues = workbook.getWorksheet('按交易方式')!;
    expect(venues.getRow(2).values).toEqual([undefined, '大宗协议', 1, 6500000]);
  });

  it('the PDF is a printable document with the report inside', async () => {
    const res = await tp.api('GET', '/api/regulator/reports.pdf?period=month&date=2026-11-15&lang=en', tp.regulatorToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.toString('latin1')).toMatch(/\/FontFile3|\/FontFile2/);
  });
});

describe('who may read reports, and bad periods', () => {
  it('participants are refused; operators may read', async () => {
    expectRefusal(await tp.api('GET', '/api/regulator/reports?period=day', enterprise.token), 403, 'FORBIDDEN_ROLE');
    expect((await tp.api('GET', '/api/regulator/reports?period=day', tp.operatorToken)).statusCode).toBe(200);
  });

  it.each([
    ['period=range', 'RANGE_REQUIRED'],
    ['period=range&from=2026-11-30&to=2026-11-01', 'INVALID_RANGE'],
    ['period=range&from=2025-01-01&to=2026-06-01', 'RANGE_TOO_LONG'],
    ['period=month&date=2026-02-30', 'INVALID_DATE'],
    ['period=quarter', 'VALIDATION_FAILED'],
  ])('%s answers 400 %s', async (query, code) => {
    expectRefusal(await tp.api('GET', `/api/regulator/reports?${query}`, tp.regulatorToken), 400, code);
  });
});
