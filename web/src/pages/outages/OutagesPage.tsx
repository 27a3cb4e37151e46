import { App, Button, Card, DatePicker, Drawer, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ROOT_CAUSES } from '../../../../core/taxonomy.ts';
import {
  type OrderAnswer,
  type Outage,
  useCancelOutage,
  useCreateOutage,
  useOutage,
  useOutages,
  useRestoreOutage,
} from '../../api/outages.ts';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLabels, useLang } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { fmtTime, toApiTime } from '../../lib/time.ts';

const TEXT = {
  zh: {
    title: '停电事件',
    create: '登记停电',
    status: { active: '停电中', restored: '已恢复', cancelled: '已取消' },
    kind: { planned: '计划停电', fault: '故障停电' },
    cols: {
      number: '编号',
      title: '名称',
      units: '供电所',
      area: '范围',
      start: '开始',
      expected: '预计恢复',
      restored: '恢复时间',
      orders: '关联工单',
    },
    fields: {
      title: '名称',
      cause: '原因',
      units: '供电所',
      areas: '村/街道（回车分隔）',
      feeders: '线路/台区',
      start: '开始时间',
      expected: '预计恢复时间',
    },
    restore: '恢复送电并答复',
    restoreHint: '一次答复全部关联工单：未派单的派往本停电的供电所，处理中的工单按模板回单（各自时限、审核与回访不变）。',
    rootCause: '问题原因',
    contactNote: '告知记录（如：已短信通知客户恢复供电）',
    replyText: '答复模板（可用 {location} {restoredAt} {outageNumber} {cause}，留空用默认）',
    cancel: '取消停电',
    orders: '关联工单',
    results: '答复结果',
    outcome: { answered: '已回单', advanced: '已推进', skipped: '未处理', failed: '失败（未改动）' },
    notVisible: (n: number) => `另有 ${n} 张工单不在您的范围内`,
    all: '全部',
  },
  en: {
    title: 'Outages',
    create: 'Record outage',
    status: { active: 'Active', restored: 'Restored', cancelled: 'Cancelled' },
    kind: { planned: 'Planned', fault: 'Fault' },
    cols: {
      number: 'No.',
      title: 'Title',
      units: 'Stations',
      area: 'Area',
      start: 'Start',
      expected: 'Expected',
      restored: 'Restored',
      orders: 'Orders',
    },
    fields: {
      title: 'Title',
      cause: 'Cause',
      units: 'Stations',
      areas: 'Villages / streets',
      feeders: 'Feeders / 台区',
      start: 'Start',
      expected: 'Expected restore',
    },
    restore: 'Restore and answer',
    restoreHint:
      'Answers every linked order at once: undispatched ones go to the outage station, orders in progress get the templated reply (each keeps its own deadlines, review and call-back).',
    rootCause: 'Root cause',
    contactNote: 'Customer notice (e.g. SMS sent on restore)',
    replyText: 'Reply template ({location} {restoredAt} {outageNumber} {cause}; empty = default)',
    cancel: 'Cancel outage',
    orders: 'Linked orders',
    results: 'Answer results',
    outcome: { answered: 'Replied', advanced: 'Advanced', skipped: 'Skipped', failed: 'Failed (unchanged)' },
    notVisible: (n: number) => `${n} more order(s) outside your scope`,
    all: 'All',
  },
} as const;

type CreateValues = {
  kind: 'planned' | 'fault';
  title: string;
  cause: string;
  unitIds: number[];
  areas?: string[];
  feeders?: string[];
  startAt: Dayjs;
  expectedRestoreAt?: Dayjs;
};
type RestoreValues = { rootCause: string; contactNote?: string; replyText?: string };

