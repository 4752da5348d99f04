import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { queryKeys } from './query-keys.ts';

// A listing auction and a demand listing are posted and bid on alike: the answer carries the sale
// as it now stands, and the account changes because posting or bidding locks cash or quantity.

interface SaleKeys {
  /** The one sale's detail. */
  detail: (id: string) => QueryKey;
}

/** Posts a sale: its detail is cached at once, the lists and the account refreshed. */
export function useCreateSale<Body, Sale extends { id: string }>(create: (body: Body) => Promise<Sale>, keys: SaleKeys & { list: QueryKey }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: create,
    onSuccess: (sale) => {
      queryClient.setQueryData(keys.detail(sale.id), sale);
      void queryClient.invalidateQueries({ queryKey: keys.list });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}

/**
 * Places a bid: the sale in the answer is cached, and whatever the outcome the sale, its bids and
 * the account are read again (a refused bid may have lost a race another bid won).
 */
export function usePlaceSaleBid<Request, Result, Sale extends { id: string }>(
  place: (request: Request) => Promise<Result>,
  keys: SaleKeys & { bids: (id: string) => QueryKey; saleOf: (result: Result) => Sale; idOf: (request: Request) => string },
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: place,
    onSuccess: (result) => {
      const sale = keys.saleOf(result);
      queryClient.setQueryData(keys.detail(sale.id), sale);
    },
    onSettled: (_data, _error, request) => {
      const id = keys.idOf(request);
      void queryClient.invalidateQueries({ queryKey: keys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: keys.bids(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
