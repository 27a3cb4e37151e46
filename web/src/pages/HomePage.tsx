import { FileAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Skeleton, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Role } from '../../../core/taxonomy.ts';
import { hasPermission, useMe } from '../api/auth.ts';
import { useQueues } from '../api/tickets.ts';
import type { QueueCode } from '../api/types.ts';
import { ALL_QUEUES } from '../lib/queues.ts';

const QueueChart = lazy(() => import('../components/QueueChart.tsx'));

/** The queues each role works; a user sees the union over their roles. */
const ROLE_QUEUES: Record<Role, readonly QueueCode[]> = {
  agent: ['to_dispatch', 'to_revisit', 'warned', 'overdue', 'supervised'],
  handler: ['to_sign', 'in_progress', 'warned', 'overdue', 'supervised'],
  unit_lead: ['to_sign', 'in_progress', 'to_review', 'warned', 'overdue', 'supervised'],
  reviewer: ['to_review', 'warned', 'overdue'],
  leader: ALL_QUEUES,
  discipline: ALL_QUEUES,
  analyst: ALL_QUEUES,
  admin: [],
};

const ALERT_QUEUES = new Set<QueueCode>(['warned', 'overdue', 'supervised']);

export default function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe().data;
  const canRead = hasPermission(me, 'ticket.read');
  const queues = useQueues(canRead);
  const mine = ALL_QUEUES.filter((q) => me?.roles.some((r) => ROLE_QUEUES[r]?.includes(q)));
  const isLeader = me?.roles.includes('leader') ?? false;

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('home.greeting', { name: me?.displayName ?? '' })}
        </Typography.Title>
        {hasPermission(me, 'ticket.intake') && (
          <Link to="/intake">
            <Button type="primary" size="large" icon={<FileAddOutlined />} data-testid="home-intake">
              {t('home.quickIntake')}
            </Button>
          </Link>
        )}
      </div>
      {!canRead ? (
        <Alert type="info" showIcon title={t('home.adminHint')} />
      ) : (
        <>
          <Typography.Title level={5}>{t('home.queues')}</Typography.Title>
          {mine.length === 0 && <Alert type="info" title={t('home.noQueues')} />}
          <Row gutter={[16, 16]}>
            {mine.map((q) => {
              const n = queues.data?.[q];
              const alert = ALERT_QUEUES.has(q) && (n ?? 0) > 0;
              return (
                <Col key={q} xs={12} sm={8} md={6} xl={4}>
                  <Card
                    className="gv-queue-card"
                    hoverable
                    role="link"
                    tabIndex={0}
                    aria-label={`${t(`queue.${q}`)} ${n ?? ''}`}
                    data-testid={`queue-${q}`}
                    onClick={() => navigate(`/tickets?queue=${q}`)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') navigate(`/tickets?queue=${q}`);
                    }}
                  >
                    <Typography.Text type="secondary">{t(`queue.${q}`)}</Typography.Text>
                    <div className="gv-big-number" style={alert ? { color: q === 'warned' ? '#7a3300' : '#a8071a' } : undefined}>
                      {queues.isPending ? <Skeleton.Button active size="small" /> : (n ?? 0)}
                    </div>
                  </Card>
                </Col>
              );
            })}
          </Row>
          {isLeader && queues.data && (
            <Card title={t('home.overview')} style={{ marginTop: 16 }}>
              <Suspense fallback={<Skeleton active />}>
                <QueueChart counts={queues.data} />
              </Suspense>
            </Card>
          )}
        </>
      )}
    </div>
  );
}
