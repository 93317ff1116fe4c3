/**
 * Finding the customer's company in a message. Reps name companies with or without suffixes
 * (华东机电, 华东机电设备有限公司, 上海ABB), usually right after a verb (拜访了X, 跟X的王经理, 查一下X),
 * or as the first "field" of a terse message (华东机电 王经理 电话 …).
 */
import { cleanName, levenshtein, normalizeCompanyName } from "../customer-match.ts";
import { findContacts } from "./contacts.ts";
import { SEPARATOR_CLASS } from "./text.ts";

export interface CompanyMention {
  /** The name as written, or the known customer's name when one matched. */
  name: string;
  /** Where it is in the text. */
  index: number;
  end: number;
  source: "known" | "trigger" | "position" | "suffix";
}

/** Verbs and prepositions that introduce a company. Longest first so 拜访了 wins over 拜访. */
const TRIGGERS = [
  "打电话给", "电话给", "打给", "拜访完了", "拜访完", "拜访过", "拜访了", "拜访", "拜方了", "拜方", "回访了", "回访", "去了一趟", "去了趟",
  "去过", "去了", "去趟", "跑了一趟", "跑了趟", "跑一趟", "跑趟", "见过", "见完了", "见完", "见了", "见到了", "见到", "碰到了", "碰到", "约了", "跟进一下", "跟进", "联系了", "联系", "沟通了", "沟通",
  "客户信息", "客户详情", "客户档案", "客户资料", "查询客户", "查询", "查一下", "查一查", "查下", "查查", "帮我看看", "帮我看下",
  "看一下", "看看", "看下", "调出", "调一下", "调下", "领一下", "领个", "领取客户", "领取", "认领", "公海里的", "公海的", "公海里", "上门", "客户", "从", "给", "跟", "和",
  "把", "去", "查",
];
const TRIGGER_RE = new RegExp(TRIGGERS.join("|"), "g");
/** A whole field that introduces the next field as the company: "电话 华东机电 …", "领 金鼎化工". */
const BARE_TRIGGER = /^(?:电话|微信|视频|电话沟通|电话联系|拜访|回访|客户|领|查|查询|跟进|上门拜访)$/;
/** A trigger's object that is a generic noun, not a name: 认领公海客户 苏州博远 → the name is the next field. */
const GENERIC_OBJECT = /^(?:公海(?:里|中)?的?|这个|一个|新|老)?(?:客户|公司|单位)?$/;
/** Where a company name ends. */
const BOUNDARY = new RegExp(
  "拜访|回访|见面|见了|见到|出来|去了|联系|沟通|跟进|上门|报了|签了|谈了|记录|联系人|负责人|是谁|是哪|我|开会|签约|谈|进度|进展|打了|打电话|打个|打完|通了|通电话|聊|吃|发了|约了|回来|现在|最近|目前|这个|这家|什么|啥|谁|我领|我来|我要|分给|那个|那边|这边|说|要|来电|视频|电话|微信|面谈|下单|下个单|改到|推迟|延后|往后|情况|资料|信息|档案|详情|客户|采购|老板|又|也|还|已|不在|没|让|请|报价|需要|需求|项目|今天|明天|后天|下周|月底|周[一二三四五六日天末]|\\d",
);
const LEADING_FILLER = /^(?:(?:微信|电话|钉钉|企微|视频)(?:上|里|中)|(?:过|了|完)?的|老客户|新客户|客户|今天|昨天|前天|刚才|刚刚|刚|上午|下午|早上|晚上|今晚|先说|再说|还有|然后|另外|又|也|就|一下|趟|了|个|一家|这家|那家)+/;
const TRAILING_FILLER = /(?:那边|这边|那里|这里|公司那边|的人|这个客户|客户)+$/;
const BAD_START = /^(?:周[一二三四五六日天末]|星期|礼拜|上次|下次|年底|月底|帮我|上午|下午|早上|晚上|中午|要|说|需|让|对|是|有|没|不|还|也|都|就|已|他|她|我|你|这|那|今天|明天|昨天|后天|一|把|被|和|跟|给|从|到|在|去|来|见|打|发|约|聊|问|看|查|所有|全部)/;
const BAD_CONTAINS = /报价|发货|样品|合同|签约|价格|同意|测试|方案|预算|需求|订单|付款|开会|电话|微信|拜访|跟进|回访|联系|沟通|今天|明天|后天|下周|月底|天气|吃饭|午饭|指令|管理员|所有|业绩|待办|任务|帮助/;
export const ORG_SUFFIX = /(?:有限责任公司|股份有限公司|有限公司|公司|集团|股份|科技|技术|电子|电器|电气|机电|机械|重工|化工|钢铁|物流|包装|建材|医药|医疗器械|医疗|汽配|汽车部件|汽车|五金|纺织|液压|电缆|环保|塑机|精密|光能|动力|机器人|智能|光学|玻璃|乳业|绿能|能源|材料|制造|工业|实业|贸易|商贸|电力|通信|软件|食品|饮料|化纤|塑料|橡胶|模具|仪器|仪表|自动化|书店|银行|医院|学校|大学|研究院|研究所|设计院|工厂|厂|部件|配件|智家|时代|国际|泵业|泵阀|水泵|阀门|阀业|轴承|传感|纺机|精工|石化|石油|机床|矿业|铸造|管业|线缆|自控|工控)$/;

