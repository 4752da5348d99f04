import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { Account, AccountTrade, Instrument, Me, OwnLot } from './types.ts';

// Reference data that several features show (the instrument list, the signed-in participant's
// account, fills and lots). Kept here so features need not import each other.

export const getInstruments = (): Promise<Instrument[]> => apiRequest<Instrument[]>('/api/instruments');

export function useInstruments() {
  return useQuery({ queryKey: queryKeys.instruments, queryFn: getInstruments, staleTime: 30_000 });
}

export function useInstrument(symbol: string) {
  const query = useInstruments();
  return { ...query, instrument: query.data?.find((i) => i.symbol === symbol) };
}

export const getMe = (): Promise<Me> => apiRequest<Me>('/api/auth/me');

export function useMe(enabled = true) {
  return useQuery({ queryKey: queryKeys.me, queryFn: getMe, enabled, staleTime: 5 * 60_000 });
}

export const getAccount = (): Promise<Account> => apiRequest<Account>('/api/account');

export function useAccount(enabled = true) {
  return useQuery({ queryKey: queryKeys.account, queryFn: getAccount, enabled });
}

export const getAccountTrades = (): Promise<AccountTrade[]> => apiRequest<AccountTrade[]>('/api/account/trades');

export function useAccountTrades(enabled = true) {
  return useQuery({ queryKey: queryKeys.accountTrades, queryFn: getAccountTrades, enabled });
}

export const getOwnLots = (): Promise<OwnLot[]> => apiRequest<OwnLot[]>('/api/account/lots');

export function useOwnLots(enabled = true) {
  return useQuery({ queryKey: queryKeys.ownLots, queryFn: getOwnLots, enabled });
}
