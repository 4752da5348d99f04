import { fixed, money } from '../shared/decimal.ts';
import { beijingIso } from '../shared/beijing-time.ts';
import type { AuditRow } from '../audit/audit-log.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { AuditEntry, RegulatorOrder, RegulatorStats, RegulatorTrade } from '../../contract/regulator.ts';
import type { RegulatorOrderRow, RegulatorTradeRow, TodayStatsRows } from './regulator-queries.ts';

// Rows of the regulator's queries as the contract sends them: figures to the instrument's places.

function places(instruments: InstrumentCatalog, symbol: string): { price: number; qty: number } {
  const spec = instruments.spec(symbol);
  return { price: spec?.pricePlaces ?? 2, qty: spec?.qtyPlaces ?? 2 };
}

export function tradeView(instruments: InstrumentCatalog, t: RegulatorTradeRow): RegulatorTrade {
  const p = places(instruments, t.symbol);
  return {
    id: t.id,
    symbol: t.symbol,
    price: fixed(t.price, p.price),
    quantity: fixed(t.quantity, p.qty),
    amount: money(t.amount),
    buyer: t.buyer,
    seller: t.seller,
    aggressorSide: t.aggressor_side as RegulatorTrade['aggressorSide'],
    status: t.status as RegulatorTrade['status'],
    executedAt: t.executed_at.toISOString(),
  };
}

export function orderView(instruments: InstrumentCatalog, o: RegulatorOrderRow): RegulatorOrder {
  const p = places(instruments, o.symbol);
  return {
    id: o.id,
    participant: o.participant,
    symbol: o.symbol,
    side: o.side as RegulatorOrder['side'],
    type: o.type as RegulatorOrder['type'],
    price: o.price === null ? null : fixed(o.price, p.price),
    quantity: fixed(o.quantity, p.qty),
    filledQuantity: fixed(o.filled_quantity, p.qty),
    status: o.status as RegulatorOrder['status'],
    updatedAt: o.updated_at.toISOString(),
  };
}

export function statsView({ byType, totals, byPrefecture }: TodayStatsRows): RegulatorStats {
  return {
    today: {
      trades: Number(totals.trades),
      value: money(totals.value ?? '0'),
      activeParticipants: Number(totals.active),
      volumeByType: Object.fromEntries(byType.map((r) => [r.indicator_type, r.volume])),
      valueByType: Object.fromEntries(byType.map((r) => [r.indicator_type, money(r.value)])),
    },
    byPrefecture: byPrefecture.map((r) => ({ prefecture: r.prefecture, value: money(r.value), trades: Number(r.trades) })),
  };
}

export function auditView(r: AuditRow): AuditEntry {
  return { seq: String(r.seq), at: r.at.toISOString(), actor: r.actor, action: r.action, subject: r.subject, payload: r.payload, hash: r.hash, prevHash: r.prev_hash };
}

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The audit log as a spreadsheet reads it: RFC 4180 with a BOM for Excel, and times on the
 * Beijing clock with their offset, since the people who read it keep Beijing time.
 */
export function auditCsv(rows: AuditRow[]): string {
  const header = 'seq,at,actor,action,subject,payload,hash,prev_hash';
  const lines = rows.map((r) => [String(r.seq), beijingIso(r.at), r.actor, r.action, r.subject, r.payload, r.hash, r.prev_hash].map(csvCell).join(','));
  return `\uFEFF${[header, ...lines].join('\r\n')}\r\n`;
}
