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

/** The clause holding the due date, minus the date itself: "下周三带报价再去" → "带报价再去". */
export function nextActionAround(text: string, m: DateMention): string | undefined {
  let start = m.index;
  while (start > 0 && !CLAUSE_END.test(text[start - 1]!)) start--;
  let end = m.end;
  while (end < text.length && !CLAUSE_END.test(text[end]!)) end++;
  const after = text.slice(m.end, end).replace(/^(?:之前|以前|之内|以内|前|左右|的时候)/, "");
  const before = text.slice(start, m.index).replace(/(?:说|要求|需要我们|需要|让我们|让)$/, "");
  const pick = trimSeparators(after) || trimSeparators(before);
  return pick.length >= 2 ? pick.slice(0, 200) : undefined;
}

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
    const action = nextActionAround(text, f.due);
    if (action) out.next_action = action;
  }
  if (f.occurred) out.occurred = mentionToIso(f.occurred, timeZone);
  if (f.quantity !== undefined) out.quantity = f.quantity;
  if (f.amount !== undefined) out.amount = f.amount;
  const kind = detectKind(text, f.due?.index) ?? detectKind(text);
  if (kind) out.kind = kind;
  return out;
}
