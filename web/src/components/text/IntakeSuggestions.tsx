import { AlertOutlined, BulbOutlined, LinkOutlined, NotificationOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type SuggestInput, useIntakeSuggestion } from '../../api/text.ts';
import { useLabels, useLang } from '../../hooks/useLabels.ts';

const TEXT = {
  zh: {
    title: '智能辅助',
    classes: '建议分类（点击应用）',
    kindHint: '内容更像',
    unit: '建议责任单位',
    risk: '升级风险',
    raise: '建议将等级提升为',
    apply: '应用',
    open: '该客户有未办结工单',
    urge: '去催办',
    similar: '7日内同一供电所相似工单',
    view: '查看/关联',
    none: '输入诉求内容后显示建议',
  },
  en: {
    title: 'Assistant',
    classes: 'Suggested classes (click to apply)',
    kindHint: 'The text reads as',
    unit: 'Suggested unit',
    risk: 'Escalation risk',
    raise: 'Raise the grade to',
    apply: 'Apply',
    open: 'Open orders of this customer',
    urge: 'Urge',
    similar: 'Similar orders of the same station (7 days)',
    view: 'Open / link',
    none: 'Suggestions appear as the description is typed',
  },
} as const;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

interface Props {
  input: SuggestInput;
  onApplyClass(code: string): void;
  onApplyGrade(grade: string): void;
  /** Told each suggested unit, so that a dispatch from intake can start with it. */
  onSuggestUnit?(unit: { id: number; name: string }): void;
}

/** Beside the intake form: suggested classes, unit, the risk card and duplicate offers (POST /intake/suggest). */
export function IntakeSuggestions({ input, onApplyClass, onApplyGrade, onSuggestUnit }: Props) {
  const lang = useLang();
  const s = TEXT[lang];
  const l = useLabels();
  const debounced = useDebounced(input, 600);
  const { data } = useIntakeSuggestion(debounced.description.trim() ? debounced : null);
  const unit = data?.unit ?? null;
  useEffect(() => {
    if (unit) onSuggestUnit?.(unit);
  }, [unit, onSuggestUnit]);

  return (
    <Card
      title={
        <>
          <BulbOutlined /> {s.title}
        </>
      }
      size="small"
      style={{ marginTop: 16 }}
      data-testid="intake-suggestions"
    >
      {!data && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s.none} />}
      {data && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {data.risk.level !== 'low' && (
            <Alert
              type={data.risk.flagged ? 'error' : 'warning'}
              showIcon
              icon={<AlertOutlined />}
              data-testid="risk-card"
              message={`${s.risk} ${data.risk.score}：${data.risk.reasons.join('；')}`}
              description={
                <>
                  {data.risk.card?.split('\n').map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                  {data.risk.suggestGrade && (
                    <Button size="small" danger style={{ marginTop: 8 }} onClick={() => onApplyGrade(data.risk.suggestGrade as string)}>
                      {s.raise} {l.grade(data.risk.suggestGrade)}
                    </Button>
                  )}
                </>
              }
            />
          )}
          {data.kinds[0] && data.kinds[0].code !== input.kind && data.kinds[0].confidence >= 0.6 && (
            <Typography.Text data-testid="suggested-kind">
              {s.kindHint} <Tag color="blue">{l.kind(data.kinds[0].code)}</Tag>
              {data.kinds[0].words.slice(0, 3).map((w) => (
                <Tag key={w}>{w}</Tag>
              ))}
            </Typography.Text>
          )}
          {data.classes.length > 0 && (
            <div data-testid="suggested-classes">
              <Typography.Text type="secondary">{s.classes}</Typography.Text>
              {data.classes.map((c) => (
                <Button key={c.code} type="text" block style={{ height: 'auto', textAlign: 'left' }} onClick={() => onApplyClass(c.code)}>
                  <Space direction="vertical" size={0} style={{ width: '100%' }}>
                    <span>
                      {l.cls(c.code)}{' '}
                      <Progress
                        percent={Math.round(c.confidence * 100)}
                        status="normal"
                        size="small"
                        style={{ width: 120, display: 'inline-flex' }}
                      />
                    </span>
                    <span>
                      {c.words.slice(0, 4).map((w) => (
                        <Tag key={w}>{w}</Tag>
                      ))}
                    </span>
                  </Space>
                </Button>
              ))}
            </div>
          )}
          {data.unit && (
            <div>
              <Typography.Text type="secondary">{s.unit}：</Typography.Text>
              <Tag color="blue">{data.unit.name}</Tag>
              <Typography.Text type="secondary">{data.unit.reason}</Typography.Text>
            </div>
          )}
          {data.duplicates.openOrders.length > 0 && (
            <List
              size="small"
              header={
                <>
                  <NotificationOutlined /> {s.open}
                </>
              }
              dataSource={data.duplicates.openOrders}
              renderItem={(o) => (
                <List.Item
                  actions={[
                    <Link key="urge" to={`/tickets/${o.id}`}>
                      {s.urge}
                    </Link>,
                  ]}
                >
                  {o.number} {o.subject} <Tag>{l.state(o.state)}</Tag>
                </List.Item>
              )}
            />
          )}
          {data.duplicates.similar.length > 0 && (
            <List
              size="small"
              header={
                <>
                  <LinkOutlined /> {s.similar}
                </>
              }
              dataSource={data.duplicates.similar}
              renderItem={(o) => (
                <List.Item
                  actions={[
                    <Link key="link" to={`/tickets/${o.id}`}>
                      {s.view}
                    </Link>,
                  ]}
                >
                  {o.number} {o.subject} <Tag>{Math.round(o.similarity * 100)}%</Tag>
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
