// `npm run import` / `npm run export` as real child processes, as an administrator runs them. On the embedded
// database with the server running, the CLI must not open the data directory (PGlite is single-process): the
// server does the work over loopback and the CLI says so; with the server stopped the CLI opens the data itself.
// On PostgreSQL the CLI runs itself against the database.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { lockFileFor, readLock } from "../../src/db/data-dir-lock.ts";
import { openDatabase } from "../../src/db/database.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot, type Bot } from "../../src/main.ts";
import { DEMO_ORG_FILE, ROOT } from "../../src/paths.ts";
import { pgliteTemplate, databaseUrl } from "../support/db-template.ts";
import { freshDatabase, serverUrl } from "../support/fresh-database.ts";
import { tsEntry } from "../support/ts-entry.ts";
import { NOW } from "./setup.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: "import" | "export", args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [...tsEntry(`src/cli/${script}.ts`), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", LOG_LEVEL: "warn", ORG_FILE: DEMO_ORG_FILE, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

const GOOD = "客户名称,联系人,电话,负责人,阶段\n上海华东机电设备有限公司,王经理,13800138000,张三,方案报价\n宁波东方轴承有限公司,钱经理,13800000001,李四,线索\n";
const BAD = "客户名称,负责人\n合肥远景电气有限公司,张三\n,李四\n";

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "data-io-cli-"));
  writeFileSync(path.join(work, "good.csv"), GOOD);
  writeFileSync(path.join(work, "bad.csv"), BAD);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("on the embedded database", () => {
  let bot: Bot | null = null;
  let dir: string;
  const env = () => ({ DATA_DIR: path.join(work, "data") });

  beforeAll(async () => {
    dir = path.join(work, "data", "pglite");
    // A migrated data folder from the suite's template (initdb and the migrations would cost seconds).
    mkdirSync(dir, { recursive: true });
    const seed = new PGlite(dir, { loadDataDir: await pgliteTemplate("migrated") });
    await seed.waitReady;
    await seed.close();
    const database = await openDatabase({ pgliteDir: dir, role: "server" });
    const e = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "false", JOBS: "false", ORG_FILE: DEMO_ORG_FILE });
    bot = await startBot(e, { database, clock: new ManualClock(NOW), log: createLogger("silent"), workers: false });
  });
  afterAll(async () => {
    await bot?.stop();
    await bot?.db.close();
  });

  it("while the server runs, the CLI hands the import and the export to it", async () => {
    const lock = readLock(lockFileFor(dir));
    expect(lock).toMatchObject({ role: "server", pid: process.pid, adminUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const [dry, real] = await Promise.all([
      cli("import", ["customers", path.join(work, "bad.csv"), "--dry-run"], env()),
      cli("import", ["customers", path.join(work, "good.csv")], env()),
    ]);
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toContain("第 3 行：缺少客户名称");
    expect(dry.stdout).toContain(`由运行中的服务进程 ${process.pid} 执行`);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain("已导入：新建 2 个客户");
    expect(await bot!.db.prisma.customer.count()).toBe(2);
    expect(await bot!.db.prisma.customer.count({ where: { name: "合肥远景电气有限公司" } })).toBe(0);

    const out = path.join(work, "customers.xlsx");
    const exported = await cli("export", ["customers", "--out", out], env());
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`已导出 2 行到 ${out}（由运行中的服务进程 ${process.pid} 读取）`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const names: unknown[] = [];
    wb.worksheets[0]!.eachRow((row, n) => n > 1 && names.push(row.getCell(1).value));
    expect(names).toEqual(["上海华东机电设备有限公司", "宁波东方轴承有限公司"]);

    // Only the CLI on this machine: the lock file's token, no proxy in between.
    const url = `${lock && lock !== "unreadable" ? lock.adminUrl : ""}/admin/data/export/customers`;
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: `Bearer ${lock && lock !== "unreadable" ? lock.token : ""}`, "x-forwarded-for": "203.0.113.9" } })).status).toBe(403);
  });

  it("with the server stopped, the CLI opens the data itself (and releases it)", async () => {
    await bot!.stop();
    await bot!.db.close();
    bot = null;
    const out = path.join(work, "customers.csv");
    const r = await cli("export", ["customers", "--out", out], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`已导出 2 行到 ${out}`);
    expect(r.stdout).not.toContain("服务进程");
    expect([...readFileSync(out).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(existsSync(lockFileFor(dir))).toBe(false);
  });
});

describe.runIf(serverUrl())("on PostgreSQL", () => {
  it("the CLI imports by itself", async () => {
    const db = await freshDatabase();
    try {
      const r = await cli("import", ["customers", path.join(work, "good.csv")], { DATABASE_URL: databaseUrl(serverUrl()!, db.name) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("已导入：新建 2 个客户");
      expect(r.stdout).not.toContain("服务进程");
      expect(await db.prisma.customer.count()).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
