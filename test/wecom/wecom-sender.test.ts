// The sender against the WeCom API simulator over real HTTP: token cache, errors, card send/update, limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PermanentSendError, RetryableSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundMessage } from "../../src/core/outbound-message.ts";
import { SlidingWindowLimiter } from "../../src/channels/wecom/rate-limiter.ts";
import { WecomApi } from "../../src/channels/wecom/wecom-api.ts";
import { WecomSender } from "../../src/channels/wecom/wecom-sender.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";

const corp = { corpId: "ww0123456789abcdef", secret: "s3cret", agentId: 1000002 };
const log = createLogger("silent");
let sim: WecomApiSim;

const text = (to: string, t = "你好"): OutboundMessage => ({ platform: "wecom", recipient: to, body: { type: "text", text: t } });
let n = 0;
const card = (): Card => {
  const ref = `crd_test${String(n++).padStart(8, "0")}`;
  return { ref, purpose: "visit_confirm", title: "已记录拜访", fields: [], buttons: [{ label: "撤销", action: `undo:${ref}`, style: "danger" }] };
};
function makeSender(opts: { now?: () => number; limiter?: SlidingWindowLimiter } = {}) {
  const api = new WecomApi({ corpId: corp.corpId, secret: corp.secret, apiBase: sim.url }, { log, ...(opts.now ? { now: opts.now } : {}) });
  return { api, sender: new WecomSender(api, corp.agentId, log, opts.limiter) };
}

beforeAll(async () => {
  sim = await startWecomApiSim({ ...corp, members: ["ZhangSan", "LiSi"] });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.requests.length = 0;
  sim.tokenFetches = 0;
});

describe("access token", () => {
  it("is fetched once for concurrent senders and then reused", async () => {
    const { sender } = makeSender();
    await Promise.all(Array.from({ length: 5 }, () => sender.send(text("ZhangSan"))));
    await sender.send(text("LiSi"));
    expect(sim.tokenFetches).toBe(1);
  });

  it("is refetched once at once when WeCom says it expired, and the message still goes out", async () => {
    const { sender } = makeSender();
    await sender.send(text("ZhangSan"));
    sim.expireTokens();
    await sender.send(text("ZhangSan", "after expiry"));
    expect(sim.tokenFetches).toBe(2);
    expect(sim.requests.map((r) => r.errcode)).toEqual([0, 0, 42001, 0, 0]);
    expect(sim.sent.at(-1)).toMatchObject({ touser: "ZhangSan", text: { content: "after expiry" } });
  });

  it("is refreshed five minutes before it expires", async () => {
    let t = 1_000_000;
    const { sender } = makeSender({ now: () => t });
    await sender.send(text("ZhangSan"));
    t += 7200_000 - 6 * 60_000;
    await sender.send(text("ZhangSan"));
    expect(sim.tokenFetches).toBe(1);
    t += 2 * 60_000;
    await sender.send(text("ZhangSan"));
    expect(sim.tokenFetches).toBe(2);
  });

  it("reports a wrong secret as retryable (nothing lost) with a long back-off", async () => {
    const api = new WecomApi({ corpId: corp.corpId, secret: "wrong", apiBase: sim.url }, { log });
    const err = await new WecomSender(api, corp.agentId, log).send(text("ZhangSan")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).message).toContain("WECOM_SECRET");
    expect((err as RetryableSendError).retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });
});

describe("errors by errcode", () => {
  it("45009 is retryable after at least a minute; -1 is retryable", async () => {
    const { sender } = makeSender();
    sim.failNext(45009);
    const e1 = await sender.send(text("ZhangSan")).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(RetryableSendError);
    expect((e1 as RetryableSendError).retryAfterMs).toBeGreaterThanOrEqual(60_000);
    sim.failNext(-1);
    expect(await sender.send(text("ZhangSan")).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError);
    await expect(sender.send(text("ZhangSan"))).resolves.toEqual({});
  });

  it("an unknown member (81013) and a bad task_id (42014) are permanent", async () => {
    const { sender } = makeSender();
    expect(await sender.send(text("Nobody")).catch((e: unknown) => e)).toBeInstanceOf(PermanentSendError);
    const c = card();
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "card", card: c } });
    const again = await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "card", card: c } }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PermanentSendError);
    expect(String(again)).toContain("42014");
  });

  it("sends markdown with its title as a heading unless the text already has it", async () => {
    const { sender } = makeSender();
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "markdown", title: "今日待办", text: "1. 回访华东机电" } });
    expect(sim.sent.at(-1)).toMatchObject({ msgtype: "markdown", markdown: { content: "**今日待办**\n1. 回访华东机电" } });
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "markdown", title: "今日待办", text: "## 今日待办\n1. x" } });
    expect(sim.sent.at(-1)).toMatchObject({ markdown: { content: "## 今日待办\n1. x" } });
  });

  it("an unreachable API is retryable", async () => {
    const api = new WecomApi({ corpId: corp.corpId, secret: corp.secret, apiBase: "http://127.0.0.1:1" }, { log });
    expect(await new WecomSender(api, corp.agentId, log).send(text("ZhangSan")).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError);
  });
});

describe("cards", () => {
  it("returns the task_id and WeCom's response_code, then updates the card with that code once", async () => {
    const { sender } = makeSender();
    const c = card();
    const result = await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "card", card: c } });
    expect(result.externalId).toBe(c.ref);
    expect(result.responseCode).toMatch(/^rc_/);
    const decided: Card = { ...c, buttons: [], status: { text: "已撤销", tone: "info" } };
    const update: OutboundMessage = { platform: "wecom", recipient: "ZhangSan", body: { type: "card_update", card: decided, responseCode: result.responseCode! } };
    await sender.send(update);
    expect(sim.updates.at(-1)).toMatchObject({ userids: ["ZhangSan"], agentid: corp.agentId, response_code: result.responseCode, button: { replace_name: "已撤销" } });
    // The code is used up: WeCom refuses it, so the member is told in a text instead of hearing nothing.
    await sender.send(update);
    expect(sim.sent.at(-1)).toMatchObject({ touser: "ZhangSan", msgtype: "text", text: { content: "「已记录拜访」已撤销" } });
  });

  it("without a response code says the new status in a text", async () => {
    const { sender } = makeSender();
    const decided: Card = { ...card(), buttons: [], status: { text: "已处理", tone: "success" } };
    await sender.send({ platform: "wecom", recipient: "LiSi", body: { type: "card_update", card: decided } });
    expect(sim.sent.at(-1)).toMatchObject({ touser: "LiSi", msgtype: "text", text: { content: "「已记录拜访」已处理" } });
  });
});

describe("per-member limit", () => {
  it("holds the 31st message in a minute to one member as retryable, and lets it go a minute later", async () => {
    let t = 5_000_000;
    const limiter = new SlidingWindowLimiter(undefined, () => t);
    const { sender } = makeSender({ limiter });
    for (let i = 0; i < 30; i++) await sender.send(text("LiSi", `m${i}`));
    const err = await sender.send(text("LiSi", "m30")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).retryAfterMs).toBeGreaterThan(0);
    expect((err as RetryableSendError).retryAfterMs).toBeLessThanOrEqual(60_001);
    await expect(sender.send(text("ZhangSan"))).resolves.toEqual({}); // others are not held up
    t += 60_001;
    await expect(sender.send(text("LiSi", "m30"))).resolves.toEqual({});
  });
});
