// The HTTP contract as the client compiles against it: the server's own TypeBox schemas in
// contract/, re-exported here so features have one door to them. Every amount, price and
// quantity is a decimal string; the client never turns them into floating-point numbers.

// ApiErrorBody is the name client.ts mirrors the server's error body under.
export type { DecimalString, ErrorBody, ErrorBody as ApiErrorBody, IndicatorType, ParticipantKind, Role, Side, SettlementStatus } from '../../../../contract/common.ts';
export type { Account, AccountParticipant, AccountTrade, Holding, IndicatorLot, LedgerPosting, OwnLot } from '../../../../contract/account.ts';
export type { Book, BookLevel, CandleBar, Instrument, InstrumentStatus, PublicTrade, TradeVenue } from '../../../../contract/instruments.ts';
export type { Settlement, TradeCertificate } from '../../../../contract/settlement.ts';
export type { Order, OrderFill, OrderResult, OrderStatus, OrderType, PlaceOrderBody, TimeInForce } from '../../../../contract/orders.ts';

export type { DemoUser, Me, SessionAnswer as LoginResponse, SessionParticipant as Participant, SessionUser } from '../../../../contract/auth.ts';
