import { Alert, Button, Card, DatePicker, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOrgUnits } from '../../api/reference.ts';
import { type Bulletin, bulletinUrl, useBulletin } from '../../api/stats.ts';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { dayjs, ZONE } from '../../lib/time.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * The monthly bulletin 通报: a month picker (no hand-typed month), the printable and Excel versions, and the
 * units and substantiated cases of the month, each of which can raise a rectification.
 */
export function BulletinTab({ initialMonth, canRaise }: { initialMonth: string; canRaise: boolean }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [month, setMonth] = useState(initialMonth);
  const b = useBulletin(month);
  const units = useOrgUnits();
  const unitRaise = (u: Bulletin['units'][number]) =>
    `/rectifications/new?${new URLSearchParams({
      drill: JSON.stringify(u.drill),
      report: 'bulletin',
      period: month,
      what: '投诉举报',
      n: String(u.n),
      bulletin: month,
    }).toString()}`;
  const caseRaise = (c: Bulletin['cases'][number]) => {
    const unitId = units.data?.find((u) => u.name === c.unit)?.id;
    return `/rectifications/new?${new URLSearchParams({
      ticketIds: String(c.id),
      numbers: c.number,
      subject: c.subject,
      bulletin: month,
      ...(unitId ? { unitId: String(unitId) } : {}),
    }).toString()}`;
  };
  return (
    <Card>
      <Space wrap>
        <DatePicker
          picker="month"
          allowClear={false}
          aria-label={t('period.pickMonth')}
          value={dayjs.tz(`${month}-01`, ZONE)}
          disabledDate={(d) => d.isAfter(dayjs().tz(ZONE), 'month')}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          data-testid="bulletin-month"
        />
        <Button type="primary" href={bulletinUrl(month, 'html')} target="_blank">
          打印版通报
        </Button>
        <Button href={bulletinUrl(month, 'xlsx')}>下载 Excel</Button>
      </Space>
      {b.error ? <Alert type="error" showIcon title={errorText(b.error, t)} style={{ marginTop: 12 }} /> : null}
      {b.data ? (
        <div data-testid="bulletin">
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            {b.data.title}
          </Typography.Title>
          <Table
            size="small"
            rowKey="unitId"
            pagination={false}
            dataSource={b.data.units}
            scroll={{ x: true }}
            columns={[
              { title: '单位', dataIndex: 'unit' },
              { title: '工单', dataIndex: 'n' },
              { title: '投诉', dataIndex: 'complaints' },
              { title: '超期', dataIndex: 'overdue' },
              { title: '回访满意率', dataIndex: 'satisfactionRate', render: pct },
              { title: '投诉排名', dataIndex: 'rankComplaints' },
              ...(canRaise
                ? [
                    {
                      title: '整改',
                      key: 'raise',
                      render: (_: unknown, u: Bulletin['units'][number]) =>
                        u.n > 0 ? (
                          <Link to={unitRaise(u)} data-testid="raise-from-bulletin">
                            发起整改
                          </Link>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            本月属实案件
          </Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={b.data.cases}
            locale={{ emptyText: '本月没有属实案件' }}
            columns={[
              { title: '工单编号', dataIndex: 'number', render: (v: string, c) => <Link to={`/tickets/${c.id}`}>{v}</Link> },
              { title: '单位', dataIndex: 'unit' },
              { title: '分类', dataIndex: 'class' },
              { title: '标题', dataIndex: 'subject', ellipsis: true },
              { title: '核实结果', dataIndex: 'verification' },
              ...(canRaise
                ? [
                    {
                      title: '整改',
                      key: 'raise',
                      render: (_: unknown, c: Bulletin['cases'][number]) => (
                        <Link to={caseRaise(c)} data-testid="raise-from-case">
                          发起整改
                        </Link>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {b.data.withheldCases ? <Typography.Paragraph type="secondary">{l.of(b.data.withheldCases)}</Typography.Paragraph> : null}
        </div>
      ) : null}
    </Card>
  );
}
