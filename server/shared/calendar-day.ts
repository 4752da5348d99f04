import { badRequest } from '../errors.ts';

// Calendar days as YYYY-MM-DD strings. The schema checks the shape; this refuses days the
// calendar does not have (2026-02-30), which PostgreSQL would otherwise answer with an error.

const MS_PER_DAY = 86_400_000;

export function calendarDay(value: string, field: string): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw badRequest('INVALID_DATE', `${field} ${value} is not a calendar day`);
  }
  return value;
}

export function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}
