import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { DEFAULT_CLASSES, rootCausesForClass } from '../../../core/taxonomy.ts';
import { ACTIONS, type ActionCode, type FieldSpec } from '../../../core/workflow/index.ts';
import { useTaxonomy } from '../api/reference.ts';
import { useLabels } from '../hooks/useLabels.ts';
import { dayjs, toApiTime } from '../lib/time.ts';
import { OrderPicker } from './OrderPicker.tsx';
import { UnitPicker } from './UnitPicker.tsx';

/** The label of an action's field: an action-specific one (驳回原因) or the general one. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (action: ActionCode, name: string) => t(`field.${action}.${name}`, { defaultValue: t(`field.${name}`, { defaultValue: name }) });
}

/** One control; Form.Item injects id, value and onChange, which are passed on to the Ant Design control. */
function FieldControl({
  name,
  spec,
  only,
  ...control
}: {
  name: string;
  spec: FieldSpec;
  only?: readonly string[];
  id?: string;
  value?: never;
  onChange?: never;
}) {
  const l = useLabels();
  switch (spec.type) {
    case 'text':
      return spec.max > 200 ? (
        <Input.TextArea {...control} rows={name === 'replyText' ? 6 : 3} maxLength={spec.max} showCount data-testid={`field-${name}`} />
      ) : (
        <Input {...control} maxLength={spec.max} data-testid={`field-${name}`} />
      );
    case 'enum':
      return (
        <Select
          {...control}
          data-testid={`field-${name}`}
          showSearch={{ optionFilterProp: 'label' }}
          allowClear={!spec.required}
          options={spec.values.filter((v) => !only || only.includes(v)).map((v) => ({ value: v, label: l.enumValue(spec.values, v) }))}
        />
      );
    case 'int':
      if (name === 'unitId') return <UnitPicker {...control} data-testid="field-unitId" />;
      if (name === 'duplicateOfId') return <OrderPicker {...control} />;
      return <InputNumber {...control} min={1} style={{ width: '100%' }} data-testid={`field-${name}`} />;
    case 'datetime':
      return (
        <DatePicker
          {...control}
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          style={{ width: '100%' }}
          disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          data-testid={`field-${name}`}
        />
      );
  }
}

/**
 * The form items of an action, generated from ACTIONS[code].fields (the same table the server validates with).
 * With the order's class, the 问题原因 list offers the causes that fit that class.
 */
export function ActionFields({ action, classCode }: { action: ActionCode; classCode?: string | null }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const taxonomy = useTaxonomy();
  const causes = rootCausesForClass(classCode, taxonomy.data?.classes ?? DEFAULT_CLASSES);
  const fields = Object.entries(ACTIONS[action].fields);
  return (
    <>
      {fields.map(([name, spec]) => {
        const label = fieldLabel(action, name);
        const rules: Rule[] = [];
        // A `whitespace` key on a rule, even `false`, makes async-validator treat the value as a string: only texts get it.
        if (spec.required)
          rules.push({ required: true, ...(spec.type === 'text' ? { whitespace: true } : {}), message: t('common.required', { label }) });
        if (spec.type === 'text' && spec.min) rules.push({ min: spec.min, message: t('common.minLength', { label, min: spec.min }) });
        return (
          <Form.Item key={name} name={name} label={label} rules={rules}>
            <FieldControl name={name} spec={spec} {...(name === 'rootCause' ? { only: causes } : {})} />
          </Form.Item>
        );
      })}
    </>
  );
}

/** Form values → the action's request fields: trimmed texts, ISO times with offset, empty values left out. */
export function toActionInput(action: ActionCode, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ACTIONS[action].fields)) {
    const v = values[name];
    if (v === undefined || v === null || v === '') continue;
    if (spec.type === 'datetime' && dayjs.isDayjs(v)) out[name] = toApiTime(v);
    else if (spec.type === 'text' && typeof v === 'string') {
      if (v.trim()) out[name] = v.trim();
    } else out[name] = v;
  }
  return out;
}
