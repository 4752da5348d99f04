import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { Listing, ListingBid } from './types.ts';

export interface BreakGlassResult {
  breakGlass: { id: string; listingId: string; regulator: string; reason: string; at: string };
  listing: Listing;
  bids: ListingBid[];
  registrations: Array<{ id: string; bidderNo: number; participant: { id: string; name: string } | null }>;
}

/** A regulator's audited look at a sealed listing's bids before the close. */
export const breakGlass = ({ listingId, reason }: { listingId: string; reason: string }): Promise<BreakGlassResult> =>
  apiRequest<BreakGlassResult>(`/api/regulator/listings/${encodeURIComponent(listingId)}/break-glass`, { method: 'POST', body: { reason } });

export function useBreakGlass() {
  return useMutation({ mutationFn: breakGlass });
}
