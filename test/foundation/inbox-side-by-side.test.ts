// The inbox worker handles a claimed batch side by side (concurrency), and that must not cost either promise:
// each person's events are handled one at a time and in the order they were accepted, and each exactly once.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { createLogger } from "../../src/core/logger.ts";
import { InboxWorker } from "../../src/core/inbox-worker.ts";
import { InboxRepo } from "../../src/domain/plumbing/inbox.repo.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({}, { workers: false });
});
afterAll(async () => bot?.close());

const msg = (eventId: string, senderId: string, text: string): InboundEvent => ({ platform: "playground", kind: "message", eventId, senderId, text, occurredAt: Date.now() });

it("runs different people's events at once, each person's in order and once", async () => {
  const inbox = new InboxRepo(bot.db.sql);
  const people = ["zhangsan", "lisi", "wangwu", "zhaoliu"];
  for (let n = 0; n < 4; n++) for (const p of people) expect(await inbox.accept(msg(`side-${p}-${n}`, p, String(n)))).toBe("accepted");

  const handled: { who: string; n: number }[] = [];
  const running = new Set<string>();
  let most = 0;
  const worker = new InboxWorker(
    inbox,
    async (item) => {
      const who = item.event.senderId;
      expect(running.has(who)).toBe(false); // never two of one person's events at once
      running.add(who);
      most = Math.max(most, running.size);
      await new Promise((r) => setTimeout(r, 15));
      handled.push({ who, n: Number(item.event.kind === "message" ? item.event.text : -1) });
      // What the unit of work does in its commit: the event is done.
      await bot.db.sql.query(`UPDATE "InboxEvent" SET status = 'done', "lockedUntil" = NULL WHERE id = $1::bigint`, [item.id]);
      running.delete(who);
    },
    createLogger("silent"),
    { concurrency: 4 },
  );
  while ((await worker.drainOnce()) > 0);

  expect(handled).toHaveLength(16);
  for (const p of people) expect(handled.filter((h) => h.who === p).map((h) => h.n)).toEqual([0, 1, 2, 3]);
  expect(most).toBeGreaterThan(1); // they did run side by side
});
