// One measured set-up: a fresh database (a new PostgreSQL database, or PGlite in a new temp folder as `npm start`
// keeps it), the WeCom API simulator (in the bench's process, answering as WeCom does), and the bot in its own
// process with the WeCom channel pointed at the simulator.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase } from "../../../src/db/database.ts";
import { migrate } from "../../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../../src/paths.ts";
import { databaseUrl } from "../../support/db-template.ts";
import type { SalesOrg } from "./sales-org.ts";
import { startWecomApiSim, type WecomApiSim } from "../../simulators/wecom-api.ts";
import type { BotStats } from "./bot-process.ts";
import { startChild, type Child } from "./child.ts";
import { newWecomConfig, wecomEnv } from "../../support/platform-env.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export type DbKind = "postgres" | "pglite";

export interface Stack {
  kind: DbKind;
  bot: Child<{ url: string; kind: string }>;
  sim: WecomApiSim;
  /** When each accepted message/send reached the simulator (epoch ms) and to whom, in arrival order. */
  deliveries: { to: string; at: number; msgtype: string }[];
  config: { corpId: string; agentId: number; secret: string; token: string; encodingAesKey: string };
  /** The PostgreSQL database made for this stack and its URL (undefined on PGlite). */
  dbName?: string;
  dbUrl?: string;
  stats(): Promise<BotStats>;
  backlog(): Promise<{ inbox: number; outbox: number }>;
  close(): Promise<void>;
}

/**
 * The org file's people written ahead, in bulk, exactly as the org loader stores them, so that the bot's own load
 * of the same file at start-up finds nothing to change. Loading 1,000 new people one by one through the loader
 * takes about a minute on this machine when it is busy and can exceed the loader's 60 s transaction.
 */
async function preloadPeople(db: { url?: string; pgliteDir?: string }, users: SalesOrg["users"]): Promise<void> {
  const opened = await openDatabase({ ...db, role: "job" });
  try {
    await migrate(opened.sql, MIGRATIONS_DIR);
    await opened.sql.query(
      `INSERT INTO "User" (id, name, roles, "managerId", active, source, "updatedAt")
       SELECT id, name, string_to_array(roles, ','), nullif(m, ''), true, 'org-file', now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, name, roles, m)`,
      [users.map((u) => u.id), users.map((u) => u.name), users.map((u) => u.roles.join(",")), users.map((u) => u.manager ?? "")],
    );
    const ids = users.flatMap((u) => [{ platform: "playground", externalId: u.id, userId: u.id }, { platform: "wecom", externalId: u.wecom, userId: u.id }]);
    await opened.sql.query(
      `INSERT INTO "Identity" (platform, "externalId", "userId", source) SELECT p, e, u, 'org-file' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(p, e, u)`,
      [ids.map((i) => i.platform), ids.map((i) => i.externalId), ids.map((i) => i.userId)],
    );
  } finally {
    await opened.close();
  }
}

export async function startStack(kind: DbKind, postgresUrl: string | undefined, env: Record<string, string> = {}, nodeArgs: string[] = [], people?: SalesOrg["users"]): Promise<Stack> {
  const config = newWecomConfig();
  const sim = await startWecomApiSim({ corpId: config.corpId, secret: config.secret, agentId: config.agentId });
  const deliveries: Stack["deliveries"] = [];
  // The simulator keeps what it accepted in `sent`; note when each arrived, for the lag from ack to reply.
  const push = sim.sent.push.bind(sim.sent);
  sim.sent.push = (...items) => {
    const at = Date.now();
    for (const m of items) deliveries.push({ to: String(m.touser ?? m.chatid ?? ""), at, msgtype: String(m.msgtype) });
    return push(...items);
  };
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-"));
  let dropDb = async () => {};
  let dbName: string | undefined;
  let dbEnv: Record<string, string>;
  if (kind === "postgres") {
    if (!postgresUrl) throw new Error("PostgreSQL unreachable");
    const name = `bench_${randomBytes(5).toString("hex")}`;
    dbName = name;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    // BENCH_KEEP_DB=1 leaves it for a look afterwards (said on stderr; drop it yourself).
    dropDb = process.env.BENCH_KEEP_DB ? async () => console.error(`kept database ${name}`) : () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    dbEnv = { DATABASE_URL: databaseUrl(postgresUrl, name) };
  } else {
    dbEnv = { DATA_DIR: tmp };
  }
  if (people) await preloadPeople(kind === "postgres" ? { url: dbEnv.DATABASE_URL! } : { pgliteDir: path.join(tmp, "pglite") }, people);
  let bot: Stack["bot"];
  try {
    bot = await startChild(path.join(here, "bot-process.ts"), {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      JOBS: "false",
      PLAYGROUND: "false",
      DATABASE_URL: undefined,
      ...wecomEnv(config, sim.url),
      ...dbEnv,
      ...env,
    }, { logFile: path.join(tmp, "bot.log"), nodeArgs });
  } catch (err) {
    await sim.close();
    await dropDb();
    throw err;
  }
  return {
    kind, bot, sim, deliveries, config, dbName,
    ...(dbName ? { dbUrl: dbEnv.DATABASE_URL! } : {}),
    stats: () => bot.call<BotStats>("stats"),
    backlog: () => bot.call("backlog"),
    async close() {
      await bot.close();
      await sim.close();
      await dropDb().catch(() => undefined);
      if (!process.env.BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
      else console.error(`kept ${tmp}`);
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
