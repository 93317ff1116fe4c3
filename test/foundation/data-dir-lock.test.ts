// The embedded database (PGlite, single-process) is never opened by two processes: a running server holds a
// lock on its data directory, `npm run job` asks that server to run the job, a second server refuses naming the
// first one's pid. Real processes, as an operator would start them.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, lockFileFor, LockInfoSchema } from "../../src/db/data-dir-lock.ts";
import { openDatabase } from "../../src/db/database.ts";
import { loadOrgFile } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { DEMO_ORG_FILE, ROOT } from "../../src/paths.ts";
import { migratedDataFolder } from "../support/db-template.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { tsEntry } from "../support/ts-entry.ts";

const AT = "2026-12-07T08:00:00+08:00"; // a Monday morning; the seeded follow-up is due at 10:00 that day

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; done: Promise<Run> } {
  const child = spawn(process.execPath, [...tsEntry("src/main.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", LOG_LEVEL: "warn", PLAYGROUND: "true", JOBS: "false", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout + stderr, done };
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the embedded database's data directory", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "bot-lock-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("takes over a dead process's lock, and refuses a live one naming its pid", async () => {
    const dir = path.join(dataDir, "unit", "pglite");
    const first = acquireDataDirLock(dir, "job");
    expect(() => acquireDataDirLock(dir, "server")).toThrow(DataDirLockedError); // this very process holds it
    first.release();
    expect(existsSync(lockFileFor(dir))).toBe(false);

    // A crashed owner: its pid no longer exists.
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => dead.on("exit", () => resolve(dead.pid!)));
    writeFileSync(lockFileFor(dir), JSON.stringify({ pid: deadPid, role: "server", startedAt: new Date().toISOString(), token: "x".repeat(32) }));
    const taken = acquireDataDirLock(dir, "job");
    expect(taken.info.pid).toBe(process.pid);

    // A live owner (another process) is refused with its pid and what to do.
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      taken.release();
      writeFileSync(lockFileFor(dir), JSON.stringify({ pid: live.pid, role: "server", startedAt: new Date().toISOString(), token: "y".repeat(32) }));
      expect(() => acquireDataDirLock(dir, "server")).toThrow(new RegExp(`pid ${live.pid}.*kill ${live.pid}`));
    } finally {
      live.kill();
    }
  });

  it("lets `npm run job` ask the running server, refuses a second server, and loses or repeats nothing", { timeout: 180_000 }, async () => {
    const dir = path.join(dataDir, "pglite");
    // Seed: the organisation and one follow-up due on the job's day.
    await migratedDataFolder(dir);
    const seed = await openDatabase({ pgliteDir: dir });
    await syncOrg(seed.prisma, loadOrgFile(DEMO_ORG_FILE));
    await seed.prisma.task.create({ data: { ownerId: "zhangsan", title: "带报价去华东机电", dueAt: new Date("2026-12-07T10:00:00+08:00") } });
    await seed.close();

    // A copy of the demo organisation: the demo file itself would also seed demo customers and follow-ups.
    const env = { DATA_DIR: dataDir, ORG_FILE: demoOrgWith([]) };
    const server = start([], env);
    try {
      const url = await waitFor("the server to listen", () => {
        if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
        return server.output().match(/is running on (http:\/\/\S+)/)?.[1];
      });
      const lock = LockInfoSchema.parse(JSON.parse(readFileSync(lockFileFor(dir), "utf8")));
      expect(lock).toMatchObject({ pid: server.child.pid, role: "server" });

      // Two job runs and a second server at once, on the same data directory.
      const [jobA, jobB, second] = await Promise.all([
        start(["job", "daily-todo", "--at", AT], env).done,
        start(["job", "daily-todo", "--at", AT], env).done,
        start([], env).done,
      ]);
      for (const job of [jobA, jobB]) {
        expect(job.code, job.stderr).toBe(0);
        expect(job.stdout).toContain(`run by the bot server, pid ${server.child.pid}`);
      }
      const outputs = [jobA.stdout, jobB.stdout].sort();
      expect(outputs.filter((o) => o.includes('"sent":1'))).toHaveLength(1);
      expect(outputs.filter((o) => o.includes("already ran for this period"))).toHaveLength(1);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`in use by the bot server (pid ${server.child.pid}`);
      expect(second.stderr).toContain(`kill ${server.child.pid}`);

      // The admin endpoint answers only the local CLI: the lock file's token, no proxy in between.
      const post = (headers: Record<string, string>) => fetch(`${url}/admin/jobs/daily-todo`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
      expect((await post({})).status).toBe(403);
      expect((await post({ authorization: `Bearer ${lock.token}`, "x-forwarded-for": "203.0.113.9" })).status).toBe(403);

      // The server still serves: a message is accepted while it runs.
      const said = await fetch(`${url}/playground/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "zhangsan", text: "帮助" }) });
      expect(said.status).toBe(202);
    } finally {
      server.child.kill("SIGTERM");
      await server.done;
    }
    expect(existsSync(lockFileFor(dir))).toBe(false); // released on shutdown

    // Opened again (the lock is free): one to-do message, one job run, the message and the task kept.
    const db = await openDatabase({ pgliteDir: dir });
    try {
      expect(await db.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: "job:daily-todo:2026-12-07:" } } })).toBe(1);
      expect(await db.prisma.jobRun.count({ where: { job: "daily-todo", period: "2026-12-07", subject: "" } })).toBe(1);
      expect(await db.prisma.inboxEvent.count()).toBe(1);
      expect(await db.prisma.task.count()).toBe(1);
    } finally {
      await db.close();
    }
  });
});
