import { dec } from '../shared/decimal.ts';
import { BEIJING_UTC_OFFSET_MINUTES } from '../shared/beijing-time.ts';

/** Trading sessions in local (Beijing) time; the platform itself trades around the clock. */
export interface SessionConfig {
  /** Minutes east of UTC; Asia/Shanghai is UTC+8 with no daylight saving. */
  utcOffsetMinutes: number;
  /** Local "HH:MM" start and end of each session, in order; a session includes its start, not its end. */
  sessions: Array<{ start: string; end: string }>;
  /** ISO weekdays that have sessions (1 = Monday … 7 = Sunday). */
  weekdays: number[];
}

export interface WashTradingConfig {
  enabled: boolean;
  /** Also raise an (info) alert when self-trade prevention cancelled an order that would have traded with its own participant. */
  logStpAttempts: boolean;
}

export interface SpoofingConfig {
  enabled: boolean;
  /** A participant's own cancels on one instrument in one day before the ratio is judged. */
  minCancels: number;
  /** Cancels per fill (same participant, instrument and day) at or above which it is flagged. */
  cancelToFillRatio: string;
  /** CNY value of the cancelled remainder (limit price × quantity) that makes an order "large". */
  largeOrderValue: string;
  /** A large order cancelled within this many seconds of entry is flagged. */
  quickCancelSeconds: number;
}

export interface AbnormalPriceConfig {
  enabled: boolean;
  /** Percent away from the day's reference price beyond which a trade is abnormal. */
  thresholdPct: string;
  /** Percent away at which the alert is critical rather than a warning. */
  criticalPct: string;
}

export interface ConcentrationConfig {
  enabled: boolean;
  /** Percent of an instrument's outstanding holdings one participant may hold before it is flagged. */
  holdingSharePct: string;
  /** Percent of an instrument's volume of the day one participant may take part in before it is flagged. */
  volumeSharePct: string;
  /** Trades of the day before volume shares mean anything. */
  minDayTrades: number;
}

export interface MarkingTheCloseConfig {
  enabled: boolean;
  /** Length of the closing window at the end of each session. */
  windowMinutes: number;
  /** Closing-window volume above this multiple of the session's earlier rate (per window length) is outsized. */
  volumeMultiple: string;
  /** Trades in the closing window before it is judged. */
  minWindowTrades: number;
  /** Participants with at least this percent of the window's volume are named in the alert. */
  dominantSharePct: string;
}

export interface VolatilityHaltConfig {
  enabled: boolean;
  /** A trade more than this percent from the previous trade price (or the reference price before the first trade) halts the instrument. */
  bandPct: string;
  /** How long the instrument stays halted. */
  pauseMs: number;
  /** How long the reopening call auction collects orders before it uncrosses. */
  auctionMs: number;
}

export interface SurveillanceConfig {
  sessions: SessionConfig;
  washTrading: WashTradingConfig;
  spoofing: SpoofingConfig;
  abnormalPrice: AbnormalPriceConfig;
  concentration: ConcentrationConfig;
  markingTheClose: MarkingTheCloseConfig;
  volatilityHalt: VolatilityHaltConfig;
}

export type SurveillanceOverrides = { [K in keyof SurveillanceConfig]?: Partial<SurveillanceConfig[K]> };

export const DEFAULT_SURVEILLANCE_CONFIG: SurveillanceConfig = Object.freeze({
  sessions: {
    utcOffsetMinutes: BEIJING_UTC_OFFSET_MINUTES,
    sessions: [
      { start: '09:30', end: '11:30' },
      { start: '13:00', end: '15:00' },
    ],
    weekdays: [1, 2, 3, 4, 5],
  },
  washTrading: { enabled: true, logStpAttempts: true },
  spoofing: { enabled: true, minCancels: 20, cancelToFillRatio: '10', largeOrderValue: '1000000.00', quickCancelSeconds: 10 },
  abnormalPrice: { enabled: true, thresholdPct: '15', criticalPct: '30' },
  concentration: { enabled: true, holdingSharePct: '30', volumeSharePct: '40', minDayTrades: 10 },
  markingTheClose: { enabled: true, windowMinutes: 5, volumeMultiple: '3', minWindowTrades: 3, dominantSharePct: '50' },
  volatilityHalt: { enabled: true, bandPct: '7', pauseMs: 5 * 60_000, auctionMs: 2 * 60_000 },
});

const HHMM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

function positiveDecimal(name: string, value: string): void {
  let ok: boolean;
  try {
    ok = dec(value).gt(0);
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`surveillance config: ${name} must be a positive decimal string, got "${value}"`);
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`surveillance config: ${name} must be a positive integer, got ${value}`);
}

/** Defaults with each rule's own overrides laid over them; refuses a threshold that cannot work. */
export function surveillanceConfig(overrides: SurveillanceOverrides = {}): SurveillanceConfig {
  const d = DEFAULT_SURVEILLANCE_CONFIG;
  const c: SurveillanceConfig = {
    sessions: { ...d.sessions, ...overrides.sessions },
    washTrading: { ...d.washTrading, ...overrides.washTrading },
    spoofing: { ...d.spoofing, ...overrides.spoofing },
    abnormalPrice: { ...d.abnormalPrice, ...overrides.abnormalPrice },
    concentration: { ...d.concentration, ...overrides.concentration },
    markingTheClose: { ...d.markingTheClose, ...overrides.markingTheClose },
    volatilityHalt: { ...d.volatilityHalt, ...overrides.volatilityHalt },
  };
  for (const s of c.sessions.sessions) {
    if (!HHMM.test(s.start) || !HHMM.test(s.end) || s.start >= s.end) throw new Error(`surveillance config: session ${s.start}–${s.end} must be "HH:MM" with start before end`);
  }
  positiveDecimal('spoofing.cancelToFillRatio', c.spoofing.cancelToFillRatio);
  positiveDecimal('spoofing.largeOrderValue', c.spoofing.largeOrderValue);
  positiveInteger('spoofing.minCancels', c.spoofing.minCancels);
  positiveInteger('spoofing.quickCancelSeconds', c.spoofing.quickCancelSeconds);
  positiveDecimal('abnormalPrice.thresholdPct', c.abnormalPrice.thresholdPct);
  positiveDecimal('abnormalPrice.criticalPct', c.abnormalPrice.criticalPct);
  positiveDecimal('concentration.holdingSharePct', c.concentration.holdingSharePct);
  positiveDecimal('concentration.volumeSharePct', c.concentration.volumeSharePct);
  positiveInteger('concentration.minDayTrades', c.concentration.minDayTrades);
  positiveInteger('markingTheClose.windowMinutes', c.markingTheClose.windowMinutes);
  positiveDecimal('markingTheClose.volumeMultiple', c.markingTheClose.volumeMultiple);
  positiveInteger('markingTheClose.minWindowTrades', c.markingTheClose.minWindowTrades);
  positiveDecimal('markingTheClose.dominantSharePct', c.markingTheClose.dominantSharePct);
  positiveDecimal('volatilityHalt.bandPct', c.volatilityHalt.bandPct);
  positiveInteger('volatilityHalt.pauseMs', c.volatilityHalt.pauseMs);
  positiveInteger('volatilityHalt.auctionMs', c.volatilityHalt.auctionMs);
  return c;
}
