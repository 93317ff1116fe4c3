// `prisma migrate diff` offline, on the WASM schema engine (prisma-diff.config.ts): what the migrations build
// compared with what schema.prisma declares, and the schema's own DDL. No database server, no download.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { MIGRATIONS_DIR, ROOT } from "../paths.ts";

const run = promisify(execFile);
const SCHEMA = path.join(ROOT, "prisma", "schema.prisma");

export interface SchemaDiff {
  empty: boolean;
  sql: string;
}

async function prismaDiff(from: string[], to: string[]): Promise<SchemaDiff> {
  const args = ["migrate", "diff", "--config", path.join(ROOT, "src", "db", "prisma-diff.config.ts"), ...from, ...to, "--script", "--exit-code"];
  const env = { ...process.env, DATABASE_URL: "postgresql://unused@127.0.0.1:5432/unused", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  try {
    const { stdout } = await run(path.join(ROOT, "node_modules", ".bin", "prisma"), args, { cwd: ROOT, env, maxBuffer: 16 << 20 });
    return { empty: true, sql: stdout };
  } catch (err) {
    // --exit-code: 2 = not empty (stdout holds the SQL); anything else is a failure of the command itself.
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (e.code === 2 && e.stdout !== undefined) return { empty: false, sql: e.stdout };
    throw new Error(`prisma migrate diff failed (exit ${e.code}): ${e.stderr || e.stdout || String(err)}`);
  }
}

/** The SQL that takes a database built by the migrations to the schema; empty when they agree exactly. */
export function migrationsDiff(schema = SCHEMA, migrations = MIGRATIONS_DIR): Promise<SchemaDiff> {
  return prismaDiff(["--from-migrations", migrations], ["--to-schema-datamodel", schema]);
}

/** The DDL that creates, from nothing, exactly what the schema declares. */
export async function schemaSql(schema = SCHEMA): Promise<string> {
  return (await prismaDiff(["--from-empty"], ["--to-schema-datamodel", schema])).sql;
}
