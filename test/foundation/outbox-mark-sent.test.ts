// Sends that finish together are marked sent by one statement (OutboxRepo.markSent), which also records how the
// platform knows each delivered card. Each message still changes only under its own claim: a stale token in the
// same statement changes nothing of its row or its card.
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

const card = (ref: string) => ({ ref, purpose: "reminder", title: "提醒", fields: [{ label: "客户", value: "华东机电" }], buttons: [] });

it("marks several sends in one statement, each under its own claim, with each card's platform ids", async () => {
  for (const r of ["a", "b", "c"]) {
    await db.prisma.card.create({ data: { ref: `card-${r}`, purpose: "reminder", platform: "wecom", view: card(`card-${r}`) } });
  }
  await enqueueMessages(db.prisma, [
    { platform: "wecom", recipient: "a", body: { type: "card", card: card("card-a") } },
    { platform: "wecom", recipient: "b", body: { type: "card", card: card("card-b") } },
    { platform: "wecom", recipient: "c", body: { type: "card", card: card("card-c") } },
    { platform: "wecom", recipient: "d", body: { type: "text", text: "你好" } },
  ]);
  const repo = new OutboxRepo(db.sql);
  const claimed = await repo.claim(10, 60_000, ["wecom"]);
  expect(claimed).toHaveLength(4);
  const by = Object.fromEntries(claimed.map((c) => [c.message.recipient, c]));
  // All four in the same turn: one statement. "b" has lost its claim (another worker's token is on the row).
  await Promise.all([
    repo.markSent(by.a!.id, by.a!.lockToken, { externalId: "ext-a", responseCode: "code-a" }),
    repo.markSent(by.b!.id, "not-the-token", { externalId: "ext-b" }),
    repo.markSent(by.c!.id, by.c!.lockToken, {}),
    repo.markSent(by.d!.id, by.d!.lockToken, { externalId: "msg-d" }),
  ]);
  const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
  expect(rows.map((r) => [r.recipient, r.status, r.lockedUntil === null])).toEqual([
    ["a", "sent", true],
    ["b", "pending", false],
    ["c", "sent", true],
    ["d", "sent", true],
  ]);
  const cards = await db.prisma.card.findMany({ orderBy: { ref: "asc" }, select: { ref: true, externalId: true, responseCode: true } });
  expect(cards).toEqual([
    { ref: "card-a", externalId: "ext-a", responseCode: "code-a" },
    { ref: "card-b", externalId: null, responseCode: null },
    { ref: "card-c", externalId: null, responseCode: null },
  ]);
});
