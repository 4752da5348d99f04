import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Order } from '../../../shared/api/types.ts';

export const cancelOrder = (id: Order['id']): Promise<unknown> =>
  apiRequest<unknown>(`/api/orders/${encodeURIComponent(String(id))}`, { method: 'DELETE' });

export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (order: Order) => cancelOrder(order.id),
    onSettled: (_d, _e, order) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      void queryClient.invalidateQueries({ queryKey: queryKeys.book(order.symbol) });
    },
  });
}
