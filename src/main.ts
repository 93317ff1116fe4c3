// Composition root: the only place that wires env, database, channels, workers and jobs together.
import { createServer, type Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_ORG_FILE, MIGRATIONS_DIR } from "./paths.ts";
import express, { type NextFunction, type Request, type Response } from "express";
import { systemClock, type Clock } from "./core/clock.ts";
import type { Platform } from "./core/inbound-event.ts";
import { InboxWorker } from "./core/inbox-worker.ts";
import { createLogger, type Logger } from "./core/logger.ts";
import type { DestinationStream } from "pino";
import { createMetrics, type Metrics } from "./core/metrics.ts";
import { OutboxWorker } from "./core/outbox-worker.ts";
import type { ChannelSender } from "./core/ports.ts";
import type { Channel } from "./channels/channel.ts";
import { createDingtalkChannel } from "./channels/dingtalk/dingtalk.channel.ts";
import { createWecomChannel } from "./channels/wecom/wecom.channel.ts";
import { directorySources } from "./cli/directory-sources.ts";
import { DirectorySyncWorker } from "./handlers/admin/directory-requests.ts";
import { DirectorySyncError, runDirectorySync, syncCounts, syncSummary } from "./handlers/admin/directory-sync.handler.ts";
import { PlaygroundFeed } from "./channels/playground/playground-feed.ts";
import { playgroundRouter } from "./channels/playground/playground-router.ts";
import { PlaygroundSender } from "./channels/playground/playground-sender.ts";
import { DataDirLockedError, ROLE_TEXT, type DataDirLock, type LockRole } from "./db/data-dir-lock.ts";
import { dataIoRouter } from "./cli/data-io.routes.ts";
import { fromLocalCli } from "./cli/local-admin.ts";
import { openDatabase, redact, type Database } from "./db/database.ts";
import { migrate } from "./db/migrator.ts";
import { isDatabaseUnreachable } from "./db/pg-pool.ts";
import { loadOrgFile, type OrgFile } from "./domain/org/org-file.ts";
import { syncOrg } from "./domain/org/org.repo.ts";
import { seedDemoCustomers } from "./domain/org/demo-seed.repo.ts";
import { InboxRepo } from "./domain/plumbing/inbox.repo.ts";
import { OutboxRepo } from "./domain/plumbing/outbox.repo.ts";
import { listUsers } from "./domain/users/user.repo.ts";
import { EnvError, loadDotEnv, parseEnv, productionProblems, type Env } from "./env.ts";
import { configureChartThreads } from "./core/charts/chart-pool.ts";
import type { AppDeps } from "./handlers/engine/app-deps.ts";
import { createEventHandler, createGiveUpHandler } from "./handlers/engine/dispatch.ts";
import { ALL_JOBS } from "../jobs/index.ts";
import { JobScheduler, runJob } from "../jobs/scheduler.ts";
import { dryRunJob, formatDryRun } from "../jobs/dry-run.ts";
import { createLlmParser, createRulesParser, normalizeCompanyName, type IntentParser } from "./nlu/index.ts";
import { countedFallback, countingInbox, observedHandler, observedJobs, observeRouter } from "./observe.ts";
import { z } from "zod";

export { DEMO_ORG_FILE, MIGRATIONS_DIR } from "./paths.ts";

export interface StartOptions {
  /** An already open database (tests); otherwise opened from env. */
  database?: Database;
  clock?: Clock;
  log?: Logger;
  /** Replace the parser (tests of the LLM path). */
  parser?: IntentParser;
  /** Start the inbox/outbox workers (tests may drive them by hand). Default true. */
  workers?: boolean;
  /**
   * Give the demo organisation its starting customers (pool and idle ones; only with the demo org file, never a
   * real ORG_FILE; once per database). Default: on, except under NODE_ENV=test.
   */
  demoSeed?: boolean;
  /** Where the logger made from env writes (tests capture lines); ignored when `log` is given. */
  logDestination?: DestinationStream;
  /** The metrics registry (tests may share or inspect one); default a new one per bot. */
  metrics?: Metrics;
}

