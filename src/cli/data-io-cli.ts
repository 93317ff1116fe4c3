// What `npm run import` and `npm run export` share: the environment, the organisation file, and the embedded
// database's single-process rule. PGlite can be opened by one process only, so when the bot server holds the data
// directory the CLI hands the work to it over loopback (the admin URL and token it published in the lock file);
// when nothing holds it the CLI opens it itself, under the same lock. On PostgreSQL the CLI always runs itself (the
// import takes an advisory lock, so it is one at a time with the server's own writes serialised by the database).
import path from "node:path";
import { DataDirLockedError, type LockInfo, type LockRole } from "../db/data-dir-lock.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { migrate } from "../db/migrator.ts";
import { AppError } from "../core/app-error.ts";
import { loadOrgFile, type OrgFile } from "../domain/org/org-file.ts";
import { syncOrg } from "../domain/org/org.repo.ts";
import { EnvError, loadDotEnv, parseEnv, type Env } from "../env.ts";
import { DEMO_ORG_FILE, MIGRATIONS_DIR } from "../paths.ts";

export interface LocalData {
  db: Database;
  org: OrgFile;
  env: Env;
}

export type Opened = { kind: "local"; data: LocalData } | { kind: "server"; holder: LockInfo & { adminUrl: string }; dir: string; env: Env };

/** Exit with a message: 2 for a usage or configuration mistake, 1 for a refusal. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
  }
}

export function cliEnv(): Env {
  loadDotEnv();
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof EnvError) throw new CliExit(err.message, 2);
    throw err;
  }
}

/** The data as the server would see it (migrated, the org file loaded), or the running server that holds it. */
export async function openOrAskServer(env: Env, role: LockRole): Promise<Opened> {
  const org = loadOrgFile(env.ORG_FILE ?? DEMO_ORG_FILE);
  let db: Database;
  try {
    db = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(env.DATA_DIR, "pglite"), poolSize: 2, connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS, role, onIdleError: () => undefined });
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    const { holder } = err;
    const dir = err.lockFile.replace(/\.lock$/, "");
    if (holder.role !== "server") {
      throw new CliExit(`The embedded database ${dir} is in use by another command (${holder.role}, pid ${holder.pid}). Wait for it to finish, then run this again.`, 1);
    }
    if (!holder.adminUrl) {
      throw new CliExit(
        `The bot server (pid ${holder.pid}) holds the embedded database ${dir} but does not take admin calls: it is still starting (try again in a few seconds), ` +
          `or its HOST is neither loopback nor 0.0.0.0 (stop it with kill ${holder.pid}, then run this again).`,
        1,
      );
    }
    return { kind: "server", holder: { ...holder, adminUrl: holder.adminUrl }, dir, env };
  }
  try {
    await migrate(db.sql, MIGRATIONS_DIR);
    await syncOrg(db.prisma, org);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { kind: "local", data: { db, org, env } };
}

/** A call to the running server's loopback admin route; its refusals come back as CliExit with its message. */
export async function askServer(o: Extract<Opened, { kind: "server" }>, route: string, init: { method: "GET" | "POST"; body?: Uint8Array }): Promise<globalThis.Response> {
  const target = `${o.holder.adminUrl}${route}`;
  let res: globalThis.Response;
  try {
    res = await fetch(target, {
      method: init.method,
      headers: { authorization: `Bearer ${o.holder.token}`, ...(init.body ? { "content-type": "application/octet-stream" } : {}) },
      ...(init.body ? { body: init.body } : {}),
    });
  } catch (err) {
    throw new CliExit(`The bot server (pid ${o.holder.pid}) holds the embedded database ${o.dir} but did not answer at ${target} (${err instanceof Error ? err.message : String(err)}). If it is stuck, stop it (kill ${o.holder.pid}) and run this again.`, 1);
  }
  if (res.ok) return res;
  const text = await res.text();
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: the text as it came
  }
  if (res.status === 404) throw new CliExit(`The bot server (pid ${o.holder.pid}) does not know ${route}: it runs an older version. Restart it, then run this again.`, 1);
  if (res.status >= 500) throw new CliExit(`The bot server (pid ${o.holder.pid}) failed (HTTP ${res.status}): its log has the error.`, 1);
  throw new CliExit(message, 1);
}

/** Runs a CLI's main: prints a refusal (AppError messages are the Chinese ones meant for people) and sets the exit code. */
export function runCli(main: () => Promise<number>): void {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      if (err instanceof CliExit) {
        console.error(err.message);
        process.exit(err.code);
      }
      if (err instanceof AppError) {
        console.error(err.userMessage);
        process.exit(1);
      }
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}

/** --flag value pairs and bare words. */
export function parseArgs(argv: string[], flags: readonly string[], switches: readonly string[]): { words: string[]; values: Record<string, string>; on: Set<string>; unknown: string[] } {
  const words: string[] = [];
  const values: Record<string, string> = {};
  const on = new Set<string>();
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.match(/^(--[a-z-]+)=(.*)$/);
    if (eq && flags.includes(eq[1]!)) values[eq[1]!] = eq[2]!;
    else if (flags.includes(a) && argv[i + 1] !== undefined) values[a] = argv[++i]!;
    else if (switches.includes(a)) on.add(a);
    else if (a.startsWith("--")) unknown.push(a);
    else words.push(a);
  }
  return { words, values, on, unknown };
}
