import { Card, Typography } from 'antd';
import { useScript } from '../../api/outages.ts';
import { useLang } from '../../hooks/useLabels.ts';

const TITLE = { zh: '参考话术', en: 'Reply script' } as const;

/**
 * The reply script (话术) for the class, kind and channel being typed in, or for an order: four sections, with the
 * dates the deadline engine gives the order (none while no kind is chosen).
 */
export function ReplyScriptCard(props: {
  classCode?: string | null;
  kind?: string | null;
  channel?: string | null;
  externalDueAt?: string | null;
  orderId?: number | null;
}) {
  const lang = useLang();
  const { data } = useScript({ ...props, classCode: props.classCode ?? '' });
  if (!data?.sections) return null;
  return (
    <Card size="small" title={`${TITLE[lang]} · ${data.title}`} style={{ marginTop: 12 }} data-testid="reply-script">
      {data.sections.map((sec) => (
        <div key={sec.code} style={{ marginBottom: 8 }}>
          <Typography.Text strong>{lang === 'zh' ? sec.zh : sec.en}</Typography.Text>
          <Typography.Paragraph copyable={{ text: sec.text }} style={{ marginBottom: 0 }}>
            {sec.text}
          </Typography.Paragraph>
        </div>
      ))}
    </Card>
  );
}
