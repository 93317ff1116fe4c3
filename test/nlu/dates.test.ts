import { afterEach, describe, expect, it } from "vitest";
import { findDateMentions, pickFutureMention } from "../../src/nlu/rules/dates.ts";
import { formatLocalIso, fromLocal, offsetMinutes, toLocal } from "../../src/core/local-time.ts";

const TZ = "Asia/Shanghai";
const MON = new Date("2026-11-23T10:00:00+08:00"); // Monday
const SUN_NIGHT = new Date("2026-12-06T21:40:00+08:00"); // Sunday

/** "YYYY-MM-DD HH:mm" of the first date mention in `text`. */
function when(text: string, now = MON): string | undefined {
  const m = findDateMentions(text, now, TZ)[0];
  if (!m) return undefined;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${m.local.year}-${p(m.local.month)}-${p(m.local.day)} ${p(m.local.hour)}:${p(m.local.minute)}`;
}

describe("Chinese dates, now = Monday 2026-11-23 10:00 Asia/Shanghai", () => {
  it.each([
    ["明天", "2026-11-24 09:00"],
    ["后天", "2026-11-25 09:00"],
    ["大后天", "2026-11-26 09:00"],
    ["下周三下午三点", "2026-12-02 15:00"],
    ["下周三", "2026-12-02 09:00"],
    ["下周三下午", "2026-12-02 14:00"],
    ["3天后", "2026-11-26 09:00"],
    ["三天后", "2026-11-26 09:00"],
    ["两周后", "2026-12-07 09:00"],
    ["过两天", "2026-11-25 09:00"],
    ["月底", "2026-11-30 09:00"],
    ["下个月底", "2026-12-31 09:00"],
    ["11月30日", "2026-11-30 09:00"],
    ["12月8号下午2点", "2026-12-08 14:00"],
    ["下个月5号", "2026-12-05 09:00"],
    ["5号", "2026-12-05 09:00"],
    ["25号", "2026-11-25 09:00"],
    ["周五前", "2026-11-27 09:00"],
    ["这周日", "2026-11-29 09:00"],
    ["下礼拜二", "2026-12-01 09:00"],
    ["下下周一", "2026-12-07 09:00"],
    ["下周", "2026-11-30 09:00"],
    ["周末", "2026-11-28 09:00"],
    ["下午", "2026-11-23 14:00"],
    ["明天上午十点半", "2026-11-24 10:30"],
    ["明早", "2026-11-24 08:00"],
    ["今晚", "2026-11-23 19:00"],
    ["3点", "2026-11-23 15:00"],
    ["12/5", "2026-12-05 09:00"],
    ["2027年1月8日", "2027-01-08 09:00"],
    ["3月底", "2027-03-31 09:00"],
    ["下月中旬", "2026-12-15 09:00"],
  ])("%s → %s", (phrase, expected) => {
    expect(when(`我们${phrase}再去`)).toBe(expected);
  });

  it("rolls a past month-day into next year, and a past day of month into next month", () => {
    expect(when("1月15号去签合同", new Date("2026-12-31T15:00:00+08:00"))).toBe("2027-01-15 09:00");
    expect(when("3号交货", new Date("2026-12-31T15:00:00+08:00"))).toBe("2027-01-03 09:00");
  });

  it("counts weeks from Monday: on a Sunday 下周三 is three days away, not ten", () => {
    expect(when("下周三", SUN_NIGHT)).toBe("2026-12-09 09:00");
    expect(when("下下周一", SUN_NIGHT)).toBe("2026-12-14 09:00");
    expect(when("周二", SUN_NIGHT)).toBe("2026-12-08 09:00");
  });

  it("月底 in February and on the last day of a month", () => {
    expect(when("月底", new Date("2027-02-26T10:00:00+08:00"))).toBe("2027-02-28 09:00");
    expect(when("月底", new Date("2026-11-30T09:15:00+08:00"))).toBe("2026-11-30 09:00");
  });

  it("does not read prices, order numbers, model numbers or task numbers as dates", () => {
    expect(findDateMentions("单价1800 12月8号去签合同", MON, TZ).map((m) => m.text)).toEqual(["12月8号"]);
    expect(findDateMentions("每个3000 月底前付款", MON, TZ).map((m) => m.text)).toEqual(["月底"]);
    expect(findDateMentions("发货 SO-20261123-001 顺丰 SF1234567890", MON, TZ)).toEqual([]);
    expect(findDateMentions("S7-1200 PLC 30套", MON, TZ)).toEqual([]);
    expect(findDateMentions("2号任务延后", MON, TZ)).toEqual([]);
  });

  it("picks the future date a follow-up is due, not the visit itself", () => {
    const text = "今天拜访了华东机电的王经理，下季度要200台电机，预算紧，下周三带报价再去";
    const due = pickFutureMention(text, findDateMentions(text, MON, TZ), MON, TZ);
    expect(due?.text).toBe("下周三");
    const past = "上午去了汇川技术 见了蔡工";
    expect(pickFutureMention(past, findDateMentions(past, MON, TZ), MON, TZ)).toBeUndefined();
    const later = "早上打电话给江南化纤 潘总没接 下午再打";
    expect(pickFutureMention(later, findDateMentions(later, MON, TZ), MON, TZ)?.text).toBe("下午");
  });
});

describe("time zone independence", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it("gives the same Shanghai wall clock whatever the machine's TZ", () => {
    // 01:30 in Shanghai is still the previous day in UTC and in New York.
    const lateNight = new Date("2026-11-24T01:30:00+08:00");
    const phrases = "明天 下周三下午三点 月底 5号 周五 3天后";
    const results = ["UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"].map((tz) => {
      process.env.TZ = tz;
      return JSON.stringify(findDateMentions(phrases, lateNight, TZ).map((m) => m.local));
    });
    expect(new Set(results).size).toBe(1);
    // chrono's late-night rule: before 02:00, 明天 is the day that is about to start (today's date).
    expect(when("明天", lateNight)).toBe("2026-11-24 09:00");
    expect(when("明天", new Date("2026-11-24T02:30:00+08:00"))).toBe("2026-11-25 09:00");
    expect(when("后天", lateNight)).toBe("2026-11-26 09:00");
  });

  it("formats ISO strings with the zone's offset", () => {
    expect(formatLocalIso({ year: 2026, month: 12, day: 2, hour: 9, minute: 0 }, TZ)).toBe("2026-12-02T09:00:00+08:00");
    expect(fromLocal({ year: 2026, month: 12, day: 2, hour: 9, minute: 0 }, TZ).toISOString()).toBe("2026-12-02T01:00:00.000Z");
    expect(offsetMinutes(MON, TZ)).toBe(480);
    expect(toLocal(new Date("2026-11-23T17:30:00Z"), TZ)).toMatchObject({ year: 2026, month: 11, day: 24, hour: 1, minute: 30 });
    expect(formatLocalIso({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, "America/New_York")).toBe("2026-07-01T09:00:00-04:00");
  });
});
