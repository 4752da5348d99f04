import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../shared/api/reference-data.ts';
import { logout, useSession } from '../../shared/auth/session.ts';
import { useQueryClient } from '@tanstack/react-query';
import { DemoBanner } from '../../shared/components/DemoBanner.tsx';
import { LiveBadge } from '../../shared/components/LiveBadge.tsx';
import { setLanguage } from '../../shared/i18n/index.ts';
import { Link, navigate, usePath } from '../../shared/router/hash-router.tsx';
import { useAccountLive } from '../live/AccountLive.tsx';

function Emblem() {
  return (
    <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="15" fill="#ffffff" opacity="0.14" />
      <path d="M16 5c5 4 7 8.5 7 12.5A7 7 0 0 1 16 24.5a7 7 0 0 1-7-7C9 13.5 11 9 16 5z" fill="#7fd39b" />
      <path d="M16 10v17" stroke="#0a3d6b" strokeWidth="1.6" />
      <path d="M16 16l-3.5-3M16 19.5l4-3.5" stroke="#0a3d6b" strokeWidth="1.4" fill="none" />
    </svg>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const role = session?.user.role;
  const isParticipant = role === 'participant';
  const account = useAccount(isParticipant);
  const accountLive = useAccountLive(session?.token ?? null, isParticipant);
  const zh = i18n.language.startsWith('zh');
  const queryClient = useQueryClient();
  // On a phone the sections, the language switch and the account sit behind one menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  const path = usePath();
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const close = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [menuOpen]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skipToContent')}
      </a>
      <DemoBanner />
      <header className="topbar">
        <div className="topbar__inner">
          <a className="brand" href="#/">
            <Emblem />
            <span className="brand__text">
              <span className="brand__name">{t('app.title')}</span>
              <span className="brand__sub">{zh ? 'EcoRights Exchange' : '生态权益指标交易平台'}</span>
            </span>
          </a>
          <button
            type="button"
            className="topbar__menu-button btn btn--ghost btn--small"
            aria-expanded={menuOpen}
            aria-controls="topbar-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {t('app.menu')}
          </button>
          <div
            id="topbar-menu"
            className={`topbar__menu${menuOpen ? ' topbar__menu--open' : ''}`}
            onClick={(e) => {
              if ((e.target as HTMLElement).closest('a')) setMenuOpen(false);
            }}
          >
            <nav className="nav" aria-label={t('nav.main')}>
              <Link to="/" className="nav__link">{t('nav.market')}</Link>
              <Link to="/listings" className="nav__link">{t('nav.listings')}</Link>
              <Link to="/demand" className="nav__link">{t('nav.demand')}</Link>
              <Link to="/blocks" className="nav__link">{t('nav.blocks')}</Link>
              {isParticipant ? <Link to="/account" className="nav__link">{t('nav.account')}</Link> : null}
              {isParticipant ? <Link to="/seller" className="nav__link">{t('nav.seller')}</Link> : null}
              {isParticipant ? <Link to="/lot-submissions" className="nav__link">{t('nav.lotSubmissions')}</Link> : null}
              {role === 'regulator' ? <Link to="/regulator" className="nav__link">{t('nav.regulator')}</Link> : null}
              {role === 'regulator' ? <Link to="/regulator/reports" className="nav__link">{t('nav.reports')}</Link> : null}
              {role === 'operator' ? <Link to="/operator" className="nav__link">{t('nav.operator')}</Link> : null}
              {role === 'operator' ? <Link to="/operator/lot-review" className="nav__link">{t('nav.lotReview')}</Link> : null}
              {role === 'operator' ? <Link to="/operator/lot-approval" className="nav__link">{t('nav.lotApproval')}</Link> : null}
              {role === 'operator' ? <Link to="/operator/objections" className="nav__link">{t('nav.objections')}</Link> : null}
            </nav>
            <div className="topbar__tools">
              {isParticipant ? <LiveBadge status={accountLive} /> : null}
              <button
                type="button"
                className="btn btn--ghost btn--small"
                lang={zh ? 'en' : 'zh-CN'}
                aria-label={`${t('app.language')}: ${t('app.switchTo')}`}
                onClick={() => setLanguage(zh ? 'en' : 'zh-CN')}
              >
                {t('app.switchTo')}
              </button>
              {session ? (
                <>
                  <span className="topbar__user" data-testid="current-user">
                    {account.data?.participant.name ?? session.user.username}
                    <span className="topbar__role">{t(`roles.${session.user.role}`)}</span>
                  </span>
                  <Link to="/password" className="btn btn--ghost btn--small">{t('app.changePassword')}</Link>
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    data-testid="sign-out"
                    onClick={() => {
                      void logout();
                      queryClient.clear();
                      navigate('/login');
                    }}
                  >
                    {t('app.signOut')}
                  </button>
                </>
              ) : (
                <a className="btn btn--ghost btn--small" href="#/login">{t('login.submit')}</a>
              )}
            </div>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>{zh ? '生态权益指标交易平台 · EcoRights Exchange' : 'EcoRights Exchange · 生态权益指标交易平台'}</span>
        <span>{t('app.footer')}</span>
      </footer>
    </div>
  );
}
