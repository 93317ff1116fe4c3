// What a member types is never a reason to refuse a callback (issue #9), over real HTTP into the real bot with
// real @wecom/crypto envelopes: markup-looking text ("<!doctype html>") and very long texts are acked, stored
// whole and answered, while a document that really declares a DTD or entities is still refused.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { eventually } from "../support/test-bot.ts";
import { newMsgId } from "../simulators/wecom-driver.ts";
import { startWecomHarness, textsSentTo, type WecomHarness } from "./wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
});
afterAll(() => h?.close());

/** The stored event of a WeCom message, as the inbox keeps it. */
const stored = async (msgId: string) => {
  const row = await h.bot.db.prisma.inboxEvent.findUnique({ where: { platform_eventId: { platform: "wecom", eventId: `msg:${msgId}` } } });
  return row?.payload as InboundEvent | undefined;
};
const replied = (user: string) => eventually(() => textsSentTo(h.sim, user)[0], `a reply to ${user}`);

/** A long text that ends in a marker, so a cut anywhere shows. */
const longText = (chars: number) => {
  const end = "【完】";
  return "今天拜访了华东机电的王经理，聊了下季度的电机需求和交期。".repeat(Math.ceil(chars / 20)).slice(0, chars - end.length) + end;
};

describe("markup in the message text", () => {
  it.each([
    ["LiSi", "报价单链接打不开，显示 <!doctype html> 一堆代码"],
    ["WangWu", '客户发来的文件里写着 <!DOCTYPE x [<!ENTITY lol "lol">]> &lol; 是什么意思'],
  ])("is accepted from a known member, stored as typed and answered (%s)", async (user, content) => {
    const msgId = newMsgId();
    const r = await h.driver.deliver(h.driver.textXml(user, content, msgId));
    expect(r).toMatchObject({ status: 200, text: "", attempts: 1 });
    expect(await stored(msgId)).toMatchObject({ kind: "message", senderId: user, text: content });
    expect(await replied(user)).toBeTruthy();
  });

  it("still refuses a document that declares a DTD or entities (the entity bomb), storing nothing", async () => {
    const before = await h.bot.db.prisma.inboxEvent.count();
    const bomb = readFileSync(new URL("../fixtures/wecom/entity-bomb.xml", import.meta.url), "utf8");
    const r = await h.driver.post(h.driver.prepare(bomb));
    expect(r).toEqual({ status: 400, text: "DTDs and entities are not accepted" });
    // The same, in front of an ordinary text: a DOCTYPE before the root element is refused whatever follows.
    const dtd = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e "x">]>${h.driver.textXml("ZhangSan", "你好")}`;
    expect((await h.driver.post(h.driver.prepare(dtd))).status).toBe(400);
    // …and a declaration smuggled inside an element, outside CDATA, too.
    const inside = h.driver.textXml("ZhangSan", "你好").replace("<Content>", '<Content><!ENTITY e "x">');
    expect((await h.driver.post(h.driver.prepare(inside))).status).toBe(400);
    expect(await h.bot.db.prisma.inboxEvent.count()).toBe(before);
  });
});

describe("long texts", () => {
  it.each([
    ["ZhaoLiu", 5000],
    ["ChenQi", 20_000],
  ])("from %s: %i characters are acked and stored whole", async (user, chars) => {
    const text = longText(chars);
    expect(text).toHaveLength(chars);
    const msgId = newMsgId();
    const r = await h.driver.deliver(h.driver.textXml(user, text, msgId));
    expect(r).toMatchObject({ status: 200, attempts: 1 });
    expect(await stored(msgId)).toMatchObject({ kind: "message", senderId: user, text });
  });

  it("still answers 413 to a body over the size cap", async () => {
    const r = await h.driver.post(h.driver.prepare(h.driver.textXml("ZhangSan", "长".repeat(200_000))));
    expect(r.status).toBe(413);
  });
});
