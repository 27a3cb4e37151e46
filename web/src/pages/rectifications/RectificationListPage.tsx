import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { RECTIFICATION_STATE_CODES } from '../../../../core/rectification.ts';
import { hasPermission, useMe } from '../../api/auth.ts';
import { type Rectification, useRectifications } from '../../api/rectifications.ts';
import { fmtDue, RectificationTags } from './RectificationTags.tsx';

const STATES = RECTIFICATION_STATE_CODES;

/** The rectification orders in the reader's scope (the centre's company, or the unit's own), by state. */
export default function RectificationListPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [search, setSearch] = useSearchParams();
  const state = search.get('state') ?? '';
  const list = useRectifications(state ? { state } : {});
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>
          {t('rect.title')}
        </Typography.Title>
      }
      extra={
        hasPermission(me, 'rectification.manage') ? (
          <Link to="/rectifications/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="rect-new">
              {t('rect.raise')}
            </Button>
          </Link>
        ) : null
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          aria-label={t('rect.filterState')}
          value={state}
          onChange={(v) => setSearch(v ? { state: String(v) } : {})}
          options={[{ value: '', label: t('common.all') }, ...STATES.map((s) => ({ value: s, label: t(`rect.states.${s}`) }))]}
        />
      </Space>
      <Table<Rectification>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('rect.empty') }}
        pagination={{ pageSize: 20, showTotal: (n) => t('rect.total', { n }) }}
        data-testid="rect-list"
        columns={[
          {
            title: t('rect.number'),
            dataIndex: 'number',
            render: (v: string, r) => (
              <Link to={`/rectifications/${r.id}`} data-testid="rect-link">
                {v}
              </Link>
            ),
          },
          { title: t('rect.unit'), dataIndex: 'unitName' },
          { title: t('rect.problem'), dataIndex: 'problem', ellipsis: true },
          { title: t('rect.dueAt'), dataIndex: 'dueAt', render: (v: string) => fmtDue(v) },
          { title: t('rect.state'), dataIndex: 'state', render: (_: string, r) => <RectificationTags r={r} /> },
        ]}
      />
    </Card>
  );
}
