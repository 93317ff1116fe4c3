// The manager's and the rep's team commands over DingTalk Stream with the interactive card template: the unmodified
// DWClient against the local gateway. 团队客户 on an interactive card whose 下一页 button is pressed; 张三的待办
// refused for a rep; 转交 by the manager tells both reps; the owner edits the stage; 公海客户 with a 领取 button per
// row, pressed; 我的待办 then typed 完成 2 completes what was shown as 2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { button, deliveredCards, sentTexts, startDingtalkBot, type DeliveredCard } from "./e2e-helpers.ts";
import { daysAgo as ago, seedTeam, teamCustomer } from "../support/team-seed.ts";

let gw: DingtalkGateway;
let bot: TestBot;
const db = () => bot.db.prisma;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema" }));
  await seedTeam(db());
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

/** Replies to a 1:1 message go through its session webhook: which person each session belongs to. */
const sessions = new Map<string, string>();
const say = (staffId: string, text: string) => {
  const m = gw.robotMessage({ staffId, text });
  sessions.set(`session:${new URL(m.sessionWebhook).searchParams.get("session")}`, staffId);
  gw.sendRobot(m);
};
const textsTo = (to: string) => sentTexts(gw).filter((t) => t.to === to || sessions.get(t.to) === to).map((t) => t.text);
const cardsTo = (staffId: string) => deliveredCards(gw).filter((c) => c.openSpaceId === `dtv1.card//IM_ROBOT.${staffId}`);
/** Says `text` and waits for the text it answers with. */
async function reply(staffId: string, text: string, re?: RegExp): Promise<string> {
  const n = textsTo(staffId).length;
  say(staffId, text);
  return eventually(() => textsTo(staffId).slice(n).find((t) => !re || re.test(t)), `a text for ${staffId} after 「${text}」`);
}
/** Says `text` (or presses a button) and waits for the card it answers with. */
async function nextCard(staffId: string, act: () => void, what: string): Promise<DeliveredCard> {
  const n = cardsTo(staffId).length;
  act();
  return eventually(() => cardsTo(staffId)[n], `a card for ${staffId} after ${what}`);
}
const press = (staffId: string, card: DeliveredCard, label: RegExp) =>
  gw.sendCard(gw.cardClick({ outTrackId: card.outTrackId, userId: staffId, action: button(card, label).action }));
/** A card's rows as the template shows them. */
const body = (c: DeliveredCard) => `${c.params.fields_md ?? ""}\n${c.params.lines_md ?? ""}`;
const waitText = (to: string, re: RegExp) => eventually(() => textsTo(to).find((t) => re.test(t)), `a text ${re} to ${to}`);

