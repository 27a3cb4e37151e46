import { App, Button, Form, Input, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../../core/taxonomy.ts';
import { useAdminWrite, useUsers } from '../../api/admin.ts';
import type { User } from '../../api/types.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | { mode: 'password'; user: User } | null;

/** Users and their roles: create, edit, deactivate, reset password. */
export function UsersAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const users = useUsers();
  const [editing, setEditing] = useState<Editing>(null);
  const [form] = Form.useForm();
  const create = useAdminWrite<Record<string, unknown>>('POST', () => '/users', [['users']]);
  const update = useAdminWrite<Record<string, unknown>>(
    'PATCH',
    (b) => `/users/${b.id}`,
    [['users']],
    ({ id: _id, ...rest }) => rest,
  );
  const reset = useAdminWrite<{ id: number; password: string }>(
    'POST',
    (b) => `/users/${b.id}/password`,
    [['users']],
    (b) => ({ password: b.password }),
  );
  const roleOptions = ROLES.map((r) => ({ value: r.code, label: l.of(r) }));

  const submit = async () => {
    const v = await validated(form);
    if (!v) return;
    try {
      if (editing?.mode === 'create') await create.mutateAsync({ ...v, phone: v.phone || null });
      else if (editing?.mode === 'edit') await update.mutateAsync({ id: editing.user.id, ...v, phone: v.phone || null });
      else if (editing?.mode === 'password') await reset.mutateAsync({ id: editing.user.id, password: v.password });
      message.success(editing?.mode === 'password' ? t('admin.passwordReset') : t('admin.saved'));
      setEditing(null);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing({ mode: 'create' })}>
        {t('admin.createUser')}
      </Button>
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.unit'), dataIndex: 'unitName' },
          { title: t('admin.roles'), dataIndex: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{l.role(r)}</Tag>) },
          { title: t('admin.phone'), dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
          {
            title: t('admin.status'),
            key: 'status',
            render: (_, u) => (
              <Space>
                <Tag color={u.active ? 'green' : 'default'}>{u.active ? t('common.active') : t('common.inactive')}</Tag>
                {u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() && <Tag color="red">{t('admin.locked')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'ops',
            render: (_, u) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ mode: 'edit', user: u })}>
                  {t('common.edit')}
                </Button>
                <Button size="small" onClick={() => setEditing({ mode: 'password', user: u })}>
                  {t('admin.resetPassword')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <FormModal
        open={editing !== null}
        title={
          editing?.mode === 'create' ? t('admin.createUser') : editing?.mode === 'edit' ? t('admin.editUser') : t('admin.resetPassword')
        }
        onOk={() => void submit()}
        onCancel={() => setEditing(null)}
        loading={create.isPending || update.isPending || reset.isPending}
        form={form}
        name="user"
        initialValues={editing?.mode === 'edit' ? { ...editing.user } : { roles: [] as string[], active: true }}
      >
        {editing?.mode === 'create' && (
          <Form.Item name="username" label={t('admin.username')} rules={[{ required: true, pattern: /^[a-zA-Z0-9_.-]{2,32}$/ }]}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        {editing?.mode !== 'password' && (
          <>
            <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true, max: 64 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="unitId" label={t('admin.unit')} rules={[{ required: true }]}>
              <UnitPicker kinds={['company', 'department', 'station']} />
            </Form.Item>
            <Form.Item name="roles" label={t('admin.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Select mode="multiple" options={roleOptions} />
            </Form.Item>
            <Form.Item name="phone" label={t('admin.phone')} rules={[{ pattern: /^[0-9+-]{5,20}$/ }]}>
              <Input />
            </Form.Item>
          </>
        )}
        {editing?.mode === 'edit' && (
          <Form.Item name="active" label={t('common.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        {(editing?.mode === 'create' || editing?.mode === 'password') && (
          <Form.Item
            name="password"
            label={editing.mode === 'create' ? t('admin.password') : t('admin.newPassword')}
            rules={[{ required: true, min: 8, max: 200 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
