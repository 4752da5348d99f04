import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format/number.ts';

interface ObjectionItem {
  id: string;
  reason: string;
  filedAt: string;
  status: 'pending' | 'upheld' | 'dismissed';
  decision: { outcome: string; reason: string; at: string } | null;
}

/** Objections and the operator's answers, as published: never who objected. */
export function ObjectionList({ objections, lang }: { objections: readonly ObjectionItem[]; lang: string }) {
  const { t } = useTranslation();
  if (objections.length === 0) return <p className="muted small" data-testid="no-objections">{t('objections.none')}</p>;
  return (
    <ol className="objections" data-testid="objections">
      {objections.map((o) => (
        <li key={o.id} data-testid={`objection-${o.id}`} data-status={o.status}>
          <div>
            <strong>{t(`objections.status.${o.status}`)}</strong> · <span className="small muted">{formatDateTime(o.filedAt, lang)}</span>
          </div>
          <div>{o.reason}</div>
          {o.decision ? <div className="small">{t('objections.answer', { reason: o.decision.reason, at: formatDateTime(o.decision.at, lang) })}</div> : null}
        </li>
      ))}
    </ol>
  );
}
