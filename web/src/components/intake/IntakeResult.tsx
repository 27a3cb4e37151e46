import { Alert, Button, Result, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DeadlinePlan, IntakeResponse } from '../../api/types.ts';
import { useLabels } from '../../hooks/useLabels.ts';
import { fmtTime } from '../../lib/time.ts';

/** After a save: the number large with a copy button, the receipt code of an anonymous report, and the deadlines. */
export function IntakeResult({ result, preview, onNext }: { result: IntakeResponse; preview: DeadlinePlan[]; onNext: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const tk = result.ticket;
  const own = new Set(result.deadlines.map((d) => d.clock));
  const rows: DeadlinePlan[] = [...result.deadlines, ...preview.filter((p) => !own.has(p.clock))];
  return (
    <Result
      status="success"
      title={t('intake.saved')}
      data-testid="intake-result"
      subTitle={
        <div>
          <div>{t('intake.number')}</div>
          <Typography.Text
            copyable={{ text: tk.number, tooltips: [t('common.copy'), t('common.copied')] }}
            className="gv-number"
            style={{ fontSize: 34, fontWeight: 700, color: '#00504c' }}
            data-testid="intake-number"
          >
            {tk.number}
          </Typography.Text>
          {result.receiptCode && (
            <Alert
              style={{ marginTop: 12, textAlign: 'left' }}
              type="warning"
              showIcon
              title={t('intake.receiptCode')}
              description={
                <Typography.Text copyable strong className="gv-number" style={{ fontSize: 20 }}>
                  {result.receiptCode}
                </Typography.Text>
              }
            />
          )}
        </div>
      }
      extra={[
        <Button key="next" type="primary" size="large" onClick={onNext} autoFocus data-testid="intake-next">
          {t('intake.next')}
        </Button>,
        <Link key="open" to={`/tickets/${tk.id}`}>
          <Button size="large" data-testid="intake-open">
            {t('intake.open')}
          </Button>
        </Link>,
      ]}
    >
      <Typography.Title level={5}>{t('intake.deadlines')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intake.previewNote')}</Typography.Paragraph>
      <Table<DeadlinePlan>
        size="small"
        pagination={false}
        rowKey="clock"
        dataSource={rows}
        data-testid="intake-deadlines"
        columns={[
          { title: t('intake.deadlines'), key: 'label', width: 140, render: (_, d) => l.of(d.label) },
          { title: t('deadline.due'), key: 'due', width: 150, render: (_, d) => fmtTime(d.dueAt) },
          { title: t('deadline.explanation'), key: 'exp', render: (_, d) => l.of(d.explanation) },
        ]}
      />
    </Result>
  );
}
