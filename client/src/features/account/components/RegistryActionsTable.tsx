import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDateTime, formatQuantity } from '../../../shared/format/number.ts';
import { useDownloadRegistryCertificate, useRegistryActions } from '../api/registry.ts';

export function RegistryActionsTable({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const actions = useRegistryActions();
  const download = useDownloadRegistryCertificate();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const list = actions.data ?? [];
  return (
    <>
      <ErrorNotice error={actions.error ?? download.error} />
      <div tabIndex={0} className="scroll-box">
        <table className="table table--compact" data-testid="registry-actions">
          <caption className="visually-hidden">{t('registry.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('instrument.time')}</th>
              <th scope="col">{t('account.kind')}</th>
              <th scope="col">{t('operator.instrument')}</th>
              <th scope="col" className="num">{t('instrument.quantity')}</th>
              <th scope="col">{t('registry.purpose')}</th>
              <th scope="col">{t('registry.certificateNo')}</th>
            </tr>
          </thead>
          <tbody>
            {list.length === 0 ? (
              <tr><td colSpan={6} className="muted center">{t('app.noData')}</td></tr>
            ) : (
              list.map((a) => {
                const inst = bySymbol.get(a.symbol);
                return (
                  <tr key={a.id}>
                    <td className="mono small">{formatDateTime(a.createdAt, i18n.language)}</td>
                    <td>{t(a.kind === 'use' ? 'registry.use' : 'registry.retire')}</td>
                    <td className="mono">{a.symbol}</td>
                    <td className="num">{formatQuantity(a.quantity, inst?.unit ?? '', i18n.language, quantityPlaces(inst))}</td>
                    <td className="small">{a.kind === 'use' ? `${a.projectName ?? ''}（${a.approvalRef ?? ''}）` : `${a.beneficiary ?? ''}：${a.reason ?? ''}`}</td>
                    <td>
                      <button type="button" className="link-button link" onClick={() => download.mutate(a)} aria-label={t('registry.downloadFor', { no: a.certificateNo })}>
                        {a.certificateNo}
                      </button>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
