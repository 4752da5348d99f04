import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicAnnouncement, PublicResult } from '../../../../../contract/public-listings.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { LotteryProof } from '../../../shared/components/LotteryProof.tsx';
import { ObjectionList } from '../../../shared/components/ObjectionList.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useObjectFromNotice, usePublicNotice } from '../api/public-notice.ts';

function useClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const left = (at: string, now: number) => {
  const s = Math.max(0, Math.ceil((new Date(at).getTime() - now) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86_400);
  return `${days > 0 ? `${days}d ` : ''}${pad(Math.floor((s % 86_400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
};

/**
 * A listing's public notice, for anyone without signing in: the announcement (公告) with a
 * countdown to each phase, the cap and the lottery commitment, objections and their answers; once
 * closed, the result (成交公示) and, for a drawn lottery, every input needed to recompute it.
 */
export function PublicNotice({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const notice = usePublicNotice(id);
  const now = useClock();
  const session = useSession();
  if (notice.isPending) return <div className="page"><Loading /></div>;
  if (!notice.data) return <div className="page"><ErrorNotice error={notice.error} /><Link to="/">{t('app.backHome')}</Link></div>;
  const a: PublicAnnouncement | null = notice.data.announcement;
  const r: PublicResult | null = notice.data.result;
  const sale = (a ?? r)!;
  const rules = sale.rules;
  const phases: Array<[string, string]> = a
    ? [
        ['registrationOpens', a.registrationOpensAt],
        ['biddingOpens', a.biddingOpensAt],
        ['biddingCloses', a.biddingClosesAt],
        ...(rules.capAcceptanceClosesAt ? ([['capAcceptanceCloses', rules.capAcceptanceClosesAt]] as Array<[string, string]>) : []),
      ]
    : [];
  return (
    <div className="page" data-testid="public-notice" data-listing-id={sale.id}>
      <div className="page__crumbs"><Link to="/">{t('app.backHome')}</Link> › <span>{t('listing.numbered', { id: sale.id })}</span></div>
      <h1 className="page__title">{sale.title}</h1>
      <p className="muted">{sale.seller} · {instrumentName(sale, lang)} · {t(`listing.modes.${sale.mode}`)}</p>
      {a ? (
        <Panel title={t('notice.announcement')} testId="notice-announcement">
          <p data-testid="notice-phase" data-phase={a.phase}>{t(`listing.phases.${a.phase}`)}</p>
          <dl className="kv kv--3">
            <div><dt>{t('listing.quantity')}</dt><dd>{a.quantity}</dd></div>
            <div><dt>{t('listing.startPrice')}</dt><dd>{formatCny(a.startPrice)}</dd></div>
            <div><dt>{t('listing.marginPct')}</dt><dd>{a.marginPct}%</dd></div>
            <div><dt>{t('listingRules.cap')}</dt><dd data-testid="notice-cap">{rules.priceCap ? formatCny(rules.priceCap) : '—'}</dd></div>
            <div><dt>{t('listingRules.minBidders')}</dt><dd>{rules.minBidders}</dd></div>
            <div><dt>{t('listingRules.reserve')}</dt><dd>{rules.hasReserve ? t('listingRules.reserveHidden') : '—'}</dd></div>
            {rules.priceCap ? <div><dt>{t('lottery.commitment')}</dt><dd className="mono break" data-testid="notice-commitment">{rules.seedCommitment ?? t('listingRules.noCommitment')}</dd></div> : null}
          </dl>
          <ul className="phases" data-testid="notice-phases">
            {phases.map(([kind, at]) => (
              <li key={kind} data-testid={`phase-${kind}`} data-at={at}>
                {t(`notice.phases.${kind}`)}: {formatDateTime(at, lang)}
                {new Date(at).getTime() > now ? <span className="mono"> · {t('notice.in', { left: left(at, now) })}</span> : null}
              </li>
            ))}
          </ul>
          {rules.objectionPending ? <p className="notice notice--warn" data-testid="notice-objection-hold">{t('listingRules.objectionHold')}</p> : null}
          {rules.capStage === 'acceptance' ? <p className="notice notice--warn" data-testid="notice-cap-reached">{t('listingRules.capReachedPublic')}</p> : null}
        </Panel>
      ) : null}
      {r ? (
        <Panel title={t('notice.result')} testId="notice-result">
          <dl className="kv kv--3">
            <div><dt>{t('public.outcome')}</dt><dd data-testid="notice-outcome">{t(`listing.phases.${r.outcome}`)}</dd></div>
            <div><dt>{t('public.price')}</dt><dd>{r.price ? formatCny(r.price) : '—'}</dd></div>
            <div><dt>{t('public.soldQuantity')}</dt><dd>{r.soldQuantity}</dd></div>
            <div><dt>{t('public.winners')}</dt><dd data-testid="notice-winners">{r.winners.join('、') || '—'}</dd></div>
            <div><dt>{t('public.closedAt')}</dt><dd>{formatDateTime(r.closedAt, lang)}</dd></div>
            {r.failureCode ? <div><dt>{t('listingRules.failure')}</dt><dd>{t(`listingRules.failures.${r.failureCode}`)}</dd></div> : null}
          </dl>
        </Panel>
      ) : null}
      {rules.lottery ? (
        <Panel title={t('lottery.heading')} testId="notice-lottery">
          <LotteryProof lottery={rules.lottery} />
        </Panel>
      ) : null}
      <Panel title={t('objections.heading')} testId="notice-objections">
        <ObjectionList objections={rules.objections} lang={lang} />
        {a && session?.user.role === 'participant' && now < new Date(a.biddingOpensAt).getTime() ? <ObjectFromNotice id={sale.id} /> : null}
        {a && !session && now < new Date(a.biddingOpensAt).getTime() ? <p className="small muted">{t('objections.signInToObject')}</p> : null}
      </Panel>
    </div>
  );
}

function ObjectFromNotice({ id }: { id: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const object = useObjectFromNotice(id);
  // The reason is one line on the server (hidden-character guard); line breaks typed here become spaces.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    object.mutate(reason.replace(/\s+/g, ' ').trim(), { onSuccess: () => setReason('') });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="objection-form" aria-label={t('objections.fileHeading')}>
      <Field label={t('objections.reasonLabel')} hint={t('objections.reasonHint')}>
        <textarea name="reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" className="btn" disabled={object.isPending || reason.trim().length < 5}>{t('objections.file')}</button>
      <ErrorNotice error={object.error} />
      {object.isSuccess ? <SuccessNotice><span data-testid="objection-filed">{t('objections.filed')}</span></SuccessNotice> : null}
    </form>
  );
}
