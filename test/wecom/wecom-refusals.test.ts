// Everything the callback must refuse, over real HTTP into the real bot: a short 4xx, nothing stored.
// Then the polite refusals: strangers and clicks on cards that are not theirs get a text, nothing changes.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, randomAesKey, startWecomHarness, textsSentTo, type WecomHarness } from "./wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
});
afterAll(() => h?.close());

const counts = async () => ({
  inbox: await h.bot.db.prisma.inboxEvent.count(),
  outbox: await h.bot.db.prisma.outboxMessage.count(),
  customers: await h.bot.db.prisma.customer.count(),
});
const text = () => h.driver.textXml("ZhangSan", "今天拜访了华东机电的王经理");
const withQuery = (query: string, change: (q: URLSearchParams) => void) => {
  const q = new URLSearchParams(query);
  change(q);
  return q.toString();
};
const hoursAgo = (hours: number) => String(Math.floor(Date.now() / 1000) - hours * 3600);
const post = (change: (q: URLSearchParams) => void) => {
  const p = h.driver.prepare(text());
  return h.driver.postRaw(withQuery(p.query, change), p.body);
};
const get = (change: (q: URLSearchParams) => void) => h.driver.getRaw(withQuery(h.driver.prepareVerify("12345").query, change));
const REQUIRED = /^msg_signature, timestamp and nonce are required$/;

