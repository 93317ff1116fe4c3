// End to end over real HTTP: the driver plays WeCom's callbacks into the real bot, the bot answers through
// the WeCom API simulator. No timing assertions: every wait polls (eventually).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type SentCard, type WecomHarness } from "./wecom-harness.ts";

const VISIT = "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去";
let h: WecomHarness;

beforeAll(async () => {
  h = await startWecomHarness();
});
afterAll(() => h?.close());

const activities = () => h.bot.db.prisma.activity.count({ where: { undoneAt: null } });
const newCard = (before: number, title?: string) =>
  eventually(() => cardsSentTo(h.sim, "ZhangSan").slice(before).find((c) => !title || c.title === title), `a card ${title ?? ""}`);
const button = (card: SentCard, text: string) => {
  const b = card.buttons.find((x) => x.text.startsWith(text));
  if (!b) throw new Error(`no button ${text} on ${card.title}`);
  return b;
};

describe("URL verification", () => {
  it("answers the bare plaintext, also when the echostr contains '+'", async () => {
    const plain = "1616140317555161061";
    // Each encryption starts with 16 random bytes: ask again until the echostr carries a '+'.
    let r = await h.driver.verifyUrl(plain);
    for (let i = 0; i < 50 && !r.echostr.includes("+"); i++) r = await h.driver.verifyUrl(plain);
    expect(r.echostr).toContain("+");
    expect(r.status).toBe(200);
    expect(r.text).toBe(plain);
  });

  it("refuses a verification signed with another token", async () => {
    const r = await h.driver.verifyUrl("12345", { token: "not-the-token" });
    expect(r.status).toBe(401);
    expect(r.text).not.toContain("12345");
  });
});

describe("a visit log from WeCom", () => {
  let confirm: SentCard;

  it("asks about the new customer on a card, and records the visit after the click on 新建", async () => {
    const sent = await h.driver.deliver(h.driver.textXml("ZhangSan", VISIT));
    expect(sent).toMatchObject({ status: 200, text: "", attempts: 1 });
    const pick = await newCard(0);
    expect(pick.taskId).toMatch(/^crd_/);
    expect(await activities()).toBe(0);

    const code = h.sim.issueResponseCode();
    const create = button(pick, "新建");
    const before = cardsSentTo(h.sim, "ZhangSan").length;
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: create.key, taskId: pick.taskId, responseCode: code }));

    confirm = await newCard(before, "已记录拜访");
    expect(await activities()).toBe(1);
    const update = await eventually(() => h.sim.updates.find((u) => u.response_code === code), "the pick card updated");
    expect(update).toMatchObject({ userids: ["ZhangSan"], agentid: h.config.agentId, button: { replace_name: expect.stringContaining("华东机电") } });
  });

  it("applies a callback WeCom retried three times exactly once", async () => {
    const cardsBefore = cardsSentTo(h.sim, "ZhangSan").length;
    const prepared = h.driver.prepare(h.driver.textXml("ZhangSan", VISIT));
    for (let i = 0; i < 4; i++) expect((await h.driver.post(prepared)).status).toBe(200);
    const second = await newCard(cardsBefore, "已记录拜访");
    await eventually(async () => (await h.bot.db.prisma.inboxEvent.count({ where: { status: "pending" } })) === 0, "inbox drained");
    expect(await activities()).toBe(2);
    expect(cardsSentTo(h.sim, "ZhangSan").slice(cardsBefore).filter((c) => c.title === "已记录拜访")).toHaveLength(1);
    expect(second.taskId).not.toBe(confirm.taskId);
    confirm = second;
  });

  it("undoes on 撤销 and updates the card in place, once even if the click is retried", async () => {
    const code = h.sim.issueResponseCode();
    const click = h.driver.prepare(h.driver.cardEventXml({ from: "ZhangSan", eventKey: button(confirm, "撤销").key, taskId: confirm.taskId, responseCode: code }));
    for (let i = 0; i < 4; i++) expect((await h.driver.post(click)).status).toBe(200);
    const update = await eventually(() => h.sim.updates.find((u) => u.response_code === code), "update_template_card");
    expect(update).toMatchObject({ button: { replace_name: expect.stringContaining("已撤销") } });
    await eventually(async () => (await activities()) === 1, "one visit undone");
    await eventually(() => textsSentTo(h.sim, "ZhangSan").some((t) => t.startsWith("已撤销对「华东机电」")), "the undo confirmation text");
    expect(h.sim.updates.filter((u) => u.response_code === code)).toHaveLength(1);
  });
});

describe("sending through WeCom trouble", () => {
  it("recovers when WeCom expires the token mid-way", async () => {
    const before = h.sim.sentTo("LiSi").length;
    const fetches = h.sim.tokenFetches;
    h.sim.expireTokens();
    await h.driver.deliver(h.driver.textXml("LiSi", "帮助"));
    await eventually(() => h.sim.sentTo("LiSi").length > before, "a reply to LiSi");
    expect(h.sim.tokenFetches).toBe(fetches + 1);
    expect(h.sim.requests.some((r) => r.errcode === 42001)).toBe(true);
  });

  it("delays a message on 45009 and delivers it later (queued, not lost)", async () => {
    const before = h.sim.sentTo("WangWu").length;
    h.sim.failNext(45009, 1, "/cgi-bin/message/send");
    await h.driver.deliver(h.driver.textXml("WangWu", "帮助"));
    const held = await eventually(
      () => h.bot.db.prisma.outboxMessage.findFirst({ where: { recipient: "WangWu", status: "pending", lastError: { contains: "45009" } } }),
      "the message held back after 45009",
    );
    expect(held.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000); // WeCom blocks for 60 s
    expect(h.sim.sentTo("WangWu").length).toBe(before);
    // Skip the wait instead of sleeping a minute: the outbox picks it up on its next pass.
    await h.bot.db.prisma.outboxMessage.update({ where: { id: held.id }, data: { nextAttemptAt: new Date() } });
    h.bot.outboxWorker.wake();
    await eventually(async () => (await h.bot.db.prisma.outboxMessage.findUnique({ where: { id: held.id } }))?.status === "sent", "delivered after the back-off");
    expect(h.sim.sentTo("WangWu").length).toBeGreaterThan(before);
  });
});
