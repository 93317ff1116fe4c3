// A connection whose backend dies at the two moments that used to take the process down, each made to happen on
// purpose rather than by luck (PostgreSQL only: PGlite has no connection to lose):
// - As it becomes ready. A proxy holds the server's bytes of a new connection until they hold ReadyForQuery,
//   terminates that backend, and passes everything on in one write: the FATAL 57P01 ("terminating connection due
//   to administrator command") is in the same socket read as the ReadyForQuery that completes the pool checkout.
//   pg emits it as an 'error' event at once, after pg-pool has dropped its idle listener and before any promise
//   callback runs: a listener added in a `.then` (a checkout by `pool.connect()`: adapter-pg's transactions, the
//   SQL runner's sessions) came too late, and the event went uncaught. It happened under
//   test/faults/database-outage.test.ts's backend kills, about once in a few hundred kills.
// - Idle inside a transaction that outlives its timeout. Prisma's timer sends ROLLBACK on the dead connection and
//   does not handle its failure: an unhandled rejection.
// Both end the process in production. Here: no uncaughtException or unhandledRejection, the work fails as a lost
// connection (isDatabaseUnreachable: the bot answers 503 and retries), and the pool carries on.
import net from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { isDatabaseUnreachable, ResilientPool } from "../../src/db/pg-pool.ts";
import { databaseUrl } from "../support/db-template.ts";
import { eventually } from "../support/eventually.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";

const base = serverUrl();

/** Server messages are a type byte and a length that counts itself: the backend's pid and whether it is ready. */
function startup(buf: Buffer): { pid?: number; ready: boolean } {
  let pid: number | undefined;
  for (let at = 0; at + 5 <= buf.length; ) {
    const type = String.fromCharCode(buf[at]!);
    const end = at + 1 + buf.readInt32BE(at + 1);
    if (end > buf.length) break;
    if (type === "K") pid = buf.readInt32BE(at + 5); // BackendKeyData
    if (type === "Z") return { pid, ready: true }; // ReadyForQuery
    at = end;
  }
  return { pid, ready: false };
}

/** Passes bytes both ways; the next connection after dieWhenReady() gets its backend terminated as it is ready. */
class DyingProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private armed: ((pid: number) => Promise<unknown>) | null = null;
  /** Connections that died as planned (their bytes passed on). */
  died = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  dieWhenReady(kill: (pid: number) => Promise<unknown>): void {
    this.armed = kill;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    }
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("data", (d: Buffer) => upstream.write(d));
    client.on("end", () => upstream.end());
    const kill = this.armed;
    this.armed = null;
    if (!kill) {
      upstream.on("data", (d: Buffer) => client.write(d));
      upstream.on("end", () => client.end());
      return;
    }
    // Everything the server says is held: authentication, ReadyForQuery, then (once terminated) the FATAL.
    const held: Buffer[] = [];
    let killing = false;
    upstream.on("data", (d: Buffer) => {
      held.push(d);
      const s = startup(Buffer.concat(held));
      if (!killing && s.ready && s.pid) {
        killing = true;
        void kill(s.pid);
      }
    });
    upstream.on("close", () => {
      this.died++;
      client.end(Buffer.concat(held)); // one write: the client reads ReadyForQuery and the FATAL together
    });
  }
}

/** What reached the process's last-resort handlers while a test ran (each would end the bot's process). */
const faults: unknown[] = [];
const note = (e: unknown) => void faults.push(e);
const describeFault = (e: unknown) => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));

