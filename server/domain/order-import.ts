import {
  CHANNELS,
  type ClassDef,
  classFitsKind,
  GRADES,
  KINDS,
  type Kind,
  kindPrefix,
  type Labelled,
  RESPONSIBILITY,
  REVISIT_OUTCOMES,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
} from '../../core/taxonomy.ts';
import { excelWallTime, parseLocalDateTime } from './local-time.ts';

/** Our fields a historical order file may carry; `*` marks the required ones in IMPORT_FIELDS. */
export const IMPORT_FIELDS = {
  number: { required: true, zh: '工单编号' },
  kind: { required: true, zh: '业务类型' },
  channel: { required: true, zh: '受理渠道' },
  classCode: { required: false, zh: '业务分类' },
  subject: { required: false, zh: '主题' },
  description: { required: true, zh: '受理内容' },
  location: { required: false, zh: '地址' },
  customerName: { required: false, zh: '客户姓名' },
  customerPhone: { required: false, zh: '联系电话' },
  customerAccount: { required: false, zh: '户号' },
  unit: { required: true, zh: '处理单位' },
  grade: { required: false, zh: '等级' },
  intakeAt: { required: true, zh: '受理时间' },
  dispatchedAt: { required: false, zh: '派单时间' },
  repliedAt: { required: false, zh: '回单时间' },
  closedAt: { required: true, zh: '归档时间' },
  verification: { required: true, zh: '核实结果' },
  rootCause: { required: false, zh: '问题原因' },
  responsibility: { required: false, zh: '责任归属' },
  responsiblePerson: { required: false, zh: '责任人' },
  replyText: { required: true, zh: '答复内容' },
  satisfaction: { required: false, zh: '回访满意度' },
  externalRef: { required: false, zh: '外部编号' },
} as const;
export type ImportField = keyof typeof IMPORT_FIELDS;
const FIELD_NAMES = Object.keys(IMPORT_FIELDS) as ImportField[];

/** Which heading of the file holds each field, and value maps (`{"kind": {"投诉": "complaint"}}`). */
export interface ImportMapping {
  fields: Partial<Record<ImportField, string>>;
  values: Partial<Record<ImportField, Record<string, string>>>;
}

export interface RowProblem {
  row: number;
  field: string;
  problem: string;
}

/**
 * Reads a mapping: `{"number": "工单编号", "kind": "业务类型", …, "values": {"kind": {"投诉": "complaint"}}}`
 * (or the same under `"fields"`). Unknown keys and missing required fields are problems (row 0).
 */
export function parseMapping(json: unknown): { mapping: ImportMapping | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { mapping: null, problems: [{ row: 0, field: 'map', problem: 'must be a JSON object' }] };
  const obj = json as Record<string, unknown>;
  const source = (typeof obj.fields === 'object' && obj.fields !== null ? obj.fields : obj) as Record<string, unknown>;
  const fields: ImportMapping['fields'] = {};
  for (const [k, v] of Object.entries(source)) {
    if (k === 'values' || k === 'fields') continue;
    if (!FIELD_NAMES.includes(k as ImportField))
      problems.push({ row: 0, field: k, problem: `unknown field (known: ${FIELD_NAMES.join(', ')})` });
    else if (typeof v !== 'string' || !v.trim()) problems.push({ row: 0, field: k, problem: 'must name a column heading' });
    else fields[k as ImportField] = v.trim();
  }
  for (const f of FIELD_NAMES)
    if (IMPORT_FIELDS[f].required && !fields[f]) problems.push({ row: 0, field: f, problem: 'is required in the mapping' });
  const values: ImportMapping['values'] = {};
  if (obj.values !== undefined) {
    if (typeof obj.values !== 'object' || obj.values === null) problems.push({ row: 0, field: 'values', problem: 'must be an object' });
    else
      for (const [k, v] of Object.entries(obj.values as Record<string, unknown>)) {
        if (!FIELD_NAMES.includes(k as ImportField)) problems.push({ row: 0, field: `values.${k}`, problem: 'unknown field' });
        else if (typeof v !== 'object' || v === null)
          problems.push({ row: 0, field: `values.${k}`, problem: 'must map file values to codes' });
        else
          values[k as ImportField] = Object.fromEntries(
            Object.entries(v as Record<string, unknown>).map(([a, b]) => [a.trim(), String(b)]),
          );
      }
  }
  return { mapping: problems.length ? null : { fields, values }, problems };
}

