import {
  AimOutlined,
  AuditOutlined,
  BarChartOutlined,
  FileAddOutlined,
  HomeOutlined,
  LogoutOutlined,
  SearchOutlined,
  SettingOutlined,
  ThunderboltOutlined,
  TranslationOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Layout, Menu, Space, Tooltip, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { hasPermission, useLogout } from '../api/auth.ts';
import type { Me } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { setLang } from '../i18n/index.ts';
import { CalendarBanner } from './CalendarBanner.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { PageSpin } from './PageSpin.tsx';

const { Header, Sider, Content } = Layout;

/** The frame of every page after login: side menu by permission, header with bell, language and user. */
export function AppLayout({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const canRead = hasPermission(me, 'ticket.read');
  const isAdmin = me.permissions.some((p) => p.startsWith('admin.'));
  const items = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('nav.home')}</Link> },
    ...(hasPermission(me, 'ticket.intake')
      ? [{ key: '/intake', icon: <FileAddOutlined />, label: <Link to="/intake">{t('nav.intake')}</Link> }]
      : []),
    ...(canRead ? [{ key: '/tickets', icon: <UnorderedListOutlined />, label: <Link to="/tickets">{t('nav.tickets')}</Link> }] : []),
    ...(canRead ? [{ key: '/search', icon: <SearchOutlined />, label: <Link to="/search">{t('common.search')}</Link> }] : []),
    ...(canRead || hasPermission(me, 'outage.manage')
      ? [
          {
            key: '/outages',
            icon: <ThunderboltOutlined />,
            label: <Link to="/outages">{i18n.language.startsWith('en') ? 'Outages' : '停电事件'}</Link>,
          },
        ]
      : []),
    ...(hasPermission(me, 'stats.read')
      ? [
          {
            key: '/stats',
            icon: <BarChartOutlined />,
            label: <Link to="/stats">{i18n.language.startsWith('en') ? 'Statistics' : '统计分析'}</Link>,
          },
        ]
      : []),
    ...(hasPermission(me, 'stats.read') ? [{ key: '/kpis', icon: <AimOutlined />, label: <Link to="/kpis">{t('kpi.nav')}</Link> }] : []),
    ...((['rectification.manage', 'rectification.respond'] as const).some((p) => hasPermission(me, p))
      ? [{ key: '/rectifications', icon: <AuditOutlined />, label: <Link to="/rectifications">{t('rect.title')}</Link> }]
      : []),
    ...(isAdmin ? [{ key: '/admin', icon: <SettingOutlined />, label: <Link to="/admin/users">{t('nav.admin')}</Link> }] : []),
  ];
  const selected = items.map((i) => i.key).filter((k) => (k === '/' ? location.pathname === '/' : location.pathname.startsWith(k)));
  const en = i18n.language.startsWith('en');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={208} breakpoint="lg" collapsedWidth={64}>
        <div className="gv-logo">
          <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#00706b" />
            <path d="M18 4 8 18h7l-2 10 11-15h-7z" fill="#fff" />
          </svg>
          <span>
            GridVoice
            <small>{t('app.title')}</small>
          </span>
        </div>
        <nav aria-label={t('app.title')}>
          <Menu theme="dark" mode="inline" selectedKeys={selected} items={items} />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #e8e8e8' }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.company')}
          </Typography.Text>
          <Space size="middle">
            {canRead && <NotificationBell />}
            <Tooltip title={t('common.language')}>
              <Button icon={<TranslationOutlined />} data-testid="lang-switch" onClick={() => void setLang(en ? 'zh-CN' : 'en')}>
                {t('nav.switchLang')}
              </Button>
            </Tooltip>
            <Dropdown
              menu={{
                items: [
                  { key: 'roles', label: me.roles.map((r) => l.role(r)).join(' / '), disabled: true },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
                ],
                onClick: ({ key }) => {
                  if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login') });
                },
              }}
            >
              <Button type="text" data-testid="user-menu" aria-label={me.displayName}>
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: '#00706b' }} />
                  {me.displayName}
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        {/* Layout.Content is the page's one <main> landmark. */}
        <Content className="gv-page">
          {location.pathname !== '/admin/calendar' && <CalendarBanner />}
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
