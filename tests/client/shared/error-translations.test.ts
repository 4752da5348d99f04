import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/src/shared/api/client.ts';
import { describeError } from '../../../client/src/shared/components/error-text.ts';
import { en } from '../../../client/src/shared/i18n/en.ts';
import { zhCN } from '../../../client/src/shared/i18n/zh-CN.ts';

// Issue 20, item 3: every error code the server can answer reads in the user's language — in
// zh-CN without a word of the server's English, in English with it beside the translation. The
// codes are read from the server's source, so a new refusal without a translation fails here.

const ROOT = path.resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8'));
}

function serverCodes(): string[] {
  const code = "['`]([A-Z][A-Z0-9_]{2,})['`]";
  const patterns = [
    new RegExp(`(?:badRequest|conflict|notFound|forbidden|unprocessable|unauthorized|unavailable)\\(\\s*${code}`, 'g'),
    new RegExp(`new AppError\\(\\s*\\d+\\s*,\\s*${code}`, 'g'),
    new RegExp(`\\bcode:\\s*${code}`, 'g'),
    new RegExp(`return ${code};`, 'g'), // app.ts maps Fastify's own codes
  ];
  const found = new Set<string>();
  for (const text of [...sources('server'), ...sources('contract')]) {
    for (const p of patterns) for (const m of text.matchAll(p)) found.add(m[1]!);
  }
  // The order book's refusals: the RejectCode union of matching/types.ts.
  const types = fs.readFileSync(path.join(ROOT, 'matching/types.ts'), 'utf8');
  const union = /export type RejectCode =([^;]+);/.exec(types)![1]!;
  for (const m of union.matchAll(/'([A-Z_]+)'/g)) found.add(m[1]!);
  found.add('RATE_LIMITED');
  return [...found].sort();
}

async function translator(lng: 'zh-CN' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i18n;
}

const codes = serverCodes();
const SERVER_MESSAGE = 'a block trade of CARBON-2024 is at least 100000 tCO2e';
// What refusals that name figures send beside the code (see server/errors.ts).
const PARAMS = { amount: '6000000.00', cap: '5000000.00', need: '100000.00', available: '200.00', needQuantity: '12.5', availableQuantity: '3', reason: '价格异常波动', window: 'registration', workingDays: '5', earliestClose: '2026-12-11 10:00', maximum: '129000.00', floorPrice: '125000.00', guidancePrice: '125000.00', startPrice: '368500.00', earliestOpen: '2026-12-11 10:00', closesAt: '2026-12-11T02:00:00.000Z', biddingOpensAt: '2026-12-11T02:00:00.000Z', guidance: '300000.00', lowest: '331650.00', previous: '368500.00', stepPct: '10', min: '5', max: '2000', commitment: 'ab12', outcome: 'dismissed', relistedAs: '12', status: 'open', frozenQuantity: '2.5', lotQuantity: '5', low: '257950.00', high: '479050.00', reference: '368500.00', bandPct: '30', best: '280000.00', basis: 'best', minQuantity: '10', unit: 'mu' };

