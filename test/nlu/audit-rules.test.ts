/** One spec per general rule from the audit of issue 5 (companies, one-character verbs, dates, money, intents). */
import { describe, expect, it } from "vitest";
import { findCompany, isPlausibleCompany } from "../../src/nlu/rules/companies.ts";
import { findContacts } from "../../src/nlu/rules/contacts.ts";
import { findDateMentions, pickFutureMention } from "../../src/nlu/rules/dates.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { findMoney, pickAmount } from "../../src/nlu/rules/money.ts";
import { parseItems, splitOrder } from "../../src/nlu/rules/order-items.ts";

const TZ = "Asia/Shanghai";
const rules = createRulesParser();
const at = (iso: string) => ({ now: new Date(iso), timeZone: TZ });
const ctx = at("2026-12-01T10:00:00+08:00");
const parse = (t: string, c = ctx) => rules.parse(t, c);
const company = (t: string) => findCompany(t)?.name;
const day = (t: string, now: string) => {
  const m = findDateMentions(t, new Date(now), TZ)[0];
  return m && `${m.local.year}-${String(m.local.month).padStart(2, "0")}-${String(m.local.day).padStart(2, "0")}`;
};

describe("names right after an explicit verb may start with 一/和/发/有 (only guesses are filtered)", () => {
  it.each([
    ["今天拜访了一汽解放 王经理", "一汽解放"],
    ["拜访了发那科 李工", "发那科"],
    ["今天拜访了和泰能源", "和泰能源"],
    ["拜访了有色金属公司 王总", "有色金属公司"],
    ["微信联系了老板娘食品的史经理", "老板娘食品"],
  ])("%s → %s", (t, name) => expect(company(t)).toBe(name));
  it("a guess from position alone still is", () => {
    expect(isPlausibleCompany("和他聊了")).toBe(false);
    expect(isPlausibleCompany("和泰能源", "strong")).toBe(true);
  });
  it("an organisation ending rescues a guess that starts with 一/有 (一拖股份 严总)", () => expect(company("一拖股份 严总 要500套")).toBe("一拖股份"));
});

describe("one-character verbs (和 跟 给 从 把 去 查 在 见) only at a clause start or after a subject", () => {
  it.each([
    ["安和精工", "安和精工"],
    ["安和精工现在谁在跟", "安和精工"],
    ["认领 和泰能源", "和泰能源"],
    ["给和顺物流打了电话", "和顺物流"],
    ["下午和华东机电的王总吃饭", "华东机电"],
    ["月底前要把海湾化工的尾款催回来", "海湾化工"],
    ["微信跟立新精密的小韩确认了", "立新精密"],
    ["上午在中原建设开会 采购部周经理", "中原建设"],
    ["上午见的新锐科技 黄工", "新锐科技"],
    ["微信发了产品手册给苏州顺达精密赵工", "苏州顺达精密"],
  ])("%s → %s", (t, name) => expect(company(t)).toBe(name));
  it.each(["下周四去签补充协议", "下周二去投标", "周六去钓鱼不", "下午跟领导开会", "明天去北京出差", "他说后天给反馈"])("%s: the verb's object is not a company", (t) =>
    expect(company(t)).toBeUndefined());
  it("a department is not the company", () => expect(isPlausibleCompany("采购部")).toBe(false));
});

describe("brackets inside a name", () => {
  it.each([["拜访了联想(中国)有限公司 王总", "联想(中国)有限公司"], ["查一下ABB（中国）有限公司", "ABB（中国）有限公司"]])("%s → %s", (t, name) =>
    expect(company(t)).toBe(name));
});

describe("English messages", () => {
  it("takes the company after the verb and the person with a title", async () => {
    const r = await parse("today visited ABB, met Mr. Li, they need 50 drives, follow up next Monday", at("2026-11-23T10:00:00+08:00"));
    expect(r).toMatchObject({ intent: "log_visit", customer: "ABB", contact: "Mr. Li", quantity: 50, due: "2026-11-30T09:00:00+08:00" });
    expect(company("visited Siemens today, met Tom")).toBe("Siemens");
  });
});

describe("no brand-specific organisation endings", () => {
  it.each([["今天去了远航智家 顾工", "远航智家"], ["拜访了远航时代的段工", "远航时代"], ["帮我查查远景绿能", "远景绿能"]])("%s → %s", (t, name) =>
    expect(company(t)).toBe(name));
});

