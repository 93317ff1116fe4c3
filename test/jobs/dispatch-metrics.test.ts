// The metrics card's dispatch figures: approval → first shipment (median and slowest) for first shipments in the
// period, the orders waiting in dispatch now, and — on a manager's card — the problems waiting; all scoped like
// the rest of the card (a rep: their own orders; a manager: the team's). 本周业绩 and the evening and Monday cards.
import { describe, expect, it } from "vitest";
import { metricsEveningJob } from "../../jobs/metrics-evening.job.ts";
import { metricsWeeklyJob } from "../../jobs/metrics-weekly.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import type { Card } from "../../src/core/card.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const field = (card: Card, label: string) => card.fields.find((f) => f.label === label)?.value;
const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);
const metricsCards = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "card" && i.card.purpose === "metrics" ? [i.card] : []));
const nthMetrics = (t: PlaygroundBot, u: string, n: number) => eventually(async () => (await metricsCards(t, u))[n - 1], `metrics card #${n} for ${u}`);

async function dispatchedOrder(t: PlaygroundBot, rep: string, customer: string): Promise<string> {
  const c = await t.db.customer.create({ data: { name: customer, normalizedName: normalizeCompanyName(customer), ownerId: rep, aliases: [], tags: [], address: "上海市浦东新区张江路1号" } });
  await t.db.contact.create({ data: { customerId: c.id, name: "王经理", phone: "13800000000" } }); // the notice needs a delivery contact
  await t.pg.say(rep, `下单 ${customer} 电机A 10台 单价5000`);
  return eventually(async () => (await t.db.order.findFirst({ where: { customerId: c.id, status: "dispatched" } }))?.number, `${customer}'s order dispatched`);
}

describe("dispatch on the metrics card", () => {
  const t = playgroundBot();
  const clock = () => {
    const c = t.bot.deps.clock;
    if (!(c instanceof ManualClock)) throw new Error("the test bot runs on a manual clock");
    return c;
  };
  let a = "";
  let b = "";
  let c = "";

  it("sets the scene: three orders approved at 10:00, shipped after 2 h and 6 h, one with a problem", async () => {
    clock().set(at("2026-11-23T10:00:00"));
    a = await dispatchedOrder(t, "zhangsan", "华东机电有限公司");
    b = await dispatchedOrder(t, "lisi", "华南电气有限公司");
    c = await dispatchedOrder(t, "zhangsan", "西北重工有限公司");

    clock().set(at("2026-11-23T12:00:00"));
    await t.pg.say("chenqi", `发货 ${a} 顺丰 SF1234567890123`);
    await waitText(t, "zhangsan", new RegExp(`${a}.*已全部发出`));
    clock().set(at("2026-11-23T16:00:00"));
    await t.pg.say("chenqi", `发货 ${b} 电机A 4台 德邦 DPK3001234567`); // partial: still open
    await waitText(t, "lisi", new RegExp(`${b}.*已发货：电机A 4台`));
    clock().set(at("2026-11-23T17:00:00"));
    await t.pg.say("chenqi", `${c} 缺货 电机A下周到`);
    await waitText(t, "zhangsan", new RegExp(`${c}.*发货有问题`));
    clock().set(at("2026-11-23T18:00:00"));
  });

  it("a rep's 本周业绩: their own orders' latency and what waits, no team problems list", async () => {
    await t.pg.say("zhangsan", "本周业绩");
    const card = await nthMetrics(t, "zhangsan", 1);
    expect(field(card, "待发货")).toBe("1 单（1 单有问题）"); // c; lisi's b is not his
    expect(card.lines).toContain("发货用时（审批→首次发货）：1 单，中位 2.0 小时，最慢 2.0 小时");
    expect(card.lines?.join("\n")).not.toContain("发货问题待处理");
    expect(card.fields.length).toBeLessThanOrEqual(6);
  });

  it("the manager's 本周业绩: the team's median and slowest, open dispatches and the problems waiting", async () => {
    await t.pg.say("wangwu", "本周业绩");
    const card = await nthMetrics(t, "wangwu", 1);
    expect(card.title).toBe("本周业绩 · 王五团队");
    expect(field(card, "待发货")).toBe("2 单（1 单有问题）");
    expect(card.lines).toContain("发货用时（审批→首次发货）：2 单，中位 4.0 小时，最慢 6.0 小时");
    const i = card.lines!.indexOf("发货问题待处理（1）：");
    expect(i).toBeGreaterThan(0);
    expect(card.lines![i + 1]).toBe(`· ${c} 西北重工有限公司：缺货 电机A下周到（张三，11月23日 周一 17:00）`);
    expect(card.tone).toBe("warning");
    expect(card.fields.length).toBeLessThanOrEqual(6);
  });

  it("the evening card carries the same; the Monday card last week's latency and the problems still waiting", async () => {
    expect((await runJob(t.bot.deps, metricsEveningJob, at("2026-11-23T19:00:00"))).result).toMatchObject({ sent: 2, failed: 0 });
    const evening = await nthMetrics(t, "wangwu", 2);
    expect(evening.title).toBe("今天业绩 · 王五团队");
    expect(field(evening, "待发货")).toBe("2 单（1 单有问题）");
    expect(evening.lines).toContain("发货用时（审批→首次发货）：2 单，中位 4.0 小时，最慢 6.0 小时");
    expect(evening.lines).toContain("发货问题待处理（1）：");

    expect((await runJob(t.bot.deps, metricsWeeklyJob, at("2026-11-30T09:00:00"))).result).toMatchObject({ sent: 2, failed: 0 });
    const weekly = await nthMetrics(t, "wangwu", 3);
    expect(weekly.title).toBe("上周业绩 · 王五团队");
    expect(weekly.lines).toContain("发货用时（审批→首次发货）：2 单，中位 4.0 小时，最慢 6.0 小时");
    expect(weekly.lines).toContain("发货问题待处理（1）：");
    const director = await nthMetrics(t, "zhaoliu", 2);
    expect(field(director, "待发货")).toBe("2 单（1 单有问题）");
  });

  it("a period with no first shipment shows no latency line; resolved problems leave the list", async () => {
    clock().set(at("2026-12-01T10:00:00"));
    await t.pg.say("chenqi", `恢复 ${c}`);
    await waitText(t, "zhangsan", new RegExp(`${c} 的发货问题已解决`));
    await t.pg.say("wangwu", "今天业绩");
    const card = await nthMetrics(t, "wangwu", 4);
    expect(field(card, "待发货")).toBe("2 单");
    expect(card.lines?.join("\n")).not.toMatch(/发货用时|发货问题待处理/);
  });
});
