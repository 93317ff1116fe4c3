/** Which intent a message expresses, from keywords plus the facts already extracted. */
import type { IntentName } from "../intent.ts";
import { findDiscount, findReason } from "./discounts.ts";
import { findMoney, type MoneyMention } from "./money.ts";
import { hasOrderTrigger, ORDER_WORD, parseItems } from "./order-items.ts";
import { findQuantities } from "./quantities.ts";
import { countsIn, isWholeListAsk, LIMIT_QUESTION, namesAskedGoods, PRICE_OF, PRICE_QUESTION, priceProducts, RANGE_ASK, SUM_ASK } from "./prices.ts";
import { blank } from "./text.ts";
import { looksLikeResubmission } from "../order-correction.ts";

export interface Facts {
  text: string;
  fields: string[];
  hasOrder: boolean;
  /** Written as a form with labels (客户：… 产品：… 数量：… 单价：…), see readOrderForm. */
  orderForm?: boolean;
  hasCarrierOrTracking: boolean;
  hasContact: boolean;
  hasFutureDate: boolean;
  /** Where the future date stands in the text. */
  dueIndex?: number;
  hasQuantity: boolean;
  hasMoney: boolean;
  company?: { name: string; source: "known" | "trigger" | "position" | "suffix"; hasOrgSuffix: boolean };
}

const HELP_EXACT = /^(?:帮助|help|h|\?+|？+|怎么用|使用说明|说明|菜单|功能|指令|命令|你能干啥|你能干嘛|你能做什么|能干啥|能做什么|你会什么|怎么玩)$/i;
const HELP_FUZZY = /怎么用|使用说明|你能(?:帮我|为我|给我|帮)?(?:干|做)|能(?:帮我)?干(?:啥|嘛|什么)|能(?:帮我)?做(?:啥|什么)|有什么功能|会(?:些)?(?:什么|啥)|^怎么|帮助|教程|指南|help/i;
/**
 * A question about the bot itself (这个机器人都能干啥, 你都会些什么, 这个怎么用): help, even though
 * 这个机器人 looks like a company to the finders. Checked before customer look-ups.
 */
const ABOUT_BOT = /(?:机器人|助手|小助理|bot|你)(?:都|还|到底)?(?:能|会|可以)(?:帮我)?(?:干|做|帮|些|啥|什么)|^(?:这个|这)?(?:怎么用|咋用|如何使用|怎么使用)|你都?会(?:些)?(?:什么|啥)/i;
/** The bot's own actions, named as a topic: 下单怎么写, 报单的格式. */
const BOT_ACTION = "(?:下单|下个单|报单|订单|拜访(?:记录)?|跟进(?:记录)?|认领(?:客户)?|审批|发货(?:信息)?|推迟|延期|待办|任务|业绩)";
/**
 * The action first and the how-to after it (下单怎么写格式, 报单该怎么填, 认领客户如何操作), or its form asked
 * for (下单格式, 拜访记录的模板): a question about the bot, not an order or a visit.
 */
const HOW_TO_TOPIC = new RegExp(
  `^(?:请问|问下|问一下)?(?:我)?(?:想|要)?(?:${BOT_ACTION}){1,2}(?:的话)?(?:要|该|应该|得|需要)?(?:怎么|如何|咋|怎样)(?:写|填|弄|操作|用|录|发|搞|报|做|提交|下|说|输入|打)`,
);
/** 下单的模板发我一个: the form of an action asked for (its 一个 is no count of goods). */
const FORM_ASK = new RegExp(`^(?:请问|问下|问一下)?(?:发个|给个|给我个?)?(?:${BOT_ACTION}){1,2}的?(?:格式|模板|写法|范例|示例|句式|样例)`);
/** A how-to question ("怎么录拜访记录", "如何认领客户") asks about the bot, even when it names an action. */
const HOW_TO = /^(?:请问|问下|问一下)?(?:怎么|如何|咋|怎样)(?:才能|能|可以)?(?:用|使用|录|记|填|写|下单|下个单|查|认领|领|设置|提交|操作|推迟|延期|完成|审批|发货|看|添加|新建|登记|上报)/;

