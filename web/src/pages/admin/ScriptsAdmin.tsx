import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ClassPicker } from '../../components/ClassPicker.tsx';
import { useLabels, useLang } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';

interface Script {
  id: number;
  classCode: string;
  title: string;
  empathy: string;
  explanation: string;
  promise: string;
  deescalation: string;
  active: boolean;
  updatedAt: string;
}

const TEXT = {
  zh: {
    add: '新增话术',
    edit: '编辑话术',
    cls: '分类',
    generic: '通用（*）',
    title: '名称',
    empathy: '共情开场',
    explanation: '解释说明',
    promise: '可承诺事项',
    deescalation: '情绪安抚',
    active: '启用',
    del: '删除',
    hint: '可用占位符：{number} 工单编号、{unitName} 处理单位、{firstContactDue} 联系时限、{replyDue} 回复时限、{promiseDue} 答复承诺、{customerName} 客户称呼、{className} 分类。',
  },
  en: {
    add: 'Add script',
    edit: 'Edit script',
    cls: 'Class',
    generic: 'Generic (*)',
    title: 'Title',
    empathy: 'Empathy opening',
    explanation: 'Explanation',
    promise: 'What may be promised',
    deescalation: 'De-escalation',
    active: 'Active',
    del: 'Delete',
    hint: 'Placeholders: {number}, {unitName}, {firstContactDue}, {replyDue}, {promiseDue}, {customerName}, {className}.',
  },
} as const;

const SECTIONS = ['empathy', 'explanation', 'promise', 'deescalation'] as const;

/** The reply-script library (话术): one script per class, edited by admins (admin.taxonomy). */
export function ScriptsAdmin() {
  const { t } = useTranslation();
  const s = TEXT[useLang()];
  const l = useLabels();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['scripts-admin'], queryFn: async () => (await api<{ items: Script[] }>('/scripts')).items });
  const [editing, setEditing] = useState<Script | 'new' | null>(null);
  const [form] = Form.useForm<Omit<Script, 'id' | 'updatedAt'>>();
  const save = useMutation({
    mutationFn: async (v: Omit<Script, 'id' | 'updatedAt'>) => {
      if (editing === 'new') return api('/scripts', { method: 'POST', body: v });
      const { classCode: _c, ...patch } = v;
      return api(`/scripts/${(editing as Script).id}`, { method: 'PATCH', body: patch });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['scripts-admin'] });
      void qc.invalidateQueries({ queryKey: ['script'] });
      setEditing(null);
    },
    onError: (e) => message.error(errorText(e, t)),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/scripts/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['scripts-admin'] }),
    onError: (e) => message.error(errorText(e, t)),
  });

  const open = (x: Script | 'new') => {
    setEditing(x);
    form.resetFields();
    if (x !== 'new') form.setFieldsValue(x);
    else form.setFieldsValue({ active: true });
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => open('new')}>
          {s.add}
        </Button>
        <Typography.Text type="secondary">{s.hint}</Typography.Text>
      </Space>
      <Table<Script>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          { title: s.cls, render: (_, x) => (x.classCode === '*' ? s.generic : `${l.cls(x.classCode)} (${x.classCode})`) },
          { title: s.title, dataIndex: 'title' },
          { title: s.active, render: (_, x) => (x.active ? <Tag color="green">{s.active}</Tag> : <Tag>—</Tag>) },
          {
            title: '',
            render: (_, x) => (
              <Space>
                <Button size="small" onClick={() => open(x)}>
                  {s.edit}
                </Button>
                {x.classCode !== '*' && (
                  <Button size="small" danger onClick={() => remove.mutate(x.id)}>
                    {s.del}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        width={720}
        title={editing === 'new' ? s.add : s.edit}
        onCancel={() => setEditing(null)}
        confirmLoading={save.isPending}
        onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="classCode" label={s.cls} rules={[{ required: true }]}>
            {editing === 'new' ? <ClassPicker family="any" /> : <Input disabled />}
          </Form.Item>
          <Form.Item name="title" label={s.title} rules={[{ required: true, max: 64 }]}>
            <Input />
          </Form.Item>
          {SECTIONS.map((k) => (
            <Form.Item key={k} name={k} label={s[k]} rules={[{ required: true, max: 2000 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          ))}
          <Form.Item name="active" label={s.active} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
