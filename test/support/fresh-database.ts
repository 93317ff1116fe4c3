// A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the server in
// TEST_DATABASE_URL or DATABASE_URL (CI runs the suite both ways). Dropped again in teardown.
// Migrated databases are copies of a template migrated once per run (db-template.ts); `migrate: false` gives an
// empty one, for tests of the migrator itself.
import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { databaseUrl, openMigratedPglite, openPglite, pgliteTemplate, runDatabaseName, TEMPLATE_ENV, withAdmin } from "./db-template.ts";

export interface TestDatabase extends Database {
  name: string;
  /** Close and drop. */
  destroy(): Promise<void>;
}

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const wantMigrated = opts.migrate !== false;
  const base = serverUrl();
  let db: Database;
  let name = "memory";
  let drop = async () => {};
  let migrated = false;
  if (base) {
    // Without the globalSetup (e.g. `npm run bench`) there is no template: migrate this one as before.
    const runTemplate = process.env[TEMPLATE_ENV];
    const template = wantMigrated ? runTemplate : undefined;
    name = runTemplate ? runDatabaseName(runTemplate) : `t_${randomBytes(6).toString("hex")}`;
    await withAdmin(base, (a) => a.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
    migrated = Boolean(template);
    db = await openDatabase({ url: databaseUrl(base, name), poolSize: 5 });
    const dropNow = () => withAdmin(base, (a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
    // DROP DATABASE takes a second or more on a busy server, and the next file need not wait for it: in a run
    // (globalSetup) it goes on in the background, and the run's teardown drops whatever is left of this run's
    // databases (dropRunDatabases). Outside a run it is awaited as before.
    drop = runTemplate ? async () => void dropNow().catch(() => undefined) : dropNow;
  } else {
    db = wantMigrated ? await openMigratedPglite() : await openPglite(await pgliteTemplate("empty"));
    migrated = wantMigrated;
  }
  if (wantMigrated && !migrated) await migrate(db.sql, MIGRATIONS_DIR);
  return {
    ...db,
    name,
    async destroy() {
      await db.close();
      await drop();
    },
  };
}
