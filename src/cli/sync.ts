// `npm run sync`: read the WeCom / DingTalk address book now (the org file's directory section) and print what
// changed. On the embedded database, when a server holds it (PGlite is single-process), the server does the sync
// (POST /admin/directory/sync over loopback, with the token from the lock file, as `npm run job` does); otherwise
// this process opens the database, holding its lock. On PostgreSQL this process syncs; the org-file advisory lock
// keeps it from interleaving with a starting server or another sync.
import { systemClock } from "../core/clock.ts";
import type { Platform } from "../core/inbound-event.ts";
import { createLogger } from "../core/logger.ts";
import { DataDirLockedError } from "../db/data-dir-lock.ts";
import { EnvError, loadDotEnv, parseEnv, type Env } from "../env.ts";
import type { AppDeps } from "../handlers/engine/app-deps.ts";
import { DirectorySyncError, runDirectorySync, syncSummary } from "../handlers/admin/directory-sync.handler.ts";
import path from "node:path";
import { openDatabase, type Database } from "../db/database.ts";
import { migrate } from "../db/migrator.ts";
import { loadOrgFile, type OrgFile } from "../domain/org/org-file.ts";
import { syncOrg } from "../domain/org/org.repo.ts";
import { DEMO_ORG_FILE, MIGRATIONS_DIR } from "../paths.ts";
import { directorySources } from "./directory-sources.ts";
import { z } from "zod";

const ServerAnswer = z.object({ counts: z.record(z.string(), z.number()), summary: z.string() });

async function main(): Promise<number> {
  loadDotEnv();
  let env: Env;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) return console.error(err.message), 2;
    throw err;
  }
  if (process.argv.slice(2).length) return console.error("usage: npm run sync (reads the address books named by the org file's directory section)"), 2;
  // Said before the database is opened (or a server asked): nothing to sync without a directory section or a platform.
  const org = loadOrgFile(env.ORG_FILE ?? DEMO_ORG_FILE);
  if (!org.rules.directory) return console.error("Not synced: the org file has no directory section (see the README: Directory sync)"), 2;
  if (!env.wecom && !env.dingtalk) return console.error("Not synced: neither WeCom (WECOM_*) nor DingTalk (DINGTALK_*) is configured"), 2;
  const log = createLogger(env.LOG_LEVEL, {}, { logMessages: env.LOG_MESSAGES });
  let db: Database;
  try {
    db = await openData(env, org);
  } catch (err) {
    if (err instanceof DataDirLockedError) return askServer(err);
    throw err;
  }
  try {
    const platforms: Platform[] = [...(env.wecom ? ["wecom" as const] : []), ...(env.dingtalk ? ["dingtalk" as const] : []), ...(env.playground ? ["playground" as const] : [])];
    const deps: AppDeps = {
      db: db.prisma, rules: org.rules, warehouseRoutes: org.warehouse.routes, timeZone: env.BOT_TIMEZONE, clock: systemClock,
      enabledPlatforms: () => platforms, log, directory: directorySources(env, log, systemClock),
    };
    const o = await runDirectorySync(deps, systemClock.now(), `cli:${systemClock.now().toISOString()}`);
    console.log(syncSummary(o));
    return o.failed.length ? 1 : 0;
  } catch (err) {
    if (err instanceof DirectorySyncError) return console.error(`Not synced: ${err.message}`), 2;
    throw err;
  } finally {
    await db.close();
  }
}

/**
 * The database as the server opens it (main.ts openData): migrated and the org file loaded, holding the embedded
 * database's lock as a job. Done here so the command does not load the whole app (a third of its start-up time).
 */
async function openData(env: Env, org: OrgFile): Promise<Database> {
  const db = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(env.DATA_DIR, "pglite"), poolSize: 2, connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS, role: "job" });
  try {
    await migrate(db.sql, MIGRATIONS_DIR);
    await syncOrg(db.prisma, org);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

async function askServer(locked: DataDirLockedError): Promise<number> {
  const { holder } = locked;
  const dir = locked.lockFile.replace(/\.lock$/, "");
  if (holder.role !== "server") return console.error(`Another process (${holder.role}, pid ${holder.pid}) is using the embedded database ${dir}; wait for it to finish, then run npm run sync again.`), 1;
  if (!holder.adminUrl) return console.error(`The bot server (pid ${holder.pid}) holds ${dir} but does not take admin calls yet (still starting, or HOST is neither loopback nor 0.0.0.0).`), 1;
  const target = `${holder.adminUrl}/admin/directory/sync`;
  let res: globalThis.Response;
  try {
    res = await fetch(target, { method: "POST", headers: { authorization: `Bearer ${holder.token}` } });
  } catch (err) {
    return console.error(`The bot server (pid ${holder.pid}) holds ${dir} but did not answer at ${target} (${err instanceof Error ? err.message : String(err)}).`), 1;
  }
  const text = await res.text();
  if (res.status === 409) return console.error(`Not synced: ${(JSON.parse(text) as { message?: string }).message ?? text}`), 2;
  if (res.status === 404) return console.error(`The bot server (pid ${holder.pid}) is older than npm run sync (no /admin/directory/sync): restart it on this version.`), 1;
  const answer = res.ok ? ServerAnswer.safeParse(JSON.parse(text)) : null;
  if (!answer?.success) return console.error(`The bot server (pid ${holder.pid}) could not sync: HTTP ${res.status} ${text.slice(0, 300)}`), 1;
  console.log(`${answer.data.summary}\n(run by the bot server, pid ${holder.pid})`);
  return answer.data.counts.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
