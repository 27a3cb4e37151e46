import { App, Button, Card, DatePicker, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CalendarYearDay,
  type CalendarYearSummary,
  useAdminWrite,
  useCalendar,
  useCalendarYear,
  useCalendarYears,
} from '../../api/admin.ts';
import { CalendarBanner } from '../../components/CalendarBanner.tsx';
import { errorText } from '../../lib/errors.ts';

function SourceTag({ source }: { source: CalendarYearSummary['source'] }) {
  const { t } = useTranslation();
  if (source === 'builtin') return <Tag>{t('calendarAdmin.builtin')}</Tag>;
  if (source === 'admin') return <Tag color="blue">{t('calendarAdmin.entered')}</Tag>;
  return <Tag color="orange">{t('calendarAdmin.missing')}</Tag>;
}

/** The days of a year as a read-only table: date, weekday, 放假 / 调休上班, the holiday's name. */
function DaysTable({ days }: { days: CalendarYearDay[] }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey="date"
      dataSource={days}
      pagination={false}
      data-testid="calendar-days"
      columns={[
        { title: t('calendarAdmin.date'), dataIndex: 'date' },
        { title: t('calendarAdmin.weekday'), key: 'w', render: (_, d) => dayjs(d.date).format('ddd') },
        {
          title: t('calendarAdmin.type'),
          dataIndex: 'workday',
          render: (w: boolean) =>
            w ? <Tag color="blue">{t('calendarAdmin.makeup')}</Tag> : <Tag color="orange">{t('calendarAdmin.holidays')}</Tag>,
        },
        { title: t('calendarAdmin.name'), dataIndex: 'name' },
      ]}
    />
  );
}

