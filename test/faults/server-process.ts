// The fault tests' real server: `src/main.ts` started as its own process (node + tsx), as `npm start` does, so it
// can be killed with SIGKILL or stopped with SIGTERM. Every child is tracked and killed in `killAllServers()`.
// Also: the database each pass gives those processes (a fresh PostgreSQL database, or an embedded PGlite data
// folder made from the migrated template), WeCom's side of the wire, and what the fault tests count at the
// simulator.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { ROOT } from "../../src/paths.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { tsEntry } from "../support/ts-entry.ts";
import { databaseUrl, pgliteTemplate } from "../support/db-template.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { WecomDriver, type HttpResult, type Prepared } from "../simulators/wecom-driver.ts";
import { newWecomConfig, wecomEnv } from "../support/platform-env.ts";

export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything it printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves when it has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** SIGKILL whatever is still running (afterAll of every fault suite). */
export async function killAllServers(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGKILL");
        }),
    ),
  );
  children.clear();
}

/**
 * Starts `src/main.ts` with exactly `env` (plus PATH/HOME): nothing leaks in from the test runner's environment
 * (its DATABASE_URL, the template name). Resolves once it prints the URL it listens on.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, tsEntry("src/main.ts"), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", JOBS: "false", PLAYGROUND: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /is running on (http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited while starting (code ${code}, signal ${signal}):\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => out,
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

/** The database one pass gives its server processes, and the test's own handle on it between runs. */
export interface FaultDatabase {
  kind: "postgres" | "pglite";
  /** What the server processes get: DATABASE_URL, or DATA_DIR for the embedded database. */
  env: Record<string, string>;
  /**
   * Runs `fn` with a connection of the test's own. On PGlite only while no server holds the data folder
   * (the embedded database is single-process).
   */
  use<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  destroy(): Promise<void>;
}

export async function faultDatabase(): Promise<FaultDatabase> {
  const base = serverUrl();
  if (base) {
    const db: TestDatabase = await freshDatabase();
    return { kind: "postgres", env: { DATABASE_URL: databaseUrl(base, db.name), DATABASE_POOL_SIZE: "5" }, use: (fn) => fn(db), destroy: () => db.destroy() };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "faults-"));
  // The migrated template, loaded into a real data folder: no initdb and no migrations at every start.
  const lite = new PGlite(path.join(dir, "pglite"), { loadDataDir: await pgliteTemplate("migrated") });
  await lite.waitReady;
  await lite.close();
  return {
    kind: "pglite",
    env: { DATA_DIR: dir },
    async use(fn) {
      const db = await openDatabase({ pgliteDir: path.join(dir, "pglite"), role: "migrate" });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async destroy() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Claims a killed process held: what a restart would wait one lease (45 s) for, let go by at once. Only while no
 * live worker holds claims (between a kill and the restart).
 */
export async function letDeadClaimsExpire(db: Database): Promise<void> {
  for (const table of ["InboxEvent", "OutboxMessage"]) {
    await db.sql.query(`UPDATE "${table}" SET "lockedUntil" = now() - interval '1 second' WHERE status = 'pending' AND "lockedUntil" > now()`);
  }
}

/** WeCom for one suite: the API simulator, the callback driver's settings, and an org of `reps` reps (F00…). */
export interface WecomSide {
  sim: WecomApiSim;
  config: { corpId: string; agentId: number; secret: string; token: string; encodingAesKey: string };
  /** WeCom user ids of the extra reps. */
  reps: string[];
  /** The environment that points a server at the simulator with this org. */
  env: Record<string, string>;
  driver(botUrl: string): WecomDriver;
}

export async function wecomSide(reps = 20): Promise<WecomSide> {
  const config = newWecomConfig();
  const sim = await startWecomApiSim({ corpId: config.corpId, secret: config.secret, agentId: config.agentId });
  const ids = Array.from({ length: reps }, (_, i) => `F${String(i).padStart(2, "0")}`);
  const admin = "  - { id: admin, name: 管理员, roles: [admin], wecom: Admin }";
  const lines = ids.map((id, i) => `  - { id: ${id.toLowerCase()}, name: 演练${i}, roles: [rep], manager: wangwu, wecom: ${id} }`);
  const orgFile = demoOrgWith([[admin, [admin, ...lines].join("\n")]]);
  return {
    sim,
    config,
    reps: ids,
    env: {
      ORG_FILE: orgFile,
      ...wecomEnv(config, sim.url),
    },
    driver: (botUrl) => new WecomDriver({ botUrl, ...config }),
  };
}

/** Text messages the bot cannot read: it answers each with 没太明白「<text>」, so every reply names its message. */
export const drill = (run: string, i: number): string => `故障演练 ${run}-${i}`;

/** How many replies the simulator accepted for each drill message of `run` (by the text the reply quotes). */
export function repliesByMessage(sim: WecomApiSim, run: string): Map<string, number> {
  const counts = new Map<string, number>();
  const re = new RegExp(`故障演练 ${run}-\\d+`);
  for (const m of sim.sent) {
    const content = String(((m.text ?? m.markdown) as { content?: unknown } | undefined)?.content ?? "");
    const hit = re.exec(content)?.[0];
    if (hit) counts.set(hit, (counts.get(hit) ?? 0) + 1);
  }
  return counts;
}

/** The drill replies of `run` in the order the simulator took them, per member. */
export function repliesInOrder(sim: WecomApiSim, run: string): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  const re = new RegExp(`故障演练 ${run}-\\d+`);
  for (const m of sim.sent) {
    const content = String(((m.text ?? m.markdown) as { content?: unknown } | undefined)?.content ?? "");
    const hit = re.exec(content)?.[0];
    if (hit) byUser.set(String(m.touser), [...(byUser.get(String(m.touser)) ?? []), hit]);
  }
  return byUser;
}

/**
 * Sends one callback once (no retry): the caller decides what a non-200 means. Network errors are status 0.
 * Pass the `Prepared` of an earlier call to resend it as WeCom retries: the same MsgId, the same bytes.
 */
export async function postOnce(driver: WecomDriver, from: string, text: string, same?: Prepared): Promise<HttpResult & { prepared: Prepared }> {
  const prepared = same ?? driver.prepare(driver.textXml(from, text));
  const r = await driver.post(prepared).catch((err: Error) => ({ status: 0, text: err.message }));
  return { ...r, prepared };
}

/** The pending counts the server reports at /metrics (from the database): 0 and 0 once all work is done. */
export async function queueDepths(url: string): Promise<{ inbox: number; outbox: number } | null> {
  const res = await fetch(`${url}/metrics`).catch(() => null);
  if (!res?.ok) return null;
  const text = await res.text();
  const read = (name: string) => {
    const m = new RegExp(`^\\w*${name} (\\d+)`, "m").exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return { inbox: read("inbox_depth"), outbox: read("outbox_depth") };
}
