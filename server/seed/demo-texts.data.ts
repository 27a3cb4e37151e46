/**
 * Template data for the demo texts (see demo-texts.ts). Everything here is fictional.
 *
 * A class has description templates (the customer's own words and a subject line) and outcomes
 * (the handler's formal reply with its verification result and root cause). A template may carry
 * its own outcomes when the class-wide ones would not fit it. Slots in braces are filled by
 * demo-texts.ts; the slot names are listed in SLOT_NAMES there.
 *
 * Template options: `season` — only offered in that season (and preferred there); `rural` — only
 * for rural (true) or urban (false) stations; `location` — where the matter is, when it is not
 * the customer's home address ({addr}).
 */
import type { Responsibility, RootCause, VerificationResult } from '../../core/taxonomy.ts';

export interface Outcome {
  readonly w: number;
  readonly verification: VerificationResult;
  /** '' when no root cause applies (praise, most suggestions). */
  readonly rootCause: RootCause | '';
  readonly responsibility?: Responsibility;
  readonly reply: string;
}

export interface Template {
  readonly subject: string;
  readonly text: string;
  readonly season?: 'summer' | 'winter';
  readonly rural?: boolean;
  readonly location?: string;
  readonly outcomes?: readonly Outcome[];
}

export interface ClassTexts {
  readonly templates: readonly Template[];
  readonly outcomes: readonly Outcome[];
}

function out(verification: VerificationResult, rootCause: RootCause | '', reply: string, w = 1, responsibility?: Responsibility): Outcome {
  return responsibility ? { w, verification, rootCause, reply, responsibility } : { w, verification, rootCause, reply };
}
const sub = (rootCause: RootCause | '', reply: string, w = 1, resp?: Responsibility) => out('substantiated', rootCause, reply, w, resp);
const part = (rootCause: RootCause | '', reply: string, w = 1, resp?: Responsibility) => out('partly', rootCause, reply, w, resp);
const uns = (rootCause: RootCause | '', reply: string, w = 1, resp?: Responsibility) => out('unsubstantiated', rootCause, reply, w, resp);

const PLACE = '示范县{town}{village}';

// =============================================================================================
// Complaints (投诉)

