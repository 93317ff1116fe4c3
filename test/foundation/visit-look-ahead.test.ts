// A visit log's customer search also reads what the visit needs of the candidates the rep may log it for
// (startVisitLookAhead, customer.repo.ts), so the visit's own read (readVisitTarget) costs no statement. The search
// must still answer exactly what it answers alone, and what it read must be what readVisitTarget reads. Runs on
// PGlite and on PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { endVisitLookAhead, findCustomerCandidates, startVisitLookAhead, takeLookedAhead } from "../../src/domain/customers/customer.repo.ts";
import { readVisitTarget } from "../../src/domain/visits/visit.repo.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await db.sql.query(`INSERT INTO "User" (id, name, roles, active, source, "updatedAt") VALUES ('u1', '甲', '{rep}', true, 'org-file', now()), ('u2', '乙', '{rep}', true, 'org-file', now())`);
  const customers: [string, string, string | null, string, string | null][] = [
    ["c1", "苏州恒力机电有限公司", "u1", "contacted", "2026-11-30T02:03:04.567Z"],
    ["c2", "无锡恒力泵业有限公司", null, "lead", null],
    ["c3", "杭州恒力机电股份有限公司", "u2", "proposal", "2026-11-29T00:00:00.000Z"],
    ["c4", "恒力电气", "u1", "won", null],
  ];
  for (const [i, [id, name, owner, stage, last]] of customers.entries()) {
    await db.sql.query(
      `INSERT INTO "Customer" (id, name, "normalizedName", aliases, tags, "ownerId", stage, "lastFollowUpAt", "updatedAt")
       VALUES ($1, $2, $3, '{}', '{}', $4, CAST($5 AS "CustomerStage"), $6::timestamptz, timestamptz '2026-01-01' + make_interval(secs => $7::int))`,
      [id, name, normalizeCompanyName(name), owner, stage, last, i],
    );
  }
  await db.sql.query(
    `INSERT INTO "Contact" (id, "customerId", name) VALUES ('k1', 'c1', '王经理'), ('k2', 'c2', '王经理'), ('k3', 'c1', '李总')`,
  );
  await db.sql.query(`UPDATE "Contact" SET "deletedAt" = now() WHERE id = 'k3'`);
  await db.sql.query(
    `INSERT INTO "Task" (id, "ownerId", "customerId", title, "dueAt", status, source, "updatedAt")
     VALUES ('t2', 'u1', 'c1', 'a', now(), 'open', 'visit', now()), ('t1', 'u1', 'c1', 'b', now(), 'open', 'visit', now()),
            ('t3', 'u1', 'c1', 'c', now(), 'done', 'visit', now()), ('t4', 'u2', 'c2', 'd', now(), 'open', 'visit', now()),
            ('t5', 'u1', 'c2', 'e', now(), 'open', 'visit', now())`,
  );
});
afterAll(async () => db?.destroy());

for (const contact of ["王经理", "李总", null]) {
  it(`answers the same search and reads what readVisitTarget reads (contact ${String(contact)})`, async () => {
    for (const query of ["恒力机电", "恒力", "恒力泵业", "华东"]) {
      await db.prisma.$transaction(async (tx) => {
        const alone = await findCustomerCandidates(tx, query);
        startVisitLookAhead(tx, "u1", contact);
        try {
          expect(await findCustomerCandidates(tx, query), query).toEqual(alone);
          for (const c of alone) {
            const ahead = takeLookedAhead(tx, c.id, "u1", contact);
            // Only the rep's own and the pool's customers (a colleague's is read, and refused, as before).
            expect(ahead !== undefined, `${query} ${c.id}`).toBe(c.ownerId === "u1" || c.ownerId === null);
            if (!ahead) continue;
            endVisitLookAhead(tx);
            const read = await readVisitTarget(tx, c.id, "u1", contact);
            expect({ customer: { id: ahead.id, name: ahead.name, ownerId: ahead.ownerId, stage: ahead.stage, lastFollowUpAt: ahead.lastFollowUpAt ? new Date(ahead.lastFollowUpAt) : null }, contactId: ahead.contactId, openTaskIds: ahead.openTaskIds }).toEqual(read);
            startVisitLookAhead(tx, "u1", contact);
            await findCustomerCandidates(tx, query);
          }
        } finally {
          endVisitLookAhead(tx);
        }
      });
    }
  });
}

it("hands what it read to the visit it was read for only, once", async () => {
  await db.prisma.$transaction(async (tx) => {
    startVisitLookAhead(tx, "u1", "王经理");
    await findCustomerCandidates(tx, "恒力机电");
    expect(takeLookedAhead(tx, "c1", "u2", "王经理")).toBeUndefined();
    expect(takeLookedAhead(tx, "c1", "u1", "李总")).toBeUndefined();
    expect(takeLookedAhead(tx, "c1", "u1", "王经理")).toMatchObject({ id: "c1", contactId: "k1", openTaskIds: ["t1", "t2"], lastFollowUpAt: "2026-11-30T02:03:04.567Z" });
    expect(takeLookedAhead(tx, "c1", "u1", "王经理")).toBeUndefined();
    endVisitLookAhead(tx);
    expect(takeLookedAhead(tx, "c4", "u1", "王经理")).toBeUndefined();
  });
});
