// Two instances starting at once on one new database both load the org file: one at a time, neither fails
// (before, the second one's inserts collided with the first's — a unique constraint on the user id).
import { readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase | undefined;
afterAll(async () => db?.destroy());

it("two org syncs at once on a new database both succeed and leave one copy of everyone", async () => {
  db = await freshDatabase();
  const org = parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
  // On PostgreSQL the client's pool runs both transactions at once on two connections; PGlite has one connection.
  const results = await Promise.allSettled([syncOrg(db.prisma, org), syncOrg(db.prisma, org)]);
  expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : r.status))).toEqual(["fulfilled", "fulfilled"]);
  expect(await db.prisma.user.count()).toBe(org.users.length);
  expect(await db.prisma.product.count()).toBe(org.products.length);
});
