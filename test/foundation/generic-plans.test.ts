// The hot prepared statements that take arrays — the visit log's write (writeVisit), the outbox insert with the inbox
// done-mark (enqueueMessages), mark-sent and recent sends (OutboxRepo), the batch's event locks
// (lockAndTakeInboxEvents), its senders (findUsersByIdentities), its reps' recent customers (recentCustomerNamesOf) and
// open questions (latestOpenPendingOf) — settle on PostgreSQL's generic plan after
// its five trial runs instead of being planned afresh on every call (they were, for ever: with the arrays' values
// the planner counted their 1-2 elements, without them 10, and found the generic plan dearer). Each array is read
// through a subquery, so both plans count alike. They still change exactly the rows they name. Runs on PGlite too
// (no plan cache to check there).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SqlRunner } from "../../src/db/sql-runner.ts";
import { firstStatement, sql } from "../../src/db/tx-sql.ts";
import { recentCustomerNamesOf } from "../../src/domain/customers/customer.repo.ts";
import { latestOpenPendingOf } from "../../src/domain/pending/pending-action.repo.ts";
import { lockAndTakeInboxEvents } from "../../src/domain/plumbing/inbox.repo.ts";
import { enqueueMessages, OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import { findUsersByIdentities } from "../../src/domain/users/user.repo.ts";
import { writeVisit, type VisitRows } from "../../src/domain/visits/visit.repo.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await db.sql.query(`INSERT INTO "User" (id, name, roles, active, source, "updatedAt") VALUES ('u1', '甲', '{rep}', true, 'org-file', now())`);
  await db.sql.query(`INSERT INTO "Customer" (id, name, "normalizedName", aliases, tags, "ownerId", "updatedAt") VALUES ('c1', '华东机电', '华东机电', '{}', '{}', 'u1', now())`);
  // Follow-ups done long ago, and statistics: the planner then costs the statement as on a database in use.
  await db.sql.query(
    `INSERT INTO "Task" (id, "ownerId", "customerId", title, "dueAt", status, source, "updatedAt")
     SELECT 'old' || n, 'u1', 'c1', '回访', now(), 'done', 'visit', now() FROM generate_series(1, 5000) n`,
  );
  await db.sql.query(`ANALYZE "Task"`);
  // Messages sent and events handled long ago, likewise.
  await db.sql.query(
    `INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload, status) SELECT 'wecom', 'old' || n, 'u1', '{}'::jsonb, 'done' FROM generate_series(1, 5000) n`,
  );
  await db.sql.query(
    `INSERT INTO "OutboxMessage" (platform, recipient, kind, payload, status, "sentAt") SELECT 'wecom', 'r' || (n % 50), 'text', '{}'::jsonb, 'sent', now() - interval '2 days' FROM generate_series(1, 5000) n`,
  );
  await db.sql.query(`ANALYZE "InboxEvent"`);
  await db.sql.query(`ANALYZE "OutboxMessage"`);
});

/** Generic and custom plans so far of this connection's prepared statements whose text starts so. */
const plansOf = (s: { query: SqlRunner["query"] }, start: string) =>
  s.query<{ generic: number; custom: number }>(`SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE $1`, [`${start}%`]);
afterAll(async () => db?.destroy());

function visit(k: number, cancel: string[]): VisitRows {
  const at = new Date(Date.UTC(2026, 11, 1, 2, 0, k));
  return {
    contact: k % 2 === 0 ? { id: `k${k}`, customerId: "c1", name: `王${k}`, createdAt: at } : null,
    activity: {
      id: `a${k}`, customerId: "c1", userId: "u1", contactId: k % 2 === 0 ? `k${k}` : null, kind: "visit", summary: `拜访 ${k}`, rawText: `拜访 ${k}`,
      occurredAt: at, nextAction: "回访", dueAt: at, quantity: null, amount: null, sourceEventId: `e${k}`, createdCustomer: false,
      createdContact: k % 2 === 0, priorCustomer: { stage: "contacted" }, createdAt: at,
    },
    customerUpdate: { id: "c1", lastFollowUpAt: at, stage: "contacted", updatedAt: at },
    task: { id: `t${k}`, ownerId: "u1", customerId: "c1", activityId: `a${k}`, title: "回访", dueAt: at, createdAt: at },
    cancelTaskIds: cancel,
    audit: [{ actorId: "u1", action: "activity.create", entityType: "activity", entityId: `a${k}`, after: { id: `a${k}` }, eventId: `e${k}` }],
  };
}

