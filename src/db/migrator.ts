// Applies prisma/migrations/*/migration.sql in order, each in a transaction, under an advisory lock so that
// instances starting together do not race. The ledger is Prisma's own `_prisma_migrations` table with a
// sha256 checksum, so `prisma migrate status/deploy` (where a native engine exists) sees the same history.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { SqlRunner, SqlSession } from "./sql-runner.ts";

const LOCK_KEY = 72707369; // same key Prisma's migrate uses for its advisory lock

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

// Session advisory locks are re-entrant within one session, and PGlite has only one: serialise callers that
// share a runner in this process too.
const inProcess = new WeakMap<SqlRunner, Promise<unknown>>();

export async function migrate(sql: SqlRunner, migrationsDir: string): Promise<MigrateResult> {
  const previous = inProcess.get(sql) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => migrateLocked(sql, migrationsDir));
  inProcess.set(sql, run);
  return run;
}

async function migrateLocked(sql: SqlRunner, migrationsDir: string): Promise<MigrateResult> {
  const migrations = readMigrations(migrationsDir);
  return sql.withSession(async (s) => {
    await s.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await s.exec(LEDGER);
      const done = await s.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const byName = new Map(done.map((r) => [r.migration_name, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        const known = byName.get(m.name);
        if (known) {
          if (known !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead of editing an applied one.`);
          }
          continue;
        }
        await applyOne(s, m);
        applied.push(m.name);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await s.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  });
}

async function applyOne(s: SqlSession, m: Migration): Promise<void> {
  await s.exec("BEGIN");
  try {
    await s.exec(m.sql);
    await s.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, now(), 1)`,
      [randomUUID(), m.checksum, m.name],
    );
    await s.exec("COMMIT");
  } catch (err) {
    await s.exec("ROLLBACK");
    throw new Error(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
  }
}
