// Correcting a visit from WeCom: the first correction updates the card in place with its one-shot response code;
// once no code is left, the corrected card is sent again rather than leaving a stale card behind a short text.
import { afterAll, beforeAll, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type WecomHarness } from "./wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
  await h.bot.db.prisma.customer.create({ data: { name: "恒通精密", normalizedName: normalizeCompanyName("恒通精密"), ownerId: "zhangsan", aliases: [], tags: [] } });
});
afterAll(() => h?.close());

const confirmations = () => cardsSentTo(h.sim, "ZhangSan").filter((c) => c.title === "已记录拜访");
const say = (text: string) => h.driver.deliver(h.driver.textXml("ZhangSan", text));
const reply = (n: number) => eventually(() => textsSentTo(h.sim, "ZhangSan").filter((t) => t.startsWith("已修改"))[n - 1], `correction reply #${n}`);

it("updates the card in place while a response code is left, then re-sends the corrected card", async () => {
  await say("今天拜访了恒通精密的张总，要50台电机，下周三带报价再去");
  await eventually(() => confirmations().length === 1 || undefined, "the confirmation card");

  await say("改 数量 300");
  expect(await reply(1)).toContain("需求数量 → 300");
  const update = await eventually(() => h.sim.updates[0], "update_template_card");
  expect(JSON.stringify(update)).toContain("300");
  expect(confirmations()).toHaveLength(1);

  await say("改 金额 5万");
  expect(await reply(2)).toContain("金额 → ¥50,000");
  await eventually(() => confirmations().length === 2 || undefined, "the corrected card sent again");
  expect(h.sim.updates).toHaveLength(1);
  const cards = await h.bot.db.prisma.card.findMany({ where: { purpose: "visit_confirm" }, orderBy: { createdAt: "asc" } });
  expect(cards.map((c) => c.status)).toEqual(["decided", "active"]);

  // The new card is the one further corrections and its buttons act on.
  await say("改 联系人 李总");
  expect(await reply(3)).toContain("联系人 → 李总");
});
