import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATES, type StateCode } from '../../../core/workflow/index.ts';
import type { TicketFlags } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';

/** State colours follow the meaning of the state (open, paused, closed), never its name. */
function stateColour(state: StateCode): string {
  const s = STATES[state];
  if (!s) return 'default';
  if (!s.open) return 'default';
  if (s.clocks === 'paused') return 'purple';
  return state === 'pending_dispatch' ? 'gold' : 'blue';
}

export function StateTag({ state }: { state: StateCode }) {
  const l = useLabels();
  return (
    <Tag color={stateColour(state)} data-testid="state-tag" data-state={state}>
      {l.state(state)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: string }) {
  const l = useLabels();
  return <Tag color={kind === 'report' ? 'magenta' : kind === 'complaint' ? 'volcano' : 'cyan'}>{l.kind(kind)}</Tag>;
}

export function GradeTag({ grade }: { grade: string }) {
  const l = useLabels();
  if (grade === 'normal') return <span>{l.grade(grade)}</span>;
  return <Tag color={grade === 'important' ? 'orange' : 'red'}>{l.grade(grade)}</Tag>;
}

const FLAG_COLOURS: Record<keyof TicketFlags, string> = { repeat: 'orange', supervised: 'red', risk: 'volcano', outage: 'geekblue' };

/** The flags 重复 / 督办 / 风险 / 停电 as tags. */
export function FlagTags({ flags }: { flags: TicketFlags }) {
  const { t } = useTranslation();
  const on = (Object.keys(FLAG_COLOURS) as Array<keyof TicketFlags>).filter((f) => flags[f]);
  if (on.length === 0) return null;
  return (
    <Space size={2} wrap>
      {on.map((f) => (
        <Tag key={f} color={FLAG_COLOURS[f]} data-testid={`flag-${f}`}>
          {t(`flag.${f}`)}
        </Tag>
      ))}
    </Space>
  );
}
