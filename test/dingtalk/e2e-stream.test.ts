// End to end over Stream with an interactive card template: the real app (fresh database), the unmodified
// DWClient through our subclass, the fake DingTalk gateway.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { TOPIC_CARD, TOPIC_ROBOT, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { VISIT_TEXT, button, cardUpdates, deliveredCards, sentTexts, startDingtalkBot } from "./e2e-helpers.ts";

let gw: DingtalkGateway;
let bot: TestBot;
const inboxCount = () => bot.db.prisma.inboxEvent.count();

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema" }));
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

describe("DingTalk end to end (Stream, card template)", () => {
  it("1:1 visit log of a new customer: pick card → 新建 → confirmation; 撤销 updates the card", async () => {
    const f = gw.sendRobot(gw.robotMessage({ staffId: "0101", nick: "张三", text: VISIT_TEXT, msgId: "visit-1" }));
    await eventually(() => gw.ackFor(f.headers.messageId!), "ACK of the message");
    const pick = await eventually(() => deliveredCards(gw).find((c) => c.openSpaceId === "dtv1.card//IM_ROBOT.0101" && (c.params.title ?? "").includes("华东机电")), "the pick_customer card");
    const create = button(pick, /^新建/);

    gw.sendCard(gw.cardClick({ outTrackId: pick.outTrackId, userId: "0101", action: create.action }));
    const confirm = await eventually(() => deliveredCards(gw).find((c) => c.params.title === "已记录拜访"), "the visit confirmation card");
    expect(confirm.params.fields_md).toContain("华东机电");
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === pick.outTrackId && u.params.has_status === "true"), "the pick card shows the decision");
    expect(await bot.db.prisma.activity.count()).toBe(1);

    gw.sendCard(gw.cardClick({ outTrackId: confirm.outTrackId, userId: "0101", action: button(confirm, /撤销/).action }));
    const undone = await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === confirm.outTrackId), "the confirmation card updated");
    expect(undone.params).toMatchObject({ has_status: "true", buttons_visible: "false" });
    expect(undone.params.status_text).toContain("已撤销");
  });

  it("refuses unknown people politely and stores nothing", async () => {
    const before = await inboxCount();
    const m = gw.robotMessage({ staffId: "0999", text: VISIT_TEXT });
    const f = gw.sendRobot(m);
    await eventually(() => gw.ackFor(f.headers.messageId!), "ACK");
    await eventually(() => sentTexts(gw).find((t) => t.text === REFUSAL_TEXT && m.sessionWebhook.endsWith(t.to.replace("session:", ""))), "the refusal");
    expect(await inboxCount()).toBe(before);
  });

  it("clicks on unknown or someone else's cards get a clear refusal; nothing changes; the connection stays", async () => {
    const activities = await bot.db.prisma.activity.count();
    gw.sendCard(gw.cardClick({ outTrackId: "crd_Unknown1234567890", userId: "0101", action: "undo:crd_Unknown1234567890" }));
    await eventually(() => sentTexts(gw).find((t) => t.to === "0101" && t.text.includes("不存在或已失效")), "unknown-card refusal");
    const someoneElses = deliveredCards(gw).find((c) => c.params.title === "已记录拜访")!;
    gw.sendCard(gw.cardClick({ outTrackId: someoneElses.outTrackId, userId: "0102", action: `undo:${someoneElses.outTrackId}` }));
    await eventually(() => sentTexts(gw).find((t) => t.to === "0102" && t.text.includes("不是发给你的")), "foreign-card refusal");
    expect(await bot.db.prisma.activity.count()).toBe(activities);
    expect(gw.stream.opens).toHaveLength(1);
  });

  it("malformed frames, non-JSON data and unknown topics are ACKed and dropped; the connection stays", async () => {
    const before = await inboxCount();
    const frames = [gw.push(gw.frame("CALLBACK", TOPIC_ROBOT, "{oops")), gw.push(gw.frame("CALLBACK", TOPIC_ROBOT, { msgId: 1 })), gw.push(gw.frame("CALLBACK", "/v1.0/nope", {}))];
    gw.pushRaw("garbage");
    for (const f of frames) await eventually(() => gw.ackFor(f.headers.messageId!), "ACK");
    const ping = gw.ping("still-there");
    await eventually(() => gw.ackFor(ping.headers.messageId!), "ping echo");
    expect(await inboxCount()).toBe(before);
    expect(gw.stream.opens).toHaveLength(1);
  });

  it("the same msgId delivered twice is applied once", async () => {
    const m = gw.robotMessage({ staffId: "0201", text: "帮助", msgId: "dup-1" });
    const a = gw.sendRobot(m);
    const b = gw.sendRobot(m);
    await eventually(() => gw.ackFor(a.headers.messageId!) && gw.ackFor(b.headers.messageId!), "both ACKs");
    // A later message to the same person is a barrier: replies to one recipient go out in order.
    gw.sendRobot(gw.robotMessage({ staffId: "0201", text: "你好呀", msgId: "after-dup" }));
    await eventually(() => sentTexts(gw).find((t) => t.text.includes("没太明白")), "the barrier reply");
    expect(deliveredCards(gw).filter((c) => c.openSpaceId === "dtv1.card//IM_ROBOT.0201")).toHaveLength(1);
    expect(await bot.db.prisma.inboxEvent.count({ where: { eventId: "msg:dup-1" } })).toBe(1);
  });

  it("a card callback frame pushed twice (same messageId) has one effect; under a new messageId the card's state refuses it", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0102", text: "今天拜访了宏达电子的李经理，下季度要50台电机" }));
    const pick = await eventually(() => deliveredCards(gw).find((c) => c.openSpaceId === "dtv1.card//IM_ROBOT.0102" && (c.params.title ?? "").includes("宏达电子")), "the pick card");
    const click = gw.frame("CALLBACK", TOPIC_CARD, gw.cardClick({ outTrackId: pick.outTrackId, userId: "0102", action: button(pick, /^新建/).action }));
    gw.push(click);
    gw.push(click); // a redelivery: DingTalk did not see our ACK
    await eventually(() => gw.stream.acks.filter((a) => a.headers.messageId === click.headers.messageId).length === 2, "both frames ACKed");
    await eventually(() => deliveredCards(gw).find((c) => c.params.title === "已记录拜访" && c.openSpaceId.endsWith(".0102")), "the confirmation");
    expect(await bot.db.prisma.inboxEvent.count({ where: { eventId: { startsWith: `card:${pick.outTrackId}:` } } })).toBe(1);

    // Should a redelivery ever come under a new messageId, it is a second event, and the decided card refuses it.
    gw.push({ ...click, headers: { ...click.headers, messageId: `${click.headers.messageId}-again` } });
    await eventually(() => sentTexts(gw).find((t) => t.text.includes("已经处理过了")), "the 'already handled' answer");
    expect(await bot.db.prisma.activity.count({ where: { customer: { name: "宏达电子" } } })).toBe(1);
    expect(deliveredCards(gw).filter((c) => c.params.title === "已记录拜访" && c.openSpaceId.endsWith(".0102"))).toHaveLength(1);
  });

  it("a flow-controlled user is retried later and gets the message", async () => {
    gw.api.flowControl.set("0301", 1);
    const expired = Date.parse("2026-11-23T09:00:00+08:00"); // webhook already expired: replies go through batchSend
    gw.sendRobot(gw.robotMessage({ staffId: "0301", msgtype: "picture", webhookExpiresAt: expired }));
    await eventually(() => gw.calls("/v1.0/robot/oToMessages/batchSend").filter((c) => JSON.stringify(c.body).includes("0301")).length >= 2, "a retried send", 15_000);
    const row = await eventually(() => bot.db.prisma.outboxMessage.findFirst({ where: { recipient: "0301", status: "sent" } }), "the reply marked sent", 15_000);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it("after a disconnect the bot reconnects with a new ticket and loses nothing pushed afterwards", async () => {
    gw.disconnect();
    await eventually(() => gw.stream.usedTickets.length === 2 && gw.stream.sockets.size === 1, "reconnected, the old socket closed");
    expect(new Set(gw.stream.usedTickets).size).toBe(2);
    gw.sendRobot(gw.robotMessage({ staffId: "0401", text: "帮助", msgId: "after-reconnect" }));
    await eventually(() => deliveredCards(gw).find((c) => c.openSpaceId === "dtv1.card//IM_ROBOT.0401"), "the reply after reconnect");
  });
});
