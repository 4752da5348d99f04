import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { Field } from '../../../shared/components/Field.tsx';
import { CreateListingForm } from '../../listing/components/CreateListingForm.tsx';
import { useParticipantLots } from '../api/lots.ts';
import type { AdminParticipant } from '../api/participants.ts';

interface ListOnBehalfProps {
  participants: readonly AdminParticipant[];
  instruments: readonly Instrument[];
}

/** 代为挂牌: the operator starts a listing auction for a seller, from the seller's holdings. */
export function ListOnBehalf({ participants, instruments }: ListOnBehalfProps) {
  const { t } = useTranslation();
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
