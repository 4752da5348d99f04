import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { AuditVerification, Reconciliation } from '../../../../../contract/regulator.ts';

// Both checks read the whole ledger or the whole audit chain, so they run when asked, not on a timer.

export const runReconciliation = (): Promise<Reconciliation> => apiRequest<Reconciliation>('/api/regulator/reconciliation');
export const verifyAuditChain = (): Promise<AuditVerification> => apiRequest<AuditVerification>('/api/regulator/audit/verify');

export const useReconciliation = () => useMutation({ mutationFn: runReconciliation });
export const useAuditChainCheck = () => useMutation({ mutationFn: verifyAuditChain });
