import { cpSync, mkdtempSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

it("applies each migration once, even when two instances start at the same time", async () => {
  db = await freshDatabase({ migrate: false });
  const [a, b] = await Promise.all([migrate(db.sql, MIGRATIONS_DIR), migrate(db.sql, MIGRATIONS_DIR)]);
  expect(a.applied.length + b.applied.length).toBe(a.applied.length + a.alreadyApplied); // exactly one applied them
  const again = await migrate(db.sql, MIGRATIONS_DIR);
  expect(again.applied).toEqual([]);
  const rows = await db.sql.query(`SELECT migration_name FROM "_prisma_migrations"`);
  expect(rows.length).toBe(again.alreadyApplied);
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
