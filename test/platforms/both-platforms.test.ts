// One deployment serving WeCom and DingTalk together, one person known on both: each reply goes back where the
// person wrote, their records are one, and a notice reaches a person on the platform they are known on.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dueRemindersJob } from "../../jobs/due-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { DEMO_ORG_FILE } from "../../src/main.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { randomAesKey, WecomDriver } from "../simulators/wecom-driver.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { deliveredCards } from "../dingtalk/e2e-helpers.ts";
import { cardsSentTo, textsSentTo } from "../wecom/wecom-harness.ts";
import { bothPlatformsEnv } from "../support/platform-env.ts";

describe("WeCom and DingTalk in one process", () => {
  const wecom = { corpId: "ww0123456789abcdef", agentId: 1000002, secret: randomBytes(16).toString("hex"), token: "tok", encodingAesKey: randomAesKey() };
  let sim: WecomApiSim;
  let gw: DingtalkGateway;
  let bot: TestBot;
  let driver: WecomDriver;

  beforeAll(async () => {
    // The manager is only on DingTalk; the rep is on both.
    const dir = mkdtempSync(path.join(tmpdir(), "org-"));
    const orgFile = path.join(dir, "org.yaml");
    const demo = readFileSync(DEMO_ORG_FILE, "utf8");
    if (!demo.includes('wecom: WangWu, dingtalk: "0201"')) throw new Error("demo org changed: update this test");
    writeFileSync(orgFile, demo.replace('wecom: WangWu, dingtalk: "0201"', 'dingtalk: "0201"'));

    sim = await startWecomApiSim({ corpId: wecom.corpId, secret: wecom.secret, agentId: wecom.agentId });
    gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
    bot = await startTestBot({
      ORG_FILE: orgFile,
      ...bothPlatformsEnv(wecom, sim, gw),
    });
    driver = new WecomDriver({ botUrl: bot.url, ...wecom });
    await eventually(() => gw.stream.sockets.size === 1, "the bot's Stream connection");
    await bot.db.prisma.customer.create({ data: { name: "恒通精密", normalizedName: normalizeCompanyName("恒通精密"), ownerId: "zhangsan", aliases: [], tags: [] } });
  });
  afterAll(async () => {
    await bot?.close();
    await sim?.close();
    await gw?.close();
  });

  it("answers on DingTalk what was written on DingTalk, and on WeCom what was written on WeCom, from one record", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0101", nick: "张三", text: "今天拜访了恒通精密的张总，明天下午三点再联系", msgId: "both-1" }));
    const confirm = await eventually(() => deliveredCards(gw).find((c) => c.params.title === "已记录拜访"), "confirmation on DingTalk");
    expect(confirm.openSpaceId).toBe("dtv1.card//IM_ROBOT.0101");
    expect(cardsSentTo(sim, "ZhangSan")).toHaveLength(0);

    expect((await driver.deliver(driver.textXml("ZhangSan", "我的待办"))).status).toBe(200);
    // A card without buttons goes to WeCom as markdown.
    const todo = await eventually(() => textsSentTo(sim, "ZhangSan").find((t) => t.includes("张三的待办")), "to-do list on WeCom");
    expect(todo).toContain("张三的待办（1）");
    expect(todo).toContain("【恒通精密】再联系");
    expect(deliveredCards(gw).filter((c) => (c.params.title ?? "").includes("待办"))).toHaveLength(0);
    expect(await bot.db.prisma.user.count({ where: { id: "zhangsan" } })).toBe(1);
  });

  it("escalates an overdue follow-up to a manager known only on DingTalk", async () => {
    // Due 2026-11-24 15:00 Shanghai; the escalation delay is 24 h.
    const r = await runJob(bot.deps, dueRemindersJob, new Date("2026-11-25T08:00:00Z"));
    expect(r.result).toMatchObject({ reminded: 1, escalated: 1, failed: 0 });
    const escalation = await eventually(() => deliveredCards(gw).find((c) => c.openSpaceId === "dtv1.card//IM_ROBOT.0201"), "escalation to the manager on DingTalk");
    expect(escalation.params.title ?? "").toMatch(/逾期|超期|未跟进/);
    expect(sim.sentTo("WangWu")).toHaveLength(0);
    // The rep's own reminder goes to one platform only (WeCom first when a person is on both).
    const reminder = await eventually(() => cardsSentTo(sim, "ZhangSan").find((c) => c.buttons.some((b) => b.text === "完成")), "reminder card on WeCom");
    expect(reminder.buttons.map((b) => b.text)).toContain("完成");
    expect(deliveredCards(gw).filter((c) => c.openSpaceId.endsWith("0101"))).toHaveLength(1); // only the visit confirmation
  });
});
