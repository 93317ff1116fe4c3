// Prisma CLI configuration. The "js" engine runs the schema engine as WASM bundled in the package,
// so `generate` and `migrate diff` never download a native engine (see README, "Why Prisma 6.19").
import { defineConfig } from "prisma/config";

// The CLI must see a postgresql:// URL even when it never connects, or it falls back to a native engine.
process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:5432/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const { PGlite } = await import("@electric-sql/pglite");
    // Only used by commands that connect (none of our scripts do); cast over the adapter's older type copy.
    return new PrismaPGlite(new PGlite()) as never;
  },
});
