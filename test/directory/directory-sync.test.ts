// Directory sync end to end: the real bot reads the WeCom API simulator and the DingTalk OpenAPI simulator (real
// HTTP, their wire formats, DingTalk's user/list two members a page), links one person across both platforms,
// maps roles and managers from the org file, and — when people leave — deactivates them, hands their customers
// and open follow-ups to their manager (audited, the manager told on WeCom) and refuses their messages politely.
// The admin asks for it in chat (同步通讯录); anyone else is refused and nothing runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_TEXT } from "../../src/domain/plumbing/refusal.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { WecomDriver } from "../simulators/wecom-driver.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";
import { textsSentTo } from "../wecom/wecom-harness.ts";
import { dingtalkDirectory, orgYaml, platformEnv, WECOM, wecomDirectory, writeOrg } from "./directory-fixtures.ts";

describe("directory sync against both platforms", () => {
  let sim: WecomApiSim;
  let gw: DingtalkGateway;
  let bot: TestBot;
  let pg: PlaygroundClient;
  let driver: WecomDriver;

  beforeAll(async () => {
    sim = await startWecomApiSim({ corpId: WECOM.corpId, secret: WECOM.secret, agentId: WECOM.agentId });
    gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
    sim.directory = wecomDirectory();
    gw.api.directory = dingtalkDirectory();
    const env = platformEnv(sim.url, { url: gw.url, clientId: gw.api.clientId, clientSecret: gw.api.clientSecret });
    bot = await startTestBot({ ORG_FILE: writeOrg(orgYaml()), ...env, PLAYGROUND: "true" });
    pg = new PlaygroundClient(bot.url);
    driver = new WecomDriver({ botUrl: bot.url, ...WECOM, encodingAesKey: env.WECOM_ENCODING_AES_KEY! });
  });
  afterAll(async () => {
    await bot?.close();
    await sim?.close();
    await gw?.close();
  });

  const user = (id: string) => bot.db.prisma.user.findUnique({ where: { id }, include: { identities: { orderBy: { platform: "asc" } } } });

  it("a non-admin's 同步通讯录 is refused and queues nothing", async () => {
    await pg.say("sunqi", "同步通讯录");
    expect(await pg.lastText("sunqi", 1)).toContain("只有管理员可以同步通讯录");
    expect(await bot.db.prisma.directorySyncRequest.count()).toBe(0);
    expect(await bot.db.prisma.user.count({ where: { source: "directory" } })).toBe(0);
  });

  it("the admin's 同步通讯录 brings in both address books, page by page, one person per human", async () => {
    await pg.say("admin", "同步通讯录");
    expect(await pg.lastText("admin", 1)).toContain("开始同步通讯录");
    const summary = await pg.lastText("admin", 2);
    expect(summary).toContain("通讯录同步完成（企业微信、钉钉）");
    expect(summary).toContain("新增 10 人");
    expect(summary).toContain("组织文件里有、通讯录里没有 1 人：孙七");

    // DingTalk's 华东组 has seven members: four pages of two, each asked with the cursor the last one gave.
    const pages = gw.api.calls.filter((c) => c.path === "/topapi/v2/user/list" && (c.body as { dept_id: number }).dept_id === 11);
    expect(pages.map((c) => (c.body as { cursor: number }).cursor)).toEqual([0, 2, 4, 6]);
    expect(pages.every((c) => (c.body as { size: number }).size === 2)).toBe(true);
    expect(sim.requests.filter((r) => r.path === "/cgi-bin/user/list").map((r) => r.query.department_id).sort()).toEqual(["1", "2", "3", "4", "5"]);

    // 张三 by mobile, 李四 by email, 钱八 by the org file's link: one user each, both accounts.
    const zs = await user("ZhangSan");
    expect(zs?.identities.map((i) => `${i.platform}:${i.externalId}`)).toEqual(["dingtalk:dt-zs", "playground:ZhangSan", "wecom:ZhangSan"]);
    expect(zs).toMatchObject({ name: "张三", roles: ["rep"], managerId: "WangWu", mobile: "13800000002", source: "directory", active: true });
    expect((await user("LiSi"))?.identities.map((i) => i.externalId)).toContain("dt-ls");
    expect((await user("QianBa"))?.identities.map((i) => i.externalId)).toContain("dt-qb");
    expect(await bot.db.prisma.user.count({ where: { name: "张三" } })).toBe(1);
    // The department leader is a manager; a tag gives roles; no rule for 行政部; status 5 is not served.
    expect((await user("WangWu"))?.roles.sort()).toEqual(["manager", "rep"]);
    expect((await user("WuShi"))?.roles.sort()).toEqual(["manager", "rep"]);
    expect((await user("ChenQi"))?.roles).toEqual(["warehouse"]);
    expect(await user("ZhouJiu")).toBeNull();
    expect(await user("OldHand")).toBeNull();
    // The org file's people keep what the file says; the directory adds nothing they did not have.
    expect((await user("zhaoliu"))).toMatchObject({ roles: ["director"], source: "org-file" });
    expect(await bot.db.prisma.department.count()).toBe(8);
    const created = await bot.db.prisma.auditLog.count({ where: { actorId: "system:directory", action: "user.create" } });
    expect(created).toBe(10);
  });

  it("a person the sync brought in is served on WeCom; a manager's 同步通讯录 there is refused", async () => {
    await driver.deliver(driver.textXml("WangWu", "同步通讯录"));
    expect(await eventually(() => textsSentTo(sim, "WangWu").find((t) => t.includes("只有管理员可以同步通讯录")), "refusal on WeCom")).toBeTruthy();
    expect(await bot.db.prisma.directorySyncRequest.count()).toBe(1);
  });

  it("the same address book again changes nothing", async () => {
    await pg.say("admin", "同步通讯录");
    const summary = await pg.lastText("admin", 4);
    expect(summary).toContain("新增 0 人");
    expect(summary).toContain("更新 0 人");
    expect(summary).toContain("停用 0 人");
  });

  it("someone who left is deactivated, their customers and open follow-ups go to their manager, who is told", async () => {
    const db = bot.db.prisma;
    const c1 = await db.customer.create({ data: { name: "恒通精密", normalizedName: "恒通精密", ownerId: "ZhangSan", aliases: [], tags: [] } });
    await db.customer.create({ data: { name: "华东机电", normalizedName: "华东机电", ownerId: "ZhangSan", aliases: [], tags: [] } });
    const task = await db.task.create({ data: { ownerId: "ZhangSan", customerId: c1.id, title: "带报价回访", dueAt: new Date(FIXED_NOW.getTime() + 86_400_000) } });
    const own = await db.task.create({ data: { ownerId: "ZhangSan", title: "整理名片", dueAt: new Date(FIXED_NOW.getTime() + 86_400_000) } });
    // 张三 leaves both platforms; 李四 leaves WeCom only (still on DingTalk: still here).
    sim.directory.users = sim.directory.users.filter((u) => u.userid !== "ZhangSan" && u.userid !== "LiSi");
    gw.api.directory!.users = gw.api.directory!.users.filter((u) => u.userid !== "dt-zs");

    await pg.say("admin", "同步通讯录");
    const summary = await pg.lastText("admin", 6);
    expect(summary).toContain("停用 1 人：张三");
    expect(summary).toContain("张三的2个客户和2项待办已交给王五");

    expect(await user("ZhangSan")).toMatchObject({ active: false });
    expect((await user("ZhangSan"))?.deactivatedAt).not.toBeNull();
    expect((await db.customer.findMany({ where: { name: { in: ["恒通精密", "华东机电"] } } })).map((c) => c.ownerId)).toEqual(["WangWu", "WangWu"]);
    expect((await db.task.findMany({ where: { id: { in: [task.id, own.id] } } })).map((t) => t.ownerId)).toEqual(["WangWu", "WangWu"]);
    const audits = await db.auditLog.findMany({ where: { actorId: "system:directory", action: { in: ["customer.reassign", "task.reassign", "user.deactivate"] } } });
    expect(audits.filter((a) => a.action === "customer.reassign")).toHaveLength(2);
    expect(audits.filter((a) => a.action === "task.reassign")).toHaveLength(2);
    expect(audits.find((a) => a.action === "user.deactivate")?.entityId).toBe("ZhangSan");
    const told = await eventually(() => textsSentTo(sim, "WangWu").find((t) => t.includes("张三已离开通讯录")), "the manager told on WeCom");
    expect(told).toContain("2个客户（华东机电、恒通精密）");

    // 李四 is still on DingTalk: active, without the WeCom account.
    const ls = await user("LiSi");
    expect(ls?.active).toBe(true);
    expect(ls?.identities.map((i) => i.platform)).toEqual(["dingtalk", "playground"]);

    // 张三 writing now gets the stranger's polite refusal, nothing else.
    await driver.deliver(driver.textXml("ZhangSan", "我的待办"));
    expect(await eventually(() => textsSentTo(sim, "ZhangSan").find((t) => t === REFUSAL_TEXT), "refusal")).toBe(REFUSAL_TEXT);
  });

  it("an address book that cannot be read changes nothing of its people; the other one still syncs", async () => {
    sim.failNext(60011, 1, "/cgi-bin/department/list");
    gw.api.directory!.users.push({ userid: "dt-new", name: "新人", dept_id_list: [11] });
    await pg.say("admin", "同步通讯录");
    const summary = await pg.lastText("admin", 8);
    expect(summary).toContain("通讯录同步完成（钉钉）");
    expect(summary).toContain("新增 1 人：新人");
    expect(summary).toContain("企业微信通讯录读取失败，未做任何改动");
    // WeCom-only people (陈七) are untouched by a WeCom read that failed.
    expect((await user("ChenQi"))?.active).toBe(true);
  });

  it("an address book that answers with nobody (the app sees no one) is not everyone leaving", async () => {
    const saved = sim.directory.users;
    sim.directory.users = [];
    await pg.say("admin", "同步通讯录");
    const summary = await pg.lastText("admin", 10);
    expect(summary).toContain("企业微信通讯录读取失败，未做任何改动：the address book answered with nobody in it");
    expect(summary).toContain("停用 0 人");
    expect((await user("ChenQi"))?.active).toBe(true);
    sim.directory.users = saved;
  });
});
