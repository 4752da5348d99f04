// What holds locked cash and quantity, one row per holder: open orders (a buy holds its
// remaining lots × reserve per lot, a sell its remaining quantity), active reservations (margins,
// listing and block parts, frozen lots) and trades not yet settled. The reconciliation proves the
// accounts' locked balances equal the sum; a participant's account shows the same rows grouped.
// One SQL text for both, so the screen explains exactly what the proof counts.

/** Columns: participant_id, asset, source ('order_buy' | 'order_sell' | 'reservation' | 'unsettled_trade'), purpose, reference, amount. */
export const LOCK_SOURCES_SQL = `
  SELECT o.participant_id, 'CNY' AS asset, 'order_buy' AS source, NULL AS purpose, 'order:' || o.id AS reference,
         ((o.quantity - o.filled_quantity) / i.lot_size) * o.reserve_per_lot AS amount
    FROM orders o JOIN instruments i ON i.symbol = o.symbol
   WHERE o.status IN ('open', 'partially_filled') AND o.side = 'buy'
  UNION ALL
  SELECT o.participant_id, o.symbol, 'order_sell', NULL, 'order:' || o.id, o.quantity - o.filled_quantity
    FROM orders o WHERE o.status IN ('open', 'partially_filled') AND o.side = 'sell'
  UNION ALL
  SELECT r.participant_id, r.asset, 'reservation', r.purpose, r.reference, r.amount FROM reservations r WHERE r.status = 'active'
  UNION ALL
  SELECT t.buyer_id, 'CNY', 'unsettled_trade', NULL, 'trade:' || t.id, t.amount + t.buyer_fee FROM trades t WHERE t.status <> 'settled'
  UNION ALL
  SELECT t.seller_id, t.symbol, 'unsettled_trade', NULL, 'trade:' || t.id, t.quantity FROM trades t WHERE t.status <> 'settled'`;
