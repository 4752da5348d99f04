import type { TFunction } from 'i18next';
import type { Alert } from '../../../../../contract/surveillance.ts';
import { formatCny } from '../../../shared/format/number.ts';

/** What an alert's text is made from: the stored alert, or the one pushed live. */
export type AlertFacts = Pick<Alert, 'rule' | 'symbol' | 'participantIds' | 'participants' | 'details' | 'message'>;

type Details = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const MONEY = new Set(['price', 'referencePrice', 'previousPrice', 'cancelledValue']);

/**
 * An alert in the reader's language, naming participants by name. The server's `message` is
 * English for API users; it is shown only for an alert this screen has no words for (a rule added
 * on the server before the client knows it), never half-translated.
 */
export function alertText(t: TFunction, alert: AlertFacts): string {
  const details = (alert.details ?? {}) as Details;
  const nameOf = (id: unknown): string => {
    const key = str(id);
    if (key === undefined) return '';
    return alert.participants?.find((p) => p.id === key)?.name ?? `#${key}`;
  };
  const values: Record<string, string> = { symbol: alert.symbol };
  for (const [k, v] of Object.entries(details)) {
    const s = str(v);
    if (s !== undefined) values[k] = MONEY.has(k) ? formatCny(s) : s;
  }
  values.participant = nameOf(alert.participantIds[0]);
  if (details.buyerId !== undefined) values.buyer = nameOf(details.buyerId);
  if (details.sellerId !== undefined) values.seller = nameOf(details.sellerId);
  if (details.holderId !== undefined) values.holder = nameOf(details.holderId);
  if (typeof details.side === 'string') values.side = t(`regulator.alertText.sides.${details.side}`);
  if (typeof details.reason === 'string' && alert.rule === 'lot_frozen') values.reason = t(`lotControls.reasons.${details.reason}`, { defaultValue: details.reason });
  const largest = Array.isArray(details.participants) ? (details.participants[0] as Details | undefined) : undefined;
  if (largest) {
    values.participant = nameOf(largest.participantId);
    values.sharePct = str(largest.sharePct) ?? '';
  }
  if (Array.isArray(details.pieces)) {
    values.holders = (details.pieces as Details[]).map((p) => `${nameOf(p.participantId)} ${str(p.quantity) ?? ''}`).join(t('regulator.alertText.separator')) || '—';
  }
  if (Array.isArray(details.onward)) {
    const onward = details.onward as Details[];
    values.onward = onward.length === 0
      ? t('regulator.alertText.onwardNone')
      : t('regulator.alertText.onwardTo', {
          list: onward
            .map((o) => t('regulator.alertText.onwardItem', { name: str(o.name) ?? nameOf(o.participantId), quantity: str(o.quantity) ?? '', status: t(`regulator.alertText.onwardStatus.${str(o.status) ?? 'held'}`) }))
            .join(t('regulator.alertText.separator')),
        });
  }
  const kind = str(details.kind);
  const key = kind ? `regulator.alertText.${alert.rule}_${kind}` : `regulator.alertText.${alert.rule}`;
  const text = t(key, { ...values, defaultValue: '' });
  return text && !text.includes('{{') ? text : alert.message;
}
