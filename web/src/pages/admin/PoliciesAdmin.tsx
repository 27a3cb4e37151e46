import { Alert, App, Button, Card, DatePicker, Form, Input, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TIME_POLICY, type Duration, validateTimePolicy } from '../../../../core/time-policy.ts';
import { useAdminWrite, usePolicies } from '../../api/admin.ts';
import type { PolicyVersion } from '../../api/types.ts';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { validated } from '../../lib/forms.ts';
import { dayjs, fmtTime, toApiTime } from '../../lib/time.ts';

const UNIT_ZH: Record<Duration['unit'], string> = { hours: '小时', workdays: '个工作日', days: '日' };
const UNIT_EN: Record<Duration['unit'], string> = { hours: 'h', workdays: ' working days', days: ' days' };

/** Time-limit policies: versions with an effective date, never edited; a new version is written as JSON checked by core/. */
export function PoliciesAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const policies = usePolicies();
  const [open, setOpen] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [form] = Form.useForm();
  const create = useAdminWrite<Record<string, unknown>>('POST', () => '/time-policies', [['time-policies']]);
  const dur = (d: Duration | undefined) => (d ? `${d.n}${(l.lang === 'en' ? UNIT_EN : UNIT_ZH)[d.unit]}` : '—');

  const start = () => {
    const latest = policies.data?.[0]?.rules ?? DEFAULT_TIME_POLICY;
    form.setFieldsValue({ rules: JSON.stringify(latest, null, 2), effectiveFrom: dayjs().add(1, 'day').startOf('day'), note: '' });
    setProblems([]);
    setOpen(true);
  };

  const submit = async () => {
    const v = await validated(form);
    if (!v) return;
    let rules: unknown;
    try {
      rules = JSON.parse(v.rules);
    } catch (e) {
      setProblems([t('admin.invalidJson', { msg: (e as Error).message })]);
      return;
    }
    const checked = validateTimePolicy(rules);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    try {
      await create.mutateAsync({ effectiveFrom: toApiTime(v.effectiveFrom), rules, note: v.note ?? '' });
      message.success(t('admin.saved'));
      setOpen(false);
    } catch (e) {
      setProblems([errorText(e, t)]);
    }
  };

  return (
    <>
      <Alert type="info" showIcon title={t('admin.policyHint')} style={{ marginBottom: 12 }} />
      <Button type="primary" style={{ marginBottom: 12 }} onClick={start}>
        {t('admin.createPolicy')}
      </Button>
      <List<PolicyVersion>
        loading={policies.isPending}
        dataSource={policies.data ?? []}
        renderItem={(p) => (
          // A list item around each card: the list is a <ul>, whose children must be <li> (screen readers count them).
          <List.Item style={{ display: 'block', padding: 0, border: 'none' }}>
            <Card
              size="small"
              style={{ marginBottom: 8, width: '100%' }}
              title={`#${p.id} · ${t('admin.effectiveFrom')} ${fmtTime(p.effectiveFrom)}`}
              extra={p.note}
            >
              <Typography.Text>
                {t('intake.clockDispatch')} {dur(p.rules.dispatch)} · {t('intake.clockFirstContact')} {dur(p.rules.firstContact)} ·{' '}
                {t('intake.clockRevisit')} {dur(p.rules.revisit)} · {t('intake.clockReply')}:{' '}
                {Object.entries(p.rules.reply.byKind)
                  .map(([k, d]) => `${l.kind(k)} ${dur(d)}`)
                  .join('，')}
                {Object.entries(p.rules.reply.byChannel).map(([c, d]) => `，${l.channel(c)} ${dur(d)}`)}
              </Typography.Text>
            </Card>
          </List.Item>
        )}
      />
      <Modal
        open={open}
        title={t('admin.createPolicy')}
        width={720}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={create.isPending}
      >
        {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name="policy">
          <Form.Item name="effectiveFrom" label={t('admin.effectiveFrom')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="note" label={t('admin.policyNote')} rules={[{ max: 500 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="rules" label={t('admin.rules')} rules={[{ required: true }]}>
            <Input.TextArea rows={18} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
