/** People at the customer: 王经理, 张总, 李工, 刘姐, 赵老板, 小周, 老李, Tony, Mr. Li. */
import { findEnglishContacts } from "./english.ts";

// Common surnames; characters that are also frequent words (于, 和, 时, 台, 米, 施 …) are left out on purpose.
const SURNAMES =
  "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董萧肖程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎闫余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文庞樊兰殷陶洪翟颜倪严牛温季俞章鲁葛伍韦尤毕聂焦柳邢骆岳齐梅莫庄辛管祝左涂谷祁舒耿詹关苗凌费纪靳盛童欧甄项游裴卫屈鲍覃霍翁隋甘柏宁柯阮桂闵解柴房饶戚滕邬臧宫缪苟褚娄符奚穆党燕郎冀姬屠郜晏栾郁喻窦迟卓艾蓝巩井仲虞卞竺楚佟栗匡鞠岑";
const TITLES = "总经理|董事长|总监|经理|主任|厂长|老板|老师|主管|科长|处长|部长|行长|院长|所长|工程师|助理|秘书|博士|书记|总|工|姐|哥|董";
/** Words that end in a title character but are not people (徐工集团 is a company, 化工 an industry). */
const NOT_PERSON_AFTER = /^(?:集团|机械|科技|股份|电气|电子|重工|有限|公司|控股|汽车|工程|建设|化工|钢铁|实业)/;

/** The first character of every title; LONE_TITLE_RE's and LONE_BOSS_RE's titles are among TITLES too. */
const TITLE_START = new RegExp(`[${[...new Set(TITLES.split("|").map((t) => t[0]))].join("")}]`);
const TITLE_RE = new RegExp(`(?<![0-9０-９])([${SURNAMES}])(${TITLES})`, "g");
const NICK_RE = new RegExp(`(小|老)([${SURNAMES}])(?![${SURNAMES}]?(?:${TITLES}))`, "g");
const LATIN_RE = /(?:(?<=[的了见约和跟找给])|(?<=\s)|^)([A-Z][a-z]{1,15})(?=总|经理|\s|吃|聊|说|[\u4e00-\u9fa5]|$)/g;
const CAPITALISED = /[A-Z][a-z]/;
const NICK_NOT = /^(?:老板|老师|老是|老家|老客户|小时|小批量|小单|小样)/;

/**
 * A one-character surname outside the list still counts when it stands alone before a long title
 * (…五金 麦老板, 的覃厂长): the separator (or 对接人) before it and the title after it make a name unambiguous.
 */
const LONE_TITLE_RE = /(?<=[\s,，。、:：的跟和找见约陪]|对接人|联系人|负责人)([\u4e00-\u9fa5])(总经理|经理|老板|厂长|主任|部长|处长|科长|总监|主管)/g;
/** …有限公司 X总 …: a field of one character and 总 is a person too. */
const LONE_BOSS_RE = /(?<=[\s,，。、:：]|^)([\u4e00-\u9fa5])总(?=[\s,，。、:：]|$)/g;
/** Pronouns, determiners and verbs that take a person (陪老板, 找经理) are not surnames. */
const NOT_SURNAME = /[的我你他她它这那各副总老小该贵本们个位新原前大某两几每陪找问给见约请叫等带跟和与同让向被]/;

/** Capitalised English words reps mix in (Visited X, Call with X, Demo 定在…): never a person. */
const ENGLISH_WORD = /^(?:Ok|Pcs|Plc|Abb|Visited|Visit|Call|Called|Met|Meet|Check|Claim|Place|Follow|Quote|Demo|Budget|Send|Confirm|Eta|Order|Unit|Price|Discount|Today|Tomorrow|Next|Spec|Sample|Samples|Please|Thanks|Hi|Hello)$/i;

export interface ContactMention { name: string; index: number; end: number }

export function findContacts(text: string): ContactMention[] {
  const found: ContactMention[] = [...findEnglishContacts(text)];
  // Names before a title (TITLE_RE, LONE_TITLE_RE, LONE_BOSS_RE): none without a title's first character.
  const titled = TITLE_START.test(text);
  for (const m of titled ? text.matchAll(TITLE_RE) : []) {
    const after = text.slice(m.index + m[0].length);
    if (NOT_PERSON_AFTER.test(after)) continue;
    // 张总监 vs 张总: the regex alternation already prefers the longer title.
    found.push({ name: m[0], index: m.index, end: m.index + m[0].length });
  }
  for (const m of titled ? [...text.matchAll(LONE_TITLE_RE), ...text.matchAll(LONE_BOSS_RE)] : []) {
    if (NOT_SURNAME.test(m[1]!)) continue;
    found.push({ name: m[0], index: m.index, end: m.index + m[0].length });
  }
  for (const m of /[小老]/.test(text) ? text.matchAll(NICK_RE) : []) {
    if (NICK_NOT.test(text.slice(m.index))) continue;
    found.push({ name: m[0], index: m.index, end: m.index + m[0].length });
  }
  // LATIN_RE's name is a capital then a small letter: a message without one (most) is not scanned.
  for (const m of CAPITALISED.test(text) ? text.matchAll(LATIN_RE) : []) {
    const name = m[1]!;
    if (ENGLISH_WORD.test(name)) continue;
    found.push({ name, index: m.index, end: m.index + name.length });
  }
  return found
    .sort((a, b) => a.index - b.index)
    .filter((c, i, all) => i === 0 || c.index >= all[i - 1]!.end);
}

/**
 * The person the rep dealt with: the first one named, except someone who "was not there"
 * (陈总不在 见了采购小周 → 小周, 雷总没见着) when another person is named.
 */
export function pickContact(text: string, contacts = findContacts(text)): ContactMention | undefined {
  const present = contacts.filter((c) => !/^(?:不在|没在|没见|没碰|没来|出差|请假)/.test(text.slice(c.end)));
  return present[0] ?? contacts[0];
}