/** Cut a name out of the text that follows a trigger. */
export function cutName(raw: string): string {
  let s = raw.replace(LEADING_FILLER, "");
  for (const t of TRIGGERS) if (s.startsWith(t) && t.length >= 2) s = s.slice(t.length).replace(LEADING_FILLER, "");
  const contact = findContacts(s).find((c) => c.index >= 2);
  if (contact) s = s.slice(0, contact.index);
  let de = s.indexOf("的");
  while (de >= 0 && de < 2) de = s.indexOf("的", de + 1);
  if (de >= 2) s = s.slice(0, de);
  const b = new RegExp(BOUNDARY.source, "g");
  for (const m of s.matchAll(b)) {
    if (m.index >= 2) {
      s = s.slice(0, m.index);
      break;
    }
  }
  return s.replace(TRAILING_FILLER, "").replace(/的$/, "");
}

export function isPlausibleCompany(s: string): boolean {
  if (s.length < 2 || s.length > 25) return false;
  const cjk = (s.match(/[\u4e00-\u9fa5]/g) ?? []).length;
  const latin = (s.match(/[A-Za-z]/g) ?? []).length;
  if (cjk < 2 && latin < 2) return false;
  if (/^\d/.test(s) || BAD_START.test(s) || BAD_CONTAINS.test(s)) return false;
  if (findContacts(s).some((c) => c.index === 0)) return false;
  return true;
}

interface Field { text: string; index: number }
function fields(text: string): Field[] {
  const out: Field[] = [];
  const re = new RegExp(`[^${SEPARATOR_CLASS}]+`, "g");
  for (const m of text.matchAll(re)) out.push({ text: m[0], index: m.index });
  return out;
}

/** Lower-cased text without spaces/punctuation, with the original index of every kept character. */
function squashWithMap(text: string): { s: string; map: number[] } {
  let s = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/[\s\p{P}\p{S}]/u.test(c)) continue;
    s += c.toLowerCase();
    map.push(i);
  }
  return { s, map };
}

/** Look for one of the rep's known customers, exactly or with a one-character typo. */
export function findKnownCustomer(text: string, known: string[]): CompanyMention | undefined {
  const { s: hay, map } = squashWithMap(text.normalize("NFKC"));
  let best: (CompanyMention & { len: number }) | undefined;
  for (const name of known) {
    for (const variant of new Set([cleanName(name), normalizeCompanyName(name)])) {
      const len = variant.length;
      if ([...variant].length < 2) continue;
      let idx = hay.indexOf(variant);
      if (idx < 0 && len >= 4) {
        for (let i = 0; i + len <= hay.length; i++) {
          if (levenshtein(hay.slice(i, i + len), variant) <= 1) { idx = i; break; }
        }
      }
      if (idx >= 0 && (!best || len > best.len)) {
        best = { name, index: map[idx]!, end: map[idx + len - 1]! + 1, source: "known", len };
      }
    }
  }
  return best && { name: best.name, index: best.index, end: best.end, source: best.source };
}

/** The company the message is about, or undefined. */
export function findCompany(text: string, knownCustomers: string[] = []): CompanyMention | undefined {
  const known = knownCustomers.length ? findKnownCustomer(text, knownCustomers) : undefined;
  if (known) return known;
  const fs = fields(text);
  const candidates: (CompanyMention & { score: number })[] = [];
  const add = (raw: string, index: number, source: CompanyMention["source"], base: number) => {
    const name = cutName(raw);
    if (!isPlausibleCompany(name)) return;
    const at = text.indexOf(name, index);
    const start = at < 0 ? index : at;
    candidates.push({ name, index: start, end: start + name.length, source, score: base + (ORG_SUFFIX.test(name) ? 1 : 0) });
  };
  let pendingBare = false;
  fs.forEach((f, i) => {
    // After 的 a trigger word is a noun (X的跟进记录, 谁的客户), not a verb introducing a company.
    const m = [...f.text.matchAll(TRIGGER_RE)].find((t) => f.text[t.index - 1] !== "的");
    if (BARE_TRIGGER.test(f.text)) {
      pendingBare = true;
      return;
    }
    if (m) {
      if (m.index >= 2) add(f.text.slice(0, m.index), f.index, "position", i === 0 ? 2 : 1);
      const rest = f.text.slice(m.index + m[0].length);
      if (rest.length === 0 || BARE_TRIGGER.test(rest) || GENERIC_OBJECT.test(rest)) pendingBare = true;
      else {
        add(rest, f.index + m.index + m[0].length, "trigger", 3);
        pendingBare = false;
      }
      return;
    }
    const next = fs[i + 1];
    const followedByContact = next !== undefined && findContacts(next.text).some((c) => c.index === 0);
    const endsWithContact = findContacts(f.text).some((c) => c.index >= 2 && c.end === f.text.length);
    if (pendingBare) add(f.text, f.index, "trigger", 3);
    else if (followedByContact || endsWithContact) add(f.text, f.index, "position", 3);
    else if (i === 0) add(f.text, f.index, "position", 2);
    else if (ORG_SUFFIX.test(cutName(f.text))) add(f.text, f.index, "suffix", 1);
    pendingBare = false;
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const best = candidates[0];
  return best && { name: best.name, index: best.index, end: best.end, source: best.source };
}