export interface Bot {
  url: string;
  port: number;
  channels: Channel[];
  env: Env;
  db: Database;
  org: OrgFile;
  inboxWorker: InboxWorker;
  outboxWorker: OutboxWorker;
  feed: PlaygroundFeed;
  log: Logger;
  metrics: Metrics;
  /** Runs the 同步通讯录 requests typed in chat (tests may tick it by hand). */
  directorySync: DirectorySyncWorker;
  /** What handlers and jobs run with (tests run jobs by hand with it). */
  deps: AppDeps;
  stop(): Promise<void>;
}

export async function startBot(env: Env, opts: StartOptions = {}): Promise<Bot> {
  const log = opts.log ?? createLogger(env.LOG_LEVEL, {}, { logMessages: env.LOG_MESSAGES, destination: opts.logDestination });
  const metrics = opts.metrics ?? createMetrics();
  const clock = opts.clock ?? systemClock;
  const { db, org } = await openData(env, log, opts.database, "server", clock.now());
  if ((opts.demoSeed ?? env.NODE_ENV !== "test") && path.resolve(env.ORG_FILE ?? DEMO_ORG_FILE) === path.resolve(DEMO_ORG_FILE)) {
    const seeded = await seedDemoCustomers(db.prisma, clock.now(), normalizeCompanyName);
    if (seeded) log.info("demo customers added (pool and idle ones)", { customers: seeded });
  }

  const rules = createRulesParser();
  const parser = opts.parser ?? (env.llm ? createLlmParser({ ...env.llm, fallback: countedFallback(rules, metrics), log: (m, e) => log.warn(m, e as Record<string, unknown>) }) : rules);

  const senders: ChannelSender[] = [];
  const feed = new PlaygroundFeed();
  if (env.playground) senders.push(new PlaygroundSender(feed));
  const enabledPlatforms = (): Platform[] => senders.map((s) => s.platform);

  const outboxRepo = new OutboxRepo(db.sql);
  const outboxWorker = new OutboxWorker(outboxRepo, senders, log.child({ worker: "outbox" }), {
    // A delivered card's platform ids are recorded by markSent itself (outbox.repo.ts), in the same statement.
    concurrency: OUTBOX_CONCURRENCY,
  });
  const directory = directorySources(env, log, clock, metrics);
  const dispatchDeps = { db: db.prisma, parser, rules: org.rules, warehouseRoutes: org.warehouse.routes, timeZone: env.BOT_TIMEZONE, clock, enabledPlatforms, log, directory };
  const directorySync = new DirectorySyncWorker(dispatchDeps, log.child({ worker: "directory-sync" }));
  let inboxWorker: InboxWorker | null = null;
  const inboxRepo = new InboxRepo(db.sql, { acceptTimeoutMs: env.INBOX_ACCEPT_TIMEOUT_MS, onAccepted: () => (inboxWorker?.wake(), outboxWorker.wake()) });
  inboxWorker = new InboxWorker(inboxRepo, wrapWithOutboxWake(observedHandler(createEventHandler(dispatchDeps), metrics, log), outboxWorker, () => directorySync.wake()), log.child({ worker: "inbox" }), {
    onGiveUp: createGiveUpHandler(dispatchDeps),
    isTransient: isDatabaseUnreachable,
    concurrency: inboxConcurrency(db, env),
    // Bigger transactions on PostgreSQL (fewer statements per event); PGlite's one connection also takes the inbox writes.
    eventsPerLane: db.kind === "postgres" ? 8 : 4,
  });

  const inbox = countingInbox(inboxRepo, metrics);
  const channelDeps = { inbox, log, clock, maxBodyBytes: env.MAX_BODY_BYTES, apiObserver: (p: "wecom" | "dingtalk") => metrics.apiObserver(p) };
  const channels: Channel[] = [];
  if (env.wecom) channels.push(createWecomChannel(env.wecom, channelDeps));
  if (env.dingtalk) {
    const robotNames = env.dingtalk.robotName ? [env.dingtalk.robotName] : [];
    channels.push(createDingtalkChannel(env.dingtalk, channelDeps, { robotNames, qps: env.dingtalk.qps }));
  }
  for (const c of channels) outboxWorker.addSender(c.sender);
  for (const c of channels) senders.push(c.sender);

  const app = express();
  app.disable("x-powered-by");
  for (const c of channels) if (c.http) app.use(c.http.path, c.http.handler);
  app.use(observeRouter({ sql: db.sql, dbKind: db.kind, migrationsDir: MIGRATIONS_DIR, channels, enabledPlatforms, metrics, metricsToken: env.METRICS_TOKEN }));
  const jobs = observedJobs(ALL_JOBS, metrics);
  // `npm run job` asks the server that holds the embedded database instead of opening it a second time.
  if (db.lock) {
    const adminJob = (dryRun: boolean) => async (req: Request, res: Response) => {
      // A dry run is not a run: the plain definitions, not the ones that count runs in the metrics.
      const job = (dryRun ? ALL_JOBS : jobs).find((j) => j.name === req.params.name);
      if (!job) return void res.status(404).json({ error: "unknown_job", message: `unknown job; one of ${ALL_JOBS.map((j) => j.name).join(", ")}` });
      const body = AdminJobRequest.safeParse(req.body ?? {});
      if (!body.success) return void res.status(400).json({ error: "bad_request", message: "at: expected an ISO time such as 2026-11-24T08:00:00+08:00" });
      const at = body.data.at ? new Date(body.data.at) : clock.now();
      // A dry run runs in one transaction that is rolled back: nothing is queued, recorded or sent. Its own path,
      // so a server that predates dry runs answers 404 instead of running the job for real.
      if (dryRun) return void res.json({ job: job.name, ...(await dryRunJob(dispatchDeps, job, at)) } satisfies AdminJobAnswer);
      const r = await runJob(dispatchDeps, job, at);
      outboxWorker.wake();
      res.json({ job: job.name, ...r } satisfies AdminJobAnswer);
    };
    app.post("/admin/jobs/:name", adminOnly(db.lock), express.json({ limit: "1kb" }), adminJob(false));
    app.post("/admin/jobs/:name/dry-run", adminOnly(db.lock), express.json({ limit: "1kb" }), adminJob(true));
    // `npm run sync` while this server holds the embedded database (src/cli/sync.ts).
    app.post("/admin/directory/sync", adminOnly(db.lock), async (_req: Request, res: Response) => {
      try {
        const o = await runDirectorySync(dispatchDeps, clock.now(), `cli:${clock.now().toISOString()}`);
        outboxWorker.wake();
        res.json({ counts: syncCounts(o), summary: syncSummary(o) });
      } catch (err) {
        if (!(err instanceof DirectorySyncError)) throw err;
        res.status(409).json({ error: "directory_sync_unavailable", message: err.message });
      }
    });
  }
  // `npm run import` / `npm run export` on the embedded database: the server does the work for the CLI (src/cli/data-io.routes.ts).
  if (db.lock) app.use(dataIoRouter({ lock: db.lock, db: db.prisma, org, clock, timeZone: env.BOT_TIMEZONE }));
  if (env.playground) {
    app.use(
      "/playground",
      playgroundRouter({ inbox, feed, listUsers: () => listUsers(db.prisma), allowRemote: env.PLAYGROUND_ALLOW_REMOTE, log }),
    );
    app.get("/", (_req, res) => res.redirect("/playground/"));
  }
  app.use((_req, res) => res.status(404).json({ error: "not_found" }));
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error("request failed", { err });
    res.status(status).json({ error: status === 500 ? "internal_error" : (err.type ?? "bad_request"), message: status === 500 ? "internal error" : err.message });
  });

  // The channels' hot callbacks are answered ahead of Express (Channel.listener); everything else goes to the app.
  const listeners = channels.flatMap((c) => (c.listener ? [c.listener] : []));
  const server: Server = createServer((req, res) => {
    for (const l of listeners) if (l(req, res)) return;
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://${env.host === "0.0.0.0" ? "127.0.0.1" : env.host}:${port}`;
  // Published in the lock file for `npm run job`; only reachable over loopback.
  if (["0.0.0.0", "::", "127.0.0.1", "localhost"].includes(env.host)) db.lock?.update({ adminUrl: `http://127.0.0.1:${port}` });

  for (const c of channels) await c.start();
  const scheduler = new JobScheduler(dispatchDeps, jobs);
  if (env.JOBS && opts.workers !== false) scheduler.start();
  if (opts.workers !== false) {
    inboxWorker.start();
    outboxWorker.start();
    // Only an org file with a directory section takes 同步通讯录 requests (the chat command says so otherwise).
    if (org.rules.directory) directorySync.start();
  }

  let stopped = false;
  return {
    url, port, channels, env, db, org, inboxWorker, outboxWorker, feed, log, metrics, directorySync, deps: dispatchDeps,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const c of channels) await c.stop().catch((err) => log.error("channel stop failed", { err, platform: c.platform }));
      await scheduler.stop();
      await inboxWorker!.stop();
      await outboxWorker.stop();
      await directorySync.stop();
      if (!opts.database) await db.close();
    },
  };
}