it("the visit write settles on the generic plan and cancels exactly the follow-ups it names", async () => {
  await expect(
    db.prisma.$transaction(async (tx) => {
      await firstStatement(tx, "SELECT 1 AS one", []);
      // Visits replacing none, one, and two follow-ups (the one before and one that stayed open).
      for (let k = 1; k <= 10; k++) await writeVisit(tx, visit(k, k === 1 ? [] : k % 3 === 0 ? [`t${k - 1}`, `t${k - 2}`] : [`t${k - 1}`]));
      const tasks = await sql(tx).query<{ id: string; status: string }>(`SELECT id, status::text AS status FROM "Task" WHERE id NOT LIKE 'old%' ORDER BY length(id), id`);
      expect(tasks.filter((t) => t.status === "open").map((t) => t.id)).toEqual(["t10"]);
      expect(tasks).toHaveLength(10);
      expect(await sql(tx).query(`SELECT count(*)::int AS n FROM "AuditLog"`)).toEqual([{ n: 10 }]);
      expect(await sql(tx).query(`SELECT count(*)::int AS n FROM "Task" WHERE status = 'done'`)).toEqual([{ n: 5000 }]);
      if (db.kind === "postgres") {
        const plans = await sql(tx).query<{ generic: number; custom: number }>(
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE 'WITH ct AS (INSERT INTO "Contact"%'`,
        );
        expect(plans).toHaveLength(1);
        expect(plans[0]!.custom + plans[0]!.generic).toBe(10);
        expect(plans[0]!.generic).toBeGreaterThan(0);
      }
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
});

it("the outbox insert with the inbox done-mark, mark-sent and recent sends settle on their generic plans, and change what they name", async () => {
  const onServer = db.kind === "postgres";
  const events = await db.sql.query<{ id: string }>(
    `INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) SELECT 'wecom', 'new' || n, 'u1', '{}'::jsonb FROM generate_series(1, 10) n RETURNING id::text`,
  );
  const at = new Date("2026-12-01T02:00:00Z");
  for (const [k, e] of events.entries()) {
    await db.prisma.$transaction(async (tx) => {
      await firstStatement(tx, "SELECT 1 AS one", []);
      await enqueueMessages(tx, [{ platform: "wecom", recipient: `n${k}`, body: { type: "text", text: `你好 ${k}` } }], { id: e.id, at });
      if (onServer && k === events.length - 1) {
        const plans = await plansOf(sql(tx), `WITH done AS (UPDATE "InboxEvent"`);
        expect(plans).toHaveLength(1);
        expect(plans[0]!.custom + plans[0]!.generic).toBe(10);
        expect(plans[0]!.generic).toBeGreaterThan(0);
      }
    });
  }
  expect(await db.sql.query(`SELECT count(*)::int AS n FROM "InboxEvent" WHERE "eventId" LIKE 'new%' AND status = 'done' AND "processedAt" = $1`, [at])).toEqual([{ n: 10 }]);
  expect(await db.sql.query(`SELECT count(*)::int AS n FROM "InboxEvent" WHERE status <> 'done'`)).toEqual([{ n: 0 }]);
  await db.sql.withSession(async (session) => {
    // One connection, so that its prepared statements can be read.
    const repo = new OutboxRepo({ ...session, withSession: (fn) => fn(session) });
    for (let k = 0; k < 10; k++) {
      const [c] = await repo.claim(1, 60_000, ["wecom"]);
      expect(c?.message.recipient).toBe(`n${k}`);
      await repo.markSent(c!.id, c!.lockToken, { externalId: `ext${k}` });
      expect((await repo.recentSends("wecom", [`n${k}`, "r1"], 60_000)).get(`n${k}`)).toHaveLength(1);
    }
    if (onServer) {
      for (const start of [`WITH i AS (SELECT * FROM unnest(`, `SELECT r.recipient, m."sentAt" FROM unnest(`]) {
        const plans = await plansOf(session, start);
        expect(plans, start).toHaveLength(1);
        expect(plans[0]!.custom + plans[0]!.generic, start).toBe(10);
        expect(plans[0]!.generic, start).toBeGreaterThan(0);
      }
    }
  });
  expect(await db.sql.query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE recipient LIKE 'n%' AND status = 'sent' AND "sentAt" IS NOT NULL AND "lockedUntil" IS NULL`)).toEqual([{ n: 10 }]);
  expect(await db.sql.query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE recipient LIKE 'r%' AND "sentAt" > now() - interval '1 day'`)).toEqual([{ n: 0 }]);
});

it("the batch's event locks, senders and reps' recent customers settle on their generic plans, and answer as before", async () => {
  const onServer = db.kind === "postgres";
  await db.sql.query(
    `INSERT INTO "User" (id, name, roles, active, source, "updatedAt", "managerId") VALUES ('u2', '乙', '{rep,manager}', true, 'org-file', now(), 'u1'), ('u3', '丙', '{rep}', false, 'org-file', now(), NULL)`,
  );
  await db.sql.query(`INSERT INTO "Identity" (platform, "externalId", "userId") VALUES ('wecom', 'U1', 'u1'), ('dingtalk', 'U1', 'u2'), ('wecom', 'U3', 'u3')`);
  // An organisation's worth of people, with statistics (a few accounts in a batch, not a tenth of the table).
  await db.sql.query(`INSERT INTO "User" (id, name, roles, active, source, "updatedAt") SELECT 'x' || n, 'x', '{rep}', true, 'org-file', now() FROM generate_series(1, 2000) n`);
  await db.sql.query(`INSERT INTO "Identity" (platform, "externalId", "userId") SELECT 'wecom', 'X' || n, 'x' || n FROM generate_series(1, 2000) n`);
  await db.sql.query(`ANALYZE "User"`);
  await db.sql.query(`ANALYZE "Identity"`);
  // Questions they were asked, answered long ago; one still open.
  await db.sql.query(
    `INSERT INTO "PendingAction" (id, "userId", kind, payload, status, "expiresAt", "createdAt")
     SELECT 'pa' || n, 'x' || (n % 2000 + 1), 'customer_pick', '{}'::jsonb, 'confirmed', now() - interval '1 day', now() - interval '2 days' FROM generate_series(1, 8000) n`,
  );
  await db.sql.query(`INSERT INTO "PendingAction" (id, "userId", kind, payload, status, "expiresAt") VALUES ('open1', 'u1', 'customer_pick', '{"q":1}'::jsonb, 'pending', now() + interval '1 hour')`);
  await db.sql.query(`ANALYZE "PendingAction"`);
  const events = await db.sql.query<{ id: string }>(
    `INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) SELECT 'wecom', 'lock' || n, 'u1', '{}'::jsonb FROM generate_series(1, 10) n RETURNING id::text`,
  );
  await db.sql.query(`UPDATE "InboxEvent" SET status = 'done' WHERE id = $1::bigint`, [events[0]!.id]);
  for (let k = 0; k < 10; k++) {
    await db.prisma.$transaction(async (tx) => {
      await firstStatement(tx, "SELECT 1 AS one", []);
      const ids = [events[k]!.id, events[(k + 1) % 10]!.id, events[0]!.id];
      expect(await lockAndTakeInboxEvents(tx, [`user:u${k}`, "user:u1"], ids)).toEqual(new Set(ids.filter((id) => id !== events[0]!.id)));
      expect(await recentCustomerNamesOf(tx, ["u1", `nobody${k}`])).toEqual(new Map([["u1", ["华东机电"]], [`nobody${k}`, []]]));
      // A stranger and someone who left are absent; the same account on two platforms is two people.
      const senders = [{ platform: "wecom", externalId: "U1" }, { platform: "dingtalk", externalId: "U1" }, { platform: "wecom", externalId: "U3" }, { platform: "wecom", externalId: `S${k}` }];
      const known: [string, { id: string; name: string; roles: string[]; managerId: string | null }][] = [
        ["wecom\u0000U1", { id: "u1", name: "甲", roles: ["rep"], managerId: null }],
        ["dingtalk\u0000U1", { id: "u2", name: "乙", roles: ["rep", "manager"], managerId: "u1" }],
      ];
      expect(await findUsersByIdentities(tx, senders.slice(0, 1 + (k % 4)))).toEqual(new Map(known.slice(0, 1 + (k % 4))));
      const open = await latestOpenPendingOf(tx, ["u1", `x${k + 1}`, "u2"], ["customer_pick", "other"], new Date());
      expect([...open.entries()].map(([u, p]) => [u, p.id, p.payload])).toEqual([["u1", "open1", { q: 1 }]]);
      if (onServer && k === 9) {
        for (const start of [`WITH l AS MATERIALIZED (SELECT count(pg_advisory_xact_lock`, `SELECT o AS "ownerId", c.name FROM unnest(`, `SELECT %unnest(%"Identity" d`, `SELECT DISTINCT ON ("userId") id, "userId", kind`]) {
          const plans = await plansOf(sql(tx), start);
          expect(plans, start).toHaveLength(1);
          expect(plans[0]!.custom + plans[0]!.generic, start).toBe(10);
          expect(plans[0]!.generic, start).toBeGreaterThan(0);
        }
      }
    });
  }
});
