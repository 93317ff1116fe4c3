/**
 * chrono-node's Simplified-Chinese casual parser (`chrono.zh.hans`), adapted for how Chinese sales reps
 * write dates. chrono 2.10 exposes both `chrono.zh` (hans+hant) and `chrono.zh.hans`; we use hans.
 *
 * Changes:
 *  - its month-day parser takes a preceding number for a year (单价1800 12月8号 → 1800-12-08), so it is
 *    replaced too.
 *  - its weekday parsers count weeks from Sunday (so on a Sunday 下周三 is 10 days away, and 这周日 is in
 *    the past); Chinese weeks start on Monday, so both are replaced.
 *  - phrases chrono lacks: 月底/月初/月中/中旬/年底, 下个月5号, 5号, 下周/下礼拜 (no day = Monday),
 *    周末, 下旬, 元月5号, 下下周X, N天以后, N周后, 12/5, 明儿 (12.10 is rewritten to 12月10 in dates.ts).
 *
 * Every parser works on `context.refDate`'s machine-local fields; dates.ts hands chrono a reference
 * whose machine-local wall clock equals the wall clock in the requested zone, so the machine's TZ
 * never leaks in.
 */
import * as chrono from "chrono-node";
import { addDays, daysInMonth, isoWeekday } from "../../core/local-time.ts";
import { parseChineseNumeral } from "./numbers.ts";

type Ctx = chrono.ParsingContext;
type YMD = { year: number; month: number; day: number };

const today = (ctx: Ctx): YMD => {
  const d = ctx.refDate;
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
};
const num = (s: string | undefined): number => (s === undefined ? NaN : /^\d+$/.test(s) ? Number(s) : parseChineseNumeral(s));
const known = (ctx: Ctx, d: YMD) => ctx.createParsingComponents({ year: d.year, month: d.month, day: d.day });
/** Month arithmetic: the month `delta` months after (year, month). */
const shiftMonth = (year: number, month: number, delta: number) => {
  const i = year * 12 + (month - 1) + delta;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
};
const RELATIVE = (p: string | undefined): number | null =>
  p === undefined ? null : ({ 上上: -2, 上: -1, 这: 0, 本: 0, 今: 0, 下: 1, 下下: 2 } as Record<string, number>)[p] ?? null;
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 末: 6, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7 };
const CN_SMALL = "[一二两三四五六七八九十]";
/**
 * chrono asks every parser for its pattern on every parse: each one here is built once. None has the g or y flag, so
 * chrono's exec keeps no state in it between texts.
 */
const fixed = (re: RegExp) => (): RegExp => re;

/** 下周三, 这周五, 本礼拜天, 周五, 下下周一, 下周 (=Monday), 周末 (=Saturday); weeks start on Monday. */
const weekdayParser: chrono.Parser = {
  pattern: fixed(/(上上|下下|上|下|这|本|今)?(?:个)?(?:星期|礼拜|周)([一二三四五六日天末1-7])?/),
  extract(ctx, m) {
    const prefix = m[1];
    const wdChar = m[2];
    const before = ctx.text[m.index! - 1] ?? "";
    if (before === "每" || before === "个" && !prefix) return null;
    const rel = RELATIVE(prefix);
    if (!wdChar && (rel === null || rel === 0)) return null; // bare 周 / 本周: not a date
    const wd = wdChar ? WEEKDAY[wdChar]! : 1;
    const t = today(ctx);
    const todayWd = isoWeekday(t);
    let target: YMD;
    if (rel === null) {
      target = addDays(t, (wd - todayWd + 7) % 7); // next occurrence, today included
    } else {
      const monday = addDays(t, 1 - todayWd + 7 * rel);
      target = addDays(monday, wd - 1);
    }
    const c = known(ctx, target);
    if (wdChar && wdChar !== "末") c.assign("weekday", wd % 7);
    return c;
  },
};

/** 三天以后 / 3天后 / N周后 / N个星期以后 / 一周内 / 10天内: that many days or weeks from today. */
const laterParser: chrono.Parser = {
  pattern: fixed(new RegExp(`(\\d+|${CN_SMALL}+|半)\\s*个?(天|日|周|星期|礼拜)(?:之|以)?(?:后|内)`)),
  extract(ctx, m) {
    const n = m[1] === "半" ? 0.5 : num(m[1]);
    const days = /天|日/.test(m[2]!) ? n : 7 * n;
    if (!Number.isFinite(days) || days <= 0 || days > 366) return null;
    return known(ctx, addDays(today(ctx), Math.round(days)));
  },
};

