import type { ParticipantKind, Role } from '../../../../contract/common.ts';

// The HTTP contract as the client compiles against it: the server's own TypeBox schemas in
// contract/, re-exported here so features have one door to them. Every amount, price and
// quantity is a decimal string; the client never turns them into floating-point numbers.

// ApiErrorBody is the name client.ts mirrors the server's error body under.
export type { DecimalString, ErrorBody, ErrorBody as ApiErrorBody, IndicatorType, ParticipantKind, Role, Side, SettlementStatus } from '../../../../contract/common.ts';
export type { Account, AccountParticipant, AccountTrade, Holding, IndicatorLot, LedgerPosting, OwnLot } from '../../../../contract/account.ts';
export type { Book, BookLevel, CandleBar, Instrument, InstrumentStatus, PublicTrade, TradeVenue } from '../../../../contract/instruments.ts';
export type { Settlement, TradeCertificate } from '../../../../contract/settlement.ts';
export type { Order, OrderFill, OrderResult, OrderStatus, OrderType, PlaceOrderBody, TimeInForce } from '../../../../contract/orders.ts';

export interface Participant {
  id: number | string;
  name: string;
  kind: ParticipantKind;
  region: string;
  prefecture?: string;
}

export interface SessionUser {
  id: number | string;
  username: string;
  role: Role;
  participantId: number | string | null;
  /** A reset password: the user must choose a new one before anything else. */
  mustChangePassword?: boolean;
}

export interface Me extends SessionUser {
  participant: Participant | null;
}

export interface LoginResponse {
  token: string;
  /** Seconds the access token stays valid. */
  expiresIn?: number;
  user: SessionUser;
}

export interface DemoUser {
  username: string;
  password: string;
  /** "operator", "regulator" or "participant:government" / "participant:enterprise". */
  role: string;
  participantName: string | null;
}
