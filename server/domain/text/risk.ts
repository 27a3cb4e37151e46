import { normalize } from './segment.ts';

/**
 * Escalation risk at intake: words that signal media, regulators, lawyers, petitions or danger to
 * life, emotional markers, ultimatums (再不处理就…), vulnerable people without power (老人、病人 停电), and
 * repeated calls by the same customer. Every cue found is named in the reasons. Pure: the caller counts the calls.
 */

type Category = 'media' | 'regulator' | 'legal' | 'petition' | 'safety' | 'emotion' | 'ultimatum' | 'vulnerable' | 'repeat';

const ESCALATION: ReadonlyArray<readonly [word: string, points: number, category: Category]> = [
  ['媒体', 30, 'media'],
  ['找电视', 30, 'media'],
  ['网上曝', 25, 'media'],
  ['记者', 30, 'media'],
  ['电视台', 30, 'media'],
  ['报社', 30, 'media'],
  ['曝光', 30, 'media'],
  ['抖音', 25, 'media'],
  ['微博', 25, 'media'],
  ['发到网上', 25, 'media'],
  ['12398', 30, 'regulator'],
  ['能源局', 25, 'regulator'],
  ['能源监管', 25, 'regulator'],
  ['市长热线', 30, 'regulator'],
  ['12345', 25, 'regulator'],
  ['纪委', 25, 'regulator'],
  ['政府', 10, 'regulator'],
  ['律师', 30, 'legal'],
  ['起诉', 30, 'legal'],
  ['法院', 30, 'legal'],
  ['打官司', 30, 'legal'],
  ['索赔', 15, 'legal'],
  ['赔偿', 10, 'legal'],
  ['上访', 35, 'petition'],
  ['信访', 30, 'petition'],
  ['集体', 15, 'petition'],
  ['联名', 20, 'petition'],
  ['投诉到底', 30, 'petition'],
  ['告到底', 30, 'petition'],
  ['往上告', 25, 'petition'],
  ['越级', 25, 'petition'],
  ['一告到底', 30, 'petition'],
  ['触电', 40, 'safety'],
  ['电死', 45, 'safety'],
  ['电击', 35, 'safety'],
  ['起火', 40, 'safety'],
  ['着火', 40, 'safety'],
  ['火灾', 40, 'safety'],
  ['冒烟', 25, 'safety'],
  ['受伤', 35, 'safety'],
  ['人命', 40, 'safety'],
  ['住院', 30, 'safety'],
];

// An ultimatum (再不处理就…) says the customer will escalate next: it counts apart from the emotion cap.
const ULTIMATUM: ReadonlyArray<readonly [word: string, points: number]> = [
  ['再不处理', 25],
  ['再不解决', 25],
  ['再不来', 25],
  ['再不给', 25],
  ['再没人管', 25],
  ['今天必须', 15],
  ['最后一次', 10],
];

/** People for whom an outage is a danger, and the words that say they are without power. */
const VULNERABLE = /(老人|老年人|老太太|老大爷|病人|患者|孕妇|婴儿|小孩发烧|瘫痪|卧床|吸氧|制氧机|呼吸机|透析)/;
const NO_POWER = /(停电|没电|断电|没有电|无电|黑灯|不来电)/;

const EMOTION: ReadonlyArray<readonly [marker: string | RegExp, points: number]> = [
  [/[!！]{2,}/, 10],
  ['情绪激动', 25],
  ['情绪很激动', 25],
  ['情绪非常激动', 30],
  ['非常生气', 15],
  ['很生气', 10],
  ['愤怒', 15],
  ['火冒三丈', 20],
  ['大吼', 15],
  ['哭诉', 15],
  ['边哭边说', 20],
  ['太过分', 15],
  ['忍无可忍', 20],
  ['欺人太甚', 20],
  ['受够了', 15],
  ['气死', 10],
  ['岂有此理', 15],
  ['无法无天', 15],
  ['没完', 15],
  ['走着瞧', 20],
  ['讨个说法', 10],
  ['给个说法', 10],
  ['不要脸', 15],
  ['垃圾', 10],
];

