// What the two sale forms (挂牌竞价 and 需求挂牌) both take as typed: the margin and the windows.

export interface SaleWindowsDraft {
  marginPct: string;
  /** `datetime-local` values in Beijing time, e.g. "2026-03-02T09:30". */
  registrationOpensAt: string;
  registrationClosesAt: string;
  biddingOpensAt: string;
  biddingClosesAt: string;
  /** Anti-sniping window in whole minutes. */
  antiSnipingMinutes: string;
}