/** Database migrated and the organisation loaded: what both the server and the job CLI start from. */
// `now` is the clock's: prices loaded from the file are in force from then, so orders placed at that clock's
// time find them (a test's fixed clock, a server's real one).
export async function openData(env: Env, log: Logger, given?: Database, role: LockRole = "server", now = new Date()): Promise<{ db: Database; org: OrgFile }> {
  // A broken org file stops start-up before anything is created or migrated, like a bad variable.
  const orgPath = env.ORG_FILE ?? DEMO_ORG_FILE;
  const org = loadOrgFile(orgPath);
  const db = given ?? (await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(env.DATA_DIR, "pglite"), poolSize: env.DATABASE_POOL_SIZE, connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS, role }));
  const migrated = await migrate(db.sql, MIGRATIONS_DIR);
  log.info("database ready", { kind: db.kind, applied: migrated.applied });
  const synced = await syncOrg(db.prisma, org, now);
  log.info("organisation loaded", { file: orgPath, ...synced });
  return { db, org };
}

/** Recipients the outbox serves at once: its statements are short, and the platform call is what takes time. */
const OUTBOX_CONCURRENCY = 8;

/**
 * Events handled side by side: on PostgreSQL half the pool (each holds a connection for its transaction; the rest
 * serve callbacks, the outbox and jobs); the embedded database has a single connection, so one at a time.
 */
