import { App, Button, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AREA_TYPES, ORG_UNIT_KINDS } from '../../../../core/taxonomy.ts';
import { useAdminWrite } from '../../api/admin.ts';
import { useOrgUnits } from '../../api/reference.ts';
import type { OrgUnit } from '../../api/types.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';

type Row = OrgUnit & { children?: Row[] };

/** The flat unit list as a tree (company → departments and 供电所). */
function toTree(units: OrgUnit[]): Row[] {
  const ids = new Set(units.map((u) => u.id));
  const rank = { company: 0, department: 1, station: 2 } as const;
  const sorted = [...units].sort((a, b) => rank[a.kind] - rank[b.kind] || a.code.localeCompare(b.code));
  const node = (u: OrgUnit): Row => {
    const children = sorted.filter((c) => c.parentId === u.id).map(node);
    return children.length ? { ...u, children } : { ...u };
  };
  return sorted.filter((u) => u.parentId === null || !ids.has(u.parentId)).map(node);
}

/** Drops null and undefined values (the PATCH body takes only what changes). */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

/** The organisation tree: create, rename, move, deactivate, delete (only when unused). */
export function OrgUnitsAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const units = useOrgUnits();
  const [editing, setEditing] = useState<{ unit: OrgUnit | null } | null>(null);
  const [form] = Form.useForm();
  const create = useAdminWrite<Record<string, unknown>>('POST', () => '/org-units', [['org-units']]);
  const update = useAdminWrite<Record<string, unknown>>(
    'PATCH',
    (b) => `/org-units/${b.id}`,
    [['org-units']],
    ({ id: _id, ...rest }) => rest,
  );
  const remove = useAdminWrite<{ id: number }>('DELETE', (b) => `/org-units/${b.id}`, [['org-units']]);

  const submit = async () => {
    const v = await validated(form);
    if (!v) return;
    try {
      if (editing?.unit) await update.mutateAsync({ id: editing.unit.id, ...defined(v) });
      else await create.mutateAsync({ ...defined(v), parentId: v.parentId ?? null });
      message.success(t('admin.saved'));
      setEditing(null);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing({ unit: null })}>
        {t('admin.createUnit')}
      </Button>
      {units.data && (
        <Table<Row>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={toTree(units.data)}
          expandable={{ defaultExpandAllRows: true }}
          columns={[
            { title: t('admin.name'), dataIndex: 'name' },
            { title: t('admin.code'), dataIndex: 'code' },
            { title: t('admin.kind'), dataIndex: 'kind', render: (k: string) => l.unitKind(k) },
            { title: t('admin.areaType'), dataIndex: 'areaType', render: (a: string) => l.of(AREA_TYPES.find((x) => x.code === a)) },
            { title: t('admin.customerCount'), dataIndex: 'customerCount', render: (n: number | null) => n?.toLocaleString() ?? '—' },
            {
              title: t('admin.status'),
              dataIndex: 'active',
              render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? t('common.active') : t('common.inactive')}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'ops',
              render: (_, u) => (
                <Space>
                  <Button size="small" onClick={() => setEditing({ unit: u })}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('admin.deleteConfirm')}
                    onConfirm={() =>
                      remove.mutateAsync({ id: u.id }).then(
                        () => message.success(t('admin.saved')),
                        (e) => message.error(errorText(e, t)),
                      )
                    }
                  >
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <FormModal
        open={editing !== null}
        title={editing?.unit ? t('admin.editUnit') : t('admin.createUnit')}
        onOk={() => void submit()}
        onCancel={() => setEditing(null)}
        loading={create.isPending || update.isPending}
        form={form}
        name="unit"
        initialValues={editing?.unit ?? { kind: 'station', areaType: 'rural' }}
      >
        {!editing?.unit && (
          <>
            <Form.Item name="code" label={t('admin.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{1,32}$/ }]}>
              <Input />
            </Form.Item>
            <Form.Item name="kind" label={t('admin.kind')} rules={[{ required: true }]}>
              <Select options={ORG_UNIT_KINDS.map((k) => ({ value: k.code, label: l.of(k) }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="name" label={t('admin.name')} rules={[{ required: true, max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="parentId" label={t('admin.parent')}>
          <UnitPicker kinds={['company']} allowClear />
        </Form.Item>
        <Form.Item name="areaType" label={t('admin.areaType')} rules={[{ required: true }]}>
          <Select options={AREA_TYPES.map((a) => ({ value: a.code, label: l.of(a) }))} />
        </Form.Item>
        <Form.Item name="customerCount" label={t('admin.customerCount')}>
          <InputNumber min={0} max={100_000_000} style={{ width: '100%' }} />
        </Form.Item>
        {editing?.unit && (
          <Form.Item name="active" label={t('common.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
