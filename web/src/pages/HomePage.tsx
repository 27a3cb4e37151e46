import { FileAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Skeleton, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ALERT_QUEUES, COUNTED_QUEUES, ROLE_QUEUES } from '../../../core/queues.ts';
import { hasPermission, useMe } from '../api/auth.ts';
import { useQueues } from '../api/tickets.ts';

const Cockpit = lazy(() => import('./cockpit/Cockpit.tsx').then((m) => ({ default: m.Cockpit })));

export default function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe().data;
  const canRead = hasPermission(me, 'ticket.read');
  const queues = useQueues(canRead);
  const mine = COUNTED_QUEUES.filter((q) => me?.roles.some((r) => ROLE_QUEUES[r]?.includes(q)));
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
          {/* A leader's home is the cockpit (领导驾驶舱); the work queues follow below it. */}
          {isLeader && hasPermission(me, 'stats.read') && (
            <Card style={{ marginBottom: 16 }}>
              <Suspense fallback={<Skeleton active />}>
                <Cockpit />
              </Suspense>
            </Card>
          )}
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
        </>
      )}
    </div>
  );
}
