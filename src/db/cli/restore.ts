// `npm run restore -- <file> [--force]`: load a backup made by `npm run backup` into the embedded database
// ($DATA_DIR/pglite), under the data directory's lock, so it refuses while the server runs. A folder that already
// holds a database is refused unless --force, and then moved aside (never deleted). The server migrates and checks
// the restored database at its next start, as always.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { acquireDataDirLock } from "../data-dir-lock.ts";
import { fromUserCwd, holdsData, pgliteDirFromEnv, POSTGRES_BACKUP_HINT, stamp } from "./backup.ts";

export interface RestoreResult {
  dir: string;
  /** Where the database that was there went (with --force). */
  movedAside?: string;
}

export async function restoreEmbedded(pgliteDir: string, file: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`No backup file ${file}.`);
  const dir = path.resolve(pgliteDir);
  const lock = acquireDataDirLock(dir, "restore");
  try {
    let movedAside: string | undefined;
    if (holdsData(dir)) {
      if (!opts.force) {
        throw new Error(`${dir} already holds a database. To replace it, run again with --force: the current one is moved aside to ${dir}.before-restore-<time>, not deleted.`);
      }
      movedAside = `${dir}.before-restore-${stamp()}`;
      for (let i = 2; existsSync(movedAside); i++) movedAside = `${dir}.before-restore-${stamp()}-${i}`;
      renameSync(dir, movedAside);
    } else {
      rmSync(dir, { recursive: true, force: true }); // an empty folder: PGlite loads a dump only into a new one
    }
    try {
      mkdirSync(dir, { recursive: true });
      const lite = new PGlite(dir, { loadDataDir: new Blob([readFileSync(file)]) });
      try {
        await lite.waitReady;
        await lite.query("select 1"); // it starts on the restored files
      } finally {
        await lite.close().catch(() => undefined);
      }
    } catch (err) {
      // Leave things as they were: no half-restored folder, the old database back in place.
      rmSync(dir, { recursive: true, force: true });
      if (movedAside) renameSync(movedAside, dir);
      throw new Error(`Could not restore ${file} (${err instanceof Error ? err.message : String(err)}); ${dir} is unchanged.`);
    }
    return { dir, ...(movedAside ? { movedAside } : {}) };
  } finally {
    lock.release();
  }
}

async function main(argv: string[]): Promise<number> {
  if (process.env.DATABASE_URL) {
    console.error(POSTGRES_BACKUP_HINT);
    return 1;
  }
  const force = argv.includes("--force");
  const files = argv.filter((a) => a !== "--force");
  if (files.length !== 1 || files[0]!.startsWith("-")) {
    console.error("usage: npm run restore -- <backup file> [--force]");
    return 2;
  }
  const r = await restoreEmbedded(pgliteDirFromEnv(), fromUserCwd(files[0]!), { force });
  console.log(`restored ${files[0]} into ${r.dir}${r.movedAside ? `; the database that was there is in ${r.movedAside}` : ""}. Start the bot: it migrates the restored database if needed.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
