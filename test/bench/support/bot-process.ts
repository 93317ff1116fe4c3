// The bot under test, in its own process, started exactly as `npm start` starts it (startBot with the environment),
// on the database the bench chose: DATABASE_URL for PostgreSQL, otherwise PGlite in DATA_DIR/pglite. The bench
// talks to it over IPC (child.ts) for what only the process itself can tell: its CPU time, its memory, how many
// SQL statements it sent, and whether the inbox and outbox are empty.
import { writeFileSync } from "node:fs";
import pg from "pg";
import { parseEnv } from "../../../src/env.ts";
import { startBot } from "../../../src/main.ts";
import { normalizeCompanyName } from "../../../src/nlu/index.ts";
import { serveParent } from "./child.ts";

// Every statement sent to PostgreSQL, by Prisma (adapter-pg) and by the raw hot paths alike.
let queries = 0;
/** While set, the text of every statement sent (op "trace"), to see what one event costs. */
let trace: string[] | null = null;
/** BENCH_TRACE_FILE: the traced statements are also written there in full, with their values (to replay them). */
let full: { text: string; values: unknown }[] = [];
const clientQuery = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  if (trace) {
    const q = args[0] as string | { text?: string };
    trace.push((typeof q === "string" ? q : String(q?.text)).replace(/\s+/g, " ").slice(0, 160));
    if (process.env.BENCH_TRACE_FILE && full.length < 20_000) full.push(typeof q === "string" ? { text: q, values: args[1] } : { text: String(q?.text), values: (q as { values?: unknown }).values });
  }
  return clientQuery.apply(this, args);
};

const env = parseEnv(process.env);
const bot = await startBot(env, { demoSeed: false });

export interface BotStats {
  /** process.cpuUsage() user + system, in ms. */
  cpuMs: number;
  rssMiB: number;
  heapMiB: number;
  /** SQL statements sent to PostgreSQL so far (0 on PGlite, which is not counted). */
  queries: number;
}

function stats(): BotStats {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: mem.rss / 2 ** 20, heapMiB: mem.heapUsed / 2 ** 20, queries };
}

serveParent(
  { url: bot.url, kind: bot.db.kind },
  {
    stats: () => stats(),
    /** Customers owned by reps (the bench's visit logs name them), as an import would have created them. */
    seedCustomers: async (rows: { owner: string; name: string }[]) => {
      for (let i = 0; i < rows.length; i += 500) {
        await bot.db.prisma.customer.createMany({
          data: rows.slice(i, i + 500).map((r) => ({ name: r.name, normalizedName: normalizeCompanyName(r.name), ownerId: r.owner, createdById: r.owner, aliases: [], tags: [], stage: "contacted" as const })),
        });
      }
      return rows.length;
    },
    backlog: async () => {
      const [row] = await bot.db.sql.query<{ inbox: number; outbox: number }>(
        `SELECT (SELECT count(*)::int FROM "InboxEvent" WHERE status = 'pending') AS inbox, (SELECT count(*)::int FROM "OutboxMessage" WHERE status = 'pending') AS outbox`,
      );
      return row;
    },
    workers: async (on: boolean) => {
      if (on) {
        bot.inboxWorker.start();
        bot.outboxWorker.start();
      } else {
        await bot.inboxWorker.stop();
        await bot.outboxWorker.stop();
      }
      return on;
    },
    trace: (on: boolean) => {
      const got = trace;
      trace = on ? [] : null;
      if (!on && process.env.BENCH_TRACE_FILE) writeFileSync(process.env.BENCH_TRACE_FILE, JSON.stringify(full));
      full = [];
      return got ?? [];
    },
    gc: () => (globalThis.gc?.(), stats()),
    stop: async () => {
      await bot.stop();
      setImmediate(() => process.exit(0));
      return true;
    },
  },
);
