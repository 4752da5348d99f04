import type { ListingWindowTimes } from '../../contract/listing-windows.ts';

/** What the bodies of a listing (挂牌) and a demand listing (需求挂牌) both carry. */
export interface AuctionBody {
  symbol: string;
  title: string;
  description?: string;
  quantity: string;
  startPrice: string;
  marginPct: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  biddingOpensAt: string;
  biddingClosesAt: string;
  antiSnipingSeconds?: number;
}

/**
 * Those shared fields as both services take them: the four ISO instants as Dates and an omitted
 * optional as null (the service then applies its own default).
 */
export function auctionFieldsOf(b: AuctionBody): {
  symbol: string;
  title: string;
  description: string | null;
  quantity: string;
  startPrice: string;
  marginPct: string;
  windows: ListingWindowTimes;
  antiSnipingSeconds: number | null;
} {
  return {
    symbol: b.symbol,
    title: b.title,
    description: b.description ?? null,
    quantity: b.quantity,
    startPrice: b.startPrice,
    marginPct: b.marginPct,
    windows: {
      registrationOpensAt: new Date(b.registrationOpensAt),
      registrationClosesAt: new Date(b.registrationClosesAt),
      biddingOpensAt: new Date(b.biddingOpensAt),
      biddingClosesAt: new Date(b.biddingClosesAt),
    },
    antiSnipingSeconds: b.antiSnipingSeconds ?? null,
  };
}
