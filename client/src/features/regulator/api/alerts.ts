import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Alert } from '../../../../../contract/surveillance.ts';

export const getAlerts = (): Promise<Alert[]> => apiRequest<Alert[]>('/api/regulator/alerts');

export function useAlerts() {
  return useQuery({ queryKey: queryKeys.alerts, queryFn: getAlerts });
}

export const acknowledgeAlert = ({ id, note }: { id: Alert['id']; note: string }): Promise<unknown> =>
  apiRequest<unknown>(`/api/regulator/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST', body: { note } });

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acknowledgeAlert,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
  });
}
