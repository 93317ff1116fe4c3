// A long text is accepted and stored whole on both DingTalk receivers (issue #9: it used to be cut at 4,000
// characters without a word). The same rule holds on every channel; the core answers one too long to read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTimestamp } from "../../src/channels/dingtalk/signature.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { startDingtalkBot } from "./e2e-helpers.ts";

/** 5,000 characters ending in a marker, so a cut anywhere shows. */
const END = "【完】";
const LONG = "客户提了很多问题：交期、质保、付款方式、安装调试和培训。".repeat(200).slice(0, 5000 - END.length) + END;

const stored = async (bot: TestBot, msgId: string) =>
  (await bot.db.prisma.inboxEvent.findUnique({ where: { platform_eventId: { platform: "dingtalk", eventId: `msg:${msgId}` } } }))?.payload as InboundEvent | undefined;

describe("Stream", () => {
  let gw: DingtalkGateway;
  let bot: TestBot;
  beforeAll(async () => {
    ({ gw, bot } = await startDingtalkBot());
  });
  afterAll(async () => {
    await bot?.close();
    await gw?.close();
  });

  it("ACKs a 5,000-character text and stores it whole", async () => {
    expect(LONG).toHaveLength(5000);
    const f = gw.sendRobot(gw.robotMessage({ staffId: "0101", text: LONG, msgId: "long-stream" }));
    await eventually(() => gw.ackFor(f.headers.messageId!), "ACK of the message");
    expect(await stored(bot, "long-stream")).toMatchObject({ kind: "message", senderId: "0101", text: LONG });
  });
});

describe("HTTP mode", () => {
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

  it("answers 200 to a 5,000-character text and stores it whole", async () => {
    const ts = String(FIXED_NOW.getTime());
    const res = await fetch(`${bot.url}/dingtalk/callback`, {
      method: "POST",
      headers: { "content-type": "application/json", timestamp: ts, sign: signTimestamp(ts, gw.api.clientSecret) },
      body: JSON.stringify(gw.robotMessage({ staffId: "0102", text: LONG, msgId: "long-http" })),
    });
    expect(res.status).toBe(200);
    expect(await stored(bot, "long-http")).toMatchObject({ kind: "message", senderId: "0102", text: LONG });
  });
});
