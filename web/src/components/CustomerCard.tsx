import { EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { revealIdentity } from '../api/tickets.ts';
import type { Ticket } from '../api/types.ts';
import { errorText } from '../lib/errors.ts';
import { validated } from '../lib/forms.ts';

/** Labels of the fields of a revealed reporter identity. */
const IDENTITY_LABELS: Record<string, string> = {
  name: 'intake.reporterName',
  phone: 'intake.reporterPhone',
  idNumber: 'intake.reporterId',
  contact: 'intake.reporterContact',
  account: 'intake.account',
};

/** The customer as the API shows them to this user (masked when the role's masking policy says so). */
export function CustomerCard({ ticket, canReveal }: { ticket: Ticket; canReveal: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [asking, setAsking] = useState(false);
  const [identity, setIdentity] = useState<Record<string, string | null> | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const c = ticket.customer;
  const isReport = ticket.kind === 'report';
  const items = [
    ...(ticket.anonymous ? [{ key: 'anon', label: t('detail.anonymous'), children: t('common.yes') }] : []),
    ...(ticket.pseudonym ? [{ key: 'pseudo', label: t('detail.pseudonym'), children: ticket.pseudonym }] : []),
    ...(!isReport || c.name ? [{ key: 'name', label: t('intake.customerName'), children: c.name ?? '—' }] : []),
    ...(!isReport || c.phone
      ? [{ key: 'phone', label: t('intake.customerPhone'), children: <span data-testid="customer-phone">{c.phone ?? '—'}</span> }]
      : []),
    ...(ticket.noPhoneReason
      ? [{ key: 'noPhone', label: t('intake.noPhoneReason'), children: <span data-testid="no-phone-reason">{ticket.noPhoneReason}</span> }]
      : []),
    ...(!isReport || c.account ? [{ key: 'account', label: t('intake.account'), children: c.account ?? '—' }] : []),
    ...(c.masked ? [{ key: 'masked', label: '', children: <span data-testid="customer-masked">{t('detail.customerMasked')}</span> }] : []),
  ];
  const reveal = async () => {
    const v = await validated(form);
    if (!v) return;
    const { reason } = v;
    try {
      const r = await revealIdentity(ticket.id, reason);
      setIdentity(r.identity);
      setAsking(false);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };
  return (
    <>
      <Descriptions column={1} size="small" items={items} data-testid="customer-card" />
      {canReveal && !identity && (
        <Button icon={<EyeOutlined />} onClick={() => setAsking(true)} data-testid="reveal-identity">
          {t('detail.reveal')}
        </Button>
      )}
      {identity && (
        <Alert
          type="warning"
          title={t('detail.revealed')}
          description={
            <Descriptions
              column={1}
              size="small"
              items={Object.entries(identity)
                .filter(([, v]) => v)
                .map(([k, v]) => ({ key: k, label: t(IDENTITY_LABELS[k] ?? k, { defaultValue: k }), children: v }))}
            />
          }
        />
      )}
      <Modal open={asking} title={t('detail.reveal')} onOk={() => void reveal()} onCancel={() => setAsking(false)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('detail.revealReason')}
            rules={[{ required: true, min: 2, message: t('common.required', { label: t('detail.revealReason') }) }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
