import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ROOT_CAUSES } from '../../../../core/taxonomy.ts';
import { api } from '../../api/client.ts';
import { useRaiseRectification } from '../../api/rectifications.ts';
import { useOrgUnits, useTaxonomy } from '../../api/reference.ts';
import type { TicketPage } from '../../api/types.ts';
import { buildClassTree } from '../../components/ClassPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLabels, useLang } from '../../hooks/useLabels.ts';
import { errorText, fieldPath } from '../../lib/errors.ts';

interface Values {
  unitId: number;
  classCode?: string;
  rootCause?: string;
  problem: string;
  measures: string;
  deadlineDays: number;
  effectMonths: number;
}

/** How many orders a rectification may cite (the API's limit). */
const MAX_ORDERS = 500;

/** The ids of the orders behind a statistics figure: its drill-down query, page by page. */
async function drillIds(drill: Record<string, string>): Promise<{ ids: number[]; numbers: string[] }> {
  const ids: number[] = [];
  const numbers: string[] = [];
  let cursor: string | null = null;
  do {
    const page: TicketPage = await api<TicketPage>('/tickets', { query: { ...drill, limit: 200, ...(cursor ? { cursor } : {}) } });
    for (const o of page.items) {
      ids.push(o.id);
      numbers.push(o.number);
    }
    cursor = page.nextCursor;
  } while (cursor && ids.length < MAX_ORDERS);
  return { ids: ids.slice(0, MAX_ORDERS), numbers: numbers.slice(0, MAX_ORDERS) };
}

function parseDrill(s: string | null): Record<string, string> | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : null;
  } catch {
    return null;
  }
}

/**
 * Raises a rectification order. Opened from a statistics figure or a bulletin row, the URL carries the figure
 * (`drill`, `report`, `period`, `what`, `n`) or the orders (`ticketIds`), and the form starts from them.
 */
