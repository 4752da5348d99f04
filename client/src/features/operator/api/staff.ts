import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export type { NewStaffUser, StaffRole, StaffUser } from '../../../../../contract/staff-admin.ts';
import type { NewStaffUser, StaffUser } from '../../../../../contract/staff-admin.ts';

export const getStaff = (): Promise<StaffUser[]> => apiRequest<StaffUser[]>('/api/admin/staff');
export const createStaff = (body: NewStaffUser): Promise<StaffUser> => apiRequest<StaffUser>('/api/admin/staff', { method: 'POST', body });

export function useStaff() {
  return useQuery({ queryKey: queryKeys.staff, queryFn: getStaff });
}

export function useCreateStaff() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createStaff, onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.staff }) });
}