/** 过两天 / 过几天 / 过一周 / 过个把月: that long from today. */
const afterPeriodParser: chrono.Parser = {
  pattern: fixed(new RegExp(`过\\s*(\\d+|${CN_SMALL}+|几|个把)\\s*个?(天|日|周|星期|礼拜|月)`)),
  extract(ctx, m) {
    const n = m[1] === "几" ? 3 : m[1] === "个把" ? 1 : num(m[1]);
    if (!Number.isFinite(n) || n <= 0 || n > 365) return null;
    const days = m[2] === "月" ? 30 * n : /周|星期|礼拜/.test(m[2]!) ? 7 * n : n;
    return known(ctx, addDays(today(ctx), days));
  },
};

/** 月底, 下个月底, 3月底, 月初, 下月中旬, 年底. */
const periodPartParser: chrono.Parser = {
  pattern: fixed(new RegExp(`(?:(下下|下|这|本|上)个?|(\\d{1,2}|${CN_SMALL}{1,3}))?(月|年)份?(底|末|初|中旬|上旬|下旬|中)`)),
  extract(ctx, m) {
    const [, prefix, monthText, unit, part] = m;
    const before = ctx.text[m.index! - 1] ?? "";
    if (!prefix && !monthText && /[个\d]/.test(before)) return null; // 三个月中, 2个月底
    const t = today(ctx);
    if (unit === "年") {
      if (monthText) return null;
      const year = t.year + (RELATIVE(prefix) ?? 0) + (part === "初" && !prefix ? 1 : 0);
      if (part === "初") return known(ctx, { year, month: 1, day: 1 });
      if (part === "底" || part === "末") return known(ctx, { year, month: 12, day: 31 });
      return null;
    }
    let ym: { year: number; month: number };
    if (monthText) {
      const month = num(monthText);
      if (!(month >= 1 && month <= 12)) return null;
      ym = { year: month < t.month ? t.year + 1 : t.year, month };
    } else {
      ym = shiftMonth(t.year, t.month, RELATIVE(prefix) ?? 0);
    }
    const bare = !prefix && !monthText;
    let day: number;
    switch (part) {
      case "底": case "末": day = daysInMonth(ym.year, ym.month); break;
      case "初": if (bare) ym = shiftMonth(t.year, t.month, 1); day = 1; break;
      case "上旬": day = 5; break;
      case "下旬": day = 25; break;
      default: day = 15; // 中, 中旬
    }
    if (bare && part !== "初" && day < t.day) {
      ym = shiftMonth(ym.year, ym.month, 1);
      if (part === "底" || part === "末") day = daysInMonth(ym.year, ym.month);
    }
    return known(ctx, { ...ym, day });
  },
};

/** 上旬 / 中旬 / 下旬 alone: this month's (5th, 15th, 25th), next month's once past. */
const bareXunParser: chrono.Parser = {
  pattern: fixed(/(?<![月年底初])(上旬|中旬|下旬)/),
  extract(ctx, m) {
    const t = today(ctx);
    const day = { 上旬: 5, 中旬: 15, 下旬: 25 }[m[1] as "上旬" | "中旬" | "下旬"];
    const ym = day < t.day ? shiftMonth(t.year, t.month, 1) : { year: t.year, month: t.month };
    return known(ctx, { ...ym, day });
  },
};

/** 下个月5号, 下月10日, 这个月20号, 下个月 (= the 1st). */
const relativeMonthDayParser: chrono.Parser = {
  pattern: fixed(new RegExp(`(下下|下|这|本|上)个?月份?(?:(\\d{1,2}|${CN_SMALL}{1,3})(?:号|日)?|(?![底末初中上下旬]))`)),
  extract(ctx, m) {
    const t = today(ctx);
    const ym = shiftMonth(t.year, t.month, RELATIVE(m[1]) ?? 0);
    // 下个月30号 in January: the rep means the end of February, not nothing.
    const day = Math.min(m[2] ? num(m[2]) : 1, daysInMonth(ym.year, ym.month));
    if (!(day >= 1 && day <= 31)) return null;
    if (!m[2] && RELATIVE(m[1]) === 0) return null; // 这个月 alone is a period, not a date
    return known(ctx, { ...ym, day });
  },
};

