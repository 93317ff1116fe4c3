// 李四本周业绩 over WeCom: a real encrypted callback from the manager, then at the WeCom API simulator the card and,
// right after it, the picture uploaded through media/upload and sent as an image message; with the upload failing
// the card still arrives alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPng, pngSize } from "../../src/core/charts/render-chart.ts";
import { eventually } from "../support/test-bot.ts";
import { startWecomHarness, type WecomHarness } from "../wecom/wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
});
afterAll(() => h?.close());

const sent = (user: string) => h.sim.sentTo(user) as { msgtype: string; image?: { media_id: string }; markdown?: { content: string }; template_card?: unknown }[];

describe("WeCom: 李四本周业绩 with its picture", () => {
  it("sends the card, then the person's chart uploaded as an image", async () => {
    const before = sent("WangWu").length;
    await h.driver.deliver(h.driver.textXml("WangWu", "李四本周业绩"));
    const image = await eventually(() => sent("WangWu").slice(before).find((m) => m.msgtype === "image"), "the picture");
    const mine = sent("WangWu").slice(before);
    // The card first (markdown or template card, whichever WeCom gets for a metrics card), the picture right after it.
    expect(mine.length).toBe(2);
    expect(JSON.stringify(mine[0])).toContain("本周业绩 · 李四");
    const stored = h.sim.media.get(image.image!.media_id)!;
    expect(stored).toMatchObject({ type: "image", contentType: "image/png" });
    expect(isPng(stored.bytes)).toBe(true);
    expect(pngSize(stored.bytes)).toEqual({ width: 900, height: 613 });
  });

  it("a failing upload drops the picture only: the card arrives", async () => {
    const before = sent("WangWu").length;
    h.sim.failNext(-1, 10, "/cgi-bin/media/upload");
    await h.driver.deliver(h.driver.textXml("WangWu", "李四今天业绩"));
    const card = await eventually(() => sent("WangWu").slice(before).find((m) => JSON.stringify(m).includes("今天业绩 · 李四")), "the card");
    expect(card.msgtype).not.toBe("image");
    // The picture's row is settled (delivered without the image) before we look: nothing more arrives.
    await eventually(async () => (await h.bot.db.prisma.outboxMessage.count({ where: { kind: "image", status: "pending" } })) === 0, "the picture's row settled");
    expect(sent("WangWu").slice(before).filter((m) => m.msgtype === "image")).toEqual([]);
  });
});
