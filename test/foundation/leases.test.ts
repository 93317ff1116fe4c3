// Restart recovery: a claim is a short lease that a living worker renews. When a worker dies holding work, another
// one takes it over after one lease (not minutes later) and it still takes effect exactly once; while a worker is
// alive and busy, nobody else takes its work, however long it takes.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { INBOX_LEASE_MS, InboxWorker, type EventHandler } from "../../src/core/inbox-worker.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundMessage, SendResult } from "../../src/core/outbound-message.ts";
import { OUTBOX_LEASE_MS, OutboxWorker } from "../../src/core/outbox-worker.ts";
import type { ChannelSender } from "../../src/core/ports.ts";
import { InboxRepo } from "../../src/domain/plumbing/inbox.repo.ts";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { createEventHandler } from "../../src/handlers/engine/dispatch.ts";
import { createRulesParser } from "../../src/nlu/index.ts";
import { eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { FakeTimers } from "../support/fake-timers.ts";

/**
 * Short, so a test sees a claim outlive it. The living worker's heartbeat runs on timers the test drives
 * (`heartbeat`): each look at the claim comes right after a renewal, however slow the machine.
 */
const LEASE = 1000;
const silent = createLogger("silent");
const msg = (eventId: string, text: string): InboundEvent => ({ platform: "playground", kind: "message", eventId, senderId: "zhangsan", text, occurredAt: Date.now() });

let bot: TestBot;
let inbox: InboxRepo;
let outbox: OutboxRepo;
let handler: EventHandler;

beforeAll(async () => {
  bot = await startTestBot({}, { workers: false });
  inbox = new InboxRepo(bot.db.sql);
  outbox = new OutboxRepo(bot.db.sql);
  handler = createEventHandler({ ...bot.deps, parser: createRulesParser() });
});
afterAll(async () => bot?.close());
beforeEach(async () => {
  await bot.db.prisma.inboxEvent.deleteMany();
  await bot.db.prisma.outboxMessage.deleteMany();
  await bot.db.prisma.card.deleteMany();
});

const helpCards = () => bot.db.prisma.card.count({ where: { purpose: "help" } });
const secondsLeft = async (table: "inboxEvent" | "outboxMessage") => {
  const row = table === "inboxEvent" ? await bot.db.prisma.inboxEvent.findFirstOrThrow() : await bot.db.prisma.outboxMessage.findFirstOrThrow();
  return (row.lockedUntil!.getTime() - Date.now()) / 1000;
};

type Table = "InboxEvent" | "OutboxMessage";

/** A dead worker's lease runs out: its expiry moves into the past, as if its whole lease had gone by. */
const expireClaims = (table: Table) => bot.db.sql.query(`UPDATE "${table}" SET "lockedUntil" = now() - interval '1 millisecond' WHERE "lockedUntil" IS NOT NULL`);

const claimNow = async (table: Table) =>
  (await bot.db.sql.query<{ until: string }>(`SELECT "lockedUntil"::text AS until FROM "${table}" WHERE "lockedUntil" IS NOT NULL`))[0]?.until;

/** One beat of the living worker's heartbeat (its timers advanced by a third of a lease), waited for until it renewed the claim. */
async function heartbeat(table: Table, timers: FakeTimers): Promise<void> {
  const before = await claimNow(table);
  timers.advance(LEASE / 3);
  await eventually(async () => (await claimNow(table)) !== before, "the renewal");
}

/**
 * Beats the living worker's heartbeat until the database clock is past the first lease it took (without a
 * heartbeat it would have run out); the last beat comes right before it returns.
 */
async function outliveFirstLease(table: Table, timers: FakeTimers): Promise<void> {
  const first = await eventually(() => claimNow(table), "the worker's claim");
  await eventually(
    async () => {
      await heartbeat(table, timers);
      return (await bot.db.sql.query<{ past: boolean }>(`SELECT now() > $1::timestamptz AS past`, [first]))[0]?.past;
    },
    "the first lease to go by",
    LEASE * 10,
  );
}

/** A gate a test opens when it wants the slow work to finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

it("claims inbox events and outbox messages for under a minute by default", async () => {
  expect(INBOX_LEASE_MS).toBeLessThanOrEqual(60_000);
  expect(OUTBOX_LEASE_MS).toBeLessThanOrEqual(60_000);
  await inbox.accept(msg("d0", "帮助"));
  let left = 0;
  await new InboxWorker(inbox, async () => void (left = await secondsLeft("inboxEvent")), silent).drainOnce(); // a handler that never finishes the event
  expect(left).toBeGreaterThan(20);
  expect(left).toBeLessThanOrEqual(60);

  await enqueueMessages(bot.db.prisma, [{ platform: "wecom", recipient: "ZhangSan", body: { type: "text", text: "hi" } }]);
  const platform: ChannelSender = { platform: "wecom", send: async () => ((left = await secondsLeft("outboxMessage")), {}) };
  await new OutboxWorker(outbox, [platform], silent).drainOnce();
  expect(left).toBeGreaterThan(20);
  expect(left).toBeLessThanOrEqual(60);
});

it("an inbox event claimed by a worker that died is handled by another after one lease, once", async () => {
  await inbox.accept(msg("d1", "帮助"));
  // Worker A claims the event with the real lease, starts on it, and its process dies.
  const [dead] = await inbox.claim(5, INBOX_LEASE_MS);
  expect(dead?.event.eventId).toBe("d1");
  const b = new InboxWorker(inbox, handler, silent, { lockMs: LEASE });
  expect(await b.drainOnce()).toBe(0); // A's claim still holds
  await expireClaims("InboxEvent"); // one lease later (the first test bounds it)
  expect(await b.drainOnce()).toBe(1);
  expect(await b.drainOnce()).toBe(0);
  expect(await helpCards()).toBe(1);
  expect(await bot.db.prisma.inboxEvent.findFirstOrThrow()).toMatchObject({ status: "done", attempts: 2 });
});

it("a living worker keeps its inbox claim while handling takes longer than a lease", async () => {
  await inbox.accept(msg("s1", "帮助"));
  await inbox.accept(msg("s2", "我的待办")); // same person: waits for s1, and is not claimed with it
  const slow = gate();
  const timers = new FakeTimers();
  const a = new InboxWorker(inbox, async (item) => (await slow.opened, handler(item)), silent, { lockMs: LEASE, timers });
  const b = new InboxWorker(inbox, handler, silent, { lockMs: LEASE });
  const working = a.drainOnce();
  await outliveFirstLease("InboxEvent", timers);
  expect(await b.drainOnce()).toBe(0); // A's heartbeat kept the claim alive
  slow.open();
  expect(await working).toBe(1);
  expect(await helpCards()).toBe(1);
  expect(await bot.db.prisma.inboxEvent.findFirstOrThrow({ where: { eventId: "s1" } })).toMatchObject({ status: "done", attempts: 1 });
  expect(await b.drainOnce()).toBe(1); // then s2, in order
});

/** A platform whose sends can be held up, counting what it delivered. */
class SlowPlatform implements ChannelSender {
  readonly platform = "wecom" as const;
  readonly delivered: string[] = [];
  hold: Promise<void> = Promise.resolve();
  async send(m: OutboundMessage): Promise<SendResult> {
    await this.hold;
    this.delivered.push(m.body.type === "text" ? m.body.text : m.body.type);
    return {};
  }
}

it("an outbox message claimed by a worker that died is sent by another after one lease, once", async () => {
  await enqueueMessages(bot.db.prisma, [{ platform: "wecom", recipient: "ZhangSan", body: { type: "text", text: "hello" } }]);
  const [dead] = await outbox.claim(5, OUTBOX_LEASE_MS, ["wecom"]); // worker A claims, and dies before sending
  expect(dead).toBeDefined();
  const platform = new SlowPlatform();
  const b = new OutboxWorker(outbox, [platform], silent, { lockMs: LEASE });
  expect(await b.drainOnce()).toBe(0);
  await expireClaims("OutboxMessage"); // one lease later (the first test bounds it)
  expect(await b.drainOnce()).toBe(1);
  expect(await b.drainOnce()).toBe(0);
  expect(platform.delivered).toEqual(["hello"]);
  expect((await bot.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe("sent");
});

it("a send slower than a lease is not repeated by another worker", async () => {
  await enqueueMessages(bot.db.prisma, [{ platform: "wecom", recipient: "ZhangSan", body: { type: "text", text: "slow" } }]);
  const platform = new SlowPlatform();
  const slow = gate();
  platform.hold = slow.opened;
  const other = new SlowPlatform(); // the same platform as seen from another instance
  const timers = new FakeTimers();
  const a = new OutboxWorker(outbox, [platform], silent, { lockMs: LEASE, timers });
  const b = new OutboxWorker(outbox, [other], silent, { lockMs: LEASE });
  const sending = a.drainOnce();
  await outliveFirstLease("OutboxMessage", timers);
  expect(await b.drainOnce()).toBe(0); // A is still sending, and its heartbeat says so
  slow.open();
  await sending;
  expect([...platform.delivered, ...other.delivered]).toEqual(["slow"]);
  expect(await bot.db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "sent", lockedUntil: null });
});
