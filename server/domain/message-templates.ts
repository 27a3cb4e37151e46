/**
 * The zh-CN message templates of the notification outbox: customer messages (SMS first — many
 * customers have no e-mail) and staff messages. Pure: text in, text out.
 */

export const CUSTOMER_TEMPLATES = ['accepted', 'reply_ready', 'callback_request', 'question'] as const;
export const STAFF_TEMPLATES = ['assigned', 'urged', 'supervised', 'warning', 'overdue', 'reporter_answer'] as const;
export type CustomerTemplate = (typeof CUSTOMER_TEMPLATES)[number];
export type StaffTemplate = (typeof STAFF_TEMPLATES)[number];
export type TemplateCode = CustomerTemplate | StaffTemplate;

export interface MessageVars {
  company: string;
  number: string;
  kind?: string;
  subject?: string;
  queryCode?: string;
  note?: string;
  clock?: string;
  due?: string;
  /** Where the customer tracks the order (the portal). */
  url?: string;
}

export interface Rendered {
  subject: string;
  text: string;
}

const TEMPLATES: Record<TemplateCode, (v: MessageVars) => Rendered> = {
  accepted: (v) => ({
    subject: `您的${v.kind ?? '诉求'}已受理（${v.number}）`,
    text: `【${v.company}】您的${v.kind ?? '诉求'}已受理，工单号${v.number}，查询码${v.queryCode ?? ''}。请妥善保管查询码，可凭工单号和查询码${v.url ? `在${v.url}` : '在网上'}查询办理进度。`,
  }),
  reply_ready: (v) => ({
    subject: `工单${v.number}已答复`,
    text: `【${v.company}】您的工单${v.number}已办理并答复，请凭工单号和查询码${v.url ? `登录${v.url}` : '登录客户门户'}查看答复，并对办理结果进行评价。`,
  }),
  callback_request: (v) => ({
    subject: `工单${v.number}回访`,
    text: `【${v.company}】我们就工单${v.number}对您进行回访，但未能联系上您。请${v.url ? `登录${v.url}` : '登录客户门户'}在线评价，或拨打95598。`,
  }),
  question: (v) => ({
    subject: `工单${v.number}需要您补充信息`,
    text: `【${v.company}】关于工单${v.number}，我们有问题需要您补充说明，请${v.url ? `登录${v.url}` : '登录客户门户'}查看并答复。`,
  }),
  assigned: (v) => ({ subject: `新派工单 ${v.number}`, text: `工单${v.number}已派发至贵单位：${v.subject ?? ''}，请及时接单处理。` }),
  urged: (v) => ({ subject: `催办 ${v.number}`, text: `工单${v.number}被催办：${v.note ?? ''}，请尽快处理。` }),
  supervised: (v) => ({ subject: `督办 ${v.number}`, text: `工单${v.number}已被领导督办：${v.note ?? ''}，请优先处理并及时反馈。` }),
  warning: (v) => ({ subject: `预警 ${v.number}`, text: `工单${v.number}${v.clock ?? ''}时限即将到期（${v.due ?? ''}），请抓紧处理。` }),
  overdue: (v) => ({ subject: `超期 ${v.number}`, text: `工单${v.number}${v.clock ?? ''}时限已超期，请立即处理。` }),
  reporter_answer: (v) => ({ subject: `客户已答复 ${v.number}`, text: `工单${v.number}的客户已答复中心的提问或补充了材料。` }),
};

/** Renders a template with its variables. */
export function renderMessage(template: TemplateCode, vars: MessageVars): Rendered {
  return TEMPLATES[template](vars);
}

/** Whether a string names a template. */
export function isTemplate(code: string): code is TemplateCode {
  return code in TEMPLATES;
}

/** Retry delay after the n-th failed attempt (1-based): base · 2^(n-1), capped at six hours. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 6 * 3_600_000);
}
