import type { DemandBidResult } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { usePlaceSaleBid } from '../../../shared/api/sale-mutations.ts';

export interface DemandBidRequest {
  id: string;
  price: string;
}

/** Bids the price down; the seller's quantity is locked while it leads. */
export const placeDemandBid = ({ id, price }: DemandBidRequest): Promise<DemandBidResult> =>
  apiRequest<DemandBidResult>(`/api/demand-listings/${encodeURIComponent(id)}/bids`, { method: 'POST', body: { price } });

export const usePlaceDemandBid = () =>
  usePlaceSaleBid(placeDemandBid, { detail: queryKeys.demandListing, bids: queryKeys.demandBids, saleOf: (r) => r.demandListing, idOf: (request) => request.id });
