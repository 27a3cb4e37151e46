/**
 * Realistic, fictional Chinese complaint and report texts for the demo seeder: the customer's own
 * words, a subject line, the handler's formal reply, a root cause and a verification result, plus
 * fictional customers and the villages and streets of the demo county's supply stations.
 *
 * Deterministic: every random choice comes from the `rng` passed in (a seeded function returning
 * [0, 1)), never Math.random. Everything is fictional; phone numbers are random digits behind
 * common mobile prefixes.
 */
import type { Kind, Responsibility, RootCause, VerificationResult } from '../../core/taxonomy.ts';
import { CLASS_TEXTS, type ClassTexts, KIND_TEXTS, type Outcome, type Template } from './demo-texts.data.ts';

export type Rng = () => number;
export type Season = 'summer' | 'winter' | 'other';

export interface DemoText {
  /** The class the text belongs to: the requested one, or a leaf of a requested family code
   * (e.g. 'outage' → 'outage.repair'); for opinion/suggestion/praise 'general' if the requested
   * class has no texts of that kind. */
  classCode: string;
  /** ≤ 30 characters. */
  subject: string;
  /** The customer's words, verbatim. */
  description: string;
  location: string;
  /** A ROOT_CAUSES code; '' where no cause applies (praise, most suggestions). */
  rootCause: string;
  verification: 'substantiated' | 'partly' | 'unsubstantiated';
  /** Who is responsible (RESPONSIBILITY code), consistent with the verification and cause. */
  responsibility: Responsibility;
  /** The handler's formal reply to the customer. */
  reply: string;
}

// ---------------------------------------------------------------------------------------------
// The demo county

export const DEMO_COMPANY = '示范县供电公司';
export const DEMO_DEPARTMENTS = ['客户服务中心', '营销部', '运检部', '纪检监察室', '办公室'] as const;

export const DEMO_STATIONS: readonly { name: string; areaType: 'urban' | 'rural'; town: string }[] = [
  { name: '城关供电所', areaType: 'urban', town: '城关镇' },
  { name: '东城供电所', areaType: 'urban', town: '东城街道' },
  { name: '西湖供电所', areaType: 'rural', town: '西湖乡' },
  { name: '南山供电所', areaType: 'rural', town: '南山镇' },
  { name: '北塔供电所', areaType: 'rural', town: '北塔镇' },
  { name: '河口供电所', areaType: 'rural', town: '河口镇' },
  { name: '石桥供电所', areaType: 'rural', town: '石桥乡' },
  { name: '柳树湾供电所', areaType: 'rural', town: '柳树湾乡' },
];

/** Station name → its fictional streets (urban) or villages (rural). */
export const VILLAGES: Record<string, string[]> = {
  城关供电所: ['人民路', '建设街', '解放路', '文化巷', '新华街', '滨河小区'],
  东城供电所: ['东风路', '朝阳街', '幸福小区', '迎宾大道', '工业园区'],
  西湖供电所: ['西湖村', '张家庄村', '柳林村', '前进村', '王家沟村'],
  南山供电所: ['南山村', '大石头村', '杏花村', '红旗村', '马场村'],
  北塔供电所: ['北塔村', '塔西村', '新渠村', '三道沟村', '榆树村'],
  河口供电所: ['河口村', '下河坝村', '李家湾村', '团结村', '沙梁子村', '新庄村'],
  石桥供电所: ['石桥村', '东湾村', '羊圈沟村', '和平村', '双井子村'],
  柳树湾供电所: ['柳树湾村', '上湾村', '下湾村', '芦草沟村', '红柳滩村'],
};

const FALLBACK_VILLAGES = ['新村', '前进村', '团结村', '红星村'];

function stationInfo(stationName: string): { rural: boolean; town: string; villages: string[] } {
  const s = DEMO_STATIONS.find((x) => x.name === stationName);
  const villages = VILLAGES[stationName] ?? FALLBACK_VILLAGES;
  if (s) return { rural: s.areaType === 'rural', town: s.town, villages };
  const short = stationName.replace(/供电所$/, '') || '城关';
  return { rural: !short.includes('城'), town: `${short}镇`, villages };
}

