import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { Alert, Card, Col, List, Row, Select, Skeleton, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Cockpit as CockpitData, type Drill, drillLink, fmtKpi, useCockpit } from '../../api/kpi.ts';
import { TargetTag } from '../../components/TargetTag.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { errorText } from '../../lib/errors.ts';
import { ZONE } from '../../lib/time.ts';

const TrendChart = lazy(() => import('./TrendChart.tsx'));

/** A figure that links to the orders behind it (plain text when there are none). */
function Figure({ n, drill, testId, big }: { n: number; drill: Drill | null; testId: string; big?: boolean }) {
  // Underlined: a link must not differ from the text around it by colour alone.
  const style = big ? { fontSize: 28, fontWeight: 600 } : { textDecoration: 'underline' };
  if (n > 0 && drill)
    return (
      <Link to={drillLink(drill)} data-testid={testId} data-n={n} style={style}>
        {n}
      </Link>
    );
  return (
    <span data-testid={testId} data-n={n} style={style}>
      {n}
    </span>
  );
}

/** A KPI card: the figure, the change from last month (arrow green when it moved the good way), the target. */
function KpiCard({ k, prevName }: { k: CockpitData['kpis'][number]; prevName: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const delta = k.value !== null && k.previous !== null ? k.value - k.previous : null;
  const dir = delta === null ? null : Math.abs(delta) < 1e-9 ? 'flat' : delta > 0 ? 'up' : 'down';
  const good = dir === null || dir === 'flat' ? null : (dir === 'up') === (k.better === 'higher');
  const color = good === null ? '#595959' : good ? '#237804' : '#a8071a';
  const Icon = dir === 'up' ? ArrowUpOutlined : dir === 'down' ? ArrowDownOutlined : MinusOutlined;
  return (
    <Card size="small" data-testid={`cockpit-kpi-${k.code}`} title={en ? k.en : k.zh}>
      <Link to={drillLink(k.drill)} style={{ fontSize: 26, fontWeight: 600 }} aria-label={`${en ? k.en : k.zh} ${fmtKpi(k.value, k.unit)}`}>
        {fmtKpi(k.value, k.unit)}
      </Link>
      {/* The change from last month only when both months have a figure; green when it moved the good way. */}
      <div style={{ color }} data-testid="kpi-trend" data-dir={dir ?? 'none'}>
        {dir ? (
          <>
            <Icon aria-hidden /> {t('cockpit.vsPrevious')} {t(`cockpit.${dir}`)}
            {dir !== 'flat' && delta !== null ? ` ${fmtKpi(Math.abs(delta), k.unit)}` : ''}
          </>
        ) : null}
        <Typography.Text type="secondary" style={{ marginLeft: dir ? 4 : 0, fontSize: 12 }}>
          {prevName} {fmtKpi(k.previous, k.unit)}
        </Typography.Text>
      </div>
      <Space size={4} style={{ marginTop: 4 }}>
        {k.target === null ? (
          <TargetTag met={null} />
        ) : (
          <>
            <Typography.Text type="secondary">{t('cockpit.target', { v: fmtKpi(k.target, k.unit) })}</Typography.Text>
            {k.met !== null ? <TargetTag met={k.met} /> : null}
          </>
        )}
      </Space>
    </Card>
  );
}

/**
 * The leader cockpit (领导驾驶舱): a month's key KPIs against their targets with the change from last month, a
 * 12-month trend, complaints by unit, hot complaint classes, regulator-forwarded, high-risk and overdue orders.
 * Every figure links to the order list that holds exactly its orders.
 */
export function Cockpit() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => dayjs().tz(ZONE).format('YYYY-MM'));
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  // The last three years of months, newest first (a select keeps the calendar widget off the leader's first screen).
  const months = useMemo(() => {
    const now = dayjs().tz(ZONE).startOf('month');
    return Array.from({ length: 36 }, (_, i) => {
      const m = now.subtract(i, 'month');
      return { value: m.format('YYYY-MM'), label: m.format('YYYY-MM') };
    });
  }, []);
  const q = useCockpit(month, orgId);
  const c = q.data;
  return (
    <div data-testid="cockpit" data-state={q.isFetching ? 'loading' : 'ready'} data-month={c?.month}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cockpit.title')}
        </Typography.Title>
        <Select
          value={month}
          onChange={setMonth}
          options={months}
          style={{ width: 130 }}
          aria-label={t('cockpit.month')}
          data-testid="cockpit-month"
        />
        <UnitPicker
          kinds={['company', 'department', 'station']}
          allowClear
          value={orgId}
          onChange={(v) => setOrgId(v)}
          placeholder={t('period.unitAll')}
          style={{ width: 200 }}
          aria-label={t('period.unit')}
        />
        <Link to={`/kpis?period=${month}${orgId ? `&orgId=${orgId}` : ''}`}>{t('cockpit.allKpis')}</Link>
        <Typography.Text type="secondary">{t('cockpit.drillHint')}</Typography.Text>
      </Space>
      {q.error ? <Alert type="error" title={errorText(q.error, t)} /> : null}
      {!c ? (
        q.error ? null : (
          <Skeleton active />
        )
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Row gutter={[12, 12]}>
            {c.kpis.map((k) => (
              <Col key={k.code} xs={12} md={8} xl={4}>
                <KpiCard k={k} prevName={c.previous.name} />
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={6}>
              <Card size="small" title={t('cockpit.orders')}>
                <Figure n={c.orders.n} drill={c.orders.drill} testId="cockpit-orders" big />
              </Card>
            </Col>
            {c.regulator.map((r) => (
              <Col key={r.channel} xs={12} md={6}>
                <Card size="small" title={r.name}>
                  <Figure n={r.n} drill={r.drill} testId={`cockpit-regulator-${r.channel}`} big />
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {t('cockpit.regulator')}
                  </Typography.Text>
                </Card>
              </Col>
            ))}
            <Col xs={12} md={6}>
              <Card size="small" title={t('cockpit.highRisk')}>
                <Figure n={c.highRisk.n} drill={c.highRisk.drill} testId="cockpit-high-risk" big />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('cockpit.trend')}>
            <Suspense fallback={<Skeleton active />}>
              <TrendChart cockpit={c} label={t('cockpit.orders')} />
            </Suspense>
            <Space wrap size={[12, 4]}>
              {c.trend.map((x) => (
                <span key={x.month}>
                  <Typography.Text type="secondary">{x.month}</Typography.Text> <Figure n={x.n} drill={x.drill} testId="cockpit-trend-n" />
                </span>
              ))}
            </Space>
          </Card>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('cockpit.units')}>
                {/* A plain table: the leader's first screen stays light (no grid component for five columns). */}
                {c.units.length === 0 ? (
                  <Typography.Text type="secondary">{t('cockpit.none')}</Typography.Text>
                ) : (
                  <table className="gv-plain-table" data-testid="cockpit-units">
                    <thead>
                      <tr>
                        <th scope="col">{t('cockpit.rank')}</th>
                        <th scope="col">{t('cockpit.unit')}</th>
                        <th scope="col">{t('cockpit.complaints')}</th>
                        <th scope="col">{t('cockpit.per10k')}</th>
                        <th scope="col">{t('cockpit.satisfaction')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.units.map((r, i) => (
                        <tr key={r.unit.id}>
                          <td>{i + 1}</td>
                          <td>{r.unit.name}</td>
                          <td>
                            <Figure n={r.n} drill={r.drill} testId="cockpit-unit-n" />
                          </td>
                          <td>{fmtKpi(r.complaintsPer10k, 'per10k')}</td>
                          <td>{fmtKpi(r.satisfactionRate, 'percent')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Card>
            </Col>
            <Col xs={24} md={12} xl={7}>
              <Card size="small" title={t('cockpit.hotCauses')}>
                <List
                  size="small"
                  dataSource={c.hotCauses}
                  locale={{ emptyText: <Typography.Text type="secondary">{t('cockpit.none')}</Typography.Text> }}
                  data-testid="cockpit-causes"
                  renderItem={(x, i) => (
                    <List.Item extra={<Figure n={x.n} drill={x.drill} testId="cockpit-cause-n" />}>
                      {i + 1}. {x.name}
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} md={12} xl={7}>
              <Card
                size="small"
                title={t('cockpit.overdueByUnit')}
                extra={<Figure n={c.overdue.n} drill={c.overdue.drill} testId="cockpit-overdue" />}
              >
                <List
                  size="small"
                  dataSource={c.overdue.byUnit}
                  locale={{ emptyText: <Typography.Text type="secondary">{t('cockpit.none')}</Typography.Text> }}
                  data-testid="cockpit-overdue-units"
                  renderItem={(x) => (
                    <List.Item extra={<Figure n={x.n} drill={x.drill} testId="cockpit-overdue-n" />}>{x.unit.name}</List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </Space>
      )}
    </div>
  );
}