/** Checks that every mapped heading is in the file. */
export function checkHeadings(mapping: ImportMapping, headings: readonly string[]): RowProblem[] {
  return Object.entries(mapping.fields)
    .filter(([, h]) => !headings.includes(h as string))
    .map(([f, h]) => ({ row: 1, field: f, problem: `column "${h}" is not in the file` }));
}

/** A historical order, validated and ready to insert (times as ISO UTC). */
export interface ImportedOrder {
  sourceNumber: string;
  kind: Kind;
  channel: string;
  classCode: string | null;
  subject: string;
  description: string;
  location: string | null;
  customer: { name: string | null; phone: string | null; account: string | null };
  unitId: number;
  grade: string;
  intakeAt: string;
  dispatchedAt: string;
  repliedAt: string;
  closedAt: string;
  verification: string;
  rootCause: string | null;
  responsibility: string | null;
  responsiblePerson: string | null;
  replyText: string;
  satisfaction: string | null;
  externalRef: string | null;
}

export type Cell = string | number | boolean | Date | null | undefined;

export interface RowContext {
  classes: ReadonlyArray<ClassDef & { active: boolean }>;
  /** A unit of the company by code or name; null when unknown. */
  unit: (codeOrName: string) => number | null;
  now: Date;
}

function text(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return String(v).trim();
}

function codeOf(list: readonly Labelled[], value: string, map: Record<string, string> | undefined): string | null {
  const mapped = map?.[value] ?? value;
  const hit = list.find((x) => x.code === mapped || x.zh === mapped || x.en.toLowerCase() === mapped.toLowerCase());
  return hit ? hit.code : null;
}

function time(v: Cell): Date | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? excelWallTime(v) : null;
  const s = text(v);
  return s ? parseLocalDateTime(s) : null;
}

const NUMBER_FORMAT = /^(TS|JB|YJ|JY|BY)(\d{4})(\d{2})(\d{2})(\d{5})$/;

/**
 * Whether an original number fits GridVoice's format for the kind (prefix + yyyyMMdd + 5 digits) and so may be
 * kept; returns its day and sequence when it does.
 */
export function keepableNumber(number: string, kind: Kind): { day: string; seq: number } | null {
  const m = NUMBER_FORMAT.exec(number);
  if (!m || m[1] !== kindPrefix(kind)) return null;
  const day = `${m[2]}-${m[3]}-${m[4]}`;
  const d = new Date(`${day}T00:00:00Z`);
  if (!Number.isFinite(d.getTime()) || d.toISOString().slice(0, 10) !== day || Number(m[5]) === 0) return null;
  return { day, seq: Number(m[5]) };
}

