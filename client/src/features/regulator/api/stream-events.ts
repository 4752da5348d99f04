import type { Side } from '../../../shared/api/types.ts';
import type { AlertFacts } from '../model/alert-text.ts';

export type StreamKind = 'order' | 'trade' | 'settlement' | 'alert' | 'halt';

/** One row of the regulator's live stream, whatever message it came from. */
export interface StreamEvent {
  key: string;
  kind: StreamKind;
  at: string;
  symbol: string;
  side?: Side;
  price?: string | null;
  quantity?: string;
  participant?: string;
  status?: string;
  detail?: string;
  /** An alert's facts, so the row reads in the user's language (detail is the server's English). */
  alert?: AlertFacts;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' ? (v as Obj) : {};
}

function s(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function name(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const o = obj(v);
  return s(o.name);
}

/** Participant id → name, for socket messages that carry only ids. */
export type ParticipantNames = ReadonlyMap<string, string>;

export function tradeEvent(raw: unknown, names?: ParticipantNames): StreamEvent {
  const outer = obj(raw);
  const t = { ...outer, ...obj(outer.trade) };
  const id = s(t.id) ?? s(t.tradeId) ?? `${Date.now()}`;
  const buyer = s(t.buyerName) ?? name(t.buyer) ?? names?.get(s(t.buyerId) ?? '');
  const seller = s(t.sellerName) ?? name(t.seller) ?? names?.get(s(t.sellerId) ?? '');
  return {
    key: `trade-${id}`,
    kind: 'trade',
    at: s(t.executedAt) ?? new Date().toISOString(),
    symbol: s(t.symbol) ?? s(outer.symbol) ?? '',
    side: t.aggressorSide as Side | undefined,
    price: s(t.price) ?? null,
    quantity: s(t.quantity),
    participant: buyer || seller ? `${buyer ?? '?'} ← ${seller ?? '?'}` : undefined,
    detail: `#${id}`,
  };
}

export function orderEvent(raw: unknown, names?: ParticipantNames): StreamEvent {
  const outer = obj(raw);
  const o = { ...outer, ...obj(outer.order) };
  const id = s(o.id) ?? `${Date.now()}`;
  const status = s(o.status);
  return {
    key: `order-${id}-${status ?? ''}-${s(o.filledQuantity) ?? ''}`,
    kind: 'order',
    at: s(o.updatedAt) ?? s(o.createdAt) ?? new Date().toISOString(),
    symbol: s(o.symbol) ?? '',
    side: o.side as Side | undefined,
    price: s(o.price) ?? null,
    quantity: s(o.quantity),
    participant: s(o.participantName) ?? name(o.participant) ?? names?.get(s(o.participantId) ?? ''),
    status,
    detail: `#${id}`,
  };
}

export function settlementEvent(raw: unknown): StreamEvent {
  const outer = obj(raw);
  const o = { ...outer, ...obj(outer.settlement) };
  const tradeId = s(o.tradeId) ?? '?';
  return {
    key: `settlement-${tradeId}-${s(o.status) ?? ''}`,
    kind: 'settlement',
    at: s(o.settledAt) ?? s(o.at) ?? new Date().toISOString(),
    symbol: s(o.symbol) ?? '',
    status: s(o.status),
    detail: `#${tradeId}${s(o.certificateNo) ? ` · ${s(o.certificateNo)}` : ''}`,
  };
}

export function alertEvent(raw: unknown): StreamEvent {
  const outer = obj(raw);
  const o = { ...outer, ...obj(outer.alert) };
  return {
    key: `alert-${s(o.id) ?? Date.now()}`,
    kind: 'alert',
    at: s(o.createdAt) ?? new Date().toISOString(),
    symbol: s(o.symbol) ?? '',
    status: s(o.severity),
    participant: Array.isArray(o.participants) ? (o.participants as Array<{ name?: unknown }>).map((p) => s(p.name) ?? '').filter(Boolean).join(' / ') || undefined : s(o.participantName),
    detail: s(o.message) ?? s(o.description) ?? s(o.rule),
    ...(s(o.rule) && Array.isArray(o.participantIds) ? { alert: o as unknown as AlertFacts } : {}),
  };
}

export function haltEvent(raw: unknown): StreamEvent {
  const o = obj(raw);
  return {
    key: `halt-${s(o.symbol) ?? ''}-${s(o.sequence) ?? Date.now()}`,
    kind: 'halt',
    at: s(o.at) ?? new Date().toISOString(),
    symbol: s(o.symbol) ?? '',
    status: s(o.status),
    detail: s(o.reason),
  };
}

export const STREAM_LENGTH = 100;

/** Newest first, without duplicates (the same order can arrive from REST and from the socket). */
export function mergeStream(current: readonly StreamEvent[], incoming: readonly StreamEvent[]): StreamEvent[] {
  const seen = new Set<string>();
  const out: StreamEvent[] = [];
  for (const e of [...incoming, ...current]) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return out.slice(0, STREAM_LENGTH);
}
