import { Alert, Button, Card, Checkbox, Popover, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isOpen } from '../../../core/workflow/index.ts';
import { hasPermission, useMe } from '../api/auth.ts';
import { type ListParams, useTicketList } from '../api/tickets.ts';
import type { Ticket } from '../api/types.ts';
import { BulkDispatch } from '../components/BulkDispatch.tsx';
import { DeadlineTag } from '../components/DeadlineTag.tsx';
import { ListFilters } from '../components/ListFilters.tsx';
import { FlagTags, GradeTag, KindTag, StateTag } from '../components/Tags.tsx';
import { useLabels } from '../hooks/useLabels.ts';
import { errorText } from '../lib/errors.ts';
import { fmtTime } from '../lib/time.ts';

const FILTER_KEYS = [
  'queue',
  'state',
  'kind',
  'class',
  'channel',
  'unitId',
  'grade',
  'flag',
  'overdue',
  'number',
  'phone',
  'q',
  'sort',
  'limit',
  // Statistics drill-down (GET /api/v1/stats … drill).
  'createdFrom',
  'createdTo',
  'verification',
  'rootCause',
  'area',
  'ownUnit',
] as const;
const PAGE_SIZES = ['20', '50', '100'];

const HIDDEN_COLUMNS_KEY = 'gv.list.hiddenColumns';
const FIXED_COLUMNS = ['number', 'due'];