/** Entering (or correcting) a year that is not built in, day by day from the State Council notice. */
function YearEditor({ year, initial, note }: { year: number; initial: CalendarYearDay[]; note: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [days, setDays] = useState<CalendarYearDay[]>(initial);
  const [source, setSource] = useState(note);
  useEffect(() => {
    setDays(initial);
    setSource(note);
  }, [initial, note]);
  const save = useAdminWrite<{ note: string; days: CalendarYearDay[] }>('PUT', () => `/calendar/years/${year}`, [
    ['calendar-years'],
    ['calendar-year'],
    ['calendar-status'],
  ]);
  const update = (i: number, patch: Partial<CalendarYearDay>) => setDays((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const add = (workday: boolean) => setDays((ds) => [...ds, { date: '', workday, name: ds.at(-1)?.name ?? '' }]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="year-editor">
      <Typography.Paragraph type="secondary">{t('calendarAdmin.enterIntro')}</Typography.Paragraph>
      <Space>
        <span>{t('calendarAdmin.source')}</span>
        <Input
          value={source}
          onChange={(e) => setSource(e.target.value)}
          maxLength={200}
          style={{ width: 320 }}
          aria-label={t('calendarAdmin.source')}
          data-testid="year-source"
        />
      </Space>
      <table className="gv-plain-table">
        <thead>
          <tr>
            <th scope="col">{t('calendarAdmin.date')}</th>
            <th scope="col">{t('calendarAdmin.type')}</th>
            <th scope="col">{t('calendarAdmin.holidayName')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={i} data-testid="year-day">
              <td>
                <DatePicker
                  value={d.date ? dayjs(d.date) : null}
                  onChange={(v) => update(i, { date: v ? v.format('YYYY-MM-DD') : '' })}
                  minDate={dayjs(`${year}-01-01`)}
                  maxDate={dayjs(`${year}-12-31`)}
                  aria-label={`${t('calendarAdmin.date')} ${i + 1}`}
                  data-testid="day-date"
                />
              </td>
              <td>
                <Select
                  value={d.workday ? 'w' : 'h'}
                  onChange={(v) => update(i, { workday: v === 'w' })}
                  style={{ width: 120 }}
                  options={[
                    { value: 'h', label: t('calendarAdmin.holidays') },
                    { value: 'w', label: t('calendarAdmin.makeup') },
                  ]}
                  aria-label={`${t('calendarAdmin.type')} ${i + 1}`}
                />
              </td>
              <td>
                <Input
                  value={d.name}
                  maxLength={20}
                  onChange={(e) => update(i, { name: e.target.value })}
                  style={{ width: 140 }}
                  aria-label={`${t('calendarAdmin.holidayName')} ${i + 1}`}
                  data-testid="day-name"
                />
              </td>
              <td>
                <Button size="small" danger onClick={() => setDays((ds) => ds.filter((_, j) => j !== i))}>
                  {t('common.delete')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Space>
        <Button onClick={() => add(false)} data-testid="add-holiday">
          {t('calendarAdmin.addHoliday')}
        </Button>
        <Button onClick={() => add(true)} data-testid="add-makeup">
          {t('calendarAdmin.addMakeup')}
        </Button>
        <Button
          type="primary"
          loading={save.isPending}
          data-testid="save-year"
          onClick={() =>
            save.mutateAsync({ note: source, days: days.filter((d) => d.date) }).then(
              () => message.success(t('admin.saved')),
              (e) => message.error(errorText(e, t)),
            )
          }
        >
          {t('calendarAdmin.saveYear')}
        </Button>
      </Space>
    </Space>
  );
}

/** Local adjustments: one day made a day off or a working day (an emergency), on top of the year's calendar. */
function Overrides() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cal = useCalendar();
  const [form] = Form.useForm();
  const put = useAdminWrite<{ date: string; workday: boolean; note: string }>(
    'PUT',
    (b) => `/calendar/overrides/${b.date}`,
    [['calendar']],
    ({ workday, note }) => ({ workday, note }),
  );
  const del = useAdminWrite<{ date: string }>('DELETE', (b) => `/calendar/overrides/${b.date}`, [['calendar']]);
  const done = (p: Promise<unknown>) =>
    p.then(
      () => message.success(t('admin.saved')),
      (e) => message.error(errorText(e, t)),
    );
  return (
    <Card size="small" title={t('calendarAdmin.overrides')}>
      <Form
        form={form}
        layout="inline"
        name="override"
        initialValues={{ workday: false }}
        style={{ marginBottom: 12 }}
        onFinish={(v) =>
          done(put.mutateAsync({ date: v.date.format('YYYY-MM-DD'), workday: v.workday, note: v.note }).then(() => form.resetFields()))
        }
      >
        <Form.Item name="date" label={t('admin.date')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="workday" label={t('admin.workday')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="note" label={t('admin.overrideNote')} rules={[{ required: true, max: 200 }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={put.isPending}>
          {t('admin.addOverride')}
        </Button>
      </Form>
      <Table
        rowKey="date"
        size="small"
        loading={cal.isPending}
        dataSource={cal.data?.overrides ?? []}
        pagination={false}
        columns={[
          { title: t('admin.date'), dataIndex: 'date' },
          {
            title: t('admin.kind'),
            dataIndex: 'workday',
            render: (w: boolean) => (w ? <Tag color="blue">{t('admin.workday')}</Tag> : <Tag color="orange">{t('admin.dayOff')}</Tag>),
          },
          { title: t('admin.overrideNote'), dataIndex: 'note' },
          {
            title: t('common.actions'),
            key: 'ops',
            render: (_, o: { date: string }) => (
              <Popconfirm title={t('admin.deleteConfirm')} onConfirm={() => done(del.mutateAsync({ date: o.date }))}>
                <Button size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

/**
 * The working-day calendar: each year's holidays and make-up working days (built-in years read-only), entry of a
 * year the built-in data does not have, and local one-day adjustments.
 */
export function CalendarAdmin() {
  const { t } = useTranslation();
  const years = useCalendarYears();
  const [year, setYear] = useState<number | undefined>(undefined);
  const status = years.data?.status;
  const shown = year ?? status?.missing ?? status?.year;
  const detail = useCalendarYear(shown);
  const summary = years.data?.years.find((y) => y.year === shown);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <CalendarBanner showAction={false} />
      <Card
        size="small"
        title={t('calendarAdmin.years')}
        extra={
          <Select
            value={shown}
            onChange={setYear}
            style={{ width: 200 }}
            loading={years.isPending}
            aria-label={t('admin.year')}
            data-testid="calendar-year"
            options={(years.data?.years ?? []).map((y) => ({
              value: y.year,
              label: `${y.year} · ${y.source === 'builtin' ? t('calendarAdmin.builtin') : y.source === 'admin' ? t('calendarAdmin.entered') : t('calendarAdmin.missing')}`,
            }))}
          />
        }
      >
        {detail.data && summary ? (
          <div data-testid="calendar-year-detail" data-year={detail.data.year} data-source={detail.data.source}>
            <Space style={{ marginBottom: 12 }}>
              <Typography.Text strong>{detail.data.year}</Typography.Text>
              <SourceTag source={detail.data.source} />
              <span>
                {t('calendarAdmin.holidays')} {detail.data.days.filter((d) => !d.workday).length} · {t('calendarAdmin.makeup')}{' '}
                {detail.data.days.filter((d) => d.workday).length}
              </span>
              {detail.data.note ? <Typography.Text type="secondary">{detail.data.note}</Typography.Text> : null}
            </Space>
            {detail.data.source === 'builtin' ? (
              <DaysTable days={detail.data.days} />
            ) : (
              <YearEditor year={detail.data.year} initial={detail.data.days} note={detail.data.note} />
            )}
          </div>
        ) : null}
      </Card>
      <Overrides />
    </Space>
  );
}
