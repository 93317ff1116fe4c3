/** complete_task / snooze_task: which task (list number or words) and until when. */
import type { IntentOf } from "../intent.ts";
import { findDateMentions, mentionToIso } from "./dates.ts";
import { parseChineseNumeral } from "./numbers.ts";
import { addDays, formatInstantIso, formatLocalIso, toLocal } from "../../core/local-time.ts";
import { blank, trimSeparators } from "./text.ts";

const COMPLETE_WORDS = /已经?处理(?:完|好|掉)?了?|处理掉了|已办结?|已经?办了|已搞定|已经?跟进完了?|跟完了|办好了|已经?完成了?|完成了?|搞定了?|做完了?|弄完了?|办完了?|\bdone\b|做好了|弄好了|处理完了?|处理好了|结束了|任务完成/gi;
const SNOOZE_WORDS = /推迟|延后|延到|延至|延迟|往后延|拖到|推至|延期|推到|改到|挪到|移到|往后挪|挪一下|改期|往后推|推后|顺延|稍后提醒我?|再提醒我?|晚点提醒我?|提醒我|推一下|放一放|放放|缓一缓|缓缓|先搁着|搁置|暂缓|snooze/gi;
/** A list number after a task noun or a number sign (任务9, 待办 7, 编号12, #5), not a date (任务12月…). */
const TASK_LABEL = /(?:任务|待办|事项|编号|序号|[#＃])\s*[#＃]?\s*(\d{1,3})(?![\d.月号天日点])/;
const TASK_NOISE = /^(?:把|将|给我|帮我)|(?:那个|这个|那件事|的任务|任务|待办|已经|了|吧|一下)+$|^(?:那个|这个)/g;

/** "完成 2", "第3个", "2号任务", "第一个待办" → "3"; undefined when no list number is given. */
export function taskNumber(text: string): string | undefined {
  const ordinal = /第\s*(\d+|[一二三四五六七八九十]+)\s*[个条项]?/.exec(text);
  if (ordinal) return String(/^\d+$/.test(ordinal[1]!) ? Number(ordinal[1]) : parseChineseNumeral(ordinal[1]!));
  const numbered = /(\d{1,3})\s*号(?:任务|待办|事项)/.exec(text);
  if (numbered) return numbered[1];
  // 任务9, 待办 7, 编号12, #5, 任务#3: a task noun or number sign in front names the list number.
  const labelled = TASK_LABEL.exec(text);
  if (labelled) return labelled[1];
  // 把2推迟到下周二: the object of 把 is the task.
  const ba = /把\s*(\d{1,3})(?![\d号月天点日])/.exec(text);
  if (ba) return ba[1];
  const field = /(?:^|[\s,，])(\d{1,3})(?=$|[\s,，])/.exec(text);
  if (field) return field[1];
  // 完成2, 2搞定了, 4推到下周一, 2号延期: a number glued to the verb (at the start when it comes first).
  const glued = /(?:完成|推迟|延后|延期|改期|done)\s*(\d{1,3})(?!\d|号|月|天|点|日)|(?<!\d)(\d{1,3})\s*(?:完成|done)|^(\d{1,3})\s*[号个条]?\s*(?:先|再|就|也|暂时)?\s*(?=放一放|放放|缓|搁|暂缓|搞定|做完|弄完|办完|跟完|跟进完|处理完|办好|推|延|改到|改期|挪|顺延)/i.exec(text);
  if (glued) return glued[1] ?? glued[2] ?? glued[3];
  return undefined;
}

function taskText(text: string, words: RegExp, cut: { index: number; end: number }[] = []): string | undefined {
  let s = blank(text, cut).replace(words, " ");
  s = s.replace(/(?:到|至)\s*$/g, "").replace(/\s+/g, " ");
  s = trimSeparators(s).replace(TASK_NOISE, "");
  s = trimSeparators(s.replace(/\s*(?:到|至)\s*$/, ""));
  return s.length >= 2 ? s.slice(0, 100) : undefined;
}

export function buildCompleteTask(text: string): IntentOf<"complete_task"> {
  const task = taskNumber(text) ?? taskText(text, COMPLETE_WORDS);
  return task ? { intent: "complete_task", task } : { intent: "complete_task" };
}

const DURATION_RE = /(\d+|[一二两三四五六七八九十半]+)\s*(?:个)?\s*(分钟|小时|钟头|天|日|周|星期|礼拜|月)/;

export function buildSnoozeTask(text: string, now: Date, timeZone: string): IntentOf<"snooze_task"> {
  const num = taskNumber(text);
  const numSpan = num ? /第\s*[\d一二三四五六七八九十]+\s*[个条项]?|\d{1,3}\s*号(?:任务|待办|事项)|(?:任务|待办|事项|编号|序号|[#＃])\s*[#＃]?\s*\d{1,3}|(?<![\d月])\d{1,3}(?![\d号月天点日])/.exec(text) : null;
  const masked = numSpan ? blank(text, [{ index: numSpan.index, end: numSpan.index + numSpan[0].length }]) : text;
  const mentions = findDateMentions(masked, now, timeZone);
  let until: string | undefined;
  const last = mentions.at(-1);
  const afterSnooze = /(?:推迟|延后|延期|延迟|往后推|往后延|推后|顺延|推|延)\s*(?:了)?/.exec(masked);
  const dur = afterSnooze ? DURATION_RE.exec(masked.slice(afterSnooze.index + afterSnooze[0].length)) : null;
  if (dur && !(last && last.index >= (afterSnooze?.index ?? 0))) {
    const n = /^\d+$/.test(dur[1]!) ? Number(dur[1]) : dur[1] === "半" ? 0.5 : parseChineseNumeral(dur[1]!);
    const unit = dur[2]!;
    if (/分钟|小时|钟头/.test(unit)) until = formatInstantIso(new Date(now.getTime() + n * (unit === "分钟" ? 60e3 : 3600e3)), timeZone);
    else {
      const days = unit === "月" ? Math.round(30 * n) : /周|星期|礼拜/.test(unit) ? Math.round(7 * n) : Math.round(n);
      const d = addDays(toLocal(now, timeZone), days);
      until = formatLocalIso({ ...d, hour: 9, minute: 0 }, timeZone);
    }
  } else if (last) {
    until = mentionToIso(last, timeZone);
  } else if (/稍后|等会|等一下|晚点|一会/.test(text)) {
    until = formatInstantIso(new Date(now.getTime() + 3600e3), timeZone);
  } else {
    until = formatLocalIso({ ...addDays(toLocal(now, timeZone), 1), hour: 9, minute: 0 }, timeZone);
  }
  const spans = mentions.map((m) => ({ index: m.index, end: m.end }));
  if (dur && afterSnooze) {
    const i = afterSnooze.index + afterSnooze[0].length + dur.index;
    spans.push({ index: i, end: i + dur[0].length });
  }
  const task = num ?? taskText(masked, SNOOZE_WORDS, spans);
  return task ? { intent: "snooze_task", task, until } : { intent: "snooze_task", until };
}
