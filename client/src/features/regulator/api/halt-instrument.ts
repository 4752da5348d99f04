import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export interface TradingControl {
  symbol: string;
  action: 'halt' | 'resume';
  reason: string;
}

export const setTradingControl = ({ symbol, action, reason }: TradingControl): Promise<unknown> =>
  apiRequest<unknown>(`/api/regulator/instruments/${encodeURIComponent(symbol)}/${action}`, { method: 'POST', body: { reason } });

export function useTradingControl() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setTradingControl,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.instruments }),
  });
}
