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

describe("opening the app and messages the bot cannot read", () => {
  it("greets on enter_agent with the help card (陈七 is in the warehouse: the warehouse's own help)", async () => {
    const r = await h.driver.deliver(h.driver.eventXml("ChenQi", "enter_agent"));
    expect(r).toMatchObject({ status: 200, text: "" });
    // At least one greeting (the handler greets once per member per day, so a later enter_agent may stay quiet).
    await eventually(() => textsSentTo(h.sim, "ChenQi").some((t) => t.startsWith("**仓库同事可以这样用**")), "the help card");
    expect(h.sim.sentTo("ChenQi", "markdown")[0]).toMatchObject({ agentid: h.config.agentId, markdown: { content: expect.stringContaining("确认发货") } });
  });

  it("greets once a day: opening the app again the same day stays quiet", async () => {
    const greetings = () => textsSentTo(h.sim, "ChenQi").filter((t) => t.startsWith("**仓库同事可以这样用**")).length;
    expect(greetings()).toBe(1);
    await h.driver.deliver(h.driver.eventXml("ChenQi", "enter_agent"));
    await eventually(async () => (await h.bot.db.prisma.inboxEvent.count({ where: { status: "done" } })) >= 2 || undefined, "second enter_agent handled");
    await h.driver.deliver(h.driver.textXml("ChenQi", "我的待办")); // a later reply proves the queue moved past it
    await eventually(() => textsSentTo(h.sim, "ChenQi").some((t) => t.includes("待办")), "the to-do answer");
    expect(greetings()).toBe(1);
  });

  for (const [type, name] of [["image", "图片"], ["voice", "语音"], ["location", "位置"], ["file", "文件"]] as const) {
    it(`answers a ${type} message saying what the bot understands`, async () => {
      await h.driver.deliver(h.driver.mediaXml("ChenQi", type));
      const answer = await eventually(() => textsSentTo(h.sim, "ChenQi").find((t) => t.includes(`看不懂${name}`)), `the answer to a ${type}`);
      expect(answer).toContain("请直接发文字");
    });
  }
});

describe("sending through WeCom trouble", () => {
  const sends = () => h.sim.requests.filter((r) => r.path === "/cgi-bin/message/send");
  const replyAfter = async (user: string, change: () => void, errcode: number) => {
    const before = h.sim.sentTo(user).length;
    const fetches = h.sim.tokenFetches;
    const asked = sends().length;
    change();
    await h.driver.deliver(h.driver.textXml(user, "帮助"));
    await eventually(() => h.sim.sentTo(user).length > before, `a reply to ${user}`);
    expect(h.sim.tokenFetches).toBe(fetches + 1);
    expect(sends().slice(asked).map((r) => r.errcode)).toEqual([errcode, 0]);
  };

  it("recovers when WeCom expires the token mid-way (42001)", () => replyAfter("LiSi", () => h.sim.expireTokens(), 42001));
  it("recovers when WeCom revokes the token (40014)", () => replyAfter("LiSi", () => h.sim.revokeTokens(), 40014));
  it("recovers when WeCom says the request carried no token (41001)", () => replyAfter("LiSi", () => h.sim.dropTokenOnce(), 41001));

  it("fetches one new token for a burst of replies to several members", async () => {
    const users = ["ZhangSan", "LiSi", "WangWu", "ZhaoLiu", "ChenQi", "Admin"];
    const before = new Map(users.map((u) => [u, h.sim.sentTo(u).length]));
    const fetches = h.sim.tokenFetches;
    h.sim.revokeTokens();
    await Promise.all(users.map((u) => h.driver.deliver(h.driver.textXml(u, "帮助"))));
    await eventually(() => users.every((u) => h.sim.sentTo(u).length > before.get(u)!), "a reply to everyone");
    expect(h.sim.tokenFetches).toBe(fetches + 1);
  });

  it("counts a card as delivered when WeCom took it but the answer was lost (42014 on the re-send), and updates it from the click", async () => {
    const isCard = (path: string, body: Record<string, unknown> | null) => path === "/cgi-bin/message/send" && body?.msgtype === "template_card" && body.touser === "ZhaoLiu";
    h.sim.loseReplies(1, isCard);
    await h.driver.deliver(h.driver.textXml("ZhaoLiu", "今天拜访了西北重工的刘总，下周一带样品再去"));
    const pick = await eventually(() => cardsSentTo(h.sim, "ZhaoLiu")[0], "ZhaoLiu's card");
    const ofCard = { recipient: "ZhaoLiu", payload: { path: ["body", "card", "ref"], equals: pick.taskId } };
    const row = await eventually(() => h.bot.db.prisma.outboxMessage.findFirst({ where: { ...ofCard, status: { not: "pending" } } }), "the card done with");
    expect(row.status).toBe("sent"); // not dead: WeCom has it
    expect(h.sim.requests.filter((r) => isCard(r.path, r.body)).map((r) => [r.errcode, r.lost ?? false])).toEqual([[0, true], [42014, false]]);
    expect(cardsSentTo(h.sim, "ZhaoLiu")).toHaveLength(1);
    // The send's response_code was lost with the answer: nothing is kept, so an update must use a click's code.
    const stored = await eventually(() => h.bot.db.prisma.card.findFirst({ where: { ref: pick.taskId, externalId: { not: null } } }), "the delivery recorded");
    expect(stored).toMatchObject({ externalId: pick.taskId, responseCode: null });

    const code = h.sim.issueResponseCode();
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhaoLiu", eventKey: button(pick, "新建").key, taskId: pick.taskId, responseCode: code }));
    await eventually(() => h.sim.updates.find((u) => u.response_code === code), "the card updated in place with the click's code");
  });
});
