/**
 * One spec per general rule added after blind11's misses (invented names and products only; the sentences per
 * class are in test/fixtures/nlu/blind11-classes.jsonl, asserted by eval.test.ts like every set).
 */
import { describe, expect, it } from "vitest";
import { fieldMatches } from "../../src/nlu/eval/score.ts";
import { findCompany } from "../../src/nlu/rules/companies.ts";
import { findMoney } from "../../src/nlu/rules/money.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { cleanSpeech } from "../../src/nlu/rules/speech.ts";

const rules = createRulesParser();
const ctx = { now: new Date("2027-12-07T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
const parse = (t: string) => rules.parse(t, ctx) as Promise<Record<string, unknown>>;

describe("the name before the goods", () => {
  it("ends at 订 glued to it, at 那边/他们 before 要订, and at a trade word glued to the goods", async () => {
    expect(await parse("青禾园艺订喷灌头 300个 单价18")).toMatchObject({ customer: "青禾园艺", items: [{ product: "喷灌头", quantity: 300 }] });
    expect(await parse("东湖水厂这边要订计量泵 4台 单价5600")).toMatchObject({ customer: "东湖水厂" });
    expect(await parse("顺安燃气调压箱12台6800一台")).toMatchObject({ customer: "顺安燃气", items: [{ product: "调压箱", unit_price: 6800 }] });
  });
  it("takes the name before a lone 要订 field, not the first product (letters and digits kept)", async () => {
    expect(await parse("新港码头 要订 DN80闸阀 16个 单价530")).toMatchObject({ customer: "新港码头", items: [{ product: "DN80闸阀", quantity: 16 }] });
  });
  it("takes the opening name when the order word comes after a remark", async () => {
    expect(await parse("恒达机电 开票信息还没发过来 先下单 温控阀 50个 单价210")).toMatchObject({ intent: "place_order", customer: "恒达机电", items: [{ product: "温控阀" }] });
  });
  it("never takes 甲方, a clause with 单价, or 一次性… after 客户 for the name", () => {
    expect(findCompany("跟甲方谈了很久")).toBeUndefined();
    expect(findCompany("华夏园林 电话沟通 喷灌泵单价2300他们觉得可以")?.name).toBe("华夏园林");
    expect(findCompany("申请特价 宏图机械 风机 40台 客户一次性付款")?.name).toBe("宏图机械");
  });
});

describe("verbs glued to the goods", () => {
  it("drops 要了, 补货, 要换 and a trailing 再来, keeps 换热器", async () => {
    expect(await parse("瑞达物业 那个水泵再来6台 还是4100一台")).toMatchObject({ items: [{ product: "水泵", quantity: 6, unit_price: 4100 }] });
    expect(await parse("长江医院要补货 铜球阀 500个 12块一个")).toMatchObject({ items: [{ product: "铜球阀" }] });
    expect(await parse("明珠酒店要换冷却塔风机 4台 6500一台 下单吧")).toMatchObject({ items: [{ product: "冷却塔风机" }] });
    expect(await parse("下单 金盛冷链 换热器 2台 单价3.1万")).toMatchObject({ items: [{ product: "换热器" }] });
  });
});

describe("orders without the usual order word", () => {
  it("reads 申请特价 X … and 有个单 X … as orders", async () => {
    expect(await parse("特价申请 顺安燃气 燃气表 500个 单价260")).toMatchObject({ intent: "place_order", customer: "顺安燃气" });
    expect(await parse("今天有一单 宏图机械 风机盘管 30台 单价2100")).toMatchObject({ intent: "place_order", customer: "宏图机械" });
  });
  it("reads a dictated order: the take-down request, 就是 before a count, 价格就按", async () => {
    expect(cleanSpeech("嗯 记一下 就是金源水务要那个潜水泵就是八台")).toBe("金源水务要潜水泵，八台");
    expect(findMoney("价格就按一万二一台").map((m) => [m.value, m.kind])).toEqual([[12000, "unit"]]);
    expect(cleanSpeech("价格就是3800")).toBe("价格就是3800");
  });
});

describe("visit notes and look-ups", () => {
  it("reads price talk with a customer as a visit", async () => {
    expect(await parse("美嘉超市问冷柜能不能再便宜点 月底再聊")).toMatchObject({ intent: "log_visit", customer: "美嘉超市" });
    expect(await parse("恒通物流这周在比价 我们报4200 对方报3900")).toMatchObject({ intent: "log_visit", customer: "恒通物流" });
  });
  it("reads 去看了 as a visit, and 数据中心 as part of a name, not metrics", async () => {
    expect(await parse("宏图机械的风机异响 下午去现场看了下 轴承要换")).toMatchObject({ intent: "log_visit", kind: "visit" });
    expect(await parse("查下云海数据中心的情况")).toMatchObject({ intent: "lookup_customer", customer: "云海数据中心" });
  });
});

describe("shipments", () => {
  it("reads an unreachable consignee as a problem and 数量 N as the quantity shipped", async () => {
    expect(await parse("SO-20271201-009 收货人手机没人接")).toMatchObject({ intent: "report_shipment_problem" });
    expect(await parse("发货 SO-20271201-006 数量 8 顺丰 SF1400000088")).toMatchObject({ intent: "confirm_shipment", quantity: 8 });
  });
});

describe("scoring a time written as a full timestamp", () => {
  it("compares the instant, to the minute", () => {
    expect(fieldMatches("until", "2027-05-14T15:00:00+08:00", "2027-05-14T07:00:00.000Z")).toBe(true);
    expect(fieldMatches("until", "2027-05-14T15:00:00+08:00", "2027-05-14T16:00:00+08:00")).toBe(false);
    expect(fieldMatches("until", "2027-05-14T15:00", "2027-05-14T15:00:00+08:00")).toBe(true);
  });
});
