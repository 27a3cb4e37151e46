import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actOn } from '../api/tickets.ts';
import type { Ticket } from '../api/types.ts';
import { errorText } from '../lib/errors.ts';
import { validated } from '../lib/forms.ts';
import { UnitPicker } from './UnitPicker.tsx';

/** Dispatches the selected orders to one unit: one dispatch action per order, each with the version the list showed. */
export function BulkDispatch({ selected, onDone }: { selected: Ticket[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ unitId: number; note?: string }>();

  const run = async () => {
    const v = await validated(form);
    if (!v) return;
    const { unitId, note } = v;
    setBusy(true);
    let ok = 0;
    const failures: string[] = [];
    for (const o of selected) {
      try {
        await actOn(o.id, 'dispatch', o.version, { unitId, ...(note?.trim() ? { note: note.trim() } : {}) });
        ok++;
      } catch (e) {
        failures.push(`${o.number}: ${errorText(e, t)}`);
      }
    }
    setBusy(false);
    if (ok) message.success(t('list.bulkDone', { ok }));
    if (failures.length) message.error(t('list.bulkFailed', { n: failures.length, msg: failures.join('；') }), 8);
    void qc.invalidateQueries({ queryKey: ['tickets'] });
    void qc.invalidateQueries({ queryKey: ['queues'] });
    setOpen(false);
    onDone();
  };

  return (
    <>
      <Button type="primary" disabled={selected.length === 0} onClick={() => setOpen(true)} data-testid="bulk-dispatch">
        {t('list.bulkDispatch')}
        {selected.length > 0 ? ` (${selected.length})` : ''}
      </Button>
      <Modal
        open={open}
        title={t('list.bulkTitle', { n: selected.length })}
        onOk={() => void run()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'bulk-submit' }}
      >
        <Form form={form} layout="vertical" name="bulk-dispatch">
          <Form.Item
            name="unitId"
            label={t('field.unitId')}
            rules={[{ required: true, message: t('common.required', { label: t('field.unitId') }) }]}
          >
            <UnitPicker />
          </Form.Item>
          <Form.Item name="note" label={t('field.note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
