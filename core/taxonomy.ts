/**
 * Reference data of GridVoice: kinds, channels, grades, the default class tree,
 * root causes and the small code lists used by the workflow. Every entry is a stable code with a
 * Chinese and an English label. Pure data and pure functions: no imports from server/ or web/,
 * no Node APIs.
 */

export type Lang = 'zh' | 'en';

/** The common shape of every reference-data entry. */
export interface Labelled {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

/** The code union of a reference list. */
export type CodeOf<L extends readonly Labelled[]> = L[number]['code'];

/** The entry with the given code, or undefined. */
export function byCode<T extends Labelled>(list: readonly T[], code: string): T | undefined {
  return list.find((e) => e.code === code);
}

/** The label of a code in the given language; an unknown code is returned as is. */
export function label(list: readonly Labelled[], code: string, lang: Lang = 'zh'): string {
  const e = byCode(list, code);
  return e ? e[lang] : code;
}

/** Type guard: is `value` one of the list's codes? */
export function isCode<L extends readonly Labelled[]>(list: L, value: unknown): value is CodeOf<L> {
  return typeof value === 'string' && list.some((e) => e.code === value);
}

/** The codes of a list, in order. */
export function codes<L extends readonly Labelled[]>(list: L): CodeOf<L>[] {
  return list.map((e) => e.code);
}

function mustFind<T extends Labelled>(list: readonly T[], code: string, what: string): T {
  const e = byCode(list, code);
  if (!e) throw new Error(`unknown ${what} "${code}"`);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Kinds (业务类型)

export const KINDS = [
  { code: 'complaint', zh: '投诉', en: 'Complaint', prefix: 'TS' },
  { code: 'report', zh: '举报', en: 'Report', prefix: 'JB' },
  { code: 'opinion', zh: '意见', en: 'Opinion', prefix: 'YJ' },
  { code: 'suggestion', zh: '建议', en: 'Suggestion', prefix: 'JY' },
  { code: 'praise', zh: '表扬', en: 'Praise', prefix: 'BY' },
] as const satisfies readonly (Labelled & { prefix: string })[];
export type Kind = CodeOf<typeof KINDS>;
export type KindInfo = (typeof KINDS)[number];

export function kindInfo(code: Kind): KindInfo {
  return mustFind(KINDS, code, 'kind');
}
/** The work-order number prefix of a kind (TS, JB, YJ, JY, BY). */
export function kindPrefix(code: Kind): string {
  return kindInfo(code).prefix;
}

// ---------------------------------------------------------------------------------------------
// Channels (受理渠道)

export const CHANNELS = [
  { code: 'phone', zh: '95598/热线电话', en: 'Phone (95598 / hotline)', external: false },
  { code: 'web', zh: '网站/门户', en: 'Website / portal', external: false },
  { code: 'mobile', zh: '手机H5/网上国网', en: 'Mobile (H5 / app)', external: false },
  { code: 'wechat', zh: '微信', en: 'WeChat', external: false },
  { code: 'counter', zh: '营业厅', en: 'Service counter', external: false },
  { code: 'letter', zh: '信函', en: 'Letter', external: false },
  { code: 'visit', zh: '来访/领导接待日', en: 'Visit / leaders’ reception day', external: false },
  {
    code: 'regulator_12398',
    zh: '12398能源监管热线转办',
    en: '12398 energy regulator hotline (forwarded)',
    external: true,
  },
  { code: 'gov_12345', zh: '12345政务热线转办', en: '12345 government hotline (forwarded)', external: true },
  { code: 'open311', zh: 'Open311接口', en: 'Open311', external: false },
  { code: 'api', zh: '系统接口', en: 'API', external: false },
] as const satisfies readonly (Labelled & { external: boolean })[];
export type Channel = CodeOf<typeof CHANNELS>;
export type ChannelInfo = (typeof CHANNELS)[number];

export function channelInfo(code: Channel): ChannelInfo {
  return mustFind(CHANNELS, code, 'channel');
}
/** Forwarded hotlines (12398, 12345): the order carries an external reference number and deadline. */
export function isExternalChannel(code: string): boolean {
  return byCode(CHANNELS, code)?.external === true;
}

// ---------------------------------------------------------------------------------------------
// Grades (定级)

export const GRADES = [
  { code: 'normal', zh: '一般', en: 'Normal', rank: 0, alertsLeaders: false },
  { code: 'important', zh: '重要', en: 'Important', rank: 1, alertsLeaders: false },
  { code: 'major', zh: '重大', en: 'Major', rank: 2, alertsLeaders: true },
  { code: 'special', zh: '特殊', en: 'Special', rank: 3, alertsLeaders: true },
] as const satisfies readonly (Labelled & { rank: number; alertsLeaders: boolean })[];
export type Grade = CodeOf<typeof GRADES>;
export type GradeInfo = (typeof GRADES)[number];

export function gradeInfo(code: Grade): GradeInfo {
  return mustFind(GRADES, code, 'grade');
}
/** Grading an order `major` or `special` alerts the leaders at once. */
export function gradeAlertsLeaders(code: string): boolean {
  return byCode(GRADES, code)?.alertsLeaders === true;
}

// ---------------------------------------------------------------------------------------------
// Classes (default tree, editable by admins; codes are stable)

export type ClassFamily = 'complaint' | 'report' | 'general';

export interface ClassDef extends Labelled {
  /** The parent class code; null for a top-level class (a family node). */
  readonly parent: string | null;
  readonly family: ClassFamily;
}

export const DEFAULT_CLASSES = [
  // Complaint classes: State Grid's five classes (2014 95598 rules annex).
  { code: 'service', parent: null, family: 'complaint', zh: '服务投诉', en: 'Service' },
  { code: 'service.attitude', parent: 'service', family: 'complaint', zh: '服务态度', en: 'Staff attitude' },
  { code: 'service.conduct', parent: 'service', family: 'complaint', zh: '服务行为规范', en: 'Service conduct' },
  {
    code: 'service.channel',
    parent: 'service',
    family: 'complaint',
    zh: '服务渠道（营业厅/热线/网上国网）',
    en: 'Service channels (counter / hotline / app)',
  },
  { code: 'business', parent: null, family: 'complaint', zh: '营业投诉', en: 'Business' },
  { code: 'business.connection', parent: 'business', family: 'complaint', zh: '业扩报装', en: 'New connection' },
  { code: 'business.change', parent: 'business', family: 'complaint', zh: '用电变更', en: 'Service change' },
  {
    code: 'business.billing',
    parent: 'business',
    family: 'complaint',
    zh: '电价电费/抄表催费',
    en: 'Tariffs, bills, meter reading and collection',
  },
  { code: 'business.metering', parent: 'business', family: 'complaint', zh: '电能计量', en: 'Metering' },
  {
    code: 'business.fees',
    parent: 'business',
    family: 'complaint',
    zh: '业务收费（超标准收费/已取缔收费项目）',
    en: 'Service fees (over-standard or abolished fees)',
  },
  { code: 'outage', parent: null, family: 'complaint', zh: '停送电投诉', en: 'Outages' },
  { code: 'outage.notice', parent: 'outage', family: 'complaint', zh: '停电告知', en: 'Outage notice' },
  {
    code: 'outage.repair',
    parent: 'outage',
    family: 'complaint',
    zh: '抢修服务（到达/恢复不及时）',
    en: 'Fault repair (late arrival / restoration)',
  },
  { code: 'outage.frequent', parent: 'outage', family: 'complaint', zh: '频繁停电', en: 'Frequent outages' },
  { code: 'quality', parent: null, family: 'complaint', zh: '供电质量投诉', en: 'Supply quality' },
  {
    code: 'quality.voltage',
    parent: 'quality',
    family: 'complaint',
    zh: '电压质量（低电压/电压波动）',
    en: 'Voltage quality (low voltage / fluctuation)',
  },
  { code: 'quality.other', parent: 'quality', family: 'complaint', zh: '其他供电质量', en: 'Other supply quality' },
  { code: 'construction', parent: null, family: 'complaint', zh: '电网建设投诉', en: 'Grid construction' },
  {
    code: 'construction.safety',
    parent: 'construction',
    family: 'complaint',
    zh: '设施安全隐患',
    en: 'Facility safety hazard',
  },
  {
    code: 'construction.works',
    parent: 'construction',
    family: 'complaint',
    zh: '施工行为（损坏、未恢复原状）',
    en: 'Works conduct (damage, site not restored)',
  },
  // Report classes.
  { code: 'integrity', parent: null, family: 'report', zh: '行风廉政', en: 'Staff integrity' },
  {
    code: 'integrity.bribery',
    parent: 'integrity',
    family: 'report',
    zh: '吃拿卡要/收受礼品宴请',
    en: 'Soliciting favours, gifts or banquets',
  },
  { code: 'integrity.fees', parent: 'integrity', family: 'report', zh: '违规收费/乱收费', en: 'Illegal charges' },
  {
    code: 'integrity.designation',
    parent: 'integrity',
    family: 'report',
    zh: '三指定',
    en: 'Designating designer, contractor or supplier',
  },
  {
    code: 'integrity.abuse',
    parent: 'integrity',
    family: 'report',
    zh: '以电谋私/违规停限电',
    en: 'Abuse of position / improper disconnection',
  },
  { code: 'theft', parent: null, family: 'report', zh: '窃电', en: 'Electricity theft' },
  { code: 'violation', parent: null, family: 'report', zh: '违约用电', en: 'Contract-violating use' },
  { code: 'facility', parent: null, family: 'report', zh: '破坏/偷盗电力设施', en: 'Damage to or theft of facilities' },
  { code: 'hazard', parent: null, family: 'report', zh: '安全隐患', en: 'Safety hazard' },
  { code: 'other_report', parent: null, family: 'report', zh: '其他违法违规', en: 'Other violations' },
  // Opinion, suggestion and praise that fit no other class.
  { code: 'general', parent: null, family: 'general', zh: '综合', en: 'General' },
] as const satisfies readonly ClassDef[];
export type DefaultClassCode = CodeOf<typeof DEFAULT_CLASSES>;

/** The class with the given code in a class list (the default tree unless another is given). */
export function classInfo(code: string, classes: readonly ClassDef[] = DEFAULT_CLASSES): ClassDef | undefined {
  return byCode(classes, code);
}

/** The direct children of a class. */
export function classChildren(code: string, classes: readonly ClassDef[] = DEFAULT_CLASSES): ClassDef[] {
  return classes.filter((c) => c.parent === code);
}

/** A class without children: a leaf, or a family node that is itself selectable (theft, hazard …). */
export function isLeafClass(code: string, classes: readonly ClassDef[] = DEFAULT_CLASSES): boolean {
  return classes.some((c) => c.code === code) && !classes.some((c) => c.parent === code);
}

/** The leaf (selectable) classes, in order. */
export function leafClasses(classes: readonly ClassDef[] = DEFAULT_CLASSES): ClassDef[] {
  return classes.filter((c) => isLeafClass(c.code, classes));
}

/** The top-level ancestor of a class (itself if top-level); undefined for an unknown code. */
export function classRoot(code: string, classes: readonly ClassDef[] = DEFAULT_CLASSES): ClassDef | undefined {
  let c = byCode(classes, code);
  for (let guard = 0; c?.parent != null && guard < 32; guard++) c = byCode(classes, c.parent);
  return c;
}

/** Integrity (行风廉政) reports: never dispatched to the unit they name. */
export function isIntegrityClass(code: string | null | undefined): boolean {
  return code === 'integrity' || (typeof code === 'string' && code.startsWith('integrity.'));
}

/**
 * The class family that fits a kind: complaints take complaint classes, reports take report
 * classes; opinions, suggestions and praise may take any class ('any'), `general` included.
 */
export function classFamilyForKind(kind: Kind): ClassFamily | 'any' {
  if (kind === 'complaint') return 'complaint';
  if (kind === 'report') return 'report';
  return 'any';
}

/** May an order of this kind carry this class? */
export function classFitsKind(kind: Kind, cls: Pick<ClassDef, 'family'>): boolean {
  const f = classFamilyForKind(kind);
  return f === 'any' || cls.family === f;
}

// ---------------------------------------------------------------------------------------------
// Root causes (second, independent axis, found by the handler)

export const ROOT_CAUSES = [
  { code: 'weak_grid', zh: '网架薄弱', en: 'Weak grid' },
  { code: 'aging_equipment', zh: '设备老化', en: 'Ageing equipment' },
  { code: 'insufficient_capacity', zh: '容量不足', en: 'Insufficient capacity' },
  { code: 'patrol_gaps', zh: '巡视消缺不到位', en: 'Patrols and defect removal not done' },
  { code: 'repair_resources', zh: '抢修资源不足', en: 'Too few repair resources' },
  { code: 'poor_notice', zh: '信息告知不到位', en: 'Poor information to customers' },
  { code: 'billing_error', zh: '抄核收差错', en: 'Reading, billing or collection error' },
  { code: 'meter_fault', zh: '计量装置故障', en: 'Meter fault' },
  { code: 'connection_delay', zh: '业扩超时', en: 'Connection overdue' },
  { code: 'improper_fees', zh: '违规收费', en: 'Improper fees' },
  { code: 'staff_conduct', zh: '服务行为不规范', en: 'Improper staff conduct' },
  { code: 'customer_misunderstanding', zh: '客户误解', en: 'Customer misunderstanding' },
  { code: 'external', zh: '外部因素', en: 'External factors' },
] as const satisfies readonly Labelled[];
export type RootCause = CodeOf<typeof ROOT_CAUSES>;

/**
 * The root causes that fit each top class (the handler's 问题原因 list follows the order's class); a class not
 * listed here, 综合 and unclassified orders offer them all. Customer misunderstanding and external factors fit all.
 */
export const ROOT_CAUSES_BY_CLASS: Readonly<Record<string, readonly RootCause[]>> = {
  service: ['staff_conduct', 'poor_notice', 'improper_fees', 'customer_misunderstanding', 'external'],
  business: [
    'billing_error',
    'meter_fault',
    'connection_delay',
    'improper_fees',
    'staff_conduct',
    'poor_notice',
    'customer_misunderstanding',
    'external',
  ],
  outage: [
    'weak_grid',
    'aging_equipment',
    'insufficient_capacity',
    'patrol_gaps',
    'repair_resources',
    'poor_notice',
    'customer_misunderstanding',
    'external',
  ],
  quality: ['weak_grid', 'aging_equipment', 'insufficient_capacity', 'patrol_gaps', 'customer_misunderstanding', 'external'],
  construction: ['patrol_gaps', 'aging_equipment', 'staff_conduct', 'poor_notice', 'customer_misunderstanding', 'external'],
  integrity: ['staff_conduct', 'improper_fees', 'connection_delay', 'customer_misunderstanding', 'external'],
  theft: ['meter_fault', 'patrol_gaps', 'billing_error', 'customer_misunderstanding', 'external'],
  violation: ['meter_fault', 'patrol_gaps', 'billing_error', 'customer_misunderstanding', 'external'],
  facility: ['patrol_gaps', 'aging_equipment', 'customer_misunderstanding', 'external'],
  hazard: ['patrol_gaps', 'aging_equipment', 'weak_grid', 'customer_misunderstanding', 'external'],
};

/** The root causes a handler may pick for an order of this class, in the taxonomy's order. */
export function rootCausesForClass(classCode: string | null | undefined, classes: readonly ClassDef[] = DEFAULT_CLASSES): RootCause[] {
  const root = classCode ? (classRoot(classCode, classes)?.code ?? classCode.split('.')[0]) : undefined;
  const fit = root ? ROOT_CAUSES_BY_CLASS[root] : undefined;
  return ROOT_CAUSES.map((r) => r.code).filter((c) => !fit || fit.includes(c));
}

// ---------------------------------------------------------------------------------------------
// Workflow code lists

export const VERIFICATION_RESULTS = [
  { code: 'substantiated', zh: '属实', en: 'Substantiated' },
  { code: 'partly', zh: '部分属实', en: 'Partly substantiated' },
  { code: 'unsubstantiated', zh: '不属实', en: 'Not substantiated' },
] as const satisfies readonly Labelled[];
export type VerificationResult = CodeOf<typeof VERIFICATION_RESULTS>;

export const RETURN_REASONS = [
  { code: 'not_our_remit', zh: '非本单位职责', en: 'Not our remit' },
  { code: 'wrong_unit', zh: '派单错误', en: 'Wrong unit' },
  { code: 'info_missing', zh: '信息不全', en: 'Information missing' },
] as const satisfies readonly Labelled[];
export type ReturnReason = CodeOf<typeof RETURN_REASONS>;

export const REVISIT_OUTCOMES = [
  { code: 'satisfied', zh: '满意', en: 'Satisfied' },
  { code: 'basically', zh: '基本满意', en: 'Basically satisfied' },
  { code: 'dissatisfied', zh: '不满意', en: 'Dissatisfied' },
  { code: 'unreachable', zh: '无法联系', en: 'Unreachable' },
] as const satisfies readonly Labelled[];
export type RevisitOutcome = CodeOf<typeof REVISIT_OUTCOMES>;

export const INVALID_REASONS = [
  { code: 'outside_remit', zh: '非受理范围', en: 'Outside our remit' },
  { code: 'malicious', zh: '恶意来电/骚扰', en: 'Malicious or nuisance' },
  { code: 'test', zh: '测试工单', en: 'Test' },
  { code: 'duplicate_call', zh: '重复来电', en: 'Duplicate call' },
] as const satisfies readonly Labelled[];
export type InvalidReason = CodeOf<typeof INVALID_REASONS>;

export const RESPONSIBILITY = [
  { code: 'company', zh: '供电企业责任', en: 'Utility' },
  { code: 'customer', zh: '客户责任', en: 'Customer' },
  { code: 'third_party', zh: '第三方', en: 'Third party' },
  { code: 'none', zh: '无责', en: 'No fault' },
] as const satisfies readonly Labelled[];
export type Responsibility = CodeOf<typeof RESPONSIBILITY>;

// ---------------------------------------------------------------------------------------------
// Organisation

export const ORG_UNIT_KINDS = [
  { code: 'company', zh: '公司', en: 'Company' },
  { code: 'department', zh: '部门', en: 'Department' },
  { code: 'station', zh: '供电所', en: 'Supply station' },
] as const satisfies readonly Labelled[];
export type OrgUnitKind = CodeOf<typeof ORG_UNIT_KINDS>;

export const AREA_TYPES = [
  { code: 'urban', zh: '城区', en: 'Urban' },
  { code: 'rural', zh: '农村', en: 'Rural' },
] as const satisfies readonly Labelled[];
export type AreaType = CodeOf<typeof AREA_TYPES>;

// ---------------------------------------------------------------------------------------------
// Roles

export type RoleScope = 'company' | 'unit' | 'none';

export const ROLES = [
  { code: 'agent', zh: '受理员', en: 'Agent', scope: 'company' },
  { code: 'handler', zh: '处理人', en: 'Handler', scope: 'unit' },
  { code: 'unit_lead', zh: '单位负责人', en: 'Unit lead', scope: 'unit' },
  { code: 'reviewer', zh: '审核员', en: 'Reviewer', scope: 'company' },
  { code: 'leader', zh: '领导', en: 'Leader', scope: 'company' },
  { code: 'discipline', zh: '纪检', en: 'Discipline inspection', scope: 'company' },
  { code: 'analyst', zh: '统计分析', en: 'Analyst', scope: 'company' },
  { code: 'admin', zh: '系统管理员', en: 'Administrator', scope: 'none' },
] as const satisfies readonly (Labelled & { scope: RoleScope })[];
export type Role = CodeOf<typeof ROLES>;

/**
 * Which orders a role sees: 'company' — the orders of the user's company subtree (centre roles);
 * 'unit' — orders that are or were dispatched to the user's unit subtree; 'none' — no orders.
 */
export function roleScope(code: Role): RoleScope {
  return mustFind(ROLES, code, 'role').scope;
}
