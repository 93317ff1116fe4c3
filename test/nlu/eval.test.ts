import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate, formatReport } from "../../src/nlu/eval/run.ts";
import { parseJsonl } from "../../src/nlu/eval/score.ts";
import { INTENT_NAMES } from "../../src/nlu/intent.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const FIXTURES = new URL("../fixtures/nlu/", import.meta.url);
const load = (name: string) => parseJsonl(readFileSync(new URL(name, FIXTURES), "utf8"));

describe("rule parser on the labelled sets", () => {
  it("main set: at least 220 lines covering every intent, with varied dates", () => {
    const lines = load("messages.jsonl");
    expect(lines.length).toBeGreaterThanOrEqual(220);
    expect(new Set(lines.map((l) => l.expect.intent))).toEqual(new Set(INTENT_NAMES));
    expect(new Set(lines.map((l) => l.now)).size).toBeGreaterThanOrEqual(8);
  });

  // Issue 5's targets hold on every committed set. fresh, blind, blind2 and blind3 were written as unseen
  // messages; their first runs were fresh 0.933/0.859, blind 0.917/0.927, blind2 0.925/0.914, blind3 0.942/0.934.
  // blind4 and blind5 came later (blind5 first ran at 0.870/0.796); blind6 first ran at 0.942/0.962;
  // blind7 was committed without an entry here and was first asserted at 0.967/0.956. classes.jsonl holds 10+ sentences per
  // class of phenomenon (voice fillers, English code-switching, order phrasing, customer position, intent
  // cues, quantities/money), written before the rules that handle each class.
  // blind8 (orders, approvals, discounts, shipments) first ran at 0.814/0.780 and at 0.927/0.916 after a round
  // of order rules written without seeing it; blind8-classes.jsonl holds 5+ sentences per class of its misses
  // (order forms with labels, order/PO, fillers, 单介, help phrasings, own sales counts, carrier suffixes, NG, …).
  // blind9 (orders and approvals dictated by voice) first ran at 0.931/0.851; blind9-classes.jsonl holds 5+ sentences
  // per class of its misses (fillers in names, prices in words, 走单/报但 phrasings, 每平/每桶, 拒了/同易, reasons as written,
  // a customer's answer as a visit, remarks that are no item).
  // blind11 (an HVAC/pumps distributor, after the blind10 round) first ran at 0.954/0.899; blind11-classes.jsonl holds
  // sentences per class of its misses (订/那边/他们 after a name, trade words ending names, verbs glued to goods,
  // 申请特价 and dictated orders, price talk in visits, unreachable consignees, 数量 N shipped).
  // blind12 (an office-furniture / lighting / coatings distributor, after the blind11 round) first ran at 0.865/0.809;
  // blind12-classes.jsonl holds sentences per class of its misses (measure words 盏/位/桶/公斤/斤/架/顶/株 …, 两打, several
  // priced items, 一张是…, 那边呢 / 啊他们, a place before the goods, reasons after the discount, 块一公斤, problems told as
  // facts, 送了样品 / 见面聊了 / 等…再下单 as visits, 订单金额 as metrics, 没把 for 每把, 再来, a bare customer-goods-count line).
  // blind13 (a food-ingredients / packaging / farm-machinery supplier, after the blind12 round) first ran at 0.986/0.940;
  // blind13-classes.jsonl holds sentences per class of its misses (1毛2 / 七毛五 / 3块5毛 / 两块八毛五, 单价0.85 glued to the
  // next product, 下担 / 要定, X厂 glued after 下单, 他们要 / 就是X的 / 帮我给 X 下个单 / 我说一下 fillers, a competitor's
  // price as the reason, problems with the clauses that go on telling them, 受潮 / 送不到 / 堆不下, a department after the
  // name, 袋面粉 counted in a visit).
  // blind14 (a medical-consumables / lab-equipment / IT-hardware distributor, after the blind13 round) first ran at
  // 0.949/0.914; blind14-classes.jsonl holds sentences per class of its misses (names ending in 信息 / 数据 / 网络 /
  // 实验室 / 保健院 / 管委会, 销售数据 still a metric, price N each, 啊 before 要, DPK with fewer digits, 就是这个价 and
  // multi-clause reasons verbatim, problems told as facts with a leading 缺货 and the clauses that go on telling them,
  // X那边说…等…再下单 as a visit, 行情 asked about goods).
  // blind15 (a building-materials / hardware-tools / auto-parts distributor, after the blind14 round) first ran at
  // 0.955/0.881; blind15-classes.jsonl holds sentences per class of its misses (names ending in a shop's or a site's word
  // with letters or digits — 4S店 / 项目部 / 汽修厂 / 维修站 / 门店 / 专卖店 / 分公司 / 办事处 / 车间 —, a name glued to
  // its goods after 下单 (基建 / 路桥 / 建工), 4千2 / 1万2 / 2万3一台, a reason glued after the discount, 采购/购买 before
  // the goods, 下一个单子, 每根十一块, delivered by our own truck, 超重/空号/对不上/库里只有 as problems, 转了一圈 as a visit,
  // a department after a school's name, 水泥厂/钢厂那边 as no customer).
  // blind16 (a textiles / cosmetics / household-appliance distributor, after the blind15 round) first ran at 0.991/0.963;
  // blind16-classes.jsonl holds sentences per class of its misses (单价五分 / 八分钱 / 一毛五分 / 六分一张 in fen, discount N% /
  // N% off, names with a number and a measure word — 四件套 / 六件套 / 二合一 / 两用 —, a price in words glued to the next
  // product, 追加一单 / 下个单啊 fillers, 商贸行 / 贸易行 / 电器行 glued after 下单, 不派送 / 不配送 as problems, 去X看了… as a
  // visit, 涨价了吗 asked about goods).
  // blind17 (when a visit happened — 昨天下午 / 周三 / 12月30号 said in January / 上午十点半 said at 15:00 — with 40 lines that
  // give no earlier time, some with a past day about something else) first ran at 0.975/0.875 (occurred 78.8%, 63/80);
  // after one round on general causes (a day-only 15号, a weekday with a part of the day, a month-day read forward
  // across the new year, an earlier time today with no plan word, 昨晚) 0.975/0.910 (occurred 95.0%), none of the 40
  // given a time.
  // blind18 (the follow-up a visit log asks for: the action after, before or around the date, what the customer said
  // with a date, 让我们…, calls and messages, 10 lines with no follow-up) first ran at 1.000/0.911 (next_action 63.3%,
  // 57/90; customer 96.0%); after one round on general causes (the action in the clause before a bare date or a bare
  // verb, the date inside the action, who said it cut off, 让我们 …, 语音跟 / 看了下 / 通知了 / 客户来电 before a name)
  // 1.000/0.985 (next_action 97.8%); then 0.983 (96.7%) once a relative day inside the action (新报价下周一发) was left
  // out of the title on purpose (it reads wrong on the due day).
  // blind19 (orders with the unit typed — 电缆 200米 vs 3卷, 450m, 3000pcs, 500kg —, several items, a name glued to its goods)
  // first ran at 0.925/0.800 (items 76.3%, customer 83.8%); after one round on general causes 1.000/1.000.
  // blind19-classes.jsonl holds sentences per class of its misses (a trade word as goods glued between the name and the
  // count — 东方轴承电缆200米 —, 农资 / 十局 / 电力局 names, 下个订单 / 订但 / 单家, 含税 / 不含税 prices, 提 as a pack, a
  // bare 数量 N / 共 N count, a size before the count — 200*200, 灭火器4kg 30个 —, pcs written 件).
  // blind20 (price asks and resubmissions of rejected orders, scored by hand: 0.542, price asks 0.533, resubmissions
  // 0.200) is kept unseen; blind20-classes.jsonl holds 5+ sentences of our own per class of its misses, written before
  // the rules (a list's name with 发下 / 有没有 / 拉出来 / 发到群里, 查下X和Y的单价, 多钱 / 现价 / 报多少 / 报个价 / 各是多少,
  // the whole range asked — 咱们都卖啥 各多少钱 —, typos kept as written for the handler, 下单 … 按目录价 an order, a count in
  // a price ask, a reported question as no customer); it first ran at 0.469/0.417, then 1.000/1.000. The resubmission
  // classes are commands, tested in blind20-resubmit.test.ts.
  // tuning.jsonl was written by the rules' author while generalising them: a regression guard, not a measure.
  // Minimum sizes where a set has one; every set found in the folder is asserted, so a new one is never forgotten.
  const minSize: Record<string, number> = {
    "messages.jsonl": 220,
    "holdout.jsonl": 55,
    "fresh.jsonl": 30,
    "blind.jsonl": 120,
    "blind2.jsonl": 40,
    "blind3.jsonl": 120,
    "blind4.jsonl": 100,
    "blind5.jsonl": 100,
    "blind6.jsonl": 120,
    "blind7.jsonl": 120,
    "blind8.jsonl": 177,
    "blind8-classes.jsonl": 60,
    "blind9.jsonl": 130,
    "blind9-classes.jsonl": 49,
    "blind11.jsonl": 216,
    "blind11-classes.jsonl": 50,
    "blind12.jsonl": 208,
    "blind12-classes.jsonl": 55,
    "blind13.jsonl": 207,
    "blind13-classes.jsonl": 35,
    "blind14.jsonl": 217,
    "blind14-classes.jsonl": 36,
    "blind15.jsonl": 221,
    "blind15-classes.jsonl": 33,
    "blind16.jsonl": 218,
    "blind17.jsonl": 120,
    "blind18.jsonl": 100,
    "blind16-classes.jsonl": 34,
    "blind19.jsonl": 80,
    "blind19-classes.jsonl": 24,
    "blind20-classes.jsonl": 45,
    "tuning.jsonl": 240,
    "classes.jsonl": 120,
    // fillers-classes.jsonl: voice fillers stuck to a name (杭州恒力泵业啊, 华东机电呀, 无锡宏达机械那个; 娃哈哈 kept).
    "fillers-classes.jsonl": 8,
    // price-totals-classes.jsonl: a price asked with a count (电机A 200台多少钱, 200台电机A总价多少, plc控制器5套 电缆10卷
    // 一共多少钱) or in a unit (电缆按米多少钱) → items; visits and orders with counts stay what they are. Written with the
    // rules, a regression guard, not a measure.
    "price-totals-classes.jsonl": 27,
    // blind21-classes.jsonl: sentences of our own per class of the held-out blind21 set's misses (its rule parser scored
    // 57.5%, price questions with counts 11/50), written before the rules: a count with no measure word (电机A 50 电机B 20
    // 一共多少), sum and reckoning words (合计哈, 报个总价给我, 帮忙算算), Chinese numerals (一千米, 一百五), ×N, the count before
    // the goods, the unit as a mode (电缆按米算 1500米, 卷的和米的), a customer's ask passed on (X要80台电机B 帮我算下总价) and
    // visits that stay visits, goods separated by spaces, 10平方电缆 as a name, orders with bare numbers (下单 X 变频器 15
    // 3200), the whole list (所有产品的价格报一下), 多少前 / 几钱 / 十台的价格. First ran at 0.528/0.347.
    "blind21-classes.jsonl": 75,
  };
  const sets = readdirSync(FIXTURES).filter((f) => f.endsWith(".jsonl")).sort();

  it("finds every set named above in the folder", () => {
    expect(sets).toEqual(expect.arrayContaining(Object.keys(minSize)));
  });

  it.each(sets.map((name) => [name, minSize[name] ?? 1] as const))("%s: intent ≥ 0.95, field ≥ 0.90", async (name, size) => {
    const lines = load(name);
    expect(lines.length).toBeGreaterThanOrEqual(size);
    const summary = await evaluate(createRulesParser(), lines);
    if (summary.intentAccuracy < 0.95 || summary.fieldAccuracy < 0.9) console.log(formatReport(summary));
    expect(summary.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.fieldAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
