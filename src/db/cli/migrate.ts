// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import path from "node:path";
import { openDatabase } from "../database.ts";
import { migrate } from "../migrator.ts";

const db = await openDatabase({ url: process.env.DATABASE_URL, pgliteDir: path.join(process.env.DATA_DIR ?? "./data", "pglite"), role: "migrate" });
try {
  const r = await migrate(db.sql, path.resolve("prisma/migrations"));
  console.log(r.applied.length ? `applied: ${r.applied.join(", ")}` : `up to date (${r.alreadyApplied} migrations)`);
} finally {
  await db.close();
}
