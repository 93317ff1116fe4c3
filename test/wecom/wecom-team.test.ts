// The manager's and the rep's team commands over WeCom, role by role: real encrypted callbacks into the app, answers
// at the WeCom API simulator. 团队客户 comes as markdown with every row (WeCom's button cards hold about four rows)
// and 下一页 is typed; 张三的待办 is refused for a rep; 转交 by the manager tells both reps; the owner edits the
// stage; 公海客户 then typed 领取 1; 我的待办 then 完成 2 completes what was shown as 2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/test-bot.ts";
import { startWecomHarness, textsSentTo, type WecomHarness } from "./wecom-harness.ts";
import { seedTeam } from "../support/team-seed.ts";

let h: WecomHarness;
const db = () => h.bot.db.prisma;

beforeAll(async () => {
  h = await startWecomHarness();
  await seedTeam(db());
});
afterAll(() => h?.close());

/** Every message (text, markdown, template card) the simulator delivered to `user`, as JSON, in order. */
const sent = (user: string) => h.sim.sentTo(user).map((m) => JSON.stringify(m));
/** Says `text` as `from` and waits for the first message to `from` after it (matching `re` when given). */
async function ask(from: string, text: string, re?: RegExp): Promise<string> {
  const n = sent(from).length;
  await h.driver.deliver(h.driver.textXml(from, text));
  return eventually(() => sent(from).slice(n).find((m) => !re || re.test(m)), `an answer to 「${text}」 for ${from}`);
}
const waitText = (user: string, re: RegExp) => eventually(() => textsSentTo(h.sim, user).find((t) => re.test(t)), `a text ${re} for ${user}`);

describe("WeCom: the team commands, role by role", () => {
  it("a manager's 团队客户: markdown with every row of ten, typed 下一页 shows the rest", async () => {
    const first = await ask("WangWu", "团队客户");
    const md = JSON.parse(first) as { msgtype: string; markdown?: { content: string } };
    expect(md.msgtype).toBe("markdown");
    expect(md.markdown!.content).toContain("团队客户");
    expect(md.markdown!.content).toContain("共 13 条，第 1–10 条");
    expect(md.markdown!.content).toContain("下一页");
    // The longest without a follow-up first: 宁波东方轴承 (20 days), then 张三客户12 …
    expect(md.markdown!.content.indexOf("宁波东方轴承")).toBeLessThan(md.markdown!.content.indexOf("张三客户12"));
    expect(md.markdown!.content).not.toMatch(/张三客户0[1-3]|甲辰机电/);
    const next = await ask("WangWu", "下一页");
    expect(next).toContain("共 13 条，第 11–13 条");
    expect(next).toMatch(/张三客户01/);
    expect(await ask("WangWu", "下一页")).toContain("已经是最后一页了");
  });

  it("a rep asking for 张三的待办 is refused, saying what they can look at", async () => {
    const refusal = await ask("LiSi", "张三的待办");
    expect(refusal).toContain("不能查看张三的待办");
    expect(refusal).toContain("我的待办");
  });

  it("转交 X 给 李四 by the manager moves the customer and its follow-up, both reps told", async () => {
    expect(await ask("WangWu", "转交 宁波东方轴承 给 李四")).toContain("已把「宁波东方轴承有限公司」从张三转交给李四，1项待办一并转交。");
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).ownerId).toBe("lisi");
    await waitText("LiSi", /^王五把客户「宁波东方轴承有限公司」转交给你.*1项待办已转到你的待办/);
    await waitText("ZhangSan", /^王五把你的客户「宁波东方轴承有限公司」转交给了李四/);
    expect(await db().task.count({ where: { title: "带报价回访周经理", ownerId: "lisi", status: "open" } })).toBe(1);
  });

  it("改 客户 X 阶段 报价 by the (new) owner; the former owner is refused", async () => {
    expect(await ask("ZhangSan", "改 客户 宁波东方轴承 阶段 报价")).toMatch(/只有负责人、负责人的上级或管理员可以修改|其他同事负责/);
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).stage).not.toBe("proposal");
    expect(await ask("LiSi", "改 客户 宁波东方轴承 阶段 报价")).toContain("宁波东方轴承有限公司");
    expect((await db().customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } })).stage).toBe("proposal");
    expect(await db().auditLog.count({ where: { actorId: "lisi", entityType: "customer" } })).toBeGreaterThanOrEqual(1);
  });

  it("公海客户 then typed 领取 1 claims the customer shown as 1", async () => {
    const list = await ask("LiSi", "公海客户");
    expect(list).toContain("甲辰机电");
    expect(list).toContain("乙巳电气");
    expect(list).toContain("发送「领取 N」");
    expect(list).not.toContain("点「领取 N」"); // no buttons on WeCom: only the typed way is offered
    const content = (JSON.parse(list) as { markdown?: { content: string } }).markdown?.content ?? list;
    const firstShown = content.indexOf("甲辰机电") < content.indexOf("乙巳电气") ? "甲辰机电" : "乙巳电气";
    expect(await ask("LiSi", "领取 1")).toContain(`已领取「${firstShown}」`);
    expect((await db().customer.findFirstOrThrow({ where: { name: firstShown } })).ownerId).toBe("lisi");
    const other = firstShown === "甲辰机电" ? "乙巳电气" : "甲辰机电";
    expect((await db().customer.findFirstOrThrow({ where: { name: other } })).ownerId).toBeNull();
  });

  it("我的待办 then 完成 2 completes what was shown as 2, and 完成 3 after it what was shown as 3", async () => {
    const list = await ask("LiSi", "我的待办");
    const titles = ["寄样品", "带报价回访周经理", "催款", "约技术交流"];
    for (const t of titles) expect(list).toContain(t);
    const shown = [...titles].sort((a, b) => list.indexOf(a) - list.indexOf(b));
    expect(await ask("LiSi", "完成 2")).toContain(`已完成：`);
    expect((await db().task.findFirstOrThrow({ where: { title: shown[1]! } })).status).toBe("done");
    expect(await ask("LiSi", "完成 3")).toContain("已完成：");
    expect((await db().task.findFirstOrThrow({ where: { title: shown[2]! } })).status).toBe("done");
    for (const t of [shown[0]!, shown[3]!]) expect((await db().task.findFirstOrThrow({ where: { title: t } })).status).toBe("open");
  });
});
