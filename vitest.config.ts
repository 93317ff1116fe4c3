import { relative } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// These files start their own server or CLI processes with database settings of their own (an embedded data
// folder; a DATABASE_URL they set themselves), whatever database the suite runs on: a second pass on PostgreSQL
// (CI runs the suite on PGlite, then with DATABASE_URL) would prove exactly the same thing again, for about a
// minute and a half of CPU. They run in the embedded-database pass only.
// chart-threads.test.ts draws pictures on worker threads and touches no database at all.
const SAME_ON_EVERY_DATABASE = ["test/ops/build.test.ts", "test/foundation/backup.test.ts", "test/foundation/data-dir-lock.test.ts", "test/charts/chart-threads.test.ts"];
const onServerDatabase = !!(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);

/**
 * Seconds a file takes, for files much slower than their size says (a few lines that run a big shared table, or
 * start servers and child processes), measured on the embedded database (2026-12-05). Only used when vitest has
 * no timing of its own for the file (a fresh checkout, as in CI's first pass).
 */
const SLOW_FILES: Record<string, number> = {
  "test/faults/process-faults.test.ts": 115,
  "test/dispatch/role-matrix.test.ts": 70,
  "test/team/team-role-matrix.test.ts": 67,
  "test/foundation/data-dir-lock.test.ts": 60,
  "test/hostile/secrets-in-logs.test.ts": 50,
  "test/foundation/schema-matches-migrations.test.ts": 46,
  "test/ops/build.test.ts": 34,
  "test/foundation/backup.test.ts": 30,
  "test/data-io/cli.test.ts": 28,
  "test/hostile/role-matrix-dingtalk.test.ts": 25,
  "test/hostile/role-matrix-wecom.test.ts": 22,
  "test/hostile/role-matrix.test.ts": 17,
  "test/directory/sync-cli.test.ts": 17,
};

/**
 * Longest first, so the run does not end on one slow file while the other worker has nothing left. vitest's own
 * order falls back to file size when it has no timings (every file, on a fresh checkout): the role-matrix runners,
 * a few lines each, ran last, one worker busy for half a minute alone. Here a file's cost is its last duration when
 * vitest has one, else SLOW_FILES, else its size (about a second a kilobyte); failed files still go first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const cost = (f: TestSpecification) => {
      const file = relative(this.ctx.config.root, f.moduleId).replaceAll("\\", "/");
      const key = `${f.project.name}:${file}`;
      const last = cache.getFileTestResults(key);
      if (last) return { failed: last.failed ? 1 : 0, ms: last.duration };
      return { failed: 0, ms: (SLOW_FILES[file] ?? 0) * 1000 || (cache.getFileStats(key)?.size ?? 0) };
    };
    const costs = new Map(files.map((f) => [f, cost(f)]));
    return [...files].sort((a, b) => costs.get(b)!.failed - costs.get(a)!.failed || costs.get(b)!.ms - costs.get(a)!.ms);
  }
}

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
    sequence: { sequencer: LongestFirst },
  },
});
