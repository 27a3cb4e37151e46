import { App, Button, Form, Input, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdminWrite } from '../../api/admin.ts';
import { useTaxonomy } from '../../api/reference.ts';
import type { TaxonomyClass } from '../../api/types.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';

type Row = TaxonomyClass & { children?: Row[] };

function toTree(classes: TaxonomyClass[]): Row[] {
  const node = (c: TaxonomyClass): Row => {
    const children = classes.filter((x) => x.parent === c.code).map(node);
    return children.length ? { ...c, children } : { ...c };
  };
  return classes.filter((c) => c.parent === null).map(node);
}

/** The class tree: add a class under another, rename, retire; codes never change once used. */
export function TaxonomyAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const taxonomy = useTaxonomy();
  const classes = taxonomy.data?.classes ?? [];
  const [editing, setEditing] = useState<{ cls: TaxonomyClass | null; parent?: string } | null>(null);
  const [form] = Form.useForm();
  const create = useAdminWrite<Record<string, unknown>>('POST', () => '/taxonomy/classes', [['taxonomy']]);
  const update = useAdminWrite<Record<string, unknown>>(
    'PATCH',
    (b) => `/taxonomy/classes/${b.code}`,
    [['taxonomy']],
    ({ code: _c, ...rest }) => rest,
  );

  const submit = async () => {
    const v = await validated(form);
    if (!v) return;
    try {
      if (editing?.cls) await update.mutateAsync({ code: editing.cls.code, zh: v.zh, en: v.en, active: v.active });
      else await create.mutateAsync({ code: v.code, parent: v.parent ?? null, zh: v.zh, en: v.en });
      message.success(t('admin.saved'));
      setEditing(null);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing({ cls: null })}>
        {t('admin.createClass')}
      </Button>
      {taxonomy.data && (
        <Table<Row>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={toTree(classes)}
          columns={[
            { title: t('admin.zh'), dataIndex: 'zh' },
            { title: t('admin.en'), dataIndex: 'en' },
            { title: t('admin.classCode'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
            { title: t('admin.family'), dataIndex: 'family' },
            {
              title: t('admin.status'),
              dataIndex: 'active',
              render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? t('common.active') : t('common.inactive')}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'ops',
              render: (_, c) => (
                <Space>
                  <Button size="small" onClick={() => setEditing({ cls: c })}>
                    {t('common.edit')}
                  </Button>
                  <Button size="small" onClick={() => setEditing({ cls: null, parent: c.code })}>
                    {t('common.add')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      <FormModal
        open={editing !== null}
        title={editing?.cls ? t('admin.editClass') : t('admin.createClass')}
        onOk={() => void submit()}
        onCancel={() => setEditing(null)}
        loading={create.isPending || update.isPending}
        form={form}
        name="class"
        initialValues={editing?.cls ?? { parent: editing?.parent, code: editing?.parent ? `${editing.parent}.` : '' }}
      >
        {!editing?.cls && (
          <>
            <Form.Item name="parent" label={t('admin.parentClass')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={classes.map((c) => ({ value: c.code, label: `${c.zh} (${c.code})` }))}
              />
            </Form.Item>
            <Form.Item name="code" label={t('admin.classCode')} rules={[{ required: true, pattern: /^[a-z_]+(\.[a-z_]+)*$/, max: 64 }]}>
              <Input />
            </Form.Item>
          </>
        )}
        <Form.Item name="zh" label={t('admin.zh')} rules={[{ required: true, max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="en" label={t('admin.en')} rules={[{ required: true, max: 64 }]}>
          <Input />
        </Form.Item>
        {editing?.cls && (
          <Form.Item name="active" label={t('common.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
