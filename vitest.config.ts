import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Migrates one template database per run; each file's database is a copy of it (test/support/db-template.ts).
    globalSetup: ["test/global-setup.ts"],
    // Test files each get their own database; two workers keep a 2-core machine busy without thrashing.
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
  },
});
