// Jobs part of `npm run bench` (issue 13, "proven at scale"), on PostgreSQL only: a company of 10,000 people with
// 1,000,000 customers, 3,000,000 activities and 300,000 open follow-ups (test/bench/jobs/seed.ts, COPY), then the
// morning to-do job and the evening metrics job (charts included) as production runs them: through the job runner
// (runJob: working-day check, the once-per-period claim) and the one unit of work, into the outbox. Prints the seed
// time, each job's time and rows enqueued, the process's peak memory and the plans of the hot queries.
// Its own database (BENCH_JOBS_DB, default bench_jobs), created, migrated with the project's migrator and seeded;
// dropped at the end unless BENCH_KEEP=1. A kept database whose seed matches is reused by the next run (said so in
// the output; its job rows are cleared first); BENCH_RESEED=1 seeds afresh anyway.
import os from "node:os";
import pg from "pg";
import { dailyTodoJob } from "../../jobs/daily-todo.job.ts";
import { metricsEveningJob } from "../../jobs/metrics-evening.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { openDatabase } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrator.ts";
import { pgRunner } from "../../src/db/sql-runner.ts";
import { RulesSchema } from "../../src/domain/org/org-file.ts";
import type { AppDeps } from "../../src/handlers/engine/app-deps.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { chartPoolStats, chartThreads, configureChartThreads } from "../../src/core/charts/chart-pool.ts";
import { parseEnv } from "../../src/env.ts";
import type { BenchPart } from "./bench-part.ts";
import { explain } from "./jobs/explain.ts";
import { postgresCpuMs } from "./support/pg-cpu.ts";
import { FULL, SEED_VERSION, managerId, repId, seedCompany } from "./jobs/seed.ts";

const TZ = "Asia/Shanghai";
/** A Tuesday, a working day: the morning run at 08:30, the evening one at 19:00 (local). */
const TODAY = new Date("2026-12-01T00:00:00+08:00");
const MORNING = new Date("2026-12-01T08:30:00+08:00");
const EVENING = new Date("2026-12-01T19:00:00+08:00");
const TARGET_S = 30;
/** BENCH_JOBS_SCALE=0.05 runs a twentieth of the company (a quick check of the part itself); figures are for 1. */
const SCALE = Number(process.env.BENCH_JOBS_SCALE ?? 1);
const SIZE = SCALE === 1 ? FULL : scaled(SCALE);
const VERSION = `${SEED_VERSION}@${SCALE}`;

function scaled(k: number) {
  const n = (x: number) => Math.max(1, Math.round(x * k));
  return { ...FULL, directors: n(FULL.directors), customers: n(FULL.customers), activities: n(FULL.activities), tasks: n(FULL.tasks), orders: n(FULL.orders) };
}
const TARGET_MB = 1024;
/** BENCH_JOBS_ONLY=daily-todo (or metrics-evening) runs that job alone (profiling one of them). */
const ONLY = process.env.BENCH_JOBS_ONLY;
const runs = (job: string) => !ONLY || ONLY === job;

const sec = (ms: number) => (ms / 1000).toFixed(1);
const dbUrl = (base: string, name: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
/** This process's CPU seconds (all threads, chart threads included) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return ((d.user + d.system) / 1e6).toFixed(1);
};
/** The machine's 1-minute load average: on 2 cores anything above 2 means the figures are slowed by others. */
const load = () => os.loadavg()[0]!.toFixed(1);

async function admin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The seed recorded in a kept database, or null when there is none (or another one). */
async function keptSeed(base: string, name: string): Promise<{ seconds: number } | null> {
  const exists = await admin(base, (a) => a.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]));
  if (!exists.rowCount) return null;
  try {
    return await admin(dbUrl(base, name), async (c) => {
      const r = await c.query<{ version: string; seconds: number }>("SELECT version, seconds FROM bench_seed");
      return r.rows[0]?.version === VERSION ? { seconds: r.rows[0].seconds } : null;
    });
  } catch {
    return null;
  }
}