/** The outage page: list, record, cancel, restore with the bulk answer, linked orders. */
export default function OutagesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const s = TEXT[lang];
  const l = useLabels();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string>('active');
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [restoring, setRestoring] = useState<Outage | null>(null);
  const [results, setResults] = useState<{ items: OrderAnswer[]; notVisible: number } | null>(null);
  const list = useOutages(status || undefined);
  const detail = useOutage(openId);
  const create = useCreateOutage();
  const cancel = useCancelOutage();
  const restore = useRestoreOutage();
  const [createForm] = Form.useForm<CreateValues>();
  const [restoreForm] = Form.useForm<RestoreValues>();

  const submitCreate = async () => {
    const v = await createForm.validateFields();
    try {
      await create.mutateAsync({
        ...v,
        startAt: toApiTime(v.startAt),
        expectedRestoreAt: v.expectedRestoreAt ? toApiTime(v.expectedRestoreAt) : null,
      });
      setCreating(false);
      createForm.resetFields();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const submitRestore = async () => {
    if (!restoring) return;
    const v = await restoreForm.validateFields();
    try {
      const r = await restore.mutateAsync({
        id: restoring.id,
        answer: { rootCause: v.rootCause, contactNote: v.contactNote || null, ...(v.replyText ? { replyText: v.replyText } : {}) },
      });
      setResults({ items: r.results, notVisible: r.notVisible });
      setOpenId(restoring.id);
      setRestoring(null);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={s.title}
      extra={
        <Space>
          <Radio.Group value={status} onChange={(e) => setStatus(e.target.value as string)} optionType="button">
            <Radio.Button value="active">{s.status.active}</Radio.Button>
            <Radio.Button value="restored">{s.status.restored}</Radio.Button>
            <Radio.Button value="">{s.all}</Radio.Button>
          </Radio.Group>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="outage-create">
            {s.create}
          </Button>
        </Space>
      }
    >
      <Table<Outage>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data ?? []}
        onRow={(o) => ({ onClick: () => setOpenId(o.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: s.cols.number, dataIndex: 'number' },
          {
            title: s.cols.title,
            render: (_, o) => (
              <Space>
                <Tag color={o.kind === 'fault' ? 'red' : 'blue'}>{s.kind[o.kind]}</Tag>
                {o.title}
                <Tag color={o.status === 'active' ? 'orange' : o.status === 'restored' ? 'green' : 'default'}>{s.status[o.status]}</Tag>
              </Space>
            ),
          },
          { title: s.cols.units, render: (_, o) => o.units.map((u) => u.name).join('、') },
          { title: s.cols.area, render: (_, o) => [...o.areas, ...o.feeders].join('、') },
          { title: s.cols.start, render: (_, o) => fmtTime(o.startAt) },
          { title: s.cols.expected, render: (_, o) => fmtTime(o.expectedRestoreAt) },
          { title: s.cols.orders, dataIndex: 'orderCount' },
          {
            title: '',
            render: (_, o) =>
              o.status === 'active' ? (
                <Space onClick={(e) => e.stopPropagation()}>
                  <Button size="small" type="primary" onClick={() => setRestoring(o)} data-testid={`outage-restore-${o.id}`}>
                    {s.restore}
                  </Button>
                  <Button size="small" onClick={() => void cancel.mutateAsync(o.id)}>
                    {s.cancel}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />

      <Modal
        open={creating}
        title={s.create}
        onOk={() => void submitCreate()}
        onCancel={() => setCreating(false)}
        confirmLoading={create.isPending}
      >
        <Form form={createForm} layout="vertical" initialValues={{ kind: 'fault' }}>
          <Form.Item name="kind">
            <Radio.Group>
              <Radio value="fault">{s.kind.fault}</Radio>
              <Radio value="planned">{s.kind.planned}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="title" label={s.fields.title} rules={[{ required: true, min: 2, max: 120 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="cause" label={s.fields.cause} rules={[{ required: true, max: 500 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="unitIds" label={s.fields.units} rules={[{ required: true }]}>
            <UnitPicker mode="multiple" kinds={['station', 'department']} />
          </Form.Item>
          <Form.Item name="areas" label={s.fields.areas}>
            <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ';']} />
          </Form.Item>
          <Form.Item name="feeders" label={s.fields.feeders}>
            <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ';']} />
          </Form.Item>
          <Space>
            <Form.Item name="startAt" label={s.fields.start} rules={[{ required: true }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="expectedRestoreAt" label={s.fields.expected}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Space>
        </Form>
      </Modal>

      <Modal
        open={restoring !== null}
        title={`${s.restore}：${restoring?.title ?? ''}`}
        onOk={() => void submitRestore()}
        onCancel={() => setRestoring(null)}
        confirmLoading={restore.isPending}
      >
        <Typography.Paragraph type="secondary">{s.restoreHint}</Typography.Paragraph>
        <Form form={restoreForm} layout="vertical" initialValues={{ rootCause: 'aging_equipment', contactNote: '已短信通知客户恢复供电' }}>
          <Form.Item name="rootCause" label={s.rootCause} rules={[{ required: true }]}>
            <Select options={ROOT_CAUSES.map((r) => ({ value: r.code, label: r[lang] }))} />
          </Form.Item>
          <Form.Item name="contactNote" label={s.contactNote}>
            <Input />
          </Form.Item>
          <Form.Item name="replyText" label={s.replyText}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
      </Modal>

      <Drawer
        open={openId !== null}
        width={640}
        onClose={() => {
          setOpenId(null);
          setResults(null);
        }}
        title={detail.data?.outage.title}
      >
        {results && (
          <Card size="small" title={s.results} style={{ marginBottom: 12 }} data-testid="outage-results">
            <Table<OrderAnswer>
              rowKey="ticketId"
              size="small"
              pagination={false}
              dataSource={results.items}
              columns={[
                { title: s.cols.number, render: (_, r) => <Link to={`/tickets/${r.ticketId}`}>{r.number}</Link> },
                { title: '', render: (_, r) => `${l.state(r.from)} → ${l.state(r.to)}` },
                {
                  title: '',
                  render: (_, r) => (
                    <Tag color={r.outcome === 'failed' ? 'red' : r.outcome === 'answered' ? 'green' : 'default'}>
                      {s.outcome[r.outcome]}
                    </Tag>
                  ),
                },
                {
                  title: '',
                  render: (_, r) => (r.error ? t(`errors.${r.error.code}`, { defaultValue: t('common.unknownError') }) : (r.reason ?? '')),
                },
              ]}
            />
            {results.notVisible > 0 && <Typography.Text type="secondary">{s.notVisible(results.notVisible)}</Typography.Text>}
          </Card>
        )}
        <Typography.Title level={5}>{s.orders}</Typography.Title>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={detail.data?.orders ?? []}
          columns={[
            { title: s.cols.number, render: (_, o) => <Link to={`/tickets/${o.id}`}>{o.number}</Link> },
            { title: '', dataIndex: 'subject' },
            { title: '', render: (_, o) => l.state(o.state) },
            { title: '', render: (_, o) => fmtTime(o.intake_at) },
          ]}
        />
      </Drawer>
    </Card>
  );
}
