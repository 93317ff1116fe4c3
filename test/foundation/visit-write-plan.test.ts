// The visit log's one write (writeVisit, visit.repo.ts) is a prepared statement on PostgreSQL: after PostgreSQL's
// five trial runs it must settle on the generic plan, not be planned afresh for every visit (it was, for ever: the
// replaced follow-ups' array made the generic plan look five times dearer than a plan with the values). It still
// cancels exactly the follow-ups it names, none when it names none. Runs on PGlite too (no prepared statements there).
import { afterAll, beforeAll, expect, it } from "vitest";
import { firstStatement, sql } from "../../src/db/tx-sql.ts";
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
});
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

it("settles on the generic plan and cancels exactly the follow-ups it names", async () => {
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
