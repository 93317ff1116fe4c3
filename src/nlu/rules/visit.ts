/** log_visit: customer, contact, summary, next action with its due time, quantity, amount, kind. */
import type { IntentOf } from "../intent.ts";
import { mentionToIso, type DateMention } from "./dates.ts";
import { SEPARATOR_CLASS, trimSeparators } from "./text.ts";

const KINDS: [RegExp, "visit" | "call" | "message"][] = [
  [/电话|打了个?电话|通话|来电|致电|视频|语音|\bcall\b/gi, "call"],
  [/微信|消息|短信|邮件|钉钉|企微|发了报价|qq/gi, "message"],
  // Going somewhere counts as a visit however it is said: 去了/去的/去过, 跑了(一)趟, 从X回来/出来.
  [/拜访|拜方|见面|面聊|送(?:了|过去|去了)\S{0,10}(?:样品|样板|资料)|去(?:现场)?看(?:了|过)|去[^\s，,。；;]{2,20}?看了|过去看了?|去现场|从\S{2,20}(?:回来|出来)|见了|见完|见到|去了|去的|去趟|跑了|跑一?趟|上门|面谈|碰到|吃了个饭|吃饭|到访|约了饭|跑客户|回访|(?:转|逛)了(?:一圈|一下|转|一趟)/g, "visit"],
];

/** 上周拜访过的恒通物流…今天回电话了: a verb in a clause about an earlier contact does not say how this one happened. */
function isBackground(text: string, index: number, end: number): boolean {
  const after = text.slice(end);
  if (/^过的/.test(after)) return true;
  if (!/(?:上次|上周|上回|之前|以前|上个月)\S{0,2}$/.test(text.slice(Math.max(0, index - 5), index))) return false;
  // 上周五打电话给X / 上周三见了X opening the message: that is when this contact happened, not background.
  const lead = /^(?:上周|上个?礼拜|上星期)[一二三四五六日天]/.exec(text);
  return !(lead && index - lead[0].length <= 2 && !/^过/.test(after));
}

/** Kind of contact: the earliest telling word wins (电话回访 is a call, 微信聊…下周电话确认 a message). */
export function detectKind(text: string, until = text.length): "visit" | "call" | "message" | undefined {
  const head = text.slice(0, until);
  let best: { at: number; kind: "visit" | "call" | "message" } | undefined;
  for (const [re, kind] of KINDS) {
    const m = [...head.matchAll(re)].find((x) => !isBackground(head, x.index, x.index + x[0].length));
    if (m && (!best || m.index < best.at)) best = { at: m.index, kind };
  }
  return best?.kind;
}

const CLAUSE_END = new RegExp(`[${SEPARATOR_CLASS}]`);

/** 王总说 / 对方要求 / 客户反馈: who said it, cut off the front of a clause so the to-do says what must happen. */
const SPEAKER = /^.*(?:说(?!明|服)|讲(?!解|座)|表示|提到|反馈|要求|希望)了?/;
/** A bare verb for a thing named just before (报价表更新一下 周五发给他): the to-do needs that thing. */
const BARE_VERB = /^(?:再|就)?(?:发|给|回|交|寄|送|安排|确认|答复|回复|落实|出|定)(?:给|过去|回来|一下|下)?(?:他|她|他们|她们|对方|客户|我们)?$/;
/** A clause that is only a person (王工, 采购部李姐, 老周): never a to-do. */
const PERSON_ONLY = /^(?:[\u4e00-\u9fff]{0,4}(?:总|工|经理|姐|哥|主任|老板|老师|主管|厂长|科长|处长|部长|总监|助理|会计|秘书)|[老小][\u4e00-\u9fff])$/;
/** 明天, 后天下午, 下周一, 这周五, 星期三: a day counted from the day the message was written. */
const RELATIVE_DAY = /^(?:今|明|后|大后)天|^(?:今|明)[早晚]|^(?:下+个?|这|本)?(?:周|星期|礼拜)[一二三四五六日天1-7]/;
/** 让我们派人去接: the customer asks the rep to do something, in the clause after what they said. */
const ASKED = /^(?:让|叫|要|请)(?:我们|我|咱们|咱)(?:过去)?/;

