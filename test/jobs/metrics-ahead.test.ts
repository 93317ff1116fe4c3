// The evening cards drawn a batch ahead (metrics-cards.handler.ts): with one lead per batch, every lead's picture is
// drawn while the batch before it is written, and still lands right after that lead's own card, once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMetricsCards } from "../../src/handlers/metrics/metrics-cards.handler.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);

describe("metrics cards drawn a batch ahead", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => bot?.close());

  it("pairs each lead's picture with that lead's card, once, whatever the batch size", async () => {
    const now = at("2026-11-23T19:00:00");
    const range = { from: at("2026-11-23T00:00:00"), to: now };
    for (const [job, size] of [["ahead-1", 1], ["ahead-50", 50]] as const) {
      const r = await sendMetricsCards(bot.deps, job, "2026-11-23", "今天", range, now, size);
      expect(r, job).toMatchObject({ sent: 2, failed: 0 });
      const rows = await bot.db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `job:${job}:` } }, orderBy: { id: "asc" } });
      expect(rows.length, job).toBe(4);
      const body = (p: unknown) => ((typeof p === "string" ? JSON.parse(p) : p) as { body: { type: string; card?: { title: string }; alt?: string } }).body;
      for (const [lead, team] of [["wangwu", "王五团队"], ["zhaoliu", "赵六团队"]]) {
        const mine = rows.filter((m) => m.userId === lead);
        expect(mine.map((m) => m.kind), `${job} ${lead}`).toEqual(["card", "image"]);
        expect(body(mine[0]!.payload).card?.title).toBe(`今天业绩 · ${team}`);
        expect(body(mine[1]!.payload).alt).toContain(`今天业绩 · ${team}：`);
      }
    }
    // Run again: everything was claimed, nothing is sent twice.
    expect(await sendMetricsCards(bot.deps, "ahead-1", "2026-11-23", "今天", range, now, 1)).toMatchObject({ sent: 0, already: 2 });
  });
});