type Case = [what: string, send: () => Promise<{ status: number; text: string }>, status: number, reason: RegExp];
const cases: Case[] = [
  ["a wrong signature", () => post((q) => q.set("msg_signature", "0".repeat(40))), 401, /^bad signature$/],
  ["a signature over other bytes", () => { const p = h.driver.prepare(text()); return h.driver.postRaw(p.query, p.body.replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[AAAA")); }, 401, /^bad signature$/],
  ["a signature made with another token", () => h.driver.post(h.driver.prepare(text(), { token: "not-the-token" })), 401, /^bad signature$/],
  ["missing msg_signature", () => post((q) => q.delete("msg_signature")), 400, REQUIRED],
  ["missing timestamp", () => post((q) => q.delete("timestamp")), 400, REQUIRED],
  ["missing nonce", () => post((q) => q.delete("nonce")), 400, REQUIRED],
  ["a timestamp two hours old", () => h.driver.post(h.driver.prepare(text(), { timestamp: hoursAgo(2) })), 401, /^stale timestamp$/],
  ["a timestamp two hours ahead", () => h.driver.post(h.driver.prepare(text(), { timestamp: hoursAgo(-2) })), 401, /^stale timestamp$/],
  ["another CorpID inside the ciphertext", () => h.driver.post(h.driver.prepare(text(), { corpId: "wwffffffffffffffff" })), 400, /^cannot decrypt: wrong receiver$/],
  ["the wrong AES key", () => h.driver.post(h.driver.prepare(text(), { encodingAesKey: randomAesKey() })), 400, /^cannot decrypt/],
  ["truncated base64", () => h.driver.post(h.driver.prepare(text(), { mangle: (e) => e.slice(0, e.length - 7) })), 400, /^cannot decrypt/],
  ["a malformed envelope", () => h.driver.postRaw(h.driver.prepare(text()).query, "<xml><Encrypt><![CDATA[abc"), 400, /^malformed XML$/],
  ["malformed XML inside the ciphertext", () => h.driver.post(h.driver.prepare("<xml><FromUserName>ZhangSan</xml>")), 400, /^malformed XML$/],
  ["a text without a sender", () => h.driver.post(h.driver.prepare(text().replace(/<FromUserName>.*?<\/FromUserName>/, ""))), 400, /^invalid message: FromUserName/],
  ["a DOCTYPE in the envelope", () => { const p = h.driver.prepare(text()); return h.driver.postRaw(p.query, `<!DOCTYPE xml [<!ENTITY e "x">]>${p.body}`); }, 400, /entities are not accepted/],
  ["an ENTITY inside the ciphertext", () => h.driver.post(h.driver.prepare(readFileSync(new URL("../fixtures/wecom/entity-bomb.xml", import.meta.url), "utf8"))), 400, /entities are not accepted/],
  ["an empty body", () => h.driver.postRaw(h.driver.prepare(text()).query, ""), 400, /^empty body$/],
  ["a 5 MB body", () => h.driver.postRaw(h.driver.prepare(text()).query, Buffer.alloc(5 * 1024 * 1024, "a")), 413, /too large/],
  // URL verification (GET): nothing is stored anyway, but the plaintext must never be given away.
  ["a verification with a bad signature", () => get((q) => q.set("msg_signature", "f".repeat(40))), 401, /^bad signature$/],
  ["a verification signed with another token", () => h.driver.verifyUrl("12345", { token: "not-the-token" }), 401, /^bad signature$/],
  ["a verification without echostr", () => get((q) => q.delete("echostr")), 400, /^echostr is required$/],
  ["a verification with a stale timestamp", () => h.driver.verifyUrl("12345", { timestamp: hoursAgo(2) }), 401, /^stale timestamp$/],
  ["a verification without msg_signature", () => get((q) => q.delete("msg_signature")), 400, REQUIRED],
];

describe("bad input is refused with a 4xx and a reason, and never stored", () => {
  for (const [what, send, status, reason] of cases) {
    it(`refuses ${what} (${status})`, async () => {
      const logged = h.logs.length;
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.text).toMatch(reason);
      expect(r.text).not.toContain("12345");
      expect(r.text).not.toMatch(/at .*\.ts:\d+/); // a short reason, no stack trace
      // The operator sees the same reason in the log (README: "check the bot's log for `callback refused`").
      expect(h.logs.slice(logged).find((l) => l.msg === "callback refused")).toMatchObject({ level: "warn", status, refusal: expect.stringMatching(reason) });
      expect(await counts()).toEqual({ inbox: 0, outbox: 0, customers: 0 });
    });
  }
});

describe("polite refusals", () => {
  it("acks a stranger with 200, tells them politely, and keeps no event", async () => {
    const r = await h.driver.deliver(h.driver.textXml("Stranger", "你好"));
    expect(r).toMatchObject({ status: 200, text: "" });
    await eventually(() => textsSentTo(h.sim, "Stranger").includes(REFUSAL_TEXT), "the refusal text");
    expect(await h.bot.db.prisma.inboxEvent.count()).toBe(0);
  });

  it("acks and ignores events we do not use (subscribe)", async () => {
    const r = await h.driver.deliver(h.driver.eventXml("ZhangSan", "subscribe"));
    expect(r).toMatchObject({ status: 200, text: "" });
    expect(await h.bot.db.prisma.inboxEvent.count()).toBe(0);
  });

  it("refuses a click on a card that does not exist", async () => {
    const ref = "crd_doesNotExist0000000000";
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: `undo:${ref}`, taskId: ref, responseCode: h.sim.issueResponseCode() }));
    await eventually(() => textsSentTo(h.sim, "ZhangSan").some((t) => t.includes("不存在或已失效")), "the refusal");
    expect(h.sim.updates).toHaveLength(0);
  });

  it("refuses a click on someone else's card and changes nothing", async () => {
    await h.driver.deliver(h.driver.textXml("ZhangSan", "今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去"));
    const pick = await eventually(() => cardsSentTo(h.sim, "ZhangSan")[0], "ZhangSan's card");
    const create = pick.buttons.find((b) => b.text.startsWith("新建"))!;
    await h.driver.deliver(h.driver.cardEventXml({ from: "LiSi", eventKey: create.key, taskId: pick.taskId, responseCode: h.sim.issueResponseCode() }));
    await eventually(() => textsSentTo(h.sim, "LiSi").some((t) => t.includes("不是发给你的")), "the refusal to LiSi");
    expect(await h.bot.db.prisma.customer.count()).toBe(0);
    expect(await h.bot.db.prisma.activity.count()).toBe(0);
    expect(h.sim.updates).toHaveLength(0);
    expect((await h.bot.db.prisma.card.findUnique({ where: { ref: pick.taskId } }))?.status).toBe("active");
  });
});
