import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { PlaceOrderBody, OrderResult } from '../../../shared/api/types.ts';

export const placeOrder = (request: PlaceOrderBody): Promise<OrderResult> =>
  apiRequest<OrderResult>('/api/orders', { method: 'POST', body: request });

export function usePlaceOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: placeOrder,
    onSettled: (_data, _error, request) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      void queryClient.invalidateQueries({ queryKey: queryKeys.book(request.symbol) });
    },
  });
}

/** A fresh idempotency key; the server returns the first result if the same key is sent twice. */
export function newClientOrderId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext) return crypto.randomUUID();
  const rand = new Uint32Array(4);
  crypto.getRandomValues(rand);
  return `web-${Date.now().toString(36)}-${Array.from(rand, (n) => n.toString(36)).join('')}`;
}
