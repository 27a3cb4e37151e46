import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../../core/taxonomy.ts';
import { useAdminWrite, useApiTokens } from '../../api/admin.ts';
import { useOrgUnits } from '../../api/reference.ts';
import type { ApiToken } from '../../api/types.ts';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';
import { fmtTime } from '../../lib/time.ts';

/** API tokens for machine intake and integrations: created with roles and a unit, shown once, revocable. */
export function TokensAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const tokens = useApiTokens();
  const units = useOrgUnits();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm();
  const create = useAdminWrite<Record<string, unknown>, { id: number; token: string }>('POST', () => '/api-tokens', [['api-tokens']]);
  const revoke = useAdminWrite<{ id: number }>('DELETE', (b) => `/api-tokens/${b.id}`, [['api-tokens']]);

  const submit = async () => {
    const v = await validated(form);
    if (!v) return;
    try {
      const r = await create.mutateAsync(v);
      setSecret(r.token);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <>
      <Button
        type="primary"
        style={{ marginBottom: 12 }}
        onClick={() => {
          setSecret(null);
          setOpen(true);
        }}
      >
        {t('admin.createToken')}
      </Button>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={tokens.isPending}
        dataSource={tokens.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.tokenName'), dataIndex: 'name' },
          { title: t('admin.prefix'), dataIndex: 'prefix', render: (p: string) => <code>{p}…</code> },
          { title: t('admin.roles'), dataIndex: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{l.role(r)}</Tag>) },
          { title: t('admin.unit'), dataIndex: 'unit_id', render: (id: number) => units.data?.find((u) => u.id === id)?.name ?? id },
          { title: t('admin.createdAt'), dataIndex: 'created_at', render: (x: string) => fmtTime(x) },
          { title: t('admin.lastUsed'), dataIndex: 'last_used_at', render: (x: string | null) => fmtTime(x) },
          {
            title: t('admin.status'),
            key: 'status',
            render: (_, k) =>
              k.revoked_at ? (
                <Tag>{t('admin.revoked')}</Tag>
              ) : (
                <Popconfirm
                  title={t('admin.deleteConfirm')}
                  onConfirm={() => revoke.mutateAsync({ id: k.id }).catch((e) => message.error(errorText(e, t)))}
                >
                  <Button size="small" danger>
                    {t('admin.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('admin.createToken')}
        onOk={() => (secret ? setOpen(false) : void submit())}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        confirmLoading={create.isPending}
        okText={secret ? t('common.close') : t('common.create')}
      >
        {secret ? (
          <Alert
            type="warning"
            showIcon
            title={t('admin.tokenShown')}
            description={
              <Typography.Text copyable code>
                {secret}
              </Typography.Text>
            }
          />
        ) : (
          <Form form={form} layout="vertical" preserve={false} name="token" initialValues={{ roles: ['agent'] }}>
            <Form.Item name="name" label={t('admin.tokenName')} rules={[{ required: true, max: 64 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="roles" label={t('admin.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Select mode="multiple" options={ROLES.filter((r) => r.code !== 'admin').map((r) => ({ value: r.code, label: l.of(r) }))} />
            </Form.Item>
            <Form.Item name="unitId" label={t('admin.unit')} rules={[{ required: true }]}>
              <UnitPicker kinds={['company', 'department', 'station']} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
