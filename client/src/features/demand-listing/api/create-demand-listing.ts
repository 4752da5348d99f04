import type { CreateDemandBody, DemandListing } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { useCreateSale } from '../../../shared/api/sale-mutations.ts';

/** Posts a demand listing; the buyer's cash at the starting price is locked until the close. */
export const createDemandListing = (body: CreateDemandBody): Promise<DemandListing> => apiRequest<DemandListing>('/api/demand-listings', { method: 'POST', body });

export const useCreateDemandListing = () => useCreateSale(createDemandListing, { detail: queryKeys.demandListing, list: queryKeys.demandListings });
