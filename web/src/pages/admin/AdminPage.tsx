import { Card, Result, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Permission } from '../../../../core/permissions.ts';
import { hasPermission, useMe } from '../../api/auth.ts';
import { CalendarAdmin } from './CalendarAdmin.tsx';
import { KpiTargetsAdmin } from './KpiTargetsAdmin.tsx';
import { OrgUnitsAdmin } from './OrgUnitsAdmin.tsx';
import { PoliciesAdmin } from './PoliciesAdmin.tsx';
import { ScriptsAdmin } from './ScriptsAdmin.tsx';
import { SynonymsAdmin } from './SynonymsAdmin.tsx';
import { TaxonomyAdmin } from './TaxonomyAdmin.tsx';
import { TokensAdmin } from './TokensAdmin.tsx';
import { UsersAdmin } from './UsersAdmin.tsx';

const TABS: Array<{ key: string; perm: Permission; label: string; Comp: () => React.JSX.Element }> = [
  { key: 'users', perm: 'admin.users', label: 'admin.users', Comp: UsersAdmin },
  { key: 'org', perm: 'admin.org', label: 'admin.org', Comp: OrgUnitsAdmin },
  { key: 'taxonomy', perm: 'admin.taxonomy', label: 'admin.taxonomy', Comp: TaxonomyAdmin },
  { key: 'scripts', perm: 'admin.taxonomy', label: 'admin.scripts', Comp: ScriptsAdmin },
  { key: 'synonyms', perm: 'admin.taxonomy', label: 'admin.synonyms', Comp: SynonymsAdmin },
  { key: 'policies', perm: 'admin.policies', label: 'admin.policies', Comp: PoliciesAdmin },
  { key: 'calendar', perm: 'admin.calendar', label: 'admin.calendar', Comp: CalendarAdmin },
  { key: 'targets', perm: 'admin.kpi', label: 'targets.tab', Comp: KpiTargetsAdmin },
  { key: 'tokens', perm: 'admin.tokens', label: 'admin.tokens', Comp: TokensAdmin },
];

/** System administration: one tab per resource, the tab in the URL (/admin/users …). */
export default function AdminPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const navigate = useNavigate();
  const tab = useParams().tab ?? 'users';
  const tabs = TABS.filter((x) => hasPermission(me, x.perm));
  if (tabs.length === 0) return <Result status="403" title={t('notFound.forbidden')} />;
  return (
    <Card title={t('admin.title')}>
      <Tabs
        activeKey={tabs.some((x) => x.key === tab) ? tab : tabs[0]?.key}
        onChange={(k) => navigate(`/admin/${k}`)}
        destroyOnHidden
        items={tabs.map(({ key, label, Comp }) => ({ key, label: t(label), children: <Comp /> }))}
      />
    </Card>
  );
}