// NG (no good) and 不OK only as a word of their own: 质检NG is a shipment problem's cause, not a decision.
export const REJECT_WORDS = /驳回|拒绝|拒(?:了|掉)|不同意|批不了|不能批|批不下来|不批|打回|否决|不通过|不行|不予|reject|不ok|(?:^|\s)NG(?=\s|[,，:：]|$)|denied|declined?/i;
/** Shortage (没库存, 缺货), inability (发不了, 出不了库), damage (压坏, 破损), wrong (发错, 地址不对), delay. */
export const PROBLEM_WORDS = /(?:联系|找|打)不(?:上|到|通)|电话(?:是|成了)?(?:没人接|无人接听|关机|停机|空号)|空号|超重|超限|超长|超宽|超高|对不上|不匹配|(?:库里|仓库里?|库存里?)(?:只有|就剩|只剩)|(?:没人|无人)(?:接听?|签收|收货|收)|(?:进|开|送|运|拉|上)不(?:去|进去|上去|过去)|到不了|(?:送|寄|递|运)不到|(?:放|装|存|堆)不下|受潮|淋湿|进水|发霉|生锈|只剩|(?:库存|现货)只有|不够(?:发|用)?|拒接|缺货|断货|售罄|(?:没|无|缺)有?(?:库存|现货|货)|(?:货|库存|现货|存货)(?:已经|都|也)?(?:没了|没有了|空了|卖完了|用完了)|库存(?:不够|不足|没了|为零|紧张)|(?:发|出|送|寄)不(?:了|出)|无法发货|不能发|问题|货损|破损|损坏|坏了|压坏|摔坏|(?:漏|错)发|发错|不对|写错|延迟|延误|拒收|停运|还差|丢件|丢失|质检|质量|退回|退货|异常|没到货|扣了|卡住|破了|碎了|裂了|划伤|变形|漏了|少了|短少|少发|多发|没(?:有)?(?:更新|动静|收到|送到)|(?:不|未)更新|一直没|还没到|查不到|有误|(?:先|暂时?)?(?:别|不要|不能|暂停|停止|暂缓)(?:发货?|出库|寄)|(?:先|暂时)不(?:发|寄|出库)|(?:不|拒)收(?:货)?|不让\S{0,8}?(?:进|送|卸|停)|进不(?:了|来)|过期|效期|还没(?:给|提供|发过来|确认|定)|不(?:派送|配送|派件|送货上门|送达)/;
export const APPROVE_WORDS = /同意|批准|通过|批了|准了|可以|\bok\b|okay|行了|没问题|approve|准予|\bpass(?:ed)?\b|(?:^|\s)批(?:一下|下)?(?:\s|$)/i;
/** SO-… 批了吗, 审批了没有, 通过没: asking about a decision is not making one. */
const ASKS_ABOUT = /[吗么嘛][?？]?$|([批行能可])不\1|同意不同意|通过不通过|[?？]|了没有?|没有?$|是否|有没有|多久|什么时候|啥时候|何时|进度|到哪|怎么样了|咋样了|怎么还/;

/**
 * Part of the goods shipped, the rest short (8台先发 冷凝器缺货, 发了20面 剩下20面年后发): with a
 * carrier or tracking number given, the shortage is a remark on a shipment that did leave.
 */
const PARTIAL_SHIP = /先发|已发|发了|发出|部分发|分批|剩下|剩余|其余|余下/;
// 用自己车送过去了, 已经拉到工地了: delivered by our own truck, a shipment with no carrier or number (the schema allows it).
const SHIP_WORDS = /发货|已发|发了|发出|出库|发完|寄出|快递|物流|单号|自提|送达|签收|装车|提货|(?:自己|自家|公司|我们)的?车(?:送|拉|运)|(?:送|拉|运)(?:过去|到了|到工地|到店)了?/;

