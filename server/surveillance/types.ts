import { ALERT_RULES } from '../../contract/surveillance.ts';
import type { SessionConfig } from './config.ts';
import type { AlertView } from '../market/market-bus.ts';

export type Severity = AlertView['severity'];
export type RuleName = AlertView['rule'];
export const RULE_NAMES: readonly RuleName[] = ALERT_RULES;
export type AlertStatus = AlertView['status'];

// Events carry decimals as the API writes them ("368500.00"); rules compare them as decimals.

/** A committed trade, as surveillance needs it. */
export interface TradeObserved {
  type: 'trade';
  tradeId: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyerId: string;
  sellerId: string;
  at: Date;
  /** Off-book trades (block trades, listings) are negotiated within wider bands: they count for
   * who traded with whom and how much, not for the book's price. */
  venue: 'book' | 'block' | 'listing';
  /** The instrument's reference price (指导价 / previous close) when the trade happened. */
  referencePrice: string;
}

/** A committed change of an order (entry, fill, cancel). */
export interface OrderObserved {
  type: 'order';
  orderId: string;
  participantId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** Limit price; null for a market order. */
  price: string | null;
  quantity: string;
  filledQuantity: string;
  status: string;
  cancelReason: string | null;
  createdAt: Date;
  /** When this change happened. */
  at: Date;
}

/** A participant's holding of an instrument after a settlement moved it. */
export interface HoldingObserved {
  type: 'holding';
  symbol: string;
  participantId: string;
  /** Available plus locked. */
  quantity: string;
  /** What all participants together hold of the instrument. */
  outstanding: string;
  at: Date;
}

/** The event stream rules read, in commit order. */
export type SurveillanceEvent = TradeObserved | OrderObserved | HoldingObserved;

/** A finding before it is stored; `dedupeKey` names the finding so it is raised once. */
export interface AlertDraft {
  rule: RuleName;
  severity: Severity;
  symbol: string;
  participantIds: string[];
  message: string;
  /** JSON only: decimals as strings. */
  details: Record<string, unknown>;
  dedupeKey: string;
}

/** Reference data a rule may consult besides its own state. */
export interface RuleContext<C> {
  config: C;
  /** The trading calendar: local day and sessions. */
  sessions: SessionConfig;
  /** Unordered pairs of participants the operator marked related; see relatedPairKey. */
  relatedPairs: ReadonlySet<string>;
}

/**
 * A surveillance rule: a deterministic function of its own small state, one event and its
 * context. It reads no clock (time comes with the event), does no I/O, and keeps what it must
 * remember (tallies of the day, findings already raised) in the state object it is handed.
 */
export interface Rule<S, C> {
  name: RuleName;
  initialState(): S;
  evaluate(state: S, event: SurveillanceEvent, context: RuleContext<C>): AlertDraft[];
}

/** Key of an unordered pair of participant ids: the smaller id first. */
export function relatedPairKey(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}|${b}` : `${b}|${a}`;
}