/** Validates one row of a historical file against the mapping; every problem is reported, not just the first. */
export function readOrderRow(
  row: number,
  cells: Readonly<Record<string, Cell>>,
  mapping: ImportMapping,
  ctx: RowContext,
): { order: ImportedOrder | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const raw = (f: ImportField): Cell => (mapping.fields[f] ? cells[mapping.fields[f] as string] : undefined);
  const str = (f: ImportField) => {
    const v = text(raw(f));
    return mapping.values[f]?.[v] ?? v;
  };
  const bad = (field: string, problem: string) => problems.push({ row, field, problem });
  for (const f of FIELD_NAMES) if (IMPORT_FIELDS[f].required && !text(raw(f))) bad(f, 'is empty');

  const sourceNumber = str('number');
  if (sourceNumber.length > 64) bad('number', 'is longer than 64 characters');
  const kind = text(raw('kind')) ? (codeOf(KINDS, text(raw('kind')), mapping.values.kind) as Kind | null) : null;
  if (text(raw('kind')) && !kind) bad('kind', `unknown kind "${text(raw('kind'))}" (add it to values.kind)`);
  const channel = text(raw('channel')) ? codeOf(CHANNELS, text(raw('channel')), mapping.values.channel) : null;
  if (text(raw('channel')) && !channel) bad('channel', `unknown channel "${text(raw('channel'))}" (add it to values.channel)`);

  let classCode: string | null = null;
  const classText = text(raw('classCode'));
  if (classText) {
    const mapped = mapping.values.classCode?.[classText] ?? classText;
    const cls = ctx.classes.find((c) => c.code === mapped || c.zh === mapped);
    if (!cls) bad('classCode', `unknown class "${classText}" (add it to values.classCode)`);
    else if (kind && !classFitsKind(kind, cls)) bad('classCode', `class ${cls.code} does not fit kind ${kind}`);
    else classCode = cls.code;
  }

  const unitText = str('unit');
  const unitId = unitText ? ctx.unit(unitText) : null;
  if (unitText && unitId === null) bad('unit', `unknown unit "${unitText}" (a code or name of a department or station)`);

  const grade = text(raw('grade')) ? codeOf(GRADES, text(raw('grade')), mapping.values.grade) : 'normal';
  if (!grade) bad('grade', `unknown grade "${text(raw('grade'))}"`);

  const times: Partial<Record<'intakeAt' | 'dispatchedAt' | 'repliedAt' | 'closedAt', Date>> = {};
  for (const f of ['intakeAt', 'dispatchedAt', 'repliedAt', 'closedAt'] as const) {
    if (!text(raw(f))) continue;
    const t = time(raw(f));
    if (!t) bad(f, `not a date-time: "${text(raw(f))}"`);
    else times[f] = t;
  }
  const order = ['intakeAt', 'dispatchedAt', 'repliedAt', 'closedAt'] as const;
  for (let i = 1; i < order.length; i++) {
    const later = times[order[i] as (typeof order)[number]];
    for (let j = 0; j < i; j++) {
      const earlier = times[order[j] as (typeof order)[number]];
      if (earlier && later && later < earlier) bad(order[i] as string, `is before ${order[j]}`);
    }
  }
  if (times.closedAt && times.closedAt > ctx.now) bad('closedAt', 'is in the future');

  const verification = text(raw('verification'))
    ? codeOf(VERIFICATION_RESULTS, text(raw('verification')), mapping.values.verification)
    : null;
  if (text(raw('verification')) && !verification)
    bad('verification', `unknown result "${text(raw('verification'))}" (属实/部分属实/不属实)`);
  const rootCause = text(raw('rootCause')) ? codeOf(ROOT_CAUSES, text(raw('rootCause')), mapping.values.rootCause) : null;
  if (text(raw('rootCause')) && !rootCause) bad('rootCause', `unknown root cause "${text(raw('rootCause'))}"`);
  if (!text(raw('rootCause')) && kind && kind !== 'praise' && kind !== 'suggestion') bad('rootCause', 'is required for this kind');
  const responsibility = text(raw('responsibility'))
    ? codeOf(RESPONSIBILITY, text(raw('responsibility')), mapping.values.responsibility)
    : null;
  if (text(raw('responsibility')) && !responsibility) bad('responsibility', `unknown responsibility "${text(raw('responsibility'))}"`);
  const satisfaction = text(raw('satisfaction')) ? codeOf(REVISIT_OUTCOMES, text(raw('satisfaction')), mapping.values.satisfaction) : null;
  if (text(raw('satisfaction')) && !satisfaction) bad('satisfaction', `unknown outcome "${text(raw('satisfaction'))}"`);

  const description = str('description');
  if (description.length > 4000) bad('description', 'is longer than 4000 characters');
  const replyText = str('replyText');
  if (replyText && replyText.length < 5) bad('replyText', 'is too short to be a reply');
  const phone = str('customerPhone') || null;
  if (phone && !/^[0-9+\- ]{5,20}$/.test(phone)) bad('customerPhone', `not a phone number: "${phone}"`);
  const account = str('customerAccount') || null;
  if (account && !/^[0-9A-Za-z-]{4,32}$/.test(account)) bad('customerAccount', `not an account number: "${account}"`);

  if (problems.length || !kind || !channel || !unitId || !grade || !verification || !times.intakeAt || !times.closedAt) {
    return { order: null, problems };
  }
  const intakeAt = times.intakeAt.toISOString();
  const closedAt = times.closedAt.toISOString();
  const subject = (str('subject') || description.replace(/\s+/g, ' ').slice(0, 30)).slice(0, 120);
  return {
    order: {
      sourceNumber,
      kind,
      channel,
      classCode,
      subject,
      description,
      location: str('location') || null,
      customer: { name: str('customerName') || null, phone, account },
      unitId,
      grade,
      intakeAt,
      dispatchedAt: times.dispatchedAt?.toISOString() ?? intakeAt,
      repliedAt: times.repliedAt?.toISOString() ?? closedAt,
      closedAt,
      verification,
      rootCause,
      responsibility,
      responsiblePerson: str('responsiblePerson') || null,
      replyText,
      satisfaction,
      externalRef: str('externalRef') || null,
    },
    problems,
  };
}
