// Several people's events claimed together are handled in one transaction (runEventUnits), and that must not cost
// any promise: when one of them fails, the others still take effect exactly once and the failing one alone is
// retried; a refusal is still answered; nothing half-done is kept.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { InboxRepo } from "../../src/domain/plumbing/inbox.repo.ts";
import { createEventHandler } from "../../src/handlers/engine/dispatch.ts";
import type { IntentParser } from "../../src/nlu/index.ts";
import { createRulesParser, normalizeCompanyName } from "../../src/nlu/index.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

let bot: TestBot;
let inbox: InboxRepo;
const msg = (eventId: string, senderId: string, text: string): InboundEvent => ({ platform: "playground", kind: "message", eventId, senderId, text, occurredAt: Date.now() });
const rules = createRulesParser();
/** The rule parser, except that "boom" means an intent nobody routes: the handler throws an unexpected error. */
const parser: IntentParser = {
  name: "rules",
  parse: async (text, ctx) => (text === "boom" ? ({ intent: "no_such_intent" } as never) : rules.parse(text, ctx)),
};
const REPS = ["zhangsan", "lisi", "wangwu"];
const customerOf = (rep: string) => `${rep}测试机电有限公司`;

beforeAll(async () => {
  bot = await startTestBot({}, { workers: false });
  inbox = new InboxRepo(bot.db.sql);
  for (const rep of REPS) {
    const name = customerOf(rep);
    await bot.db.prisma.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: rep, createdById: rep, stage: "contacted" } });
  }
});
afterAll(async () => bot?.close());
beforeEach(async () => {
  await bot.db.prisma.inboxEvent.deleteMany();
});

/** Claims everything pending and hands it to the handler all at once, as the worker does with its side-by-side events. */
async function handleClaimed(texts: Record<string, string>, round: string) {
  for (const [who, text] of Object.entries(texts)) expect(await inbox.accept(msg(`${round}-${who}`, who, text))).toBe("accepted");
  const claimed = await inbox.claim(10, 60_000);
  expect(claimed).toHaveLength(Object.keys(texts).length);
  const handle = createEventHandler({ ...bot.deps, parser });
  const outcomes = await Promise.allSettled(claimed.map((c) => handle(c)));
  return { claimed, handle, outcomes: Object.fromEntries(claimed.map((c, i) => [c.event.senderId, outcomes[i]!.status])) };
}

const visitText = (rep: string) => `今天拜访了${customerOf(rep)}的王经理，聊了新产线，下周三再去`;

it("handles several people's visit logs in one commit, each once", async () => {
  const { claimed, handle, outcomes } = await handleClaimed(Object.fromEntries(REPS.map((r) => [r, visitText(r)])), "ok");
  expect(Object.values(outcomes)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
  const events = await bot.db.prisma.inboxEvent.findMany();
  expect(events.map((e) => e.status)).toEqual(["done", "done", "done"]);
  // One commit: every done-mark carries the same moment.
  expect(new Set(events.map((e) => e.processedAt?.getTime())).size).toBe(1);
  for (const rep of REPS) {
    expect(await bot.db.prisma.activity.count({ where: { userId: rep, sourceEventId: `playground:ok-${rep}` } })).toBe(1);
    expect(await bot.db.prisma.outboxMessage.count({ where: { recipient: rep, kind: "card" } })).toBeGreaterThanOrEqual(1);
    const audit = await bot.db.prisma.auditLog.findMany({ where: { eventId: `playground:ok-${rep}` }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["contact.create", "activity.create", "customer.follow_up", "task.create"]);
  }
  // Handling the same claims again (a worker that lost its claim and finishes late) changes nothing.
  const before = { activities: await bot.db.prisma.activity.count(), messages: await bot.db.prisma.outboxMessage.count() };
  await Promise.all(claimed.map((c) => handle(c)));
  expect({ activities: await bot.db.prisma.activity.count(), messages: await bot.db.prisma.outboxMessage.count() }).toEqual(before);
});

it("a failing event never takes the others down: they commit, it alone is retried, a refusal is answered", async () => {
  const before = await bot.db.prisma.activity.count();
  const { outcomes } = await handleClaimed({ zhangsan: visitText("zhangsan"), lisi: visitText("lisi"), zhaoliu: "boom", chenqi: visitText("wangwu") }, "mixed");
  expect(outcomes).toEqual({ zhangsan: "fulfilled", lisi: "fulfilled", zhaoliu: "rejected", chenqi: "fulfilled" });
  const status = Object.fromEntries((await bot.db.prisma.inboxEvent.findMany()).map((e) => [e.senderId, e.status]));
  // The unexpected failure stays pending for the worker to release and retry; the rest are done.
  expect(status).toEqual({ zhangsan: "done", lisi: "done", zhaoliu: "pending", chenqi: "done" });
  // Each visit exactly once (the rolled-back batch left nothing behind), the warehouse's refused one not at all.
  expect(await bot.db.prisma.activity.count()).toBe(before + 2);
  for (const rep of ["zhangsan", "lisi"]) expect(await bot.db.prisma.activity.count({ where: { sourceEventId: `playground:mixed-${rep}` } })).toBe(1);
  expect(await bot.db.prisma.activity.count({ where: { sourceEventId: "playground:mixed-chenqi" } })).toBe(0);
  const refusal = await bot.db.prisma.outboxMessage.findMany({ where: { recipient: "chenqi" } });
  expect(refusal).toHaveLength(1);
  expect(refusal[0]!.kind).toBe("text");
  expect(await bot.db.prisma.auditLog.count({ where: { eventId: "playground:mixed-zhaoliu" } })).toBe(0);
});
