// Statements on a Prisma transaction's own connection (src/db/tx-sql.ts): they belong to that transaction (rolled
// back with it, invisible to others until the commit), rows deferred to the next statement are never missed by a
// read in between and are written by COMMIT when nothing took them, and once Prisma has ended the transaction
// (timeout) a statement fails instead of running outside it. On PGlite the same calls go through Prisma.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { deferInsert, firstStatement, isBound, prepared, sql, takeDeferred } from "../../src/db/tx-sql.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
const onServer = () => db.kind === "postgres";

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());
beforeEach(async () => {
  await db.sql.query(`DELETE FROM "JobRun"`);
});

const jobRows = (subjects: string[]) => subjects.map((s) => JSON.stringify({ job: "t", period: "p", subject: s }));
const insertJob = { table: "JobRun", columns: { job: "text", period: "text", subject: "text" }, extra: {}, flushOn: ["JobRun"] };
const subjects = async () => (await db.sql.query<{ subject: string }>(`SELECT subject FROM "JobRun" ORDER BY subject`)).map((r) => r.subject);

it("binds a transaction to its connection on PostgreSQL (not on PGlite), and its statements are the transaction's", async () => {
  await expect(
    db.prisma.$transaction(async (tx) => {
      await firstStatement(tx, "SELECT 1 AS one", []);
      expect(isBound(tx)).toBe(onServer());
      await sql(tx).execute(`INSERT INTO "JobRun" (job, period, subject) VALUES ('t', 'p', 'a')`);
      // Uncommitted: another connection does not see it (PGlite has only the one); this transaction, through Prisma too, does.
      if (onServer()) expect(await subjects()).toEqual([]);
      expect(await tx.jobRun.count()).toBe(1);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(await subjects()).toEqual([]);
  await db.prisma.$transaction(async (tx) => {
    await firstStatement(tx, "SELECT 1 AS one", []);
    await sql(tx).execute(`INSERT INTO "JobRun" (job, period, subject) VALUES ('t', 'p', 'b')`);
  });
  expect(await subjects()).toEqual(["b"]);
});

it("writes deferred rows before the next statement, through Prisma or not, and at COMMIT when nothing took them", async () => {
  await db.prisma.$transaction(async (tx) => {
    await firstStatement(tx, "SELECT 1 AS one", []);
    expect(deferInsert(tx, { ...insertJob, rows: jobRows(["a", "b"]) })).toBe(onServer());
    if (!onServer()) return;
    // A Prisma read sees them (they were written just before it).
    expect(await tx.jobRun.count()).toBe(2);
    deferInsert(tx, { ...insertJob, rows: jobRows(["c"]) });
    expect((await sql(tx).query<{ n: number }>(`SELECT count(*)::int AS n FROM "JobRun"`))[0]!.n).toBe(3);
    deferInsert(tx, { ...insertJob, rows: jobRows(["d"]) });
  });
  expect(await subjects()).toEqual(onServer() ? ["a", "b", "c", "d"] : []);
});

it("hands deferred rows to the statement that takes them, once, and drops them on rollback", async () => {
  await db.prisma.$transaction(async (tx) => {
    await firstStatement(tx, "SELECT 1 AS one", []);
    deferInsert(tx, { ...insertJob, rows: jobRows(["a"]) });
    // A statement that names none of its tables leaves them waiting.
    await sql(tx).query(`SELECT count(*) FROM "User"`);
    deferInsert(tx, { ...insertJob, rows: jobRows(["b"]) });
    const taken = takeDeferred(tx);
    expect(taken.map((d) => d.rows.length)).toEqual(onServer() ? [2] : []);
    expect(takeDeferred(tx)).toEqual([]);
  });
  expect(await subjects()).toEqual([]);
  await expect(
    db.prisma.$transaction(async (tx) => {
      await firstStatement(tx, "SELECT 1 AS one", []);
      deferInsert(tx, { ...insertJob, rows: jobRows(["x"]) });
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(await subjects()).toEqual([]);
});

it("never runs a statement outside the transaction once Prisma ended it (timeout)", async () => {
  let late: Promise<unknown> | undefined;
  await expect(
    db.prisma.$transaction(
      async (tx) => {
        await firstStatement(tx, "SELECT 1 AS one", []);
        await new Promise((r) => setTimeout(r, 600)); // past the timeout: Prisma rolls back
        late = sql(tx).execute(`INSERT INTO "JobRun" (job, period, subject) VALUES ('t', 'p', 'late')`);
        await late;
      },
      { timeout: 200, maxWait: 5000 },
    ),
  ).rejects.toThrow();
  await expect(late).rejects.toThrow(onServer() ? /Transaction already closed/ : /./);
  expect(await subjects()).toEqual([]);
});

it("binds every transaction from its start on PostgreSQL (no statement through Prisma needed), and only its own", async () => {
  const inner: boolean[] = [];
  const one = (s: string) =>
    db.prisma.$transaction(async (tx) => {
      inner.push(isBound(tx));
      // The first statement then goes straight to the connection, still inside this transaction.
      await firstStatement(tx, `INSERT INTO "JobRun" (job, period, subject) VALUES ('t', 'p', $1)`, [s]);
      const mine = `SELECT count(*)::int AS n FROM "JobRun" WHERE subject = '${s}'`;
      if (onServer()) expect(await db.sql.query(mine)).toEqual([{ n: 0 }]);
      expect(await tx.$queryRawUnsafe(mine)).toEqual([{ n: 1 }]);
      if (s === "b") throw new Error("roll back b");
    }).catch((err: Error) => expect(err.message).toBe("roll back b"));
  // Side by side on PostgreSQL (each on its own connection); one after another on PGlite's one connection.
  if (onServer()) await Promise.all(["a", "b", "c"].map(one));
  else for (const s of ["a", "b", "c"]) await one(s);
  expect(inner).toEqual([onServer(), onServer(), onServer()]);
  expect(await subjects()).toEqual(["a", "c"]);
});

it("prepares hot statements once per connection, and the same text always gets the same name", () => {
  const a = prepared(`SELECT 1 AS one WHERE $1::int > 0`, [1]);
  expect(a.name).toMatch(/^txsql_\d+$/);
  expect(prepared(`SELECT 1 AS one WHERE $1::int > 0`, [2])).toEqual({ name: a.name, text: a.text, values: [2] });
  expect(prepared(`SELECT 2 AS two`, []).name).not.toBe(a.name);
});
