import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../shared/api/reference-data.ts';
import { Field } from '../../shared/components/Field.tsx';
import { CreateListingForm } from '../../features/listing/components/CreateListingForm.tsx';
import { useParticipantLots } from '../../features/operator/api/lots.ts';
import { useParticipants } from '../../features/operator/api/participants.ts';

/**
 * 代为挂牌: the operator starts a listing auction for a seller, from the seller's holdings. Here in
 * app/ because it joins two features (the operator's participants and lots, the listing form),
 * which do not import each other; the operator console shows it in the slot it is given.
 */
export function ListOnBehalf() {
  const { t } = useTranslation();
  const participants = useParticipants().data ?? [];
  const instruments = useInstruments().data ?? [];
  const [sellerId, setSellerId] = useState('');
  const lots = useParticipantLots(sellerId);
  const seller = participants.find((p) => String(p.id) === sellerId);
  const holders = participants.filter((p) => p.status === undefined || p.status === 'active');

  return (
    <div data-testid="list-on-behalf">
      <Field label={t('operator.listFor')}>
        <select name="sellerId" value={sellerId} onChange={(e) => setSellerId(e.target.value)}>
          <option value="">{t('operator.chooseSeller')}</option>
          {holders.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name} · {p.region}
            </option>
          ))}
        </select>
      </Field>
      {seller && lots.data ? (
        <>
          <p className="muted small">{t('operator.onBehalfNote')}</p>
          <CreateListingForm
            key={sellerId}
            instruments={instruments}
            account={undefined}
            onBehalfOf={{ id: sellerId, name: seller.name, kind: seller.kind, symbols: [...new Set(lots.data.map((l) => l.symbol))] }}
          />
        </>
      ) : null}
    </div>
  );
}
