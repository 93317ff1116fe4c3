// PGlite is single-process: a second process opening the same data directory corrupts or loses data. Whoever
// opens it (the server, a job run, a migration, a backup or a restore) first takes this lock: a file next to the directory holding the
// owner's pid, created atomically (link(2) of a complete file, so nobody ever reads half of it). A lock whose pid
// is dead is taken over; a live one makes the newcomer stop at once, naming the owner.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const LockInfoSchema = z.object({
  pid: z.number().int().positive(),
  role: z.enum(["server", "job", "migrate", "backup", "restore", "import", "export"]),
  startedAt: z.string(),
  /** Loopback URL of the server's admin endpoint; absent while the server starts, and for other roles. */
  adminUrl: z.string().url().optional(),
  /** Proves to the admin endpoint that the caller can read the data directory (the file is mode 0600). */
  token: z.string().min(16),
});
export type LockInfo = z.infer<typeof LockInfoSchema>;
export type LockRole = LockInfo["role"];

export interface DataDirLock {
  readonly file: string;
  readonly info: LockInfo;
  /** Publish where the admin endpoint answers (the server, once it listens). */
  update(patch: Pick<LockInfo, "adminUrl">): void;
  release(): void;
}

export const ROLE_TEXT: Record<LockRole, string> = {
  server: "the bot server",
  job: "a job run (npm run job)",
  migrate: "a migration (npm run db:migrate)",
  backup: "a backup (npm run backup)",
  restore: "a restore (npm run restore)",
  import: "an import (npm run import)",
  export: "an export (npm run export)",
};

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockInfo,
  ) {
    const dir = lockFile.replace(/\.lock$/, "");
    super(
      `The embedded database ${dir} is in use by ${ROLE_TEXT[holder.role]} (pid ${holder.pid}, since ${holder.startedAt}` +
        `${holder.adminUrl ? `, ${holder.adminUrl}` : ""}). PGlite can be opened by one process only: stop that process first ` +
        `(kill ${holder.pid}) or give this one another DATA_DIR. To run a job while the server runs, use \`npm run job -- <name>\`: ` +
        `it asks the running server. If no such process is running, delete ${lockFile}.`,
    );
    this.name = "DataDirLockedError";
  }
}

export class DataDirLockUnreadableError extends Error {
  constructor(readonly lockFile: string) {
    super(`The lock file ${lockFile} is unreadable. If no bot server, job run or migration is running on this DATA_DIR, delete it and start again.`);
    this.name = "DataDirLockUnreadableError";
  }
}

export function lockFileFor(pgliteDir: string): string {
  return `${path.resolve(pgliteDir)}.lock`;
}

/** Locks held by this process (a pid alone cannot tell: in a container a restarted server often gets the same pid). */
const ownTokens = new Set<string>();

export function readLock(file: string): LockInfo | null | "unreadable" {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const parsed = LockInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : "unreadable";
  } catch {
    return "unreadable";
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

export function acquireDataDirLock(pgliteDir: string, role: LockRole): DataDirLock {
  const file = lockFileFor(pgliteDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString(), token: randomBytes(24).toString("hex") };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(file, info)) return held(file, info);
    const holder = readLock(file);
    if (holder === null) continue; // released meanwhile
    if (holder === "unreadable") throw new DataDirLockUnreadableError(file);
    const stale = holder.pid === process.pid ? !ownTokens.has(holder.token) : !isAlive(holder.pid);
    if (!stale) throw new DataDirLockedError(file, holder);
    removeStale(file, holder);
  }
  throw new Error(`Could not take the lock ${file}: other processes keep taking it. Stop them and start again.`);
}

function held(file: string, initial: LockInfo): DataDirLock {
  let info = initial;
  ownTokens.add(info.token);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    ownTokens.delete(info.token);
    const current = readLock(file);
    if (current && current !== "unreadable" && current.token === info.token) fs.rmSync(file, { force: true });
  };
  // A process that exits without closing the database (process.exit, an uncaught error) leaves no lock behind.
  process.on("exit", release);
  return {
    file,
    get info() {
      return info;
    },
    update(patch) {
      info = { ...info, ...patch };
      const tmp = tempName(file);
      fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
      fs.renameSync(tmp, file); // atomic replace of our own lock
    },
    release,
  };
}

function tempName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/** Creates `file` with the whole content, or returns false when it exists. */
function createExclusive(file: string, info: LockInfo): boolean {
  const tmp = tempName(file);
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
    // A file system without hard links: O_EXCL create (a reader may then see it empty for a moment).
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx", mode: 0o600 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Deletes a dead owner's lock. Two newcomers may find the same stale lock: the takeover runs under a directory
 * made with mkdir (atomic), and deletes the file only if it is still that dead owner's.
 */
function removeStale(file: string, stale: LockInfo): void {
  const guard = `${file}.takeover`;
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(guard);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A takeover takes microseconds; one older than 10 s was left by a process that died during it.
      const age = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000 || i > 200) fs.rmSync(guard, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    const current = readLock(file);
    if (current && current !== "unreadable" && current.token === stale.token) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}