export type RiskLevel = 'low' | 'medium' | 'high';

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  reasons: string[];
  categories: Category[];
  /** True when the order should carry the risk flag (升级风险) and leaders be told. */
  flagged: boolean;
  /** The grade the agent should raise the order to, or null. */
  suggestGrade: 'important' | 'major' | null;
  /** A de-escalation card for the agent on the phone, or null when calm. */
  card: string | null;
}

export const RISK_FLAG_AT = 50;
const MEDIUM_AT = 25;

const CARDS: Record<Category, string> = {
  media: '客户提到媒体曝光：先充分道歉和共情，不争辩、不评论媒体，明确告知处理时限和专人负责，承诺进展主动回电。',
  regulator: '客户提到向监管或政府热线反映：说明我们会按规定时限办理并同步答复，请客户留下方便联系的时间。',
  legal: '客户提到律师或起诉：保持克制，不作任何责任认定或赔偿承诺，记录诉求原话，告知会由专人核实后答复。',
  petition: '客户有上访或“投诉到底”的意向：耐心倾听，复述客户诉求以示理解，告知督办渠道和答复时限。',
  safety: '涉及人身安全或火情：先提醒客户远离带电设备、必要时拨打119/120，立即通知抢修并按重大工单处理。',
  emotion: '客户情绪激动：放慢语速，先让客户说完，用“我理解您的心情”回应，不打断、不推诿，给出明确的下一步。',
  ultimatum: '客户下了最后通牒：不争辩，明确告知办理时限和专人负责，约定回电时间并按时回电告知进展。',
  vulnerable: '老人、病人等特殊群体停电：优先派单抢修并告知预计到达时间，询问是否需要应急电源或社区协助。',
  repeat: '客户近期多次来电：先查看历史工单并说明上次处理情况，避免让客户重复叙述，承诺本次由专人跟进到底。',
};

/** Scores the escalation risk of a text given how many orders the customer filed recently. */
export function assessRisk(input: { text: string; recentOrders?: number }): RiskAssessment {
  const t = normalize(input.text);
  let score = 0;
  const reasons: string[] = [];
  const categories = new Set<Category>();
  for (const [word, points, cat] of ESCALATION) {
    if (t.includes(word)) {
      score += points;
      reasons.push(`提及“${word}”`);
      categories.add(cat);
    }
  }
  let emotion = 0;
  for (const [marker, points] of EMOTION) {
    const hit = typeof marker === 'string' ? t.includes(marker) : marker.test(t);
    if (hit) {
      emotion += points;
      reasons.push(typeof marker === 'string' ? `情绪用语“${marker}”` : '连续感叹号');
    }
  }
  if (emotion > 0) {
    score += Math.min(emotion, 35);
    categories.add('emotion');
  }
  for (const [word, points] of ULTIMATUM) {
    if (t.includes(word)) {
      score += points;
      reasons.push(`最后通牒“${word}”`);
      categories.add('ultimatum');
      break;
    }
  }
  const who = VULNERABLE.exec(t);
  if (who && NO_POWER.test(t)) {
    score += 30;
    reasons.push(`特殊群体停电（${who[1]}）`);
    categories.add('vulnerable');
  }
  const recent = input.recentOrders ?? 0;
  if (recent > 0) {
    score += Math.min(recent * 12, 36);
    reasons.push(`近30日已来电${recent}次`);
    categories.add('repeat');
  }
  score = Math.min(100, score);
  const level: RiskLevel = score >= RISK_FLAG_AT ? 'high' : score >= MEDIUM_AT ? 'medium' : 'low';
  const flagged = level === 'high';
  const cats = [...categories];
  return {
    score,
    level,
    reasons,
    categories: cats,
    flagged,
    suggestGrade: !flagged ? null : score >= 80 || categories.has('safety') ? 'major' : 'important',
    card: level === 'low' ? null : cats.map((c) => CARDS[c]).join('\n'),
  };
}
