import { FileOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Row,
  Space,
  Table,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { API_BASE, isApiError } from '../../api/client.ts';
import {
  type EffectFigures,
  type RectificationDetail,
  uploadEvidence,
  useRectification,
  useRectificationEffect,
  useRectificationStep,
} from '../../api/rectifications.ts';
import { PageSpin } from '../../components/PageSpin.tsx';
import { useLabels } from '../../hooks/useLabels.ts';
import { errorText } from '../../lib/errors.ts';
import { fmtTime } from '../../lib/time.ts';
import NotFoundPage from '../NotFoundPage.tsx';
import { fmtDue, RectificationTags } from './RectificationTags.tsx';

/** The cause's complaints before and after, with the verdict (a preview while the period runs). */
function EffectCard({ d }: { d: RectificationDetail }) {
  const { t } = useTranslation();
  const r = d.rectification;
  const shown = r.state === 'verified' || r.state === 'closed';
  const effect = useRectificationEffect(r.id, shown);
  const step = useRectificationStep(r.id);
  const { message } = App.useApp();
  if (!shown) return null;
  const e: EffectFigures | undefined = effect.data;
  const rows = e
    ? [
        { key: 'before', label: t('rect.before'), ...e.before },
        { key: 'after', label: t('rect.after'), ...e.after },
      ]
    : [];
  return (
    <Card size="small" title={t('rect.effect')} style={{ marginTop: 16 }} data-testid="rect-effect">
      {e && e.final === false ? <Alert type="info" showIcon title={t('rect.preview')} style={{ marginBottom: 8 }} /> : null}
      <Table
        size="small"
        pagination={false}
        loading={effect.isPending}
        dataSource={rows}
        columns={[
          { title: '', dataIndex: 'label' },
          { title: t('rect.period'), key: 'p', render: (_, x) => `${x.from} ~ ${x.to}` },
          { title: t('rect.count'), dataIndex: 'count', onCell: (x) => ({ 'data-testid': `effect-${x.key}` }) as object },
          { title: t('rect.rate'), dataIndex: 'ratePer10kPerMonth', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
        ]}
      />
      {e ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('rect.customers', { n: e.customers })}
        </Typography.Paragraph>
      ) : null}
      {d.can.effectCheck ? (
        <Button
          type="primary"
          style={{ marginTop: 8 }}
          loading={step.isPending}
          data-testid="rect-effect-check"
          onClick={() =>
            step.mutate(
              { kind: 'effect-check' },
              { onSuccess: () => message.success(t('rect.effectDone')), onError: (err) => message.error(errorText(err, t)) },
            )
          }
        >
          {t('rect.effectCheck')}
        </Button>
      ) : null}
    </Card>
  );
}

