// `npm run backup` / `npm run restore` of the embedded database: a customer survives the round trip, both refuse
// while another process holds the data directory (naming its pid), restore keeps an existing database aside
// (only with --force), and on PostgreSQL both point to pg_dump / pg_restore.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupEmbedded, defaultBackupName } from "../../src/db/cli/backup.ts";
import { restoreEmbedded } from "../../src/db/cli/restore.ts";
import { DataDirLockedError, lockFileFor } from "../../src/db/data-dir-lock.ts";
import { openDatabase } from "../../src/db/database.ts";
import { ROOT } from "../../src/paths.ts";
import { migratedDataFolder } from "../support/db-template.ts";
import { tsEntry } from "../support/ts-entry.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: "backup" | "restore", args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [...tsEntry(`src/db/cli/${script}.ts`), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

async function customerNames(dir: string): Promise<string[]> {
  const db = await openDatabase({ pgliteDir: dir });
  try {
    return (await db.prisma.customer.findMany({ select: { name: true } })).map((c) => c.name);
  } finally {
    await db.close();
  }
}

describe("backup and restore of the embedded database", () => {
  let root: string;
  let dataDir: string;
  let pgliteDir: string;
  let backupFile: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "bot-backup-"));
    dataDir = path.join(root, "data");
    pgliteDir = path.join(dataDir, "pglite");
    backupFile = path.join(root, "nightly.tar.gz");
    await migratedDataFolder(pgliteDir);
    const db = await openDatabase({ pgliteDir });
    try {
      await db.prisma.customer.create({ data: { name: "华东机电", normalizedName: "华东机电" } });
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("backs up to one file and restores it into a fresh folder, the customer there", { timeout: 120_000 }, async () => {
    expect(defaultBackupName(new Date(2026, 11, 4, 9, 5, 7))).toBe("backup-20261204-090507.tar.gz");
    const r = await backupEmbedded(pgliteDir, backupFile);
    expect(r.bytes).toBeGreaterThan(0);
    expect(existsSync(lockFileFor(pgliteDir))).toBe(false); // released
    await expect(backupEmbedded(pgliteDir, backupFile)).rejects.toThrow(/already exists/); // never overwrites

    const fresh = path.join(root, "fresh", "pglite");
    const restored = await restoreEmbedded(fresh, backupFile);
    expect(restored.movedAside).toBeUndefined();
    expect(await customerNames(fresh)).toEqual(["华东机电"]);
  });

  it("refuses an existing database without --force, and keeps it aside with it", { timeout: 120_000 }, async () => {
    const target = path.join(root, "existing", "pglite");
    await migratedDataFolder(target);
    const db = await openDatabase({ pgliteDir: target });
    try {
      await db.prisma.customer.create({ data: { name: "西南重工", normalizedName: "西南重工" } });
    } finally {
      await db.close();
    }
    await expect(restoreEmbedded(target, backupFile)).rejects.toThrow(/already holds a database.*--force/);
    expect(await customerNames(target)).toEqual(["西南重工"]); // untouched

    const r = await restoreEmbedded(target, backupFile, { force: true });
    expect(r.movedAside).toMatch(/pglite\.before-restore-\d{8}-\d{6}$/);
    expect(readdirSync(path.dirname(target)).filter((f) => f.startsWith("pglite.before-restore-"))).toHaveLength(1);
    expect(await customerNames(target)).toEqual(["华东机电"]);
    expect(await customerNames(r.movedAside!)).toEqual(["西南重工"]);

    // A file that is not a backup changes nothing.
    const junk = path.join(root, "junk.tar.gz");
    writeFileSync(junk, "not a backup");
    await expect(restoreEmbedded(target, junk, { force: true })).rejects.toThrow(/is unchanged/);
    expect(await customerNames(target)).toEqual(["华东机电"]);
  });

  describe("while another process holds the data directory", () => {
    let holder: ChildProcess;
    beforeAll(() => {
      holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120000)"]);
      writeFileSync(lockFileFor(pgliteDir), JSON.stringify({ pid: holder.pid, role: "server", startedAt: new Date().toISOString(), token: "z".repeat(32) }));
    });
    afterAll(() => {
      holder.kill();
      rmSync(lockFileFor(pgliteDir), { force: true });
    });

    it("both refuse, naming the pid", async () => {
      const pid = holder.pid!;
      await expect(backupEmbedded(pgliteDir, path.join(root, "while-locked.tar.gz"))).rejects.toThrow(DataDirLockedError);
      await expect(backupEmbedded(pgliteDir, path.join(root, "while-locked.tar.gz"))).rejects.toThrow(new RegExp(`bot server \\(pid ${pid}`));
      expect(existsSync(path.join(root, "while-locked.tar.gz"))).toBe(false);
      await expect(restoreEmbedded(pgliteDir, backupFile, { force: true })).rejects.toThrow(new RegExp(`pid ${pid}.*kill ${pid}`));
      expect(readdirSync(dataDir).filter((f) => f.includes("before-restore"))).toEqual([]); // nothing moved
    });

    it("as commands too: exit code 1 and the pid on stderr", { timeout: 60_000 }, async () => {
      const [backup, restore] = await Promise.all([
        cli("backup", [path.join(root, "cli.tar.gz")], { DATA_DIR: dataDir }),
        cli("restore", [backupFile, "--force"], { DATA_DIR: dataDir }),
      ]);
      for (const run of [backup, restore]) {
        expect(run.code, run.stdout).toBe(1);
        expect(run.stderr).toContain(`in use by the bot server (pid ${holder.pid}`);
      }
    });
  });

  it("on PostgreSQL (DATABASE_URL) both refuse and name pg_dump / pg_restore", { timeout: 60_000 }, async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: "postgresql://bot@localhost:5432/bot" };
    const [backup, restore] = await Promise.all([cli("backup", [], env), cli("restore", [backupFile], env)]);
    for (const run of [backup, restore]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("pg_dump -Fc");
      expect(run.stderr).toContain("pg_restore --clean");
    }
    expect(readdirSync(ROOT).filter((f) => /^backup-\d{8}-\d{6}\.tar\.gz$/.test(f))).toEqual([]);
  });
});