describe("DingTalk: the team commands, role by role", () => {
  it("a manager's 团队客户 on an interactive card of ten rows; its 下一页 button shows the rest", async () => {
    const first = await nextCard("0201", () => say("0201", "团队客户"), "团队客户");
    expect(first.params.title).toContain("团队客户");
    expect(first.params.subtitle).toBe("共 13 条，第 1–10 条");
    expect(body(first)).toContain("宁波东方轴承");
    expect(body(first)).not.toMatch(/张三客户0[1-3]|甲辰机电/);
    const next = await nextCard("0201", () => press("0201", first, /下一页/), "下一页");
    expect(next.params.subtitle).toBe("共 13 条，第 11–13 条");
    expect(body(next)).toContain("张三客户01");
    expect(next.params.btn1_visible).toBe("false");
    // Someone else pressing the manager's 下一页 gets nothing of the list.
    const n = cardsTo("0102").length;
    press("0102", first, /下一页/);
    await waitText("0102", /这张卡片不是发给你的/);
    expect(cardsTo("0102")).toHaveLength(n);
  });

  it("a rep asking for 张三的待办 is refused, saying what they can look at", async () => {
    const refusal = await reply("0102", "张三的待办", /张三/);
    expect(refusal).toContain("不能查看张三的待办");
    expect(refusal).toContain("我的待办");
  });

  it("转交 X 给 李四 by the manager moves the customer and its follow-up, both reps told", async () => {
    expect(await reply("0201", "转交 宁波东方轴承 给 李四", /转交/)).toBe("已把「宁波东方轴承有限公司」从张三转交给李四，1项待办一并转交。");
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).ownerId).toBe("lisi");
    await waitText("0102", /^王五把客户「宁波东方轴承有限公司」转交给你.*1项待办已转到你的待办/);
    await waitText("0101", /^王五把你的客户「宁波东方轴承有限公司」转交给了李四/);
    expect(await db().task.count({ where: { title: "带报价回访周经理", ownerId: "lisi", status: "open" } })).toBe(1);
  });

  it("改 客户 X 阶段 报价 by the (new) owner; the former owner is refused", async () => {
    expect(await reply("0101", "改 客户 宁波东方轴承 阶段 报价")).toMatch(/只有负责人、负责人的上级或管理员可以修改|其他同事负责/);
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).stage).not.toBe("proposal");
    expect(await reply("0102", "改 客户 宁波东方轴承 阶段 报价", /宁波东方轴承/)).toContain("宁波东方轴承有限公司");
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).stage).toBe("proposal");
  });

  it("公海客户 on a card with a 领取 button per row; pressing 领取 2 claims the customer shown as 2", async () => {
    const list = await nextCard("0102", () => say("0102", "公海客户"), "公海客户");
    expect(list.params.title).toBe("公海客户");
    expect([list.params.btn1_label, list.params.btn2_label, list.params.btn3_visible]).toEqual(["领取 1", "领取 2", "false"]);
    const rows = body(list);
    const second = rows.indexOf("甲辰机电") < rows.indexOf("乙巳电气") ? "乙巳电气" : "甲辰机电";
    press("0102", list, /^领取 2$/);
    await waitText("0102", new RegExp(`已领取「${second}」`));
    expect((await db().customer.findFirstOrThrow({ where: { name: second } })).ownerId).toBe("lisi");
    const first = second === "甲辰机电" ? "乙巳电气" : "甲辰机电";
    expect((await db().customer.findFirstOrThrow({ where: { name: first } })).ownerId).toBeNull();
  });

  it("a longer pool list keeps every button within the template's six slots: five 领取 a page and 下一页, pressed", async () => {
    for (let i = 1; i <= 6; i++) await teamCustomer(db(), `丙${i}号机电`, null, ago(90), { releasedAt: ago(1 + i / 10) });
    const list = await nextCard("0102", () => say("0102", "公海客户"), "公海客户");
    expect(list.params.subtitle).toBe("共7个公海客户，第1-5个");
    expect([1, 2, 3, 4, 5, 6].map((i) => list.params[`btn${i}_label`])).toEqual(["领取 1", "领取 2", "领取 3", "领取 4", "领取 5", "下一页"]);
    const next = await nextCard("0102", () => press("0102", list, /下一页/), "下一页");
    expect(next.params.subtitle).toBe("共7个公海客户，第6-7个");
    expect([next.params.btn1_label, next.params.btn2_label, next.params.btn3_visible]).toEqual(["领取 1", "领取 2", "false"]);
    // 领取 1 on the second page is the sixth customer of the list (the first row of that page).
    const sixth = /1\. ([^*：\n]+)/.exec(body(next))![1]!;
    const n = textsTo("0102").length;
    press("0102", next, /^领取 1$/);
    const claimed = await eventually(() => textsTo("0102").slice(n).find((t) => /已领取「/.test(t)), "the claim");
    const name = /已领取「([^」]+)」/.exec(claimed)![1]!;
    expect(name).toBe(sixth);
    expect(body(next)).toContain(name);
    expect(body(list)).not.toContain(name);
    expect((await db().customer.findFirstOrThrow({ where: { name } })).ownerId).toBe("lisi");
  });

  it("我的待办 then typed 完成 2 completes what was shown as 2, and 完成 3 after it what was shown as 3", async () => {
    const list = await nextCard("0102", () => say("0102", "我的待办"), "我的待办");
    const shownText = JSON.stringify(list.params);
    const titles = ["寄样品", "带报价回访周经理", "催款", "约技术交流"];
    for (const t of titles) expect(shownText).toContain(t);
    const shown = [...titles].sort((a, b) => shownText.indexOf(a) - shownText.indexOf(b));
    expect(await reply("0102", "完成 2", /已完成/)).toContain(shown[1]!);
    expect((await db().task.findFirstOrThrow({ where: { title: shown[1]! } })).status).toBe("done");
    expect(await reply("0102", "完成 3", /已完成/)).toContain(shown[2]!);
    expect((await db().task.findFirstOrThrow({ where: { title: shown[2]! } })).status).toBe("done");
    for (const t of [shown[0]!, shown[3]!]) expect((await db().task.findFirstOrThrow({ where: { title: t } })).status).toBe("open");
  });
});
