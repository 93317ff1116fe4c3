// The words of the managers' questions, and a reader that explains a whole message with them. A question is read
// only when every character is one of these words or a colleague's name (at most one, near the start): 谁的跟进逾期了,
// 大家手上的客户都列一下 and 孙磊 KPI 这周 are read, while a visit log that names a colleague (今天跟进了李四介绍的客户…),
// a transfer (把李四的客户转给赵敏) or office news (团队周会改到周四) always holds a word that is not here, and is left
// to the other features and the parser. Word order is free (客户 超过 14 天 没跟进).

/** Common typing slips of the few nouns these questions need (客护 → 客户, 带办/代办 → 待办), applied only here. */
const CONFUSIONS: [RegExp, string][] = [
  [/客护|客尸|各户/g, "客户"],
  [/带办|代办/g, "待办"],
  [/逾其|预期未/g, "逾期"],
  [/业积|业级|页绩/g, "业绩"],
  [/根进|跟近/g, "跟进"],
  [/团对/g, "团队"],
  // Spoken forms written down: 木有 for 没有.
  [/木有/g, "没有"],
];

/** The typing slips above fixed (客护 → 客户); nothing else changed. */
export function fixSlips(text: string): string {
  return CONFUSIONS.reduce((s, [re, to]) => s.replace(re, to), text);
}

/** English words people mix in (team 客户 list, 孙磊 KPI 这周, overdue 跟进). */
const ENGLISH: [RegExp, string][] = [
  [/\bteam\b/g, "团队"], [/\bmy\b/g, "我的"], [/\b(?:list|lists)\b/g, "列表"], [/\bto-?dos?\b/g, "待办"],
  [/\boverdue\b/g, "逾期"], [/\bkpis?\b/g, "业绩"], [/\bstage\b/g, "阶段"], [/\bcustomers?\b/g, "客户"],
  [/\bfollow(?:-?ups?|ing|ed)?\b/g, "跟进"],
];

