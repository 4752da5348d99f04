import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useRelist } from '../api/listing-rule-actions.ts';
import type { Listing } from '../api/types.ts';
import { beijingInstant, toBeijingInput } from '../../../shared/format/beijing-time.ts';

const DAY = 86_400_000;

/** Relists a failed listing (流拍后重新挂牌) on its terms: a new start price and new windows, in Beijing time. */
export function RelistForm({ listing }: { listing: Listing }) {
  const { t } = useTranslation();
  const relist = useRelist();
  const now = Date.now();
  const [draft, setDraft] = useState({
    startPrice: listing.startPrice,
    registrationOpensAt: toBeijingInput(now),
    registrationClosesAt: toBeijingInput(now + 7 * DAY),
    biddingOpensAt: toBeijingInput(now + 7 * DAY),
    biddingClosesAt: toBeijingInput(now + 8 * DAY),
  });
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));
  const iso = (v: string) => new Date(Math.max(beijingInstant(v), Date.now())).toISOString();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    relist.mutate({
      listingId: listing.id,
      body: {
        startPrice: draft.startPrice.trim(),
        registrationOpensAt: iso(draft.registrationOpensAt),
        registrationClosesAt: new Date(beijingInstant(draft.registrationClosesAt)).toISOString(),
        biddingOpensAt: new Date(beijingInstant(draft.biddingOpensAt)).toISOString(),
        biddingClosesAt: new Date(beijingInstant(draft.biddingClosesAt)).toISOString(),
      },
    });
  };
  const windows = ['registrationOpensAt', 'registrationClosesAt', 'biddingOpensAt', 'biddingClosesAt'] as const;
  return (
    <form className="form" onSubmit={submit} data-testid="relist-form" aria-label={t('listingRules.relistHeading')}>
      <h3 className="panel__subtitle">{t('listingRules.relistHeading')}</h3>
      <Field label={t('listing.startPrice')} hint={t('listingRules.relistHint')}>
        <input name="startPrice" inputMode="decimal" value={draft.startPrice} onChange={(e) => set({ startPrice: e.target.value })} />
      </Field>
      <div className="form__row">
        {windows.map((w) => (
          <Field key={w} label={t(`listing.${w}`)}>
            <input type="datetime-local" name={w} value={draft[w]} onChange={(e) => set({ [w]: e.target.value })} />
          </Field>
        ))}
      </div>
      <button type="submit" className="btn" disabled={relist.isPending}>{t('listingRules.relist')}</button>
      <ErrorNotice error={relist.error} />
      {relist.data ? (
        <SuccessNotice>
          <span data-testid="relisted">{t('listing.created', { id: relist.data.id })} <Link to={`/listings/${relist.data.id}`}>{t('listing.openListing')}</Link></span>
        </SuccessNotice>
      ) : null}
    </form>
  );
}
