import { Select, type SelectProps } from 'antd';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrgUnits } from '../api/reference.ts';
import { useLabels } from '../hooks/useLabels.ts';

type Props = Omit<SelectProps<number>, 'options'> & {
  /** Which kinds to offer; dispatch takes departments and stations, never a company. */
  kinds?: ReadonlyArray<'company' | 'department' | 'station'>;
};

/** Units (and their subtrees) that must not be picked here: the units an integrity report names. */
export const ExcludedUnitsContext = createContext<readonly number[]>([]);

/** A searchable unit picker grouped into departments and 供电所. */
export function UnitPicker({ kinds = ['department', 'station'], ...props }: Props) {
  const { t } = useTranslation();
  const l = useLabels();
  const units = useOrgUnits();
  const excludedIds = useContext(ExcludedUnitsContext);
  const all = units.data ?? [];
  const excludedPaths = all.filter((u) => excludedIds.includes(u.id)).map((u) => u.path);
  const active = all.filter((u) => u.active && kinds.includes(u.kind));
  const group = (kind: 'company' | 'department' | 'station', label: string) => {
    const opts = active
      .filter((u) => u.kind === kind)
      .map((u) => ({ value: u.id, label: u.name, code: u.code, disabled: excludedPaths.some((p) => u.path.startsWith(p)) }));
    return opts.length ? [{ label, title: label, options: opts }] : [];
  };
  return (
    <Select<number>
      showSearch={{ optionFilterProp: ['label', 'code'] }}
      loading={units.isPending}
      placeholder={t('unitPicker.placeholder')}
      options={[
        ...group('company', l.unitKind('company')),
        ...group('department', t('unitPicker.departments')),
        ...group('station', t('unitPicker.stations')),
      ]}
      {...props}
    />
  );
}
