// Sale windows are entered and shown in Beijing time whatever the browser's zone: a seller in a
// browser set to UTC means the same 10:00 as everyone else on the platform.

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** A `datetime-local` value for an instant, in Beijing time, to the minute. */
export function toBeijingInput(at: number): string {
  return new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
}

/** Parses a `datetime-local` value as Beijing time; NaN when it is not one. */
export function beijingInstant(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return Number.NaN;
  return Date.parse(`${value.length === 16 ? `${value}:00` : value}+08:00`);
}
