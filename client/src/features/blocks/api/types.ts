import type { DecimalString, Side } from '../../../shared/api/types.ts';

// Block trades (大宗协议) as GET /api/blocks returns them (server/blocks/block-views.ts).

export type BlockStatus = 'proposed' | 'confirmed' | 'rejected' | 'cancelled' | 'expired';

export interface BlockParty {
  id: string;
  name: string;
}

export interface Block {
  id: string;
  symbol: string;
  instrumentName: string;
  unit: string;
  initiatorSide: Side;
  initiator: BlockParty;
  counterparty: BlockParty;
  buyer: BlockParty;
  seller: BlockParty;
  price: DecimalString;
  quantity: DecimalString;
  amount: DecimalString;
  buyerFee: DecimalString;
  sellerFee: DecimalString;
  referencePrice: DecimalString;
  note: string | null;
  status: BlockStatus;
  expiresAt: string;
  createdAt: string;
  decidedAt: string | null;
  reason: string | null;
  tradeId: string | null;
  /** The caller's part in it; null for the regulator and the operator. */
  myRole: 'initiator' | 'counterparty' | null;
}

export interface Counterparty {
  id: string;
  name: string;
  kind: string;
  region: string;
}

export interface ProposeBlockRequest {
  symbol: string;
  side: Side;
  counterpartyId: string;
  price: string;
  quantity: string;
  note?: string;
}