describe.skipIf(!base)("connections killed at the worst moment (PostgreSQL only: PGlite has no connection to lose)", () => {
  let fresh: TestDatabase;
  let proxy: DyingProxy;
  let admin: pg.Client;
  let viaProxy: string;
  const kill = (pid: number) => admin.query("SELECT pg_terminate_backend($1)", [pid]);

  beforeAll(async () => {
    const server = new URL(base!);
    fresh = await freshDatabase();
    proxy = await new DyingProxy({ host: server.hostname, port: Number(server.port || 5432) }).start();
    const url = new URL(databaseUrl(base!, fresh.name));
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    viaProxy = url.toString();
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await proxy?.close();
    await fresh?.destroy();
  });
  beforeEach(() => {
    faults.length = 0;
    process.on("uncaughtException", note);
    process.on("unhandledRejection", note);
  });
  afterEach(() => {
    process.off("uncaughtException", note);
    process.off("unhandledRejection", note);
  });

  it("pool.connect(): the backend terminated as the connection becomes ready is a failed query, not an uncaught error", async () => {
    const pool = new ResilientPool({ connectionString: viaProxy, max: 2 });
    pool.on("error", () => undefined);
    try {
      proxy.dieWhenReady(kill);
      const client = await pool.connect(); // the checkout completes: ReadyForQuery came first
      const failed = await client.query("SELECT 1").then(() => null, (err: unknown) => err);
      client.release();
      expect(proxy.died).toBe(1);
      expect(isDatabaseUnreachable(failed)).toBe(true);
      // Let anything still queued run (an 'error' event, the socket's end) before looking.
      await new Promise((r) => setTimeout(r, 50));
      expect(faults.map(describeFault)).toEqual([]);
      // The broken connection was destroyed, not pooled: the next ones work.
      expect((await pool.query<{ x: number }>("SELECT 1 AS x")).rows).toEqual([{ x: 1 }]);
      expect(pool.totalCount).toBeLessThanOrEqual(1);
    } finally {
      await pool.end();
    }
  });

  it("the bot's database: a transaction and a session on a connection killed as it becomes ready fail as unreachable, and the next ones work", async () => {
    const db = await openDatabase({ url: viaProxy, poolSize: 3, connectTimeoutMs: 2000, onIdleError: () => undefined });
    try {
      // The pool's one idle connection is held, so each checkout below opens a new one (the one that dies).
      let letGo!: () => void;
      const gate = new Promise<void>((resolve) => (letGo = resolve));
      const holder = db.sql.withSession(() => gate);

      proxy.dieWhenReady(kill);
      const tx = await db.prisma.$transaction(async (t) => t.$queryRaw`SELECT 1`).then(() => null, (err: unknown) => err);
      expect(proxy.died).toBe(2);
      expect(tx).not.toBeNull();
      expect(isDatabaseUnreachable(tx)).toBe(true);

      proxy.dieWhenReady(kill);
      const session = await db.sql.withSession((s) => s.query("SELECT 1")).then(() => null, (err: unknown) => err);
      expect(proxy.died).toBe(3);
      expect(isDatabaseUnreachable(session)).toBe(true);

      letGo();
      await holder;
      await new Promise((r) => setTimeout(r, 50));
      expect(faults.map(describeFault)).toEqual([]);
      expect(await db.prisma.$transaction(async (t) => t.$queryRaw<{ x: number }[]>`SELECT 2 AS x`)).toEqual([{ x: 2 }]);
      expect(await db.sql.withSession((s) => s.query<{ x: number }>("SELECT 3 AS x"))).toEqual([{ x: 3 }]);
    } finally {
      await db.close();
    }
  });

  it("a transaction idle on a dead connection past its timeout: Prisma's timer's ROLLBACK fails without an unhandled rejection", async () => {
    const db = await openDatabase({ url: databaseUrl(base!, fresh.name), poolSize: 2, connectTimeoutMs: 2000, onIdleError: () => undefined });
    try {
      const outcome = await db.prisma
        .$transaction(
          async (t) => {
            const [me] = await t.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
            await kill(me!.pid);
            await eventually(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [me!.pid])).rowCount === 0, "the backend gone");
            // Past the timeout: Prisma's timer rolls back on the dead connection meanwhile.
            await new Promise((r) => setTimeout(r, 1500));
          },
          { timeout: 500, maxWait: 2000 },
        )
        .then(() => null, (err: unknown) => err);
      expect(String(outcome)).toMatch(/expired transaction|timeout/i);
      await new Promise((r) => setTimeout(r, 50));
      expect(faults.map(describeFault)).toEqual([]);
      // The dead connection left the pool.
      expect(await db.prisma.$transaction(async (t) => t.$queryRaw<{ x: number }[]>`SELECT 4 AS x`)).toEqual([{ x: 4 }]);
    } finally {
      await db.close();
    }
  });
});
