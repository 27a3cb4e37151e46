/**
 * What the public portal says to customers, in plain words (zh-CN): the class picker and the status of an
 * order. Shared by the server (API answers) and the portal page. Pure data.
 */
import type { StateCode } from './workflow/states.ts';

/** The kinds a customer may file on the portal, with a plain label. */
export const PORTAL_KINDS = [
  { code: 'complaint', zh: '投诉', hint: '对供电服务不满意，希望我们处理' },
  { code: 'report', zh: '举报', hint: '反映违规收费、窃电、吃拿卡要等问题，可匿名' },
  { code: 'opinion', zh: '意见', hint: '对我们的工作有看法' },
  { code: 'suggestion', zh: '建议', hint: '希望我们改进的地方' },
  { code: 'praise', zh: '表扬', hint: '表扬为您服务的员工' },
] as const;
export type PortalKind = (typeof PORTAL_KINDS)[number]['code'];

/** The class picker in the customer's words; codes are the taxonomy's leaf classes. */
export const PORTAL_CLASS_WORDS: Readonly<Record<string, string>> = {
  'service.attitude': '工作人员态度不好',
  'service.conduct': '工作人员办事不规范',
  'service.channel': '营业厅、热线或网上国网不好用',
  'business.connection': '新装、增容办电慢或难',
  'business.change': '过户、改类等用电变更办理问题',
  'business.billing': '电费、电价、抄表或催费有疑问',
  'business.metering': '电表不准或电表有问题',
  'business.fees': '被多收费或收了不该收的费',
  'outage.notice': '停电没有提前通知',
  'outage.repair': '停电后抢修来得慢、恢复慢',
  'outage.frequent': '经常停电',
  'quality.voltage': '电压低、灯暗、电器带不动',
  'quality.other': '其他供电质量问题',
  'construction.safety': '电线、电杆、变压器有安全隐患',
  'construction.works': '施工损坏财物或没有恢复原状',
  'integrity.bribery': '工作人员吃拿卡要、收礼',
  'integrity.fees': '工作人员乱收费',
  'integrity.designation': '指定设计、施工或设备供应单位',
  'integrity.abuse': '以电谋私、违规停电限电',
  theft: '有人偷电',
  violation: '有人违规用电',
  facility: '有人破坏或偷盗电力设施',
  hazard: '发现用电安全隐患',
  other_report: '其他违法违规行为',
  general: '其他',
};

/** The order's status as the customer reads it. */
export type PortalStatus = 'accepted' | 'processing' | 'replied' | 'closed';

export const PORTAL_STATUS_TEXT: Readonly<Record<PortalStatus, string>> = {
  accepted: '已受理，正在安排处理单位',
  processing: '正在处理中',
  replied: '已答复，请查看答复并评价',
  closed: '已办结',
};

/** Maps a workflow state to what the customer sees. */
export function portalStatus(state: StateCode): PortalStatus {
  const map: Record<StateCode, PortalStatus> = {
    pending_dispatch: 'accepted',
    dispatched: 'processing',
    in_progress: 'processing',
    suspended: 'processing',
    pending_review: 'processing',
    pending_revisit: 'replied',
    closed: 'closed',
  };
  return map[state];
}

/** Timeline entries in plain words, by event action; actions not listed stay internal. */
export const PORTAL_EVENT_TEXT: Readonly<Record<string, string>> = {
  intake: '您的诉求已受理',
  dispatch: '已转交处理单位',
  sign: '处理单位已接单',
  contact: '工作人员已与您联系',
  approve: '办理结果已审核，答复已发布',
  revisit: '已完成回访评价',
  question: '中心向您提问，请答复',
  reporter_answer: '您已答复',
  attach: '补充了材料',
  merge: '与您此前反映的同一问题合并办理',
  invalidate: '经核实不属于受理范围，已办结',
  appeal: '办理结果正在复核',
};

/** The online rating choices (they feed the same call-back outcome as a phone call). */
export const PORTAL_RATINGS = [
  { code: 'satisfied', zh: '满意' },
  { code: 'basically', zh: '基本满意' },
  { code: 'dissatisfied', zh: '不满意' },
] as const;
export type PortalRating = (typeof PORTAL_RATINGS)[number]['code'];

/** Limits of a portal filing (the page and the server use the same numbers). */
export const PORTAL_LIMITS = {
  maxPhotos: 5,
  maxPhotoBytes: 5 * 1024 * 1024,
  descriptionMin: 10,
  descriptionMax: 2000,
  nameMax: 32,
  locationMax: 200,
  commentMax: 500,
  answerMax: 2000,
} as const;
