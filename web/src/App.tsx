import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useMe } from './api/auth.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { PageSpin } from './components/PageSpin.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const HomePage = lazy(() => import('./pages/HomePage.tsx'));
const IntakePage = lazy(() => import('./pages/IntakePage.tsx'));
const TicketListPage = lazy(() => import('./pages/TicketListPage.tsx'));
const TicketDetailPage = lazy(() => import('./pages/TicketDetailPage.tsx'));
const SearchPage = lazy(() => import('./pages/SearchPage.tsx'));
const OutagesPage = lazy(() => import('./pages/outages/OutagesPage.tsx'));
const StatsPage = lazy(() => import('./pages/stats/StatsPage.tsx'));
const KpiPage = lazy(() => import('./pages/kpi/KpiPage.tsx'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage.tsx'));
const RectificationListPage = lazy(() => import('./pages/rectifications/RectificationListPage.tsx'));
const RectificationDetailPage = lazy(() => import('./pages/rectifications/RectificationDetailPage.tsx'));
const RaiseRectificationPage = lazy(() => import('./pages/rectifications/RaiseRectificationPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage.tsx'));

/** Pages behind the login: no session → the login page, remembering where the user wanted to go. */
function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSpin />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  // The server answers nothing else until a password set by an administrator is changed.
  if (me.data.mustChangePassword) return <ChangePasswordPage />;
  return <AppLayout me={me.data} />;
}

export function App() {
  return (
    <Suspense fallback={<PageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route index element={<HomePage />} />
          <Route path="intake" element={<IntakePage />} />
          <Route path="tickets" element={<TicketListPage />} />
          <Route path="tickets/:id" element={<TicketDetailPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="outages" element={<OutagesPage />} />
          <Route path="stats" element={<StatsPage />} />
          <Route path="kpis" element={<KpiPage />} />
          <Route path="rectifications" element={<RectificationListPage />} />
          <Route path="rectifications/new" element={<RaiseRectificationPage />} />
          <Route path="rectifications/:id" element={<RectificationDetailPage />} />
          <Route path="admin" element={<Navigate to="/admin/users" replace />} />
          <Route path="admin/:tab" element={<AdminPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