/** The season of a month (1–12): Jun–Aug summer, Dec–Feb winter (heating). */
export function seasonOf(month: number): Season {
  if (month >= 6 && month <= 8) return 'summer';
  if (month === 12 || month <= 2) return 'winter';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Random helpers (all driven by the caller's rng)

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
function pick<T>(rng: Rng, xs: readonly T[]): T {
  if (xs.length === 0) throw new Error('pick from an empty list');
  return xs[Math.min(xs.length - 1, Math.floor(rng() * xs.length))] as T;
}
function weighted<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  if (!(total > 0)) throw new Error('weighted pick from an empty list');
  let r = rng() * total;
  for (const t of items) {
    r -= weight(t);
    if (r < 0) return t;
  }
  return items[items.length - 1] as T;
}
function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rng() * 10) % 10);
  return s;
}
/** 1234.5 → "1,234.50" (no locale dependence). */
function money(n: number): string {
  const [i, f] = n.toFixed(2).split('.') as [string, string];
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}

// ---------------------------------------------------------------------------------------------
// People

const SURNAMES = (
  '王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 ' +
  '郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 田 董 袁 潘 于 蒋 蔡 余 ' +
  '杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 石 贾 ' +
  '夏 付 方 白 孟 秦 邱 尹 薛 闫 段 雷 侯 史 贺 顾 毛 郝 龚 邵 ' +
  '万 严 武 戴 孔 汤'
).split(' ');
const MALE_GIVEN = (
  '建国 建军 志强 国庆 德明 永刚 海涛 立新 振华 文斌 红军 卫东 春生 ' +
  '金山 明亮 玉林 学军 新民 长江 宝山 国华 俊杰 浩然 子豪 宇航 晓东 伟 ' +
  '磊 军 勇 强 斌 涛 鹏 刚 平 杰 超 亮 辉 峰'
).split(' ');
const FEMALE_GIVEN = (
  '秀英 桂兰 玉兰 红梅 海燕 春花 丽娟 秀珍 凤英 淑华 晓燕 丽萍 美玲 ' +
  '翠萍 雪梅 金花 玉珍 佳怡 雨欣 梦瑶 思琪 欣怡 丽 敏 静 芳 娟 霞 燕 ' +
  '艳 萍 红'
).split(' ');
const PHONE_PREFIXES = ['139', '138', '135', '186', '150'];

function personName(rng: Rng, sex?: 'm' | 'f'): string {
  const s = sex ?? (rng() < 0.55 ? 'm' : 'f');
  return pick(rng, SURNAMES) + pick(rng, s === 'm' ? MALE_GIVEN : FEMALE_GIVEN);
}

/** A fictional customer: a common Chinese name, an 11-digit mobile number, a 10-digit account (户号). */
export function demoPerson(rng: Rng): { name: string; phone: string; account: string } {
  const name = personName(rng);
  const phone = pick(rng, PHONE_PREFIXES) + digits(rng, 8);
  const account = String(int(rng, 1, 9)) + digits(rng, 9);
  return { name, phone, account };
}

// ---------------------------------------------------------------------------------------------
// Class distribution

type Weights = Record<string, number>;

/** Base frequencies of complaint classes (billing and repair most common). */
const COMPLAINT_BASE: Weights = {
  'business.billing': 22,
  'outage.repair': 16,
  'service.attitude': 8,
  'outage.frequent': 7,
  'quality.voltage': 7,
  'outage.notice': 5,
  'business.connection': 6,
  'business.metering': 6,
  'business.fees': 4,
  'service.conduct': 4,
  'service.channel': 3,
  'business.change': 2,
  'quality.other': 2,
  'construction.safety': 3,
  'construction.works': 3,
};

/** Base frequencies of report classes (mostly theft, violation and hazards; some integrity). */
const REPORT_BASE: Weights = {
  theft: 28,
  violation: 16,
  hazard: 18,
  facility: 12,
  other_report: 6,
  'integrity.bribery': 5,
  'integrity.fees': 6,
  'integrity.designation': 3,
  'integrity.abuse': 4,
};

function multiply(w: Weights, factor: (code: string) => number): Weights {
  const out: Weights = {};
  for (const [k, v] of Object.entries(w)) out[k] = v * factor(k);
  return out;
}

function complaintWeights(season: Season, rural: boolean): Weights {
  return multiply(COMPLAINT_BASE, (c) => {
    let f = 1;
    if (season === 'summer') {
      // Heat, storms and air-conditioning load: outages and low voltage peak.
      if (c === 'outage.repair') f *= 2.4;
      else if (c === 'outage.frequent') f *= 2.4;
      else if (c === 'outage.notice') f *= 1.6;
      else if (c === 'quality.voltage') f *= 2.2;
      else if (c === 'construction.safety') f *= 1.3;
    } else if (season === 'winter') {
      // Electric heating: bills jump, evening voltage sags.
      if (c === 'business.billing') f *= 1.9;
      else if (c === 'business.metering') f *= 1.3;
      else if (c === 'quality.voltage') f *= 1.3;
      else if (c === 'outage.frequent') f *= 1.2;
    }
    if (rural) {
      if (c === 'quality.voltage') f *= 2;
      else if (c.startsWith('outage.')) f *= 1.4;
      else if (c === 'business.fees') f *= 1.6;
      else if (c === 'service.channel') f *= 0.5;
      else if (c === 'construction.works') f *= 0.8;
    }
    return f;
  });
}

