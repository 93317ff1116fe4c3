/** One spec per general rule added after blind4 (invented names only; see test/fixtures/nlu/blind4.jsonl). */
import { describe, expect, it } from "vitest";
import { findMoney } from "../../src/nlu/rules/money.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { parseItems } from "../../src/nlu/rules/order-items.ts";
import { findQuantities } from "../../src/nlu/rules/quantities.ts";
import { taskNumber } from "../../src/nlu/rules/tasks.ts";

const rules = createRulesParser();
const ctx = { now: new Date("2026-12-14T09:10:00+08:00"), timeZone: "Asia/Shanghai" };
const parse = (t: string) => rules.parse(t, ctx) as Promise<Record<string, unknown>>;

describe("a channel phrase before a spaced name (微信上聊了 X 的 Y)", () => {
  it.each(["微信上聊了", "钉钉上聊了", "电话里沟通了", "视频会上聊过", "展会上碰到"])("%s", async (lead) => {
    const r = await parse(`${lead} 宏远包装 的 周经理 要200箱`);
    expect(r).toMatchObject({ intent: "log_visit", customer: "宏远包装", contact: "周经理", quantity: 200 });
  });
});

describe("the customer named last, after a clause that says 他们/他家", () => {
  it("picks the trailing name and ignores a figure inside it", async () => {
    const r = await parse("明天去他们那谈续签 刚电话里罗经理说的 万合物业");
    expect(r).toMatchObject({ intent: "log_visit", customer: "万合物业", contact: "罗经理" });
    expect(r.amount).toBeUndefined();
  });
});

describe("客户X 有没有… is a look-up", () => {
  it.each([["客户远恒建材 有没有欠款", "远恒建材"], ["金川精密是不是还有单没发", "金川精密"]])("%s", async (t, c) =>
    expect(await parse(t)).toMatchObject({ intent: "lookup_customer", customer: c }));
  it("a holiday question is not a customer", async () => expect((await parse("元旦放几天假")).intent).toBe("unknown"));
});

describe("task references by label", () => {
  it.each([["任务9", "9"], ["待办 7 已处理", "7"], ["编号12", "12"], ["#5 完成了", "5"], ["第4条", "4"], ["3号待办", "3"]])("%s", (t, n) =>
    expect(taskNumber(t)).toBe(n));
  it("待办7 已处理 completes it", async () => expect(await parse("待办7 已处理")).toMatchObject({ intent: "complete_task", task: "7" }));
  it("把任务9延到… snoozes it to the date", async () =>
    expect(await parse("把任务9延到12月28号")).toMatchObject({ intent: "snooze_task", task: "9", until: "2026-12-28T09:00:00+08:00" }));
  it("往后延 takes a duration", async () =>
    expect(await parse("把待办3往后延两天")).toMatchObject({ intent: "snooze_task", task: "3", until: "2026-12-16T09:00:00+08:00" }));
});

describe("classifiers for prices and counts", () => {
  it("0.45元一颗 is 0.45 per piece, not 0.45 + 一 jiao, next to a discount", () =>
    expect(parseItems("灯珠 10万颗 0.45元一颗 打个9折")).toEqual([{ product: "灯珠", quantity: 100000, unit: "颗", unit_price: 0.45 }]));
  it.each(["把", "本", "卷", "桶", "副", "瓶", "袋", "颗"])("bare price before 一%s", (u) =>
    expect(parseItems(`扳手 300${u} 420一${u}`)).toEqual([{ product: "扳手", quantity: 300, unit: u, unit_price: 420 }]));
  it("五千本 is a count, 本周 is not", () => {
    expect(findQuantities("样册印刷五千本").map((q) => q.value)).toEqual([5000]);
    expect(findQuantities("两本周报")).toEqual([]);
  });
  it("把 after an amount and a space is the 把 of a clause", () =>
    expect(findMoney("金额六十万 下周一把合同发过去").map((m) => m.value)).toEqual([600000]));
});

describe("names and clauses", () => {
  it("从公海 ends a name", async () =>
    expect(await parse("帮我把远达纺织从公海领过来")).toMatchObject({ intent: "claim_customer", customer: "远达纺织" }));
  it("a person-like name with its own person is a company (X工的Y经理)", async () =>
    expect(await parse("周五跟钱工的许经理吃饭")).toMatchObject({ intent: "log_visit", customer: "钱工", contact: "许经理" }));
  it.each(["一会儿去远恒建材", "待会儿去远恒建材", "下午就去远恒建材"])("a plan to go is a visit: %s", async (t) =>
    expect(await parse(t)).toMatchObject({ intent: "log_visit", customer: "远恒建材" }));
  it.each(["老板说月底要冲业绩", "领导说这个月回款压力大"])("talk about metrics is not a request: %s", async (t) =>
    expect((await parse(t)).intent).toBe("unknown"));
  it.each(["本月业绩", "看下这周业绩", "业绩怎么样"])("a request for metrics still is: %s", async (t) =>
    expect((await parse(t)).intent).toBe("show_metrics"));
});
