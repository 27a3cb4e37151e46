import { App, Button, Card, DatePicker, Form, Input, InputNumber, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAdminWrite, useCalendar } from '../../api/admin.ts';
import { errorText } from '../../lib/errors.ts';

/** Calendar overrides (a local emergency day off, a make-up working day) and the years whose holiday calendar is confirmed. */
export function CalendarAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cal = useCalendar();
  const [form] = Form.useForm();
  const [yearForm] = Form.useForm();
  const put = useAdminWrite<{ date: string; workday: boolean; note: string }>(
    'PUT',
    (b) => `/calendar/overrides/${b.date}`,
    [['calendar']],
    ({ workday, note }) => ({ workday, note }),
  );
  const del = useAdminWrite<{ date: string }>('DELETE', (b) => `/calendar/overrides/${b.date}`, [['calendar']]);
  const addYear = useAdminWrite<{ year: number; note: string }>('POST', () => '/calendar/years', [['calendar']]);
  const done = (p: Promise<unknown>) =>
    p.then(
      () => message.success(t('admin.saved')),
      (e) => message.error(errorText(e, t)),
    );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Form
        form={form}
        layout="inline"
        name="override"
        initialValues={{ workday: false }}
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
      <Card size="small" title={t('admin.years')}>
        <Space wrap style={{ marginBottom: 12 }}>
          {(cal.data?.years ?? []).map((y) => (
            <Tag key={y.year} title={y.note}>
              {y.year}
            </Tag>
          ))}
        </Space>
        <Form form={yearForm} layout="inline" name="year" onFinish={(v) => done(addYear.mutateAsync({ year: v.year, note: v.note ?? '' }))}>
          <Form.Item name="year" label={t('admin.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="note" label={t('admin.overrideNote')}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Button htmlType="submit" loading={addYear.isPending}>
            {t('admin.addYear')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
