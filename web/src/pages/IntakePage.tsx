import { SaveOutlined, SearchOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Radio, Row, Select, Space, Switch } from 'antd';
import { type KeyboardEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidPhone } from '../../../core/phone.ts';
import { LIMITS } from '../../../core/schemas/ticket.schema.ts';
import { CHANNELS, classFamilyForKind, GRADES, isExternalChannel, KINDS, type Kind } from '../../../core/taxonomy.ts';
import { randomKey } from '../api/client.ts';
import { actOn, intake, lookupCustomer, previewDeadlines } from '../api/tickets.ts';
import type { CustomerHistory, DeadlinePlan, IntakeResponse } from '../api/types.ts';
import { ClassPicker } from '../components/ClassPicker.tsx';
import { CallerHistory } from '../components/intake/CallerHistory.tsx';
import { IntakeResult } from '../components/intake/IntakeResult.tsx';
import { OutageBanner } from '../components/intake/OutageBanner.tsx';
import { ReplyScriptCard } from '../components/intake/ReplyScriptCard.tsx';
import { IntakeSuggestions } from '../components/text/IntakeSuggestions.tsx';
import { UnitPicker } from '../components/UnitPicker.tsx';
import { useLabels } from '../hooks/useLabels.ts';
import { errorText, fieldPath } from '../lib/errors.ts';
import { type dayjs, toApiTime } from '../lib/time.ts';

interface Values {
  callerPhone?: string;
  account?: string;
  customerName?: string;
  kind: Kind;
  channel: string;
  classCode?: string;
  grade: string;
  subject?: string;
  location?: string;
  description: string;
  anonymous?: boolean;
  reporterName?: string;
  reporterPhone?: string;
  reporterId?: string;
  reporterContact?: string;
  namedUnitIds?: number[];
  externalRef?: string;
  externalDueAt?: dayjs.Dayjs;
  /** The active outage the agent linked from the banner. */
  outageId?: number | null;
  /** Phone intake without the caller's number: why (the caller refused). */
  noPhoneReason?: string;
  /** 保存并派单: the unit the order goes to right after it is saved (starts with the suggested unit). */
  dispatchUnitId?: number;
}

const INITIAL: Partial<Values> = { kind: 'complaint', channel: 'phone', grade: 'normal', anonymous: false };

/** Server field names → the form's fields, so a 400 marks the right control. */
const SERVER_FIELDS: Record<string, string> = {
  'customer.phone': 'callerPhone',
  'customer.account': 'account',
  'customer.name': 'customerName',
  'reporter.name': 'reporterName',
  'reporter.phone': 'reporterPhone',
  'reporter.idNumber': 'reporterId',
  'reporter.contact': 'reporterContact',
};

const v = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** A customer's phone intake without a number: the reason is asked for (the server's rule too). */
function needsNoPhoneReason(x: Pick<Values, 'channel' | 'kind' | 'callerPhone'>): boolean {
  return x.channel === 'phone' && x.kind !== 'report' && !v(x.callerPhone);
}

/** The form rule of a phone field: the one rule of core/phone.ts (mobile, or landline with area code). */
const phoneRule = (message: string) => ({
  validator: (_: unknown, value: string | undefined) =>
    !value?.trim() || isValidPhone(value) ? Promise.resolve() : Promise.reject(new Error(message)),
});

/** Form values → the POST /tickets body: customer fields for complaints, identity kept apart for reports. */
function toBody(x: Values) {
  const report = x.kind === 'report';
  return {
    kind: x.kind,
    channel: x.channel,
    classCode: x.classCode ?? null,
    grade: x.grade,
    description: x.description.trim(),
    ...(v(x.subject) ? { subject: v(x.subject) as string } : {}),
    location: v(x.location),
    ...(x.outageId ? { outageId: x.outageId } : {}),
    ...(needsNoPhoneReason(x) ? { noPhoneReason: v(x.noPhoneReason) } : {}),
    ...(!report ? { customer: { name: v(x.customerName), phone: v(x.callerPhone), account: v(x.account) } } : {}),
    ...(report ? { anonymous: Boolean(x.anonymous), namedUnitIds: x.namedUnitIds ?? [] } : {}),
    ...(report && !x.anonymous
      ? {
          reporter: {
            name: v(x.reporterName),
            phone: v(x.reporterPhone) ?? v(x.callerPhone),
            idNumber: v(x.reporterId),
            contact: v(x.reporterContact),
          },
        }
      : {}),
    ...(isExternalChannel(x.channel)
      ? { externalRef: v(x.externalRef), externalDueAt: x.externalDueAt ? toApiTime(x.externalDueAt) : null }
      : {}),
  };
}