export const CLASS_TEXTS: Readonly<Record<string, ClassTexts>> = {
  // ------------------------------------------------------------------ 服务投诉
  'service.attitude': {
    templates: [
      {
        subject: '营业厅工作人员态度恶劣',
        text: '{when}我到{station}营业厅交电费，问了一句这个月电费怎么这么高，那个姓{staff}的工作人员头都不抬，说"自己不会看单子啊"，后面排队的人都在看笑话。我交了这么多年电费，头一次受这种气，你们必须给我个说法！',
        location: '{station}营业厅',
      },
      {
        subject: '台区经理电话里态度差还挂电话',
        text: '家里没电了，我打台区经理的电话，接了就说"我又不是给你一家干活的"，直接挂了，再打就不接了。我们{area}老人多，出点事谁负责？',
      },
      {
        subject: '抄表员言语粗鲁威胁估抄',
        text: '{when}抄表的来我家，院子里狗叫了两声，他就骂骂咧咧的，我说了他两句，他说"你家电表下个月不给你抄了，估着算"。这是什么服务态度？',
      },
      {
        subject: '上门电工不耐烦推诿',
        text: '我打95598报修，来了个电工，进门就抱怨跑一趟太远，说是我家里线路的问题不归他们管，让我自己找人修，问他怎么修他说"我哪知道"。我要投诉这个人的态度。',
      },
      {
        subject: '催费人员口气恶劣威胁停电',
        text: '我家就晚交了三天电费，{station}的人打电话过来口气很冲，说"今天不交明天就给你拉闸"。我在外地打工，家里只有老人，你们就不能好好说话吗？',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经核实，{station}工作人员在与客户沟通过程中存在言语生硬、解释不耐心的问题，客户反映情况属实。{station}负责人已带领当事人员于{visitDay}向客户当面致歉，客户表示接受。已对当事人员进行批评教育并纳入月度绩效考核，同时在全所开展服务规范再培训。',
        3,
      ),
      part(
        'staff_conduct',
        '经调取通话录音、询问当事人员及在场人员，工作人员未使用辱骂性语言，但解释不够耐心、语气生硬，客户反映情况部分属实。已责成当事人员向客户电话致歉，并对客户提出的问题重新作了详细解释，客户表示理解。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调取通话录音并询问相关人员，工作人员已按服务规范向客户进行解释，未发现服务态度问题，客户反映情况不属实。因客户当时情绪激动产生误解，{station}已安排专人再次与客户沟通，客户表示理解。',
        1,
        'none',
      ),
    ],
  },

  'service.conduct': {
    templates: [
      {
        subject: '上门换表人员不出示工作证',
        text: '{when}有两个人说是{station}的，进门就要换我家电表，问他们要工作证也拿不出来，穿的也不是工作服。换完表就走了，旧表也拿走了，我到现在也不知道是不是供电所的人。',
      },
      {
        subject: '电工上班时间酒后作业',
        text: '{when}中午我家报修，来的电工一身酒气，说话舌头都大了，爬梯子摇摇晃晃的，我都不敢让他上去。这样干活出了事算谁的？',
      },
      {
        subject: '让客户把电费转到个人微信',
        text: '{station}的{staff}师傅说现在交费麻烦，让我们{area}几户把电费直接转到他个人微信，他统一去交。上个月我转了{amount}元，到现在系统里还显示欠费，打他电话也说忙。',
      },
      {
        subject: '营业厅午间不办业务',
        text: '我{when}中午12点半到{station}营业厅办过户，门开着，里面有人在玩手机，就是说午休不办，让我下午三点再来。墙上明明写着中午不休息，我跑了二十多公里路，白跑一趟。',
        location: '{station}营业厅',
      },
      {
        subject: '工作人员上门作业后乱扔垃圾',
        text: '{station}的人来我家换进户线，换完了把旧线、包装、烟头全扔在我家院子里，踩得到处是泥，说了一句他们还嫌我事多。',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经核实，客户反映的{station}工作人员服务行为不规范问题属实。{station}已向客户当面致歉，并按客户要求办结相关业务。依据供电服务"十个不准"对当事人员进行了通报批评和绩效考核，并在全所开展服务行为规范专项整改。',
        3,
      ),
      part(
        'staff_conduct',
        '经调查，当事人员存在未严格执行服务规范的情况，但客户反映的部分情节与事实不符，情况部分属实。已对当事人员进行批评教育，由{station}所长向客户说明情况并致歉，客户表示认可。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调查核实，当事人员均为{station}在岗工作人员，相关业务按规范办理，有完整工作记录，未发现客户反映的违规行为，情况不属实。已向客户出示相关记录并解释说明，客户表示理解。',
        1,
        'none',
      ),
    ],
  },

  'service.channel': {
    templates: [
      {
        subject: '95598电话一直打不进去',
        text: '{when}晚上家里停电，我打95598打了{calls}，一直是"坐席忙，请稍候"，等了二十多分钟都没人接。这么大的公司，报个修都报不进去？',
        outcomes: [
          part(
            'external',
            '经核实，事发当晚因大范围雷雨天气造成报修话务量激增，95598热线出现排队等待时间较长的情况，客户反映情况部分属实。客户报修的故障已由{station}于{restore}处理完毕。已向客户说明情况并致歉，同时告知客户可通过网上国网APP在线报修。',
            2,
            'third_party',
          ),
          sub(
            'repair_resources',
            '经核实，事发当晚话务高峰期间热线接通率下降，客户多次未能接通，情况属实。已向客户致歉，客户报修的故障已于{restore}修复。已将话务高峰时段坐席配置问题反馈上级客服中心，并公布{station}24小时报修电话作为补充渠道。',
          ),
        ],
      },
      {
        subject: '网上国网交费成功仍显示欠费',
        text: '我{when}在网上国网APP上交了{amount}元电费，钱已经扣了，可是户号下面还显示欠费，还收到了停电预警短信。打电话问说要等，等了三天还是这样，我的钱到底去哪了？',
        outcomes: [
          sub(
            'billing_error',
            '经核实，客户通过网上国网缴纳的电费{amount}元因第三方支付平台对账延迟未及时销账，情况属实。已于{visitDay}完成人工销账并撤销停电预警，向客户致歉。已督促相关部门优化对账流程，避免类似情况再次发生。',
            2,
          ),
          uns(
            'customer_misunderstanding',
            '经核实，客户缴纳的{amount}元电费已于缴费次日到账销账，客户查询时系统尚未刷新；停电预警短信为缴费前批量发送，情况不属实。已向客户解释说明，并对带来的困扰表示歉意，客户表示理解。',
            1,
            'none',
          ),
        ],
      },
      {
        subject: '营业厅自助缴费机长期故障',
        text: '{station}营业厅那台自助缴费机坏了快一个月了，贴张纸写"暂停使用"，人工窗口就开一个，每次去都要排半个小时队。我们{area}老年人多，不会用手机，你们能不能上点心？',
        location: '{station}营业厅',
        outcomes: [
          sub(
            'aging_equipment',
            '经核实，{station}营业厅自助缴费终端因主板故障停用，备件未能及时到位，情况属实。已于{visitDay}完成维修恢复使用，维修期间增开一个人工收费窗口，并安排人员在大厅引导老年客户办理业务。已向客户致歉。',
          ),
        ],
      },
      {
        subject: '营业厅未按公示时间开门',
        text: '{station}营业厅门口写的早上9点上班，{when}我9点40到的还锁着门，打里面的电话也没人接，一直等到10点多才来人。',
        location: '{station}营业厅',
        outcomes: [
          sub(
            'staff_conduct',
            '经核实，当日{station}营业厅值班人员未按公示时间到岗，客户反映情况属实。已对当事人员进行通报批评和绩效考核，{station}所长向客户电话致歉，并建立营业厅开门打卡和视频巡查制度。',
            2,
          ),
          part(
            'staff_conduct',
            '经核实，当日值班人员因上班途中车辆故障迟到约40分钟，{station}未及时安排替岗人员，情况部分属实。已向客户说明情况并致歉，并完善营业厅替岗制度。',
          ),
        ],
      },
      {
        subject: '网上国网过户资料反复被退回',
        text: '我在网上国网上办过户，上传了三次房产证都提示"资料审核不通过"，也不说哪里不对，客服电话里也说不清楚，最后还是得跑营业厅。网上办理就是个摆设。',
        outcomes: [
          part(
            'poor_notice',
            '经核实，客户上传的房产证照片不清晰，系统审核未通过，但审核意见未明确告知客户原因，情况部分属实。已安排工作人员电话指导客户重新上传资料，于{visitDay}办结过户手续，并向客户致歉。已要求审核人员退回时注明具体原因。',
          ),
        ],
      },
    ],
    outcomes: [],
  },

  // ------------------------------------------------------------------ 营业投诉
  'business.connection': {
    templates: [
      {
        subject: '新房报装{waitDays}还没通电',
        text: '我家新房子{waitDays}前就在{station}申请装表了，资料都交齐了，到现在表也没装，电也没通，问了几次都说"在排队"。你们承诺的5个工作日呢？一家人等着搬家。',
      },
      {
        subject: '小超市申请增容迟迟不办',
        text: '我在{village}开了个小超市，想加两台冰柜，{waitDays}前申请的增容，供电所说变压器容量不够要等改造，什么时候改造也没个准话，冷饮都没法卖。',
      },
      {
        subject: '屋顶光伏并网申请无人受理',
        text: '我家屋顶装了光伏，{waitDays}前交的并网申请，{station}说要等上面审批，打电话问了{calls}，每次都让等通知，板子晒了这么久一度电没并上去，损失谁负责？',
      },
      {
        subject: '报装资料未一次性告知来回跑',
        text: '我去{station}办新装，第一次说缺身份证复印件，第二次又说要村委会证明，第三次又要房屋平面图，每次都只说一样，来回跑了三趟，一次性告知有那么难吗？',
        outcomes: [
          part(
            'connection_delay',
            '经核实，客户申请资料中房屋产权证明缺失，需补充后方可受理，但工作人员未一次性告知所需全部资料，导致客户多次往返，情况部分属实。已对当事人员进行批评教育，安排专人上门收取资料，于{visitDay}完成受理并向客户致歉。',
          ),
          sub(
            'staff_conduct',
            '经核实，{station}受理人员未执行"一次性告知"制度，客户多次往返补交资料，情况属实。已向客户致歉，安排专人上门服务，于{visitDay}完成装表接电。已对当事人员进行考核，并在营业厅公示各类业务所需资料清单。',
          ),
        ],
      },
      {
        subject: '养殖场动力电报装超时',
        text: '我在{village}办的养殖场，三相动力电申请了{waitDays}，现场勘查都来过了，就是不给接电，鸡苗都进场了，天天用柴油发电机，一天就得好几百块钱。',
        rural: true,
      },
    ],
    outcomes: [
      sub(
        'connection_delay',
        '经核实，因{station}配套工程物资未及时到位，客户报装流程超出承诺时限，情况属实。已向客户致歉，协调加快办理，于{visitDay}办结客户申请的用电业务，客户已正常用电。已对业扩全流程进行梳理，将报装时限纳入考核。',
        3,
      ),
      part(
        'insufficient_capacity',
        '经核实，客户所在{tq}配电变压器容量为{kva}千伏安，负载率已超过90%，需配套实施增容改造后方可接入，{station}未及时向客户说明原因和办理进度，情况部分属实。已将该台区列入增容改造计划，预计{fixDays}个工作日内完成，期间每周向客户通报进度，并向客户致歉。',
        2,
      ),
    ],
  },

  'business.change': {
    templates: [
      {
        subject: '过户手续办了很久办不完',
        text: '我买的二手房，{waitDays}前就在{station}办过户，房产证、身份证都交了，到现在户名还是原房主的，电费发票也开不了，你们到底在办什么？',
      },
      {
        subject: '办理暂停后仍收基本电费',
        text: '我的砖厂冬天停产，{when}专门到{station}办了变压器暂停，结果这个月还是收了基本电费{amount}元，去问说暂停没生效，我手续都办了，凭什么收我钱？',
        rural: true,
      },
      {
        subject: '移表申请长期无人处理',
        text: '我家翻盖房子，电表箱要挪个位置，{waitDays}前就申请了移表，一直没人来，现在房子盖到一半，电表箱挂在拆了一半的墙上，下雨天我都不敢碰。',
      },
      {
        subject: '申请改回居民电价被拒',
        text: '我家以前开的小作坊早就关了，申请把电价从商业改回居民生活电价，{station}说不行，也不说为什么，现在每个月多交好多钱。',
      },
      {
        subject: '已销户仍被代扣电费',
        text: '我老房子{waitDays}前就拆了，在{station}办了销户，结果银行卡还是被代扣了{amount}元电费，打电话让我自己去营业厅退，凭什么要我跑？',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经核实，客户申请的用电变更业务因{station}工作人员未按规定时限流转，造成办理超时，情况属实。已于{visitDay}办结该变更业务，相关电费已按规定重新核算，并向客户致歉。已对当事人员进行考核，并开展变更业务超时工单专项清理。',
        3,
      ),
      part(
        'poor_notice',
        '经核实，客户申请资料齐全后{station}已按流程办理，但因需逐级审批，办理时间较长，工作人员未及时告知客户办理进度，情况部分属实。已向客户说明办理情况并致歉，于{visitDay}办结。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经核实，客户申请的变更业务暂不符合办理条件（相关手续需由产权人本人或其委托人办理），{station}已按规定告知，情况不属实。已再次向客户详细解释所需手续，客户表示理解，将补齐资料后办理。',
        1,
        'none',
      ),
    ],
  },

  'business.billing': {
    templates: [
      {
        subject: '电费突然翻了好几倍',
        text: '我家平时一个月电费也就{prev}元，这个月一下子变成{amount}元！家里就我们老两口，也没添什么电器，肯定是你们抄错了或者表有问题，这个钱我不交。',
      },
      {
        subject: '煤改电采暖电费太高',
        text: '今年冬天响应号召煤改电，装了电暖气，说好有优惠电价，结果这个月电费{amount}元，比烧煤贵多了。谷电价格到底执行了没有？你们得给我算清楚。',
        season: 'winter',
        outcomes: [
          sub(
            'billing_error',
            '经核实，客户申请的煤改电分时电价已获批准，但营销系统中电价参数未及时变更，导致本期谷段电量未执行优惠电价，情况属实。已于{visitDay}完成电价参数变更，并按分时电价重新核算，退还多收电费，向客户致歉。',
            2,
          ),
          uns(
            'customer_misunderstanding',
            '经核实，客户户号已按煤改电分时电价计费，本期谷段电量执行优惠电价，电费{amount}元计算无误。电费较高系低温天气采暖时间长、部分采暖设备在峰段运行所致，情况不属实。已上门向客户讲解峰谷电价政策，并建议客户将采暖设备设置为谷段定时运行，客户表示理解。',
            1,
            'none',
          ),
        ],
      },
      {
        subject: '阶梯电价计算有误',
        text: '{when}收到短信，上个月电费{amount}元，我看了一下，用了不到四百度，怎么算都不对，是不是按第三档算了？冬天开电暖气用电多是多了点，可也不能乱算啊。',
        season: 'winter',
      },
      {
        subject: '未收到欠费通知就被停电',
        text: '{when}{clock}家里突然停电了，一问才知道说是欠费停电，我根本没收到任何通知，短信也没有，电话也没有。冰箱里的东西全坏了，你们必须赔偿。',
        outcomes: [
          sub(
            'poor_notice',
            '经核实，客户户号存在欠费，{station}在实施停电前未按规定提前送达停电通知书，情况属实。已于{restore}为客户恢复供电并向客户致歉，对客户提出的损失问题已协商妥善处理。已对相关人员进行考核，规范欠费停电通知流程。',
            2,
          ),
          part(
            'poor_notice',
            '经核实，客户户号已欠费两个月，{station}已通过短信向客户预留手机号发送催费通知，但该号码为原户主号码，客户未能收到，情况部分属实。已于{restore}恢复供电，协助客户更新联系电话并开通电费提醒，向客户致歉。',
          ),
        ],
      },
      {
        subject: '抄表员估抄电量多收电费',
        text: '我家的电表装在院子里，抄表的根本没进来过，账单上每个月都有读数，{when}我自己去看了表，表上的数比账单上少了好几百度，这不就是坐在办公室估的吗？多收的钱必须退给我。',
      },
      {
        subject: '电费代扣重复扣款',
        text: '我银行卡绑定了代扣电费，这个月被扣了两次，每次{amount}元，打电话问银行说是供电公司扣的，打95598说要核实，到现在都一个星期了钱还没退回来。',
        outcomes: [
          sub(
            'billing_error',
            '经核实，因银行代扣批量文件重复发送，造成客户本期电费被重复扣收{amount}元，情况属实。重复扣收款项已于{visitDay}原路退回客户银行卡，并向客户致歉。已联系合作银行完善扣款校验。',
          ),
        ],
      },
      {
        subject: '夏天电费高得离谱',
        text: '今年夏天热，开空调是多了，可这个月电费{amount}元也太离谱了，邻居家开得比我还多才交两百多。我怀疑是电表走得快，或者跟别人家的户号弄混了。',
        season: 'summer',
      },
      {
        subject: '没人住的房子电费不正常',
        text: '我查了网上国网，我家那套房子上个月用了好几百度电，可房子一直锁着门没人住，怎么会用这么多电？是不是把别人家的电算到我头上了？',
      },
    ],
    outcomes: [
      uns(
        'customer_misunderstanding',
        '经核实，客户户号本期抄见示数与现场电能表示数一致，电能表运行正常，电费{amount}元按居民阶梯电价标准计收，计算无误。用电量增加系季节性用电负荷增长所致，客户反映情况不属实。已上门向客户解释电价政策并协助查询近12个月用电明细，客户表示理解。',
        3,
        'none',
      ),
      sub(
        'billing_error',
        '经核实，因抄表员未到现场抄表、采用估抄方式录入示数，造成客户本期电量多计，情况属实。已按现场实际示数重新核算，多收电费已于{visitDay}退还至客户账户，并向客户致歉。已对抄表员进行考核，在全所开展抄表质量专项检查。',
        2,
      ),
      part(
        'billing_error',
        '经核实，客户电能表示数正确，但抄表例日调整后本期计费天数较往期多出9天，导致电量及电费明显增加，工作人员未事先告知，情况部分属实。已向客户解释说明，并将阶梯电量按天数折算重新核算，退还差额电费，客户表示认可。',
        1,
      ),
    ],
  },

  'business.metering': {
    templates: [
      {
        subject: '新换的智能电表走字太快',
        text: '{when}你们给我家换了新电表，换了以后电费明显多了，家里什么都没变，就是表换了。我要求校验电表，旧表也要拿回来对比。',
      },
      {
        subject: '电表黑屏好几天无人处理',
        text: '我家电表屏幕黑了好几天了，什么都看不到，我怕到时候一下子给我估个大数，打了{calls}电话也没人来看。',
        outcomes: [
          sub(
            'meter_fault',
            '经现场检查，客户电能表（表号{meter}）显示屏故障，情况属实。{station}已于{visitDay}为客户更换电能表，故障期间电量依据用电信息采集系统数据准确计量，不存在估抄，已向客户解释并致歉。',
          ),
        ],
      },
      {
        subject: '集中表箱门坏了无人维修',
        text: '我们{area}那个集中表箱门早就坏了，电表露在外面风吹雨淋的，小孩子还去摸，跟台区经理{manager}说过好几次了，一直没人修。',
        outcomes: [
          sub(
            'patrol_gaps',
            '经核实，{village}集中表箱箱门损坏，台区经理巡视发现后未及时安排维修，情况属实。已于{visitDay}更换表箱箱门并加装锁具，对台区经理{manager}进行批评教育，同时对辖区内表箱开展专项排查。已向客户致歉。',
          ),
        ],
      },
      {
        subject: '申请校表后迟迟没有结果',
        text: '我{waitDays}前申请了电表校验，表也拆走了，到现在没告诉我结果。说好的5个工作日出结果，这都多久了？',
        outcomes: [
          sub(
            'staff_conduct',
            '经核实，客户申请的电能表校验因送检流程衔接不畅超过承诺时限，情况属实。校验结果已于{visitDay}告知客户：该表误差超出允许范围，已按规定退补电费并向客户致歉。已对送检流程进行整改。',
            2,
          ),
          part(
            'poor_notice',
            '经核实，客户电能表已在承诺时限内完成校验，误差在允许范围内，但{station}未及时将校验结果告知客户，情况部分属实。已于{visitDay}向客户送达校验报告并解释说明，向客户致歉。',
          ),
        ],
      },
      {
        subject: '怀疑与邻居家电表接反',
        text: '我和隔壁邻居一直觉得电费不对，他家常年没人住，电费比我家还高，后来发现我们两家的表可能接反了，他家用的是我家的表。请你们来查一下，这些年多交的钱怎么算？',
        outcomes: [
          sub(
            'billing_error',
            '经现场核查，客户与相邻用户的电能表接线确实存在错接（表号{meter}），情况属实。已于{visitDay}完成接线更正，并按规定对两户历史电量进行核算退补，向客户致歉。已对该台区全部表计开展户表对应关系排查。',
          ),
          uns(
            'customer_misunderstanding',
            '经现场拉闸核对，客户与相邻用户的表计对应关系正确，不存在错接情况，情况不属实。相邻用户电量较高系其家中长期运行的水泵、冰柜所致，已向客户解释说明，客户表示理解。',
            1,
            'none',
          ),
        ],
      },
    ],
    outcomes: [
      uns(
        'customer_misunderstanding',
        '经现场检查并委托县计量中心对客户电能表（表号{meter}）进行校验，电能表误差在允许范围内，计量准确，客户反映情况不属实。已向客户出具校验报告并解释说明，客户表示理解。',
        2,
        'none',
      ),
      sub(
        'meter_fault',
        '经现场检查，客户电能表（表号{meter}）存在计量故障，情况属实。{station}已于{visitDay}为客户更换电能表，故障期间电量按前三个月平均用电量协商退补，并向客户致歉。',
        1,
      ),
    ],
  },

  'business.fees': {
    templates: [
      {
        subject: '装表被收工本费不开发票',
        text: '我家新装电表，{station}的人收了我{fee}块钱，说是"工本费"，不给开发票，就写了个白条。国家不是早就不让收这些钱了吗？',
      },
      {
        subject: '移表被收取高额费用',
        text: '我家申请把电表挪到院墙外，{station}要我交{fee}元移表费，说是材料费加人工费，我问有没有收费标准，他们拿不出来。',
      },
      {
        subject: '改造后每户收表箱进户线钱',
        text: '{village}改造，{station}说每户要交{fee}元换新表箱和进户线的钱，说是统一采购的。农网改造不是国家出钱吗？怎么还让老百姓掏钱？',
      },
      {
        subject: '交清欠费后还要收复电费',
        text: '我家欠费停电了，交完电费以后，{station}说还要再交{fee}元"复电费"才给送电，这个钱收得有依据吗？',
      },
      {
        subject: '办理过户被收手续费',
        text: '我去营业厅办过户，工作人员说要收{fee}元手续费，我听说办过户是免费的，问她收费依据，她说"一直都这么收"。',
        location: '{station}营业厅',
      },
    ],
    outcomes: [
      sub(
        'improper_fees',
        '经核实，{station}工作人员收取客户{fee}元费用无收费依据，属于已取缔收费项目，情况属实。所收款项已于{visitDay}全额退还客户，并向客户致歉。已对当事人员严肃处理，在全县开展违规收费专项自查自纠，并在营业厅公示收费项目及标准。',
        3,
      ),
      part(
        'improper_fees',
        '经核实，所收费用中属于客户产权范围内的材料费有收费依据，但未开具正规票据、未进行公示；其中人工费部分无收费依据，情况部分属实。已退还无依据部分费用，补开正规票据，并向客户致歉。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调查，{station}未向客户收取任何业务费用，客户所述款项为客户与其自行委托的个体电工之间的费用，与供电企业无关，情况不属实。已向客户解释供电企业收费项目及标准，提醒客户索要正规票据，客户表示理解。',
        1,
        'none',
      ),
    ],
  },

  // ------------------------------------------------------------------ 停送电投诉
  'outage.notice': {
    templates: [
      {
        subject: '计划停电没有提前通知',
        text: '{when}{clock}突然停电，一停就是一天，后来才知道是计划检修。你们计划停电不是要提前7天通知吗？我家做豆腐的，一锅豆子全泡坏了。',
      },
      {
        subject: '停电通知只贴在{entrance}',
        text: '你们停电通知就贴在{village}{entrance}的电线杆上，谁天天去看？我们{area}好多老人，手机也没收到短信，停电那天还有人在用电焊干活，差点出事。',
      },
      {
        subject: '停电后问不到恢复时间',
        text: '{when}停电了，打95598问什么时候来电，说不知道，打台区经理电话也说不清楚，一会说两个小时，一会说晚上，到底什么时候来电能不能给句准话？',
      },
      {
        subject: '停电时间延长不告知',
        text: '通知说是早上8点停到下午6点，结果到{lateClock}才来电，延时了也不说一声，我们一家人在黑灯瞎火里干等着。',
      },
      {
        subject: '大热天停电不提前说',
        text: '这么热的天，{when}说停电就停电，也没提前告诉一声，家里老人差点中暑，冰箱里的东西都坏了，你们计划停电就不能避开高温天吗？',
        season: 'summer',
      },
    ],
    outcomes: [
      sub(
        'poor_notice',
        '经核实，{tq}因10千伏线路检修实施计划停电，{station}仅在{village}张贴了停电公告，未通过短信、微信群等方式逐户告知，情况属实。已向受影响客户致歉。今后计划停电将提前7天通过公告、短信、村（社区）微信群等多渠道告知，并对相关人员进行考核。',
        3,
      ),
      part(
        'poor_notice',
        '经核实，{tq}本次停电为计划检修停电，{station}已提前7天张贴停电公告并发送短信通知，但检修中发现设备缺陷需一并处理，停电时间延长，未及时告知客户，情况部分属实。已于{restore}恢复供电，并向客户致歉。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经核实，{station}已于停电前7天在台区公告栏和{village}张贴停电公告，并通过短信平台向台区内全部客户预留手机号发送了停电通知；客户预留号码已停用，未能收到通知，情况不属实。已协助客户更新联系方式，客户表示理解。',
        1,
        'none',
      ),
    ],
  },

  'outage.repair': {
    templates: [
      {
        subject: '停电{days}了没人来抢修',
        text: '我们{village}停电{days}了！打了{calls}95598，每次都说已经派单了，就是不见人来。{neighbors}都没电，你们到底管不管？再不来我就打12398了！',
      },
      {
        subject: '高温天停电抢修太慢',
        text: '{when}{clock}停的电，到现在都{hours}了还没来电，三十七八度的天，家里老人热得受不了，冰箱里的肉都化了。打台区经理电话说在修，修了这么久还没修好？',
        season: 'summer',
      },
      {
        subject: '零下二十度停电无人抢修',
        text: '零下二十多度的天，{when}{clock}开始停电，电暖气、电热毯全用不了，家里有个刚满月的孩子，冻得直哭。打95598说抢修人员已出发，等了{hours}也没见人。',
        season: 'winter',
      },
      {
        subject: '抢修人员来了看一眼就走',
        text: '{when}报修，来了两个人看了一眼，说是线路问题要等上面的人来，就走了，一直到现在都没人再来。我们{area}都停着电呢，这算什么抢修？',
      },
      {
        subject: '抢修后不到两小时又停电',
        text: '{when}停电，修好了不到两个小时又停了，打电话过去说是同一个地方的问题，这次说要等明天，你们修的是什么？',
      },
      {
        subject: '单户停电报修无人上门',
        text: '就我家没电，邻居家都有电，{when}报的修，说是户内故障不归你们管，可我家的总闸都是好的，问题在表箱上。到现在{hours}了没人来。',
        outcomes: [
          sub(
            'patrol_gaps',
            '经核实，客户表箱内进线端子松动烧蚀造成单户停电，属供电企业维护范围，抢修人员首次到达时判断有误，未及时处理，情况属实。已于{restore}更换端子恢复供电，向客户致歉，并对当事抢修人员进行批评教育。',
            2,
          ),
          uns(
            'customer_misunderstanding',
            '经核实，{station}接单后{arrive}分钟到达现场，故障系客户户内漏电保护器损坏所致，属客户产权范围，抢修人员已协助客户更换并恢复用电，抢修到达及修复时间符合承诺，情况不属实。已向客户解释产权分界，客户表示理解。',
            1,
            'customer',
          ),
        ],
      },
    ],
    outcomes: [
      sub(
        'repair_resources',
        '经核实，{tq}因10千伏线路故障停电，当日辖区内同时发生多起故障，抢修力量不足，抢修人员未能在承诺时限内到达现场，情况属实。故障已于{restore}排除并恢复供电。{station}已向客户致歉，并完善抢修力量调配和抢修进度告知机制。',
        3,
      ),
      part(
        'external',
        '经核实，{tq}停电系大风天气造成{line}{pole}号杆导线断线，{station}接单后{arrive}分钟到达现场，因故障点位于沟渠附近、抢修车辆无法进入，修复时间较长，且未及时向客户通报抢修进度，情况部分属实。已于{restore}恢复供电，并向客户说明情况致歉。',
        2,
        'third_party',
      ),
      sub(
        'aging_equipment',
        '经核实，{tq}配电变压器低压出线电缆老化烧损造成停电，抢修需更换电缆，备品调运耗时较长，恢复供电超出承诺时限，情况属实。已于{restore}恢复供电，并向客户致歉。已将该台区老旧设备列入改造计划。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经核实，{station}接单后{arrive}分钟到达现场，抢修人员持续处理至{restore}恢复供电，抢修到达及修复时间均符合服务承诺，情况不属实。因抢修过程中未及时向客户说明进度造成误解，已向客户解释说明，客户表示理解。',
        1,
        'none',
      ),
    ],
  },

  'outage.frequent': {
    templates: [
      {
        subject: '一个月停电{times}',
        text: '我们{village}这个月已经停了{times}电了，三天两头停，一停就是好几个小时，家里的电器都快烧坏了。每次问都说线路故障，故障了为什么不彻底修好？',
      },
      {
        subject: '用电高峰变压器频繁跳闸',
        text: '一到晚上大家开空调，{tq}的变压器就跳闸，{when}一晚上跳了三回。台区经理{manager}来了就合上，过会儿又跳，这样下去什么时候是个头？',
        season: 'summer',
      },
      {
        subject: '一刮风下雨就停电',
        text: '只要一刮风下雨，我们{area}准停电，{when}下了场小雨又停了。线路从树林里穿过去，树枝都压在电线上了，说了多少次也没人来砍。',
      },
      {
        subject: '频繁停电养殖场损失严重',
        text: '我在{village}养了两千只鸡，最近一个月停了{times}电，孵化箱一停就完，已经死了一批鸡苗，损失好几千块。你们必须给我解决。',
        rural: true,
      },
      {
        subject: '冬天电暖气一开就停电',
        text: '今年冬天{area}家家都用电暖气，晚上一到七八点就停电，{when}又停了两回。这么冷的天，总不能让我们回去烧煤吧？',
        season: 'winter',
      },
    ],
    outcomes: [
      sub(
        'insufficient_capacity',
        '经核实，{tq}配电变压器容量为{kva}千伏安，随着空调、电采暖等负荷快速增长，高峰时段严重过载，导致低压开关频繁跳闸，情况属实。{station}已于{visitDay}临时调整负荷分配，并将该台区增容改造（更换为{newKva}千伏安变压器）列入计划，预计{fixDays}个工作日内完成。已向客户致歉并说明整改安排。',
        3,
      ),
      sub(
        'patrol_gaps',
        '经核实，{line}线路通道内树障未及时清理，遇大风降雨天气树枝搭碰导线造成多次跳闸，情况属实。{station}已于{visitDay}完成该线路通道树障清理，并加密线路巡视，向客户致歉。',
        2,
      ),
      sub(
        'weak_grid',
        '经核实，{village}由{line}末端供电，线路长、线径小、无联络转供能力，故障时停电范围大、恢复时间长，情况属实。已将该线路改造列入本年度农网改造项目，改造前{station}将加密巡视、提前消缺。已向客户说明情况并致歉。',
        2,
      ),
      part(
        'aging_equipment',
        '经核实，近一个月{tq}共发生停电3次，其中1次为计划检修停电，2次为台区老旧低压线路接头发热烧断引起，客户反映的停电次数与实际有出入，情况部分属实。已于{visitDay}完成故障接头更换，并将该台区低压线路改造纳入计划。',
        1,
      ),
    ],
  },

  // ------------------------------------------------------------------ 供电质量投诉
  'quality.voltage': {
    templates: [
      {
        subject: '电压低空调打不开',
        text: '一到晚上电压就低得不行，空调根本开不起来，灯泡都是暗红色的，我自己用万用表量了一下才{voltage}伏。这么热的天让人怎么过？',
        season: 'summer',
      },
      {
        subject: '电压太低电暖气不热',
        text: '冬天一到晚上电压就低，电暖气开着跟没开一样，水泵也抽不上水，测了只有{voltage}伏。我们{village}在线路最末端，年年冬天都这样。',
        season: 'winter',
      },
      {
        subject: '电压忽高忽低烧坏电器',
        text: '最近电压忽高忽低，灯一闪一闪的，{when}把我家的电视和冰箱都烧坏了，邻居家也烧了一台洗衣机。这个损失谁来赔？',
        outcomes: [
          sub(
            'aging_equipment',
            '经核实，{tq}低压中性线接头松动锈蚀，造成三相电压不平衡，部分客户电压偏高损坏家用电器，情况属实。已于{visitDay}处理中性线接头，电压恢复正常。对客户损坏的家用电器，已依据《居民用户家用电器损坏处理办法》核损赔偿，并向客户致歉。',
            2,
          ),
          uns(
            'customer_misunderstanding',
            '经现场实测，客户表计处电压为221伏，在国家标准范围内；客户家用电器损坏系户内插座接线错误所致，不属供电企业责任，情况不属实。已协助客户排查户内线路隐患，客户表示理解。',
            1,
            'customer',
          ),
        ],
      },
      {
        subject: '低电压水泵启动不了',
        text: '{village}的电压一直不行，我家浇地的水泵根本启动不了，眼看庄稼要旱死了，你们供电所就不能想想办法？',
        rural: true,
      },
      {
        subject: '傍晚电压低电饭锅煮不熟饭',
        text: '每天傍晚做饭的时候电压就低了，电饭锅半天煮不熟，电磁炉也报警，{neighbors}都这样，跟台区经理{manager}说了好几次，一直说要改造，改了一年也没改。',
      },
    ],
    outcomes: [
      sub(
        'insufficient_capacity',
        '经现场实测，{tq}末端客户晚高峰电压为{voltage}伏，低于国家标准下限（198伏），情况属实。原因为台区配变容量不足、低压供电半径过长。{station}已于{visitDay}调整配变分接开关并平衡三相负荷，末端电压提升至205伏以上；同时将该台区新增布点配变列入改造计划，预计{fixDays}个工作日内完成。已向客户致歉。',
        3,
      ),
      sub(
        'weak_grid',
        '经核实，{village}位于{line}末端，线路供电半径长、导线截面小，高峰时段低电压问题属实。已在该线路加装调压器作为临时措施，并将线路改造列入年度农网改造计划。已向客户说明情况并致歉。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经连续三日在客户表计处安装电压监测仪，实测电压在205至228伏之间，符合国家标准；客户反映的电压偏低系户内线路截面过小、大功率电器同时使用所致，情况不属实。已协助客户排查户内线路并提出改造建议，客户表示理解。',
        1,
        'customer',
      ),
    ],
  },

  'quality.other': {
    templates: [
      {
        subject: '灯光频繁闪烁',
        text: '我家的灯一到晚上就一闪一闪的，看得眼睛疼，{neighbors}都这样，是不是附近哪个厂子的设备影响的？请你们来查一下。',
      },
      {
        subject: '缺相烧坏磨面机电机',
        text: '{when}我家磨面坊的电机突然烧了，电工说是缺相了，一相没电。这已经是今年第二次了，电机修一次好几百块。',
        rural: true,
      },
      {
        subject: '家用电器外壳麻手',
        text: '最近摸洗衣机、冰箱外壳都麻手，用电笔测零线也有电，{neighbors}也有这情况，我怕出事，请赶紧派人来看看。',
      },
      {
        subject: '频繁瞬间断电电脑重启',
        text: '每天都有好几次一闪就停又马上来电，电脑老是自动重启，我开网店的，订单资料都丢了好几次了。',
      },
    ],
    outcomes: [
      sub(
        'aging_equipment',
        '经现场检查，{tq}低压线路接头老化、接触不良，造成电压波动和瞬时断电，情况属实。{station}已于{visitDay}更换故障接头及部分老化导线，经测试供电恢复正常，并向客户致歉。',
        3,
      ),
      part(
        'external',
        '经检测，{tq}附近一家企业的大功率设备启动造成电压波动，属第三方影响；同时台区低压线路存在接头松动问题，情况部分属实。已处理线路接头，并督促该企业加装无功补偿装置，已向客户说明情况。',
        1,
        'third_party',
      ),
      uns(
        'customer_misunderstanding',
        '经现场检测，客户进户点供电质量正常，问题系客户户内线路接地不良及开关老化所致，属客户产权范围，情况不属实。已协助客户查找问题，建议客户聘请有资质的电工整改。',
        1,
        'customer',
      ),
    ],
  },

  // ------------------------------------------------------------------ 电网建设投诉
  'construction.safety': {
    templates: [
      {
        subject: '电线杆严重倾斜快要倒了',
        text: '{village}路边那根电线杆歪得厉害，前几天刮风之后更斜了，下面就是学生上学走的路，万一倒了砸到人怎么办？跟{station}说了两回了还没人来。',
        location: PLACE,
      },
      {
        subject: '电线离房顶太近',
        text: '我家房顶上面的电线离得太近了，{gap}，伸手都能摸到，下雨天还冒火花，我家孩子经常上房顶晒东西，太危险了。',
      },
      {
        subject: '变压器围栏损坏无人管',
        text: '{village}那个变压器的围栏早就坏了，门也没锁，小孩子放学在那里玩，你们也不怕出人命？',
        location: PLACE,
      },
      {
        subject: '电缆井盖丢失多日',
        text: '{village}路边的电缆井盖丢了好几天了，就插了根树枝，晚上黑，已经有骑电动车的摔进去了。赶快来处理！',
        location: PLACE,
      },
      {
        subject: '拉线松脱横在路边',
        text: '电线杆的拉线断了一头，横在路边，晚上根本看不见，{when}我骑摩托车差点被绊倒，这是要出人命的。',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'patrol_gaps',
        '经现场核实，客户反映的安全隐患属实。{station}已于{visitDay}组织人员现场处置，消除隐患并设置警示标志。因日常巡视不到位未能及时发现，已对责任人员进行考核，并在全所范围开展配网设施安全隐患排查。已向客户致谢并致歉。',
        3,
      ),
      part(
        'external',
        '经现场核实，设施受损系第三方车辆碰撞所致，客户反映情况部分属实。{station}已于{visitDay}完成处置并消除隐患，同时依法向相关方追偿损失。已向客户反馈处理结果并致谢。',
        1,
        'third_party',
      ),
      sub(
        'aging_equipment',
        '经现场核实，该处电力设施运行年限较长，存在老化损坏情况，客户反映属实。已于{visitDay}完成更换，并将同批次设施列入改造计划。感谢客户监督，已向客户致歉。',
        2,
      ),
    ],
  },

  'construction.works': {
    templates: [
      {
        subject: '施工挖坏路面未恢复',
        text: '{when}你们的施工队在{village}埋电缆，把路挖得乱七八糟，工程完了路也不修，坑就那么摆着，下雨全是泥，车都开不过去。',
        location: PLACE,
      },
      {
        subject: '立杆占用承包地未补偿',
        text: '你们在我家承包地里立了两根电线杆，也没跟我商量，青苗也压坏了，补偿一分钱没给，找{station}说是施工队的事，找施工队说是供电所的事。',
        rural: true,
        location: PLACE,
      },
      {
        subject: '施工砍伐树木未通知未补偿',
        text: '{when}线路改造的施工人员把我家院子外面的几棵杨树砍了，说是影响线路，事先也没通知，也没说赔偿的事。',
      },
      {
        subject: '夜间施工噪音扰民',
        text: '供电公司在我们{area}换变压器，晚上十一二点还在施工，吊车、发电机吵得睡不着觉，家里有学生要考试，你们就不能白天干吗？',
      },
      {
        subject: '施工挖断自来水管',
        text: '施工队在我家门口挖坑埋杆，把自来水管挖断了，家里停水两天了，施工队说不归他们管，让我找供电所。',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经核实，施工单位在{village}施工过程中未严格落实文明施工要求，客户反映情况属实。{station}已督促施工单位于{visitDay}完成整改恢复，对客户的损失按标准予以补偿，并向客户致歉。已对施工单位进行考核，后续工程将加强施工现场监督。',
        3,
      ),
      part(
        'poor_notice',
        '经核实，施工单位按设计方案施工，但事前与客户沟通不够，客户反映情况部分属实。已组织施工单位与客户协商，达成补偿及恢复协议，于{visitDay}落实完毕，并向客户致歉。',
        2,
      ),
      uns(
        'external',
        '经核实，客户反映的施工并非供电企业组织实施，为通信运营商光缆施工，情况不属实。已协助客户联系相关施工单位处理，并向客户做好解释。',
        1,
        'third_party',
      ),
    ],
  },

  // =============================================================================================
  // Reports (举报)

  'integrity.bribery': {
    templates: [
      {
        subject: '电工装表索要好处',
        text: '我实名举报{station}电工{staff}某，{when}给我家装表的时候说"现在装表的人多，排到你家得等一个月"，我给他塞了两条烟他当天就给装了。这种风气太坏了。',
      },
      {
        subject: '台区经理经常接受用电户吃请',
        text: '{tq}的台区经理经常让村里的用电大户请客吃饭，{when}还在{village}的饭馆喝了一下午酒，谁请客谁家的事就办得快，不请的就拖着。',
        location: PLACE,
      },
      {
        subject: '办理动力电报装被暗示送红包',
        text: '我开厂子申请动力电，{station}管报装的人暗示我"意思意思"，说不然审批很慢。我没给，到现在{waitDays}了手续还卡着。',
      },
      {
        subject: '抢修人员收取辛苦费',
        text: '我家停电报修，两个抢修的来了修好以后，问我要{fee}块钱"辛苦费"，说晚上加班不容易。我给了，后来听说抢修是不收钱的。',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经纪检监察室调查核实，举报反映的问题属实。当事人员违反供电服务"十个不准"和廉洁从业有关规定，已责令其退还所收财物，给予通报批评并调离岗位，对所在单位负责人进行约谈。已在全公司开展警示教育，举报人信息严格保密。',
        2,
      ),
      part(
        'staff_conduct',
        '经纪检监察室调查核实，举报反映的部分问题属实：当事人员存在接受客户吃请的行为，但未发现收受财物的证据。已对当事人员进行诫勉谈话，责令其作出书面检查，并在全所开展作风纪律专项整治。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经纪检监察室调查核实，未发现当事人员存在举报所反映的问题，举报内容不属实。已对当事人员进行提醒谈话，并将调查结果按规定向举报人反馈。',
        1,
        'none',
      ),
    ],
  },

  'integrity.fees': {
    templates: [
      {
        subject: '收电费不开票多收线损费',
        text: '我举报{station}收电费不开票，每户每个月多收{smallFee}块，说是"线损费"，收了好几年了，全村都这样，没有一个人拿到过发票。',
        rural: true,
      },
      {
        subject: '农网改造向村民收钱',
        text: '{village}搞农网改造，{station}的人挨家挨户收钱，每户{fee}元，说是材料费，不交就不给接新线。国家投资的项目凭什么让老百姓出钱？',
        rural: true,
        location: PLACE,
      },
      {
        subject: '电工私自收取接电费',
        text: '我们{area}新盖的房子要接电，电工{staff}某说每户交{fee}元他才给接，钱直接给他，不给收据。',
      },
      {
        subject: '充电桩报装被收取已取消费用',
        text: '我买了电动汽车，申请装充电桩，{station}的人说要交{fee}元"增容费"和"勘察费"，我查了国家早就取消了。',
      },
    ],
    outcomes: [
      sub(
        'improper_fees',
        '经纪检监察室会同营销部调查核实，举报反映的违规收费问题属实。已责令{station}将违规收取的费用全部清退给相关客户，对直接责任人给予处分，对{station}所长进行诫勉谈话，并在全公司开展违规收费专项整治。',
        3,
      ),
      part(
        'improper_fees',
        '经调查核实，举报反映的部分问题属实：所收款项中部分为客户产权范围内的材料费，有合法依据，但未开具正规票据；另有部分费用无收费依据，已全额退还。已对相关人员进行批评教育，并规范收费公示。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调查核实，所涉款项为客户自行委托的社会施工单位收取的费用，与{station}无关，供电企业未收取任何费用，举报内容不属实。已向举报人反馈调查结果，并加强收费政策宣传。',
        1,
        'none',
      ),
    ],
  },

  'integrity.designation': {
    templates: [
      {
        subject: '报装被指定设计施工单位',
        text: '我们厂申请新装变压器，{station}的人说设计、施工都得找他们推荐的那家公司，不找他们的验收就过不了。这是不是三指定？',
      },
      {
        subject: '要求到指定商店买表箱',
        text: '{station}的电工说我家的表箱不合格，让我必须去县城一家指定的电器店买，{fee}元一个，网上同样的才一半价钱。',
      },
      {
        subject: '配电工程被要求用指定厂家变压器',
        text: '我们的配电工程，供电公司的人明确说变压器必须用他们说的那个厂的，别的厂家的不给验收，价格比市场高出一大截。',
      },
      {
        subject: '光伏并网被要求找指定公司安装',
        text: '我家装光伏，{station}的人说找他们介绍的公司装才能顺利并网，自己找的公司装了就一直拖着不给并网。',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经纪检监察室调查核实，{station}相关人员存在向客户推荐指定施工单位（供货商）的行为，违反"三指定"禁止性规定，举报属实。已给予当事人员处分并调离岗位，书面告知客户可自主选择有资质的单位，并对近两年业扩工程开展专项检查。',
        2,
      ),
      part(
        'staff_conduct',
        '经调查核实，当事人员曾向客户口头介绍过施工单位，但未发现以验收、并网相要挟的情况，举报部分属实。已对当事人员进行诫勉谈话，并向客户书面告知可自主选择设计、施工、供货单位。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调查核实，{station}在业务办理中已书面告知客户可自主选择设计、施工、供货单位，客户工程验收未通过系施工质量不符合规范所致，举报内容不属实。已向客户反馈调查结果并解释验收标准。',
        1,
        'none',
      ),
    ],
  },

  'integrity.abuse': {
    templates: [
      {
        subject: '电工因私人矛盾停我家电',
        text: '{station}电工{staff}某跟我家因为宅基地的事闹过矛盾，{when}他借口检修把我家电停了，别人家都有电，就我家没电。这是公报私仇！',
      },
      {
        subject: '台区经理给亲戚优先接电',
        text: '{tq}的台区经理给他亲戚家的新房子当天就接了电，我们排队一个多月的都还没接，这不是以电谋私吗？',
      },
      {
        subject: '未欠费被违规停电',
        text: '我家电费一分不欠，{when}被{station}的人拉了闸，说是"上面安排的"，问为什么也不说，后来听说是因为我家跟村里有纠纷。',
      },
      {
        subject: '电工私自给未报装户接电收钱',
        text: '{station}的电工{staff}某私下里给没报装的人家接电，每户收{fee}块钱装进自己腰包，用电也不装表，不知道算谁的。',
      },
    ],
    outcomes: [
      sub(
        'staff_conduct',
        '经纪检监察室调查核实，举报反映的问题属实，当事人员违反供电服务"十个不准"中不准违规停电、无故拖延送电等规定。已责令纠正违规行为，给予当事人员处分并调离岗位，对受影响客户逐户回访。',
        2,
      ),
      part(
        'staff_conduct',
        '经调查核实，举报反映的部分问题属实：当事人员存在工作程序不规范的问题，但未发现其谋取私利的证据。已对当事人员进行诫勉谈话，并规范相关业务流程。',
        2,
      ),
      uns(
        'customer_misunderstanding',
        '经调查核实，相关停送电及接电操作均按规定程序办理，有完整工单记录，未发现以电谋私行为，举报内容不属实。已向举报人反馈调查结果。',
        1,
        'none',
      ),
    ],
  },

  theft: {
    templates: [
      {
        subject: '举报有人绕表偷电',
        text: '我举报{village}有户人家偷电，从电表前面私接了一根线进屋，晚上开着好几个电暖气，电表都不怎么走。你们去查了就知道，别说是我说的。',
        location: PLACE,
      },
      {
        subject: '养殖场私拉电线疑似窃电',
        text: '{village}东头那个养殖场，从旁边的电线杆上直接挂了根线下来，常年开着大灯和风机，我看他家根本没电表。',
        rural: true,
        location: '示范县{town}{village}东头',
      },
      {
        subject: '小作坊夜间用电疑改电表',
        text: '{village}有个加工小作坊，白天不开工，一到晚上机器就响，听说是改了电表，让表走得慢。你们晚上来查。',
        location: PLACE,
      },
      {
        subject: '有人从路灯线私搭电线',
        text: '{village}路边的路灯线上有人私自搭了根线，接到自己家的棚子里用电，我看见好几次了，很危险。',
        location: PLACE,
      },
      {
        subject: '举报有人改动电表偷电取暖',
        text: '冬天{village}有家人电暖气、电炕一直开着，一个冬天电费才交几十块，肯定有问题，我怀疑他把电表动了手脚。',
        season: 'winter',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'patrol_gaps',
        '经{station}会同用电检查人员现场检查，确认该户存在绕越计量装置私接用电行为，举报属实。已依法中止其供电，拆除私接线路，按规定追补电费并收取违约使用电费共计{amount}元。举报人信息严格保密，已按规定给予举报奖励。',
        3,
        'customer',
      ),
      sub(
        'external',
        '经现场检查，该户电能表（表号{meter}）接线被人为改动，存在窃电行为，举报属实。已现场拍照取证，更换计量装置，并依法追补电费及违约使用电费{amount}元；情节严重的已移交公安机关处理。',
        2,
        'customer',
      ),
      uns(
        'customer_misunderstanding',
        '经{station}用电检查人员两次现场检查，被举报户计量装置接线正确、封印完好，未发现窃电行为，举报不属实。已将检查结果向举报人反馈。',
        1,
        'none',
      ),
    ],
  },

  violation: {
    templates: [
      {
        subject: '居民电价用于饭馆经营',
        text: '{village}有家人用居民电开了个小饭馆，还有冷库，一直用的居民电价，比我们正经开店的交得少多了，这不公平。',
        location: PLACE,
      },
      {
        subject: '砖厂私自增加用电容量',
        text: '{village}的砖厂报装的是小变压器，后来又私自加了好几台大电机，一开机我们{area}的灯都暗了。',
        rural: true,
        location: PLACE,
      },
      {
        subject: '私自转供电加价收费',
        text: '{village}有家人从自己家表后面拉线给好几户邻居供电，按月收钱，价格比电费还高。',
        location: PLACE,
      },
      {
        subject: '暂停用电期间擅自启用变压器',
        text: '{village}那个石料厂说是办了暂停用电，结果晚上偷偷开着碎石机，变压器嗡嗡响。',
        rural: true,
        location: PLACE,
      },
      {
        subject: '门面房私接动力设备',
        text: '{village}一家门面房办的是照明用电，里面却装了大功率烤箱和和面机，线都烧得发烫，怕出事。',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'patrol_gaps',
        '经用电检查人员现场检查，被举报客户存在违约用电行为，举报属实。已依据《供电营业规则》责令其限期改正，补交差额电费并收取违约使用电费共计{amount}元，同时加强对该区域的用电检查。',
        3,
        'customer',
      ),
      part(
        'patrol_gaps',
        '经现场检查，被举报客户存在部分违约用电情形，但不存在举报所述的全部问题，举报部分属实。已责令其办理变更用电手续，并按规定处理。',
        1,
        'customer',
      ),
      uns(
        'customer_misunderstanding',
        '经现场检查，被举报客户用电类别与实际用途相符，已按规定办理相关手续，未发现违约用电行为，举报不属实。已向举报人反馈检查结果。',
        1,
        'none',
      ),
    ],
  },

  facility: {
    templates: [
      {
        subject: '有人夜间偷剪电缆',
        text: '{when}夜里有人在{village}偷剪电缆，早上起来一片都停电了，地上还有剪断的线头，这几天晚上总看见一辆面包车在附近转。',
        location: PLACE,
      },
      {
        subject: '变压器疑似被盗油',
        text: '{village}那个变压器好像被人偷油了，下面一大片油渍，围栏也被撬了，你们赶紧来看看，别出事。',
        location: PLACE,
      },
      {
        subject: '有人在电线杆旁挖沙取土',
        text: '{village}有人开着挖掘机在电线杆旁边挖沙，杆子根都露出来了，再挖就要倒了。',
        rural: true,
        location: PLACE,
      },
      {
        subject: '电线杆拉线和接地线被盗',
        text: '我发现{village}那一片好几根电线杆的拉线、接地线都被人剪走了，估计是拿去卖废品了。',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'external',
        '经{station}现场核实，举报反映的破坏（偷盗）电力设施行为属实。已于{visitDay}完成受损设施修复，并向公安机关报案、配合调查。已在该区域加装警示标识、加强夜间巡视，并按规定对举报人给予奖励。',
        3,
        'third_party',
      ),
      part(
        'external',
        '经现场核实，该处电力设施确有损坏，但系自然原因和车辆刮碰所致，未发现人为盗窃痕迹，举报部分属实。已于{visitDay}完成修复，并加强巡视。',
        1,
        'third_party',
      ),
      sub(
        'patrol_gaps',
        '经核实，举报属实。相关设施被破坏后未能在巡视中及时发现，已于{visitDay}修复并报警，对巡视责任人员进行考核，在辖区开展防外力破坏专项巡查。',
        1,
      ),
    ],
  },

  hazard: {
    templates: [
      {
        subject: '高压线下鱼塘有人钓鱼',
        text: '{village}有人在高压线下面挖了个鱼塘，夏天好多人去钓鱼，鱼竿那么长，万一碰到电线就出人命了，你们管一管。',
        season: 'summer',
        location: PLACE,
      },
      {
        subject: '高压线下违章建房',
        text: '{village}有户人家在高压线下面盖二层楼，楼顶离线只有{gap}，施工的工人天天在上面干活。',
        location: PLACE,
      },
      {
        subject: '树木碰线打火花',
        text: '{village}路边的树长得太高，都碰到电线了，刮风的时候打火花，晚上看得很清楚，附近就是居民区，着火了怎么办？',
        location: PLACE,
      },
      {
        subject: '有人在变压器旁放风筝',
        text: '{village}变压器旁边的空地，天天有孩子放风筝，风筝线都挂在电线上了，家长也不管，你们能不能立个牌子？',
        season: 'summer',
        location: PLACE,
      },
      {
        subject: '私拉电线横穿马路',
        text: '{village}有家人从自家拉了根电线横穿马路到对面的棚子里，线又低又旧，下雨天走过去心里发毛。',
        location: PLACE,
      },
      {
        subject: '电线下堆放柴草',
        text: '{village}有人在电线底下堆了一大垛柴草，秋冬天干燥，一个火星子就着，电线就在上面。',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'patrol_gaps',
        '经{station}现场核查，举报反映的安全隐患属实。已于{visitDay}现场处置，设立安全警示标志，向相关人员下达《安全隐患告知书》，并会同当地政府督促整改。感谢举报人的监督。',
        3,
      ),
      sub(
        'external',
        '经现场核实，隐患系第三方行为造成，举报属实。{station}已书面通知相关责任人限期整改，于{visitDay}复查确认隐患已消除，并在周边开展电力设施保护宣传。',
        2,
        'third_party',
      ),
      uns(
        'customer_misunderstanding',
        '经现场测量，相关设施与周边建筑物、树木的安全距离符合规程要求，暂不构成安全隐患，举报不属实。已向举报人解释说明，并将该处纳入日常巡视重点。',
        1,
        'none',
      ),
    ],
  },

  other_report: {
    templates: [
      {
        subject: '有人冒充供电所上门收费换表',
        text: '{when}有几个人穿着跟你们差不多的工作服，挨家挨户说要更换"节能电表"，每户收{fee}元，说是供电所安排的，是真的吗？我怀疑是骗子。',
        location: PLACE,
        outcomes: [
          sub(
            'external',
            '经核实，{station}近期未安排任何上门换表收费工作，相关人员系冒充供电企业人员，举报属实。已向公安机关报案，并通过村（社区）微信群、营业厅公告发布防骗提示，提醒客户通过95598或营业厅核实。',
            2,
            'third_party',
          ),
          uns(
            'customer_misunderstanding',
            '经核实，相关人员系{station}委托的正规施工单位人员，按计划开展智能电表轮换工作，未收取任何费用，举报不属实。已向举报人解释说明，并提醒客户换表不收费。',
            1,
            'none',
          ),
        ],
      },
      {
        subject: '有人冒充供电公司电话诈骗',
        text: '我接到一个电话，说是供电公司的，说我家欠费要停电，让我往一个账户转{amount}元，我没转，但我怕别人上当，你们查一下。',
      },
      {
        subject: '市场物业转售电加价',
        text: '{village}一个商业市场里，物业从总表给商户供电，每度电收一块五，比电价高出好多，商户敢怒不敢言。',
        location: PLACE,
      },
      {
        subject: '无资质电工冒用供电所名义揽活',
        text: '{village}有个包工头没有资质，到处承揽配电工程，做得很差，还打着供电所的旗号。',
        location: PLACE,
      },
    ],
    outcomes: [
      sub(
        'external',
        '经核实，举报反映的情况属实，相关行为与{station}无关。已向公安、市场监管等部门通报情况并配合处理，同时通过村（社区）微信群、营业厅公告发布风险提示，提醒客户通过95598或营业厅核实。',
        2,
        'third_party',
      ),
      part('external', '经核实，举报反映的部分情况属实，已移交相关主管部门依法处理，并向举报人反馈处理进展。', 1, 'third_party'),
    ],
  },
};

