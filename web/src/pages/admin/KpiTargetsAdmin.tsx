import { App, Button, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth.ts';
import { fmtKpi, type TargetItem, useKpiTargets, useSetTarget, useTargetHistory } from '../../api/kpi.ts';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { errorText } from '../../lib/errors.ts';
import { fmtTime } from '../../lib/time.ts';

/** One KPI's row: the target in force, a new value (rates in percent) with its reason, save and remove. */
function TargetRow({ item, unitId }: { item: TargetItem; unitId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const set = useSetTarget();
  const percent = item.unit === 'percent';
  const [value, setValue] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const save = (target: number | null) =>
    set.mutateAsync({ kpi: item.code, orgUnitId: unitId, target, note }).then(
      () => {
        setValue(null);
        setNote('');
        message.success(t('admin.saved'));
      },
      (e) => message.error(errorText(e, t)),
    );
  return (
    <Space wrap data-testid={`target-edit-${item.code}`}>
      <InputNumber<number>
        value={value}
        onChange={setValue}
        min={0}
        max={percent ? 100 : undefined}
        step={percent ? 0.5 : 0.1}
        suffix={percent ? '%' : undefined}
        style={{ width: 120 }}
        aria-label={`${item.zh} ${t('targets.newValue')}`}
        data-testid="target-value"
      />
      <Input
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={200}
        placeholder={t('targets.note')}
        aria-label={`${item.zh} ${t('targets.note')}`}
        style={{ width: 180 }}
        data-testid="target-note"
      />
      <Button
        type="primary"
        disabled={value === null}
        loading={set.isPending}
        onClick={() => value !== null && save(percent ? Math.round(value * 100) / 10_000 : value)}
        data-testid="target-save"
      >
        {t('targets.set')}
      </Button>
      {item.own ? (
        <Popconfirm title={t('targets.removeConfirm')} onConfirm={() => save(null)}>
          <Button danger>{t('targets.remove')}</Button>
        </Popconfirm>
      ) : null}
    </Space>
  );
}

/** KPI targets per unit (admin): a unit without its own target takes its parent's; every change is listed below. */
export function KpiTargetsAdmin() {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const me = useMe().data;
  const [unitId, setUnitId] = useState<number | undefined>(undefined);
  const targets = useKpiTargets(unitId);
  const history = useTargetHistory();
  const current = targets.data?.unit.id ?? unitId ?? me?.companyId ?? 0;
  const fmt = (v: number | null, unit: TargetItem['unit']) => (v === null ? t('targets.none') : fmtKpi(v, unit));
  const unitOf = (code: string): TargetItem['unit'] => targets.data?.items.find((i) => i.code === code)?.unit ?? 'hours';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Typography.Paragraph type="secondary">{t('targets.intro')}</Typography.Paragraph>
      <Space>
        <span>{t('targets.unit')}</span>
        <UnitPicker
          kinds={['company', 'department', 'station']}
          value={current || undefined}
          onChange={(v) => setUnitId(v)}
          style={{ width: 240 }}
          aria-label={t('targets.unit')}
          data-testid="targets-unit"
        />
      </Space>
      <Table
        size="small"
        rowKey="code"
        loading={targets.isPending}
        dataSource={targets.data?.items ?? []}
        pagination={false}
        onRow={(k) => ({ 'data-kpi': k.code }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('kpi.indicator'),
            key: 'name',
            width: 280,
            render: (_, k: TargetItem) => (
              <div>
                <Typography.Text strong>{en ? k.en : k.zh}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`kpi.${k.better}`)} · {en ? k.definition.en : k.definition.zh}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t('targets.current'),
            key: 'current',
            onCell: () => ({ 'data-col': 'current' }) as React.TdHTMLAttributes<HTMLTableCellElement>,
            render: (_, k: TargetItem) =>
              k.target === null ? (
                '—'
              ) : (
                <Space>
                  <Typography.Text strong>{fmtKpi(k.target, k.unit)}</Typography.Text>
                  {k.own ? <Tag color="blue">{t('targets.own')}</Tag> : <Tag>{t('targets.inherited', { unit: k.from?.name ?? '' })}</Tag>}
                </Space>
              ),
          },
          {
            title: t('targets.newValue'),
            key: 'edit',
            render: (_, k: TargetItem) => (current ? <TargetRow key={`${current}-${k.code}`} item={k} unitId={current} /> : null),
          },
        ]}
      />
      <Typography.Title level={5}>{t('targets.history')}</Typography.Title>
      <Table
        size="small"
        rowKey="id"
        loading={history.isPending}
        dataSource={history.data ?? []}
        pagination={{ pageSize: 20 }}
        data-testid="target-history"
        columns={[
          { title: t('targets.changedAt'), dataIndex: 'changedAt', render: (v: string) => fmtTime(v) },
          { title: t('targets.changedBy'), dataIndex: 'changedBy' },
          { title: t('targets.unit'), key: 'unit', render: (_, r) => r.unit.name },
          { title: t('kpi.indicator'), dataIndex: 'kpiName' },
          { title: t('targets.oldValue'), key: 'old', render: (_, r) => fmt(r.oldTarget, unitOf(r.kpi)) },
          { title: t('targets.newTarget'), key: 'new', render: (_, r) => fmt(r.newTarget, unitOf(r.kpi)) },
          { title: t('targets.note'), dataIndex: 'note' },
        ]}
      />
    </Space>
  );
}
