import { Alert, App, Form, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Kind } from '../../../core/taxonomy.ts';
import { ACTIONS, type ActionCode } from '../../../core/workflow/index.ts';
import { isApiError } from '../api/client.ts';
import { useIntakeSuggestion } from '../api/text.ts';
import { useTicketAction } from '../api/tickets.ts';
import type { TicketDetail } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { errorText, fieldPath } from '../lib/errors.ts';
import { ActionFields, toActionInput } from './ActionFields.tsx';

/**
 * What a form starts from: a reply after 驳回 (or 重办) starts from the reply sent back — its text, verdict, cause and
 * the person responsible — so the handler corrects it instead of typing it all again.
 */
function initialValues(action: ActionCode, detail: TicketDetail): Record<string, unknown> | undefined {
  const tk = detail.ticket;
  if (action !== 'reply' || !tk.replyText) return undefined;
  const prior: Record<string, unknown> = {
    verification: tk.verification,
    rootCause: tk.rootCause,
    responsibility: tk.responsibility,
    responsiblePerson: tk.responsiblePerson,
    replyText: tk.replyText,
  };
  return Object.fromEntries(Object.entries(prior).filter(([, v]) => v !== null && v !== undefined));
}

interface Props {
  action: ActionCode;
  detail: TicketDetail;
  /** Reloads the order; resolves with the fresh detail. */
  reload: () => Promise<TicketDetail | undefined>;
  onClose: () => void;
}

/**
 * The form of one action. The version is the one the user saw when opening the form; a 409 `ticket_changed`
 * reloads the order, says so, and keeps everything typed so the user can check and submit again.
 */
export function ActionModal({ action, detail, reload, onClose }: Props) {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [baseVersion, setBaseVersion] = useState(detail.ticket.version);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mutation = useTicketAction(detail.ticket.id);
  const def = ACTIONS[action];
  const hasFields = Object.keys(def.fields).length > 0;
  // Dispatch starts with the unit the text and address suggest (the same suggestion intake shows).
  const tk = detail.ticket;
  const suggestion = useIntakeSuggestion(
    action === 'dispatch'
      ? { kind: tk.kind as Kind, description: tk.description, subject: tk.subject, ...(tk.location ? { location: tk.location } : {}) }
      : null,
  );
  const suggested = suggestion.data?.unit ?? null;
  useEffect(() => {
    if (suggested && form.getFieldValue('unitId') === undefined) form.setFieldValue('unitId', suggested.id);
  }, [suggested, form]);

  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setError(null);
    try {
      await mutation.mutateAsync({ action, version: baseVersion, fields: toActionInput(action, values) });
      message.success(t('detail.actionDone', { action: l.action(action) }));
      onClose();
    } catch (e) {
      if (isApiError(e, 'ticket_changed')) {
        const fresh = await reload();
        if (fresh) setBaseVersion(fresh.ticket.version);
        setConflict(true);
        message.warning(t('detail.conflict'));
        return;
      }
      const path = fieldPath(e);
      if (path && hasFields && path[0] && path[0] in def.fields) form.setFields([{ name: path, errors: [errorText(e, t)] }]);
      else setError(errorText(e, t));
    }
  };

  return (
    <Modal
      open
      title={`${l.action(action)} · ${detail.ticket.number}`}
      okText={l.action(action)}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      okButtonProps={{ 'data-testid': 'action-submit' }}
      destroyOnHidden
      mask={{ closable: false }}
      width={hasFields ? 620 : 420}
    >
      <div data-testid={`action-form-${action}`}>
        {conflict && (
          <Alert type="warning" showIcon title={t('detail.conflict')} style={{ marginBottom: 16 }} data-testid="conflict-alert" />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="action-error" />}
        <Form form={form} layout="vertical" name={`action-${action}`} requiredMark initialValues={initialValues(action, detail)}>
          {hasFields ? (
            <>
              {suggested && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  data-testid="dispatch-suggested"
                  title={`${t('intake.suggestedUnit')}：${suggested.name}（${suggested.reason}）`}
                />
              )}
              <ActionFields action={action} classCode={detail.ticket.classCode} />
            </>
          ) : (
            <p>
              {t('common.confirm')}：{l.action(action)}？
            </p>
          )}
        </Form>
      </div>
    </Modal>
  );
}