function inboxConcurrency(db: Database, env: Env): number {
  return db.kind === "postgres" ? Math.max(1, Math.floor(env.DATABASE_POOL_SIZE / 2)) : 1;
}

/** Replies are sent as soon as the event that produced them commits. */
function wrapWithOutboxWake(handler: ReturnType<typeof createEventHandler>, outbox: OutboxWorker, also?: () => void) {
  return async (item: Parameters<typeof handler>[0]) => {
    await handler(item);
    outbox.wake();
    // A 同步通讯录 the event queued starts at once.
    also?.();
  };
}

/**
 * `npm run job -- <name> [--at 2026-11-24T08:00:00+08:00] [--dry-run]`: run one job now (its messages go to the
 * outbox). On the embedded database, when a server holds it, the server runs the job (PGlite is single-process);
 * otherwise this process opens it, holding its lock. On PostgreSQL this process runs it: job-run rows keep it
 * exactly once. With --dry-run it prints what would be sent to whom and leaves the database as it was (the run
 * happens in one transaction that is rolled back; see jobs/dry-run.ts), here or in the server alike.
 */
async function runJobCommand(env: Env, args: string[]): Promise<void> {
  const [name, ...rest] = args;
  const dryRun = rest.includes("--dry-run");
  const atIndex = rest.indexOf("--at");
  const at = atIndex >= 0 ? rest[atIndex + 1] : undefined;
  const unknown = rest.filter((a, i) => a !== "--dry-run" && a !== "--at" && !(atIndex >= 0 && i === atIndex + 1));
  const job = ALL_JOBS.find((j) => j.name === name);
  if (!job || unknown.length || (atIndex >= 0 && !at)) {
    console.error(`usage: npm run job -- <${ALL_JOBS.map((j) => j.name).join("|")}> [--at <ISO time>] [--dry-run]`);
    process.exit(2);
  }
  const now = at ? new Date(at) : new Date();
  if (Number.isNaN(now.getTime())) {
    console.error(`--at: expected an ISO time such as 2026-11-24T08:00:00+08:00, got ${at}`);
    process.exit(2);
  }
  const log = createLogger(env.LOG_LEVEL, {}, { logMessages: env.LOG_MESSAGES });
  let opened: { db: Database; org: OrgFile };
  try {
    opened = await openData(env, log, undefined, "job");
  } catch (err) {
    if (err instanceof DataDirLockedError) return askServerToRunJob(err, job.name, at ? now : undefined, dryRun);
    throw err;
  }
  const { db, org } = opened;
  try {
    // Messages are queued for every platform this deployment has configured; a running server delivers them.
    const platforms: Platform[] = [...(env.wecom ? ["wecom" as const] : []), ...(env.dingtalk ? ["dingtalk" as const] : []), ...(env.playground ? ["playground" as const] : [])];
    const deps: AppDeps = { db: db.prisma, rules: org.rules, warehouseRoutes: org.warehouse.routes, timeZone: env.BOT_TIMEZONE, clock: systemClock, enabledPlatforms: () => platforms, log, directory: directorySources(env, log, systemClock) };
    if (dryRun) {
      for (const line of formatDryRun(job.name, await dryRunJob(deps, job, now))) console.log(line);
      return;
    }
    const r = await runJob(deps, job, now);
    console.log(`${job.name} ${r.period}: ${jobOutcome(r)}`);
  } finally {
    await db.close();
  }
}

