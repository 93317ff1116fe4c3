// 本周业绩 on the playground: the card, then its chart as an inline picture served from /playground/media/:id.
import { describe, expect, it } from "vitest";
import { isPng, pngSize } from "../../src/core/charts/render-chart.ts";
import { eventually } from "../support/eventually.ts";
import { playgroundBot } from "../support/playground-bot.ts";

describe("metrics chart on the playground", () => {
  const t = playgroundBot();

  it("shows a manager's card and right after it the team chart, served as a PNG", async () => {
    await t.pg.say("wangwu", "本周业绩");
    const card = await t.pg.nthCard("wangwu", 1, "metrics");
    expect(card.title).toBe("本周业绩 · 王五团队");
    const picture = await eventually(async () => {
      const items = await t.pg.botItems("wangwu");
      const at = items.findIndex((i) => "card" in i && i.card.ref === card.ref);
      return items[at + 1] as unknown as { type: string; src: string; alt: string } | undefined;
    }, "the chart after the card");
    expect(picture.type).toBe("image");
    expect(picture.src).toMatch(/^\/playground\/media\/m\w+$/);
    expect(picture.alt).toContain("本周业绩 · 王五团队");
    expect(picture.alt).toContain("近14天拜访跟进");
    const res = await fetch(`${t.bot.url}${picture.src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/png");
    const png = new Uint8Array(await res.arrayBuffer());
    expect(isPng(png)).toBe(true);
    expect(pngSize(png).width).toBe(1080);
    expect((await fetch(`${t.bot.url}/playground/media/unknown`)).status).toBe(404);
    // Delivered: the outbox row keeps the alt text, not the bytes.
    const row = await eventually(async () => (await t.db.outboxMessage.findMany({ where: { kind: "image", recipient: "wangwu", status: "sent" } }))[0], "the sent picture row");
    const body = (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as { body: { png: string; alt: string } };
    expect(body.body.png).toBe("");
    expect(body.body.alt).toContain("近14天");
  });

  it("the page renders the picture inline", async () => {
    const page = await (await fetch(`${t.bot.url}/playground/`)).text();
    expect(page).toContain('item.type === "image"');
    expect(page).toContain('"data-testid": "bot-image"');
  });
});