/** Evidence files: downloads, and upload while the rectification is not closed. */
function EvidenceCard({ d, onUploaded }: { d: RectificationDetail; onUploaded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Card size="small" title={t('rect.evidence')} style={{ marginTop: 16 }} data-testid="rect-evidence">
      {d.files.length === 0 ? (
        <Typography.Text type="secondary">{t('rect.noEvidence')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={d.files}
          renderItem={(f) => (
            <List.Item>
              <a href={`${API_BASE}/rectification-files/${f.id}`} target="_blank" rel="noreferrer" data-testid="rect-file">
                <FileOutlined /> {f.name}
              </a>
              <Typography.Text type="secondary">{fmtTime(f.createdAt)}</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {d.can.evidence ? (
        <Upload
          showUploadList={false}
          customRequest={async ({ file }) => {
            setBusy(true);
            try {
              const r = await uploadEvidence(d.rectification.id, file as File);
              message.success(t('rect.uploaded', { name: r.file.name }));
              onUploaded();
            } catch (e) {
              message.error(errorText(e, t));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} style={{ marginTop: 8 }} data-testid="rect-upload">
            {t('rect.upload')}
          </Button>
          <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
            {t('rect.uploadHint')}
          </Typography.Text>
        </Upload>
      ) : null}
    </Card>
  );
}

/** The unit's answer (unit lead) and the issuer's verification (accept or send back). */
function StepCard({ d }: { d: RectificationDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const r = d.rectification;
  const step = useRectificationStep(r.id);
  const [submitForm] = Form.useForm<{ response: string }>();
  const [verifyForm] = Form.useForm<{ note?: string }>();
  const fail = (e: unknown) => message.error(errorText(e, t));
  if (d.can.submit) {
    return (
      <Card size="small" title={t('rect.submit')} style={{ marginTop: 16 }}>
        <Form
          form={submitForm}
          layout="vertical"
          name="rect-submit"
          initialValues={{ response: r.response ?? '' }}
          onFinish={(v) =>
            step.mutate(
              { kind: 'submit', version: r.version, response: v.response.trim() },
              { onSuccess: () => message.success(t('rect.submitted')), onError: fail },
            )
          }
        >
          <Form.Item
            name="response"
            label={t('rect.response')}
            rules={[{ required: true, min: 2, whitespace: true, message: t('common.minLength', { label: t('rect.response'), min: 2 }) }]}
          >
            <Input.TextArea rows={4} maxLength={4000} showCount data-testid="rect-response" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={step.isPending} data-testid="rect-submit">
            {t('rect.submit')}
          </Button>
        </Form>
      </Card>
    );
  }
  if (d.can.verify) {
    const verify = (result: 'pass' | 'send_back') => {
      const note = verifyForm.getFieldValue('note')?.trim() || undefined;
      step.mutate(
        { kind: 'verify', version: r.version, result, ...(note ? { note } : {}) },
        { onSuccess: () => message.success(t('rect.verified')), onError: fail },
      );
    };
    return (
      <Card size="small" title={t('rect.verify')} style={{ marginTop: 16 }}>
        <Form form={verifyForm} layout="vertical" name="rect-verify">
          <Form.Item name="note" label={t('rect.verifyNote')}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="rect-verify-note" />
          </Form.Item>
          <Space>
            <Button type="primary" loading={step.isPending} onClick={() => verify('pass')} data-testid="rect-pass">
              {t('rect.pass')}
            </Button>
            <Button danger loading={step.isPending} onClick={() => verify('send_back')} data-testid="rect-send-back">
              {t('rect.sendBack')}
            </Button>
          </Space>
        </Form>
      </Card>
    );
  }
  return null;
}

/** One rectification order: what is asked, the orders behind it, the unit's answer, verification and effect. */
export default function RectificationDetailPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const id = Number(useParams().id);
  const q = useRectification(id);
  if (q.isPending && Number.isSafeInteger(id) && id > 0) return <PageSpin />;
  if (!q.data) {
    if (!q.error || isApiError(q.error, 'not_found') || isApiError(q.error, 'validation_failed')) return <NotFoundPage />;
    return <Alert type="error" showIcon title={errorText(q.error, t)} />;
  }
  const d = q.data;
  const r = d.rectification;
  const source = { order: t('rect.sourceOrder'), orders: t('rect.sourceOrders'), figure: t('rect.sourceFigure') }[r.source];
  return (
    <div data-testid="rect-detail" data-state={r.state} data-version={r.version}>
      <Space align="center" style={{ marginBottom: 12 }} wrap>
        <Link to="/rectifications">{t('common.back')}</Link>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }} data-testid="rect-number">
          {t('rect.title')} {r.number}
        </Typography.Title>
        <RectificationTags r={r} />
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('rect.problem')}>
            <Descriptions
              column={{ xs: 1, md: 2 }}
              size="small"
              items={[
                { key: 'u', label: t('rect.unit'), children: <span data-testid="rect-unit">{r.unitName}</span> },
                { key: 'd', label: t('rect.dueAt'), children: fmtDue(r.dueAt) },
                { key: 's', label: t('rect.source'), children: source },
                { key: 'c', label: t('rect.created'), children: fmtTime(r.createdAt) },
                { key: 'k', label: t('rect.class'), children: l.cls(r.classCode) },
                { key: 'rc', label: t('rect.rootCause'), children: l.rootCause(r.rootCause) },
                { key: 'e', label: t('rect.effectMonths'), children: r.effectMonths },
                { key: 'dd', label: t('rect.deadlineDays'), children: r.deadlineDays },
                {
                  key: 'p',
                  label: t('rect.problem'),
                  span: 2,
                  children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.problem}</span>,
                },
                {
                  key: 'm',
                  label: t('rect.measures'),
                  span: 2,
                  children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.measures}</span>,
                },
                ...(r.response
                  ? [
                      {
                        key: 'r',
                        label: t('rect.response'),
                        span: 2,
                        children: (
                          <span style={{ whiteSpace: 'pre-wrap' }} data-testid="rect-response-text">
                            {r.response}
                          </span>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
          <StepCard d={d} />
          <EvidenceCard d={d} onUploaded={() => void q.refetch()} />
          <EffectCard d={d} />
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('rect.ordersCount', { n: d.orders.length + d.withheld.count })} data-testid="rect-orders">
            {d.orders.length === 0 && !d.withheld.label ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rect.noOrders')} />
            ) : (
              <List
                size="small"
                dataSource={d.orders}
                renderItem={(o) => (
                  <List.Item>
                    <Link to={`/tickets/${o.id}`}>{o.number}</Link>
                    <Typography.Text ellipsis style={{ maxWidth: 160 }}>
                      {o.subject}
                    </Typography.Text>
                  </List.Item>
                )}
                footer={d.withheld.label ? <span data-testid="rect-withheld">{l.of(d.withheld.label)}</span> : undefined}
              />
            )}
          </Card>
          <Card size="small" title={t('rect.history')} style={{ marginTop: 16 }}>
            <Timeline
              data-testid="rect-history"
              items={d.events.map((e, i) => ({
                key: i,
                title: fmtTime(e.at),
                content: (
                  <div data-action={e.action}>
                    <Typography.Text strong>{t(`rect.event.${e.action}`, { defaultValue: t('rect.history') })}</Typography.Text>
                    <div style={{ fontSize: 12, color: '#595959' }}>{e.actorName}</div>
                    {e.note && e.action !== 'raise' ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div> : null}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