/** The columns this browser's user hid (remembered in localStorage). */
function readHidden(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(HIDDEN_COLUMNS_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export default function TicketListPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const me = useMe().data;
  const [search, setSearch] = useSearchParams();
  const params: ListParams = useMemo(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, search.get(k) ?? undefined])), [search]);
  const cursor = search.get('cursor') ?? undefined;
  // Earlier cursors of this filter, for "previous page" (server paging is by cursor only).
  const [history, setHistory] = useState<string[]>([]);
  const [selected, setSelected] = useState<Ticket[]>([]);
  const query = useTicketList({ ...params, limit: params.limit ?? '20', cursor });
  const canDispatch = hasPermission(me, 'ticket.dispatch');
  // "ready" only once the rows of this URL's query have arrived (not the previous filter's, kept while loading),
  // so that what reads the table — a person or a browser test — never takes the old rows for the new list.
  const listState = query.isError ? 'error' : query.isFetching || query.isPlaceholderData || !query.data ? 'loading' : 'ready';

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    next.delete('cursor');
    setHistory([]);
    setSelected([]);
    setSearch(next);
  };
  const goCursor = (c: string | undefined, back: boolean) => {
    const next = new URLSearchParams(search);
    if (c) next.set('cursor', c);
    else next.delete('cursor');
    setHistory((h) => (back ? h.slice(0, -1) : [...h, cursor ?? '']));
    setSelected([]);
    setSearch(next);
  };

  const [hidden, setHidden] = useState<string[]>(readHidden);
  const saveHidden = (keys: string[]) => {
    setHidden(keys);
    localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify(keys));
  };
  const sort = params.sort === 'created' ? 'created' : 'due';
  const columns: ColumnsType<Ticket> = [
    {
      title: t('list.number'),
      dataIndex: 'number',
      width: 170,
      render: (n: string, r) => (
        <Link to={`/tickets/${r.id}`} className="gv-number" data-testid="ticket-link">
          {n}
        </Link>
      ),
    },
    { title: t('list.kind'), dataIndex: 'kind', width: 80, render: (k: string) => <KindTag kind={k} /> },
    // The deadline comes right after the number: it is what a work list is worked by, and stays on screen at 1366 px.
    {
      title: t('list.deadline'),
      key: 'due',
      width: 150,
      sorter: true,
      sortOrder: sort === 'due' ? 'ascend' : null,
      render: (_, r) =>
        isOpen(r.state) ? (
          <DeadlineTag dueAt={r.nextDueAt} warned={r.warned} overdue={r.overdue} />
        ) : r.overdue ? (
          <Tag color="error">{t('deadline.closedLate')}</Tag>
        ) : (
          <span>—</span>
        ),
    },
    { title: t('list.class'), dataIndex: 'classCode', width: 150, ellipsis: true, render: (c: string | null) => l.cls(c) },
    { title: t('list.subject'), dataIndex: 'subject', width: 260, ellipsis: { showTitle: true } },
    { title: t('list.state'), dataIndex: 'state', width: 90, render: (s: Ticket['state']) => <StateTag state={s} /> },
    { title: t('list.unit'), dataIndex: 'unitName', width: 130, ellipsis: true, render: (u: string | null) => u ?? '—' },
    { title: t('list.assignee'), dataIndex: 'assigneeName', width: 100, ellipsis: true, render: (u: string | null) => u ?? '—' },
    { title: t('list.grade'), dataIndex: 'grade', width: 70, render: (g: string) => <GradeTag grade={g} /> },
    { title: t('list.flags'), key: 'flags', width: 130, render: (_, r) => <FlagTags flags={r.flags} /> },
    {
      title: t('list.created'),
      key: 'created',
      dataIndex: 'createdAt',
      width: 140,
      sorter: true,
      sortOrder: sort === 'created' ? 'descend' : null,
      render: (c: string) => fmtTime(c),
    },
  ];

  // Columns a user hid stay hidden on every list and visit (this browser); the number and the deadline always show.
  const keyOf = (c: ColumnsType<Ticket>[number]) => String(c.key ?? ('dataIndex' in c ? c.dataIndex : ''));
  const optional = columns.filter((c) => !FIXED_COLUMNS.includes(keyOf(c)));
  const shown = columns.filter((c) => !hidden.includes(keyOf(c)));
  const chooser = (
    <Checkbox.Group
      data-testid="column-chooser"
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      value={optional.map(keyOf).filter((k) => !hidden.includes(k))}
      options={optional.map((c) => ({ value: keyOf(c), label: String(c.title) }))}
      onChange={(on) => saveHidden(optional.map(keyOf).filter((k) => !on.includes(k)))}
    />
  );

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {params.queue ? `${t('list.title')} · ${t(`queue.${params.queue}`)}` : t('list.title')}
        </Typography.Title>
      }
      extra={
        <Space>
          <Popover content={chooser} trigger="click" placement="bottomRight">
            <Button data-testid="columns-button">{t('list.columns')}</Button>
          </Popover>
          {canDispatch && <BulkDispatch selected={selected} onDone={() => setSelected([])} />}
        </Space>
      }
    >
      <ListFilters params={params} set={set} />
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginTop: 12 }} />}
      <Table<Ticket>
        style={{ marginTop: 12 }}
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        columns={shown}
        dataSource={query.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="ticket-table"
        data-state={listState}
        locale={{ emptyText: t('list.empty') }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = s?.columnKey === 'created' ? 'created' : 'due';
          if (key !== sort) set({ sort: key === 'due' ? undefined : key });
        }}
        rowSelection={
          canDispatch
            ? {
                selectedRowKeys: selected.map((s) => s.id),
                onChange: (_k, rows) => setSelected(rows),
                getCheckboxProps: (r) => ({ disabled: r.state !== 'pending_dispatch', 'aria-label': r.number }),
              }
            : undefined
        }
      />
      <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
        {query.data && (
          <Typography.Text type="secondary" data-testid="list-total" data-total={query.data.total} data-capped={query.data.totalCapped}>
            {t(query.data.totalCapped ? 'list.totalCapped' : 'list.total', { n: query.data.total.toLocaleString('zh-CN') })}
          </Typography.Text>
        )}
        <Typography.Text type="secondary">{t('list.page', { n: history.length + 1 })}</Typography.Text>
        <Button
          disabled={history.length === 0}
          onClick={() => goCursor(history[history.length - 1] || undefined, true)}
          data-testid="page-prev"
        >
          {t('common.prevPage')}
        </Button>
        <Button
          disabled={!query.data?.nextCursor}
          onClick={() => goCursor(query.data?.nextCursor ?? undefined, false)}
          data-testid="page-next"
        >
          {t('common.nextPage')}
        </Button>
        <Select
          aria-label={t('common.pageSize')}
          value={params.limit ?? '20'}
          onChange={(v) => set({ limit: v === '20' ? undefined : v })}
          options={PAGE_SIZES.map((s) => ({ value: s, label: `${s} / ${t('common.pageSize')}` }))}
          style={{ width: 140 }}
        />
      </Space>
    </Card>
  );
}