/** "…帮我下个单" at the end of the message. */
const ORDER_REQUEST = /(?:帮我|帮忙|给我|请|麻烦)下个?单|下个?单吧/;
const SNOOZE_WORDS = /推迟|延后|延到|延至|延迟|往后延|拖到|推至|延期|推到|改到|挪到|移到|往后挪|挪一下|改期|往后推|推后|顺延|稍后提醒|再提醒|晚点提醒|提醒我|推一下|放一放|放放|缓一缓|缓缓|先搁着|搁置|暂缓|snooze/i;
const COMPLETE_WORDS = /已经?处理(?:完|好|掉)?了?|处理掉了|已办结?|已经?办了|已搞定|完成|跟进完|跟完了|办好了|搞定|做完|弄完|办完|\bdone\b|做好了|弄好了|处理完|处理好了|结束了/i;
export const TASK_REF = /第\s*[\d一二三四五六七八九十]+\s*[个条项]?|\d+\s*号(?:任务|待办|事项)|任务|待办|事项|编号\s*\d|[#＃]\s*\d|那个|的跟进|(?:^|\s)\d{1,3}(?:\s|$)|^(?:完成|推迟|延后|延期|改期|done)\s*\d|\d\s*(?:完成|done)/i;
/** "What is on my list": a question word before 任务/待办/事, or the things still to follow up (没跟进的, 要跟的). */
/** "Show me my list": 看下今天的任务, 列一下我的跟进计划, 我的跟进计划, 查查待办. */
const TODO_LIST = "(?:我|我的|今天|今日|明天|本周|这周|最近|这几天)*的?(?:跟进|拜访)?(?:任务|待办|计划|日程|安排|事项)(?:列表|清单|表)?(?:吧|呢|看看)?$";
const TODO_REQUEST = new RegExp(`^(?:帮我|给我)?(?:看|查|列|拉|调|瞅|发|给)(?:一下|下|看|查|个|出|一个)?${TODO_LIST}|^(?:我|我的|今天|今日|明天|本周|这周)+${TODO_LIST}`);
/**
 * A question about my own tasks (今天的任务有哪些, 哪些跟进逾期了, 列一下): the subject is the task list,
 * so a name-like word in it is not a customer to look up.
 */
const TODO_QUESTION = /(?:任务|待办|跟进|事项|日程|安排)(?:都|还)?有(?:哪些|啥|什么|几个|多少)|(?:哪些|什么|几个|多少|啥)(?:任务|待办|跟进|事)?(?:都|已经|今天|明天)?(?:逾期|超期|过期|到期)|逾期的?(?:任务|待办|跟进)|^(?:列一下|列个|列出来?)$|列一下$|(?:要|该|得)(?:做|干|办|忙)(?:些|点)?(?:啥|什么|哪些|嘛)|有(?:什么|啥|哪些)(?:安排|事要|事情要|任务|待办|日程)/;
const TODO_WORDS = /^(?:我的|今天的?|今日|明天的?)?任务$|待办|todo|to-do|任务(?:列表|清单)|(?:啥|什么|哪些|哪几个|几个|多少)个?(?:任务|事)|要做的|要干啥|要干嘛|(?:几个|哪些|多少)(?:客户)?(?:还)?(?:没|要|待|需要)(?:跟进?|联系|拜访)|(?:要|没|待|该|需要)跟进?(?:的|哪些)|没做|还有啥事|还有什么事/i;
const METRIC_WORDS = /(?:订单|成交|签单|签约|销售|下单|开单)(?:总?金额|总额|额)|业绩|战报|销售额|成交额|签了多少|多少单|排名|完成率|数据(?!线|库|中心)|报表|回款|拜访量|订单量|拜访数|订单数|成交量/;
/**
 * Metrics are asked for (看/查/多少/怎么样, 发我): 老板说月底要冲业绩 talks about them without asking; so does a
 * target being set (本周业绩目标定为50万), a complaint about the system (数据老是刷新不出来) or news that figures
 * were sent somewhere (数据已经发给客户了).
 */
const METRIC_TALK = /说|要冲|冲一冲|冲刺|冲业绩|压力|完不成|不够|加油|努力|争取|目标|定[为成了]|刷新|不出来|加载|太卡|卡死|出错|报错|错了|不对|发给|发过去|传给|交给/;
const METRIC_ASK = /看|查|多少|几|怎么样|咋样|如何|统计|汇总|拉|发我|给我|列|报一下|出一下|[?？]$/;
/** Taking a customer: 认领, 领过来, 分给我, or a customer from the pool that "I want" (公海的X我要了). */
const CLAIM_WORDS = /领取|认领|认领|领了|领一下|领个|我来领|我要领|分给我|归我|^领\s|^抢\s|抢客户|领(?:过来|回来|走)|(?:要|抢|拿)过来|公海.{0,15}(?:我要|我来|给我|我拿)/;
const LOOKUP_WORDS = /^客户\s|^客户[:：]|^客户(?:信息|详情|档案|资料)|查|搜|情况|资料|档案|信息|详情|记录|联系人|负责人|谁在跟|谁负责|这个客户|进度|进展|动态|怎么样了|咋样了|^看看|帮我看|看一?下|发我/;
/** A question about a customer (谁的客户, 跟进到哪了, 多少), unless the rep reports having done something (拜访了). */
const QUESTION = /完成了?没有?$|谁|哪|啥|什么|怎么样|咋样|如何|多少|有没有|有无|是不是|是否|几[单个笔次家]|多久|吗$|[?？]$/;
/** 客户问我们能让几个点, 他们问有没有现货: the customer's question, reported in a visit log, is not the rep's. */
const REPORTED_QUESTION = /(?:(?:客户|对方|他们|她们|他|她|人家|采购|老板|[\u4e00-\u9fa5](?:总|经理|工|老板))(?:还|也|又|一直)?(?:问|询问|咨询|想知道|想了解)了?|问(?:了)?(?:我们|我|咱们|咱))[^\s，,。;；]*/g;
/** 电机A现在报价多少, 伺服电机什么价: a price asked for (see isPriceAsk); the goods are no customer. */
// 医用口罩最近行情怎么样: the market for goods, asked about, is no customer either (and no list price).
const PRICE_ASK = /(?:报价|价格|价钱|单价|售价|卖)(?:是|大概|现在|一般)?(?:多少|几|啥|什么)|多少钱|什么价|啥价|几块钱|行情|价格走势|市场价|(?:涨|降|调)价了?(?:吗|没有?|了没|没)/;
const DID_SOMETHING = /(?:拜访|回访|去|见|聊|打|通|约|谈|签|报)(?:了|过|完)/;
/** 去X送资料, 昨天到了X: the message opens with the rep going to the customer. */
const WENT_THERE = /^(?:[今昨前]天|上午|下午|早上|刚才?)?(?:去了?|到了|跑了(?:一?趟)?)(?!查|看|搜|问)/;
/** 一会儿去华东机电, 下午就去X: a plan to go, said before going, is a visit to log even with no facts. */
const GO_PLAN = /(?:一会儿?|待会儿?|等会儿?|等下|马上|这就|现在|准备|打算|计划|上午|下午|晚上|明天|后天|今天|回头|顺路)(?:就|要|再)?(?:去|过去|上门)(?![了过])/;
// 那边回复了 / 回话了 / 还要再谈: the customer's answer to the rep is news for the visit log too.
const VISIT_WORDS = /见面|面聊|送(?:了|过去|去了)\S{0,10}(?:样品|样板|资料)|送样|寄样|去(?:现场)?看(?:了|过)|过去看了|去现场|回复了|回话了|答复了|还要再谈|再谈谈|喝茶|喝酒|饭局|吃了?饭|拜访|拜方|联系了|见了|见完|见到|去了|去趟|上门|电话|微信|通了|聊了|聊|来电|视频|约了|碰到|吃了个饭|回访|跟进|面谈|沟通|跑客户/;

/**
 * A count over a period (这周拜访了几家, 本月签了多少单, 今天打了几个电话): the rep asks for their numbers,
 * they do not report a visit.
 */
const PERIOD = /今天|今日|本周|这周|这个?礼拜|这星期|本月|这个?月|当月|上周|上个?月|今年|本季度?/;
// 卖了多少台, 卖出去多少, 开了几单: the rep's own sales counted too (not 今天要开几台 or 卖多少钱, a plan or a price).
const COUNT_ASK = /(?:拜访|见|签|打|跑|去|谈|联系|回访|成交|开发|新增|约|加)(?:了|过)?(?:一共|总共|共)?(?:几|多少)|(?:卖(?:了|出去了?|出了|掉了)|销售?了|出货了)(?:一共|总共|共)?(?:几|多少)(?!钱)|(?:开|下|出)了(?:一共|总共|共)?(?:几|多少)单/;
/** 未完成的订单, 还有哪些没做完, 订单完成了吗: "done" negated or asked about is a question, not a command. */
const NOT_DONE = /[未没](?:有)?(?:完成|做完|弄完|办完|搞定|处理完?|办|跟完|跟进)|(?:完成|做完|弄完|办完|搞定|处理完|跟完|做好|弄好|办好)了?(?:吗|没有?|与否)|(?:都|是否|有没有)完成/;
/** 还有哪些跟进没完成, 我还有几件事没办: what is still open on my list. */
const TODO_PENDING = /(?:还有|还剩|剩下|有)(?:哪些|啥|什么|几[个件条项]?|多少)(?:个|件|条|项)?(?:任务|待办|跟进|事情?|活)?(?:还)?(?:没|未)/;
/** 华锐机床我要了, 金石建材归我吧: a short claim with no deal facts in it. */
const CLAIM_SOFT = /我要了吧?$|归我(?:了|吧|啦)?$|归我跟/;
/**
 * Office chatter (会议室投影仪坏了 谁找下行政, 下午开会改到三点, 门禁卡丢了找谁补办): who does a chore, or a
 * meeting moved. A name-like word guessed from its position there is not a customer.
 */
const OFFICE_WHO = /谁(?:去|来|找|调|修|拿|帮|有|知道|能|会|可以|管)|找谁|问谁/;
const OFFICE_EVENT = /开会|会议|例会|早会|周会|晨会|培训|团建|聚餐/;

/** 下周下单, 准备下单, 可能要订: an order still to come is news from a visit, not an order to place. */
// 如果能9折就下单, 价格合适的话再订: a condition still to be met.
const ORDER_HEDGE = /等.{1,12}?(?:再|才)(?:下个?单|订|签)|(?:如果|要是|假如|假设|只要|若是|的话).{0,15}?(?:就|才|再|会)(?:能|会|可以)?(?:下个?单|订|签)|(?:准备|打算|可能|应该|考虑|计划|预计|有望|估计|也许|争取|等|想|(?<![委协商工学])会|再说|年后|明年|下(?:个)?(?:周|月|礼拜|星期|季度)|过(?:几|两)天|之后|以后)(?:再|就|要|会)?(?:下个?单|订|订购|订货)|(?:下个?单|订货)(?:吗|么|嘛|没|呢|的可能|意向)|没(?:有)?(?:下个?单|订)|不(?:下|订)/;
const ORDER_QUESTION = /什么时候|啥时候|何时|几时|[?？]|[吗么]$/;
/** A deal that is signed (签了合同, 成交了, 定下来了) is an order whatever else the message tells. */
const SIGNED = /签(?:了|下|好了)(?:单|合同|约|下来)?|成交了?|定下来了|拍板了|敲定了/;
const NOT_SIGNED = /没签|未签|还没|准备签|要签|能签|可以签|签不签|下周签|明天签|再签/;
/** A special price asked for (申请特价, 特价申请, 申请个特批). */
const SPECIAL_PRICE = /申请(?:个)?(?:特价|特批)|特价申请|特批申请/;
/**
 * Price talk with the customer (X问风机盘管能不能便宜点, X这周在比价, 想要五个点的折扣 我说最多三个点): news for
 * the visit log, not an order.
 */
const PRICE_TALK = /比价|压价|砍价|还价|议价|便宜(?:点|些|一点)|让(?:点|些|一点|利|价|[几两三四五六七八九十\d]个?点)|折扣|嫌\S{0,8}贵|太贵|谈拢|再谈|再聊/;
/** The rep asks for a price or discount to be approved: 申请9折, 请领导批一下 8.5折. */
const PRICE_REQUEST = /申请|请(?:领导)?批|求批|帮忙批|走(?:个)?审批|特价|特批|批个|批一下/;

/**
 * An order told without an order word: the customer, a count and a price or discount, and no sign of a
 * visit (客户鑫源化工要2000个密封圈 单价3.5元), an order word later in the message (鑫源化工 … 订了), a signed
 * deal, or a discount asked for.
 */
function isOrderByFacts(f: Facts, visitish: boolean): boolean {
  const t = f.text;
  if (!f.company) return false;
  // The prices and the discount are read once a rule asks for them: a visit's report is done before most do.
  let prices: MoneyMention[] | undefined;
  const unitPrice = () => (prices ??= findMoney(t)).some((m) => m.kind === "unit");
  let discount: boolean | undefined;
  const hasDiscount = () => (discount ??= !!findDiscount(t));
  if (SIGNED.test(t) && !NOT_SIGNED.test(t) && (unitPrice() || hasDiscount() || f.hasMoney)) return true;
  if (PRICE_REQUEST.test(t) && hasDiscount() && !/(?:能不能|能否|可不可以|问|想要|希望)/.test(t)) return true;
  if (visitish) return false;
  // The reason given for the price (竞品报价低, 他们年底要结算) is no hedge and no delivery plan.
  const reason = findReason(t);
  const inReason = (i: number) => !!reason?.spans.some((s) => i >= s.index && i < s.end);
  const rt = reason ? blank(t, reason.spans) : t;
  const planned = f.hasFutureDate && !(f.dueIndex !== undefined && inReason(f.dueIndex));
  if (planned && !/交货|到货|发货|交期|送货/.test(t)) return false;
  // 申请特价 X 产品 30台 单价5800: a special price asked for on named goods is an order for approval.
  if (unitPrice() && SPECIAL_PRICE.test(t) && !/(?:能不能|能否|可不可以|问|想要|希望)/.test(t)) return true;
  if (ORDER_WORD.test(t) || hasOrderTrigger(t)) return !ORDER_QUESTION.test(t);
  // A terse line of deal facts from the customer's name on: X要2000个密封圈 单价3.5元 (九五折).
  const at = t.indexOf(f.company.name);
  const startsWithCustomer = at >= 0 && at <= 3 && f.company.source !== "suffix";
  if (!startsWithCustomer) return false;
  // 锦纶纺织 电机A 三十台 四千四 (打个八五折), 新科电子 电机A 1台 5000: a named product, its count and a price
  // right after the count.
  const rest = blank(rt, [{ index: 0, end: at + f.company.name.length }]);
  const priced = unitPrice() || parseItems(rest).some((i) => i.unit_price !== undefined && i.product !== "未注明");
  // 栖木装饰 会议椅 80把: nothing but the customer, the goods and their count is an order line too.
  const fields = t.trim().split(/\s+/);
  const bareLine = fields.length === 3 && at === 0 && fields[0] === f.company.name
    && findQuantities(fields[2]!).some((q) => q.index === 0 && q.end === fields[2]!.length && !q.weak)
    // …the goods maybe named by their cross-section (10平方电缆).
    && /^(?:\d+(?:\.\d+)?平方)?[\u4e00-\u9fa5A-Za-z][\u4e00-\u9fa5A-Za-z0-9\-]*$/.test(fields[1]!) && findQuantities(fields[1]!).length === 0;
  return (priced || bareLine) && !/(?:能不能|能否|可不可以|问|询价|报价|要价|想要|希望|考虑|对比|比价)/.test(rt);
}

/**
 * 帮我算下总价, 报个总价给我, 算一下多少钱, 总价多少, 要多少钱, 问 电机A 价格: the rep asks the bot, even with the customer
 * who wants the goods named before them (东方轴承要80台电机B 帮我算下总价) or the customer's question passed on.
 */
const EXPLICIT_ASK = /帮我算|帮忙算|(?<!回去|再)算(?:一下|下|算)|报(?:个|一下|下)?总价|总价(?:是)?多少|总价\s*[呢啊呀吧哈]*$|要多少钱|问(?:下|一下)?[^，,。;；]{0,30}?(?:价格|单价|总价|价钱|多少钱|什么价|啥价)/;
/**
 * What a visit log tells around a price question (今天…, 他们说…, 我说回去算下, 问了价): then the question is news of the
 * visit, not one for the bot.
 */
const TOLD = /[今昨前]天|刚才|刚刚|上午|下午|早上|晚上|我(?:说|报|回|讲|答|跟)|(?:他们|她们|对方|客户|人家|那边)(?:说|觉得|嫌|反馈|表示)|问了|说了|报了|回去|再去|还没|没回|回复|答应|还在谈/;

/** The bot asked for a sum or a price outright, nothing of a visit told around it (see EXPLICIT_ASK). */
export function asksBotOutright(text: string): boolean {
  return EXPLICIT_ASK.test(text) && !TOLD.test(text);
}

/** 卖了, 卖出去, 销售了, 出货了, 发了: goods already sold or shipped. */
const SOLD = /卖(?:了|出|掉)|销售?了|出货了?|发(?:了|出)/;

/** The market asked about (行情, 涨价了吗), not the list price. */
const MARKET = /行情|走势|市场价|(?:涨|降|调)价/;

/**
 * The rep asks for list prices: the whole list (价格表, 有哪些产品), or goods with a price question (电机A多少钱, 变频器
 * 单价), and nothing of a visit, an order or a customer's question around it (客户问电机A多少钱 下周报价 is a visit).
 */
function isPriceAsk(f: Facts): boolean {
  const t = f.text.trim();
  if (f.hasOrder || f.orderForm) return false;
  // 下单 X 电缆30卷 价格按目录价: an order at the list price, not a look-up.
  if (hasOrderTrigger(f.fields.slice(0, 2).join(" ")) || ORDER_WORD.test(t)) return false;
  if (isWholeListAsk(t)) return true;
  // 帮我给华东机电报个价: a quote for a customer, to make, not the list asked for.
  if (/给\S{2,20}?(?:报|出)(?:个|一下|下|一个)?(?:价|报价)/.test(t)) return false;
  const limit = LIMIT_QUESTION.test(t);
  // 电机A 10台 电机B 5台 合计哈, 帮我算一下 电机A 12台: a sum or a reckoning asked once a count is written.
  const asked = PRICE_QUESTION.test(t) || PRICE_OF.test(t) || (SUM_ASK.test(t) && countsIn(t).length > 0);
  if (!(asked || limit) || t.length > 40) return false;
  if (f.hasContact || f.hasFutureDate || f.hasMoney || MARKET.test(t)) return false;
  const reported = t.search(REPORTED_QUESTION) >= 0;
  // 我最多能给客户打几折 / 我的折扣权限是多少: the rep's own limit (折扣 there is no price talk with a customer).
  if (limit && !reported && !VISIT_WORDS.test(t) && !DID_SOMETHING.test(t)) return !f.company || f.company.source !== "known";
  if (VISIT_WORDS.test(t) || DID_SOMETHING.test(t) || PRICE_TALK.test(t)) return false;
  // 本月电机A卖了200台 一共多少: the rep's own sales or shipments tallied, no list price asked.
  if (SOLD.test(t)) return false;
  // 客户问电缆按米多少钱: the customer's question passed on, and nothing else told, is the rep's to answer; told with what
  // happened (他们问…我说回去算下) it is news of a visit.
  const told = TOLD.test(t);
  if (reported && (told || limit)) return false;
  // 咱们都卖啥 各多少钱: the whole range, priced.
  if (asked && RANGE_ASK.test(t)) return true;
  const explicit = asksBotOutright(t);
  // 电机A 200台多少钱: goods counted and priced (at the list price); a count with anything else named (a customer) is an
  // order or a visit's figure, unless the bot is asked for the sum (东方轴承要80台电机B 帮我算下总价).
  const products = priceProducts(t);
  if (f.hasQuantity && findQuantities(t).some((q) => q.value !== 1) && f.company && !namesAskedGoods(f.company.name, products) && !explicit) return false;
  // A named customer (华东机电的电机A什么价, a known one) asks about a deal, not the list; 电机A和电缆 (several things
  // listed) is goods.
  return !f.company || explicit || ((f.company.source === "position" || f.company.source === "trigger") && (!f.company.hasOrgSuffix || /[和、及与跟,，]/.test(f.company.name)));
}

export function classify(f: Facts): IntentName {
  const t = f.text;
  if (t.length === 0 || HELP_EXACT.test(t)) return "help";

  if (f.hasOrder) {
    // SO-… 驳回了 … 麻烦再提交审批: the rep tells of the rejection and resubmits (a command, read before the parser);
    // an approver's 驳回 SO-… 请重新提交 is no resubmission and goes on to the decision.
    if (looksLikeResubmission(t)) return "unknown";
    const asks = ASKS_ABOUT.test(t);
    // 批不批 asks; 不批 decides.
    const said = t.replace(/([批行能可])不\1|同意不同意|通过不通过/g, " ");
    if (REJECT_WORDS.test(said) && !(asks && !/驳回|不同意|不批|打回|否决|拒绝|拒了|拒掉/.test(said))) return "decide_approval";
    if (f.hasCarrierOrTracking && PARTIAL_SHIP.test(t) && !REJECT_WORDS.test(t)) return "confirm_shipment";
    if (PROBLEM_WORDS.test(t.replace(/没问题/g, ""))) return "report_shipment_problem";
    // No look-up of an order exists yet: a question about one is not understood rather than misread.
    if (asks) return "unknown";
    if (APPROVE_WORDS.test(t)) return "decide_approval";
    if (SHIP_WORDS.test(t) || f.hasCarrierOrTracking) return "confirm_shipment";
    return "unknown";
  }

  // An approver's or the warehouse's answer typed without the number, opening the message: 同意 / 驳回 价格太低 /
  // 缺货 电机A只有10台 / 发了 顺丰 SF…. The handler takes the one order waiting for this person, or asks which.
  const lead = t.trim();
  if (/^(?:同意|批准|准了|驳回|不同意|不批|打回)(?:了|吧)?(?=$|[\s,，:：。!！])/.test(lead)) return "decide_approval";
  if (/^(?:缺货|断货|没货了?|库存不足|库存不够|发不了货?|无法发货)(?=$|[\s,，:：。!！])/.test(lead)) return "report_shipment_problem";
  if (f.hasCarrierOrTracking && /^(?:已发货|发货了?|已发|发了|已发出)/.test(lead)) return "confirm_shipment";

  const bare = !f.hasContact && !f.hasFutureDate && !f.hasQuantity;
  if ((HOW_TO.test(t) || ABOUT_BOT.test(t) || HOW_TO_TOPIC.test(t)) && bare && !f.hasMoney) return "help";
  if (FORM_ASK.test(t) && !f.hasContact && !f.hasMoney) return "help";
  if (isPriceAsk(f)) return "price_list";

  const head = f.fields.slice(0, 2).join(" ");
  const visitish = VISIT_WORDS.test(t) || f.hasContact;
  // X的单子 200台 什么时候发: a question about an order is not one to place.
  if (hasOrderTrigger(head) && f.hasQuantity && !ORDER_HEDGE.test(t) && !ORDER_QUESTION.test(t)) return "place_order";
  if (ORDER_REQUEST.test(t) && f.hasQuantity && !visitish) return "place_order";
  // Nobody fills in 客户：/产品：/数量： for anything but an order.
  if (f.orderForm && f.company && f.hasQuantity && !ORDER_HEDGE.test(t)) return "place_order";
  if (f.hasQuantity && !ORDER_HEDGE.test(t) && isOrderByFacts(f, visitish)) return "place_order";

  const taskRef = TASK_REF.test(t);
  const suffixed = !!f.company?.hasOrgSuffix;
  if (PERIOD.test(t) && COUNT_ASK.test(t) && !f.hasContact && !suffixed) return "show_metrics";
  if (PRICE_ASK.test(t) && bare && !f.hasMoney && f.company?.source === "position" && !suffixed) return "unknown";
  const notDone = NOT_DONE.test(t);
  if (notDone && TODO_PENDING.test(t) && !f.hasContact && !suffixed) return "list_todos";
  if (SNOOZE_WORDS.test(t) && OFFICE_EVENT.test(t) && !taskRef && !f.hasContact) return "unknown";
  const guessed = f.company?.source === "position" && !suffixed;
  if (OFFICE_WHO.test(t) && (!f.company || guessed) && !f.hasContact && !f.hasQuantity) return "unknown";
  if (SNOOZE_WORDS.test(t) && (taskRef || !visitish)) return "snooze_task";
  if (COMPLETE_WORDS.test(t) && !notDone && (taskRef || !visitish)) return "complete_task";
  if (TODO_REQUEST.test(t)) return "list_todos";
  if (TODO_QUESTION.test(t) && !f.hasContact && !f.company?.hasOrgSuffix) return "list_todos";
  if (TODO_WORDS.test(t) && (!f.company || t.length <= 12) && !f.hasContact) return "list_todos";
  // 拜访蓝鲸数据 …: a customer's name ending in 数据 is no figure asked for.
  const unnamed = f.company?.hasOrgSuffix ? t.split(f.company.name).join(" ") : t;
  if (METRIC_WORDS.test(unnamed) && !f.hasContact && (METRIC_ASK.test(unnamed) || !METRIC_TALK.test(unnamed))) return "show_metrics";
  if (CLAIM_WORDS.test(t) && f.company) return "claim_customer";
  if (CLAIM_SOFT.test(t) && f.company && !f.hasContact && !f.hasQuantity && !f.hasMoney) return "claim_customer";
  const asks = LOOKUP_WORDS.test(t) || (QUESTION.test(t.replace(REPORTED_QUESTION, " ")) && !DID_SOMETHING.test(t));
  // 联系了X的采购，发了资料，报价18500一台: a price given in a report of what was done is no look-up; nor is
  // going there (去X送资料，顺便看了下仓库).
  if (f.company && asks && bare && !(f.hasMoney && VISIT_WORDS.test(t)) && !WENT_THERE.test(t)) return "lookup_customer";
  if (f.company) {
    const strong = f.company.source !== "position" || f.company.hasOrgSuffix;
    const facts = [f.hasFutureDate, f.hasQuantity, f.hasMoney].filter(Boolean).length;
    // A name guessed from its position needs a visit word, or two facts of a deal (800吨 + 下周一).
    // …and so is a report that opens with going there and says what was done (去X送资料，顺便看了下仓库).
    const plan = f.company.source === "trigger" && (GO_PLAN.test(t) || WENT_THERE.test(t) && /[，,；;。\s]/.test(t));
    // 星联网络那边说交换机等年后再下单: an order the customer puts off is news for the visit log.
    const putOff = strong && ORDER_HEDGE.test(t) && !ORDER_QUESTION.test(t);
    if (visitish || plan || (strong && facts >= 1) || facts >= 2 || PRICE_TALK.test(t) || putOff) return "log_visit";
  }
  if (HELP_FUZZY.test(t)) return "help";
  // A message that is nothing but a company name: show that customer.
  if (f.company && f.fields.length === 1 && f.company.hasOrgSuffix && f.company.name.length >= t.length - 2) return "lookup_customer";
  return "unknown";
}
