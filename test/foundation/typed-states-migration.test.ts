// The typed-states migration converts every status column in place: a database migrated up to the migration
// before it, holding a row with each status value, reads back the same values after it, now typed as enums,
// with the indexes on those columns still there.
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const TYPED = readMigrations(MIGRATIONS_DIR).find((m) => m.name.endsWith("_typed_states"))!.name;

/** A copy of the migrations folder holding only those before `name` (or up to and including it). */
function migrationsBefore(name: string, inclusive = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  for (const d of readdirSync(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name < name || (inclusive && d.name === name)) cpSync(path.join(MIGRATIONS_DIR, d.name), path.join(dir, d.name), { recursive: true });
  }
  return dir;
}
// Later migrations may add columns and indexes of their own; the check stops right after this one.
const throughTyped = () => migrationsBefore(TYPED, true);

// table, column, enum type, every value the enum allows
const COLUMNS: [string, string, string, (string | null)[]][] = [
  ["Customer", "stage", "CustomerStage", ["lead", "contacted", "qualified", "proposal", "negotiation", "won", "lost"]],
  ["Customer", "level", "CustomerLevel", ["A", "B", "C", null, null, null, null]],
  ["Activity", "kind", "ActivityKind", ["visit", "call", "message"]],
  ["Task", "status", "TaskStatus", ["open", "done", "cancelled"]],
  ["Task", "source", "TaskSource", ["visit", "manual", "system"]],
  ["Order", "status", "OrderStatus", ["draft", "pending_approval", "approved", "rejected", "dispatched", "shipped", "delivered", "cancelled"]],
  ["Approval", "status", "ApprovalStatus", ["pending", "approved", "rejected", "cancelled"]],
  ["ApprovalStep", "status", "ApprovalStepStatus", ["waiting", "pending", "approved", "rejected", "skipped"]],
  ["Shipment", "status", "ShipmentStatus", ["shipped", "problem", "delivered"]],
  ["Card", "status", "CardStatus", ["active", "decided", "expired"]],
  ["PendingAction", "status", "PendingActionStatus", ["pending", "confirmed", "cancelled", "expired"]],
  ["InboxEvent", "status", "InboxEventStatus", ["pending", "done", "failed"]],
  ["OutboxMessage", "status", "OutboxMessageStatus", ["pending", "sent", "dead"]],
  ["JobRun", "status", "JobRunStatus", ["running", "done", "failed"]],
];
const values = (table: string, column: string) => COLUMNS.find(([t, c]) => t === table && c === column)![3];