/** Lower case, English words in Chinese, spaces and punctuation gone (阶段=报价 → 阶段报价), typing slips fixed. */
export function normalise(text: string): string {
  let s = text.normalize("NFKC").toLowerCase();
  for (const [re, to] of ENGLISH) s = s.replace(re, to);
  s = s.replace(/[\s，。！？!?,.、~～…；;“”"'‘’（）()【】:：=＝]+/g, "");
  return fixSlips(s);
}

export type TokenKind =
  | "own" | "team" | "mod" | "customers" | "list" | "todos" | "notdone" | "overdue" | "metric" | "periodMetric" | "period" | "stage" | "stageMark" | "idle" | "filler" | "name";
export interface Token { kind: TokenKind; text: string }

export const PERIOD_WORDS: Record<string, "today" | "week" | "month"> = {
  今天: "today", 今日: "today", 当天: "today",
  本周: "week", 这周: "week", 这礼拜: "week", 本礼拜: "week", 这个礼拜: "week", 这星期: "week", 本星期: "week", 这个星期: "week",
  本月: "month", 这个月: "month", 这月: "month", 当月: "month",
};

const NUM = "\\d+|[零一二两三四五六七八九十百]+";
/** N天 / 一周 / 两个星期 / 一个月 / 半个月, then 没(人)跟进 / 都没联系 / 没跟. */
export const IDLE = new RegExp(
  `(?:超过|超|大于|多于|已经|有)?(?:(${NUM})[天日]|(${NUM})个?(?:周|星期|礼拜)|(${NUM})个月|(半)个?月)(?:以上|多)?(?:了|都|还|也)*(?:没有?|未)人?(?:再|有)?(?:跟进|联系|拜访|跟)(?:过)?`,
  "y",
);

export const STAGE_VALUES = ["lead", "contacted", "qualified", "proposal", "negotiation", "won", "lost"] as const;
export type Stage = (typeof STAGE_VALUES)[number];

/** More words people use for a stage, beyond those 改 客户 … 阶段 reads (customer-fields.ts: 议价, 赢单 …). */
export const STAGE_WORDS: Record<Stage, string[]> = {
  lead: ["线索", "潜在", "潜在客户", "新线索"],
  contacted: ["已接触", "已联系", "接触", "联系", "初步接触"],
  qualified: ["已确认需求", "确认需求", "需求确认", "有需求", "需求明确"],
  proposal: ["方案报价", "报价", "已报价", "方案"],
  negotiation: ["商务谈判", "谈判", "谈判中", "商谈", "议价"],
  won: ["成交", "已成交", "赢单", "签约", "已签约"],
  lost: ["输单", "丢单", "流失", "已丢单", "失败"],
};
/** Every stage word, longest first (so 已成交 is one word, not 已 and 成交). */
const STAGE_WORD_LIST = Object.values(STAGE_WORDS).flat().sort((a, b) => b.length - a.length);

const FILLERS = [
  // asking and showing: 帮我拉一下, 给我看下, 调出来, 发我
  "请", "麻烦", "你", "帮我", "帮忙", "帮", "给我", "把",
  "(?:看|查|列|拉|调|找|显示|查看|统计|汇总)(?:一下|一?下|看|查|出来|出|给我)?", "瞧瞧", "瞅瞅", "瞅一?下", "发我", "发给我", "发过来", "我看", "我看看",
  "(?:来|拉|列|出|整)(?:一份|一个|一下|份|个)", "拉出来", "呗",
  // question forms: 有哪些, 都有谁, 有没有, 几个, 谁的
  "都?有哪些", "哪些", "还有", "有", "哪几个", "有哪几个", "都?有啥", "还有啥", "都?有什么", "还有什么", "什么", "啥", "都?有谁", "都是谁", "都谁", "谁的", "谁", "些啥", "些什么", "那些", "那个", "这些",
  "有几个", "几个", "有多少", "多少", "有没有", "是不是", "是否", "是哪些", "是什么",
  // degree, time and particles
  "的", "了", "都", "还", "也", "现在", "目前", "当前", "已经", "在", "处于", "全部", "所有", "全", "一共", "总共", "一下", "接下来", "下一步",
  // stage forms: 卡在商务谈判这步, 还是线索的, 停在报价
  "卡在", "停在", "还是", "仍是", "仍然是", "还处在",
  "情况", "怎么样", "如何", "咋样", "怎样", "事项", "事情", "事", "吗", "么", "呀", "呢", "吧", "啊", "哦", "嘛", "哈",
];

const ALT = (words: readonly string[]) => words.join("|");

/** Every word, by kind; tried at each position, longer matches first. */
const WORDS: [TokenKind, string][] = [
  ["team", "(?:我的?|我们的?|咱们的?|咱的?|俺们的?)?(?:团队|小组|部门|下属|手下)(?:成员)?(?:里面|里|内)?|(?:我们|咱们|咱|俺们|我的?|全|本|整个)组(?:里面|里|内)?|组(?:里面|里|内)|大家|大伙儿?|所有人|全员|全体|各位"],
  ["own", "我自己|我(?:名下|负责|跟进|跟|手上|手里|手头|这边)|我"],
  ["mod", "名下|负责|手上|手里|手头|跟进|跟着|跟|管着|管|这边"],
  ["customers", "客户们?"],
  ["list", "列表|清单|名单|一览"],
  ["todos", "待办|任务|待跟进|要跟进|需要跟进|跟进"],
  ["notdone", "没有?(?:做完|做|完成|处理|跟进|跟)|未(?:完成|处理|跟进)|还没做"],
  ["overdue", "逾期|过期|超期|超时|过了?截止(?:日期|时间)?|到期没(?:做|完成)"],
  // 指标 and 数据 are figures only in a question about a period (这个月团队指标, 今天的数据): 数据已经发给客户了 is not.
  ["periodMetric", "指标|数据"],
  ["metric", "业绩|绩效|表现|战报|报表|销售额|成交额|拜访量|拜访数|(?:干|做)[得的](?:咋样|怎么样|如何|怎样|好不好)|(?:拜访|跟进|见)了?(?:多少|几个|几家|几次)(?:家|个|次)?(?:客户)?|签了多少|成交了?多少"],
  ["period", ALT(Object.keys(PERIOD_WORDS).sort((a, b) => b.length - a.length))],
  ["stage", `(?:${ALT(STAGE_WORD_LIST)})中?`],
  ["stageMark", "阶段(?:是|为)?|(?:这|那)一?步|(?:这个|这|那个)阶段"],
  ["filler", ALT(FILLERS)],
];

/** The top-level alternatives of a pattern (有 and 有没有 are both tried, whichever comes first in the list). */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(src.slice(from, i));
      from = i + 1;
    }
  }
  return [...out, src.slice(from)];
}

const TOKENS: [TokenKind, RegExp][] = WORDS.flatMap(([k, src]) => alternatives(src).map((a): [TokenKind, RegExp] => [k, new RegExp(a, "y")]));

/** Every character these words may hold (digits, and each character of every pattern: a superset). */
const VOCABULARY = new Set([...WORDS.map(([, src]) => src).join(""), ...IDLE.source, ..."0123456789"].filter((c) => /[\u4e00-\u9fff\d]/.test(c)));

/** Words that are not a colleague's name (我的待办 and 本周业绩 belong to other features; 王经理 is a contact). */
export const NOT_A_NAME = /我|团队|下属|手下|[今明后昨前]天|今日|[本这下上]个?(?:周|星期|礼拜|月)|周[一二三四五六日天末]|星期|礼拜|月[底初中]|逾期|过期|超期|完成|所有|全部|最近|现在|当前|客户|公海|订单|发货|审批|业绩|待办|大家|大伙|全员|全组|组里|公司|整体|个人|怎|么|如何|什么|没|哪|谁|多少|推迟|查|看|要|新增|添加|删除|修改|跟进|名下|负责|手上|手里|经理|总监|老板|主任|老师|师傅|总$|阶段|线索|报价|谈判|成交|输单|丢单|部门|小组|团|组|咱|俺|那个|那些|这些|接下来|指标|数据/;

