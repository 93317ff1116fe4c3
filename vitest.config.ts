import { configDefaults, defineConfig } from "vitest/config";

// These files start their own server or CLI processes with database settings of their own (an embedded data
// folder; a DATABASE_URL they set themselves), whatever database the suite runs on: a second pass on PostgreSQL
// (CI runs the suite on PGlite, then with DATABASE_URL) would prove exactly the same thing again, for about a
// minute and a half of CPU. They run in the embedded-database pass only.
// chart-threads.test.ts draws pictures on worker threads and touches no database at all.
const SAME_ON_EVERY_DATABASE = ["test/ops/build.test.ts", "test/foundation/backup.test.ts", "test/foundation/data-dir-lock.test.ts", "test/charts/chart-threads.test.ts"];
const onServerDatabase = !!(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(onServerDatabase ? SAME_ON_EVERY_DATABASE : [])],
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
