// Text the platform stores ends up on certificates, PDFs, the public register and other people's
// screens. Characters that render as nothing or reorder what is around them let a name or a
// purpose read differently from what was stored: bidi overrides and isolates (U+202E before
// "2026 甲方" shows it as "方甲 6202"), zero-width characters that make two names look alike,
// and control characters. They are refused at the door, for every route and field,
// with one code; only line breaks and tabs are allowed, and only in the few multi-line fields.

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/u;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAK_OR_TAB = /[\t\n\r]/u;

/** Fields that are paragraphs rather than lines: notes and descriptions, never printed on a certificate. */
const MULTI_LINE_FIELDS = new Set(['description', 'note']);

export interface HiddenCharacter {
  /** e.g. "U+202E" */
  codePoint: string;
  kind: 'bidi control' | 'zero-width character' | 'control character';
  /** The key whose value (or the key itself) holds it; '' for a bare string. */
  field: string;
}

function inText(text: string, field: string, multiLine: boolean): HiddenCharacter | null {
  for (const [pattern, kind] of [
    [BIDI, 'bidi control'],
    [ZERO_WIDTH, 'zero-width character'],
    [CONTROL, 'control character'],
    ...(multiLine ? [] : [[LINE_BREAK_OR_TAB, 'control character']]),
  ] as Array<[RegExp, HiddenCharacter['kind']]>) {
    const match = pattern.exec(text);
    if (match) return { codePoint: `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, kind, field };
  }
  return null;
}

/** The first hidden character in any string (or key) of a parsed body, query or params. */
export function findHiddenCharacter(value: unknown): HiddenCharacter | null {
  if (typeof value === 'string') return inText(value, '', false);
  if (value === null || typeof value !== 'object') return null;
  let found: HiddenCharacter | null = null;
  try {
    // JSON.stringify walks any depth JSON.parse accepted without recursion of ours.
    JSON.stringify(value, (key: string, v: unknown) => {
      found ??= inText(key, key, false) ?? (typeof v === 'string' ? inText(v, key, MULTI_LINE_FIELDS.has(key)) : null);
      return v;
    });
  } catch {
    return null; // not serialisable: schema validation refuses it anyway
  }
  return found;
}

export const hiddenCharacterMessage = (c: HiddenCharacter): string =>
  `text must not contain ${c.codePoint} (${c.kind})${c.field ? ` in "${c.field}"` : ''}: it would show differently from what is stored`;
