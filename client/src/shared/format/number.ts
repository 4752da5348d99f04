import { dec, type Dec } from './decimal.ts';

// zh-CN number formatting straight from decimal strings: ¥368,500.00 · 12.50 亩 · 1,200 tCO2e.
// Grouping is done on the digit string so no value ever passes through a float.

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatDecimal(value: string | Dec | null | undefined, places: number): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = typeof value === 'string' ? dec(value) : value;
  const fixed = d.toFixed(places);
  const negative = fixed.startsWith('-');
  const [intPart = '0', frac] = (negative ? fixed.slice(1) : fixed).split('.');
  const body = frac !== undefined ? `${group(intPart)}.${frac}` : group(intPart);
  return negative && !/^[0.,]+$/.test(body) ? `-${body}` : body;
}

export function formatCny(value: string | Dec | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const s = formatDecimal(value, 2);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** Large amounts in 万元 for compact KPI cards (zh) — e.g. ¥93.1 m → ¥9,310.00万. */
export function formatCnyCompact(value: string | Dec | null | undefined, lang: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = typeof value === 'string' ? dec(value) : value;
  if (d.abs().lessThan(100_000)) return formatCny(d);
  if (lang.startsWith('zh')) return `¥${formatDecimal(d.dividedBy(10_000), 2)}万`;
  return `¥${formatDecimal(d.dividedBy(1_000_000), 2)}m`;
}

/** The decimal places a decimal string is written with: a sale's quantity sets how its figures show. */
export const placesOf = (value: string): number => value.split('.')[1]?.length ?? 0;

const UNIT_PLACES: Record<string, number> = { '亩': 2, mu: 2, tCO2e: 0, t: 0, kg: 0 };

export function unitLabel(unit: string, lang: string): string {
  if (unit === 'mu' || unit === '亩') return lang.startsWith('zh') ? '亩' : 'mu';
  return unit;
}

/** Quantity with its unit; places follow the instrument's lot size when given. */
export function formatQuantity(
  value: string | Dec | null | undefined,
  unit: string,
  lang: string,
  places?: number,
): string {
  if (value === null || value === undefined || value === '') return '—';
  const p = places ?? UNIT_PLACES[unit] ?? 2;
  return `${formatDecimal(value, p)} ${unitLabel(unit, lang)}`;
}

export function formatPct(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = dec(value);
  const sign = d.greaterThan(0) ? '+' : '';
  return `${sign}${formatDecimal(d, 2)}%`;
}

const dateTime = new Map<boolean, Intl.DateTimeFormat>();

// Beijing wall-clock time in both languages, written year-month-day: "04/12/2026" means the 4th of
// December to a British reader and April the 12th to an American one; "2026-12-04" means one day.
function beijingParts(d: Date, withDate: boolean): string {
  let f = dateTime.get(withDate);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dateTime.set(withDate, f);
  }
  const part = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  const time = `${part.hour}:${part.minute}:${part.second}`;
  return withDate ? `${part.year}-${part.month}-${part.day} ${time}` : time;
}

/** "2026-12-04 12:15:00", Beijing time, whatever the browser's zone or language. */
export function formatDateTime(iso: string | null | undefined, _lang?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : beijingParts(d, true);
}

/** "12:15:00", Beijing time. */
export function formatTime(iso: string | null | undefined, _lang?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : beijingParts(d, false);
}

/** Today's Beijing date as file names carry it: "20261204". */
export function beijingDateDigits(at: Date = new Date()): string {
  return beijingParts(at, true).slice(0, 10).replace(/-/g, '');
}
