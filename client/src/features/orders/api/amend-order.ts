import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Order } from '../../../shared/api/types.ts';

export interface AmendOrderRequest {
  order: Order;
  price?: string;
  quantity?: string;
}

export const amendOrder = ({ order, price, quantity }: AmendOrderRequest): Promise<unknown> =>
  apiRequest<unknown>(`/api/orders/${encodeURIComponent(String(order.id))}`, {
    method: 'PATCH',
    body: { ...(price !== undefined ? { price } : {}), ...(quantity !== undefined ? { quantity } : {}) },
  });

export function useAmendOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: amendOrder,
    onSettled: (_d, _e, req) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      void queryClient.invalidateQueries({ queryKey: queryKeys.book(req.order.symbol) });
    },
  });
}