const AdminJobRequest = z.object({ at: z.iso.datetime({ offset: true }).optional() });
const AdminJobAnswer = z.object({
  job: z.string(),
  ran: z.boolean(),
  period: z.string(),
  result: z.record(z.string(), z.number()).optional(),
  skipped: z.string().optional(),
  dryRun: z.literal(true).optional(),
  messages: z.array(z.object({ platform: z.string(), recipient: z.string(), userId: z.string().nullable(), kind: z.string(), summary: z.string() })).optional(),
});
type AdminJobAnswer = z.infer<typeof AdminJobAnswer>;

const jobOutcome = (r: { ran: boolean; result?: Record<string, number>; skipped?: string }) =>
  r.skipped ? `skipped: ${r.skipped}` : r.ran ? JSON.stringify(r.result) : "already ran for this period";

/** Only `npm run job` on this machine: a loopback peer, no proxy headers, and the token from the lock file. */
function adminOnly(lock: DataDirLock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (fromLocalCli(req, lock)) return next();
    res.status(403).json({ error: "forbidden", message: "admin endpoints answer only `npm run job` on this machine" });
  };
}

/** The server holds the embedded database: it runs the job and delivers its messages. */
async function askServerToRunJob(locked: DataDirLockedError, name: string, at: Date | undefined, dryRun = false): Promise<void> {
  const { holder } = locked;
  const dir = locked.lockFile.replace(/\.lock$/, "");
  if (holder.role !== "server") {
    throw new Error(`${ROLE_TEXT[holder.role].replace(/^./, (c) => c.toUpperCase())} (pid ${holder.pid}) is using the embedded database ${dir}; wait for it to finish, then run the job again.`);
  }
  if (!holder.adminUrl) {
    throw new Error(
      `The bot server (pid ${holder.pid}) holds the embedded database ${dir} but does not take admin calls yet: it is still starting (try again in a few seconds), ` +
        `or its HOST is neither loopback nor 0.0.0.0 (stop it with kill ${holder.pid}, then run the job again).`,
    );
  }
  const target = `${holder.adminUrl}/admin/jobs/${encodeURIComponent(name)}${dryRun ? "/dry-run" : ""}`;
  let res: globalThis.Response;
  try {
    res = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${holder.token}` },
      body: JSON.stringify(at ? { at: at.toISOString() } : {}),
    });
  } catch (err) {
    throw new Error(`The bot server (pid ${holder.pid}) holds the embedded database ${dir} but did not answer at ${target} (${err instanceof Error ? err.message : String(err)}). If it is stuck, stop it (kill ${holder.pid}) and run the job again.`);
  }
  const text = await res.text();
  let answer: ReturnType<typeof AdminJobAnswer.safeParse> | null = null;
  try {
    if (res.ok) answer = AdminJobAnswer.safeParse(JSON.parse(text));
  } catch {
    // not JSON: reported below with the status
  }
  if (res.status >= 500) throw new Error(`${name} failed in the bot server (pid ${holder.pid}): its log has the error (HTTP ${res.status}).`);
  if (!answer?.success) throw new Error(`The bot server (pid ${holder.pid}) refused to run ${name}: HTTP ${res.status} ${text.slice(0, 300)}`);
  const r = answer.data;
  if (dryRun) {
    if (!r.dryRun) throw new Error(`The bot server (pid ${holder.pid}) did not answer with a dry run: nothing is printed.`);
    const lines = formatDryRun(r.job, { ...r, dryRun: true, messages: r.messages ?? [] });
    lines[0] += ` (run by the bot server, pid ${holder.pid})`;
    for (const line of lines) console.log(line);
    return;
  }
  console.log(`${r.job} ${r.period}: ${jobOutcome(r)} (run by the bot server, pid ${holder.pid})`);
}

async function main(): Promise<void> {
  loadDotEnv();
  let env: Env;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  configureChartThreads(env.CHART_THREADS);
  const missing = productionProblems(env);
  if (missing.length) {
    console.error(`Not starting in production (NODE_ENV=production):\n${missing.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(2);
  }
  if (process.argv[2] === "job") return runJobCommand(env, process.argv.slice(3));
  const bot = await startBot(env);
  const where = env.DATABASE_URL ? `PostgreSQL ${redact(env.DATABASE_URL)}` : `embedded database in ${path.resolve(env.DATA_DIR, "pglite")}`;
  console.log(`\n销售助手 is running on ${bot.url} (${where})`);
  if (env.playground) console.log(`  Playground: ${bot.url}/playground/  (chat as a demo rep, manager or warehouse user)`);
  // Graceful and bounded: stop taking callbacks, let the workers finish the event or message in hand and hand the
  // rest of their claims back, close the database, exit 0. After SHUTDOWN_GRACE_MS (or at a second signal) exit 1
  // anyway: claims still held expire after one lease and unanswered callbacks are retried by the platform.
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (stopping) {
        console.error(`${sig} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      bot.log.info("shutting down", { signal: sig, graceMs: env.SHUTDOWN_GRACE_MS });
      setTimeout(() => {
        console.error(`shutdown did not finish within SHUTDOWN_GRACE_MS (${env.SHUTDOWN_GRACE_MS} ms): exiting anyway`);
        process.exit(1);
      }, env.SHUTDOWN_GRACE_MS);
      bot.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