/**
 * Family names for a name glued to what follows (李四客户, 孙磊 KPI 这周, 张三待办): without 的 or 名下 after it, only
 * a name that starts like a person's (a common family name, or 小/老 before one) is taken for a colleague, so
 * 重点客户 or 意向客户 are not read as someone's customers.
 */
const FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢劳奚皮粟冼蔺楼满闻厉";
const COMPOUND_FAMILY = /^(?:欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|尉迟|长孙|夏侯|公孙|司徒|端木|南宫)/;
export function looksLikePersonName(name: string): boolean {
  const bare = name.replace(/^[小老阿]/, "");
  return COMPOUND_FAMILY.test(bare) || (bare.length >= 1 && FAMILY.includes(bare[0]!) && (bare !== name ? bare.length === 1 : true));
}

/**
 * A name that may be someone's though no colleague has it (a typo of 张三, someone not in the org file): two or three
 * characters like a person's, or four with a compound family name. 华南泵业负责的客户 names no one: such a message
 * is left to the parser instead of answering 找不到 华南泵业.
 */
export function mayBeAPerson(name: string): boolean {
  return looksLikePersonName(name) && (name.length <= 3 || COMPOUND_FAMILY.test(name));
}

/** A message longer than this is no list question (and is not searched). */
const MAX_CHARS = 40;
/** One of these must be in a question about the team's customers, to-dos or numbers. */
const CORE = /客户|待办|任务|跟|逾期|过期|超期|超时|截止|业绩|数据|指标|绩效|表现|战报|报表|销售额|成交额|拜访|干得|做得|[干做]的(?:咋样|怎么样|如何|怎样|好不好)/;
/** Enough for every short message; the search stops here whatever happens. */
const MAX_STEPS = 4000;

/**
 * Every way the whole message splits into these words (longer words first), with at most one colleague's name,
 * which may only open the message or follow opening words (看下, 麻烦查一下) and a period (今天张三的业绩).
 */
export function* readings(s: string): Generator<Token[]> {
  if (!s || s.length > MAX_CHARS || !CORE.test(s)) return;
  // A name is at most 4 characters: a message with more characters that no word here has is no question (cheap).
  if ([...s].filter((c) => !VOCABULARY.has(c)).length > 4) return;
  const wordsAt = new Map<number, Token[]>();
  const tried = new Set<string>();
  let steps = 0;
  function* walk(pos: number, acc: Token[], named: boolean): Generator<Token[]> {
    if (++steps > MAX_STEPS) return;
    // Readings that differ only in how the filler words split (有没有 / 有 没有) mean the same: walk one of them.
    const key = `${pos}|${acc.map((t, i) => (t.kind === "filler" && !(t.text === "的" && acc[i - 1]?.kind === "name") ? "·" : `${t.kind}:${t.text}`)).join(" ").replace(/(?:· )+·/g, "·")}`;
    if (tried.has(key)) return;
    tried.add(key);
    if (pos === s.length) {
      yield acc;
      return;
    }
    for (const t of wordsFrom(pos)) yield* walk(pos + t.text.length, [...acc, t], named);
    if (!named && acc.every((t) => t.kind === "filler" || t.kind === "period")) {
      for (let len = 2; len <= 4 && pos + len <= s.length; len++) {
        const name = s.slice(pos, pos + len);
        if (!/^[\u4e00-\u9fff]+$/.test(name) || NOT_A_NAME.test(name)) continue;
        yield* walk(pos + len, [...acc, { kind: "name", text: name }], true);
      }
    }
  }
  /** The words starting at pos, longest first, each kind and text once. */
  function wordsFrom(pos: number): Token[] {
    let found = wordsAt.get(pos);
    if (found) return found;
    found = [];
    for (const [kind, re] of TOKENS) {
      re.lastIndex = pos;
      const m = re.exec(s);
      if (m?.[0] && !found.some((t) => t.kind === kind && t.text === m[0])) found.push({ kind, text: m[0] });
    }
    IDLE.lastIndex = pos;
    const idle = IDLE.exec(s);
    if (idle) found.push({ kind: "idle", text: idle[0] });
    found.sort((x, y) => y.text.length - x.text.length);
    wordsAt.set(pos, found);
    return found;
  }
  yield* walk(0, [], false);
}

const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 7, 十, 十五, 二十, 三十五, 一百. */
export function readCount(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch]!;
    else if (ch === "十") { total += (digit || 1) * 10; digit = 0; }
    else if (ch === "百") { total += (digit || 1) * 100; digit = 0; }
    else return null;
  }
  return total + digit;
}

/** The days an idle phrase names: 10天 → 10, 两周 → 14, 一个月 → 30, 半个月 → 15. */
export function idleDays(phrase: string): number | null {
  IDLE.lastIndex = 0;
  const m = IDLE.exec(phrase);
  if (!m) return null;
  if (m[4]) return 15;
  const n = readCount(m[1] ?? m[2] ?? m[3]!);
  if (!n) return null;
  return m[1] ? n : m[2] ? n * 7 : n * 30;
}
