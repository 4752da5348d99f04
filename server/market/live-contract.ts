import type { OrderView } from '../engine/commands.ts';
import type { Account as AccountSnapshot } from '../../contract/account.ts';
import type { AlertView, DepthView, ListingChange, SessionEventView, SettlementView, TradeView } from './market-bus.ts';
import type { ListingBidView, ListingView } from '../listings/listing-views.ts';
import type { BlockView } from '../blocks/block-views.ts';
import type { TickerView } from './ticker-board.ts';

// The socket.io contract, in one place. Every message carries where it sits in its stream:
//
//   stream    "trade:FARMLAND-QTY", "book:FARMLAND-QTY", "ticker:…", "instrument:…",
//             "account:<participantId>", "regulator"
//   epoch     the numbering generation; when it changes, numbering restarted (reload)
//   sequence  1, 2, 3 … with no gaps within one epoch of one stream; a client that sees a gap
//             reloads the REST snapshot. Book messages are the exception: their sequence is the
//             matching book's own (the one GET /api/instruments/:symbol/book returns), and
//             `prevSequence` links each to the one before it on the stream, so a gap is a
//             message whose prevSequence is not the last sequence seen.
//
// Who numbers: /market streams are numbered by the node that owns the instrument's engine (the
// epoch is that node's run); /account and /regulator streams, fed by several nodes, by counters
// in Redis that number and publish in one step, so every node delivers them in order.
// Where a stream stands comes with the subscription (/market `subscribe` acknowledgement,
// /account and /regulator `ready` event): load the REST snapshot after it, drop messages at or
// below it, reload on a gap.

export interface StreamStampFields {
  stream: string;
  epoch: string;
  sequence: number;
}

/** Trades as they go out: `committedAt` is the platform clock (ms since 1970, fractional) at commit. */
export type LiveTrade = TradeView & { committedAt: number };

export interface BookMessage extends StreamStampFields, DepthView {
  /** The sequence of the previous book message of this stream; null when a new chain starts. */
  prevSequence: number | null;
}

export interface TradeMessage extends StreamStampFields {
  symbol: string;
  /** The last trade of `trades` (kept for clients written against one trade per message). */
  trade: LiveTrade;
  /** Every trade since the previous trade message, oldest first. */
  trades: LiveTrade[];
}

export type TickerMessage = StreamStampFields & TickerView;

export interface InstrumentMessage extends StreamStampFields {
  symbol: string;
  status: string;
  haltReason: string | null;
}

/** A trading-session change of the symbol (stream `session:SYMBOL`). */
export type SessionMessage = StreamStampFields & SessionEventView;

/** A listing auction's public board (stream `listing:SYMBOL`; bidders anonymous). */
export interface ListingMessage extends StreamStampFields {
  symbol: string;
  change: ListingChange;
  listing: ListingView;
}

export interface SubscribeRequest {
  symbol: string;
  /** Defaults to all three. */
  channels?: Array<'book' | 'trade' | 'ticker'>;
}

export interface StreamPositionView {
  epoch: string;
  sequence: number;
}

export type SubscribeAck =
  | { ok: true; symbol: string; book: DepthView; streams: Record<string, StreamPositionView> }
  | { ok: false; code: 'BAD_REQUEST' | 'UNKNOWN_SYMBOL' | 'TOO_MANY_SUBSCRIPTIONS'; message: string };

export type AccountSnapshotView = AccountSnapshot;

export interface AccountMessages {
  order: StreamStampFields & { order: OrderView };
  fill: StreamStampFields & { fill: LiveTrade & { side: 'buy' | 'sell' } };
  balance: StreamStampFields & { balance: AccountSnapshotView };
  settlement: StreamStampFields & { settlement: SettlementView };
  /** A bid on a listing the participant sells or is registered for (`mine`: its own). */
  listingBid: StreamStampFields & { bid: ListingBidView };
  /** A block trade the participant proposed or was proposed (`myRole` filled in). */
  blockTrade: StreamStampFields & { change: BlockView['status']; block: BlockView };
  /** The participant was suspended: the socket is closed right after this message. */
  suspended: StreamStampFields & { statusCode: 403; code: 'PARTICIPANT_SUSPENDED'; message: string; reason: string };
}

export interface RegulatorMessages {
  order: StreamStampFields & { order: OrderView & { participantId: string } };
  trade: StreamStampFields & { trade: LiveTrade & { buyerId: string; sellerId: string } };
  settlement: StreamStampFields & { settlement: SettlementView };
  halt: StreamStampFields & { symbol: string; status: string; haltReason: string | null; actor: string; reason: string; at: string };
  alert: StreamStampFields & { alert: AlertView };
  listingBid: StreamStampFields & { bid: ListingBidView };
  blockTrade: StreamStampFields & { change: BlockView['status']; block: BlockView };
  participantStatus: StreamStampFields & { participantId: string; status: 'active' | 'suspended'; reason: string };
}

/** Sent once on connecting to /account and /regulator: where the caller's stream stands now. */
export interface ReadyMessage {
  streams: Record<string, StreamPositionView>;
}

/** Why a connection to /account or /regulator was refused (`connect_error`: err.message = code, err.data = this). */
export interface RefusalData {
  statusCode: 401 | 403;
  code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'FORBIDDEN_ROLE' | 'PARTICIPANT_SUSPENDED' | 'SESSION_ENDED' | 'USER_DISABLED' | 'PASSWORD_CHANGE_REQUIRED';
  message: string;
}

/** `session_ended`: the socket's session was signed out, revoked or changed; the socket closes next. */
export type SessionEndedMessage = RefusalData;
