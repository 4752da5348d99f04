import type { i18n as I18n } from 'i18next';
import { ApiError } from '../api/client.ts';
import { formatCny, formatQuantity, unitLabel } from '../format/number.ts';

// Params the server names in CNY; they read as money (¥5,000,000.00) in every language.
const MONEY_PARAMS = new Set(['amount', 'cap', 'need', 'available', 'limit', 'maximum', 'floorPrice', 'guidancePrice', 'startPrice', 'guidance', 'lowest', 'previous', 'best', 'low', 'high', 'reference']);

function displayParams(i18n: Pick<I18n, 't' | 'language'>, params: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (MONEY_PARAMS.has(key)) shown[key] = formatCny(value);
    // A quantity the server names comes with its instrument's unit: 10 亩 / 10 mu, 100,000 tCO2e.
    else if (key === 'minQuantity') shown[key] = formatQuantity(value, params.unit ?? '', i18n.language);
    else if (key === 'unit') shown[key] = unitLabel(value, i18n.language);
    else if (key === 'window') shown[key] = i18n.t(`errors.windows.${value}`, { defaultValue: value });
    else if (key === 'document') shown[key] = i18n.t(`errors.documents.${value}`, { defaultValue: value });
    else shown[key] = value;
  }
  return shown;
}

export interface ErrorText {
  text: string;
  /** The server's own words (English, with the figures it names), for English readers only. */
  detail: string | null;
}

/**
 * What a user reads for an error: the translation of its code in the user's language. The
 * server's message is English for API users; it is added beside the translation in English and
 * never shown inside Chinese text. A code without a translation (a test keeps there being none)
 * reads as the generic failure with the code, not as English.
 */
export function describeError(i18n: Pick<I18n, 't' | 'exists' | 'language'>, error: unknown): ErrorText {
  const english = !i18n.language.startsWith('zh');
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (!i18n.exists(key)) return { text: english && error.message ? error.message : `${i18n.t('errors.generic')}（${error.code}）`, detail: null };
    const params = displayParams(i18n, error.params);
    // A free-text reason (a halt's) is added after the translation in every language.
    const reason = params.reason ? ` ${i18n.t('errors.reason', { reason: params.reason })}` : '';
    // A code that sometimes names figures has a `<CODE>_detail` translation for when it does, and
    // `<CODE>_detail_<basis>` where the server says what the figure rests on (a first bid's floor
    // is the start price, a later one's the best bid). It is used only when the refusal names
    // every figure it shows (a code's params can vary).
    const detailKey = params.basis && i18n.exists(`${key}_detail_${params.basis}`) ? `${key}_detail_${params.basis}` : `${key}_detail`;
    const withFigures = Object.keys(params).length > 0 && i18n.exists(detailKey) ? i18n.t(detailKey, params) : null;
    const text = `${withFigures !== null && !withFigures.includes('{{') ? withFigures : i18n.t(key, params)}${reason}`;
    // With params the translation already names the figures; the English message would repeat them.
    const detail = english && error.message && Object.keys(params).length === 0 && error.message !== text ? error.message : null;
    return { text, detail };
  }
  if (error instanceof Error && english && error.message) return { text: error.message, detail: null };
  return { text: i18n.t('errors.generic'), detail: null };
}
