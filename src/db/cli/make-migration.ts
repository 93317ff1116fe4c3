// `npm run db:diff -- <name>`: write the SQL that takes the database the migrations build to what
// prisma/schema.prisma declares. Prisma's WASM engine replays prisma/migrations on an in-memory PGlite (no
// database server, no download), so migrations not yet committed count too.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrationsDiff } from "../schema-diff.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}
const diff = await migrationsDiff();
if (diff.empty) {
  console.log("schema unchanged: no migration written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), diff.sql);
console.log(`wrote ${dir}/migration.sql`);
