/**
 * Date and time mentions in Chinese text, resolved in a given IANA zone (Asia/Shanghai by default)
 * whatever the machine's TZ. Built on chrono-node's zh parser plus the phrases in chrono-zh.ts.
 *
 * Default times when the text names a day but no clock time: 09:00; 早上 08:00, 上午 09:00,
 * 中午 12:00, 下午 14:00, 傍晚 17:00, 晚上/今晚 19:00. A bare "3点" between 1 and 6 means 15:00.
 */
import * as chrono from "chrono-node";
import { createZhChrono } from "./chrono-zh.ts";
import { compareDates, formatLocalIso, toLocal, type LocalDateTime } from "../../core/local-time.ts";

export interface DateMention {
  /** Position of the phrase in the text. */
  index: number;
  end: number;
  text: string;
  local: LocalDateTime;
  /** True when the text named a clock time or a part of the day. */
  hasTime: boolean;
}

export const DEFAULT_HOUR = 9;
const PART_OF_DAY: [RegExp, number][] = [
  [/凌晨/, 6], [/早上|早晨|一早|清早|[今明]早|早/, 8], [/上午/, 9], [/中午/, 12], [/下午/, 14],
  [/傍晚/, 17], [/晚上|[今明]晚|夜里|晚/, 19],
];
const MERIDIEM = /凌晨|早|上午|中午|下午|傍晚|晚|夜|am|pm/i;

let zh: ReturnType<typeof createZhChrono> | undefined;
/** English date words ("follow up next Monday"): only then is chrono's English parser asked too. */
const EN_DATE_HINT = /\b(?:today|tonight|tomorrow|next|this|(?:mon|tues|wednes|thurs|fri|satur|sun)day|in \d+ (?:days?|weeks?|months?))\b/i;

/**
 * 12.10 / 1.5号 written for a date (month.day): only before a verb, 号/日 or the end, and never after a
 * price word or currency, so 12.5万, 单价4.5, 1.5吨 stay numbers.
 */
const DOTTED_DATE = /(?<![\d.¥￥$])(?<!(?:价|价格|报价|预算|金额|总价|约|大概|大约)\s*)(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?=(?:号|日)?(?:$|\s|[前之再去来打给发回约见联跟到开签交送看问上下早中晚]))/g;

/** Hide things that look like dates but are not (order numbers, tracking numbers, long digit runs, versions). */
function mask(text: string): string {
  return text
    // chrono drops "12.10" as a plain number; the same length keeps every index valid.
    .replace(DOTTED_DATE, "$1月$2")
    // 对比一下下周一 is 一下 + 下周一, not 下下周一 (the week after next).
    .replace(/一下(?=下(?:周|礼拜|星期|个?月))/g, "##")
    .replace(/SO[-_ ]?\d{8}[-_ ]?\d{3,4}/gi, (s) => "#".repeat(s.length))
    .replace(/[A-Za-z]*\d{6,}[A-Za-z]*/g, (s) => "#".repeat(s.length))
    .replace(/[A-Za-z]+\d*-\d+/g, (s) => "#".repeat(s.length)); // S7-1200
}

/** 周三, 星期二下午: a weekday without 下/上/这 before it. */
const BARE_WEEKDAY = /^(?:周|星期|礼拜)[一二三四五六日天](?![一二三四五六日天])/;
/** 15号, 3日, 十九号: a day of the month with no month. */
const DAY_ONLY = /^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[号日]/;
function shiftMonths(l: LocalDateTime, months: number): void {
  const d = new Date(Date.UTC(l.year, l.month - 1 + months, 1));
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  l.year = d.getUTCFullYear();
  l.month = d.getUTCMonth() + 1;
  l.day = Math.min(l.day, last);
}
function shiftDays(l: LocalDateTime, days: number): void {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  l.year = d.getUTCFullYear();
  l.month = d.getUTCMonth() + 1;
  l.day = d.getUTCDate();
}

/**
 * Every date in the text. `localNow` is the wall clock of `now` in `timeZone` (toLocal), passed by a caller that reads it
 * for several steps of one message (index.ts), so the zone is asked once.
 */
