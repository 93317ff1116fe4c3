import { cpSync, mkdtempSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { migrate, readMigrations } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { eventually } from "../support/eventually.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const ALL = readMigrations(MIGRATIONS_DIR).map((m) => m.name);
const ledger = async (d: TestDatabase) =>
  (await d.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`)).map((r) => r.migration_name);

/** The test database's own URL (freshDatabase creates it on the server under `name`). */
function urlOf(d: TestDatabase): string {
  const url = new URL(serverUrl()!);
  url.pathname = `/${d.name}`;
  return url.toString();
}

/** A copy of the migrations with a slow one first, so two instances are sure to overlap. */
function slowMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  mkdirSync(path.join(dir, "00000000000000_slow"));
  writeFileSync(path.join(dir, "00000000000000_slow", "migration.sql"), "SELECT pg_sleep(0.3);");
  return dir;
}

// Two instances are two processes with their own connections, which only PostgreSQL has: the advisory lock is
// what keeps them apart. PGlite is one process holding one connection (its data folder cannot be opened twice),
// so there "two at once" can only be two callers in that process, which the migrator queues.
describe.runIf(serverUrl())("two instances on PostgreSQL", () => {
  it("apply each migration once when they start at the same time", async () => {
    db = await freshDatabase({ migrate: false });
    const dir = slowMigrations();
    const [one, two] = await Promise.all([openDatabase({ url: urlOf(db), poolSize: 2 }), openDatabase({ url: urlOf(db), poolSize: 2 })]);
    try {
      const [a, b] = await Promise.all([migrate(one.sql, dir), migrate(two.sql, dir)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(["00000000000000_slow", ...ALL]); // each once, by one of them
      expect(Math.min(a.applied.length, b.applied.length)).toBe(0); // the other waited and found nothing to do
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
    expect(await ledger(db)).toEqual(["00000000000000_slow", ...ALL]);
  });

  it("wait while another instance holds the migration lock", async () => {
    db = await freshDatabase({ migrate: false });
    const holder = new pg.Client({ connectionString: urlOf(db) });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(72707369)");
      let finished = false;
      const run = migrate(db.sql, MIGRATIONS_DIR).then((r) => ((finished = true), r));
      // Until the migrator is seen queued behind the holder's lock (not a fixed pause that a slow machine outlasts).
      await eventually(async () => (await holder.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).rowCount, "the migrator waiting for the lock");
      expect(finished).toBe(false);
      expect((await holder.query(`SELECT to_regclass('"User"') AS t`)).rows[0]).toEqual({ t: null });
      await holder.query("SELECT pg_advisory_unlock(72707369)");
      expect((await run).applied).toEqual(ALL);
    } finally {
      await holder.end();
    }
  });
});

it("applies each migration once when called twice at once in one process", async () => {
  db = await freshDatabase({ migrate: false });
  const [a, b] = await Promise.all([migrate(db.sql, MIGRATIONS_DIR), migrate(db.sql, MIGRATIONS_DIR)]);
  expect([...a.applied, ...b.applied]).toEqual(ALL);
  expect((await migrate(db.sql, MIGRATIONS_DIR)).applied).toEqual([]);
  expect(await ledger(db)).toEqual(ALL);
});

it("refuses a migration edited after it was applied", async () => {
  db = await freshDatabase({ migrate: false });
  const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  await migrate(db.sql, dir);
  const first = path.join(dir, "20261123000000_init", "migration.sql");
  appendFileSync(first, "\n-- edited\n");
  await expect(migrate(db.sql, dir)).rejects.toThrow(/was changed after it was applied/);
});

it("rolls back a failing migration and leaves the ledger clean", async () => {
  db = await freshDatabase({ migrate: false });
  const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  mkdirSync(path.join(dir, "29990101000000_broken"));
  writeFileSync(path.join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT * FROM no_such_table;`);
  await expect(migrate(db.sql, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
  const half = await db.sql.query(`SELECT to_regclass('"Half"') AS t`);
  expect(half[0]).toEqual({ t: null });
  const names = (await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`)).map((r) => r.migration_name);
  expect(names).not.toContain("29990101000000_broken");
});