function clauseAt(text: string, from: number, to: number): { start: number; end: number } {
  let start = from;
  while (start > 0 && !CLAUSE_END.test(text[start - 1]!)) start--;
  let end = to;
  while (end < text.length && !CLAUSE_END.test(text[end]!)) end++;
  return { start, end };
}

/**
 * The to-do a visit log asks for, from the clause holding the due date: "下周三带报价再去" → "带报价再去";
 * "合同要在月底前签" → the whole clause (the date is inside the action); "王总说货要提前到下周一" → "货要提前到下周一"
 * (not who said it); "报价表更新一下 周五发给他" and "样品寄过去 下周一之前" → the clause before, which names the thing;
 * "张工说设备明天到现场 让我们派人去接" → what the rep was asked to do. Never a clause that is only the customer or a
 * person (`names`: the customer and contact as found).
 */
export function nextActionAround(text: string, m: DateMention, names: string[] = []): string | undefined {
  const { start, end } = clauseAt(text, m.index, m.end);
  const rawAfter = text.slice(m.end, end);
  const deadline = /^(?:之前|以前|前)/.test(rawAfter);
  const after = trimSeparators(rawAfter.replace(/^(?:之前|以前|之内|以内|前|左右|的时候)/, ""));
  const named = (s: string) => names.some((n) => n.length >= 2 && s.includes(n));
  let before = trimSeparators(text.slice(start, m.index).replace(SPEAKER, "").replace(/(?:需要我们|需要|让我们|让)$/, ""));
  if (named(before)) before = "";

  const next = clauseAt(text, Math.min(text.length, end + 1), Math.min(text.length, end + 1));
  const asked = end < text.length ? ASKED.exec(text.slice(next.start, next.end)) : null;
  const task = asked ? trimSeparators(text.slice(next.start + asked[0].length, next.end)) : "";
  // 叫我一起 asks for company, not a task: then the clause itself says what happens.
  if (task.length >= 3 && SPEAKER.test(text.slice(start, m.index))) return fit(task);

  if (after.length >= 5) return fit(after);
  // The date sits inside the action (合同要在月底前签, 货要提前到下周一, 报价单明天发她): the clause as written, except a
  // relative day that only says when (明天, 下周一): read in a to-do list on another day it is wrong, and the due
  // date stands beside the title anyway. A bound (周三前交) or an object (提前到下周一) stays.
  if (before.length >= 2) {
    const when = text.slice(m.index, m.end);
    const keep = deadline || /[到在于]$/.test(before) || !RELATIVE_DAY.test(when);
    return fit(`${before}${keep ? when : ""}${deadline ? "前" : ""}${after}`);
  }
  // A bare verb or nothing but the date: the thing to do is named in the clause before.
  if (!after || BARE_VERB.test(after)) {
    const prev = start > 1 ? clauseAt(text, start - 1, start - 1) : null;
    const p = prev ? trimSeparators(text.slice(prev.start, prev.end)) : "";
    if (p.length >= 2 && !named(p) && !PERSON_ONLY.test(p)) return fit(after ? `${p} ${after}` : p);
  }
  // 15号前到货, 月底前定方案: a short deadline reads better with its date.
  if (after && deadline && after.length <= 4) return fit(`${text.slice(m.index, m.end)}前${after}`);
  return fit(after);
}

const fit = (s: string): string | undefined => {
  const t = trimSeparators(s);
  return t.length >= 2 ? t.slice(0, 200) : undefined;
};

export interface VisitFacts {
  customer: string;
  contact?: string;
  due?: DateMention;
  occurred?: DateMention;
  quantity?: number;
  amount?: number;
}

export function buildLogVisit(text: string, f: VisitFacts, timeZone: string): IntentOf<"log_visit"> {
  const out: IntentOf<"log_visit"> = { intent: "log_visit", customer: f.customer, summary: text.slice(0, 1000) };
  if (f.contact) out.contact = f.contact;
  if (f.due) {
    out.due = mentionToIso(f.due, timeZone);
    const action = nextActionAround(text, f.due, [f.customer, f.contact ?? ""]);
    if (action) out.next_action = action;
  }
  if (f.occurred) out.occurred = mentionToIso(f.occurred, timeZone);
  if (f.quantity !== undefined) out.quantity = f.quantity;
  if (f.amount !== undefined) out.amount = f.amount;
  const kind = detectKind(text, f.due?.index) ?? detectKind(text);
  if (kind) out.kind = kind;
  return out;
}
