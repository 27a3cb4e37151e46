import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMarkRead, useNotifications } from '../api/notifications.ts';
import { fmtTime, localizeTimes } from '../lib/time.ts';

/** The in-app bell: assignments, urges, supervisions, warnings; a click opens the order and marks it read. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const q = useNotifications();
  const markRead = useMarkRead();
  const unread = q.data?.unread ?? 0;
  const content = (
    <div style={{ width: 360 }} data-testid="notification-list">
      {q.data?.items.length ? (
        <List
          size="small"
          dataSource={q.data.items}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: 'pointer', background: n.read ? undefined : '#f0faf9' }}
              onClick={() => {
                if (!n.read) markRead.mutate([n.id]);
                setOpen(false);
                if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
              }}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.read}>{localizeTimes(n.text)}</Typography.Text>}
                description={fmtTime(n.createdAt)}
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notif.empty')} />
      )}
    </div>
  );
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between' }}>
          <span>{t('notif.title')}</span>
          {unread > 0 && (
            <Button size="small" type="link" onClick={() => markRead.mutate('all')}>
              {t('notif.markAll')}
            </Button>
          )}
        </div>
      }
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99}>
        <Button
          shape="circle"
          icon={<BellOutlined />}
          data-testid="notification-bell"
          aria-label={`${t('nav.notifications')}${unread ? `, ${t('notif.unread', { n: unread })}` : ''}`}
        />
      </Badge>
    </Popover>
  );
}