describe("dates", () => {
  it.each([
    ["三天以后", "2026-11-26"], ["5天之后", "2026-11-28"], ["两周以后", "2026-12-07"], ["12.10再问问", "2026-12-10"], ["1.5号交货", "2027-01-05"],
  ])("%s", (t, d) => expect(day(t, "2026-11-23T10:00:00+08:00")).toBe(d));
  it("下个月30号 in January is the end of February", () => expect(day("下个月30号", "2027-01-30T10:00:00+08:00")).toBe("2027-02-28"));
  it.each(["12.5万", "单价4.5 ", "1.5吨", "报价12.10 "])("%s is a number, not a date", (t) => expect(findDateMentions(t, ctx.now, TZ)).toEqual([]));
  it("a clock time a word away from its day joins it (明天下吾两点, a typo for 下午)", async () =>
    expect((await parse("回访了德信电气 明天下吾两点过去看看")) as { due?: string }).toMatchObject({ due: "2026-12-02T14:00:00+08:00" }));
  it("今天下午拜访的X reports the past: the due is the later date", () => {
    const t = "钱经理说月底前给答复 今天上午拜访的远航仪器";
    expect(pickFutureMention(t, findDateMentions(t, new Date("2026-11-27T16:30:00+08:00"), TZ), new Date("2026-11-27T16:30:00+08:00"), TZ)?.text).toBe("月底");
  });
});

describe("money and people", () => {
  it.each([["预算还剩三万五", 35000], ["大概两万五千元", 25000], ["打包报价68万", 680000]])("%s → amount %d", (t, v) =>
    expect(pickAmount(findMoney(t))).toBe(v));
  it("a unit price is not an amount", () => {
    expect(pickAmount(findMoney("单台报价1.8万"))).toBeUndefined();
    expect(findMoney("1.8万一台")).toMatchObject([{ value: 18000, kind: "unit" }]);
  });
  it("a one-character field before 总 is a person", () => expect(findContacts("拜访博远科技有限公司 肖总 报价").map((c) => c.name)).toEqual(["肖总"]));
});

describe("intents", () => {
  it.each([
    ["搜下远航化工", "lookup_customer"],
    ["远航建设上次拜访是啥时候来着", "lookup_customer"],
    ["看下明天的任务", "list_todos"],
    ["列一下我的拜访计划", "list_todos"],
    ["我的跟进计划", "list_todos"],
    ["把3挪到后天", "snooze_task"],
    ["公海里那个远航轴承我要了", "claim_customer"],
    ["帮我把远航钢构领过来", "claim_customer"],
    ["周六去钓鱼不", "unknown"],
    ["远航路桥那边钢材要500吨 下周二去投标", "log_visit"],
  ])("%s → %s", async (t, intent) => expect((await parse(t)).intent).toBe(intent));
  it("a customer named last", async () => {
    expect(await parse("明早9点去拜访潘总 带上样品 远航重工的", at("2026-11-29T21:20:00+08:00"))).toMatchObject({ customer: "远航重工", contact: "潘总" });
    expect((await parse("远航建设上次拜访是啥时候来着")) as { customer?: string }).toMatchObject({ customer: "远航建设" });
  });
});

describe("order items with model codes and prices as reps write them", () => {
  it.each([
    ["减速机R57 30台 单价3200", [{ product: "减速机R57", quantity: 30, unit: "台", unit_price: 3200 }]],
    ["伺服电机SV200 50套 每套¥12,800", [{ product: "伺服电机SV200", quantity: 50, unit: "套", unit_price: 12800 }]],
    ["轴承6205 2000件 单价18元", [{ product: "轴承6205", quantity: 2000, unit: "件", unit_price: 18 }]],
    ["注塑机HT800 8台 单价26万", [{ product: "注塑机HT800", quantity: 8, unit: "台", unit_price: 260000 }]],
    ["变频器B2 100台 单价4.5k", [{ product: "变频器B2", quantity: 100, unit: "台", unit_price: 4500 }]],
    ["化工泵P100 20台 1.8万一台", [{ product: "化工泵P100", quantity: 20, unit: "台", unit_price: 18000 }]],
    ["西门子PLC 10套 单价6800", [{ product: "西门子PLC", quantity: 10, unit: "套", unit_price: 6800 }]],
    ["衬板 30吨 单价1.2万", [{ product: "衬板", quantity: 30, unit: "吨", unit_price: 12000 }]],
    ["液压站H3 5台 单价三万五 油缸C60 20件 单价2800", [{ product: "液压站H3", quantity: 5, unit: "台", unit_price: 35000 }, { product: "油缸C60", quantity: 20, unit: "件", unit_price: 2800 }]],
  ])("%s", (t, items) => expect(parseItems(t)).toEqual(items));
  it("the trailing X的 names the customer when the first field is a product", () =>
    expect(splitOrder("下单 连接器D8 300个 单价3.5元 远航电子的")).toMatchObject({ customer: "远航电子" }));
  it("before 下单 a name may start with 一 (给一重集团下个单)", async () =>
    expect(await parse("给一重集团下个单 锻件 20吨 单价1.6万")).toMatchObject({ customer: "一重集团", items: [{ product: "锻件", quantity: 20, unit_price: 16000 }] }));
});