export default function IntakePage() {
  const { t } = useTranslation();
  const l = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  // One key per form instance: a retried save returns the order already created instead of a second one.
  const [idemKey, setIdemKey] = useState(randomKey);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ res: IntakeResponse; preview: DeadlinePlan[] } | null>(null);
  const [history, setHistory] = useState<CustomerHistory | null>(null);
  const [looking, setLooking] = useState(false);
  const watchedKind = Form.useWatch('kind', form) as Kind | undefined;
  const kind = watchedKind ?? 'complaint';
  const externalDue = Form.useWatch('externalDueAt', form) as dayjs.Dayjs | undefined;
  const channel = Form.useWatch('channel', form) ?? 'phone';
  const anonymous = Form.useWatch('anonymous', form) ?? false;
  const watchedPhone = Form.useWatch('callerPhone', form) as string | undefined;
  // What the assistant (POST /intake/suggest) reads: the text typed so far and who is calling.
  const suggestInput = {
    kind,
    description: Form.useWatch('description', form) ?? '',
    subject: Form.useWatch('subject', form) || undefined,
    location: Form.useWatch('location', form) || undefined,
    phone: Form.useWatch('callerPhone', form) || undefined,
    account: Form.useWatch('account', form) || undefined,
  };
  const isReport = kind === 'report';
  const outageId = (Form.useWatch('outageId', form) as number | null | undefined) ?? null;
  const classCode = Form.useWatch('classCode', form) as string | undefined;

  const lookup = async () => {
    const phone = v(form.getFieldValue('callerPhone'));
    const account = v(form.getFieldValue('account'));
    if (!phone && !account) return;
    setLooking(true);
    try {
      setHistory(await lookupCustomer(account ? { account } : { phone: phone as string }));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setLooking(false);
    }
  };

  const onSuggestUnit = useCallback(
    (u: { id: number }) => {
      if (form.getFieldValue('dispatchUnitId') === undefined) form.setFieldValue('dispatchUnitId', u.id);
    },
    [form],
  );

  /** Saves the order; with `dispatch`, sends it to the chosen unit in the same step (the order stays saved if that fails). */
  const save = async (dispatch = false) => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (dispatch && !values.dispatchUnitId) {
      form.setFields([{ name: 'dispatchUnitId', errors: [t('common.required', { label: t('intake.dispatchUnit') })] }]);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      let res = await intake(toBody(values), idemKey);
      if (dispatch && values.dispatchUnitId) {
        try {
          const d = await actOn(res.ticket.id, 'dispatch', res.ticket.version, { unitId: values.dispatchUnitId });
          res = { ...res, ticket: { ...res.ticket, ...d.ticket } };
        } catch (e) {
          message.error(`${t('intake.dispatchFailed')}：${errorText(e, t)}`);
        }
      }
      const preview = await previewDeadlines(values.kind, values.channel, res.ticket.intakeAt)
        .then((p) => p.deadlines)
        .catch(() => []);
      setResult({ res, preview });
    } catch (e) {
      // Nothing typed is lost: the form keeps its values, the key stays for the retry.
      const path = fieldPath(e);
      const name = path ? (SERVER_FIELDS[path.join('.')] ?? path[0]) : null;
      if (name && form.getFieldInstance(name as keyof Values)) form.setFields([{ name: name as keyof Values, errors: [errorText(e, t)] }]);
      setError(`${t('intake.failed')}：${errorText(e, t)}`);
    } finally {
      setSaving(false);
    }
  };

  const next = () => {
    form.resetFields();
    setResult(null);
    setHistory(null);
    setError(null);
    setIdemKey(randomKey());
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };

  if (result) {
    return (
      <Card>
        <IntakeResult result={result.res} preview={result.preview} onNext={next} />
      </Card>
    );
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the Ctrl+Enter shortcut is caught for the whole form
    <div onKeyDown={onKeyDown} data-testid="intake-page">
      <Form form={form} layout="vertical" name="intake" initialValues={INITIAL} scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="intake-error" />}
            <Card title={t('intake.caller')} size="small">
              <Row gutter={12}>
                <Col xs={24} md={10}>
                  <Form.Item name="callerPhone" label={t('intake.callerPhone')} rules={[phoneRule(t('intake.phoneInvalid'))]}>
                    <Input
                      autoFocus
                      maxLength={20}
                      inputMode="tel"
                      onPressEnter={() => void lookup()}
                      onBlur={() => void lookup()}
                      data-testid="intake-phone"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="account"
                    label={t('intake.account')}
                    rules={[{ pattern: /^[0-9A-Za-z-]{4,32}$/, message: t('errors.validation_failed') }]}
                  >
                    <Input maxLength={LIMITS.account} onPressEnter={() => void lookup()} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item label=" ">
                    <Button icon={<SearchOutlined />} onClick={() => void lookup()} loading={looking} block>
                      {t('intake.lookup')}
                    </Button>
                  </Form.Item>
                </Col>
              </Row>
              {needsNoPhoneReason({ channel, kind, callerPhone: watchedPhone }) && (
                <Form.Item
                  name="noPhoneReason"
                  label={t('intake.noPhoneReason')}
                  extra={t('intake.noPhoneReasonHint')}
                  rules={[{ required: true, whitespace: true, min: 2, message: t('intake.noPhoneReasonHint') }]}
                >
                  <Input maxLength={200} data-testid="intake-no-phone-reason" />
                </Form.Item>
              )}
              {!isReport && (
                <Form.Item name="customerName" label={t('intake.customerName')}>
                  <Input maxLength={LIMITS.name} data-testid="intake-name" />
                </Form.Item>
              )}
            </Card>
            <Card title={t('intake.order')} size="small" style={{ marginTop: 16 }}>
              <Form.Item name="kind" label={t('intake.kind')} rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={KINDS.map((k) => ({ value: k.code, label: l.of(k) }))}
                  onChange={() => form.setFieldValue('classCode', undefined)}
                  data-testid="intake-kind"
                />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name="channel" label={t('intake.channel')} rules={[{ required: true }]}>
                    <Select showSearch={{ optionFilterProp: 'label' }} options={CHANNELS.map((c) => ({ value: c.code, label: l.of(c) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="grade" label={t('intake.grade')}>
                    <Select options={GRADES.map((g) => ({ value: g.code, label: l.of(g) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="classCode" label={t('intake.class')}>
                <ClassPicker family={classFamilyForKind(kind)} data-testid="intake-class" />
              </Form.Item>
              {isExternalChannel(channel) && (
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="externalRef"
                      label={t('intake.externalRef')}
                      rules={[{ required: true, whitespace: true, message: t('common.required', { label: t('intake.externalRef') }) }]}
                    >
                      <Input maxLength={LIMITS.externalRef} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="externalDueAt" label={t('intake.externalDueAt')}>
                      <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              <Form.Item name="subject" label={t('intake.subject')}>
                <Input maxLength={LIMITS.subject} placeholder={t('intake.subjectPlaceholder')} />
              </Form.Item>
              <Form.Item name="location" label={t('intake.location')}>
                <Input maxLength={LIMITS.location} data-testid="intake-location" />
              </Form.Item>
              <Form.Item
                name="description"
                label={t('intake.description')}
                rules={[
                  { required: true, whitespace: true, message: t('common.required', { label: t('intake.description') }) },
                  { min: 2, message: t('common.minLength', { label: t('intake.description'), min: 2 }) },
                ]}
              >
                <Input.TextArea rows={6} maxLength={LIMITS.description} showCount data-testid="intake-description" />
              </Form.Item>
            </Card>
            {isReport && (
              <Card title={t('intake.reporter')} size="small" style={{ marginTop: 16, borderColor: '#d3adf7' }}>
                <Form.Item name="anonymous" label={t('intake.anonymous')} valuePropName="checked" extra={t('intake.anonymousHint')}>
                  <Switch data-testid="intake-anonymous" />
                </Form.Item>
                {!anonymous && (
                  <Row gutter={12}>
                    <Col xs={24} md={12}>
                      <Form.Item name="reporterName" label={t('intake.reporterName')}>
                        <Input maxLength={LIMITS.name} autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item name="reporterPhone" label={t('intake.reporterPhone')} rules={[phoneRule(t('intake.phoneInvalid'))]}>
                        <Input maxLength={20} autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="reporterId"
                        label={t('intake.reporterId')}
                        rules={[{ pattern: /^[0-9Xx]{15,18}$/, message: t('errors.validation_failed') }]}
                      >
                        <Input maxLength={18} autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item name="reporterContact" label={t('intake.reporterContact')}>
                        <Input maxLength={200} autoComplete="off" />
                      </Form.Item>
                    </Col>
                  </Row>
                )}
                <Form.Item name="namedUnitIds" label={t('intake.namedUnits')}>
                  <UnitPicker mode="multiple" allowClear kinds={['department', 'station']} />
                </Form.Item>
              </Card>
            )}
            <Space style={{ marginTop: 16 }}>
              <Button
                type="primary"
                size="large"
                icon={<SaveOutlined />}
                loading={saving}
                onClick={() => void save()}
                data-testid="intake-save"
              >
                {t('intake.save')}
              </Button>
              <Form.Item name="dispatchUnitId" label={t('intake.dispatchUnit')} style={{ marginBottom: 0, minWidth: 220 }}>
                <UnitPicker allowClear kinds={['department', 'station']} data-testid="intake-dispatch-unit" />
              </Form.Item>
              <Button
                size="large"
                icon={<SendOutlined />}
                loading={saving}
                onClick={() => void save(true)}
                data-testid="intake-save-dispatch"
              >
                {t('intake.saveAndDispatch')}
              </Button>
            </Space>
          </Col>
          <Col xs={24} xl={8}>
            <Card title={t('intake.history')} size="small">
              <CallerHistory data={history} loading={looking} />
            </Card>
            <IntakeSuggestions
              input={suggestInput}
              onApplyClass={(code) => form.setFieldValue('classCode', code)}
              onApplyGrade={(grade) => form.setFieldValue('grade', grade)}
              onSuggestUnit={onSuggestUnit}
            />
            <Form.Item name="outageId" hidden>
              <Input />
            </Form.Item>
            <OutageBanner
              location={suggestInput.location}
              linkedId={outageId}
              onLink={(o) => form.setFieldValue('outageId', o?.id ?? null)}
            />
            <ReplyScriptCard
              classCode={classCode ?? ''}
              kind={watchedKind ?? null}
              channel={channel}
              externalDueAt={isExternalChannel(channel) && externalDue ? toApiTime(externalDue) : null}
            />
          </Col>
        </Row>
      </Form>
    </div>
  );
}
