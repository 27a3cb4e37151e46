import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CLOCK_LABELS } from '../../../core/time-policy.ts';
import { ACTIONS, type ActionCode } from '../../../core/workflow/index.ts';
import { useOrgUnits } from '../api/reference.ts';
import type { TicketEvent } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { fmtTime } from '../lib/time.ts';
import { useFieldLabel } from './ActionFields.tsx';

const COLOURS: Record<string, string> = {
  reject: 'red',
  return: 'orange',
  revisit: 'green',
  approve: 'green',
  urge: 'orange',
  supervise: 'red',
};

/** What an event carried, in words: field labels and code labels from core/, unit names from the org tree. */
function EventInput({ e }: { e: TicketEvent }) {
  const { t } = useTranslation();
  const l = useLabels();
  const fieldLabel = useFieldLabel();
  const units = useOrgUnits();
  if (!(e.action in ACTIONS)) {
    if (e.action === 'warning' || e.action === 'overdue') {
      const clock = CLOCK_LABELS[e.input.clock as keyof typeof CLOCK_LABELS];
      return <span>{t('event.clockDue', { clock: clock ? l.of(clock) : '', due: fmtTime(String(e.input.due ?? '')) })}</span>;
    }
    if (e.action === 'link_outage') return <span>{String(e.input.number ?? '')}</span>;
    if (e.action === 'question' || e.action === 'reporter_answer')
      return <span style={{ whiteSpace: 'pre-wrap' }}>{String(e.input.text ?? '')}</span>;
    if (e.action === 'attach') return <span>{String(e.input.name ?? '')}</span>;
    if (e.action === 'link') return <span>{String(e.input.number ?? '')}</span>;
    return null;
  }
  const action = e.action as ActionCode;
  const fields = ACTIONS[action].fields;
  const rows = Object.entries(e.input)
    .filter(([k]) => k in fields)
    .map(([k, v]) => {
      const spec = fields[k];
      let text = String(v);
      if (spec?.type === 'enum') text = l.enumValue(spec.values, text);
      else if (k === 'unitId') text = units.data?.find((u) => u.id === v)?.name ?? text;
      else if (spec?.type === 'datetime') text = fmtTime(text);
      return (
        <div key={k}>
          <Typography.Text type="secondary">{fieldLabel(action, k)}：</Typography.Text>
          <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>
        </div>
      );
    });
  return <>{rows}</>;
}

/** The order's history, oldest first: who did what when, and what it changed. */
export function EventTimeline({ events }: { events: TicketEvent[] }) {
  const { t } = useTranslation();
  const l = useLabels();
  return (
    <Timeline
      data-testid="timeline"
      items={events.map((e) => ({
        key: e.seq,
        color: COLOURS[e.action] ?? (e.action === 'intake' ? 'blue' : 'gray'),
        title: fmtTime(e.at),
        content: (
          <div data-testid="timeline-item" data-action={e.action}>
            <Typography.Text strong>{l.action(e.action)}</Typography.Text>
            {e.from && e.from !== e.to && (
              <Typography.Text type="secondary">
                {'  '}
                {l.state(e.from)} → {l.state(e.to)}
              </Typography.Text>
            )}
            <div style={{ fontSize: 12, color: '#595959' }}>
              {e.actorName ?? t('event.system')}
              {e.actorUnitName ? ` · ${e.actorUnitName}` : ''}
            </div>
            <EventInput e={e} />
          </div>
        ),
      }))}
    />
  );
}
