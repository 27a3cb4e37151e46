import { Button, Checkbox, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { QUEUE_NAMES } from '../../../core/queues.ts';
import { CHANNELS, GRADES, KINDS } from '../../../core/taxonomy.ts';
import { STATE_CODES } from '../../../core/workflow/index.ts';
import { useMe } from '../api/auth.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { ClassPicker } from './ClassPicker.tsx';
import { UnitPicker } from './UnitPicker.tsx';

const FLAGS = ['repeat', 'supervised', 'risk', 'outage'] as const;

type Params = Record<string, string | undefined>;

/** The filter bar of the work list; every filter lives in the URL query so a list can be bookmarked and shared. */
export function ListFilters({ params, set }: { params: Params; set: (patch: Params) => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  // A role that sees customers masked may not look orders up by phone (the server answers 403).
  const lookup = useMe().data?.customerAccess === 'full';
  const w = { width: 150 };
  return (
    <Space wrap size={[8, 8]} data-testid="list-filters">
      <Select
        aria-label={t('list.queue')}
        style={w}
        allowClear
        placeholder={t('list.queue')}
        value={params.queue}
        onChange={(v) => set({ queue: v })}
        options={QUEUE_NAMES.map((q) => ({ value: q, label: t(`queue.${q}`) }))}
        data-testid="filter-queue"
      />
      <Select
        aria-label={t('list.state')}
        style={w}
        allowClear
        placeholder={t('list.state')}
        value={params.state}
        onChange={(v) => set({ state: v })}
        options={STATE_CODES.map((s) => ({ value: s, label: l.state(s) }))}
      />
      <Select
        aria-label={t('list.kind')}
        style={{ width: 110 }}
        allowClear
        placeholder={t('list.kind')}
        value={params.kind}
        onChange={(v) => set({ kind: v })}
        options={[
          ...KINDS.map((k) => ({ value: k.code, label: l.of(k) })),
          // A drill-down of a figure over several kinds (complaints and reports) shows them by name.
          ...(params.kind?.includes(',')
            ? [
                {
                  value: params.kind,
                  label: params.kind
                    .split(',')
                    .map((c) => l.of(KINDS.find((k) => k.code === c) ?? { zh: c, en: c }))
                    .join('、'),
                },
              ]
            : []),
        ]}
      />
      <ClassPicker
        aria-label={t('list.class')}
        family="any"
        style={{ width: 200 }}
        value={params.class}
        onChange={(v) => set({ class: v })}
        placeholder={t('list.class')}
      />
      <Select
        aria-label={t('list.channel')}
        style={{ width: 170 }}
        allowClear
        placeholder={t('list.channel')}
        value={params.channel}
        onChange={(v) => set({ channel: v })}
        options={CHANNELS.map((c) => ({ value: c.code, label: l.of(c) }))}
      />
      <UnitPicker
        aria-label={t('list.unit')}
        kinds={['company', 'department', 'station']}
        style={{ width: 170 }}
        allowClear
        placeholder={t('list.unit')}
        value={params.unitId ? Number(params.unitId) : undefined}
        onChange={(v) => set({ unitId: v ? String(v) : undefined })}
      />
      <Select
        aria-label={t('list.grade')}
        style={{ width: 100 }}
        allowClear
        placeholder={t('list.grade')}
        value={params.grade}
        onChange={(v) => set({ grade: v })}
        options={GRADES.map((g) => ({ value: g.code, label: l.of(g) }))}
      />
      <Select
        aria-label={t('list.flags')}
        mode="multiple"
        style={{ minWidth: 130 }}
        allowClear
        placeholder={t('list.flags')}
        value={params.flag ? params.flag.split(',') : []}
        onChange={(v: string[]) => set({ flag: v.length ? v.join(',') : undefined })}
        options={FLAGS.map((f) => ({ value: f, label: t(`flag.${f}`) }))}
      />
      <Checkbox checked={params.overdue === 'true'} onChange={(e) => set({ overdue: e.target.checked ? 'true' : undefined })}>
        {t('list.overdueOnly')}
      </Checkbox>
      <Input.Search
        aria-label={t('list.searchText')}
        placeholder={t('list.searchText')}
        allowClear
        style={{ width: 230 }}
        defaultValue={params.q}
        onSearch={(v) => set({ q: v.trim() || undefined })}
        data-testid="filter-text"
      />
      <Input.Search
        aria-label={t('list.searchNumber')}
        placeholder={t('list.searchNumber')}
        allowClear
        style={{ width: 200 }}
        defaultValue={params.number}
        onSearch={(v) => set({ number: v.trim().toUpperCase() || undefined })}
        data-testid="filter-number"
      />
      {lookup && (
        <Input.Search
          aria-label={t('list.searchPhone')}
          placeholder={t('list.searchPhone')}
          allowClear
          style={{ width: 170 }}
          defaultValue={params.phone}
          onSearch={(v) => set({ phone: v.trim() || undefined })}
        />
      )}
      <Button onClick={() => set(Object.fromEntries(Object.keys(params).map((k) => [k, undefined])))}>{t('list.clearFilters')}</Button>
    </Space>
  );
}
