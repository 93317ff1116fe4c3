// 本周业绩 and 李四本周业绩 on the playground: the card, then its chart as an inline picture served from
// /playground/media/:id; a picture that cannot be drawn leaves the card alone.
import { describe, expect, it } from "vitest";
import { isPng, pngSize } from "../../src/core/charts/render-chart.ts";
import { createLogger, type Logger } from "../../src/core/logger.ts";
import { renderMetricsChart, type PreparedMetricsCard } from "../../src/handlers/metrics/show-metrics.handler.ts";
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
    expect(pngSize(png).width).toBe(900);
    expect((await fetch(`${t.bot.url}/playground/media/unknown`)).status).toBe(404);
    // Delivered: the outbox row keeps the alt text, not the bytes.
    const row = await eventually(async () => (await t.db.outboxMessage.findMany({ where: { kind: "image", recipient: "wangwu", status: "sent" } }))[0], "the sent picture row");
    const body = (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as { body: { png: string; alt: string } };
    expect(body.body.png).toBe("");
    expect(body.body.alt).toContain("近14天");
  });

  it("李四本周业绩 brings that person's own picture (trend and stages, no per-person bars) after the card", async () => {
    await t.pg.say("wangwu", "李四本周业绩");
    const card = await t.pg.nthCard("wangwu", 2, "metrics");
    expect(card.title).toBe("本周业绩 · 李四");
    const picture = await eventually(async () => {
      const items = await t.pg.botItems("wangwu");
      const at = items.findIndex((i) => "card" in i && i.card.ref === card.ref);
      return items[at + 1] as unknown as { type: string; src: string; alt: string } | undefined;
    }, "the chart after 李四's card");
    expect(picture.type).toBe("image");
    expect(picture.alt).toContain("本周业绩 · 李四");
    expect(picture.alt).toContain("近14天拜访跟进");
    expect(picture.alt).not.toContain("本周拜访 "); // a person's picture has no bars per person
    const png = new Uint8Array(await (await fetch(`${t.bot.url}${picture.src}`)).arrayBuffer());
    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 900, height: 613 });
  });

  it("a picture that cannot be drawn is left out and logged; the card is built all the same", async () => {
    const warnings: string[] = [];
    const log = { ...createLogger("silent"), warn: (m: string) => void warnings.push(m) } as unknown as Logger;
    const broken = { card: { ref: "crd_broken0000", purpose: "metrics", title: "本周业绩 · 李四", fields: [], buttons: [] }, chart: { periodLabel: "本周", trend: null, funnel: [] } } as unknown as PreparedMetricsCard;
    expect(await renderMetricsChart(broken, log)).toBeNull();
    expect(warnings).toEqual([expect.stringContaining("metrics chart could not be drawn")]);
  });

  it("the page renders the picture inline", async () => {
    const page = await (await fetch(`${t.bot.url}/playground/`)).text();
    expect(page).toContain('item.type === "image"');
    expect(page).toContain('"data-testid": "bot-image"');
  });
});
