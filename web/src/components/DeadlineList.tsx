import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Deadline } from '../api/types.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { fmtTime } from '../lib/time.ts';
import { DeadlineTag } from './DeadlineTag.tsx';

/**
 * Every deadline of the order with its state and its explanation in words. On a closed order the clocks have
 * stopped: nothing counts on; a clock never met says whether it had run out before the order closed (the stored
 * overdue flag, the same fact as the API's `overdue`).
 */
export function DeadlineList({ deadlines, paused, closed = false }: { deadlines: Deadline[]; paused: boolean; closed?: boolean }) {
  const { t } = useTranslation();
  const l = useLabels();
  if (deadlines.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deadline.none')} />;
  return (
    <List
      size="small"
      dataSource={deadlines}
      data-testid="deadline-list"
      renderItem={(d) => {
        const met = Boolean(d.metAt);
        return (
          <List.Item data-testid={`deadline-${d.clock}`}>
            <div style={{ width: '100%' }}>
              <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text strong>{l.of(d.label)}</Typography.Text>
                {met ? (
                  d.onTime === false ? (
                    <Tag color="error" icon={<ExclamationCircleOutlined />}>
                      {t('deadline.metLate')}
                    </Tag>
                  ) : (
                    <Tag color="success" icon={<CheckCircleOutlined />}>
                      {t('deadline.metOnTime')}
                    </Tag>
                  )
                ) : closed ? (
                  d.overdue ? (
                    <Tag color="error" icon={<ExclamationCircleOutlined />} data-testid="deadline-closed-late">
                      {t('deadline.closedLate')}
                    </Tag>
                  ) : (
                    <Tag data-testid="deadline-stopped">{t('deadline.stopped')}</Tag>
                  )
                ) : paused ? (
                  <Tag color="purple">{t('deadline.paused')}</Tag>
                ) : (
                  <DeadlineTag dueAt={d.dueAt} warned={d.warned} overdue={d.overdue} />
                )}
              </Space>
              <div style={{ fontSize: 12, color: '#595959', marginTop: 4 }}>
                {t('deadline.due')}：{fmtTime(d.dueAt)}
                {met && ` · ${t('deadline.met')}：${fmtTime(d.metAt)}`}
                {d.provisional && (
                  <Tag color="warning" style={{ marginLeft: 8 }}>
                    {t('deadline.provisional')}
                  </Tag>
                )}
              </div>
              <div style={{ fontSize: 12, color: '#595959' }} data-testid="deadline-explanation">
                {t('deadline.explanation')}：{l.of(d.explanation)}
              </div>
            </div>
          </List.Item>
        );
      }}
    />
  );
}
