// `npm run backup -- [file]`: the embedded database (PGlite in $DATA_DIR/pglite) to one .tar.gz file, taken under
// the data directory's lock, so it refuses while the server (or a job run, a migration) has the database open.
// On PostgreSQL (DATABASE_URL) it refuses and names pg_dump: the server's own tools do that job better.
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { acquireDataDirLock } from "../data-dir-lock.ts";

export const POSTGRES_BACKUP_HINT =
  "DATABASE_URL is set: the data is in PostgreSQL, not in the embedded database. Back it up with PostgreSQL's own tools, " +
  'e.g. `pg_dump -Fc -f sales-desk.dump "$DATABASE_URL"`, and restore with `pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" sales-desk.dump` ' +
  "(stop the bot first; it migrates the restored database at its next start).";

/** The embedded database's folder, as the server computes it. */
export function pgliteDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DATA_DIR ?? "./data", "pglite");
}

/** Where a relative path given on the command line points: the folder `npm run` was started from. */
export function fromUserCwd(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), file);
}

/** `YYYYMMDD-HHMMSS` in local time. */
export function stamp(at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

export const defaultBackupName = (at = new Date()) => `backup-${stamp(at)}.tar.gz`;

export function holdsData(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/**
 * Writes the database in `pgliteDir` to `file` (gzip-compressed tar of the data folder, as PGlite's dumpDataDir
 * gives it). Throws DataDirLockedError, naming the pid, while another process has the database open.
 */
export async function backupEmbedded(pgliteDir: string, file: string): Promise<{ file: string; bytes: number }> {
  if (existsSync(file)) throw new Error(`${file} already exists; name another file (npm run backup -- <file>).`);
  const lock = acquireDataDirLock(pgliteDir, "backup");
  try {
    if (!holdsData(pgliteDir)) throw new Error(`There is no embedded database in ${path.resolve(pgliteDir)} to back up (is DATA_DIR right?).`);
    const lite = new PGlite(pgliteDir);
    let dump: Blob;
    try {
      await lite.waitReady;
      dump = await lite.dumpDataDir("gzip");
    } finally {
      await lite.close();
    }
    const bytes = Buffer.from(await dump.arrayBuffer());
    // Written under a temporary name and renamed: a half-written file never looks like a backup.
    const tmp = `${file}.${process.pid}.partial`;
    try {
      writeFileSync(tmp, bytes, { mode: 0o600 });
      renameSync(tmp, file);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { file, bytes: bytes.length };
  } finally {
    lock.release();
  }
}

async function main(argv: string[]): Promise<number> {
  if (process.env.DATABASE_URL) {
    console.error(POSTGRES_BACKUP_HINT);
    return 1;
  }
  const [given, ...rest] = argv;
  if (rest.length || given?.startsWith("-")) {
    console.error("usage: npm run backup -- [file]   (default: backup-YYYYMMDD-HHMMSS.tar.gz in the current folder)");
    return 2;
  }
  const file = fromUserCwd(given ?? defaultBackupName());
  const dir = pgliteDirFromEnv();
  const r = await backupEmbedded(dir, file);
  console.log(`backed up ${path.resolve(dir)} to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB); restore it with npm run restore -- ${r.file}`);
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
