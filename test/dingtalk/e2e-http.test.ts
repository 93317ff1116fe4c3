// End to end in HTTP mode: DingTalk POSTs signed robot messages to /dingtalk/callback on the real app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTimestamp } from "../../src/channels/dingtalk/signature.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { sentTexts } from "./e2e-helpers.ts";

let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
  bot = await startTestBot({ DINGTALK_CLIENT_ID: gw.api.clientId, DINGTALK_CLIENT_SECRET: gw.api.clientSecret, DINGTALK_MODE: "http", DINGTALK_API_BASE: gw.url, DINGTALK_OAPI_BASE: gw.url, HOST: "127.0.0.1" });
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
});

const post = (body: unknown, secret = gw.api.clientSecret, ts = String(FIXED_NOW.getTime())) =>
  fetch(`${bot.url}/dingtalk/callback`, { method: "POST", headers: { "content-type": "application/json", timestamp: ts, sign: signTimestamp(ts, secret) }, body: JSON.stringify(body) });

describe("DingTalk end to end (HTTP mode)", () => {
  it("a signed message is stored and answered through its session webhook", async () => {
    const res = await post(gw.robotMessage({ staffId: "0101", text: "你好呀", msgId: "http-1" }));
    expect(res.status).toBe(200);
    await eventually(() => sentTexts(gw).find((t) => t.via === "webhook" && t.text.includes("没太明白")), "the reply");
    expect(gw.stream.opens).toHaveLength(0);
  });

  it("forged and stale requests get 401 and nothing is stored", async () => {
    const before = await bot.db.prisma.inboxEvent.count();
    expect((await post(gw.robotMessage({ staffId: "0101", text: "x" }), "guessed")).status).toBe(401);
    expect((await post(gw.robotMessage({ staffId: "0101", text: "x" }), undefined, String(FIXED_NOW.getTime() - 3 * 3600_000))).status).toBe(401);
    expect(await bot.db.prisma.inboxEvent.count()).toBe(before);
  });

  it("an unknown person is refused politely and nothing is stored", async () => {
    const before = await bot.db.prisma.inboxEvent.count();
    const m = gw.robotMessage({ staffId: "0999", text: "今天拜访了华东机电" });
    expect((await post(m)).status).toBe(200);
    await eventually(() => sentTexts(gw).find((t) => t.text === REFUSAL_TEXT && m.sessionWebhook.endsWith(t.to.replace("session:", ""))), "the refusal");
    expect(await bot.db.prisma.inboxEvent.count()).toBe(before);
  });

  it("the same msgId posted twice is applied once", async () => {
    const m = gw.robotMessage({ staffId: "0201", text: "你好呀", msgId: "http-dup" });
    expect((await post(m)).status).toBe(200);
    expect((await post(m)).status).toBe(200);
    // A later message to the same person is a barrier: replies to one recipient go out in order.
    const barrier = gw.robotMessage({ staffId: "0201", text: "帮助", msgId: "http-after-dup" });
    expect((await post(barrier)).status).toBe(200);
    await eventually(() => sentTexts(gw).some((t) => barrier.sessionWebhook.endsWith(t.to.replace("session:", ""))), "the barrier reply");
    expect(await bot.db.prisma.inboxEvent.count({ where: { eventId: "msg:http-dup" } })).toBe(1);
    expect(sentTexts(gw).filter((t) => m.sessionWebhook.endsWith(t.to.replace("session:", "")))).toHaveLength(1);
  });
});
