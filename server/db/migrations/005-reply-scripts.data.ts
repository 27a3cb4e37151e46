/**
 * The default reply-script library (话术) as migration 005 installed it; admins edit the scripts afterwards. Frozen
 * with the migration: new or changed defaults come in a new migration.
 * One script per complaint class family and the main leaves, a few report classes, and a generic one ('*').
 * Placeholders filled from the order: {number} 工单编号, {customerName} 客户称呼, {unitName} 处理单位,
 * {firstContactDue} 联系时限, {replyDue} 回复时限, {promiseDue} 答复承诺时限, {className} 分类 (Asia/Shanghai).
 */
export interface ScriptSeed {
  class_code: string;
  title: string;
  empathy: string;
  explanation: string;
  promise: string;
  deescalation: string;
}

const PROMISE_STANDARD =
  '您的诉求已登记，工单编号{number}，已转{unitName}处理。工作人员将在{firstContactDue}前与您联系，并在{replyDue}前将处理结果答复您。您也可以凭工单编号随时拨打95598查询进度。';

const DEESCALATE_STANDARD =
  '让客户把话说完，不打断、不争辩、不推诿；复述客户的诉求请其确认（“您看我这样记录对吗？”）；语速放慢、音量放低；不说“这不归我们管”“我也没办法”；客户情绪激动时先致歉再记录，承诺只讲能兑现的时限。';

