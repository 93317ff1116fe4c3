/** The word lists the company finder (companies.ts) keys on. */

/** Verbs and phrases that introduce a company. Longest first so 拜访了 wins over 拜访. */
export const STRONG_TRIGGERS = [
  "打电话给", "电话给", "打给", "跟踪一下", "跟踪", "拜访完了", "拜访完", "拜访过", "拜访了", "拜访", "拜方了", "拜方", "回访了", "回访", "去了一趟", "去了趟",
  "去过", "去了", "到了", "到访了", "到访", "发给", "寄给", "送给", "交给", "转给", "带给", "递给", "去趟", "跑了一趟", "跑了趟", "跑一趟", "跑趟", "见过", "见完了", "见完", "见了", "见到了", "见到", "碰到了", "碰到", "约了", "跟进一下", "跟进", "联系了", "联系", "沟通了", "沟通",
  "客户信息", "客户详情", "客户档案", "客户资料", "查询客户", "查询", "查一下", "查一查", "查下", "查查", "搜一下", "搜一搜", "搜下", "搜搜", "搜索", "帮我看看", "帮我看下",
  "看一下", "看看", "看下", "调出", "调一下", "调下", "领一下", "领个", "领取客户", "领取", "认领", "公海里的", "公海的", "公海里", "公海中", "上门", "客户",
  // 展会上认识的X, 朋友介绍的X: how the rep met them, then the name.
  "认识的", "介绍的",
];
/**
 * One-character verbs and prepositions (去华东机电, 给和顺物流打电话). They are also common inside names
 * (安和精工), so they only count at a field's start or right after a subject (see SUBJECT_END).
 */
export const ONE_CHAR_VERBS = ["从", "给", "跟", "和", "把", "去", "查", "在", "搜", "见", "请", "陪", "约"];

/**
 * What may stand before a one-character verb in the same field: a person, a time, an adverb or a
 * request (我去, 今天下午去, 下周五去, 3点去, 月底前要把, 帮我把). Anything else is part of a name.
 */
export const SUBJECT_END = new RegExp(
  "(?:^|我们?|咱们?|他们?|她们?|他|她|今天|明天|后天|昨天|前天|今早|明早|今晚|明晚|昨晚|前晚|昨早|" +
  // 陪领导和X的Y吃饭: the rep's own people go along; the customer follows 和.
  "领导|老板|同事|朋友|老大|同学|师傅|早上|上午|中午|下午|晚上|傍晚|" +
  "(?:微信|电话|钉钉|企微|视频|短信|邮件|QQ|qq)(?:上|里)?|刚刚?|刚才|先|再|又|也|就|要|想|得|准备|打算|计划|顺便|顺路|一起|马上|赶紧|待会儿?|一会儿?|回头|帮我|帮忙|麻烦|请|让我|" +
  "(?:周|礼拜|星期)[一二三四五六日天末]|[号点半前后\\d])$",
);

/** A whole field that introduces the next field as the company: "电话 华东机电 …", "领 金鼎化工". */
export const BARE_TRIGGER = new RegExp(
  "^(?:电话|微信|视频|电话沟通|电话联系|拜访|回访|客户|领|抢|查|搜|查询|跟进|上门拜访)$" +
  // 微信上聊了 / 电话里沟通了 / 展会上碰到 / 视频会上聊过: a channel or place, then a verb whose object is the next field.
  "|^(?:刚刚?|刚才|今天|昨天|上午|下午|晚上)?(?:在)?(?:微信|电话|钉钉|企微|视频会?|会|展会|饭局|群)(?:上|里|中)?(?:又|也)?" +
  "(?:聊了|聊过|聊|谈了|谈过|沟通了|沟通过|联系了|碰到了?|遇到了?|见了|认识了|加了)(?:一下|下)?$" +
  // 公海那个 立方冷链 我认领一下: the pool is where the customer sits; the name is the next field.
  "|^(?:公海|客户池|公共池)(?:里|中)?的?(?:那个|这个|那家|这家)?$",
);
/** A trigger's object that is a generic noun, not a name: 认领公海客户 苏州博远 → the name is the next field. */
export const GENERIC_OBJECT = /^(?:公海(?:里|中)?的?|这个|那个|一个|新|老)?(?:客户|公司|单位)?$/;

/** Where a company name ends. */
export const BOUNDARY = new RegExp(
  "拜访|回访|跟踪|追加|加订|现场|就是|见面|见了|见到|出来|去了|联系|沟通|跟进|上门|报了|签了|谈了|记录|联系人|负责人|是谁|是哪|是啥|是什么|来着|我|开(?:完|了|个)?会|开了|给我|跟到|跟得|哪|怎么|咋|如何|交流|讨论|商量|洽谈|对接|签约|谈|进度|进展|" +
  "打了|打电话|打个|打完|通了|通电话|聊|吃|发了|约了|回来|现在|最近|目前|上次|上回|上周|上个月|这周|本周|这礼拜|这星期|这个|这家|什么|啥|谁|" +
  "碰到|遇到|看到|我领|我来|我要|分给|领(?:过来|走|了|回|一下)|从(?:公海|客户池|公共池|池子)|公海|客户池|那个|那边|这边|说|要|来电|视频|电话|微信|面谈|下单|下个单|改到|推迟|延后|往后|" +
  "归我|未完成|未发|未交付|未付|有几|有多少|有没有|有没|有无|是不是|是否|情况|资料|信息|档案|详情|客户|采购|老板|又|也|还|已|不在|没|让|请|报价|需要|需求|项目|今天|明天|后天|下周|月底|周[一二三四五六日天末]|\\d",
);
export const LEADING_FILLER = /^(?:其中(?:有个|有|的)?|(?:微信|电话|钉钉|企微|视频)(?:上|里|中)|(?:过|了|完)?的|是|老客户|新客户|客户|今天|昨天|前天|刚才|刚刚|刚|上午|下午|早上|晚上|今晚|先说|再说|还有|然后|另外|又|也|就|一下|一趟|一次|趟|了|个|一家|这家|那家|这个|那个)+/;
export const TRAILING_FILLER = /(?:那边|这边|那里|这里|公司那边|的人|这个客户|客户)+$/;