async function run(print: (line: string) => void, base: string): Promise<void> {
  const name = process.env.BENCH_JOBS_DB ?? "bench_jobs";
  const keep = process.env.BENCH_KEEP === "1";
  const kept = process.env.BENCH_RESEED === "1" ? null : await keptSeed(base, name);
  if (!kept) {
    await admin(base, async (a) => {
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.query(`CREATE DATABASE ${name}`);
    });
  }
  const url = dbUrl(base, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    const tm = performance.now();
    const m = await migrate(pgRunner(pool), MIGRATIONS_DIR);
    print(`jobs database: ${name} (${kept ? "kept from an earlier run, reused" : "created"}); migrations applied now: ${m.applied.length}, before: ${m.alreadyApplied} (${sec(performance.now() - tm)} s)`);
    if (!kept) {
      const t0 = performance.now();
      const org = await seedCompany(pool, TODAY, SIZE, (l) => print(`  ${l}`));
      const seconds = (performance.now() - t0) / 1000;
      await pool.query("CREATE TABLE bench_seed (version text, seconds float8)");
      await pool.query("INSERT INTO bench_seed VALUES ($1, $2)", [VERSION, seconds]);
      print(`jobs seed (${org.people} people, ${SIZE.customers} customers, ${SIZE.activities} activities, ${SIZE.tasks} open follow-ups, ${SIZE.orders} orders; COPY, then VACUUM ANALYZE): ${seconds.toFixed(1)} s`);
    } else {
      print(`jobs seed: reused the kept database (its seed took ${kept.seconds.toFixed(1)} s); BENCH_RESEED=1 seeds afresh`);
      // What the jobs wrote last time goes, so this run does the same work.
      await pool.query(`DELETE FROM "JobRun"; DELETE FROM "OutboxMessage"; DELETE FROM "PendingAction"; DELETE FROM "Card"`);
      for (const table of ["JobRun", "OutboxMessage", "PendingAction", "Card"]) await pool.query(`VACUUM ANALYZE "${table}"`);
      // A seed from before the seed vacuumed (or one autovacuum has not reached yet): as a live database would be.
      for (const table of ["Activity", "Customer", "Task", "Order"]) await pool.query(`VACUUM "${table}"`);
    }

    configureChartThreads(parseEnv().CHART_THREADS);
    db = await openDatabase({ url, poolSize: 10 });
    const clock = new ManualClock(MORNING);
    const deps: AppDeps = { db: db.prisma, rules: RulesSchema.parse({}), timeZone: TZ, clock, enabledPlatforms: () => ["wecom"], log: createLogger("error") };
    const outbox = async (prefix: string) =>
      (await pool.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM "OutboxMessage" WHERE "dedupeKey" LIKE $1 GROUP BY 1 ORDER BY 1`, [`${prefix}%`])).rows;
    const fmt = (rows: { kind: string; n: number }[]) => rows.map((r) => `${r.n} ${r.kind}`).join(", ") || "none";

    // The PostgreSQL server's CPU for this database over a job (its backends, read from /proc; shares the 2 cores).
    const pgCpu = async (from: number | null) => {
      const now = await postgresCpuMs(base, name);
      return now === null || from === null ? "?" : ((now - from) / 1000).toFixed(1);
    };

    if (runs("daily-todo")) {
      const p1 = await postgresCpuMs(base, name);
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const l1 = load();
      const todo = await runJob(deps, dailyTodoJob, MORNING);
      const todoMs = performance.now() - t1;
      print(`jobs daily-todo (everyone's morning card, job runner → unit of work → outbox): ${sec(todoMs)} s (this process's CPU ${cpuSince(c1)} s, PostgreSQL's ${await pgCpu(p1)} s; load average ${l1} → ${load()}) ${JSON.stringify(todo.result ?? todo)}; enqueued ${fmt(await outbox("job:daily-todo:"))} — target < ${TARGET_S} s: ${todoMs / 1000 < TARGET_S ? "met" : "NOT met"}`);
    }

    if (runs("metrics-evening")) {
      clock.set(EVENING);
      const p2 = await postgresCpuMs(base, name);
      const t2 = performance.now();
      const c2 = process.cpuUsage();
      const l2 = load();
      const metrics = await runJob(deps, metricsEveningJob, EVENING);
      const metricsMs = performance.now() - t2;
      const cpu2 = cpuSince(c2);
      const pics = chartPoolStats();
      const perPicture = pics.threaded + pics.inline ? ` = ${((Number(cpu2) * 1000) / (pics.threaded + pics.inline)).toFixed(1)} ms a card with its picture` : "";
      print(`jobs metrics-evening (every lead's card with its chart, ${chartThreads()} chart threads: ${pics.threaded} pictures drawn on them, ${pics.inline} inline, ${pics.threadsStarted} threads started): ${sec(metricsMs)} s (this process's CPU ${cpu2} s${perPicture}, PostgreSQL's ${await pgCpu(p2)} s; load average ${l2} → ${load()}) ${JSON.stringify(metrics.result ?? metrics)}; enqueued ${fmt(await outbox("job:metrics-evening:"))} — target < ${TARGET_S} s: ${metricsMs / 1000 < TARGET_S ? "met" : "NOT met"}`);
    }
    const rss = peakRssMb();
    print(`jobs peak memory (RSS high-water mark of this process, seed included): ${rss.toFixed(0)} MB — target < ${TARGET_MB} MB: ${rss < TARGET_MB ? "met" : "NOT met"}`);

    // The plans, on the data just written (the outbox holds this run's rows).
    const owners = Array.from({ length: 250 }, (_, i) => repId(1 + i * 17));
    const team = [managerId(7), ...Array.from({ length: 10 }, (_, i) => repId(61 + i))];
    const from = new Date("2026-12-01T00:00:00+08:00");
    const cases = [
      {
        name: "per-person due follow-ups (a batch of 250 people)",
        sql: `SELECT x.id FROM (SELECT t.id, row_number() OVER (PARTITION BY t."ownerId" ORDER BY t."dueAt", t.id) AS rn FROM "Task" t LEFT JOIN "Customer" c ON c.id = t."customerId"
               WHERE t."ownerId" = ANY($1::text[]) AND t.status = 'open' AND (t."customerId" IS NULL OR c."ownerId" IS NULL OR c."ownerId" = t."ownerId")) x WHERE x.rn <= 50`,
        params: [owners],
      },
      {
        name: "team metrics: today's activities by person and kind (everyone)",
        sql: `SELECT "userId", kind::text, count(*) FROM "Activity" WHERE "undoneAt" IS NULL AND "occurredAt" >= $1 AND "occurredAt" < $2 GROUP BY 1, 2`,
        params: [from, EVENING],
      },
      {
        name: "team metrics: 14-day trend by person and day (everyone)",
        sql: `SELECT "userId", to_char("occurredAt" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), count(*) FROM "Activity" WHERE "undoneAt" IS NULL AND "occurredAt" >= $1 AND "occurredAt" < $2 GROUP BY 1, 2`,
        params: [new Date(from.getTime() - 13 * 86_400_000), new Date(from.getTime() + 86_400_000)],
      },
      {
        name: "team metrics: customers by owner and stage (everyone)",
        sql: `SELECT "ownerId", stage::text, count(*) FROM "Customer" WHERE "deletedAt" IS NULL AND "ownerId" IS NOT NULL GROUP BY 1, 2`,
        params: [],
      },
      {
        name: "team metrics: overdue follow-ups by owner (everyone)",
        sql: `SELECT "ownerId", count(*) FROM "Task" WHERE status = 'open' AND (("snoozedUntil" IS NULL AND "dueAt" < $1) OR "snoozedUntil" < $1) GROUP BY 1`,
        params: [EVENING],
      },
      {
        name: "one team's activities today (the live 本周业绩 path, 11 people)",
        sql: `SELECT kind, count(*) FROM "Activity" WHERE "undoneAt" IS NULL AND "occurredAt" >= $1 AND "occurredAt" < $2 AND "userId" = ANY($3::text[]) GROUP BY 1`,
        params: [from, EVENING, team],
      },
      {
        name: "outbox insert (250 cards, ON CONFLICT DO NOTHING, rolled back)",
        sql: `INSERT INTO "OutboxMessage" (platform, recipient, "userId", kind, payload, "dedupeKey")
              SELECT 'wecom', o, o, 'card', '{"platform":"wecom"}'::jsonb, 'bench-explain:' || o FROM unnest($1::text[]) AS o ON CONFLICT DO NOTHING`,
        params: [owners],
        write: true,
      },
    ];
    for (const c of process.env.BENCH_JOBS_EXPLAIN === "0" ? [] : cases) {
      print(`jobs EXPLAIN ${c.name}:`);
      for (const line of await explain(pool, c)) print(`    ${line}`);
    }
  } finally {
    await db?.close();
    await pool.end();
    if (keep) print(`jobs database ${name} kept (BENCH_KEEP=1): the next run reuses it`);
    else await admin(base, (a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

export const part: BenchPart = {
  name: "jobs",
  order: 40,
  database: true,
  async run(print, ctx) {
    if (!ctx.postgresUrl) {
      print("jobs: skipped (needs PostgreSQL: BENCH_DATABASE_URL)");
      return;
    }
    await run(print, ctx.postgresUrl);
  },
};
