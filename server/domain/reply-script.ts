/** The four sections of a reply script (话术), in the order an agent uses them on the phone. */
export const SCRIPT_SECTIONS = [
  { code: 'empathy', zh: '共情开场', en: 'Empathy opening' },
  { code: 'explanation', zh: '解释说明', en: 'Explanation' },
  { code: 'promise', zh: '可承诺事项', en: 'What may be promised' },
  { code: 'deescalation', zh: '情绪安抚', en: 'De-escalation' },
] as const;
export type ScriptSection = (typeof SCRIPT_SECTIONS)[number]['code'];

/** The placeholders a script may use, with what fills them. */
export const SCRIPT_PLACEHOLDERS = {
  number: '工单编号',
  customerName: '客户称呼',
  unitName: '处理单位',
  firstContactDue: '联系客户时限',
  replyDue: '回复时限',
  promiseDue: '答复承诺时限',
  className: '分类',
} as const;

/** The placeholders that promise a date to the customer. */
export const DATE_PLACEHOLDERS: readonly string[] = ['firstContactDue', 'replyDue', 'promiseDue'];

/** What a script says in place of a date it may not promise (no kind chosen yet, or no such clock for the kind). */
export const NO_DATE = { at: '规定时限', before: '规定时限内' } as const;

/**
 * Replaces `{name}` placeholders; unknown or null ones stay as written and are listed in `missing` ('' erases).
 * A date placeholder without a date never stays as written: the customer is promised the prescribed time limit,
 * not a day ("在{replyDue}前答复" → "在规定时限内答复").
 */
export function renderPlaceholders(
  template: string,
  vars: Readonly<Record<string, string | null | undefined>>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = template.replace(/\{([A-Za-z]+)\}(前)?/g, (whole, name: string, before: string | undefined) => {
    const v = vars[name];
    if (v === undefined || v === null) {
      if (DATE_PLACEHOLDERS.includes(name)) return before ? NO_DATE.before : NO_DATE.at;
      missing.add(name);
      return whole;
    }
    return before ? `${v}${before}` : v;
  });
  return { text, missing: [...missing] };
}

/** The class codes to try for a class, most specific first, ending with the generic script '*'. */
export function scriptLookupOrder(classCode: string | null | undefined): string[] {
  const out: string[] = [];
  if (classCode) {
    const parts = classCode.split('.');
    for (let i = parts.length; i > 0; i--) out.push(parts.slice(0, i).join('.'));
  }
  out.push('*');
  return out;
}
