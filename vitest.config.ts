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
    // A worker runs file after file in one process, importing the app (Prisma client, PGlite, express…) once
    // instead of once per file: that import was about half of the suite's CPU time. Files share no state but
    // modules: each still opens its own database and bot, and restores what it changes (fake timers, TZ).
    isolate: false,
  },
});
