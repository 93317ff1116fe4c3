import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InboundEventSchema } from "../../src/core/inbound-event.ts";
import { CardCallbackSchema, RobotMessageSchema } from "../../src/channels/dingtalk/schemas.ts";
import { cardCallbackToEvent, robotMessageToEvent, stripMention } from "../../src/channels/dingtalk/to-event.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/dingtalk/${name}`, import.meta.url), "utf8")) as unknown;
const NOW = 1795400200000;

describe("robot message → InboundEvent", () => {
  it("1:1 text: staffId as sender, msgId as event id, the session webhook kept", () => {
    const e = robotMessageToEvent(RobotMessageSchema.parse(fixture("robot-text-direct.json")), NOW);
    expect(e).toEqual({
      platform: "dingtalk",
      kind: "message",
      eventId: "msg:msgDIRECT0001",
      senderId: "0101",
      senderName: "张三",
      conversation: { type: "direct", webhook: "https://oapi.dingtalk.com/robot/sendBySession?session=direct0101", webhookExpiresAt: 1795405500000 },
      occurredAt: 1795400100000,
      text: "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去",
    });
    expect(InboundEventSchema.safeParse(e).success).toBe(true);
  });

  it("group @-mention: the mention is stripped, the group is the conversation", () => {
    const e = robotMessageToEvent(RobotMessageSchema.parse(fixture("robot-text-group.json")), NOW);
    expect(e).toMatchObject({
      kind: "message",
      senderId: "0102",
      text: "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去",
      conversation: { type: "group", id: "cidGroupSales==", webhook: "https://oapi.dingtalk.com/robot/sendBySession?session=group01", webhookExpiresAt: 1795405500000 },
    });
  });

  it("a picture is 'unsupported' with its type", () => {
    const e = robotMessageToEvent(RobotMessageSchema.parse(fixture("robot-picture.json")), NOW);
    expect(e).toMatchObject({ kind: "unsupported", messageType: "picture", eventId: "msg:msgPICTURE0001" });
  });

  it("strips only the robot's own mention and leading spaces", () => {
    const bot = "$:LWCP_v1:$bot";
    const onlyBot = { isInAtList: true, chatbotUserId: bot, atUsers: [{ dingtalkId: bot }] };
    const botAndColleague = { ...onlyBot, atUsers: [{ dingtalkId: bot }, { dingtalkId: "$:LWCP_v1:$zs", staffId: "0101" }] };
    // The robot's name is known: removed exactly, even with no space after it.
    expect(stripMention("@销售助手查一下 华东机电", onlyBot, ["销售助手"])).toBe("查一下 华东机电");
    expect(stripMention("\u2005@销售助手 今天拜访了华东机电", onlyBot, ["销售助手"])).toBe("今天拜访了华东机电");
    // Unknown name: one leading "@token " only when the robot is the only one mentioned.
    expect(stripMention("@销售助手 今天拜访了华东机电", onlyBot)).toBe("今天拜访了华东机电");
    expect(stripMention(" @张三 跟进一下华东机电", botAndColleague)).toBe("@张三 跟进一下华东机电"); // DingTalk already took the robot's
    expect(stripMention("@销售助手查一下 华东机电")).toBe("@销售助手查一下 华东机电"); // 1:1: no mention to strip
    expect(stripMention(" 邮件发给 a@b.com", onlyBot)).toBe("邮件发给 a@b.com");
    expect(stripMention("  查客户 华东机电 ")).toBe("查客户 华东机电");
  });
});

describe("card callback → InboundEvent", () => {
  const cb = CardCallbackSchema.parse(fixture("card-callback.json"));

  it("params.action is the action key; the card is the outTrackId", () => {
    const e = cardCallbackToEvent(cb, "mid-1", NOW);
    expect(e).toEqual({
      platform: "dingtalk",
      kind: "action",
      eventId: "card:crd_AbCdEfGhIjKlMnOp:0101:undo:crd_AbCdEfGhIjKlMnOp:mid-1",
      senderId: "0101",
      actionKey: "undo:crd_AbCdEfGhIjKlMnOp",
      cardRef: "crd_AbCdEfGhIjKlMnOp",
      occurredAt: NOW,
    });
  });

  it("a redelivered frame is the same event; a second click (new frame) is a new one", () => {
    const a = cardCallbackToEvent(cb, "mid-1", NOW) as { eventId: string };
    expect((cardCallbackToEvent(cb, "mid-1", NOW + 5000) as { eventId: string }).eventId).toBe(a.eventId);
    expect((cardCallbackToEvent(cb, "mid-2", NOW) as { eventId: string }).eventId).not.toBe(a.eventId);
  });

  it("falls back to actionIds, keeps other params as values, and refuses unreadable content", () => {
    const content = JSON.stringify({ cardPrivateData: { actionIds: ["cancel:crd_AbCdEfGhIjKlMnOp"], params: { reason: "价格太高", n: 3 } } });
    expect(cardCallbackToEvent({ ...cb, content }, "m", NOW)).toMatchObject({ actionKey: "cancel:crd_AbCdEfGhIjKlMnOp", values: { reason: "价格太高", n: "3" } });
    expect(cardCallbackToEvent({ ...cb, content: "not json" }, "m", NOW)).toEqual({ error: "card content: not JSON" });
    expect(cardCallbackToEvent({ ...cb, content: "{}" }, "m", NOW)).toHaveProperty("error");
  });
});

describe("card callback space → conversation", () => {
  it("a click on a group card answers in that group; 1:1 and unknown spaces answer 1:1", async () => {
    const { groupOfSpace } = await import("../../src/channels/dingtalk/to-event.ts");
    expect(groupOfSpace("IM", "dtv1.card//IM_GROUP.cidG==")).toBe("cidG==");
    expect(groupOfSpace("IM_GROUP", "cidG==")).toBe("cidG==");
    expect(groupOfSpace("IM", "dtv1.card//IM_ROBOT.0101")).toBeUndefined();
    expect(groupOfSpace("IM", undefined)).toBeUndefined();
  });
});
