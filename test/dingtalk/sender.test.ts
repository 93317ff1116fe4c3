// The DingTalk sender against the fake OpenAPI: routing, tokens, throttling, cards with and without a template.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermanentSendError, RetryableSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundMessage } from "../../src/core/outbound-message.ts";
import { DingtalkApi } from "../../src/channels/dingtalk/api-client.ts";
import { DingtalkSender } from "../../src/channels/dingtalk/sender.ts";
import { RateLimiter } from "../../src/channels/dingtalk/rate-limiter.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { FORBIDDEN, THROTTLE_FORMS, type ThrottleForm } from "../simulators/dingtalk-openapi.ts";

const NOW = new Date("2026-11-23T10:00:00+08:00");
const log = createLogger("silent");
const card: Card = {
  ref: "crd_AbCdEfGhIjKlMnOp",
  purpose: "visit_confirm",
  title: "已记录拜访",
  tone: "success",
  fields: [{ label: "客户", value: "华东机电" }],
  buttons: [{ label: "撤销", action: "undo:crd_AbCdEfGhIjKlMnOp", style: "danger" }],
  textCommands: ["撤销"],
};

let gw: DingtalkGateway;
const clock = new ManualClock(NOW);
const sender = (templateId?: string, c: ManualClock = clock) =>
  new DingtalkSender(new DingtalkApi({ clientId: "dingFAKEKEY", clientSecret: "fakeSecret", apiBase: gw.url, log, clock: c }), { robotCode: "dingFAKEKEY", cardTemplateId: templateId, oapiBase: gw.url }, c, log);
const webhookTo = (session: string) => ({ type: "direct" as const, webhook: `${gw.url}/robot/sendBySession?session=${session}`, webhookExpiresAt: NOW.getTime() + 3600_000 });
const msg = (body: OutboundMessage["body"], extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ platform: "dingtalk", recipient: "0101", body, ...extra });
const msgParam = (path: string, i = 0) => JSON.parse((gw.calls(path)[i]!.body as { msgParam: string }).msgParam) as Record<string, string>;

beforeEach(async () => {
  gw = await startDingtalkGateway({ now: () => clock.now().getTime() });
});
afterEach(async () => {
  expect(gw.api.violations).toEqual([]);
  await gw.close();
});

describe("DingTalk sender: where a message goes", () => {
  it("uses the session webhook while it is valid, then the robot API", async () => {
    const s = sender();
    const webhook = `${gw.url}/robot/sendBySession?session=abc`;
    await s.send(msg({ type: "text", text: "你好" }, { conversation: { type: "direct", webhook, webhookExpiresAt: NOW.getTime() + 3600_000 } }));
    expect(gw.calls("/robot/sendBySession")[0]!.body).toEqual({ msgtype: "text", text: { content: "你好" } });
    await s.send(msg({ type: "text", text: "晚了" }, { conversation: { type: "direct", webhook, webhookExpiresAt: NOW.getTime() - 1 } }));
    expect(gw.calls("/v1.0/robot/oToMessages/batchSend")[0]!.body).toMatchObject({ robotCode: "dingFAKEKEY", userIds: ["0101"], msgKey: "sampleText" });
    expect(msgParam("/v1.0/robot/oToMessages/batchSend")).toEqual({ content: "晚了" });
  });

  it("never posts to a webhook outside DingTalk's host", async () => {
    await sender().send(msg({ type: "text", text: "x" }, { conversation: { type: "direct", webhook: "https://evil.example/steal", webhookExpiresAt: NOW.getTime() + 3600_000 } }));
    expect(gw.calls("/v1.0/robot/oToMessages/batchSend")).toHaveLength(1);
  });

  it("falls back to the robot API when the session webhook answers a non-zero errcode", async () => {
    gw.inject({ path: "/robot/sendBySession", reply: { status: 200, body: { errcode: 300001, errmsg: "session 已失效" } } });
    await sender().send(msg({ type: "text", text: "你好" }, { conversation: webhookTo("gone") }));
    expect(gw.calls("/robot/sendBySession")).toHaveLength(1);
    expect(msgParam("/v1.0/robot/oToMessages/batchSend")).toEqual({ content: "你好" });
  });

  it("groups: webhook with an @ of the person, else groupMessages/send with markdown as a JSON string", async () => {
    const s = sender();
    const group = { type: "group" as const, id: "cidGroup==", webhook: `${gw.url}/robot/sendBySession?session=g`, webhookExpiresAt: NOW.getTime() + 3600_000 };
    await s.send(msg({ type: "text", text: "好的" }, { conversation: group }));
    expect(gw.calls("/robot/sendBySession")[0]!.body).toMatchObject({ at: { atUserIds: ["0101"], isAtAll: false } });
    await s.send(msg({ type: "markdown", title: "T", text: "**b**" }, { conversation: { type: "group", id: "cidGroup==" } }));
    expect(gw.calls("/v1.0/robot/groupMessages/send")[0]!.body).toMatchObject({ openConversationId: "cidGroup==", msgKey: "sampleMarkdown" });
    expect(msgParam("/v1.0/robot/groupMessages/send")).toEqual({ title: "T", text: "**b**" });
  });
});

