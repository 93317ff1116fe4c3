// `npm run sync` as an operator runs it: a real child process (tsx src/cli/sync.ts). On the embedded database with
// a server holding the data directory it asks that server over loopback (the server does the sync and its log has
// it); with no server it opens the database itself; on PostgreSQL it syncs itself. Bad set-ups are named.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import { openDatabase } from "../../src/db/database.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot } from "../../src/main.ts";
import { ROOT } from "../../src/paths.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { PGlite } from "@electric-sql/pglite";
import { databaseUrl, pgliteTemplate } from "../support/db-template.ts";
import { tsEntry } from "../support/ts-entry.ts";
import { freshDatabase, serverUrl } from "../support/fresh-database.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import { dingtalkDirectory, orgYaml, platformEnv, WECOM, wecomDirectory, writeOrg } from "./directory-fixtures.ts";

function runSync(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tsEntry("src/cli/sync.ts"), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("npm run sync", () => {
  let sim: WecomApiSim;
  let gw: DingtalkGateway;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startWecomApiSim({ corpId: WECOM.corpId, secret: WECOM.secret, agentId: WECOM.agentId });
    gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
    sim.directory = wecomDirectory();
    gw.api.directory = dingtalkDirectory();
    dataDir = mkdtempSync(path.join(tmpdir(), "sync-cli-"));
    // The embedded database already migrated (the suite's template), so the server below starts at once.
    const lite = new PGlite(path.join(dataDir, "pglite"), { loadDataDir: await pgliteTemplate("migrated") });
    await lite.waitReady;
    await lite.close();
    env = { ...platformEnv(sim.url, { url: gw.url, clientId: gw.api.clientId, clientSecret: gw.api.clientSecret }), ORG_FILE: writeOrg(orgYaml()), DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await sim?.close();
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("on the embedded database asks the running server, then syncs itself once the server is gone", { timeout: 120_000 }, async () => {
    const parsed = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", JOBS: "false", ...env });
    const bot = await startBot(parsed, { log: createLogger("silent"), workers: false });
    let stopped = false;
    try {
      const viaServer = await runSync(env);
      expect(viaServer.out).toContain("通讯录同步完成（企业微信、钉钉）");
      expect(viaServer.out).toContain("新增 10 人");
      expect(viaServer.out).toMatch(/run by the bot server, pid \d+/);
      expect(viaServer.code).toBe(0);
      expect(await bot.db.prisma.user.count({ where: { source: "directory" } })).toBe(10);
      await bot.stop();
      stopped = true;
    } finally {
      if (!stopped) await bot.stop();
    }
    sim.directory.users = sim.directory.users.filter((u) => u.userid !== "ChenQi");
    const itself = await runSync(env);
    expect(itself.out).toContain("停用 1 人：陈七");
    expect(itself.out).not.toContain("run by the bot server");
    expect(itself.code).toBe(0);
    const db = await openDatabase({ pgliteDir: path.join(dataDir, "pglite"), role: "job" });
    try {
      expect((await db.prisma.user.findUniqueOrThrow({ where: { id: "ChenQi" } })).active).toBe(false);
    } finally {
      await db.close();
    }
  });

  it("names what is missing: no directory section in the org file", async () => {
    const r = await runSync({ ...env, ORG_FILE: writeOrg(orgYaml().replace(/directory:[\s\S]*$/, "")) });
    expect(r.code).toBe(2);
    expect(r.out).toContain("Not synced: the org file has no directory section");
  });

  it.runIf(serverUrl())("on PostgreSQL syncs itself", { timeout: 120_000 }, async () => {
    const database = await freshDatabase();
    try {
      sim.directory = wecomDirectory();
      const r = await runSync({ ...env, DATABASE_URL: databaseUrl(serverUrl()!, database.name) });
      expect(r.out).toContain("新增 10 人");
      expect(r.code).toBe(0);
      expect(await database.prisma.identity.count({ where: { source: "directory" } })).toBeGreaterThanOrEqual(13);
    } finally {
      await database.destroy();
    }
  });
});
