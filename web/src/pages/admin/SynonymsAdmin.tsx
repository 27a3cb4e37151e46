import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SynonymGroup } from '../../../../core/schemas/text.schema.ts';
import { useAdminWrite } from '../../api/admin.ts';
import { api } from '../../api/client.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';

/** Splits what an admin typed into words: spaces, commas (half or full width), 、 and / separate them. */
function splitWords(s: string): string[] {
  return s
    .split(/[\s,，、/;；]+/)
    .map((w) => w.trim())
    .filter(Boolean);
}

/** The search synonym list (跳闸/断电 …): groups of words the search box treats as one (admin.taxonomy). */
export function SynonymsAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useQuery({
    queryKey: ['search-synonyms'],
    queryFn: async () => (await api<{ groups: SynonymGroup[] }>('/search/synonyms')).groups,
  });
  const [editing, setEditing] = useState<SynonymGroup | 'new' | null>(null);
  const [form] = Form.useForm<{ words: string }>();
  const create = useAdminWrite<{ words: string[] }>('POST', () => '/search/synonyms', [['search-synonyms']]);
  const update = useAdminWrite<{ id: number; words: string[] }>(
    'PUT',
    (b) => `/search/synonyms/${b.id}`,
    [['search-synonyms']],
    ({ words }) => ({ words }),
  );
  const remove = useAdminWrite<{ id: number }>('DELETE', (b) => `/search/synonyms/${b.id}`, [['search-synonyms']]);

  const submit = async () => {
    const v = await validated(form);
    if (!v || !editing) return;
    const words = splitWords(v.words);
    try {
      if (editing === 'new') await create.mutateAsync({ words });
      else await update.mutateAsync({ id: editing.id, words });
      message.success(t('admin.saved'));
      setEditing(null);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <>
      <Space direction="vertical" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')} data-testid="synonyms-add">
          {t('admin.addSynonyms')}
        </Button>
        <Typography.Text type="secondary">{t('admin.synonymHint')}</Typography.Text>
      </Space>
      <Table<SynonymGroup>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          {
            title: t('admin.synonymWords'),
            render: (_, g) => (
              <Space wrap size={4}>
                {g.words.map((w) => (
                  <Tag key={w}>{w}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'ops',
            render: (_, g) => (
              <Space>
                <Button size="small" onClick={() => setEditing(g)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('admin.deleteConfirm')}
                  onConfirm={() => remove.mutateAsync({ id: g.id }).catch((e) => message.error(errorText(e, t)))}
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
      <FormModal
        open={editing !== null}
        title={editing === 'new' ? t('admin.addSynonyms') : t('admin.editSynonyms')}
        onOk={submit}
        onCancel={() => setEditing(null)}
        loading={create.isPending || update.isPending}
        form={form}
        name="synonyms"
        initialValues={{ words: editing && editing !== 'new' ? editing.words.join(' ') : '' }}
      >
        <Form.Item
          name="words"
          label={t('admin.synonymWords')}
          rules={[
            {
              required: true,
              validator: async (_, v: string) =>
                splitWords(v ?? '').length >= 2 ? undefined : Promise.reject(new Error(t('admin.synonymPlaceholder'))),
            },
          ]}
        >
          <Input placeholder={t('admin.synonymPlaceholder')} maxLength={200} />
        </Form.Item>
      </FormModal>
    </>
  );
}
