import { Card, Empty, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSearch } from '../api/text.ts';
import { useLabels, useLang } from '../hooks/useLabels.ts';

const TEXT = {
  zh: {
    title: '全局搜索',
    placeholder: '输入工单编号、电话、户号，或诉求文字，如：抢修 电费、"电费突然翻倍"、供电所 -抄表',
    matched: { number: '按编号', phone: '按电话', account: '按户号', text: '' },
    excluded: (w: string) => `已排除：${w}`,
    none: '没有找到匹配的工单',
    more: '下一页',
    total: (n: number) => `共 ${n} 条匹配`,
    truncated: (n: number) => `匹配超过 ${n} 条，仅对最近的 ${n} 条按相关度排序；请增加关键词缩小范围`,
  },
  en: {
    title: 'Search',
    placeholder: 'An order number, phone, account number or words, e.g. 抢修 电费, "电费突然翻倍", 供电所 -抄表',
    matched: { number: 'by number', phone: 'by phone', account: 'by account', text: '' },
    excluded: (w: string) => `Excluded: ${w}`,
    none: 'No matching orders',
    more: 'Next page',
    total: (n: number) => `${n} matching orders`,
    truncated: (n: number) => `More than ${n} matches: only the newest ${n} are ranked; add words to narrow the search`,
  },
} as const;

/** Full-text search over the orders the user may see (GET /search); snippets come escaped with <mark> around the matches. */
export default function SearchPage() {
  const s = TEXT[useLang()];
  const l = useLabels();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, isFetching } = useSearch(q, cursor);

  return (
    <Card title={s.title}>
      <Input.Search
        defaultValue={q}
        placeholder={s.placeholder}
        enterButton
        allowClear
        loading={isFetching}
        onSearch={(v) => {
          setCursor(null);
          setParams(v.trim() ? { q: v.trim() } : {});
        }}
        data-testid="search-input"
      />
      {data && data.items.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }} data-testid="search-total">
          {data.truncated ? s.truncated(data.total) : s.total(data.total)}
          {data.excluded.length > 0 && ` · ${s.excluded(data.excluded.join('、'))}`}
        </Typography.Text>
      )}
      {q && data && data.items.length === 0 && <Empty description={s.none} style={{ marginTop: 24 }} />}
      {data && data.items.length > 0 && (
        <List
          style={{ marginTop: 16 }}
          dataSource={data.items}
          data-testid="search-results"
          renderItem={(h) => (
            <List.Item>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Link to={`/tickets/${h.id}`}>{h.number}</Link>
                  {h.matchedBy !== 'text' && <Tag color="green">{s.matched[h.matchedBy]}</Tag>}
                  <Tag>{l.kind(h.kind)}</Tag>
                  <Tag>{l.cls(h.classCode)}</Tag>
                  <Tag color="blue">{l.state(h.state)}</Tag>
                  {h.unitName && <Typography.Text type="secondary">{h.unitName}</Typography.Text>}
                </Space>
                {/* The server escapes the text and adds only <mark> tags (search.service snippet()). */}
                <strong className="gv-snippet" dangerouslySetInnerHTML={{ __html: h.snippets.subject ?? escapeHtml(h.subject) }} />
                {(['description', 'reply', 'location'] as const).map((k) =>
                  h.snippets[k] ? (
                    <div
                      key={k}
                      className="gv-snippet"
                      style={k === 'description' ? undefined : { color: 'rgba(0,0,0,0.55)' }}
                      dangerouslySetInnerHTML={{ __html: h.snippets[k] as string }}
                    />
                  ) : null,
                )}
              </Space>
            </List.Item>
          )}
        />
      )}
      {data?.nextCursor && (
        <Typography.Link onClick={() => setCursor(data.nextCursor)} style={{ display: 'block', marginTop: 8 }}>
          {s.more}
        </Typography.Link>
      )}
    </Card>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
