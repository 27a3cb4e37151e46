import { ClockCircleOutlined, ExclamationCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/useNow.ts';
import { fmtTime, span } from '../lib/time.ts';

export type DeadlineLevel = 'normal' | 'warning' | 'overdue';

/**
 * Deadline colours, chosen for WCAG AA contrast (≥ 4.5:1) of the text on its background,
 * and never the only cue: each level has its own icon and words.
 */
export const DEADLINE_COLOURS: Record<DeadlineLevel, { fg: string; bg: string; border: string }> = {
  normal: { fg: '#135200', bg: '#f6ffed', border: '#95de64' },
  warning: { fg: '#7a3300', bg: '#fff7e6', border: '#ffc069' },
  overdue: { fg: '#a8071a', bg: '#fff1f0', border: '#ff7875' },
};

/** The level of a deadline: overdue once passed (or flagged), warning when the sweeper flagged it. */
export function deadlineLevel(dueAt: string, now: number, flags: { warned?: boolean; overdue?: boolean }): DeadlineLevel {
  if (flags.overdue || Date.parse(dueAt) <= now) return 'overdue';
  if (flags.warned) return 'warning';
  return 'normal';
}

/** The time left (or past) in words: 2天3小时, 5小时20分钟. */
export function useSpanText() {
  const { t } = useTranslation();
  return (ms: number) => {
    const s = span(ms);
    if (s.d > 0) return `${t('deadline.d', { n: s.d })}${s.h > 0 ? t('deadline.h', { n: s.h }) : ''}`;
    if (s.h > 0) return `${t('deadline.h', { n: s.h })}${s.m > 0 ? t('deadline.m', { n: s.m }) : ''}`;
    return t('deadline.m', { n: s.m });
  };
}

/** A coloured countdown to a deadline (list cells, detail header). */
export function DeadlineTag({ dueAt, warned, overdue }: { dueAt: string | null; warned?: boolean; overdue?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const spanText = useSpanText();
  if (!dueAt) return <span>—</span>;
  const level = deadlineLevel(dueAt, now, { warned, overdue });
  const c = DEADLINE_COLOURS[level];
  const left = Date.parse(dueAt) - now;
  const text = left > 0 ? t('deadline.left', { t: spanText(left) }) : t('deadline.overdueBy', { t: spanText(left) });
  const Icon = level === 'overdue' ? ExclamationCircleOutlined : level === 'warning' ? WarningOutlined : ClockCircleOutlined;
  return (
    <Tooltip title={`${t('deadline.due')}: ${fmtTime(dueAt)}`}>
      <span
        className="gv-deadline"
        data-testid="deadline-tag"
        data-level={level}
        style={{ color: c.fg, background: c.bg, borderColor: c.border }}
      >
        <Icon aria-hidden /> {level === 'warning' ? `${t('deadline.warning')} · ` : ''}
        {text}
      </span>
    </Tooltip>
  );
}