describe("DingTalk sender: tokens and failures", () => {
  it("fetches one token for concurrent sends and refetches once when it is refused", async () => {
    const s = sender();
    await Promise.all([1, 2, 3].map((i) => s.send(msg({ type: "text", text: `m${i}` }))));
    expect(gw.calls("/v1.0/oauth2/accessToken")).toHaveLength(1);
    gw.revokeTokens();
    await s.send(msg({ type: "text", text: "after revoke" }));
    expect(gw.calls("/v1.0/oauth2/accessToken")).toHaveLength(2);
    expect(gw.calls("/v1.0/robot/oToMessages/batchSend").at(-1)!.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-/);
  });

  it("refreshes the token before it expires, by the injected clock", async () => {
    const own = new ManualClock(NOW);
    const s = sender(undefined, own);
    await s.send(msg({ type: "text", text: "a" }));
    own.advance(114 * 60_000); // token lives 120 min; still outside the 5-minute margin
    await s.send(msg({ type: "text", text: "b" }));
    expect(gw.calls("/v1.0/oauth2/accessToken")).toHaveLength(1);
    own.advance(2 * 60_000); // now inside it
    await s.send(msg({ type: "text", text: "c" }));
    expect(gw.calls("/v1.0/oauth2/accessToken")).toHaveLength(2);
  });

  it("session-webhook replies need no token, so a token outage does not hold them up", async () => {
    gw.api.tokenOutage = true;
    const s = sender();
    await s.send(msg({ type: "text", text: "照常回复" }, { conversation: webhookTo("s1") }));
    expect(gw.calls("/robot/sendBySession")[0]!.headers["x-acs-dingtalk-access-token"]).toBeUndefined();
    await expect(s.send(msg({ type: "text", text: "需要令牌" }))).rejects.toBeInstanceOf(RetryableSendError);
    gw.api.tokenOutage = false;
    await s.send(msg({ type: "text", text: "令牌恢复" }));
    await s.send(msg({ type: "text", text: "带上令牌" }, { conversation: webhookTo("s2") }));
    expect(gw.calls("/robot/sendBySession")[1]!.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-/); // best effort once cached
  });

  it("flow-controlled users are retried later, unknown staffIds are permanent", async () => {
    const s = sender();
    gw.api.flowControl.set("0101", 1);
    await expect(s.send(msg({ type: "text", text: "x" }))).rejects.toBeInstanceOf(RetryableSendError);
    await expect(s.send(msg({ type: "text", text: "x" }))).resolves.toEqual({});
    gw.api.invalidUsers.add("9999");
    await expect(s.send(msg({ type: "text", text: "x" }, { recipient: "9999" }))).rejects.toBeInstanceOf(PermanentSendError);
  });

  it.each(Object.keys(THROTTLE_FORMS) as ThrottleForm[])("throttling (%s) is retryable, and goes through once it lifts", async (form) => {
    gw.throttle(form);
    const err = await sender().send(msg({ type: "text", text: "x" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toMatch(/throttled/);
    // DingTalk's own wait (the IP block's `wait`, Retry-After) is honoured; otherwise the outbox backs off.
    expect((err as RetryableSendError).retryAfterMs).toBe(/IP block|Retry-After/.test(form) ? 1000 : undefined);
    await expect(sender().send(msg({ type: "text", text: "x" }))).resolves.toEqual({});
  });

  it("an unreadable 200 answer is not a delivery", async () => {
    gw.inject({ reply: { status: 200, raw: "<html>proxy</html>" } });
    await expect(sender().send(msg({ type: "text", text: "x" }))).rejects.toThrow(/unreadable answer/);
  });

  it("a missing permission keeps the message queued (slow retry), it is not dead-lettered", async () => {
    gw.inject({ reply: FORBIDDEN });
    const err = await sender().send(msg({ type: "text", text: "x" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).retryAfterMs).toBe(5 * 60_000);
    expect((err as Error).message).toMatch(/developer console/);
    await sender().send(msg({ type: "text", text: "x" })); // once granted, it goes through
  });

  it("the client-side limiter spaces calls beyond its rate", async () => {
    // Virtual time: a wait moves the clock on at once, so the spacing is exact and the test waits for nothing.
    let now = 1_000_000;
    const limiter = new RateLimiter(20, { now: () => now, sleep: async (ms) => void (now += ms) });
    const t0 = now;
    const at: number[] = [];
    await Promise.all(Array.from({ length: 25 }, () => limiter.take().then(() => at.push(now - t0))));
    expect(at.slice(0, 20)).toEqual(Array(20).fill(0)); // the burst goes out at once
    expect(at.slice(20)).toEqual([50, 100, 150, 200, 250]); // then 5 calls over the burst at 20/s, 50 ms apart
    expect(now - t0).toBeGreaterThanOrEqual(150);
  });
});

describe("DingTalk sender: cards", () => {
  it("with a template: createAndDeliver into the 1:1 robot space, then PUT to update", async () => {
    const s = sender("tpl-123.schema");
    await expect(s.send(msg({ type: "card", card }))).resolves.toEqual({ externalId: card.ref });
    expect(gw.calls("/v1.0/card/instances/createAndDeliver")[0]!.body).toMatchObject({
      cardTemplateId: "tpl-123.schema",
      outTrackId: card.ref,
      callbackType: "STREAM",
      openSpaceId: "dtv1.card//IM_ROBOT.0101",
      imRobotOpenDeliverModel: { spaceType: "IM_ROBOT" },
      userIdType: 1,
      cardData: { cardParamMap: { title: "已记录拜访", btn1_action: "undo:crd_AbCdEfGhIjKlMnOp" } },
    });
    await s.send(msg({ type: "card_update", card: { ...card, buttons: [], status: { text: "已撤销", tone: "info" } }, externalId: card.ref }));
    expect(gw.calls("/v1.0/card/instances", "PUT")[0]!.body).toMatchObject({
      outTrackId: card.ref,
      cardData: { cardParamMap: { status_text: "已撤销", buttons_visible: "false" } },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
  });

  it("with a template in a group: IM_GROUP space with the robot code", async () => {
    await sender("tpl").send(msg({ type: "card", card }, { conversation: { type: "group", id: "cidG==" } }));
    expect(gw.calls("/v1.0/card/instances/createAndDeliver")[0]!.body).toMatchObject({ openSpaceId: "dtv1.card//IM_GROUP.cidG==", imGroupOpenDeliverModel: { robotCode: "dingFAKEKEY" } });
  });

  it("needs a deliverResults entry with success: an empty, missing or refused list is a failure", async () => {
    gw.failCards("empty", "missing", "refused");
    for (const why of [/no deliverResults/, /no deliverResults/, /robot is not in the conversation/]) {
      const err = await sender("tpl").send(msg({ type: "card", card: { ...card, ref: `crd_${why.source.length}${Math.random()}` } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentSendError);
      expect((err as Error).message).toMatch(why);
    }
  });

  it("a retry that finds its outTrackId already created counts as delivered", async () => {
    gw.failCards("lost-answer"); // created, but the answer never came back
    const s = sender("tpl");
    await expect(s.send(msg({ type: "card", card }))).rejects.toBeInstanceOf(RetryableSendError);
    await expect(s.send(msg({ type: "card", card }))).resolves.toEqual({ externalId: card.ref });
    expect(gw.calls("/v1.0/card/instances/createAndDeliver").map((c) => c.status)).toEqual([502, 400]);
  });

  it("the simulator refuses cards whose clicks would not come back over Stream", async () => {
    const token = await new DingtalkApi({ clientId: "dingFAKEKEY", clientSecret: "fakeSecret", apiBase: gw.url, log, clock }).accessToken();
    const body = { cardTemplateId: "tpl", outTrackId: "crd_http", openSpaceId: "dtv1.card//IM_ROBOT.0101", userIdType: 1, cardData: { cardParamMap: { title: "t" } } };
    await fetch(`${gw.url}/v1.0/card/instances/createAndDeliver`, { method: "POST", headers: { "content-type": "application/json", "x-acs-dingtalk-access-token": token }, body: JSON.stringify(body) });
    expect(gw.api.violations.splice(0)).toEqual(["createAndDeliver with callbackType undefined, not STREAM"]);
  });

  it("without a template: markdown with text commands, and a status note on update", async () => {
    const s = sender();
    await expect(s.send(msg({ type: "card", card }))).resolves.toEqual({ externalId: card.ref });
    expect(msgParam("/v1.0/robot/oToMessages/batchSend")).toMatchObject({ title: "已记录拜访" });
    expect(msgParam("/v1.0/robot/oToMessages/batchSend").text).toContain("「撤销」");
    await s.send(msg({ type: "card_update", card: { ...card, status: { text: "已撤销", tone: "info" } } }));
    expect(msgParam("/v1.0/robot/oToMessages/batchSend", 1).text).toContain("已撤销");
    expect(gw.calls("/v1.0/card/instances/createAndDeliver")).toHaveLength(0);
  });
});
