import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { LotteryProof } from '../../../shared/components/LotteryProof.tsx';
import { formatCny } from '../../../shared/format/number.ts';
import { useAcceptCap, useCommitSeed, useDrawLottery, useFileObjection } from '../api/listing-rule-actions.ts';
import type { Listing } from '../api/types.ts';
import { formatDuration, splitDuration } from '../model/listing-rules.ts';
import { ObjectionList } from '../../../shared/components/ObjectionList.tsx';
import { RelistForm } from './RelistForm.tsx';

/**
 * A listing's cap and lottery, reserve, least bidders and objections, and what the viewer may do
 * with them: a participant objects during publicity or accepts a reached cap; the operator
 * publishes the lottery commitment and later reveals the seed; the seller relists a failed listing.
 */
export function ListingRulesPanel({ listing, now }: { listing: Listing; now: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const role = useSession()?.user.role;
  const r = listing.rules;
  const publicity = listing.status === 'open' && now < new Date(listing.biddingOpensAt).getTime();
  // The acceptance window ends by the clock, not by a server message: the draw follows it here.
  const stage = r.capStage === 'acceptance' && r.capAcceptanceClosesAt !== null && now >= new Date(r.capAcceptanceClosesAt).getTime() ? 'draw' : r.capStage;
  return (
    <div className="page" data-testid="listing-rules" data-cap-stage={stage}>
      <dl className="kv">
        <div><dt>{t('listingRules.cap')}</dt><dd data-testid="rules-cap">{r.priceCap ? `${formatCny(r.priceCap)}${r.capPct ? ` (${r.capPct}%)` : ''}` : '—'}</dd></div>
        {r.priceCap ? <div><dt>{t('listingRules.capWindow')}</dt><dd>{t('listingRules.minutes', { minutes: r.capWindowMinutes })}</dd></div> : null}
        {r.priceCap ? <div><dt>{t('lottery.commitment')}</dt><dd className="mono break" data-testid="rules-commitment">{r.seedCommitment ?? t('listingRules.noCommitment')}</dd></div> : null}
        <div><dt>{t('listingRules.minBidders')}</dt><dd>{r.minBidders}</dd></div>
        <div><dt>{t('listingRules.reserve')}</dt><dd data-testid="rules-reserve">{r.reservePrice ? formatCny(r.reservePrice) : r.hasReserve ? t('listingRules.reserveHidden') : '—'}</dd></div>
        {r.failureCode ? <div><dt>{t('listingRules.failure')}</dt><dd data-testid="rules-failure">{t(`listingRules.failures.${r.failureCode}`)}</dd></div> : null}
      </dl>
      {stage === 'acceptance' ? <CapAcceptance listing={listing} now={now} canAccept={role === 'participant'} /> : null}
      {stage === 'draw' ? <p className="notice notice--warn" data-testid="awaiting-draw">{t('listingRules.awaitingDraw')}</p> : null}
      {role === 'operator' && r.priceCap && !r.seedCommitment && publicity ? <CommitSeed listingId={listing.id} /> : null}
      {role === 'operator' && stage === 'draw' ? <RevealSeed listingId={listing.id} /> : null}
      {r.lottery ? <LotteryProof lottery={r.lottery} /> : null}
      {r.objectionPending ? <p className="notice notice--warn" data-testid="objection-hold">{t('listingRules.objectionHold')}</p> : null}
      <h3 className="panel__subtitle">{t('objections.heading')}</h3>
      <ObjectionList objections={r.objections} lang={lang} />
      {role === 'participant' && publicity ? <FileObjection listingId={listing.id} /> : null}
      {listing.status === 'failed' && (listing.me?.isSeller || role === 'operator') && !r.relistedAs ? <RelistForm listing={listing} /> : null}
      {r.relistedAs ? <p className="small">{t('listingRules.relistedAs', { id: r.relistedAs })}</p> : null}
    </div>
  );
}

function CapAcceptance({ listing, now, canAccept }: { listing: Listing; now: number; canAccept: boolean }) {
  const { t } = useTranslation();
  const accept = useAcceptCap();
  const left = formatDuration(splitDuration(new Date(listing.rules.capAcceptanceClosesAt!).getTime() - now), t('listing.dayUnit'));
  return (
    <div className="notice notice--warn" data-testid="cap-reached">
      <p>{t('listingRules.capReached', { cap: formatCny(listing.rules.priceCap) })}</p>
      <p className="small">{t('listingRules.acceptanceCloses', { left })} · {t('listingRules.entrants', { count: listing.rules.capEntrants ?? 0 })}</p>
      {listing.rules.acceptedCap ? <p data-testid="cap-accepted">{t('listingRules.youAccepted')}</p> : null}
      {canAccept && listing.me?.registered && !listing.rules.acceptedCap ? (
        <button type="button" className="btn btn--primary" data-testid="accept-cap" disabled={accept.isPending} onClick={() => accept.mutate({ listingId: listing.id })}>
          {t('listingRules.acceptCap')}
        </button>
      ) : null}
      <ErrorNotice error={accept.error} />
    </div>
  );
}

function CommitSeed({ listingId }: { listingId: string }) {
  const { t } = useTranslation();
  const [commitment, setCommitment] = useState('');
  const commit = useCommitSeed();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    commit.mutate({ listingId, commitment: commitment.trim().toLowerCase() });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="commit-seed-form" aria-label={t('listingRules.commitHeading')}>
      <Field label={t('listingRules.commitmentLabel')} hint={t('listingRules.commitmentHint')}>
        <input name="commitment" className="mono" autoComplete="off" value={commitment} onChange={(e) => setCommitment(e.target.value)} />
      </Field>
      <button type="submit" className="btn" disabled={commit.isPending}>{t('listingRules.publishCommitment')}</button>
      <ErrorNotice error={commit.error} />
    </form>
  );
}

function RevealSeed({ listingId }: { listingId: string }) {
  const { t } = useTranslation();
  const [seed, setSeed] = useState('');
  const draw = useDrawLottery();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    draw.mutate({ listingId, seed: seed.trim() });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="draw-form" aria-label={t('listingRules.drawHeading')}>
      <Field label={t('listingRules.seedLabel')} hint={t('listingRules.seedHint')}>
        <input name="seed" className="mono" autoComplete="off" value={seed} onChange={(e) => setSeed(e.target.value)} />
      </Field>
      <button type="submit" className="btn btn--primary" disabled={draw.isPending}>{t('listingRules.draw')}</button>
      <ErrorNotice error={draw.error} />
    </form>
  );
}

export function FileObjection({ listingId }: { listingId: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const file = useFileObjection();
  // The reason is one line on the server (hidden-character guard); line breaks typed here become spaces.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    file.mutate({ listingId, reason: reason.replace(/\s+/g, ' ').trim() }, { onSuccess: () => setReason('') });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="objection-form" aria-label={t('objections.fileHeading')}>
      <Field label={t('objections.reasonLabel')} hint={t('objections.reasonHint')}>
        <textarea name="reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" className="btn" disabled={file.isPending || reason.trim().length < 5}>{t('objections.file')}</button>
      <ErrorNotice error={file.error} />
    </form>
  );
}