/** Never the start of a name, whatever came before: times, pronouns, question words, titles. */
// 最 opens an evaluation (最有戏, 最近, 最后一单), 年前/节后 a time: the name comes after them.
export const NEVER_START = /^(?:(?:下下?|上上?|这|本)个?(?:周|礼拜|星期|月)|周[一二三四五六日天末]|星期|礼拜|公海|客户池|公共池|上次|下次|上回|这次|年底|月底|月初|最|[年节]前|[年节]后|帮我|帮忙|上午|下午|早上|晚上|中午|今早|明早|今晚|明晚|凌晨|傍晚|他|她|我|你|咱|这|那|今天|明天|昨天|后天|前天|所有|全部|哪|谁|啥|什么|怎么|大家|(?:Mr|Mrs|Ms|Miss|Dr)\b)/;
/** People who are not the customer (跟领导开会, 和同事去团建); a name may still start so after 拜访了 (家人科技). */
export const PEOPLE_START = /^(?:领导|老板|同事|老婆|老公|媳妇|孩子|家人|朋友|女朋友|男朋友|爸|妈)/;
/** Auxiliaries and adverbs: not a name even right after 拜访了 (联系了 说下周…). */
export const AUX_START = /^(?:要|说|需|让|对|是|没|不|还|也|都|就|已|再|又|把|被)/;
/**
 * What follows 去/给/跟 when the object is not a company: an action (去签合同, 去投标, 去钓鱼) or the
 * thing handed over (给反馈, 给答复).
 */
export const ACTION_START = /^(?:反馈|回复|答复|回[电话音]|消息|意见|结果|说法|答案|到|去|来|见|约|聊|问|看|查|签|谈|投标|送|拿|取|找|办|开会|参加|参观|考察|吃|喝|玩|爬|逛|催|收|交|修|装|调试|出差|做|搞|弄|跑|提|拉|买|卖|讲|商量|确认|报|打[球牌电个]|发[货样个]|现场|当面|实地|钓|游|唱|旅|度假|休息|睡|健身|跑步|散步|接[孩人老]|上班|下班|回家)/;
/**
 * Words that open a clause rather than a name (和他…, 在路上, 一起…, 有需求…, 发了…, 来电…, 打算…), for
 * names guessed from their position. Names such as 一汽解放, 有研新材, 发那科, 来伊份 still pass.
 */
export const POSITION_START = new RegExp(
  "^(?:和|在|给|跟|从|到|去|见|约|聊|问|看|查|" +
  "一(?:起|下|直|共|定|般|批|个|些|点|次|样|边|早|天|会|趟|家|半|部分|切|再|旦|步|块|周|月|年)|" +
  "有(?:个|些|点|没|人|需|意向|兴趣|空|时间|问题|机会|可能|望|一|两|几)|" +
  "发(?:了|个|过|给|货|样|送|出|票|邮件|微信|消息|报价|合同|资料|方案)|" +
  "来(?:了|过|电|访|公司|我|一|个|看)|打(?:了|个|电话|完|算|款|折|包|球|牌|印))",
);
export const BAD_CONTAINS = /记录|报价|发货|样品|合同|协议|投标|招标|标书|出差|团建|时间|签约|价格|同意|测试|方案|预算|需求|订单|付款|开会|电话|微信|拜访|跟进|回访|联系|沟通|计划|今天|明天|后天|下周|月底|天气|吃饭|午饭|指令|管理员|所有|业绩|待办|任务|帮助|会议室|投影|打印机|饮水机|门禁|充电宝|行政|前台|停车/;

/** A department of the customer (采购部, 设备科): where the person sits, not the company. */
export const DEPARTMENT = /^(?:采购|技术|设备|财务|生产|销售|质量|质检|品质|品管|工程|仓储|仓库|研发|行政|人事|计划|物控|安环|工艺)(?:部门?|科|处|中心|组)?$/;

/** Endings that mark an organisation (generic business words only, never one brand's ending). */
export const ORG_SUFFIX = /(?:有限责任公司|股份有限公司|有限公司|公司|集团|股份|科技|技术|电子|电器|电气|机电|机械|重工|化工|钢铁|物流|包装|建材|医药|医疗器械|医疗|汽配|汽车部件|汽车|五金|纺织|液压|电缆|环保|精密|动力|机器人|智能|光学|玻璃|能源|材料|制造|工业|实业|贸易|商贸|电力|通信|软件|食品|饮料|化纤|塑料|橡胶|模具|仪器|仪表|自动化|银行|医院|学校|大学|研究院|研究所|设计院|工厂|厂|部件|配件|国际|泵业|泵阀|水泵|阀门|阀业|轴承|传感|纺机|精工|石化|石油|机床|矿业|铸造|管业|线缆|自控|工控|物业|通讯|光电|印务|印刷|置业|地产|建设|建工|装饰|照明|新材|酒店|餐饮|超市|百货|药业|生物|电梯)$/;
