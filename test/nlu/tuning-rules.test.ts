/** Specs for the general rules found while probing unseen styles (test/fixtures/nlu/tuning.jsonl). */
import { describe, expect, it } from "vitest";
import { findCompany, isPlausibleCompany } from "../../src/nlu/rules/companies.ts";
import { pickContact } from "../../src/nlu/rules/contacts.ts";
import { findDateMentions } from "../../src/nlu/rules/dates.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { findMoney } from "../../src/nlu/rules/money.ts";
import { splitOrder } from "../../src/nlu/rules/order-items.ts";
import { findQuantities } from "../../src/nlu/rules/quantities.ts";
import { taskNumber } from "../../src/nlu/rules/tasks.ts";

const TZ = "Asia/Shanghai";
const NOW = new Date("2026-12-08T10:00:00+08:00");
const rules = createRulesParser();
const company = (t: string) => findCompany(t)?.name;
const day = (t: string) => {
  const m = findDateMentions(t, NOW, TZ)[0];
  return m && `${m.local.year}-${String(m.local.month).padStart(2, "0")}-${String(m.local.day).padStart(2, "0")}`;
};

describe("company boundaries", () => {
  it.each([
    ["在潍坊动力开了一上午会 技术部的卢工", "潍坊动力"],
    ["在亿达锂能等了一下午 终于见到饶总", "亿达锂能"],
    ["去比远迪交流了电池包方案 孔工比较认可", "比远迪"],
    ["华工光电怎么样了", "华工光电"],
    ["公海里的南港股份给我", "南港股份"],
    ["今天下午拜访的是中密控股 郝经理", "中密控股"],
    ["晚上请新天钢铁的尤总吃饭", "新天钢铁"],
    ["贝特新材这周三去拜访 联系人钟经理", "贝特新材"],
    ["华东机电和宏达电子都去了", "华东机电"],
  ])("%s → %s", (t, name) => expect(company(t)).toBe(name));

  it("a field that is a whole clause is a weaker guess than a trailing X的", () => expect(company("机器人要30台 许总说 埃斯特的")).toBe("埃斯特"));
  it("a person after a department in the next field marks the name before it", () =>
    expect(company("今天在客户那边呆了一天 科沃新 采购部彭经理")).toBe("科沃新"));
  it.each(["机器人", "北京", "江苏省", "领导", "展会上"])("%s alone is not a company", (s) => expect(isPlausibleCompany(s, "strong")).toBe(false));
});

describe("people", () => {
  it("someone who was not met is not the contact", () =>
    expect(pickContact("刚从小米出来 雷总没见着 见了采购的小周")?.name).toBe("小周"));
});

describe("numbers as reps write them", () => {
  it.each([
    ["项目预算3.5个亿", 350000000], ["预算二十来万", 200000], ["20多万", 200000], ["每米十二块五", 12.5], ["6800一吨", 6800], ["两万一台", 20000],
  ])("%s → %d", (t, v) => expect(findMoney(t)[0]?.value).toBe(v));
  it.each(["三万五千台", "3块钢板", "年用量200万条"])("%s is not money", (t) => expect(findMoney(t)).toEqual([]));
  it("两百来台 is about 200", () => expect(findQuantities("要两百来台").map((q) => q.value)).toEqual([200]));
});

describe("dates", () => {
  it.each([["下旬再来", "2026-12-25"], ["元月5号去", "2027-01-05"], ["上旬", "2027-01-05"]])("%s", (t, d) => expect(day(t)).toBe(d));
});

describe("tasks and orders", () => {
  it.each([["2搞定了", "2"], ["4推到下周一", "4"], ["2号延期到下周三", "2"]])("%s → task %s", (t, n) => expect(taskNumber(t)).toBe(n));
  it("a two-character name keeps its last character (蔚来 is not 蔚 + 来)", () => expect(splitOrder("下单 蔚来 换电柜 5套").customer).toBe("蔚来"));
  it.each([["这周还有几个没跟进", "list_todos"], ["SO-20261208-004 货少了5箱", "report_shipment_problem"], ["抢 欧菲光", "claim_customer"]])("%s → %s", async (t, intent) =>
    expect((await rules.parse(t, { now: NOW, timeZone: TZ })).intent).toBe(intent));
});
