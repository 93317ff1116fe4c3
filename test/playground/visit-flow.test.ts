// The first slice end to end through the real HTTP surface: a rep logs a visit in the playground, the bot asks
// about the new customer, records everything, confirms on a card, and undo really undoes.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

const VISIT = "今天拜访了华东机电的王经理，下季度要200台电机，预算紧，下周三带报价再去";

describe("visit log through the playground", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  beforeAll(async () => {
    bot = await startTestBot();
    pg = new PlaygroundClient(bot.url);
  });
  afterAll(async () => bot?.close());

  const db = () => bot.db.prisma;

  it("asks before creating a new customer, then records customer, contact, visit and follow-up", async () => {
    expect((await pg.say("zhangsan", VISIT)).status).toBe(202);
    const pick = await pg.nthCard("zhangsan", 1);
    expect(pick.purpose).toBe("pick_customer");
    expect(pick.title).toContain("华东机电");
    expect(pick.subtitle).toBe("确认后会新建客户并记录拜访");
    expect(await db().customer.count()).toBe(0); // nothing recorded before the rep confirms

    await pg.click("zhangsan", pick, "新建");
    const confirm = await pg.nthCard("zhangsan", 1, "visit_confirm");
    expect(confirm.title).toBe("已记录拜访");
    const fields = Object.fromEntries(confirm.fields.map((f) => [f.label, f.value]));
    expect(fields["客户"]).toContain("华东机电");
    expect(fields["联系人"]).toBe("王经理");
    expect(fields["需求数量"]).toBe("200");
    expect(fields["下次跟进"]).toMatch(/^12月2日 周三 09:00/);

    // The pick card now shows the decision instead of buttons.
    const updatedPick = await eventually(async () => {
      const items = await pg.botItems("zhangsan");
      const c = items.find((i) => i.type === "card" && i.card.ref === pick.ref);
      return c && c.type === "card" && c.card.status ? c.card : undefined;
    }, "pick card updated");
    expect(updatedPick.buttons).toHaveLength(0);

    const customer = await db().customer.findFirstOrThrow({ include: { contacts: true } });
    expect(customer.name).toBe("华东机电");
    expect(customer.ownerId).toBe("zhangsan");
    expect(customer.stage).toBe("contacted");
    expect(customer.contacts.map((c) => c.name)).toEqual(["王经理"]);
    const activity = await db().activity.findFirstOrThrow();
    expect(activity.quantity).toBe(200);
    expect(activity.rawText).toBe(VISIT);
    const task = await db().task.findFirstOrThrow();
    expect(task.ownerId).toBe("zhangsan");
    expect(task.status).toBe("open");
    expect(task.dueAt.toISOString()).toBe("2026-12-02T01:00:00.000Z"); // Wed 09:00 Asia/Shanghai

    const actions = (await db().auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["customer.create", "contact.create", "activity.create", "task.create"]));
    expect((await db().auditLog.findFirstOrThrow({ where: { action: "customer.create" } })).actorId).toBe("zhangsan");
  });

  it("undo removes the visit, its reminder and the customer it created, and updates the card", async () => {
    const confirm = await pg.nthCard("zhangsan", 1, "visit_confirm");
    await pg.click("zhangsan", confirm, "撤销");
    const undone = await eventually(async () => {
      const c = (await pg.botItems("zhangsan")).find((i) => i.type === "card" && i.card.ref === confirm.ref);
      return c && c.type === "card" && c.card.status ? c.card : undefined;
    }, "confirmation card shows the undo");
    expect(undone.status?.text).toContain("已撤销");
    expect(undone.buttons).toHaveLength(0);

    await eventually(async () => (await db().activity.findFirst({ where: { undoneAt: { not: null } } })) !== null, "activity undone");
    expect((await db().task.findFirstOrThrow()).status).toBe("cancelled");
    expect((await db().customer.findFirstOrThrow()).deletedAt).not.toBeNull();
    expect((await db().contact.findFirstOrThrow()).deletedAt).not.toBeNull();
    expect(await db().auditLog.count({ where: { action: "activity.undo" } })).toBe(1);

    // Clicking undo again is refused and changes nothing.
    const before = await db().auditLog.count();
    await pg.click("zhangsan", confirm, "撤销").catch(() => undefined); // the button is gone from the card view…
    await pg.post("/playground/api/actions", { userId: "zhangsan", actionKey: confirm.buttons[0]!.action, cardRef: confirm.ref });
    expect(await pg.lastText("zhangsan", 2)).toContain("已经处理过");
    expect(await db().auditLog.count()).toBe(before);
  });

  it("matches an existing customer by short name and records at once", async () => {
    const lisiCustomer = await db().customer.create({
      data: { name: "苏州恒通精密机械有限公司", normalizedName: "恒通精密机械", ownerId: "zhangsan", aliases: [], tags: [] },
    });
    await pg.say("zhangsan", "刚给恒通精密打了电话，张总说月底前定方案，明天下午三点再联系");
    const confirm = await pg.nthCard("zhangsan", 2, "visit_confirm");
    expect(confirm.fields.find((f) => f.label === "客户")?.value).toBe("苏州恒通精密机械有限公司");
    expect(confirm.title).toBe("已记录电话"); // a call is not confirmed as a visit
    const activity = await db().activity.findFirstOrThrow({ where: { customerId: lisiCustomer.id } });
    expect(activity.userId).toBe("zhangsan");
    expect(activity.kind).toBe("call");

    await pg.say("zhangsan", "微信上跟常州新起点电子的周工聊了下 规格书周四前发他");
    const pick = await pg.nthCard("zhangsan", 2, "pick_customer");
    expect(pick.subtitle).toBe("确认后会新建客户并记录消息"); // the question names the kind too
    const task = await db().task.findFirstOrThrow({ where: { activityId: activity.id } });
    expect(task.dueAt.toISOString()).toBe("2026-11-24T07:00:00.000Z"); // tomorrow 15:00 Shanghai
  });

  it("answers a customer look-up with a profile card, and refuses other reps' customers", async () => {
    await pg.say("zhangsan", "客户 恒通精密");
    const profile = await pg.nthCard("zhangsan", 1, "customer_profile");
    expect(profile.title).toBe("苏州恒通精密机械有限公司");
    expect(profile.subtitle).toContain("张三");
    expect(profile.fields.find((f) => f.label === "联系人")?.value).toContain("张总");

    await pg.say("lisi", "客户 恒通精密");
    expect(await pg.lastText("lisi", 1)).toContain("没有查看权限");
    // The manager sees the team's customers.
    await pg.say("wangwu", "客户 恒通精密");
    expect((await pg.nthCard("wangwu", 1, "customer_profile")).title).toBe("苏州恒通精密机械有限公司");
  });

  it("lists to-dos, shows help, and answers nonsense helpfully", async () => {
    await pg.say("zhangsan", "我的待办");
    const todo = await pg.nthCard("zhangsan", 1, "todo_list");
    expect(todo.title).toContain("待办（1）");
    expect(todo.lines?.[0]).toContain("恒通精密");

    await pg.say("zhangsan", "帮助");
    expect((await pg.nthCard("zhangsan", 1, "help")).lines?.length).toBeGreaterThan(3);

    await pg.say("lisi", "asdfgh 啦啦啦");
    expect(await pg.lastText("lisi", 2)).toContain("没太明白");
  });

  it("applies a retried message once", async () => {
    const id = "0b8a7c9e-2f8d-4d3b-9a51-5d6a3f1e2b7c";
    const first = await pg.say("lisi", "今天拜访了远大重工的刘工，下周一再去", id);
    const again = await pg.say("lisi", "今天拜访了远大重工的刘工，下周一再去", id);
    expect(first.body.outcome).toBe("accepted");
    expect(again.body.outcome).toBe("duplicate");
    await pg.nthCard("lisi", 1, "pick_customer");
    // Nothing of lisi's left to handle: a second handling would have happened by now.
    await eventually(async () => (await db().inboxEvent.count({ where: { senderId: "lisi", status: "pending" } })) === 0, "lisi's events handled");
    expect(await db().pendingAction.count({ where: { userId: "lisi" } })).toBe(1);
    expect(await db().inboxEvent.count({ where: { eventId: id } })).toBe(1);
  });

  it("refuses clicks on someone else's card and on unknown cards, changing nothing", async () => {
    const pick = await pg.nthCard("lisi", 1, "pick_customer");
    const before = await db().customer.count();
    await pg.click("zhangsan", pick, "新建");
    await eventually(async () => (await pg.botItems("zhangsan")).some((i) => i.type === "text" && i.text.includes("不是发给你的")), "refusal for a foreign card");
    await pg.post("/playground/api/actions", { userId: "zhangsan", actionKey: "undo:crd_doesnotexist0000", cardRef: "crd_doesnotexist0000" });
    await eventually(async () => (await pg.botItems("zhangsan")).some((i) => i.type === "text" && i.text.includes("不存在或已失效")), "refusal for an unknown card");
    expect(await db().customer.count()).toBe(before);
  });

  it("accepts typed twins of the card buttons (新建, 撤销) for channels without interactive cards", async () => {
    await pg.say("lisi", "新建");
    const confirm = await pg.nthCard("lisi", 1, "visit_confirm");
    expect(confirm.fields.find((f) => f.label === "客户")?.value).toContain("远大重工");
    expect(confirm.textCommands).toContain("撤销");
    await pg.say("lisi", "撤销");
    await eventually(async () => (await db().activity.count({ where: { userId: "lisi", undoneAt: { not: null } } })) === 1, "typed undo applied");
    await pg.say("lisi", "撤销");
    await eventually(async () => (await pg.botItems("lisi")).some((i) => i.type === "text" && i.text.includes("没有可以撤销")), "nothing left to undo");
  });

  it("marks an expired card as expired when clicked, and records nothing", async () => {
    await pg.say("wangwu", "今天拜访了青松环保的陈总，下周二再去");
    const pick = await pg.nthCard("wangwu", 1, "pick_customer");
    await db().card.update({ where: { ref: pick.ref }, data: { expiresAt: new Date("2026-01-01T00:00:00Z") } });
    await pg.click("wangwu", pick, "新建");
    expect(await pg.lastText("wangwu", 1)).toContain("已过期");
    expect((await db().card.findUniqueOrThrow({ where: { ref: pick.ref } })).status).toBe("expired");
    expect(await db().customer.count({ where: { name: { contains: "青松" } } })).toBe(0);
  });

  it("answers only a browser on this machine, not one behind a proxy or a foreign Host", async () => {
    const proxied = await fetch(bot.url + "/playground/api/users", { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(proxied.status).toBe(403);
    // fetch cannot set Host; node:http can, as a DNS-rebinding page's requests would carry it.
    const rebinding = await new Promise<number>((resolve, reject) =>
      http.get(bot.url + "/playground/api/users", { headers: { host: "evil.example.com" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject),
    );
    expect(rebinding).toBe(403);
    expect((await fetch(bot.url + "/playground/api/users")).status).toBe(200);
  });

  it("refuses strangers politely and stores nothing of theirs", async () => {
    const r = await pg.say("stranger", "今天拜访了华东机电的王经理");
    expect(r.body.outcome).toBe("unknown_sender");
    expect(await pg.lastText("stranger", 1)).toContain("使用名单");
    expect(await db().inboxEvent.count({ where: { payload: { path: ["senderId"], equals: "stranger" } } })).toBe(0);
  });

  it("rejects malformed requests with a clear 400", async () => {
    const empty = await pg.post("/playground/api/messages", { userId: "zhangsan", text: "   " });
    expect(empty.status).toBe(400);
    expect(String(empty.body.message)).toContain("消息不能为空");
    const garbage = await fetch(bot.url + "/playground/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(garbage.status).toBe(400);
  });
});
