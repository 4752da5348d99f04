import type { IndicatorType, Side } from '../../../shared/api/types.ts';

// Regulator read models. The exact row shapes are the server's; the fields below are the ones
// the dashboard shows, read leniently so an extra or renamed field does not blank a screen.

export interface RegulatorStats {
  today: {
    volumeByType: Partial<Record<IndicatorType, string>>;
    valueByType: Partial<Record<IndicatorType, string>>;
    trades: number;
    activeParticipants: number;
    value: string;
  };
  byPrefecture: { prefecture: string; value: string; volume: string }[];
}

export interface RegulatorTradeRow {
  id?: number | string;
  tradeId?: number | string;
  symbol: string;
  price: string;
  quantity: string;
  aggressorSide?: Side;
  executedAt?: string;
  buyerName?: string;
  sellerName?: string;
  buyer?: string | { name?: string };
  seller?: string | { name?: string };
}

export interface RegulatorOrderRow {
  id: number | string;
  symbol: string;
  side: Side;
  type?: string;
  price?: string | null;
  quantity: string;
  status?: string;
  participantName?: string;
  participant?: string | { name?: string };
  createdAt?: string;
  updatedAt?: string;
}

export interface Alert {
  id: number | string;
  rule?: string;
  type?: string;
  severity?: string;
  symbol?: string | null;
  participantName?: string | null;
  message?: string;
  description?: string;
  createdAt?: string;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
  acknowledged?: boolean;
  status?: 'open' | 'acknowledged';
  acknowledgementNote?: string | null;
  note?: string | null;
  participantIds?: string[];
}

export interface AuditRow {
  seq?: string;
  id?: number | string;
  subject?: string;
  createdAt?: string;
  at?: string;
  occurredAt?: string;
  actor?: string | null;
  actorUsername?: string | null;
  username?: string | null;
  userId?: number | string | null;
  action: string;
  payload?: unknown;
  details?: unknown;
  hash?: string;
}
