// Prisma CLI configuration for `migrate diff --from-migrations`: the WASM engine replays the migrations on an
// in-memory PGlite (see shadow-adapter.ts). Used by the schema test and `npm run db:diff`; nothing connects
// to a real database.
import { defineConfig } from "prisma/config";
import { shadowPgliteFactory } from "./shadow-adapter.ts";

// The CLI must see a postgresql:// URL even when it never connects, or it falls back to a native engine.
process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:5432/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/schema.prisma",
  // Cast over pglite-prisma-adapter's older copy of Prisma's adapter types; the runtime contract is the same.
  adapter: async () => shadowPgliteFactory() as never,
});
