import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { alertText, type AlertFacts } from '../../../../client/src/features/regulator/model/alert-text.ts';
import { en } from '../../../../client/src/shared/i18n/en.ts';
import { zhCN } from '../../../../client/src/shared/i18n/zh-CN.ts';

// Issue 20, item 3: surveillance alerts read in the regulator's language and name participants,
// not "participant 7". The details are the ones each server rule writes (server/surveillance/rules,
// volatility-halt.ts, lot-controls/lot-control-writer.ts).

const SELLER = { id: '7', name: '鹰潭市自然资源局' };
const BUYER = { id: '9', name: '鹰潭城投集团有限公司' };
const base = { symbol: 'FARMLAND-QTY', participantIds: [BUYER.id, SELLER.id], participants: [BUYER, SELLER], message: 'English for API users' };
const trade = { tradeId: '310', buyerId: BUYER.id, sellerId: SELLER.id, price: '368500.00', quantity: '2.00' };

const alerts: Array<[string, AlertFacts]> = [
  ['self trade', { ...base, rule: 'wash_trading', participantIds: [BUYER.id], participants: [BUYER], details: { kind: 'same_participant', ...trade, sellerId: BUYER.id } }],
  ['related parties', { ...base, rule: 'wash_trading', details: { kind: 'related_participants', ...trade } }],
  ['self-trade prevented', { ...base, rule: 'wash_trading', participantIds: [BUYER.id], details: { kind: 'stp_attempt', orderId: '88', side: 'buy', price: '368500.00', quantity: '2.00', cancelledQuantity: '2.00', at: '2026-12-07T02:00:00Z' } }],
  ['abnormal price', { ...base, rule: 'abnormal_price', details: { ...trade, day: '2026-12-07', referencePrice: '330000.00', deviationPct: '11.67', thresholdPct: '10', executedAt: '2026-12-07T02:00:00Z' } }],
  ['holding concentration', { ...base, rule: 'concentration', participantIds: [BUYER.id], details: { kind: 'holdings', day: '2026-12-07', holding: '60.00', outstanding: '100.00', sharePct: '60.00', thresholdPct: '50' } }],
  ['volume concentration', { ...base, rule: 'concentration', participantIds: [BUYER.id], details: { kind: 'day_volume', day: '2026-12-07', volume: '8.00', dayVolume: '10.00', dayTrades: 4, sharePct: '80.00', thresholdPct: '60' } }],
  ['marking the close', { ...base, rule: 'marking_the_close', details: { session: '2026-12-07-pm', sessionEnd: '2026-12-07T07:00:00Z', windowMinutes: 5, windowVolume: '9.00', windowTrades: 3, earlierVolume: '1.00', earlierMinutes: 30, expectedWindowVolume: '0.17', volumeMultiple: 5, participants: [{ participantId: BUYER.id, volume: '6.00', sharePct: '66.67' }] } }],
  ['quick cancel', { ...base, rule: 'spoofing', participantIds: [SELLER.id], details: { kind: 'quick_cancel', orderId: '91', side: 'sell', price: '368500.00', cancelledQuantity: '20.00', cancelledValue: '7370000.00', restedSeconds: '1.250', thresholdValue: '5000000', thresholdSeconds: 5 } }],
  ['cancel ratio', { ...base, rule: 'spoofing', participantIds: [SELLER.id], details: { kind: 'cancel_ratio', day: '2026-12-07', cancels: 40, fills: 2, cancelledQuantity: '80.00', ratio: '20.00', thresholdRatio: 10, minCancels: 20 } }],
  ['volatility halt', { ...base, rule: 'volatility_halt', participantIds: [], participants: [], details: { tradeId: '311', price: '405000.00', previousPrice: '368500.00', movePct: '9.91', bandPct: 5, pauseMs: 60000, auctionMs: 60000, executedAt: '2026-12-07T02:00:00Z' } }],
  ['lot frozen', { ...base, rule: 'lot_frozen', participantIds: [SELLER.id], details: { lotId: '5', verificationRef: '赣自然资耕备〔2026〕12号', freezeId: '3', reason: 'court_order', note: '(2026)赣1102执保88号', by: 'regulator', pieces: [{ participantId: SELLER.id, quantity: '3.00' }] } }],
  ['lot unfrozen', { ...base, rule: 'lot_unfrozen', participantIds: [SELLER.id], details: { lotId: '5', verificationRef: '赣自然资耕备〔2026〕12号', freezeId: '3', note: '裁定解除', by: 'operator', pieces: [{ participantId: SELLER.id, quantity: '3.00' }] } }],
  ['lot revoked', { ...base, rule: 'lot_revoked', details: { lotId: '6', verificationRef: '赣自然资耕备〔2026〕13号', revocationId: '2', reason: '验收文件系伪造', by: 'operator', holderId: SELLER.id, removed: '1.50', onward: [{ participantId: BUYER.id, name: BUYER.name, status: 'held', quantity: '0.50' }] } }],
];

async function translator(lng: 'zh-CN' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('alerts in the reader’s language', () => {
  it.each(alerts)('%s: every figure filled in, Chinese without English words, never the API message', async (_name, alert) => {
    const [zh, english] = [await translator('zh-CN'), await translator('en')];
    for (const text of [alertText(zh, alert), alertText(english, alert)]) {
      expect(text).not.toContain('{{');
      expect(text).not.toContain('undefined');
      expect(text).not.toBe(alert.message);
      for (const p of alert.participants) if (text.includes('#')) expect(text).not.toContain(`#${p.id} `);
    }
    // The symbol and the acting user's username are data, not words of the screen.
    expect(alertText(zh, alert).replace(/FARMLAND-QTY/g, '').replace(String(alert.details && (alert.details as { by?: string }).by), '')).not.toMatch(/[A-Za-z]{4,}/);
  });

  it('names the participants, money as money', async () => {
    const zh = await translator('zh-CN');
    expect(alertText(zh, alerts[1]![1])).toBe('关联方 鹰潭市自然资源局（卖方）与 鹰潭城投集团有限公司（买方）成交 FARMLAND-QTY 2.00，价格 ¥368,500.00（成交 #310）');
    expect(alertText(zh, alerts[10]![1])).toBe('批次 赣自然资耕备〔2026〕12号 已由 regulator 冻结（司法冻结）：(2026)赣1102执保88号；持有人：鹰潭市自然资源局 3.00');
    expect(alertText(await translator('en'), alerts[12]![1])).toBe(
      'Lot 赣自然资耕备〔2026〕13号 revoked by operator: 1.50 removed from the registrant 鹰潭市自然资源局; transferred onward to 鹰潭城投集团有限公司 0.50 (held). Reason: 验收文件系伪造',
    );
  });

  it('falls back to the server’s words for a rule the screen does not know yet, not to a half-filled template', async () => {
    const zh = await translator('zh-CN');
    expect(alertText(zh, { ...base, rule: 'wash_trading', details: { kind: 'a_new_kind' } } as AlertFacts)).toBe('English for API users');
    expect(alertText(zh, { ...base, rule: 'abnormal_price', details: {} })).toBe('English for API users');
  });
});
