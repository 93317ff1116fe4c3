/**
 * Voice input and chat habits the extractors should not see: interjections (嗯, 呃, 哎), hedges that
 * open or close a clause (那个, 就是说, 然后, 对了, …哈, …呗), and the homophones a voice IME types for
 * the words tense and due-date rules key on (下周一在联系 = 再联系, 以经 = 已经).
 *
 * Connectors (然后, 就是说, 对了) become a comma rather than vanishing: they join clauses, and the
 * company/product finders split on separators, so 给穗丰的然后灌装阀 → 给穗丰的，灌装阀.
 */

/** Interjections that are never part of a name or a product, wherever they stand. */
const INTERJECTION = /[嗯呃]+/g;
/** Interjections at the start of a clause only: 哎 / 啊 / 哈 also occur inside names (哈尔滨, 哎呀不算). */
const CLAUSE_START = /(^|[\s,，。;；!！?？、])(?:哎呀|哎哟|哎|啊|哈)+(?=[\s,，。;；!！?？、]|$|[^尔佛密])/g;
/**
 * Particles at the end of a clause: 查一下呗, 好的啊, and 哈 / 吧 after a verb or particle (下个单哈，…,
 * 认领一下 X吧). 娃哈哈 keeps its 哈, and 下个单吧 its 吧 (ORDER_REQUEST reads it as a request).
 */
const CLAUSE_END = /(?:呗|啊|呀|哦|噢)+(?=[\s,，。;；!！?？、]|$)|(?<=[单了下的好行呢个么吗])哈+(?=[\s,，。;；!！?？、]|$)|(?<=[^单吧\s，,])吧(?=[\s,，。;；!！?？、]|$)/g;
/** Connectors that only chain clauses in speech. 就是 must be followed by a clause, not 就是他 (he is). */
const CONNECTOR = /然后(?:呢|就是说?|就)?|就是说|就是(?=给|要|在|说|想|他们|(?:那个|这个)(?!价|数|型号|规格|意思|样子|颜色|牌子))|(?<!价|价格|价钱|钱|额)就是(?=[\d两三四五六七八九十])|对了|另外就是/g;
/** 那个 / 这个 as a hesitation at a clause start, before a name or a pronoun (那个华锐轴承, 那个我今天…). */
const HESITATION = /(^|[\s,，。;；!！?？、])(?:那个|这个)(?=我|你|他|她|就|帮|给|跟|认领|查|看)/g;
/**
 * 那个 as a hesitation between a verb and the thing named (要那个铝箔餐盒), and 那个(单子) after a name
 * (明辉陶瓷那个单子 瓷砖…, 永兴塑业那个要订): 那个 before a time, a person or a question stays. At a clause's start
 * 那个 stays for the task and company finders (那个任务完成了); the product reader drops it there.
 */
const THAT_ONE = /([要订买是])(?:那个|这个)(?![月时人事候问价呢吗么啥什样些点])(?=[\u4e00-\u9fa5A-Za-z])/g;
const THAT_ORDER = /(?<=[\u4e00-\u9fa5A-Za-z])(?:那个|这个)(?:单子|订单)?(?=要|订|帮|下|[\s,，。;；!！?？、]|$)/g;

/**
 * 帮我记一下(啊)(就是)… opening a dictated message: the rep asks the bot to take it down, the content follows
 * (an order, a visit). The request is no name and no product.
 */
const TAKE_DOWN = /^[\s,，]*(?:你|请)?(?:帮我|给我|帮忙|麻烦你?)?(?:记|录|登记|记录)(?:一下|下|个|一笔)(?:啊|哈|吧|呀)?[\s,，]*(?:就是说?)?[\s,，]*/;

/** 那个 / 这个 / 就是 standing alone between pauses (帮我下单 那个 瑞丰钢构 …, 就是 东海造船 的 …): a hesitation. */
const FILLER_FIELD = /(^|[\s,，。;；!！?？、])(?:那个|这个|就是说?|那么)(?=[\s,，。;；!！?？、]|$)/g;
/** 就这样 / 就这些 / 先这样 closing a dictated message: the end of speaking, no content. */
const SIGN_OFF = /(?:^|[\s,，。;；!！、])(?:就|先|暂时)?(?:这样|这些|这么多)(?:吧|了|哈|啊)?[。.!！~～]*$|(?:^|[\s,，。;；!！、])(?:完毕|over)[。.!！]*$/i;

/**
 * 在 typed for 再 ("again"): after a time or a modal (下周一在联系, 要在对比, 这周五在过去) and before a
 * verb of contact or decision. 在X (at X) with a place after it is left alone.
 */
const ZAI_FOR_AGAIN = new RegExp(
  "(?<=(?:周|礼拜|星期)[一二三四五六日天末]|号|[明后]天|下周|下次|回头|改天|过两天|过几天|晚点|晚些|之后|以后|要|得|会|想|需要|打算|准备|下午|上午|晚上)" +
  "在(?=联系|过去|去|来|约|谈|聊|看|对比|比较|考虑|商量|研究|确认|沟通|跟进|打|发|问|报|回复|回访|拜访|定|议|讨论)",
  "g",
);

