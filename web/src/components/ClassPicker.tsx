import { TreeSelect, type TreeSelectProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClassFamily, isLeafClass } from '../../../core/taxonomy.ts';
import { useTaxonomy } from '../api/reference.ts';
import type { TaxonomyClass } from '../api/types.ts';
import { useLang } from '../hooks/useLabels.ts';

interface Node {
  value: string;
  title: string;
  selectable: boolean;
  children: Node[];
}

/** The class tree of the families that fit the kind; only leaves can be chosen, search matches labels and codes. */
export function buildClassTree(classes: readonly TaxonomyClass[], family: ClassFamily | 'any', lang: 'zh' | 'en'): Node[] {
  const active = classes.filter((c) => c.active && (family === 'any' || c.family === family));
  const make = (parent: string | null): Node[] =>
    active
      .filter((c) => c.parent === parent)
      .map((c) => ({ value: c.code, title: c[lang], selectable: isLeafClass(c.code, active), children: make(c.code) }));
  return make(null);
}

type Props = Omit<TreeSelectProps<string>, 'treeData'> & { family: ClassFamily | 'any' };

export function ClassPicker({ family, ...props }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const taxonomy = useTaxonomy();
  const tree = useMemo(() => buildClassTree(taxonomy.data?.classes ?? [], family, lang), [taxonomy.data, family, lang]);
  return (
    <TreeSelect<string>
      treeData={tree}
      treeDefaultExpandAll
      allowClear
      showSearch={{
        filterTreeNode: (input, node) => `${node.title ?? ''} ${node.value ?? ''}`.toLowerCase().includes(input.toLowerCase()),
      }}
      placeholder={t('intake.classPlaceholder')}
      loading={taxonomy.isPending}
      {...props}
    />
  );
}