export default function RaiseRectificationPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const lang = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const raise = useRaiseRectification();
  const units = useOrgUnits();
  const taxonomy = useTaxonomy();

  const drill = useMemo(() => parseDrill(search.get('drill')), [search]);
  const listedIds = useMemo(
    () =>
      (search.get('ticketIds') ?? '')
        .split(',')
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n > 0),
    [search],
  );
  const orders = useQuery({
    queryKey: ['rect-drill', drill, listedIds],
    queryFn: async () => (drill ? drillIds(drill) : { ids: listedIds, numbers: (search.get('numbers') ?? '').split(',').filter(Boolean) }),
  });
  const unitParam = Number(search.get('unitId') ?? drill?.unitId ?? drill?.ownUnit ?? '');
  const unitId = Number.isSafeInteger(unitParam) && unitParam > 0 ? unitParam : undefined;
  const classCode = search.get('class') ?? drill?.class ?? undefined;
  const rootCause = search.get('rootCause') ?? (drill?.rootCause && drill.rootCause !== 'none' ? drill.rootCause : undefined);
  const prefilled = Boolean(drill || listedIds.length || unitId);

  // The problem text names the figure once the unit's name is known.
  useEffect(() => {
    if (form.isFieldTouched('problem') || !units.data) return;
    const unitName = units.data.find((u) => u.id === unitId)?.name ?? '';
    const what = search.get('what') ?? (classCode ? l.cls(classCode) : '');
    const n = search.get('n');
    let problem = '';
    if (search.get('subject') && listedIds.length === 1)
      problem = t('rect.problemOrder', { number: search.get('numbers') ?? '', subject: search.get('subject') });
    else if (n) problem = t('rect.problemFigure', { period: search.get('period') ?? '', unit: unitName, what, n });
    if (problem) form.setFieldValue('problem', problem);
  }, [units.data, unitId, classCode, search, listedIds, form, t, l]);

  const classTree = useMemo(() => {
    type N = ReturnType<typeof buildClassTree>[number];
    // A rectification may name a whole class (营业投诉) as well as a leaf.
    const all = (nodes: N[]): N[] => nodes.map((x) => ({ ...x, selectable: true, children: all(x.children) }));
    return all(buildClassTree(taxonomy.data?.classes ?? [], 'any', lang));
  }, [taxonomy.data, lang]);

  const onFinish = (v: Values) => {
    const sourceFilter: Record<string, unknown> | null = drill
      ? { report: search.get('report'), period: search.get('period'), drill }
      : search.get('bulletin')
        ? { bulletin: search.get('bulletin') }
        : null;
    raise.mutate(
      {
        unitId: v.unitId,
        problem: v.problem.trim(),
        measures: v.measures.trim(),
        deadlineDays: v.deadlineDays,
        effectMonths: v.effectMonths,
        classCode: v.classCode ?? null,
        rootCause: v.rootCause ?? null,
        ticketIds: orders.data?.ids ?? [],
        ...(sourceFilter ? { sourceFilter } : {}),
      },
      {
        onSuccess: (d) => {
          message.success(t('rect.raised', { number: d.rectification.number }));
          navigate(`/rectifications/${d.rectification.id}`);
        },
        onError: (e) => {
          const path = fieldPath(e);
          if (path?.[0] && path[0] in form.getFieldsValue()) form.setFields([{ name: path[0] as keyof Values, errors: [errorText(e, t)] }]);
          else message.error(errorText(e, t));
        },
      },
    );
  };

  const required = (label: string) => [{ required: true, whitespace: true, message: t('common.required', { label }) }];
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>
          {t('rect.raiseTitle')}
        </Typography.Title>
      }
      style={{ maxWidth: 880 }}
    >
      {prefilled ? <Alert type="info" showIcon title={t('rect.prefilled')} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        name="rect-raise"
        onFinish={onFinish}
        initialValues={{
          unitId,
          classCode,
          rootCause,
          measures: t('rect.defaultMeasures'),
          deadlineDays: 10,
          effectMonths: 3,
        }}
      >
        <Form.Item
          name="unitId"
          label={t('rect.unit')}
          rules={[{ required: true, message: t('common.required', { label: t('rect.unit') }) }]}
        >
          <UnitPicker kinds={['company', 'department', 'station']} data-testid="rect-unit-picker" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="classCode" label={t('rect.class')}>
            <TreeSelect
              treeData={classTree}
              allowClear
              treeDefaultExpandAll={false}
              style={{ width: 280 }}
              showSearch={{ treeNodeFilterProp: 'title' }}
            />
          </Form.Item>
          <Form.Item name="rootCause" label={t('rect.rootCause')}>
            <Select allowClear style={{ width: 220 }} options={ROOT_CAUSES.map((c) => ({ value: c.code, label: c[lang] }))} />
          </Form.Item>
        </Space>
        <Form.Item name="problem" label={t('rect.problem')} rules={required(t('rect.problem'))}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="rect-problem" />
        </Form.Item>
        <Form.Item name="measures" label={t('rect.measures')} rules={required(t('rect.measures'))}>
          <Input.TextArea rows={3} maxLength={4000} showCount data-testid="rect-measures" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="deadlineDays" label={t('rect.deadlineDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={120} data-testid="rect-days" />
          </Form.Item>
          <Form.Item name="effectMonths" label={t('rect.effectMonths')} rules={[{ required: true }]}>
            <InputNumber min={1} max={24} />
          </Form.Item>
        </Space>
        <Form.Item label={t('rect.orders')}>
          <div data-testid="rect-raise-orders" data-count={orders.data?.ids.length ?? ''}>
            {orders.isPending ? (
              t('common.loading')
            ) : orders.data && orders.data.ids.length > 0 ? (
              <>
                <Typography.Text>{t('rect.ordersCount', { n: orders.data.ids.length })}</Typography.Text>
                <div style={{ maxHeight: 96, overflow: 'auto', marginTop: 4 }}>
                  {orders.data.numbers.map((n) => (
                    <Tag key={n}>{n}</Tag>
                  ))}
                </div>
              </>
            ) : (
              <Typography.Text type="secondary">{t('rect.noOrders')}</Typography.Text>
            )}
          </div>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={raise.isPending} disabled={orders.isPending} data-testid="rect-raise-submit">
          {t('rect.raise')}
        </Button>
      </Form>
    </Card>
  );
}
