// End to end without a card template: cards arrive as markdown with text commands, and typing those commands
// (「选 1」「新建」「取消」「撤销」) as robot messages does what the buttons would. No card API is ever called.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { sentTexts, startDingtalkBot } from "./e2e-helpers.ts";

const AMBIGUOUS_VISIT = "今天拜访了华东的王经理，下周三带报价再去";
let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot());
  // Two customers that 「华东」 could mean, so the bot asks which one.
  for (const [name, normalizedName] of [["华东机电有限公司", "华东机电"], ["华东机床有限公司", "华东机床"]] as const) {
    await bot.db.prisma.customer.create({ data: { name, normalizedName, ownerId: "zhangsan", aliases: [], tags: [] } });
  }
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

const say = (text: string) => gw.sendRobot(gw.robotMessage({ staffId: "0101", text }));
/** The next text the bot sent that matches, after `from` earlier ones. */
const nextText = (from: number, what: string, test: (t: string) => boolean) => eventually(() => sentTexts(gw).slice(from).find((t) => test(t.text))?.text, what);
const activities = () => bot.db.prisma.activity.findMany({ include: { customer: true }, orderBy: { createdAt: "asc" } });

describe("DingTalk end to end (no card template): typed card commands", () => {
  it("「取消」 on the pick card records nothing", async () => {
    const from = sentTexts(gw).length;
    say(AMBIGUOUS_VISIT);
    const pick = await nextText(from, "the pick card as markdown", (t) => t.includes("是哪个「华东」"));
    expect(pick).toContain("「选 1」");
    expect(pick).toContain("「取消」");
    say("取消");
    await nextText(from, "the pick card's new status", (t) => t.includes("已取消，没有记录任何内容"));
    expect(await activities()).toHaveLength(0);
  });

  it("「选 1」 records the visit for the first candidate; 「撤销」 undoes it", async () => {
    let from = sentTexts(gw).length;
    say(AMBIGUOUS_VISIT);
    const pick = await nextText(from, "the pick card", (t) => t.includes("是哪个「华东」"));
    const first = /\*\*选项1\*\*：(\S+)/.exec(pick)?.[1];
    say("选 1");
    const confirm = await nextText(from, "the confirmation with its command", (t) => t.includes("已记录拜访") && t.includes("「撤销」"));
    expect(confirm).toContain(first!);
    const [visit] = await activities();
    expect(visit?.customer?.name).toBe(first);

    from = sentTexts(gw).length;
    say("撤销");
    await nextText(from, "undo confirmed", (t) => t.includes(`已撤销对「${first}」`));
    await nextText(from, "the confirmation's new status", (t) => t.includes("### 已记录拜访") && t.includes("已撤销"));
    expect((await activities())[0]?.undoneAt).toBeInstanceOf(Date);
  });

  it("「新建」 creates the new customer and records the visit", async () => {
    const from = sentTexts(gw).length;
    say("今天拜访了宏达电子的李经理，下季度要50台电机");
    await nextText(from, "the new-customer card", (t) => t.includes("「宏达电子」是新客户吗") && t.includes("「新建」"));
    say("新建");
    await nextText(from, "the confirmation", (t) => t.includes("已记录拜访") && t.includes("宏达电子"));
    expect((await activities()).at(-1)?.customer?.name).toBe("宏达电子");
    expect(gw.calls("/v1.0/card/instances/createAndDeliver")).toHaveLength(0);
    expect(gw.calls("/v1.0/card/instances", "PUT")).toHaveLength(0);
  });
});
