import { useTranslation } from 'react-i18next';
import type { LotteryResult } from '../../../../contract/listing-rules.ts';
import { commitmentOf, drawLottery } from '../../../../contract/rules/listing-lottery.ts';
import { formatDateTime } from '../format/number.ts';

/**
 * A drawn cap lottery (摇号) with every input a reader needs to recompute it with any SHA-256
 * tool, and this page's own recomputation with the same rule the server drew with.
 */
export function LotteryProof({ lottery }: { lottery: LotteryResult }) {
  const { t, i18n } = useTranslation();
  const again = drawLottery(lottery.seed, lottery.listingId, lottery.entrants.map(Number));
  const verified = commitmentOf(lottery.seed) === lottery.commitment && again.digest === lottery.digest && again.winner === lottery.winner;
  return (
    <div className="lottery-proof" data-testid="lottery-proof">
      <dl className="kv">
        <div><dt>{t('lottery.commitment')}</dt><dd className="mono break" data-testid="lottery-commitment">{lottery.commitment}</dd></div>
        <div><dt>{t('lottery.seed')}</dt><dd className="mono break" data-testid="lottery-seed">{lottery.seed}</dd></div>
        <div><dt>{t('lottery.listingId')}</dt><dd className="mono" data-testid="lottery-listing-id">{lottery.listingId}</dd></div>
        <div><dt>{t('lottery.entrants')}</dt><dd className="mono" data-testid="lottery-entrants">{lottery.entrants.join(',')}</dd></div>
        <div><dt>{t('lottery.message')}</dt><dd className="mono break" data-testid="lottery-message">{lottery.message}</dd></div>
        <div><dt>{t('lottery.digest')}</dt><dd className="mono break" data-testid="lottery-digest">{lottery.digest}</dd></div>
        <div><dt>{t('lottery.winnerIndex')}</dt><dd className="mono" data-testid="lottery-winner-index">{lottery.winnerIndex}</dd></div>
        <div><dt>{t('lottery.winner')}</dt><dd className="mono" data-testid="lottery-winner">{t('listing.bidderNo', { no: lottery.winner })}</dd></div>
        <div><dt>{t('lottery.drawnAt')}</dt><dd>{formatDateTime(lottery.drawnAt, i18n.language)}</dd></div>
      </dl>
      <p className="small">{t('lottery.recipe')}</p>
      <p className="small mono break" data-testid="lottery-recipe">{lottery.recipe}</p>
      <p className={verified ? 'notice notice--success' : 'notice notice--warn'} data-testid="lottery-verified" data-verified={String(verified)}>
        {verified ? t('lottery.verified') : t('lottery.notVerified')}
      </p>
    </div>
  );
}
