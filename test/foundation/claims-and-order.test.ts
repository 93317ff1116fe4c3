// The claims that keep "exactly once" true when work is slow: a worker whose lock ran out changes nothing;
// one person's events are handled in order; a NUL pasted into a message cannot sink a batch.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { InboxRepo } from "../../src/domain/plumbing/inbox.repo.ts";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { createEventHandler } from "../../src/handlers/engine/dispatch.ts";
import { createRulesParser } from "../../src/nlu/index.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

let bot: TestBot;
let inbox: InboxRepo;
const msg = (eventId: string, senderId: string, text: string): InboundEvent => ({ platform: "playground", kind: "message", eventId, senderId, text, occurredAt: Date.now() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  bot = await startTestBot({}, { workers: false });
  inbox = new InboxRepo(bot.db.sql);
});
afterAll(async () => bot?.close());
beforeEach(async () => {
  await bot.db.prisma.inboxEvent.deleteMany();
});

it("a worker whose claim expired while another finished the event changes nothing", async () => {
  await inbox.accept(msg("e1", "zhangsan", "帮助"));
  const [stale] = await inbox.claim(5, 1); // a 1 ms claim that runs out at once
  await sleep(10);
  expect(await bot.inboxWorker.drainOnce()).toBe(1); // another worker takes it over and handles it
  const handle = createEventHandler({ ...bot.deps, parser: createRulesParser() });
  await handle(stale!); // the first worker wakes up late
  expect(await bot.db.prisma.card.count({ where: { purpose: "help" } })).toBe(1);
  await inbox.release(stale!.id, stale!.lockToken, "late failure", null); // nor can it fail the finished event
  expect((await bot.db.prisma.inboxEvent.findFirstOrThrow()).status).toBe("done");
});

it("hands out one person's events in order, never two at once", async () => {
  await Promise.all([inbox.accept(msg("a1", "zhangsan", "帮助")), inbox.accept(msg("a2", "zhangsan", "撤销")), inbox.accept(msg("b1", "lisi", "帮助"))]);
  const first = await inbox.claim(10, 60_000);
  expect(first.map((c) => c.event.eventId).sort()).toEqual(["a1", "b1"]);
  expect(await inbox.claim(10, 60_000)).toEqual([]); // a2 waits for a1
  await inbox.release(first[0]!.id, first[0]!.lockToken, "retry", new Date(0));
  await bot.db.prisma.inboxEvent.updateMany({ where: { eventId: { in: ["a1", "b1"] } }, data: { status: "done" } });
  expect((await inbox.claim(10, 60_000)).map((c) => c.event.eventId)).toEqual(["a2"]);
});

it("strips NUL characters instead of failing the batch", async () => {
  const outcomes = await Promise.all([inbox.accept(msg("n1", "zhangsan", "客户\u0000华东机电")), inbox.accept(msg("n2", "lisi", "帮助"))]);
  expect(outcomes).toEqual(["accepted", "accepted"]);
  const row = await bot.db.prisma.inboxEvent.findFirstOrThrow({ where: { eventId: "n1" } });
  expect((row.payload as { text: string }).text).toBe("客户华东机电");
});

it("an outbox claim that ran out cannot send or settle the message", async () => {
  const outbox = new OutboxRepo(bot.db.sql);
  await enqueueMessages(bot.db.prisma, [{ platform: "playground", recipient: "zhangsan", body: { type: "text", text: "hi" } }]);
  const [stale] = await outbox.claim(5, 1, ["playground"]);
  await sleep(10);
  const [fresh] = await outbox.claim(5, 60_000, ["playground"]);
  expect(fresh?.id).toBe(stale!.id);
  expect(await outbox.renew(stale!.id, stale!.lockToken, 60_000)).toBeNull(); // so the late worker does not send
  await outbox.markDead(stale!.id, stale!.lockToken, "late");
  expect((await bot.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe("pending");
  expect(await outbox.renew(fresh!.id, fresh!.lockToken, 60_000)).not.toBeNull();
});
