// A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the server in
// TEST_DATABASE_URL or DATABASE_URL (CI runs the suite both ways). Dropped again in teardown.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";

export interface TestDatabase extends Database {
  name: string;
  /** Close and drop. */
  destroy(): Promise<void>;
}

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = serverUrl();
  let db: Database;
  let name = "memory";
  let drop = async () => {};
  if (base) {
    name = `t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    db = await openDatabase({ url: url.toString(), poolSize: 5 });
    drop = async () => {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  } else {
    db = await openDatabase({ pgliteDir: "memory" });
  }
  if (opts.migrate !== false) await migrate(db.sql, MIGRATIONS_DIR);
  return {
    ...db,
    name,
    async destroy() {
      await db.close();
      await drop();
    },
  };
}