/**
 * Homophones a voice IME types for the order and approval words (下但/下个蛋 for 下单, 同以 for 同意,
 * 驳会 for 驳回). Only spellings that are not words of their own are mapped: 一下但是 (a moment, but)
 * and 同以往 (as before) stay.
 */
const ORDER_SLIPS: [RegExp, string][] = [
  [/(?<!一)下但(?![是凡])/g, "下单"],
  // 下担 (dān) for 下单 (not 放下担子); 要定 before the goods for 要订 (not 要定金, 要定下来: only before a space).
  [/(?<![放卸])下担(?![子心])/g, "下单"],
  [/(?<=[要想再])定(?=\s)/g, "订"],
  [/下个蛋|下个但/g, "下个单"],
  [/定单/g, "订单"],
  // 订但 for 订单 (not 订但是), 单家 before a figure for 单价; 下个订单 asks for one (给X下个订单 …).
  [/订但(?![是凡])/g, "订单"],
  [/单家(?=\s*[\d一二两三四五六七八九十¥￥@])/g, "单价"],
  [/下个订单/g, "下个单"],
  // 帮我下一单 / 报个单: an order asked for with 一 or 个 in the middle (下一单 alone may be "the next order").
  [/(?<=帮我|帮忙|给我|麻烦|请|再)下一个?单/g, "下个单"],
  // 帮我下一下单, 帮我下下单: the same request.
  [/(?<=帮我|帮忙|给我|麻烦|请)下一?下单/g, "下个单"],
  [/报(?:个|一个|一下|一)单/g, "报单"],
  // 报但 for 报单 (not 汇报但是), 走(个)单 for placing one, 帮我走一下 / 帮我下一下 closing an order.
  [/报但(?![是凡])/g, "报单"],
  [/走(?:个|一个|一下|一)?单(?![号据子])/g, "下单"],
  [/(?<=帮我|帮忙|给我|麻烦)(?:走|下|报)一下(?=[\s,，。;；!！]|$)/g, "下个单"],
  [/同易/g, "同意"],
  [/客护/g, "客户"],
  [/同以(?![往前后上下为来及此])/g, "同意"],
  [/驳会|博回|驳灰/g, "驳回"],
];

/** 拓朴建工啊他们要…, 铭远律所那边呢 要…: a particle between a name and 他们/那边, or after 那边, is a pause. */
// 江北中心医院啊要下个单, 医用外科口罩啊要两百箱: 啊 / 呀 before 要 is a pause between a name or the goods and the verb.
const NAME_PAUSE = /(?<=[\u4e00-\u9fa5A-Za-z])[啊呀哈](?=他们|她们|那边|这边|那里|这里)|(?<=[\u4e00-\u9fa5A-Za-z]{2})[啊呀](?=要|订|下个?单)|(?<=那边|这边|那里|这里|他们|她们)呢(?=[\s,，。;；!！、]|要|订|下单)/g;
/** 没把650 typed for 每把650: "per piece" before a figure (not 没个, an idiom). */
/** 我说一下啊, 我报一下: the rep announcing a dictation, a field of its own, says nothing. */
const DICTATE = /(^|[\s,，。;；!！、])我?(?:跟你|给你)?(?:说|讲|报)一下(?:啊|哈|呀)?(?=[\s,，。;；!！、]|$)/g;
/** 嗯…那个, 然后就是…保鲜膜: a trailing-off pause (… typed, or ... after NFKC) parts clauses. */
const TRAIL_OFF = /…+|\.{2,}/g;
const MEI_SLIP = new RegExp(`没(?=[台套件只箱吨条张把盏桶组支根袋盒瓶米]\\s*[\\d一二两三四五六七八九十])`, "g");

export function cleanSpeech(text: string): string {
  const clean = ORDER_SLIPS.reduce((s, [re, to]) => s.replace(re, to), text)
    .replace(TRAIL_OFF, "，")
    .replace(NAME_PAUSE, "")
    .replace(MEI_SLIP, "每")
    .replace(/以经/g, "已经")
    .replace(ZAI_FOR_AGAIN, "再")
    .replace(INTERJECTION, "")
    .replace(CONNECTOR, "，")
    .replace(CLAUSE_START, "$1")
    .replace(HESITATION, "$1")
    .replace(TAKE_DOWN, "")
    .replace(THAT_ORDER, "")
    .replace(THAT_ONE, "$1")
    .replace(FILLER_FIELD, "$1")
    .replace(SIGN_OFF, "")
    .replace(DICTATE, "$1")
    .replace(/ {2,}/g, " ")
    .replace(CLAUSE_END, "")
    .replace(/[，,]\s*(?=[，,])/g, "")
    .replace(/^[\s，,]+|[\s，,]+$/g, "")
    .replace(/([^\s，,])\s*，\s*/g, "$1，");
  // 哈哈 / 嗯嗯 alone is chit-chat: leave it for the classifier to call unknown.
  return clean.length > 0 ? clean : text;
}
