import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { useLiveStream, type LiveStatus } from '../../../shared/socket/live-stream.ts';
import { useParticipantNames } from './get-participants.ts';
import { useRecentOrders, useRecentTrades } from './get-recent-activity.ts';
import {
  alertEvent,
  haltEvent,
  mergeStream,
  orderEvent,
  settlementEvent,
  tradeEvent,
  type StreamEvent,
} from './stream-events.ts';

/**
 * The regulator's live view: seeded from the recent trades and orders endpoints, then fed by the
 * /regulator namespace. A gap or reconnect refetches the snapshots, which re-seed the stream.
 */
export function useRegulatorLive(): { events: StreamEvent[]; status: LiveStatus } {
  const queryClient = useQueryClient();
  const session = useSession();
  const trades = useRecentTrades();
  const orders = useRecentOrders();
  const participants = useParticipantNames();
  const names = useMemo(() => new Map((participants.data ?? []).map((p) => [String(p.id), p.name])), [participants.data]);
  const namesRef = useRef(names);
  namesRef.current = names;
  const [events, setEvents] = useState<StreamEvent[]>([]);
  const statsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const seeded = [...(trades.data ?? []).map((r) => tradeEvent(r)), ...(orders.data ?? []).map((r) => orderEvent(r))];
    setEvents((cur) => mergeStream(cur, seeded));
  }, [trades.data, orders.data]);

  const push = (e: StreamEvent) => setEvents((cur) => mergeStream(cur, [e]));
  const refreshStatsSoon = () => {
    if (statsTimer.current) return;
    statsTimer.current = setTimeout(() => {
      statsTimer.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKeys.regulatorStats });
    }, 1_000);
  };

  useEffect(() => () => {
    if (statsTimer.current) clearTimeout(statsTimer.current);
  }, []);

  const status = useLiveStream({
    namespace: '/regulator',
    token: session?.token ?? null,
    enabled: session?.user.role === 'regulator',
    // The server numbers the whole /regulator stream with one sequence.
    streamKey: () => 'regulator',
    handlers: {
      order: (p: unknown) => push(orderEvent(p, namesRef.current)),
      trade: (p: unknown) => {
        push(tradeEvent(p, namesRef.current));
        refreshStatsSoon();
      },
      settlement: (p: unknown) => push(settlementEvent(p)),
      alert: (p: unknown) => {
        push(alertEvent(p));
        void queryClient.invalidateQueries({ queryKey: queryKeys.alerts });
      },
      halt: (p: unknown) => {
        push(haltEvent(p));
        void queryClient.invalidateQueries({ queryKey: queryKeys.instruments });
        void queryClient.invalidateQueries({ queryKey: ['regulator', 'audit'] });
      },
    },
    onResync: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.regulator });
      void queryClient.invalidateQueries({ queryKey: queryKeys.instruments });
    },
  });

  return { events, status };
}
