// One precedence between the org file (loaded at every start) and the directory sync, whichever runs last:
// the file's people are the file's (the sync only adds accounts), the directory's people the directory's (a restart
// never deactivates them), an admin's 设置 角色 wins over both until 恢复; someone taken out of the file who is still
// in the address book goes back to the directory. Restarts here are real: the bot stopped and started again on the
// same database with the org file as it is then. The scheduled job runs once a day, whoever runs it.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directorySyncJob } from "../../jobs/directory-sync.job.ts";
import { dryRunJob } from "../../jobs/dry-run.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { parseEnv } from "../../src/env.ts";
import { runDirectorySync } from "../../src/handlers/admin/directory-sync.handler.ts";
import { startBot, type Bot } from "../../src/main.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import { dingtalkDirectory, orgYaml, platformEnv, WECOM, wecomDirectory, writeOrg } from "./directory-fixtures.ts";

describe("org file and directory sync across restarts", () => {
  let sim: WecomApiSim;
  let gw: DingtalkGateway;
  let database: TestDatabase;
  let bot: Bot | null = null;
  let orgFile: string;
  let env: Record<string, string>;
  const clock = new ManualClock(FIXED_NOW);

  const start = async (org: string) => {
    await bot?.stop();
    writeFileSync(orgFile, org);
    const parsed = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", PLAYGROUND: "true", JOBS: "false", ORG_FILE: orgFile, ...env });
    bot = await startBot(parsed, { database, clock, log: createLogger(parsed.LOG_LEVEL) });
    return bot;
  };
  const user = (id: string) => database.prisma.user.findUniqueOrThrow({ where: { id }, include: { identities: { orderBy: { platform: "asc" } } } });
  let syncs = 0;
  const sync = async () => runDirectorySync(bot!.deps, clock.now(), `test-${++syncs}`);
  /** The answer to `text` (the playground's feed starts empty with each start). */
  const say = async (from: string, text: string) => {
    const pg = new PlaygroundClient(bot!.url);
    const before = (await pg.botItems(from)).filter((i) => i.type === "text").length;
    await pg.say(from, text);
    return pg.lastText(from, before + 1);
  };

  beforeAll(async () => {
    sim = await startWecomApiSim({ corpId: WECOM.corpId, secret: WECOM.secret, agentId: WECOM.agentId });
    gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
    sim.directory = wecomDirectory();
    gw.api.directory = dingtalkDirectory();
    env = platformEnv(sim.url, { url: gw.url, clientId: gw.api.clientId, clientSecret: gw.api.clientSecret });
    database = await freshDatabase();
    orgFile = writeOrg(orgYaml());
  });
  afterAll(async () => {
    await bot?.stop();
    await database?.destroy();
    await sim?.close();
    await gw?.close();
  });

  it("the daily job syncs once a day, whoever runs it", async () => {
    await start(orgYaml());
    // A dry run reads the address books and says what would change, then leaves the database as it was.
    const dry = await dryRunJob(bot!.deps, directorySyncJob, clock.now());
    expect(dry).toMatchObject({ dryRun: true, ran: true, result: { added: 10 } });
    expect(await database.prisma.user.count({ where: { source: "directory" } })).toBe(0);
    const first = await runJob(bot!.deps, directorySyncJob, clock.now());
    expect(first).toMatchObject({ ran: true, result: { added: 10, deactivated: 0, failed: 0 } });
    expect(await runJob(bot!.deps, directorySyncJob, clock.now())).toMatchObject({ ran: false });
  });

  it("a restart keeps the directory's people and an admin's role; a sync keeps the admin's role too", async () => {
    expect(await say("admin", "设置 角色 张三 经理")).toContain("已把张三的角色设为：经理");
    await start(orgYaml());
    const zs = await user("ZhangSan");
    expect(zs).toMatchObject({ active: true, source: "directory", roles: ["manager"], managerId: "WangWu" });
    expect(zs.identities.map((i) => i.externalId)).toEqual(["dt-zs", "ZhangSan", "ZhangSan"]);
    expect(await database.prisma.user.count({ where: { source: "directory", active: true } })).toBe(10);
    expect(await database.prisma.auditLog.count({ where: { action: "user.deactivate" } })).toBe(0);
    await sync();
    expect((await user("ZhangSan")).roles).toEqual(["manager"]);
    // The file's person without an address-book entry stays: the sync names them, the file decides.
    expect((await user("sunqi")).active).toBe(true);
  });

  it("a person the file lists is the file's: the sync adds accounts, never roles; 恢复 gives the file's roles back", async () => {
    const listed = "  - { id: ZhangSan, name: 张三, roles: [warehouse], wecom: ZhangSan }\n";
    await start(orgYaml(listed));
    expect(await user("ZhangSan")).toMatchObject({ source: "org-file", roles: ["manager"] });
    await sync();
    const zs = await user("ZhangSan");
    expect(zs.roles).toEqual(["manager"]);
    expect(zs.identities.map((i) => `${i.platform}:${i.externalId}:${i.source}`)).toEqual(["dingtalk:dt-zs:directory", "playground:ZhangSan:org-file", "wecom:ZhangSan:org-file"]);
    expect(await say("admin", "设置 角色 张三 恢复")).toContain("已取消张三的单独角色设置");
    await start(orgYaml(listed));
    expect((await user("ZhangSan")).roles).toEqual(["warehouse"]);
    await sync();
    expect(await user("ZhangSan")).toMatchObject({ roles: ["warehouse"], source: "org-file", active: true });
  });

  it("taken out of the file but still in the address book: back to the directory, not deactivated", async () => {
    await start(orgYaml());
    expect(await user("ZhangSan")).toMatchObject({ source: "directory", active: true });
    await sync();
    expect(await user("ZhangSan")).toMatchObject({ source: "directory", active: true, roles: ["rep"], managerId: "WangWu" });
  });

  it("a leaver with nobody active above them is handed to the org's fallback manager", async () => {
    const c = await database.prisma.customer.create({ data: { name: "远航物流", normalizedName: "远航物流", ownerId: "WuShi", aliases: [], tags: [] } });
    sim.directory.users = sim.directory.users.filter((u) => u.userid !== "WuShi");
    const o = await sync();
    expect(o.deactivated.map((d) => d.name)).toEqual(["吴十"]);
    expect(o.handedOver).toEqual([expect.objectContaining({ fromId: "WuShi", toId: "zhaoliu", customers: ["远航物流"] })]);
    expect((await database.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).ownerId).toBe("zhaoliu");
    // A restart does not bring the leaver back, and a sync does not undo the restart.
    await start(orgYaml());
    expect((await user("WuShi")).active).toBe(false);
    await sync();
    expect((await user("WuShi")).active).toBe(false);
    // Back in the address book: the same person again, active.
    sim.directory = wecomDirectory();
    const back = await sync();
    expect(back.reactivated.map((r) => r.id)).toEqual(["WuShi"]);
    expect(await user("WuShi")).toMatchObject({ active: true, deactivatedAt: null, roles: ["manager", "rep"] });
  });
});
