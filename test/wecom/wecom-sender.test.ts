// The sender against the WeCom API simulator over real HTTP: errors by errcode, card send/update, and a card
// whose earlier attempt reached WeCom although we never heard back.
import { describe, expect, it } from "vitest";
import { PermanentSendError, RetryableSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import type { OutboundMessage } from "../../src/core/outbound-message.ts";
import { card, cardMessage, failure, makeSender, text, useSim } from "./sender-setup.ts";

const s = useSim();
const isCard = (taskId: string) => (path: string, body: Record<string, unknown> | null) =>
  path === "/cgi-bin/message/send" && (body?.template_card as { task_id?: string } | undefined)?.task_id === taskId;

describe("errors by errcode", () => {
  it("-1 is retryable", async () => {
    const { sender } = makeSender(s.sim);
    s.sim.failNext(-1);
    expect(await failure(sender.send(text("ZhangSan")))).toBeInstanceOf(RetryableSendError);
    await expect(sender.send(text("ZhangSan"))).resolves.toEqual({});
  });

  it("an unknown member (81013) is permanent; a task_id WeCom would refuse is permanent before any call", async () => {
    const { sender } = makeSender(s.sim);
    expect(await failure(sender.send(text("Nobody")))).toBeInstanceOf(PermanentSendError);
    const bad = { ...card(), ref: "crd with spaces" };
    const before = s.sim.requests.length;
    expect(await failure(sender.send(cardMessage("ZhangSan", bad)))).toBeInstanceOf(PermanentSendError);
    expect(s.sim.requests.length).toBe(before);
  });

  it("sends markdown with its title as a heading unless the text already has it", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "markdown", title: "今日待办", text: "1. 回访华东机电" } });
    expect(s.sim.sent.at(-1)).toMatchObject({ msgtype: "markdown", markdown: { content: "**今日待办**\n1. 回访华东机电" } });
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "markdown", title: "今日待办", text: "## 今日待办\n1. x" } });
    expect(s.sim.sent.at(-1)).toMatchObject({ markdown: { content: "## 今日待办\n1. x" } });
  });

  it("an unreachable API is retryable", async () => {
    const { sender } = makeSender(s.sim, { apiBase: "http://127.0.0.1:1" });
    expect(await failure(sender.send(text("ZhangSan")))).toBeInstanceOf(RetryableSendError);
  });
});

describe("cards", () => {
  it("returns the task_id and WeCom's response_code, then updates the card with that code once", async () => {
    const { sender } = makeSender(s.sim);
    const c = card();
    const result = await sender.send(cardMessage("ZhangSan", c));
    expect(result.externalId).toBe(c.ref);
    expect(result.responseCode).toMatch(/^rc_/);
    const decided: Card = { ...c, buttons: [], status: { text: "已撤销", tone: "info" } };
    const update: OutboundMessage = { platform: "wecom", recipient: "ZhangSan", body: { type: "card_update", card: decided, responseCode: result.responseCode! } };
    await sender.send(update);
    expect(s.sim.updates.at(-1)).toMatchObject({ userids: ["ZhangSan"], agentid: 1000002, response_code: result.responseCode, button: { replace_name: "已撤销" } });
    // The code is used up: WeCom refuses it, so the member is told in a text instead of hearing nothing.
    await sender.send(update);
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "ZhangSan", msgtype: "text", text: { content: "「已记录拜访」已撤销" } });
  });

  it("without a response code says the new status in a text", async () => {
    const { sender } = makeSender(s.sim);
    const decided: Card = { ...card(), buttons: [], status: { text: "已处理", tone: "success" } };
    await sender.send({ platform: "wecom", recipient: "LiSi", body: { type: "card_update", card: decided } });
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "LiSi", msgtype: "text", text: { content: "「已记录拜访」已处理" } });
  });
});

describe("a card that reached WeCom although we never heard back", () => {
  it("is retryable when the answer is lost, and the re-send (42014) counts as delivered, without a response code", async () => {
    const { sender } = makeSender(s.sim);
    const c = card();
    s.sim.loseReplies(1, isCard(c.ref));
    expect(await failure(sender.send(cardMessage("ZhangSan", c)))).toBeInstanceOf(RetryableSendError);
    // What the outbox does next (also after a crash before it marked the message sent): send it again.
    await expect(sender.send(cardMessage("ZhangSan", c))).resolves.toEqual({ externalId: c.ref });
    expect(s.sim.requests.filter((r) => isCard(c.ref)(r.path, r.body)).map((r) => r.errcode)).toEqual([0, 42014]);
    expect(s.sim.sent.filter((m) => isCard(c.ref)("/cgi-bin/message/send", m))).toHaveLength(1);
  });

  it("is then updated with the code of a click; without one the member is told in a text", async () => {
    const { sender } = makeSender(s.sim);
    const c = card();
    s.sim.loseReplies(1, isCard(c.ref));
    await failure(sender.send(cardMessage("LiSi", c)));
    await sender.send(cardMessage("LiSi", c));
    const decided: Card = { ...c, buttons: [], status: { text: "已撤销", tone: "info" } };
    const click = s.sim.issueResponseCode();
    await sender.send({ platform: "wecom", recipient: "LiSi", body: { type: "card_update", card: decided, responseCode: click } });
    expect(s.sim.updates.at(-1)).toMatchObject({ response_code: click, button: { replace_name: "已撤销" } });
    await sender.send({ platform: "wecom", recipient: "LiSi", body: { type: "card_update", card: decided } });
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "LiSi", msgtype: "text", text: { content: "「已记录拜访」已撤销" } });
  });
});
