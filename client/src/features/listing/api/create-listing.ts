import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { useCreateSale } from '../../../shared/api/sale-mutations.ts';
import type { CreateListingRequest, Listing } from './types.ts';

/** Lists a quantity for auction; the seller's quantity is locked until the close. */
export const createListing = (body: CreateListingRequest): Promise<Listing> => apiRequest<Listing>('/api/listings', { method: 'POST', body });

export const useCreateListing = () => useCreateSale(createListing, { detail: queryKeys.listing, list: queryKeys.listings });