export function findDateMentions(text: string, now: Date, timeZone: string, localNow = toLocal(now, timeZone)): DateMention[] {
  zh ??= createZhChrono();
  const n = localNow;
  // A reference whose machine-local fields equal the wall clock in `timeZone` (see chrono-zh.ts).
  const ref = new Date(n.year, n.month - 1, n.day, n.hour, n.minute, n.second);
  const masked = mask(text);
  let results = zh.parse(masked, ref);
  if (EN_DATE_HINT.test(text)) {
    const en = chrono.en.casual.parse(masked, ref, { forwardDate: true }).filter((r) => /[a-z]/i.test(r.text));
    results = [...results, ...en].sort((a, b) => a.index - b.index);
  }
  const mentions: DateMention[] = [];
  for (const r of results) {
    const s = r.start;
    const local: LocalDateTime = {
      year: s.get("year") ?? n.year, month: s.get("month") ?? n.month, day: s.get("day") ?? n.day,
      hour: DEFAULT_HOUR, minute: 0,
    };
    // What follows says it already happened (12月1号去的…, 周三拜访了…): the day is the past one.
    // (周四 下午 去了…: chrono gives 下午 as its own result, joined below; look past it.)
    const rest = text.slice(r.index + r.text.length).replace(/^\s*(?:(?:早上|上午|中午|下午|傍晚|晚上)\s*|[\d一二三四五六七八九十两]+点(?:半|[\d一二三四五六七八九十]+分?)?\s*)*/, "");
    const reportsPast = PAST_CLAUSE.test(rest) && !FUTURE_HINT.test(/^[^，,。；;\s]*/.exec(rest)?.[0] ?? "");
    const said = r.text.trim();
    // 11月30日 with no year: the next such day, never one in the past — unless the clause reports it done.
    if (!s.isCertain("year") && s.isCertain("month") && compareDates(local, n) < 0 && !reportsPast) local.year += 1;
    // A bare weekday (周三, 周四下午) chrono reads forward; 周三拜访了 on a Saturday is three days ago.
    if (reportsPast && BARE_WEEKDAY.test(said) && compareDates(local, n) > 0) shiftDays(local, -7);
    // chrono's zh parser reads 12月1号 forward (next year, or this year's December in January, marked certain);
    // reported done, it is the last such day.
    // Read forward, 12月29号 on 6 January is almost a year away; read back it is last week: said without
    // a plan word, it is the past one.
    if (!/年/.test(said) && /月/.test(said) && compareDates(local, n) > 0) {
      const back = { ...local, year: local.year - 1 };
      const daysBack = (Date.UTC(n.year, n.month - 1, n.day) - Date.UTC(back.year, back.month - 1, back.day)) / 86_400_000;
      const planned = FUTURE_HINT.test(/^[^，,。；;\s]*/.exec(rest)?.[0] ?? "");
      if (daysBack >= 0 && (reportsPast || (!planned && daysBack <= OCCURRED_MAX_DAYS))) local.year -= 1;
    }
    // 15号 alone: this month's 15th — the coming one for a plan, the past one for a report.
    if (DAY_ONLY.test(said)) {
      const day = local.day;
      Object.assign(local, { year: n.year, month: n.month, day });
      if (reportsPast && compareDates(local, n) > 0) shiftMonths(local, -1);
      else if (!reportsPast && compareDates(local, n) < 0) shiftMonths(local, 1);
    }
    let hasTime = true;
    if (/小时|分钟|秒/.test(r.text)) {
      local.hour = s.get("hour") ?? n.hour;
      local.minute = s.get("minute") ?? n.minute;
    } else if (s.isCertain("hour")) {
      local.hour = s.get("hour") ?? DEFAULT_HOUR;
      local.minute = s.get("minute") ?? 0;
      if (!MERIDIEM.test(r.text) && local.hour >= 1 && local.hour <= 6) local.hour += 12;
    } else {
      const part = PART_OF_DAY.find(([re]) => re.test(r.text));
      if (part) local.hour = part[1];
      else hasTime = false;
    }
    const mention = { index: r.index, end: r.index + r.text.length, text: text.slice(r.index, r.index + r.text.length), local, hasTime };
    // chrono leaves "下周三" + "下午" and "12月5号" + "上午" as two results: join a bare part of the day
    // (or clock time) to the date right before it.
    const prev = mentions.at(-1);
    // A word or two in between (明天大概两点, 明天下吾两点 with a typo) still belongs to the same time.
    const gap = text.slice(prev?.end ?? 0, mention.index);
    if (prev && !prev.hasTime && hasTime && /^(?:\s*|[^\s，,。；;！!？?]{1,2})$/.test(gap) && !/[天日号周月]/.test(mention.text)) {
      prev.local.hour = local.hour;
      prev.local.minute = local.minute;
      prev.hasTime = true;
      prev.end = mention.end;
      prev.text = text.slice(prev.index, prev.end);
      continue;
    }
    mentions.push(mention);
  }
  return mentions;
}

