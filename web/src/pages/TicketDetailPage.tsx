import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { STATES } from '../../../core/workflow/index.ts';
import { hasPermission, useMe } from '../api/auth.ts';
import { isApiError } from '../api/client.ts';
import { useTicket } from '../api/tickets.ts';
import type { TicketDetail } from '../api/types.ts';
import { ActionBar } from '../components/ActionBar.tsx';
import { Attachments } from '../components/Attachments.tsx';
import { CustomerCard } from '../components/CustomerCard.tsx';
import { DeadlineList } from '../components/DeadlineList.tsx';
import { DeadlineTag } from '../components/DeadlineTag.tsx';
import { EventTimeline } from '../components/EventTimeline.tsx';
import { PageSpin } from '../components/PageSpin.tsx';
import { FlagTags, GradeTag, KindTag, StateTag } from '../components/Tags.tsx';
import { ExcludedUnitsContext } from '../components/UnitPicker.tsx';
import { useLabels } from '../hooks/useLabels.ts';
import { errorText } from '../lib/errors.ts';
import { fmtTime } from '../lib/time.ts';
import NotFoundPage from './NotFoundPage.tsx';

function ReplyCard({ d }: { d: TicketDetail }) {
  const { t } = useTranslation();
  const l = useLabels();
  const tk = d.ticket;
  if (!tk.replyText && !tk.satisfaction) return null;
  return (
    <Card title={t('detail.reply')} size="small" style={{ marginTop: 16 }} data-testid="reply-card">
      <Descriptions
        column={{ xs: 1, md: 2 }}
        size="small"
        items={[
          { key: 'v', label: t('detail.verification'), children: l.verification(tk.verification) },
          { key: 'c', label: t('detail.rootCause'), children: l.rootCause(tk.rootCause) },
          { key: 'r', label: t('detail.responsibility'), children: l.responsibility(tk.responsibility) },
          { key: 'p', label: t('detail.responsiblePerson'), children: tk.responsiblePerson ?? '—' },
          { key: 's', label: t('detail.satisfaction'), children: l.outcome(tk.satisfaction) },
          {
            key: 'x',
            label: t('detail.replyText'),
            span: 2,
            children: <span style={{ whiteSpace: 'pre-wrap' }}>{tk.replyText ?? '—'}</span>,
          },
        ]}
      />
    </Card>
  );
}

export default function TicketDetailPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const navigate = useNavigate();
  const me = useMe().data;
  const id = Number(useParams().id);
  const q = useTicket(id);
  if (q.isPending) return <PageSpin />;
  if (q.isError) {
    if (isApiError(q.error, 'not_found') || !Number.isSafeInteger(id)) return <NotFoundPage ticket />;
    return <Alert type="error" showIcon title={errorText(q.error, t)} />;
  }
  const d = q.data;
  const tk = d.ticket;
  const reload = async () => (await q.refetch()).data;
  const paused = STATES[tk.state]?.clocks === 'paused';
  return (
    <div data-testid="ticket-detail" data-version={tk.version}>
      <Card style={{ marginBottom: 16 }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Space wrap align="center">
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
            <Typography.Title level={4} style={{ margin: 0 }} className="gv-number" data-testid="ticket-number">
              {tk.number}
            </Typography.Title>
            <KindTag kind={tk.kind} />
            <StateTag state={tk.state} />
            <GradeTag grade={tk.grade} />
            <FlagTags flags={tk.flags} />
            {STATES[tk.state]?.open && !paused && <DeadlineTag dueAt={tk.nextDueAt} warned={tk.warned} overdue={tk.overdue} />}
            {!STATES[tk.state]?.open && tk.overdue && (
              <Tag color="error" data-testid="closed-late">
                {t('deadline.closedLate')}
              </Tag>
            )}
          </Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching} aria-label={t('common.refresh')} />
        </Space>
        <Typography.Title level={5} style={{ marginTop: 12 }}>
          {tk.subject}
        </Typography.Title>
        {tk.suspendRequest && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('detail.suspendRequested', { reason: tk.suspendRequest.reason, at: fmtTime(tk.suspendRequest.expectedResumeAt) })}
          />
        )}
        <ExcludedUnitsContext.Provider value={d.excludedUnitIds ?? []}>
          <ActionBar detail={d} reload={reload} />
        </ExcludedUnitsContext.Provider>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card title={t('detail.customerWords')} size="small">
            <blockquote className="gv-words" data-testid="customer-words">
              {tk.description}
            </blockquote>
            <Descriptions
              style={{ marginTop: 12 }}
              column={{ xs: 1, md: 2 }}
              size="small"
              items={[
                { key: 'class', label: t('list.class'), children: l.cls(tk.classCode) },
                { key: 'channel', label: t('list.channel'), children: l.channel(tk.channel) },
                { key: 'unit', label: t('detail.unit'), children: <span data-testid="ticket-unit">{tk.unitName ?? '—'}</span> },
                { key: 'intake', label: t('detail.intakeAt'), children: fmtTime(tk.intakeAt) },
                { key: 'loc', label: t('detail.location'), children: tk.location ?? '—' },
                ...(tk.externalRef ? [{ key: 'ext', label: t('detail.externalRef'), children: tk.externalRef }] : []),
                ...(tk.counts.redo ? [{ key: 'redo', label: t('detail.redoCount'), children: tk.counts.redo }] : []),
                ...(tk.counts.urge ? [{ key: 'urge', label: t('detail.urgeCount'), children: tk.counts.urge }] : []),
              ]}
            />
          </Card>
          <ReplyCard d={d} />
          <Card title={t('detail.timeline')} size="small" style={{ marginTop: 16 }}>
            <EventTimeline events={d.events} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={tk.kind === 'report' ? t('detail.reporter') : t('detail.customer')} size="small">
            <CustomerCard ticket={tk} canReveal={d.canRevealIdentity} />
          </Card>
          <Card title={t('detail.deadlines')} size="small" style={{ marginTop: 16 }}>
            <DeadlineList deadlines={d.deadlines} paused={paused} closed={!STATES[tk.state]?.open} />
          </Card>
          <Card title={t('detail.attachments')} size="small" style={{ marginTop: 16 }}>
            <Attachments
              ticketId={tk.id}
              items={d.attachments}
              canUpload={hasPermission(me, 'ticket.note')}
              onUploaded={() => void q.refetch()}
            />
          </Card>
          <Card title={t('detail.links')} size="small" style={{ marginTop: 16 }}>
            {d.links.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noLinks')} />
            ) : (
              <List
                size="small"
                dataSource={d.links}
                renderItem={(k) => (
                  <List.Item data-testid="link-item">
                    <List.Item.Meta
                      title={
                        <Space wrap size={4}>
                          <Link to={`/tickets/${k.orderId}`} className="gv-number">
                            {k.number}
                          </Link>
                          <StateTag state={k.state} />
                          <Tag>{t(`linkKind.${k.kind}`, { defaultValue: k.kind })}</Tag>
                        </Space>
                      }
                      description={k.subject}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