// =============================================================================================
// Opinions, suggestions, praise — keyed by kind, then by the class the text fits ('general' or a
// leaf of the complaint tree).

export interface KindClassTexts extends ClassTexts {
  /** Relative frequency of this class for the kind (pickClass). */
  readonly w: number;
}

const THANKS = '感谢您对供电服务工作的关心和支持。';

export const KIND_TEXTS: Readonly<Record<'opinion' | 'suggestion' | 'praise', Readonly<Record<string, KindClassTexts>>>> = {
  opinion: {
    general: {
      w: 5,
      templates: [
        {
          subject: '希望供电所工作人员主动一些',
          text: '我去{station}办事，总体还行，就是感觉工作人员不太主动，问一句答一句，办完了也不告诉下一步做什么。希望多为我们老百姓想想。',
        },
        {
          subject: '营业厅门口停车不方便',
          text: '{station}营业厅门口没地方停车，每次去办事都只能停在路边，还被贴过条，希望能协调一下。',
          location: '{station}营业厅',
        },
        {
          subject: '台区经理换人未告知',
          text: '我们{area}的台区经理换人了也没人通知，有事打原来的电话说已经不管了，新的电话谁也不知道。',
        },
        {
          subject: '检修停电安排在农忙时节',
          text: '{station}老是把停电检修安排在农忙浇地的时候，能不能提前跟村里商量一下时间？',
          rural: true,
        },
        {
          subject: '回访电话太多打扰生活',
          text: '上次报修完，一天接了三个回访电话，问的都是一样的问题，我上班时间不方便接，希望能统一一下。',
        },
      ],
      outcomes: [
        sub(
          'poor_notice',
          `${THANKS}经了解，您反映的情况属实，{station}已召开专题会议研究改进措施，相关问题已于{visitDay}落实整改，并电话向您反馈。欢迎继续监督我们的工作。`,
          2,
        ),
        part(
          'staff_conduct',
          `${THANKS}经了解，您反映的问题部分存在，{station}已对相关工作人员进行提醒，将进一步改进工作方式、提升服务水平，并已电话向您说明情况。`,
          1,
        ),
      ],
    },
    'business.billing': {
      w: 2,
      templates: [
        {
          subject: '电费短信只有总数看不懂',
          text: '现在的电费短信就一个总数，看不出来用了多少度、是哪一档价格，能不能把明细发得清楚一点？',
        },
        {
          subject: '改预付费未征求本人意见',
          text: '你们把我家改成了预付费，也没征求我同意，钱用完了就自动停电，对我们老年人很不方便，希望恢复原来的交费方式。',
        },
      ],
      outcomes: [
        sub(
          'poor_notice',
          `${THANKS}经核实，您反映的情况属实。{station}已于{visitDay}安排工作人员与您联系，讲解电费明细查询方法，并按您的意愿办理了相关业务。您的意见已反馈营销部门改进。`,
        ),
      ],
    },
    'service.channel': {
      w: 2,
      templates: [
        {
          subject: '网上国网操作太复杂',
          text: '网上国网APP功能太多，老年人根本不会用，交个电费要点好几层，希望做个简单的老年版。',
        },
        {
          subject: '营业厅周末不开门',
          text: '{station}营业厅周末不开门，我们上班的人平时没时间去，希望周末至少开半天。',
          location: '{station}营业厅',
        },
      ],
      outcomes: [
        part(
          'poor_notice',
          `${THANKS}您的意见已收悉。网上国网已上线"长辈模式"，{station}已安排工作人员于{visitDay}向您演示使用方法；营业厅服务时间问题已提交公司研究，周末可通过网上国网或自助终端办理大部分业务。`,
        ),
      ],
    },
  },

  suggestion: {
    general: {
      w: 4,
      templates: [
        {
          subject: '建议增设电动汽车充电桩',
          text: '现在{area}买电动车的人越来越多，建议在{village}附近建几个公共充电桩，不然大家只能从家里拉线充，也不安全。',
        },
        {
          subject: '建议多开展安全用电宣传',
          text: '冬天好多人家用电暖气、电热毯，私拉乱接的也多，建议{station}到村里、小区里多搞几次安全用电宣传，发发资料。',
        },
        {
          subject: '建议公示台区经理联系方式',
          text: '建议在每个台区都立个牌子，写上台区经理的名字和电话，有事能直接找到人。',
        },
        {
          subject: '建议开展光伏政策讲解',
          text: '现在好多人想装光伏，但不懂政策，容易被一些公司忽悠，建议{station}办个讲座讲讲并网的流程和政策。',
        },
      ],
      outcomes: [
        sub(
          '',
          `感谢您提出的宝贵建议。{station}已对您的建议进行研究，将结合实际纳入下一步工作计划，并已于{visitDay}电话向您反馈。欢迎您继续关注和支持供电服务工作。`,
          2,
        ),
        part(
          '',
          `感谢您的建议。经研究，您的建议部分已在实施中，其余部分受条件限制暂不具备实施条件，{station}将持续跟进，并已电话向您说明情况。`,
          1,
        ),
      ],
    },
    'service.channel': {
      w: 2,
      templates: [
        {
          subject: '建议在村里设便民缴费点',
          text: '我们{village}离{station}有二十多里路，老年人交电费很不方便，建议在村委会或者小卖部设一个代收点。',
          rural: true,
        },
        {
          subject: '建议营业厅设老年人窗口',
          text: '营业厅老年人多，排队时间长，建议设个老年人专门窗口，再安排个人帮忙操作手机。',
          location: '{station}营业厅',
        },
      ],
      outcomes: [sub('', `感谢您提出的宝贵建议。{station}已采纳您的建议，于{visitDay}落实相关便民措施，并已电话向您反馈。`)],
    },
    'quality.voltage': {
      w: 1,
      templates: [
        {
          subject: '建议给{village}增加变压器',
          text: '{village}这几年盖了好多新房，用电的人多了，一到晚上电压就低，建议在东头再加一台变压器。',
        },
        {
          subject: '建议改造末端老旧线路',
          text: '{village}的线路还是十几年前拉的，线细杆子也旧，建议列入改造计划。',
        },
      ],
      outcomes: [
        sub(
          'insufficient_capacity',
          `感谢您的建议。经现场勘查，{tq}高峰负载率较高，已将新增布点配变列入改造计划，预计{fixDays}个工作日内完成。已电话向您反馈。`,
        ),
        part(
          'weak_grid',
          `感谢您的建议。经现场勘查，{village}部分线路确需改造，已上报年度农网改造项目；现有供电能力基本满足需求，{station}将加强运行监测。已电话向您反馈。`,
        ),
      ],
    },
    'outage.notice': {
      w: 1,
      templates: [
        {
          subject: '建议停电通知发到微信群',
          text: '建议停电通知都发到村里、小区的微信群，比贴纸条管用多了，在外地的人也能知道家里停电。',
        },
        {
          subject: '建议停电短信注明恢复时间',
          text: '停电短信里只写了停电原因，没写大概什么时候来电，建议加上预计恢复时间。',
        },
      ],
      outcomes: [
        sub(
          'poor_notice',
          `感谢您的建议。{station}已采纳，计划停电信息将同步发布到各村（社区）微信群，停电短信将注明预计恢复时间，已于{visitDay}电话向您反馈。`,
        ),
      ],
    },
  },

  praise: {
    general: {
      w: 3,
      templates: [
        {
          subject: '表扬台区经理{manager}',
          text: '我要表扬{tq}的台区经理{manager}。我家是低保户，老伴常年卧床，{manager}每个月都上门帮我们检查线路，还帮我们在手机上交电费，比亲人还亲。',
        },
        {
          subject: '感谢营业厅工作人员耐心服务',
          text: '{when}我去{station}营业厅办业务，什么都不懂，工作人员很耐心，一项一项帮我办好，还送我到门口。给你们点赞！',
          location: '{station}营业厅',
        },
        {
          subject: '感谢供电所上门帮助留守老人',
          text: '我父母在{village}住，我在外地工作，家里线路老化，{station}的{manager}师傅知道后主动上门帮忙换了开关和插座，一分钱没收，特此感谢。',
        },
        {
          subject: '感谢供电所帮助春灌用电',
          text: '春灌的时候{station}的师傅们主动到地头检查灌溉线路，帮我们解决了水泵用电问题，真心感谢！',
          rural: true,
        },
        {
          subject: '表扬{station}办电效率高',
          text: '我在{station}办新装，从申请到通电不到三天，工作人员还上门帮忙，这效率真没想到，必须表扬！',
        },
      ],
      outcomes: [
        sub(
          '',
          '感谢您对我们工作的认可和鼓励！经核实，您表扬的事迹属实，{station}已在全所通报表扬相关工作人员，并将其事迹纳入优质服务先进评选。我们将继续努力，为您提供更好的供电服务。',
          1,
          'none',
        ),
      ],
    },
    'outage.repair': {
      w: 3,
      templates: [
        {
          subject: '感谢抢修人员连夜抢修',
          text: '{when}夜里我们{village}停电，{station}的抢修人员冒着大雨连夜抢修，凌晨就来电了，看着他们浑身湿透，我们都很感动，特此表扬。',
        },
        {
          subject: '表扬冒雪抢修的师傅们',
          text: '{when}大雪压断了电线，{station}的师傅们顶着风雪抢修了好几个小时，天黑前就恢复了供电，家里的电暖气又热起来了，谢谢你们！',
          season: 'winter',
        },
        {
          subject: '感谢高温下抢修的师傅们',
          text: '这么热的天，{station}的师傅们在太阳底下抢修，汗水把衣服都湿透了，不到两个小时就恢复了供电，辛苦了！',
          season: 'summer',
        },
        {
          subject: '感谢台区经理{manager}快速抢修',
          text: '{when}{clock}我家跳闸没电了，给台区经理{manager}打电话，二十分钟就到了，很快就修好了，还提醒我们注意用电安全。',
        },
      ],
      outcomes: [
        sub(
          '',
          '感谢您对我们抢修工作的肯定！您的表扬已转达给{station}抢修班组，{station}已在全所通报表扬。我们将继续坚持快速响应、优质抢修，保障您的可靠用电。',
          1,
          'none',
        ),
      ],
    },
    'service.attitude': {
      w: 2,
      templates: [
        {
          subject: '表扬营业员{clerk}服务热情',
          text: '营业员{clerk}态度特别好，我耳朵背，她就写在纸上跟我说，办完还教我怎么用手机交电费。这样的工作人员应该表扬。',
          location: '{station}营业厅',
        },
        {
          subject: '表扬台区经理耐心解释电费',
          text: '我以为电费算错了，打电话给台区经理{manager}，他专门跑来我家，一笔一笔给我算清楚，还帮我查了用电明细，态度非常好。',
        },
      ],
      outcomes: [
        sub('', '感谢您的表扬和鼓励！{station}已将您的表扬转达本人，并在全所通报表扬，号召全体员工学习其优质服务精神。', 1, 'none'),
      ],
    },
  },
};
