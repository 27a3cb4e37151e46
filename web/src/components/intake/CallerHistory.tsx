import { Alert, Empty, List, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerHistory } from '../../api/types.ts';
import { useLabels } from '../../hooks/useLabels.ts';
import { fmtDate } from '../../lib/time.ts';
import { StateTag } from '../Tags.tsx';

/** The caller's earlier and open orders beside the intake form, with the repeat warning. Links open a new tab so the form stays. */
export function CallerHistory({ data, loading }: { data: CustomerHistory | null; loading: boolean }) {
  const { t } = useTranslation();
  const l = useLabels();
  if (loading) return <Spin />;
  if (!data) return <Typography.Text type="secondary">{t('intake.keyboardHint')}</Typography.Text>;
  if (data.orders.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noHistory')} />;
  return (
    <div data-testid="caller-history">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {data.last30Days > 0 && (
          <Alert type="warning" showIcon title={t('intake.repeatWarning', { n: data.last30Days })} data-testid="repeat-warning" />
        )}
        {data.openOrders.length > 0 && <Alert type="info" showIcon title={t('intake.openWarning', { n: data.openOrders.length })} />}
      </Space>
      <List
        size="small"
        style={{ marginTop: 8 }}
        dataSource={data.orders}
        renderItem={(o) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <a href={`/tickets/${o.id}`} target="_blank" rel="noreferrer" className="gv-number">
                  {o.number}
                </a>
                <StateTag state={o.state} />
              </Space>
              <div style={{ fontSize: 12, color: '#595959' }}>
                {fmtDate(o.createdAt)} · {l.cls(o.classCode)}
              </div>
              <div>{o.subject}</div>
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}
