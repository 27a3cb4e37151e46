import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type BoardItem, drillLink, fmtKpi, kpiBoardDownloadUrl, useKpiBoard } from '../../api/kpi.ts';
import { PageSpin } from '../../components/PageSpin.tsx';
import { PeriodPicker, periodFromSearch, withPeriod } from '../../components/PeriodPicker.tsx';
import { TargetTag } from '../../components/TargetTag.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { errorText } from '../../lib/errors.ts';

/**
 * The KPI page (考核指标) for analysts and leaders: every KPI of a period and unit with its definition, its
 * formula and the counts in it, the previous period, the target an administrator set, and an Excel export.
 */
export default function KpiPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const [search, setSearch] = useSearchParams();
  const period = periodFromSearch(search);
  const orgId = search.get('orgId') ?? undefined;
  const params = useMemo(() => ({ ...period, orgId }), [JSON.stringify(period), orgId]);
  const board = useKpiBoard(params);
  const b = board.data;
  const setOrg = (v: number | undefined) => {
    const next = new URLSearchParams(search);
    if (v) next.set('orgId', String(v));
    else next.delete('orgId');
    setSearch(next);
  };
  const columns = [
    {
      title: t('kpi.indicator'),
      key: 'name',
      width: 260,
      render: (_: unknown, k: BoardItem) => (
        <div>
          <Typography.Text strong>{en ? k.en : k.zh}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {en ? k.definition.en : k.definition.zh}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t('kpi.value'),
      key: 'value',
      onCell: () => ({ 'data-col': 'value' }) as React.TdHTMLAttributes<HTMLTableCellElement>,
      render: (_: unknown, k: BoardItem) =>
        k.code === 'count' && b && (k.value ?? 0) > 0 ? (
          <Link to={drillLink(b.drill)} data-testid="kpi-drill">
            {fmtKpi(k.value, k.unit)}
          </Link>
        ) : (
          <Typography.Text strong>{fmtKpi(k.value, k.unit)}</Typography.Text>
        ),
    },
    {
      title: t('kpi.formula'),
      key: 'formula',
      render: (_: unknown, k: BoardItem) => (
        <div>
          <div>{en ? k.formula.en : k.formula.zh}</div>
          {k.formula.num && k.formula.den ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {k.code === 'avg_handling_hours'
                ? `${(k.formula.num.value / 3600).toFixed(1)} h ÷ ${k.formula.den.value}`
                : `${k.formula.num.value} ÷ ${k.formula.den.value}${k.unit === 'per10k' ? ' × 10000' : ''}`}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      title: b ? `${t('kpi.previous')}（${b.previous.name}）` : t('kpi.previous'),
      key: 'prev',
      render: (_: unknown, k: BoardItem) => fmtKpi(k.previous, k.unit),
    },
    {
      title: t('kpi.target'),
      key: 'target',
      onCell: () => ({ 'data-col': 'target' }) as React.TdHTMLAttributes<HTMLTableCellElement>,
      render: (_: unknown, k: BoardItem) =>
        k.target === null ? (
          '—'
        ) : (
          <span title={k.targetFrom ? t('kpi.targetFrom', { unit: k.targetFrom.name }) : undefined}>{fmtKpi(k.target, k.unit)}</span>
        ),
    },
    {
      title: t('kpi.met'),
      key: 'met',
      onCell: () => ({ 'data-col': 'met' }) as React.TdHTMLAttributes<HTMLTableCellElement>,
      render: (_: unknown, k: BoardItem) => (k.target === null || k.met !== null ? <TargetTag met={k.met} /> : '—'),
    },
    { title: t('kpi.better'), key: 'better', render: (_: unknown, k: BoardItem) => (k.code === 'count' ? '—' : t(`kpi.${k.better}`)) },
  ];
  return (
    <Card title={t('kpi.title')}>
      <Typography.Paragraph type="secondary">{t('kpi.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <PeriodPicker value={period} onChange={(v) => setSearch(withPeriod(search, v))} />
        <UnitPicker
          kinds={['company', 'department', 'station']}
          allowClear
          value={orgId ? Number(orgId) : undefined}
          onChange={(v) => setOrg(v)}
          placeholder={t('period.unitAll')}
          style={{ width: 220 }}
          aria-label={t('period.unit')}
          data-testid="kpi-unit"
        />
        <Button href={kpiBoardDownloadUrl(params)} data-testid="kpi-export">
          {t('kpi.export')}
        </Button>
      </Space>
      {board.error ? <Alert type="error" title={errorText(board.error, t)} data-testid="kpi-error" /> : null}
      {b ? (
        <div data-testid="kpi-board" data-state={board.isFetching ? 'loading' : 'ready'} data-range={b.range.name}>
          <Typography.Paragraph>
            {b.unit.name} · {b.range.name}
            {b.unit.customers > 0 ? ` · ${t('kpi.customers')} ${b.unit.customers}` : ''}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="code"
            columns={columns}
            dataSource={b.items}
            pagination={false}
            scroll={{ x: true }}
            onRow={(k) => ({ 'data-kpi': k.code }) as React.HTMLAttributes<HTMLElement>}
          />
        </div>
      ) : (
        !board.error && <PageSpin />
      )}
    </Card>
  );
}