/** One row per status value, written as plain text into the columns as they were before the migration. */
async function seed(d: TestDatabase): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => d.sql.query(sql, params);
  await q(`INSERT INTO "User" (id, name, roles, "updatedAt") VALUES ('u1', '张三', '{rep}', now())`);
  await q(`INSERT INTO "Product" (sku, name, unit, price, "updatedAt") VALUES ('M1', '电机', '台', 100, now())`);
  for (const [i, stage] of values("Customer", "stage").entries()) {
    await q(`INSERT INTO "Customer" (id, name, "normalizedName", stage, level, "updatedAt") VALUES ($1, $1, $1, $2, $3, now())`, [`c${i}`, stage, values("Customer", "level")[i]]);
  }
  for (const [i, kind] of values("Activity", "kind").entries()) {
    await q(`INSERT INTO "Activity" (id, "customerId", "userId", kind, summary, "rawText", "occurredAt") VALUES ($1, 'c0', 'u1', $2, 's', 'r', now())`, [`a${i}`, kind]);
  }
  for (const [i, status] of values("Task", "status").entries()) {
    await q(`INSERT INTO "Task" (id, "ownerId", title, "dueAt", status, source, "updatedAt") VALUES ($1, 'u1', 't', now(), $2, $3, now())`, [`t${i}`, status, values("Task", "source")[i]]);
  }
  for (const [i, status] of values("Order", "status").entries()) {
    await q(`INSERT INTO "Order" (id, number, "customerId", "repId", status, "listTotal", total, "updatedAt") VALUES ($1, $1, 'c0', 'u1', $2, 1, 1, now())`, [`o${i}`, status]);
  }
  for (const [i, status] of values("Approval", "status").entries()) {
    await q(`INSERT INTO "Approval" (id, "orderId", status, rule, "requestedById") VALUES ($1, 'o0', $2, 'r', 'u1')`, [`ap${i}`, status]);
  }
  for (const [i, status] of values("ApprovalStep", "status").entries()) {
    await q(`INSERT INTO "ApprovalStep" (id, "approvalId", seq, "approverId", status) VALUES ($1, 'ap0', $2, 'u1', $3)`, [`as${i}`, i, status]);
  }
  for (const [i, status] of values("Shipment", "status").entries()) {
    await q(`INSERT INTO "Shipment" (id, "orderId", status, "createdById") VALUES ($1, 'o0', $2, 'u1')`, [`s${i}`, status]);
  }
  for (const [i, status] of values("Card", "status").entries()) {
    await q(`INSERT INTO "Card" (id, ref, purpose, "recipientId", platform, view, status, "updatedAt") VALUES ($1, $1, 'p', 'u1', 'playground', '{}', $2, now())`, [`cd${i}`, status]);
  }
  for (const [i, status] of values("PendingAction", "status").entries()) {
    await q(`INSERT INTO "PendingAction" (id, "userId", kind, payload, status, "expiresAt") VALUES ($1, 'u1', 'log_visit', '{}', $2, now())`, [`pa${i}`, status]);
  }
  for (const [i, status] of values("InboxEvent", "status").entries()) {
    await q(`INSERT INTO "InboxEvent" (platform, "eventId", payload, status) VALUES ('playground', $1, '{}', $2)`, [`e${i}`, status]);
  }
  for (const status of values("OutboxMessage", "status")) {
    await q(`INSERT INTO "OutboxMessage" (platform, recipient, kind, payload, status) VALUES ('playground', 'u1', 'text', '{}', $1)`, [status]);
  }
  for (const [i, status] of values("JobRun", "status").entries()) {
    await q(`INSERT INTO "JobRun" (job, period, status) VALUES ('j', $1, $2)`, [`p${i}`, status]);
  }
}

const statusIndexes = async (d: TestDatabase) =>
  (await d.sql.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef ~ '[(, ]"?(status|stage|kind|level|source)"?[,)]' ORDER BY indexname`)).map(
    (r) => r.indexname,
  );

it("keeps every existing row's status, now as an enum, and the indexes on it", { timeout: 240_000 }, async () => {
  db = await freshDatabase({ migrate: false });
  await migrate(db.sql, migrationsBefore(TYPED));
  await seed(db);
  const indexesBefore = await statusIndexes(db);
  expect(indexesBefore.length).toBeGreaterThanOrEqual(10);

  expect((await migrate(db.sql, throughTyped())).applied).toEqual([TYPED]);

  for (const [table, column, type, expected] of COLUMNS) {
    const rows = await db.sql.query<{ v: string | null }>(`SELECT "${column}"::text AS v FROM "${table}" ORDER BY ${table === "InboxEvent" || table === "OutboxMessage" || table === "JobRun" ? "id" : `length(id), id`}`);
    expect(rows.map((r) => r.v), `${table}.${column}`).toEqual(expected);
    const [col] = await db.sql.query<{ udt_name: string }>(`SELECT udt_name FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [table, column]);
    expect(col?.udt_name, `${table}.${column} type`).toBe(type);
  }
  expect(await statusIndexes(db)).toEqual(indexesBefore);

  // Defaults still apply, and a value outside the set is refused.
  const [job] = await db.sql.query<{ status: string }>(`INSERT INTO "JobRun" (job, period) VALUES ('j', 'new') RETURNING status::text AS status`);
  expect(job?.status).toBe("running");
  await expect(db.sql.query(`UPDATE "Task" SET status = 'finished'`)).rejects.toThrow(/invalid input value for enum "TaskStatus"/);
});

it("refuses to convert a row holding a status outside the set, and changes nothing", { timeout: 240_000 }, async () => {
  db = await freshDatabase({ migrate: false });
  await migrate(db.sql, migrationsBefore(TYPED));
  await db.sql.query(`INSERT INTO "JobRun" (job, period, status) VALUES ('j', 'p', 'paused')`);
  await expect(migrate(db.sql, throughTyped())).rejects.toThrow(/typed_states failed and was rolled back/);
  const [col] = await db.sql.query<{ data_type: string }>(`SELECT data_type FROM information_schema.columns WHERE table_name = 'JobRun' AND column_name = 'status'`);
  expect(col?.data_type).toBe("text");
});
