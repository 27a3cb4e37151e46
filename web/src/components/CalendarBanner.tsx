import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCalendarStatus } from '../api/admin.ts';
import { hasPermission, useMe } from '../api/auth.ts';

/**
 * The warning to administrators and leaders while a year's holiday calendar is missing (this year, or next year
 * from 1 November): deadlines reaching into it count weekends only and are provisional until it is entered.
 */
export function CalendarBanner({ showAction = true }: { showAction?: boolean }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const canEnter = hasPermission(me, 'admin.calendar');
  const concerned = canEnter || (me?.roles.includes('leader') ?? false);
  const status = useCalendarStatus(concerned);
  if (!concerned || !status.data?.warn || status.data.missing === null) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      style={{ marginBottom: 16 }}
      data-testid="calendar-banner"
      title={t('calendarAdmin.banner', { year: status.data.missing })}
      action={
        showAction && canEnter ? (
          <Link to="/admin/calendar">
            <Button size="small">{t('calendarAdmin.bannerAction')}</Button>
          </Link>
        ) : undefined
      }
    />
  );
}