export const DEFAULT_REPLY_SCRIPTS: readonly ScriptSeed[] = [
  {
    class_code: '*',
    title: '通用话术',
    empathy: '{customerName}您好，感谢您致电反映情况。给您带来不便，我们非常抱歉，请您慢慢说，我会认真记录。',
    explanation: '您反映的问题我已经完整记录，会按规定转交责任单位核实处理，处理过程全程有记录、可查询。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  // 服务投诉
  {
    class_code: 'service',
    title: '服务投诉',
    empathy: '{customerName}您好，听到您在办理业务时受了委屈，我代表供电公司向您真诚道歉。您的感受我们非常重视。',
    explanation: '供电服务人员有统一的服务规范，您反映的情况我们会调取记录、逐一核实，对不规范的行为严肃处理。',
    promise: PROMISE_STANDARD,
    deescalation: `${DEESCALATE_STANDARD}服务类投诉客户往往更在意“态度”：多用“您说得对，这样确实不应该”，避免替当事员工辩解。`,
  },
  {
    class_code: 'service.attitude',
    title: '服务态度',
    empathy: '{customerName}您好，工作人员对您态度不好，换作是我也会很生气，真的很抱歉让您有这样的经历。',
    explanation:
      '请您告诉我当时的时间、地点和工作人员的姓名或工号（不记得也没关系，我们可以按时间和地点调查），我们会调取录音、监控核实，核实属实将按规定考核当事人，并由单位负责人向您致歉。',
    promise: `${PROMISE_STANDARD}处理结果出来后还会有专人回访，听取您对处理结果的意见。`,
    deescalation: `${DEESCALATE_STANDARD}不评价当事员工，不承诺具体处分结果，只承诺“核实属实一定严肃处理”。`,
  },
  {
    class_code: 'service.conduct',
    title: '服务行为规范',
    empathy: '{customerName}您好，您反映的情况确实不符合我们的服务规范，感谢您的监督，给您添麻烦了。',
    explanation: '供电服务有“十项承诺”和员工服务“十个不准”，您说的情况我们会逐项核对，属实的立即纠正。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'service.channel',
    title: '服务渠道（营业厅/热线/网上国网）',
    empathy: '{customerName}您好，让您来回跑、反复打电话还没办成，耽误了您的时间，非常抱歉。',
    explanation:
      '营业厅、95598热线和“网上国网”都能办理这项业务，您遇到的问题（排队、系统故障、无人接听）我们会反馈给对应渠道核实整改。这次的业务我先帮您登记，不用您再跑一趟。',
    promise: PROMISE_STANDARD,
    deescalation: `${DEESCALATE_STANDARD}先帮客户把眼前的业务办成，再谈投诉处理。`,
  },
  // 营业投诉
  {
    class_code: 'business',
    title: '营业投诉',
    empathy: '{customerName}您好，涉及电费和业务办理的事关系到您的切身利益，您着急我完全理解。',
    explanation: '您反映的业务问题会转营销部门和属地供电所核实，涉及费用的都会对照国家和省里的电价政策逐项核对。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'business.billing',
    title: '电价电费/抄表催费',
    empathy: '{customerName}您好，电费突然变多，换了谁都会担心，您先别着急，我们一起把情况弄清楚。',
    explanation:
      '电费变化常见的原因有：季节用电增加（空调、取暖）、阶梯电价进入第二或第三档、抄表周期变化，也可能是抄表或计量差错。麻烦您提供户号，我们会核对抄表示数、电价执行和计费明细；如确属我们的差错，多收的电费会全额退补。',
    promise: `${PROMISE_STANDARD}核查期间如有争议电费，可申请暂缓催收，不会因此对您停电。`,
    deescalation: `${DEESCALATE_STANDARD}不要在电话里断定“肯定是您用得多”；先核对户号和地址，再解释阶梯电价。`,
  },
  {
    class_code: 'business.metering',
    title: '电能计量',
    empathy: '{customerName}您好，担心电表走得不准是很正常的，谢谢您及时告诉我们。',
    explanation:
      '电能表都经过法定计量检定。您可以申请校验，供电所会上门现场检查接线和表计；如需送检，由法定计量检定机构出具结果，表计确有误差的，按规定退补电费，校验费由供电企业承担。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'business.fees',
    title: '业务收费（超标准收费/已取缔收费项目）',
    empathy: '{customerName}您好，感谢您对收费问题的监督，该收的我们按标准收，不该收的一分都不能收。',
    explanation:
      '供电企业的收费项目和标准都经物价部门核定并公示，国家已取缔的收费项目一律不得收取。请您提供收费的时间、金额、收费人和票据（没有票据也可以反映），我们会逐项核实，属于违规收取的全额退还并追究责任。',
    promise: PROMISE_STANDARD,
    deescalation: `${DEESCALATE_STANDARD}如客户提到送礼、回扣或指定施工单位，提醒可转为举报（行风廉政），并说明举报人信息严格保密。`,
  },
  {
    class_code: 'business.connection',
    title: '业扩报装',
    empathy: '{customerName}您好，新装、增容耽误了您的生产生活，我们非常理解您的着急。',
    explanation:
      '低压居民新装从受理到装表接电有明确的时限要求，不需要您提供重复资料，也不得指定设计、施工和设备供应单位。我们会查明您的申请卡在哪个环节、原因是什么。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'business.change',
    title: '用电变更',
    empathy: '{customerName}您好，过户、更名、改类这些业务办得不顺，让您费心了。',
    explanation: '用电变更业务可以在营业厅或“网上国网”办理，所需资料一次性告知。我们会核实您办理受阻的原因，并帮您把业务办下去。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  // 停送电投诉
  {
    class_code: 'outage',
    title: '停送电投诉',
    empathy: '{customerName}您好，停电给您的生活带来了很大不便，我们非常抱歉，也理解您的着急。',
    explanation:
      '我先帮您查一下您所在区域的停电信息。如果是计划检修或故障停电，抢修人员已经在处理；如果查不到停电信息，我们会立即派抢修人员到现场。',
    promise: PROMISE_STANDARD,
    deescalation: `${DEESCALATE_STANDARD}停电时客户最想知道“什么时候来电”：有预计恢复时间就讲清楚，没有就说明“抢修人员正在查找故障点，有进展会第一时间通知”，不要随口承诺来电时间。`,
  },
  {
    class_code: 'outage.repair',
    title: '抢修服务（到达/恢复不及时）',
    empathy: '{customerName}您好，停电这么久还没来电，大冷天（大热天）的确实难受，让您久等了，真的很抱歉。',
    explanation:
      '供电抢修人员到达现场的承诺时限是：城区45分钟、农村90分钟、特殊边远地区2小时。您这里是故障停电，抢修人员正在排查故障点；故障修复需要的时间要看故障情况，有进展我们会及时告知您。',
    promise:
      '您的抢修诉求已登记，工单编号{number}，已转{unitName}。抢修情况会在{firstContactDue}前电话告知您，最终处理结果在{replyDue}前答复。如果家里有老人、病人或重要用电需要，请现在告诉我，我们会优先安排。',
    deescalation: `${DEESCALATE_STANDARD}提醒客户断开大功率电器、注意用电安全，不要自行触碰掉落的电线；涉及人身安全的立即转抢修指挥。`,
  },
  {
    class_code: 'outage.notice',
    title: '停电告知',
    empathy: '{customerName}您好，没有提前收到停电通知，让您措手不及，这是我们工作没做到位，非常抱歉。',
    explanation:
      '计划停电应提前7天公告，临时检修停电应提前24小时通知。我们会核实这次停电的性质和通知情况；您也可以关注“网上国网”或留下手机号，以后的停电信息会短信通知您。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'outage.frequent',
    title: '频繁停电',
    empathy: '{customerName}您好，最近反复停电，给您的生活和生产造成了很大困扰，我们非常抱歉。',
    explanation:
      '频繁停电往往和线路老化、台区容量不足或树障有关。我们会调取您所在台区最近的停电记录，由运检部门分析原因，需要改造的列入计划并告知您进度。',
    promise: `${PROMISE_STANDARD}改造计划如需较长时间，我们会如实告诉您预计时间，不会敷衍。`,
    deescalation: `${DEESCALATE_STANDARD}客户若提到家电损坏，记录损坏情况并告知可按规定申请核实赔偿。`,
  },
  // 供电质量投诉
  {
    class_code: 'quality',
    title: '供电质量投诉',
    empathy: '{customerName}您好，电压不稳、灯忽明忽暗确实影响生活，还可能损坏家电，您反映得非常及时。',
    explanation: '我们会安排人员到现场测量电压，查明原因后制定整改措施，能当场调整的当场处理。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'quality.voltage',
    title: '电压质量（低电压/电压波动）',
    empathy: '{customerName}您好，电压低得电器都带不动，特别是做饭、取暖的时候，确实让人着急。',
    explanation:
      '居民用户电压允许偏差是额定电压的+7%到-10%。我们会派人到您家测量电压并装设监测仪，查看是不是台区变压器容量不足、供电半径过长或三相负荷不平衡，能调整的立即调整，需要改造的列入计划。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'quality.other',
    title: '其他供电质量',
    empathy: '{customerName}您好，感谢您把用电中遇到的问题告诉我们。',
    explanation: '我们会安排专业人员到现场检查，查明原因后告诉您处理办法。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  // 电网建设投诉
  {
    class_code: 'construction',
    title: '电网建设投诉',
    empathy: '{customerName}您好，施工给您的生活带来了影响，我们非常抱歉，感谢您及时反映。',
    explanation: '电网施工必须遵守安全和文明施工规定，施工结束应恢复原状。我们会通知项目管理部门和施工单位到现场核实处理。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  {
    class_code: 'construction.safety',
    title: '设施安全隐患',
    empathy: '{customerName}您好，谢谢您提醒我们，安全的事情一点都不能马虎。',
    explanation:
      '请您先远离电线、电杆和变压器，不要触碰，也不要让小孩靠近。我现在就通知抢修人员到现场处置，请您说一下具体位置和看到的情况（电线断落、电杆倾斜、箱门敞开等）。',
    promise: '已登记为安全隐患，工单编号{number}，已转{unitName}，工作人员会尽快赶到现场，在{firstContactDue}前与您联系告知处置情况。',
    deescalation: `${DEESCALATE_STANDARD}有人身触电或起火危险的，立即转抢修指挥并提醒客户拨打119/120。`,
  },
  {
    class_code: 'construction.works',
    title: '施工行为（损坏、未恢复原状）',
    empathy: '{customerName}您好，施工挖坏了路面（损坏了庄稼、院墙）还没恢复，给您添了很大麻烦，非常抱歉。',
    explanation: '施工单位有责任恢复原状，造成损失的应当依法赔偿。我们会核实施工单位和损坏情况，督促限期恢复。',
    promise: PROMISE_STANDARD,
    deescalation: DEESCALATE_STANDARD,
  },
  // 举报
  {
    class_code: 'integrity',
    title: '行风廉政举报',
    empathy: '您好，感谢您对供电企业行风建设的监督和信任，您反映的情况我们会严肃对待。',
    explanation:
      '举报人信息严格保密，只有纪检人员可以查看，被举报的单位和人员不会参与调查。您可以实名举报，也可以匿名，匿名举报会给您一个查询码用于查看进度。请尽量说清时间、地点、人员和经过，有凭证可以提供。',
    promise: '您的举报已登记，编号{number}，将由纪检部门调查核实，在{replyDue}前答复调查结果（匿名举报请凭查询码查询）。',
    deescalation: '不追问举报人的身份和动机；不对被举报人下结论；不透露调查安排。',
  },
  {
    class_code: 'theft',
    title: '窃电举报',
    empathy: '您好，感谢您的举报，窃电既损害国家利益，也有很大安全隐患。',
    explanation: '我们会安排用电检查人员依法核查，举报人信息严格保密。查实的窃电行为依法追补电费并处理，符合条件的按规定给予举报奖励。',
    promise: '您的举报已登记，编号{number}，我们会在{replyDue}前反馈核查结果。',
    deescalation: '不要让举报人自行取证或与对方发生冲突。',
  },
  {
    class_code: 'hazard',
    title: '安全隐患举报',
    empathy: '您好，谢谢您的提醒，安全隐患我们会第一时间处理。',
    explanation: '请您远离隐患点，不要触碰电力设施。我们马上通知属地供电所到现场处置。',
    promise: '已登记，编号{number}，工作人员会尽快赶到现场，并在{firstContactDue}前与您联系。',
    deescalation: '有触电、起火危险的立即转抢修指挥，提醒拨打119/120。',
  },
];
