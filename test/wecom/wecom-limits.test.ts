// WeCom's limits against the API simulator over real HTTP, with a hand-driven clock: 45009 blocks an API for
// everyone (no calls until the block should be over, longer each time), and the 30/min per member (outbox).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { WecomSender } from "../../src/channels/wecom/wecom-sender.ts";
import { RetryableSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import { createLogger } from "../../src/core/logger.ts";
import { OutboxWorker } from "../../src/core/outbox-worker.ts";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";
import { calls, card, failure, makeSender, text, useSim } from "./sender-setup.ts";

const s = useSim();
const SEND = "/cgi-bin/message/send";
const retryAfter = async (p: Promise<unknown>) => {
  const err = await failure(p);
  expect(err).toBeInstanceOf(RetryableSendError);
  return (err as RetryableSendError).retryAfterMs;
};

describe("45009", () => {
  it("stops calling the blocked API for every member, waits 60 s → 5 min → 60 min, and starts over after a success", async () => {
    let t = 10_000_000;
    const { sender } = makeSender(s.sim, { now: () => t });
    await sender.send(text("ZhangSan"));

    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("ZhangSan")))).toBe(60_000);
    // Another member's message while blocked: deferred to the block's end, and WeCom is not called.
    const before = calls(s.sim, SEND);
    t += 20_000;
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(40_000);
    expect(calls(s.sim, SEND)).toBe(before);

    t += 40_001; // still blocked when it is tried again: a longer wait each time, up to an hour
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(5 * 60_000);
    t += 5 * 60_000 + 1;
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60 * 60_000);
    t += 60 * 60_000 + 1;
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60 * 60_000);

    t += 60 * 60_000 + 1;
    await expect(sender.send(text("LiSi", "delivered after the block"))).resolves.toEqual({});
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "LiSi", text: { content: "delivered after the block" } });
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60_000);
  });

  it("blocks only the API that answered 45009: card updates still go out", async () => {
    const { sender } = makeSender(s.sim);
    s.sim.failNext(45009, 1, SEND);
    await failure(sender.send(text("ZhangSan")));
    const decided: Card = { ...card(), buttons: [], status: { text: "已撤销", tone: "info" } };
    const code = s.sim.issueResponseCode();
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "card_update", card: decided, responseCode: code } });
    expect(s.sim.updates.at(-1)).toMatchObject({ response_code: code });
  });

  it("counts answers to calls already on their way as one block, not an escalation", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.failNext(45009, 3, SEND);
    const waits = await Promise.all(["M50", "M51", "M52"].map((u) => retryAfter(sender.send(text(u)))));
    for (const w of waits) expect(w).toBeLessThanOrEqual(60_000);
  });
});

// The per-member limit is the outbox's (from the database, so it holds across instances): the same sender and
// simulator, delivered by the real outbox worker.
describe("per-member limit", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db?.destroy());
  afterEach(() => vi.useRealTimers());

  const outbox = (sender: WecomSender) => new OutboxWorker(new OutboxRepo(db.sql), [sender], createLogger("silent"));
  /** Everything due now is tried; the outbox hands out one message per member at a time, so drain until idle. */
  const drain = async (worker: OutboxWorker) => {
    while ((await worker.drainOnce()) > 0);
  };
  const makeDue = () => db.prisma.outboxMessage.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: new Date(0) } });
  const rows = (recipient: string) => db.prisma.outboxMessage.findMany({ where: { recipient }, orderBy: { id: "asc" } });

  it("holds the 31st message in a minute to one member as retryable, and lets it go a minute later", async () => {
    const worker = outbox(makeSender(s.sim).sender);
    await enqueueMessages(db.prisma, [...Array.from({ length: 31 }, (_, i) => text("M40", `m${i}`)), text("M41")]);
    await drain(worker);
    expect(s.sim.sentTo("M40")).toHaveLength(30);
    const held = (await rows("M40")).filter((r) => r.status === "pending");
    expect(held).toHaveLength(1);
    expect(held[0]!.lastError).toContain("recipient limit");
    const wait = held[0]!.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_001);
    expect(s.sim.sentTo("M41")).toHaveLength(1); // others are not held up
    expect(s.sim.dropped).toHaveLength(0); // nothing reached WeCom only to be dropped

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_001 }); // a minute later (the database keeps real time)
    await makeDue();
    await drain(worker);
    expect(s.sim.sentTo("M40").at(-1)).toMatchObject({ text: { content: "m30" } });
    expect((await rows("M40")).every((r) => r.status === "sent")).toBe(true);
  });

  it("spends no slot on a call that failed (-1, network, blocked)", async () => {
    const { sender } = makeSender(s.sim);
    const { sender: offline } = makeSender(s.sim, { apiBase: "http://127.0.0.1:1" });
    const { sender: blocked } = makeSender(s.sim);
    await enqueueMessages(db.prisma, Array.from({ length: 30 }, (_, i) => text("M42", `m${i}`)));
    s.sim.failNext(-1, 5, SEND);
    for (let i = 0; i < 5; i++) await makeDue().then(() => outbox(sender).drainOnce());
    for (let i = 0; i < 5; i++) await makeDue().then(() => outbox(offline).drainOnce());
    s.sim.failNext(45009, 1, SEND);
    for (let i = 0; i < 5; i++) await makeDue().then(() => outbox(blocked).drainOnce());
    expect(s.sim.sentTo("M42")).toHaveLength(0);
    const worker = outbox(sender);
    for (let i = 0; i < 30; i++) await makeDue().then(() => drain(worker));
    expect(s.sim.sentTo("M42")).toHaveLength(30);
    expect((await rows("M42")).every((r) => r.status === "sent")).toBe(true);
  });
});
