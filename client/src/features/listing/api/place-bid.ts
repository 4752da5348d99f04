import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { usePlaceSaleBid } from '../../../shared/api/sale-mutations.ts';
import type { Listing, ListingBid } from './types.ts';

export interface BidRequest {
  listingId: string;
  price: string;
  /** Sealed mode only: quantity wanted at that price (default: what was registered for). */
  quantity?: string;
}

export const placeBid = ({ listingId, price, quantity }: BidRequest): Promise<{ bid: ListingBid; listing: Listing }> =>
  apiRequest<{ bid: ListingBid; listing: Listing }>(`/api/listings/${encodeURIComponent(listingId)}/bids`, {
    method: 'POST',
    body: quantity ? { price, quantity } : { price },
  });

export const usePlaceBid = () =>
  usePlaceSaleBid(placeBid, { detail: queryKeys.listing, bids: queryKeys.listingBids, saleOf: (r) => r.listing, idOf: (request) => request.listingId });
