/**
 * The Beijing trading day. China keeps UTC+8 all year (no daylight saving since 1991), so the
 * day an instant belongs to is a fixed shift, with no time-zone database: a Beijing day runs from
 * 16:00:00Z the evening before to 15:59:59.999Z. SQL says the same with beijing_day(ts) and
 * beijing_day_start(day) (migration 20261203000700_homes).
 */
export const BEIJING_UTC_OFFSET_MINUTES = 480;

const OFFSET_MS = BEIJING_UTC_OFFSET_MINUTES * 60_000;

/** The Beijing date of an instant: "2026-11-28". */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The Beijing date as it appears inside certificate numbers: "20261128". */
export function beijingDateDigits(at: Date): string {
  return beijingDate(at).replace(/-/g, '');
}

/** The instant a Beijing date ("2026-11-28") begins: 2026-11-27T16:00:00Z. */
export function startOfBeijingDay(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date: ${day}`);
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS);
}

/** An instant as Beijing wall-clock time with its offset: "2026-11-28T09:30:00.000+08:00". */
export function beijingIso(at: Date): string {
  return `${new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, -1)}+08:00`;
}