/** Words after a date that show the sentence reports the past: 今天下午去了…, 拜访过, 今天拜访的X. */
const PAST_CLAUSE = /^[^，,。；;\s]{0,16}?(?:了|过(?![去来])|(?:拜访|见|去|聊|谈|来|打|约|碰|签)的)/;
const FUTURE_HINT = /约|再|要|将|准备|计划|安排|打算|得|需|之前|前/;

/**
 * The date a follow-up is due: the last mention that lies in the future (today counts unless the clause
 * reports something already done, like 今天拜访了… or 上午去了…).
 */
export function pickFutureMention(text: string, mentions: DateMention[], now: Date, timeZone: string, localNow = toLocal(now, timeZone)): DateMention | undefined {
  const n = localNow;
  const future = mentions.filter((m) => {
    if (/^(?:现在|立刻|立即|即刻|马上)$/.test(m.text.trim())) return false; // "now" is not a due date
    const cmp = compareDates(m.local, n);
    if (cmp < 0) return false;
    if (cmp > 0) return true;
    const after = text.slice(m.end);
    const clause = /^[^，,。；;\s]*/.exec(after)?.[0] ?? "";
    if (/^(?:今天|今日|今儿|today)$/i.test(m.text.trim()) && !m.hasTime && !FUTURE_HINT.test(clause)) return false;
    return !(PAST_CLAUSE.test(after) && !FUTURE_HINT.test(clause));
  });
  return future.at(-1);
}

/** 上周, 上个月, 上周末 alone name no day: the visit is not placed on a guessed one. */
const VAGUE_SPAN = /^(?:上上?|这|本)?个?(?:周|礼拜|星期|月)(?:末|底|初)?$/;
/** …过的 / …的时候 after the date: background (上周五见过的王总), not when this contact happened. */
const BACKGROUND_AFTER = /^[^，,。；;\s]{0,10}?(?:过的|的时候)/;
export const OCCURRED_MAX_DAYS = 30;

/**
 * When the reported contact happened (昨天下午打电话给…, 周三去了…, 上午见了…): a mention at the start of a
 * clause that lies in the past — an earlier day within OCCURRED_MAX_DAYS, or a time earlier today in a clause
 * that reports something done. Reps often log yesterday's visit the next morning; without this the visit
 * would count for the wrong day.
 */
export function pickPastMention(text: string, mentions: DateMention[], now: Date, timeZone: string, due?: DateMention, localNow = toLocal(now, timeZone)): DateMention | undefined {
  // 刚跟X通完电话…昨天发的样品: a message that opens with 刚 reports a contact just now, whatever else it dates.
  if (/^\s*(?:我|今天)?(?:刚刚?|刚才)/.test(text)) return undefined;
  const n = localNow;
  const nowMinutes = n.hour * 60 + n.minute;
  for (const m of mentions) {
    if (m === due || (due && m.index >= due.index)) break;
    const head = /[^，,。；;\s]*$/.exec(text.slice(0, m.index))?.[0] ?? "";
    if (head.length > 6) continue; // 后来聊到昨天的事: deep in a clause, not when this contact happened
    const after = text.slice(m.end);
    if (BACKGROUND_AFTER.test(after)) continue;
    const cmp = compareDates(m.local, n);
    if (cmp < 0) {
      if (VAGUE_SPAN.test(m.text.trim())) continue;
      const days = (Date.UTC(n.year, n.month - 1, n.day) - Date.UTC(m.local.year, m.local.month - 1, m.local.day)) / 86_400_000;
      if (days <= OCCURRED_MAX_DAYS) return m;
      continue;
    }
    // 上午十点半在X…, 中午在客户那吃的饭 said at 15:00: an earlier time today reports, unless the clause plans.
    const clause = /^[^，,。；;\s]*/.exec(after.replace(/^\s+/, ""))?.[0] ?? "";
    if (cmp === 0 && m.hasTime && m.local.hour * 60 + m.local.minute < nowMinutes && !FUTURE_HINT.test(clause)) return m;
  }
  return undefined;
}

export function mentionToIso(m: DateMention, timeZone: string): string {
  return formatLocalIso(m.local, timeZone);
}
