// freshDatabase() gives every test a database as the template makes it, whoever had one before: on PGlite a
// database a file closed is reset and handed to the next file of the worker (test/support/db-template.ts,
// openMigratedPglite), on PostgreSQL each is a new copy of the run's template. The same checks on both.
import { describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "./fresh-database.ts";

const AUDIT = `INSERT INTO "AuditLog" ("actorId", action, "entityType", "entityId") VALUES ('zhangsan', 'probe', 'probe', 'x') RETURNING id::int AS id`;
const count = async (db: TestDatabase, table: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;
const tables = async (db: TestDatabase) => (await db.sql.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.t);
const columns = async (db: TestDatabase) => (await db.sql.query<{ c: string }>(`SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.c);

/** Opens, lets `use` change it, closes; then the next database must look like the first did when it opened. */
async function afterAnother(use: (db: TestDatabase) => Promise<void>): Promise<{ before: Awaited<ReturnType<typeof shape>>; after: Awaited<ReturnType<typeof shape>>; next: TestDatabase }> {
  const db = await freshDatabase();
  const before = await shape(db);
  await use(db);
  await db.destroy();
  const next = await freshDatabase();
  return { before, after: await shape(next), next };
}

async function shape(db: TestDatabase) {
  return {
    tables: await tables(db),
    columns: await columns(db),
    migrations: await count(db, "_prisma_migrations"),
    users: await count(db, "User"),
    audit: await count(db, "AuditLog"),
    indexes: (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`))[0]!.n,
  };
}

describe("a fresh database is the template's, whatever the file before did with its own", () => {
  it("rows, sequences and session settings are gone", async () => {
    const { before, after, next } = await afterAnother(async (db) => {
      await db.prisma.user.create({ data: { id: "probe", name: "探针", roles: ["rep"] } });
      for (let i = 0; i < 3; i++) await db.sql.query(AUDIT);
      await db.sql.query(`SET TIME ZONE 'America/New_York'`);
      await db.sql.query("SELECT $1::int AS n", [1], { prepare: "fresh_db_probe" });
    });
    try {
      expect(after).toEqual(before);
      // The sequence starts again: the first row gets id 1, as in a new copy of the template.
      expect((await next.sql.query<{ id: number }>(AUDIT))[0]!.id).toBe(1);
      expect((await next.sql.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`))[0]!.tz).not.toBe("America/New_York");
      // The same statement name with another text: a leftover prepared statement would refuse it.
      expect(await next.sql.query("SELECT $1::text AS s", ["x"], { prepare: "fresh_db_probe" })).toEqual([{ s: "x" }]);
    } finally {
      await next.destroy();
    }
  });

  it("a schema a test changed is not handed on: no extra table, column or index, the migrations' rows all there", async () => {
    const { before, after, next } = await afterAnother(async (db) => {
      await db.sql.exec(`CREATE TABLE fresh_db_probe (id int); ALTER TABLE "AuditLog" ADD COLUMN probe int; CREATE INDEX fresh_db_probe_idx ON "User" (name)`);
      await db.sql.query(`DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`);
    });
    try {
      expect(after).toEqual(before);
    } finally {
      await next.destroy();
    }
  });

  it("a closed database refuses queries (a stray query never lands in the next file's)", async () => {
    const db = await freshDatabase();
    const { sql, prisma } = db;
    await db.destroy();
    const next = await freshDatabase();
    try {
      await expect(sql.query(AUDIT)).rejects.toThrow();
      await expect(prisma.user.count()).rejects.toThrow();
      expect(await count(next, "AuditLog")).toBe(0);
    } finally {
      await next.destroy();
    }
  });
});
