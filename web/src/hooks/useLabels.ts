import { useTranslation } from 'react-i18next';
import {
  CHANNELS,
  DEFAULT_CLASSES,
  GRADES,
  INVALID_REASONS,
  KINDS,
  type Labelled,
  type Lang,
  label,
  ORG_UNIT_KINDS,
  RESPONSIBILITY,
  RETURN_REASONS,
  REVISIT_OUTCOMES,
  ROLES,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
} from '../../../core/taxonomy.ts';
import { ACTIONS, STATES } from '../../../core/workflow/index.ts';
import { useTaxonomy } from '../api/reference.ts';

/** Code lists an enum field of an action may draw its values from (matched by the values themselves). */
const ENUM_LISTS: readonly (readonly Labelled[])[] = [
  GRADES,
  RETURN_REASONS,
  INVALID_REASONS,
  REVISIT_OUTCOMES,
  VERIFICATION_RESULTS,
  ROOT_CAUSES,
  RESPONSIBILITY,
];

/** The list that holds every one of the values, if any. */
export function listForValues(values: readonly string[]): readonly Labelled[] | undefined {
  return ENUM_LISTS.find((list) => values.every((v) => list.some((e) => e.code === v)));
}

/** The current language as the core label fields name it. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('en') ? 'en' : 'zh';
}

/** Labels of kinds, channels, classes, states, actions and code lists, in the current language, from core/ (classes from the API). */
export function useLabels() {
  const lang = useLang();
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const classes = taxonomy.data?.classes ?? DEFAULT_CLASSES;
  return {
    lang,
    of: (e: { zh: string; en: string } | undefined | null, fallback = '') => (e ? e[lang] : fallback),
    kind: (code: string) => label(KINDS, code, lang),
    channel: (code: string) => label(CHANNELS, code, lang),
    grade: (code: string) => label(GRADES, code, lang),
    cls: (code: string | null | undefined) => (code ? label(classes, code, lang) : '—'),
    state: (code: string) => (code in STATES ? STATES[code as keyof typeof STATES][lang] : code),
    action: (code: string) => {
      if (code in ACTIONS) return ACTIONS[code as keyof typeof ACTIONS][lang];
      // An event the UI has no word for yet reads as 其他处理, never as its code.
      return t(`event.${code}`, { defaultValue: t('event.unknown') });
    },
    rootCause: (code: string | null) => (code ? label(ROOT_CAUSES, code, lang) : '—'),
    verification: (code: string | null) => (code ? label(VERIFICATION_RESULTS, code, lang) : '—'),
    responsibility: (code: string | null) => (code ? label(RESPONSIBILITY, code, lang) : '—'),
    outcome: (code: string | null) => (code ? label(REVISIT_OUTCOMES, code, lang) : '—'),
    role: (code: string) => label(ROLES, code, lang),
    unitKind: (code: string) => label(ORG_UNIT_KINDS, code, lang),
    /** The label of an enum value of an action field. */
    enumValue: (values: readonly string[], value: string) => {
      const list = listForValues(values);
      return list ? label(list, value, lang) : t(`contactMethod.${value}`, { defaultValue: value });
    },
  };
}

export type Labels = ReturnType<typeof useLabels>;
