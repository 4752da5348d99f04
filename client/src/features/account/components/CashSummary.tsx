import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/api/types.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { formatCny } from '../../../shared/format/number.ts';
import { Kpi } from '../../../shared/components/Kpi.tsx';

export function CashSummary({ account }: { account: Account }) {
  const { t } = useTranslation();
  const total = dec(account.cash.available).plus(account.cash.locked);
  return (
    <dl className="kpis" data-testid="cash-summary">
      <Kpi label={t('account.cashAvailable')} testId="cash-available">{formatCny(account.cash.available)}</Kpi>
      <Kpi label={t('account.cashLocked')}>{formatCny(account.cash.locked)}</Kpi>
      <Kpi label={t('account.cashTotal')}>{formatCny(total)}</Kpi>
    </dl>
  );
}