function reportWeights(season: Season, rural: boolean): Weights {
  return multiply(REPORT_BASE, (c) => {
    let f = 1;
    if (season === 'summer' && c === 'hazard') f *= 1.5;
    if (season === 'winter' && c === 'theft') f *= 1.4;
    if (rural && (c === 'theft' || c === 'violation' || c === 'integrity.fees')) f *= 1.2;
    if (!rural && c === 'other_report') f *= 1.5;
    return f;
  });
}

/**
 * A realistic class for a new order of this kind in this month (1–12) at an urban or rural
 * station. Complaints: billing and outage repair most common; outage and voltage peak in summer,
 * billing in winter; rural areas see more voltage and outage complaints. Reports: mostly theft,
 * violation and hazards, some integrity.* . Opinions, suggestions and praise: mostly 'general',
 * otherwise a fitting complaint-tree leaf.
 */
export function pickClass(rng: Rng, kind: Kind, month: number, rural: boolean): string {
  const season = seasonOf(month);
  let w: Weights;
  if (kind === 'complaint') w = complaintWeights(season, rural);
  else if (kind === 'report') w = reportWeights(season, rural);
  else {
    w = {};
    for (const [code, t] of Object.entries(KIND_TEXTS[kind])) w[code] = t.w;
  }
  const entries = Object.entries(w);
  return weighted(rng, entries, ([, v]) => v)[0];
}

// ---------------------------------------------------------------------------------------------
// Texts

type Slots = Record<string, string>;

/** The slot names templates may use. */
export const SLOT_NAMES = [
  'station',
  'town',
  'village',
  'addr',
  'area',
  'neighbors',
  'entrance',
  'tq',
  'line',
  'pole',
  'manager',
  'clerk',
  'staff',
  'when',
  'clock',
  'lateClock',
  'hours',
  'days',
  'calls',
  'times',
  'waitDays',
  'amount',
  'prev',
  'fee',
  'smallFee',
  'meter',
  'voltage',
  'gap',
  'kva',
  'newKva',
  'restore',
  'visitDay',
  'arrive',
  'fixDays',
] as const;

function makeSlots(rng: Rng, stationName: string, season: Season): { slots: Slots; rural: boolean } {
  const { rural, town, villages } = stationInfo(stationName);
  const village = pick(rng, villages);
  const vshort = village.length > 2 ? village.replace(/村$/, '') : village;
  const addr = !rural
    ? village.endsWith('小区')
      ? `示范县${town}${village}${int(rng, 1, 24)}号楼${int(rng, 1, 4)}单元`
      : `示范县${town}${village}${int(rng, 1, 260)}号`
    : `示范县${town}${village}${int(rng, 1, 9)}组${int(rng, 1, 80)}号`;
  const stationShort = stationName.replace(/供电所$/, '');

  // Bills: a usual amount and a jump; heating and air-conditioning months run higher.
  const prevBase = season === 'other' ? int(rng, 6000, 16000) : int(rng, 9000, 22000);
  const prev = prevBase / 100;
  const factor = 2.2 + rng() * 3.3;
  const amount = Math.min(1260, Math.max(85.6, Math.round(prev * factor * 10) / 10));

  const kvaList = ['100', '160', '200', '315'];
  const kvaIdx = int(rng, 0, kvaList.length - 1);
  const newKva = ['200', '315', '400', '630'][Math.min(3, kvaIdx + int(rng, 1, 2))] as string;

  const sameDay = rng() < 0.7;
  const h = sameDay ? int(rng, 13, 23) : int(rng, 0, 11);
  const m = pick(rng, ['05', '10', '20', '30', '35', '40', '50']);
  const restore = sameDay ? `当日${h}时${m}分` : `次日${h < 6 ? '凌晨' : '上午'}${h}时${m}分`;

  const slots: Slots = {
    station: stationName,
    town,
    village,
    addr,
    area: rural ? '村里' : '小区里',
    neighbors: rural ? '村里好几户' : '楼里好几家',
    entrance: rural ? '村口' : '小区门口',
    tq: `${vshort}${int(rng, 1, 6)}号台区`,
    line: `10千伏${stationShort}${pick(rng, ['一', '二', '三'])}线`,
    pole: String(int(rng, 3, 86)),
    manager: personName(rng, 'm'),
    clerk: personName(rng, 'f'),
    staff: pick(rng, SURNAMES),
    when: pick(rng, ['昨天', '前天', '大前天', '上周五', '上周末', '前几天']),
    clock: pick(rng, ['晚上8点多', '凌晨2点左右', '中午12点多', '下午3点多', '早上7点', '傍晚6点多']),
    lateClock: pick(rng, ['晚上9点多', '晚上10点', '夜里11点多']),
    hours: pick(rng, ['五个多小时', '七八个小时', '十来个小时', '大半天', '一整夜']),
    days: pick(rng, ['两天', '三天', '四天', '一天一夜']),
    calls: pick(rng, ['三次', '四五次', '好几次', '五六次', '七八次']),
    times: pick(rng, ['五六次', '七八次', '十来次', '六七次']),
    waitDays: pick(rng, ['二十多天', '一个多月', '快两个月', '四十多天']),
    amount: money(amount),
    prev: money(prev),
    fee: pick(rng, ['50', '80', '100', '150', '200', '300', '500', '800']),
    smallFee: pick(rng, ['5', '10', '15', '20']),
    meter: `3310${digits(rng, 8)}`,
    voltage: String(int(rng, 150, 185)),
    gap: pick(rng, ['不到一米', '一米多', '两米左右']),
    kva: kvaList[kvaIdx] as string,
    newKva,
    restore,
    visitDay: pick(rng, ['受理当日', '次日', '受理后第2日', '受理后第3日']),
    arrive: String(int(rng, 35, 110)),
    fixDays: String(int(rng, 5, 20)),
  };
  return { slots, rural };
}

