import { Button, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIONS, type ActionCode } from '../../../core/workflow/index.ts';
import type { TicketDetail } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { ActionModal } from './ActionModal.tsx';

/** Exactly the actions the server says the user may take now, main ones first; each opens its generated form. */
export function ActionBar({ detail, reload }: { detail: TicketDetail; reload: () => Promise<TicketDetail | undefined> }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [open, setOpen] = useState<ActionCode | null>(null);
  const actions = [...detail.availableActions].sort((a, b) => Number(Boolean(ACTIONS[b].primary)) - Number(Boolean(ACTIONS[a].primary)));
  const blocked = detail.blockedActions ?? [];
  if (actions.length === 0 && blocked.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid="no-actions">
        {t('detail.noActions')}
      </Typography.Text>
    );
  }
  return (
    <>
      <Space wrap data-testid="action-bar">
        {actions.map((a) => (
          <Button key={a} type={ACTIONS[a].primary ? 'primary' : 'default'} onClick={() => setOpen(a)} data-testid={`action-${a}`}>
            {l.action(a)}
          </Button>
        ))}
        {blocked.map((b) => {
          const reason = b.guards.map((g) => t(`guard.${g}`)).join('；');
          return (
            <Space key={b.action} size={4}>
              <Tooltip title={reason}>
                <span>
                  <Button disabled data-testid={`action-${b.action}`} aria-describedby={`blocked-${b.action}`}>
                    {l.action(b.action)}
                  </Button>
                </span>
              </Tooltip>
              <Typography.Text type="secondary" id={`blocked-${b.action}`} data-testid={`action-reason-${b.action}`}>
                {reason}
              </Typography.Text>
            </Space>
          );
        })}
      </Space>
      {open && <ActionModal key={open} action={open} detail={detail} reload={reload} onClose={() => setOpen(null)} />}
    </>
  );
}
