import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../shared/api/query-keys.ts';
import type { Account } from '../../shared/api/types.ts';
import { signOut } from '../../shared/auth/session.ts';
import { navigate } from '../../shared/router/hash-router.tsx';
import { useLiveStream, type LiveStatus } from '../../shared/socket/live-stream.ts';

/**
 * The signed-in participant's own stream (/account): orders, fills, balances and settlements
 * refresh the queries of the order, account and listing screens. Mounted once by the shell.
 */
export function useAccountLive(token: string | null, enabled: boolean): LiveStatus {
  const queryClient = useQueryClient();
  const invalidate = (...keys: (readonly unknown[])[]) => {
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };
  return useLiveStream({
    namespace: '/account',
    token,
    enabled: enabled && token !== null,
    // One sequence for the whole /account stream of this participant.
    streamKey: () => 'account',
    handlers: {
      order: () => invalidate(queryKeys.orders),
      fill: () => invalidate(queryKeys.orders, queryKeys.accountTrades),
      balance: (payload: { balance?: Account; sequence?: number }) => {
        const account = payload.balance;
        if (account?.cash && account.holdings) queryClient.setQueryData<Account>(queryKeys.account, account);
        else invalidate(queryKeys.account);
        invalidate(queryKeys.accountLocks);
        // A freeze or unfreeze of a lot the participant holds reaches it as a balance change.
        invalidate(queryKeys.ownLotControls);
      },
      settlement: () => invalidate(queryKeys.accountTrades, queryKeys.ledger, queryKeys.ownLots, queryKeys.account),
      // A bid on a listing this participant sells or is registered for: the screen reloads it.
      listingBid: (payload: { bid?: { listingId?: string } }) => {
        const id = payload.bid?.listingId;
        invalidate(id ? queryKeys.listing(String(id)) : queryKeys.listingAll, queryKeys.account);
      },
      // A block trade proposed to or by this participant; its trade settles like any other.
      blockTrade: () => invalidate(queryKeys.blocks, queryKeys.account, queryKeys.accountTrades),
    },
    onResync: () => invalidate(queryKeys.account, queryKeys.orders, queryKeys.accountTrades),
    onSessionExpired: () => {
      signOut();
      navigate('/login');
    },
  });
}
