// `prepare` on the SQL runner (the inbox's batch insert): on both databases the statement is parsed once per
// connection under its name and then only bound and run — on PGlite through its extended protocol, where it used to
// be parsed and planned again on every call. Same rows as an unprepared query, errors leave the connection usable,
// and on PGlite it never runs inside a transaction someone else has open.
import { afterAll, beforeAll, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

const ECHO = `SELECT $1::text AS t, $2::int AS i, $3::jsonb AS j, $4::text[] AS a, $5::text AS n, $6::bigint AS b, $7::boolean AS f`;
const values = (k: number) => [`它's "引号" \\ ${k} 😀`, k, JSON.stringify({ k, s: "华东机电", nested: [1, null, "x"] }), ["a", "b,c", `d"${k}`], null, String(2n ** 40n + BigInt(k)), k % 2 === 0];

it("gives the rows an unprepared query gives, call after call", async () => {
  for (let k = 0; k < 8; k++) {
    const plain = await db.sql.query(ECHO, values(k));
    const prepared = await db.sql.query(ECHO, values(k), { prepare: "test_echo" });
    expect(prepared).toEqual(plain);
  }
});

it("parses the statement once under its name and then only runs it", async () => {
  const stats = await db.sql.withSession(async (s) => {
    for (let k = 0; k < 7; k++) await s.query(`SELECT count(*)::int AS n FROM "User" WHERE id = $1`, [`u${k}`], { prepare: "test_count_users" });
    return s.query<{ statement: string; runs: number }>(
      `SELECT statement, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE name = 'test_count_users'`,
    );
  });
  expect(stats).toEqual([{ statement: `SELECT count(*)::int AS n FROM "User" WHERE id = $1`, runs: 7 }]);
});

it("refuses another text under a name already prepared", async () => {
  await db.sql.withSession(async (s) => {
    await s.query(`SELECT $1::int AS x`, [1], { prepare: "test_one_text" });
    // pg's own words on PostgreSQL, ours on PGlite.
    await expect(s.query(`SELECT $1::int + 1 AS x`, [1], { prepare: "test_one_text" })).rejects.toThrow(/another text|must be unique/);
  });
});

it("throws the database's error and leaves the connection usable", async () => {
  await expect(db.sql.query(`SELECT 10 / $1::int AS x`, [0], { prepare: "test_divide" })).rejects.toThrow(/division by zero/);
  expect(await db.sql.query(`SELECT 10 / $1::int AS x`, [5], { prepare: "test_divide" })).toEqual([{ x: 2 }]);
  expect(await db.sql.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  // A statement that cannot be parsed is not remembered: the same name with a good text works afterwards.
  await expect(db.sql.query(`SELECT nope FROM "NoSuchTable" WHERE x = $1`, [1], { prepare: "test_late" })).rejects.toThrow(/NoSuchTable|does not exist/);
  expect(await db.sql.query(`SELECT $1::int AS x`, [3], { prepare: "test_late" })).toEqual([{ x: 3 }]);
});

it("is never part of a transaction someone else has open (its write survives their rollback)", async () => {
  const insert = `INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) VALUES ('playground', $1, 'someone', '{}'::jsonb) RETURNING "eventId"`;
  let inside!: () => void;
  const opened = new Promise<void>((r) => (inside = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const tx = db.prisma
    .$transaction(async (t) => {
      await t.$executeRawUnsafe(`INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) VALUES ('playground', 'tx-row', 'someone', '{}'::jsonb)`);
      inside();
      await held;
      throw new Error("roll back");
    })
    .catch((e: unknown) => e);
  await opened;
  const mine = db.sql.query(insert, ["prepared-row"], { prepare: "test_insert_outside" });
  // Let the prepared insert reach the database (on PGlite it waits for the transaction's lock) before the rollback.
  await new Promise((r) => setTimeout(r, 50));
  release();
  expect(String(await tx)).toMatch(/roll back/);
  expect(await mine).toEqual([{ eventId: "prepared-row" }]);
  const rows = await db.sql.query<{ eventId: string }>(`SELECT "eventId" FROM "InboxEvent" WHERE "senderId" = 'someone' ORDER BY "eventId"`);
  expect(rows.map((r) => r.eventId)).toEqual(["prepared-row"]);
});
