import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setUnauthorizedHandler } from '../shared/api/client.ts';
import type { Role, SessionUser } from '../shared/api/types.ts';
import { refreshSession, useSession, useSessionState } from '../shared/auth/session.ts';
import { Link, matchPath, navigate, usePath } from '../shared/router/hash-router.tsx';
import { AccountPage } from '../features/account/components/AccountPage.tsx';
import { BlockTradesPage } from '../features/blocks/components/BlockTradesPage.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { ChangePasswordPage } from '../features/auth/components/ChangePasswordPage.tsx';
import { SetupPage } from '../features/setup/components/SetupPage.tsx';
import { usePlatformInfo } from '../shared/api/platform.ts';
import { ListingBoard } from '../features/listing/components/ListingBoard.tsx';
import { ListingScreen } from '../features/listing/components/ListingScreen.tsx';
import { DemandBoard } from '../features/demand-listing/components/DemandBoard.tsx';
import { DemandScreen } from '../features/demand-listing/components/DemandScreen.tsx';
import { ObjectionDesk } from '../features/listing/components/ObjectionDesk.tsx';
import { PublicNotice } from '../features/market/components/PublicNotice.tsx';
import { MarketOverview } from '../features/market/components/MarketOverview.tsx';
import { PublicHistory } from '../features/market/components/PublicHistory.tsx';
import { PublicLanding } from '../features/market/components/PublicLanding.tsx';
import { OperatorConsole } from '../features/operator/components/OperatorConsole.tsx';
import { RegulatorDashboard } from '../features/regulator/components/RegulatorDashboard.tsx';
import { LotControlsPanel } from '../features/lot-controls/components/LotControlsPanel.tsx';
import { AppShell } from './layout/AppShell.tsx';
import { LotSubmissionPage } from '../features/lot-submissions/components/LotSubmissionPage.tsx';
import { SubmissionQueue } from '../features/lot-submissions/components/SubmissionQueue.tsx';
import { InstrumentRoute } from './routes/InstrumentRoute.tsx';
import { ListOnBehalf } from './routes/ListOnBehalf.tsx';
import { SellerRoute } from './routes/SellerRoute.tsx';
import { Loading } from '../shared/components/Loading.tsx';

// Reports load on demand: their charting library is needed by regulators only.
const ReportsPage = lazy(async () => ({ default: (await import('../features/reports/components/ReportsPage.tsx')).ReportsPage }));

export function homeFor(user: SessionUser | undefined): string {
  if (user?.role === 'regulator') return '/regulator';
  if (user?.role === 'operator') return '/operator';
  return '/';
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const session = useSession();
  if (!session) return <Redirect to="/login" />;
  if (session.user.role !== role) return <Redirect to={homeFor(session.user)} />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1 className="page__title">{t('app.notFound')}</h1>
      <Link to="/">{t('app.backHome')}</Link>
    </div>
  );
}

export function AppRouter() {
  const path = usePath();
  const session = useSession();
  const queryClient = useQueryClient();
  const platform = usePlatformInfo();
  const sessionState = useSessionState();

  // The access token lives in memory only: a fresh page asks the refresh cookie for it.
  useEffect(() => {
    void refreshSession();
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.clear();
      navigate('/login');
    });
  }, [queryClient]);

  // A production platform without an operator has one screen: the first operator's setup.
  const needsSetup = platform.data?.needsSetup === true;
  if (path === '/setup') {
    if (platform.data && !needsSetup) return <Redirect to={session ? homeFor(session.user) : '/login'} />;
    return (
      <AppShell>
        <SetupPage onSignedIn={(user) => navigate(homeFor(user))} />
      </AppShell>
    );
  }
  if (needsSetup) return <Redirect to="/setup" />;
  if (sessionState === 'restoring') return <AppShell><Loading /></AppShell>;
  // A reset password: the one screen until a new one is chosen.
  if (session?.user.mustChangePassword) return <AppShell><ChangePasswordPage forced onChanged={() => navigate(homeFor(session.user))} /></AppShell>;

  if (path === '/login') {
    if (session) return <Redirect to={homeFor(session.user)} />;
    return (
      <AppShell>
        <LoginPage onSignedIn={(user) => navigate(homeFor(user))} />
      </AppShell>
    );
  }
  // Published market data is for anyone; everything else is for admitted users.
  const history = matchPath('/market/:symbol', path);
  if (history) return <AppShell><PublicHistory key={history.symbol} symbol={history.symbol!} /></AppShell>;
  const notice = matchPath('/notice/:id', path);
  if (notice) return <AppShell><PublicNotice key={notice.id} id={notice.id!} /></AppShell>;
  if (!session) return path === '/' ? <AppShell><PublicLanding /></AppShell> : <Redirect to="/login" />;

  const instrument = matchPath('/instruments/:symbol', path);
  const listing = matchPath('/listings/:id', path);
  const demand = matchPath('/demand/:id', path);
  let page: ReactNode;
  if (path === '/') page = <MarketOverview />;
  else if (instrument) page = <InstrumentRoute key={instrument.symbol} symbol={instrument.symbol!} />;
  else if (path === '/listings') page = <ListingBoard />;
  else if (listing) page = <ListingScreen key={listing.id} id={listing.id!} />;
  else if (path === '/demand') page = <DemandBoard />;
  else if (demand) page = <DemandScreen key={demand.id} id={demand.id!} />;
  else if (path === '/blocks') page = <BlockTradesPage />;
  else if (path === '/password') page = <ChangePasswordPage forced={false} onChanged={() => {}} />;
  else if (path === '/account') page = <RequireRole role="participant"><AccountPage /></RequireRole>;
  else if (path === '/seller') page = <RequireRole role="participant"><SellerRoute /></RequireRole>;
  else if (path === '/lot-submissions') page = <RequireRole role="participant"><LotSubmissionPage /></RequireRole>;
  else if (path === '/operator/lot-review') page = <RequireRole role="operator"><SubmissionQueue key="review" queue="review" /></RequireRole>;
  else if (path === '/operator/lot-approval') page = <RequireRole role="operator"><SubmissionQueue key="approval" queue="approval" /></RequireRole>;
  else if (path === '/regulator') page = <RequireRole role="regulator"><RegulatorDashboard lotControls={<LotControlsPanel canRevoke={false} />} /></RequireRole>;
  else if (path === '/regulator/reports') page = <RequireRole role="regulator"><Suspense fallback={<Loading />}><ReportsPage /></Suspense></RequireRole>;
  else if (path === '/operator/objections') page = <RequireRole role="operator"><ObjectionDesk /></RequireRole>;
  else if (path === '/operator') page = <RequireRole role="operator"><OperatorConsole listOnBehalf={<ListOnBehalf />} lotControls={<LotControlsPanel canRevoke />} /></RequireRole>;
  else page = <NotFound />;

  return <AppShell>{page}</AppShell>;
}
