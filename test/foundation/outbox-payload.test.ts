// Stored messages are read back through OutboundMessageSchema: a row no sender could read (hand-edited, written by
// an older version) is dead-lettered with the reason, and the worker goes on delivering the others.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundMessage, SendResult } from "../../src/core/outbound-message.ts";
import { OutboxWorker } from "../../src/core/outbox-worker.ts";
import type { ChannelSender } from "../../src/core/ports.ts";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

class Platform implements ChannelSender {
  readonly platform = "wecom" as const;
  readonly delivered: OutboundMessage[] = [];
  async send(m: OutboundMessage): Promise<SendResult> {
    this.delivered.push(m);
    return {};
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

it("dead-letters an unreadable row with the schema's message and delivers the rest", { timeout: 60_000 }, async () => {
  const card = { ref: "c1", purpose: "reminder", title: "提醒", fields: [{ label: "客户", value: "华东机电" }], buttons: [] };
  await enqueueMessages(db.prisma, [{ platform: "wecom", recipient: "a", body: { type: "card", card } }]);
  // Written behind the code's back: a text body without its text, and a card without its buttons.
  await db.prisma.outboxMessage.create({ data: { platform: "wecom", recipient: "b", kind: "text", payload: { platform: "wecom", recipient: "b", body: { type: "text" } } } });
  await db.prisma.outboxMessage.create({
    data: { platform: "wecom", recipient: "c", kind: "card", payload: { platform: "wecom", recipient: "c", body: { type: "card", card: { ref: "x", title: "t" } } } },
  });
  await enqueueMessages(db.prisma, [{ platform: "wecom", recipient: "b", body: { type: "text", text: "之后的消息" } }]);

  const platform = new Platform();
  const worker = new OutboxWorker(new OutboxRepo(db.sql), [platform], createLogger("silent"));
  while ((await worker.drainOnce()) > 0);

  expect(platform.delivered.map((m) => m.body)).toEqual([{ type: "card", card }, { type: "text", text: "之后的消息" }]);
  const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
  expect(rows.map((r) => [r.recipient, r.status])).toEqual([
    ["a", "sent"],
    ["b", "dead"],
    ["c", "dead"],
    ["b", "sent"],
  ]);
  expect(rows[1]!.lastError).toMatch(/unreadable payload[\s\S]*body\.text/);
  expect(rows[2]!.lastError).toMatch(/unreadable payload[\s\S]*body\.card\.(purpose|fields|buttons)/);
});
