import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { SettlementBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal } from '../../../shared/format/number.ts';
import { useDownloadCertificate } from '../api/download-certificate.ts';

export function SettlementsTable({ trades, instruments }: { trades: readonly AccountTrade[]; instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const download = useDownloadCertificate();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  return (
    <>
      <div tabIndex={0} className="scroll-box scroll-box--tall">
        <table className="table table--compact" data-testid="settlements">
          <caption className="visually-hidden">{t('account.settlementsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('account.tradeId')}</th>
              <th scope="col">{t('instrument.time')}</th>
              <th scope="col">{t('operator.instrument')}</th>
              <th scope="col">{t('instrument.direction')}</th>
              <th scope="col" className="num">{t('instrument.price')}</th>
              <th scope="col" className="num">{t('instrument.quantity')}</th>
              <th scope="col" className="num">{t('fills.amount')}</th>
              <th scope="col" className="num">{t('fills.fee')}</th>
              <th scope="col">{t('fills.settlement')}</th>
              <th scope="col">{t('account.certificate')}</th>
            </tr>
          </thead>
          <tbody>
            {trades.length === 0 ? (
              <tr><td colSpan={10} className="muted center">{t('fills.none')}</td></tr>
            ) : (
              trades.map((tr) => {
                const inst = bySymbol.get(tr.symbol);
                return (
                  <tr key={`${String(tr.tradeId)}-${tr.side}`} data-trade-id={String(tr.tradeId)}>
                    <td className="mono">{String(tr.tradeId)}</td>
                    <td className="mono small">{formatDateTime(tr.executedAt, i18n.language)}</td>
                    <td className="mono">{tr.symbol}</td>
                    <td><SideLabel side={tr.side} /></td>
                    <td className="num">{formatDecimal(tr.price, pricePlaces(inst))}</td>
                    <td className="num">{formatDecimal(tr.quantity, quantityPlaces(inst))}</td>
                    <td className="num">{formatCny(tr.amount)}</td>
                    <td className="num">{formatCny(tr.fee)}</td>
                    <td><SettlementBadge status={tr.settlementStatus} /></td>
                    <td>
                      {tr.settlementStatus === 'settled' ? (
                        <a
                          href={`/api/settlements/${encodeURIComponent(String(tr.tradeId))}/certificate.pdf`}
                          className="link"
                          aria-label={t('account.downloadFor', { id: tr.tradeId })}
                          onClick={(e) => {
                            // The certificate needs the bearer token, so fetch it rather than follow the link.
                            e.preventDefault();
                            download.mutate(tr.tradeId);
                          }}
                        >
                          {t('account.download')}
                        </a>
                      ) : (
                        <span className="muted small">{t('account.notSettled')}</span>
                      )}
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <ErrorNotice error={download.error} />
    </>
  );
}