describe('server error codes in the client', () => {
  it('are found in the source (the scan itself works)', () => {
    expect(codes.length).toBeGreaterThan(120);
    for (const known of ['PRICE_OUT_OF_BAND', 'DUPLICATE_DEPOSIT', 'LISTING_WINDOW_TOO_SHORT', 'REFRESH_REUSED', 'FOK_NOT_FILLABLE', 'MALFORMED_JSON']) expect(codes).toContain(known);
  });

  it('each has a Chinese translation, and zh-CN shows no English', async () => {
    const zh = await translator('zh-CN');
    const untranslated = codes.filter((c) => !zh.exists(`errors.${c}`));
    expect(untranslated).toEqual([]);
    const english = codes
      .map((c) => ({ code: c, shown: describeError(zh, new ApiError({ statusCode: 400, code: c, message: SERVER_MESSAGE, params: PARAMS })) }))
      .filter(({ shown }) => shown.detail !== null || /[A-Za-z]{5,}/.test(shown.text.replace(/\b(CSV|PDF|XLSX|IOC|FOK|GTC|DAY|CNY|tCO2e|Excel)\b/g, '')) || !/[\u4e00-\u9fff]/.test(shown.text));
    expect(english).toEqual([]);
  });

  it('each has an English translation, with the server’s words beside it', async () => {
    const english = await translator('en');
    const untranslated = codes.filter((c) => !english.exists(`errors.${c}`));
    expect(untranslated).toEqual([]);
    const shown = describeError(english, new ApiError({ statusCode: 422, code: 'BELOW_BLOCK_MINIMUM', message: SERVER_MESSAGE }));
    expect(shown).toEqual({ text: en.errors.BELOW_BLOCK_MINIMUM, detail: SERVER_MESSAGE });
  });

  it('render the figures a refusal names, money as money, in both languages', async () => {
    const [zh, english] = [await translator('zh-CN'), await translator('en')];
    const overCap = new ApiError({ statusCode: 422, code: 'DEPOSIT_OVER_CAP', message: 'a single deposit may credit at most 5000000.00 CNY', params: { cap: '5000000.00', amount: '6000000.00' } });
    expect(describeError(zh, overCap)).toEqual({ text: '金额 ¥6,000,000.00 超过单笔入金上限 ¥5,000,000.00，未入金', detail: null });
    expect(describeError(english, overCap).text).toBe('The amount ¥6,000,000.00 is above the deposit cap of ¥5,000,000.00; nothing was credited');
    const halted = new ApiError({ statusCode: 409, code: 'INSTRUMENT_HALTED', message: 'FARMLAND-QTY is halted', params: { reason: '价格异常波动，暂停核查' } });
    expect(describeError(zh, halted).text).toBe('该品种已暂停交易，不接受新委托 原因：价格异常波动，暂停核查');
    const short = new ApiError({ statusCode: 422, code: 'LISTING_WINDOW_TOO_SHORT', message: '…', params: { window: 'registration', workingDays: '5', earliestClose: '2026-12-11 10:00' } });
    expect(describeError(zh, short).text).toBe('报名（公示）时间须至少 5 个工作日：截止时间不得早于北京时间 2026-12-11 10:00');
  });

  it('name the band, the block minimum with its unit, and why a bid is too low', async () => {
    const [zh, english] = [await translator('zh-CN'), await translator('en')];
    const band = new ApiError({ statusCode: 422, code: 'PRICE_OUT_OF_BAND', message: '…', params: { low: '257950.00', high: '479050.00', reference: '368500.00', bandPct: '30' } });
    expect(describeError(zh, band).text).toBe('价格超出涨跌幅限制：须在 ¥257,950.00 至 ¥479,050.00 之间（参考价 ¥368,500.00 ±30%）');
    const block = new ApiError({ statusCode: 422, code: 'BELOW_BLOCK_MINIMUM', message: '…', params: { minQuantity: '10', unit: '亩' } });
    expect(describeError(zh, block).text).toBe('大宗协议数量不得低于 10.00 亩');
    expect(describeError(english, block).text).toBe('A block trade is at least 10.00 mu');
    const first = new ApiError({ statusCode: 422, code: 'BID_TOO_LOW', message: '…', params: { lowest: '280000.00', basis: 'first' } });
    const later = new ApiError({ statusCode: 422, code: 'BID_TOO_LOW', message: '…', params: { lowest: '280500.00', basis: 'best', best: '280000.00' } });
    expect(describeError(zh, first).text).toBe('尚无人出价：首次出价不得低于起始价 ¥280,000.00');
    expect(describeError(zh, later).text).toBe('出价不得低于 ¥280,500.00（当前最高出价 ¥280,000.00 加一个加价幅度）');
    expect(describeError(english, later).text).toBe('The bid must be at least ¥280,500.00: the best bid of ¥280,000.00 plus one increment');
  });

  it('say what a shortfall needs and has, and stay plain without figures', async () => {
    const zh = await translator('zh-CN');
    const funds = new ApiError({ statusCode: 422, code: 'INSUFFICIENT_FUNDS', message: '¥100000.00 is needed but only ¥200.00 is available', params: { need: '100000.00', available: '200.00' } });
    expect(describeError(zh, funds).text).toBe('可用资金不足：需要 ¥100,000.00，可用 ¥200.00');
    const holdings = new ApiError({ statusCode: 422, code: 'INSUFFICIENT_HOLDINGS', message: '12.5 is needed but only 3 is available', params: { needQuantity: '12.5', availableQuantity: '3' } });
    expect(describeError(zh, holdings).text).toBe('可用持仓不足：需要 12.5，可用 3');
    expect(describeError(zh, new ApiError({ statusCode: 422, code: 'INSUFFICIENT_FUNDS', message: 'x' })).text).toBe('可用资金不足');
  });
});