function fill(template: string, slots: Slots): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = slots[name];
    if (v === undefined) throw new Error(`demo text: unknown slot {${name}}`);
    return v;
  });
}

function defaultResponsibility(o: Outcome): Responsibility {
  if (o.responsibility) return o.responsibility;
  if (o.verification === 'unsubstantiated') return 'none';
  if (o.rootCause === 'external') return 'third_party';
  if (o.rootCause === '') return 'none';
  return 'company';
}

function textsFor(kind: Kind, classCode: string, rng: Rng): { code: string; texts: ClassTexts } {
  if (kind === 'opinion' || kind === 'suggestion' || kind === 'praise') {
    const byClass = KIND_TEXTS[kind];
    const t = byClass[classCode];
    if (t) return { code: classCode, texts: t };
    return { code: 'general', texts: byClass.general as ClassTexts };
  }
  const direct = CLASS_TEXTS[classCode];
  if (direct) return { code: classCode, texts: direct };
  // A family code with children (e.g. 'outage', 'integrity'): one of its leaves.
  const leaves = Object.keys(CLASS_TEXTS).filter((c) => c.startsWith(`${classCode}.`));
  if (leaves.length > 0) {
    const code = pick(rng, leaves);
    return { code, texts: CLASS_TEXTS[code] as ClassTexts };
  }
  throw new Error(`demo text: no texts for class "${classCode}"`);
}

/**
 * A realistic text for an order of `kind` and `classCode` at the station `stationName`
 * (one of VILLAGES' keys; other names get generic villages) in the given season.
 */
export function demoText(rng: Rng, kind: Kind, classCode: string, stationName: string, season: Season): DemoText {
  const { code, texts } = textsFor(kind, classCode, rng);
  const { slots, rural } = makeSlots(rng, stationName, season);

  const fits = (t: Template) => (t.season === undefined || t.season === season) && (t.rural === undefined || t.rural === rural);
  const candidates = texts.templates.filter(fits);
  const pool = candidates.length > 0 ? candidates : texts.templates;
  // Seasonal templates are preferred in their season.
  const template = weighted(rng, pool, (t) => (t.season ? 2.5 : 1));
  const outcomes = template.outcomes ?? texts.outcomes;
  const outcome = weighted(rng, outcomes, (o) => o.w);

  return {
    classCode: code,
    subject: fill(template.subject, slots),
    description: fill(template.text, slots),
    location: fill(template.location ?? '{addr}', slots),
    rootCause: outcome.rootCause satisfies RootCause | '',
    verification: outcome.verification satisfies VerificationResult,
    responsibility: defaultResponsibility(outcome),
    reply: fill(outcome.reply, slots),
  };
}
