import type { Knex } from 'knex';
import { dec, money } from '../shared/decimal.ts';

export interface StatisticsRange {
  /** Local (Beijing) days, inclusive, "YYYY-MM-DD". */
  from: string;
  to: string;
  top: number;
}

export interface TradingStatistics {
  from: string;
  to: string;
  totals: { trades: number; value: string };
  byIndicatorType: Array<{ indicatorType: string; unit: string; volume: string; value: string; trades: number }>;
  byPrefecture: Array<{ prefecture: string; soldValue: string; boughtValue: string; tradesAsSeller: number; tradesAsBuyer: number }>;
  byDay: Array<{ day: string; indicatorType: string; unit: string; volume: string; value: string; trades: number }>;
  topParticipants: Array<{ participantId: string; name: string; kind: string; prefecture: string; value: string; boughtValue: string; soldValue: string; trades: number }>;
}

// Days are Beijing days; the range is turned into instants so the (symbol, executed_at) index serves it.
const RANGE = `t.executed_at >= beijing_day_start(?::date) AND t.executed_at < beijing_day_start(?::date + 1)`;
const DAY = `to_char(beijing_day(t.executed_at), 'YYYY-MM-DD')`;

/**
 * Volume and value traded over a range of days: by indicator type (volumes only add up within a
 * unit, so the unit is part of the key), by prefecture (设区市) of the seller and of the buyer —
 * where indicators come from and where they go — by day, and the participants with the most
 * value traded on either side.
 */
export async function tradingStatistics(knex: Knex, range: StatisticsRange): Promise<TradingStatistics> {
  const args = [range.from, range.to];
  const [totals, byType, sold, bought, byDay, top] = await Promise.all([
    knex.raw<{ rows: Array<{ trades: string; value: string | null }> }>(`SELECT count(*) AS trades, sum(t.amount) AS value FROM trades t WHERE ${RANGE}`, args),
    knex.raw<{ rows: Array<{ indicator_type: string; unit: string; volume: string; value: string; trades: string }> }>(
      `SELECT i.indicator_type, i.unit, sum(t.quantity) AS volume, sum(t.amount) AS value, count(*) AS trades
         FROM trades t JOIN instruments i ON i.symbol = t.symbol
        WHERE ${RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
      args,
    ),
    knex.raw<{ rows: Array<{ prefecture: string; value: string; trades: string }> }>(
      `SELECT p.prefecture, sum(t.amount) AS value, count(*) AS trades
         FROM trades t JOIN participants p ON p.id = t.seller_id WHERE ${RANGE} GROUP BY 1`,
      args,
    ),
    knex.raw<{ rows: Array<{ prefecture: string; value: string; trades: string }> }>(
      `SELECT p.prefecture, sum(t.amount) AS value, count(*) AS trades
         FROM trades t JOIN participants p ON p.id = t.buyer_id WHERE ${RANGE} GROUP BY 1`,
      args,
    ),
    knex.raw<{ rows: Array<{ day: string; indicator_type: string; unit: string; volume: string; value: string; trades: string }> }>(
      `SELECT ${DAY} AS day, i.indicator_type, i.unit, sum(t.quantity) AS volume, sum(t.amount) AS value, count(*) AS trades
         FROM trades t JOIN instruments i ON i.symbol = t.symbol
        WHERE ${RANGE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      args,
    ),
    knex.raw<{ rows: Array<{ id: string; name: string; kind: string; prefecture: string; value: string; bought: string; sold: string; trades: string }> }>(
      `SELECT p.id, p.name, p.kind, p.prefecture, sum(s.bought + s.sold) AS value, sum(s.bought) AS bought, sum(s.sold) AS sold, count(*) AS trades
         FROM trades t
         CROSS JOIN LATERAL (VALUES (t.buyer_id, t.amount, 0::numeric), (t.seller_id, 0::numeric, t.amount)) AS s(participant_id, bought, sold)
         JOIN participants p ON p.id = s.participant_id
        WHERE ${RANGE}
        GROUP BY p.id ORDER BY value DESC, p.id LIMIT ?`,
      [...args, range.top],
    ),
  ]);

  const prefectures = new Map<string, TradingStatistics['byPrefecture'][number]>();
  const prefecture = (name: string) => {
    let entry = prefectures.get(name);
    if (!entry) {
      entry = { prefecture: name, soldValue: '0.00', boughtValue: '0.00', tradesAsSeller: 0, tradesAsBuyer: 0 };
      prefectures.set(name, entry);
    }
    return entry;
  };
  for (const r of sold.rows) Object.assign(prefecture(r.prefecture), { soldValue: money(r.value), tradesAsSeller: Number(r.trades) });
  for (const r of bought.rows) Object.assign(prefecture(r.prefecture), { boughtValue: money(r.value), tradesAsBuyer: Number(r.trades) });

  const total = totals.rows[0]!;
  return {
    from: range.from,
    to: range.to,
    totals: { trades: Number(total.trades), value: money(total.value ?? '0') },
    byIndicatorType: byType.rows.map((r) => ({ indicatorType: r.indicator_type, unit: r.unit, volume: r.volume, value: money(r.value), trades: Number(r.trades) })),
    byPrefecture: [...prefectures.values()].sort((a, b) => dec(b.soldValue).add(b.boughtValue).cmp(dec(a.soldValue).add(a.boughtValue)) || (a.prefecture < b.prefecture ? -1 : 1)),
    byDay: byDay.rows.map((r) => ({ day: r.day, indicatorType: r.indicator_type, unit: r.unit, volume: r.volume, value: money(r.value), trades: Number(r.trades) })),
    topParticipants: top.rows.map((r) => ({
      participantId: r.id,
      name: r.name,
      kind: r.kind,
      prefecture: r.prefecture,
      value: money(r.value),
      boughtValue: money(r.bought),
      soldValue: money(r.sold),
      trades: Number(r.trades),
    })),
  };
}