/** 5号 / 30日 (this month, or next month when already past). Not 2号任务, 5号线. */
const dayOfMonthParser: chrono.Parser = {
  pattern: fixed(new RegExp(`(\\d{1,2}|${CN_SMALL}{1,3})(?:号|日)(?!任务|待办|单|楼|线|机|仓|库|车间|门|厂|位|工作日|内|之内)`)),
  extract(ctx, m) {
    const before = ctx.text[m.index! - 1] ?? "";
    if (/[\d月个第.\-/A-Za-z]/.test(before)) return null;
    const t = today(ctx);
    const day = num(m[1]);
    if (!(day >= 1 && day <= 31)) return null;
    let ym = { year: t.year, month: t.month };
    if (day < t.day) ym = shiftMonth(t.year, t.month, 1);
    if (day > daysInMonth(ym.year, ym.month)) return null;
    return known(ctx, { ...ym, day });
  },
};

/**
 * 12月5日, 12月8号, 2027年1月8日, 十二月五号. Replaces chrono's ZHHansDateParser, which reads
 * "单价1800 12月8号" as the year 1800 and "每个3000 月底" as month 00. A year needs 年; a month alone
 * (4月要300台) is a period, not a date; without a year the date is the next such day.
 */
const monthDayParser: chrono.Parser = {
  pattern: fixed(new RegExp(`(?:(\\d{4}|[零〇一二三四五六七八九]{4})\\s*年\\s*)?(\\d{1,2}|${CN_SMALL}{1,3}|元)\\s*月\\s*(\\d{1,2}|${CN_SMALL}{1,3})\\s*(?:日|号)?`)),
  extract(ctx, m) {
    const before = ctx.text[m.index! - 1] ?? "";
    if (/[\d.]/.test(before)) return null;
    const month = m[2] === "元" ? 1 : num(m[2]); // 元月 = January
    const day = num(m[3]);
    const t = today(ctx);
    let year = m[1] ? num(m[1]) : t.year;
    if (!(month >= 1 && month <= 12) || !(day >= 1 && day <= 31)) return null;
    if (!m[1] && (month < t.month || (month === t.month && day < t.day))) year += 1;
    if (day > daysInMonth(year, month)) return null;
    return known(ctx, { year, month, day });
  },
};

/** 12/5 (month/day), the next such date. */
const slashDateParser: chrono.Parser = {
  pattern: fixed(/(\d{1,2})\/(\d{1,2})(?![\d/])/),
  extract(ctx, m) {
    const before = ctx.text[m.index! - 1] ?? "";
    if (/[\d/]/.test(before)) return null;
    const month = Number(m[1]);
    const day = Number(m[2]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    const t = today(ctx);
    const year = month < t.month || (month === t.month && day < t.day) ? t.year + 1 : t.year;
    if (day > daysInMonth(year, month)) return null;
    return known(ctx, { year, month, day });
  },
};

/** 明儿 / 后儿 / 今儿个. */
const colloquialDayParser: chrono.Parser = {
  pattern: fixed(/(今|明|后)儿(?:个)?/),
  extract(ctx, m) {
    const offset = { 今: 0, 明: 1, 后: 2 }[m[1] as "今" | "明" | "后"];
    return known(ctx, addDays(today(ctx), offset));
  },
};

const REPLACED = new Set(["ZHHansRelationWeekdayParser", "ZHHansWeekdayParser", "ZHHansDateParser"]);

export function createZhChrono(): chrono.Chrono {
  const c = chrono.zh.hans.casual.clone();
  const before = c.parsers.length;
  c.parsers = c.parsers.filter((p) => !REPLACED.has(p.constructor.name));
  if (c.parsers.length !== before - REPLACED.size) {
    throw new Error("chrono-node zh parsers changed: update src/nlu/rules/chrono-zh.ts");
  }
  c.parsers.push(
    monthDayParser, weekdayParser, laterParser, afterPeriodParser, periodPartParser, relativeMonthDayParser,
    bareXunParser, dayOfMonthParser, slashDateParser, colloquialDayParser,
  );
  return c;
}
