import { Alert, Button, Space, Tag } from 'antd';
import { type Outage, useActiveOutages } from '../../api/outages.ts';
import { useLang } from '../../hooks/useLabels.ts';
import { fmtTime } from '../../lib/time.ts';

const TEXT = {
  zh: {
    title: (n: number) => `该区域有 ${n} 起停电事件`,
    planned: '计划停电',
    fault: '故障停电',
    expected: '预计恢复',
    unknown: '恢复时间待定',
    link: '关联此停电',
    linked: '已关联',
    notStarted: '尚未开始',
    tell: '可告知客户：停电原因、影响范围和预计恢复时间；抢修人员正在处理。',
  },
  en: {
    title: (n: number) => `${n} outage(s) in this area`,
    planned: 'Planned',
    fault: 'Fault',
    expected: 'Expected restore',
    unknown: 'restore time not yet known',
    link: 'Link to this outage',
    linked: 'Linked',
    notStarted: 'not started yet',
    tell: 'Tell the caller the cause, the area and the expected restore time; repair crews are on it.',
  },
} as const;

/** The active outages for the caller's address or station, shown on the intake page; the agent may link one. */
export function OutageBanner(props: { location?: string; unitId?: number; linkedId?: number | null; onLink?: (o: Outage | null) => void }) {
  const s = TEXT[useLang()];
  const { data } = useActiveOutages(props.location, props.unitId);
  if (!data?.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="outage-banner"
      style={{ marginBottom: 12 }}
      message={s.title(data.length)}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          {data.map((o) => (
            <div key={o.id} data-testid={`outage-${o.id}`}>
              <Space wrap>
                <Tag color={o.kind === 'fault' ? 'red' : 'blue'}>{o.kind === 'fault' ? s.fault : s.planned}</Tag>
                <strong>{o.title}</strong>
                <span>{o.cause}</span>
                {o.started === false && <Tag>{s.notStarted}</Tag>}
              </Space>
              <div>
                {[...o.areas, ...o.feeders].join('、')} ·{' '}
                {o.expectedRestoreAt ? `${s.expected} ${fmtTime(o.expectedRestoreAt)}` : s.unknown}
              </div>
              {props.onLink && (
                <Button
                  size="small"
                  type={props.linkedId === o.id ? 'primary' : 'default'}
                  onClick={() => props.onLink?.(props.linkedId === o.id ? null : o)}
                  data-testid={`outage-link-${o.id}`}
                >
                  {props.linkedId === o.id ? s.linked : s.link}
                </Button>
              )}
            </div>
          ))}
          <span style={{ color: '#8c8c8c' }}>{s.tell}</span>
        </Space>
      }
    />
  );
}
