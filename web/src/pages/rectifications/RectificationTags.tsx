import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Rectification } from '../../api/rectifications.ts';
import { dayjs, ZONE } from '../../lib/time.ts';

const COLOURS: Record<Rectification['state'], string> = { open: 'blue', submitted: 'gold', verified: 'cyan', closed: 'default' };

/** The state of a rectification, its overdue flag and the effect verdict, as tags. */
export function RectificationTags({ r }: { r: Pick<Rectification, 'state' | 'overdue' | 'effectVerdict'> }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={COLOURS[r.state]} data-testid="rect-state" data-state={r.state}>
        {t(`rect.states.${r.state}`)}
      </Tag>
      {r.overdue && r.state !== 'closed' ? <Tag color="red">{t('rect.overdue')}</Tag> : null}
      {r.effectVerdict ? (
        <Tag color={r.effectVerdict === 'effective' ? 'green' : 'orange'} data-testid="rect-verdict">
          {t(`rect.${r.effectVerdict}`)}
        </Tag>
      ) : null}
    </Space>
  );
}

/** A deadline at the end of a Shanghai day reads "2026-11-23 24:00" (the day it is due), never the next day's 00:00. */
export function fmtDue(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(ZONE);
  return d.hour() === 0 && d.minute() === 0 ? `${d.subtract(1, 'day').format('YYYY-MM-DD')} 24:00` : d.format('YYYY-MM-DD HH:mm');
}
