import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/api/types.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { formatCny } from '../../../shared/format/number.ts';

export function CashSummary({ account }: { account: Account }) {
  const { t } = useTranslation();
  const total = dec(account.cash.available).plus(account.cash.locked);
  return (
    <dl className="kpis" data-testid="cash-summary">
      <div className="kpi">
        <dt>{t('account.cashAvailable')}</dt>
        <dd className="kpi__value" data-testid="cash-available">{formatCny(account.cash.available)}</dd>
      </div>
      <div className="kpi">
        <dt>{t('account.cashLocked')}</dt>
        <dd className="kpi__value">{formatCny(account.cash.locked)}</dd>
      </div>
      <div className="kpi">
        <dt>{t('account.cashTotal')}</dt>
        <dd className="kpi__value">{formatCny(total)}</dd>
      </div>
    </dl>
  );
}
