// The visit log's writes as two statements instead of about fifteen Prisma calls (the hot path of the bot: every
// rep's message lands here). One read (the customer, the named contact, the rep's open follow-ups of that customer)
// and one write (contact, activity, customer, task, replaced follow-ups and every audit entry, as data-modifying
// CTEs of one statement; foreign keys are checked at the end of the statement, so the activity may point at the
// contact inserted beside it). Ids and timestamps are made here, as Prisma makes them in the client, so the rows
// and their audit entries are the same as Prisma's would be.
import { auditRowsSql, type AuditEntry } from "../audit/audit.repo.ts";
import { sql } from "../../db/tx-sql.ts";
import { takeLookedAhead } from "../customers/customer.repo.ts";
import type { Tx } from "../tx.ts";


export interface VisitTarget {
  customer: { id: string; name: string; ownerId: string | null; stage: string; lastFollowUpAt: Date | null };
  /** The customer's live contact of that name, if any. */
  contactId: string | null;
  /** The rep's open follow-ups of this customer (a new one replaces them). */
  openTaskIds: string[];
}

/**
 * Null when the customer does not exist (or was deleted). Read by the customer search already when the visit asked
 * it to (startVisitLookAhead): then no statement here.
 */
export async function readVisitTarget(tx: Tx, customerId: string, ownerId: string, contactName: string | null): Promise<VisitTarget | null> {
  const ahead = takeLookedAhead(tx, customerId, ownerId, contactName);
  if (ahead) {
    const { id, name, ownerId: owner, stage, lastFollowUpAt, contactId, openTaskIds } = ahead;
    return { customer: { id, name, ownerId: owner, stage, lastFollowUpAt: lastFollowUpAt ? new Date(lastFollowUpAt) : null }, contactId, openTaskIds };
  }
  const rows = await sql(tx).query<{ id: string; name: string; ownerId: string | null; stage: string; lastFollowUpAt: string | null; contactId: string | null; openTaskIds: string[] | null }>(
    `SELECT c.id, c.name, c."ownerId", c.stage::text AS stage, to_char(c."lastFollowUpAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastFollowUpAt",
            (SELECT k.id FROM "Contact" k WHERE k."customerId" = c.id AND k.name = $3 AND k."deletedAt" IS NULL LIMIT 1) AS "contactId",
            ARRAY(SELECT t.id FROM "Task" t WHERE t."ownerId" = $2 AND t."customerId" = c.id AND t.status = 'open' ORDER BY t.id) AS "openTaskIds"
     FROM "Customer" c WHERE c.id = $1 AND c."deletedAt" IS NULL`,
    [customerId, ownerId, contactName],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    customer: { id: r.id, name: r.name, ownerId: r.ownerId, stage: r.stage, lastFollowUpAt: r.lastFollowUpAt ? new Date(r.lastFollowUpAt) : null },
    contactId: r.contactId,
    openTaskIds: r.openTaskIds ?? [],
  };
}

export interface VisitRows {
  /** A contact to create (the visit named someone new). */
  contact: { id: string; customerId: string; name: string; createdAt: Date } | null;
  activity: {
    id: string; customerId: string; userId: string; contactId: string | null; kind: string; summary: string; rawText: string;
    occurredAt: Date; nextAction: string | null; dueAt: Date | null; quantity: number | null; amount: string | null;
    sourceEventId: string | null; createdCustomer: boolean; createdContact: boolean; priorCustomer: unknown; createdAt: Date;
  };
  customerUpdate: { id: string; lastFollowUpAt: Date; stage: string; updatedAt: Date };
  task: { id: string; ownerId: string; customerId: string; activityId: string; title: string; dueAt: Date; createdAt: Date } | null;
  /** Follow-ups the new one replaces: set cancelled. */
  cancelTaskIds: string[];
  audit: AuditEntry[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Writes one visit log in one statement. The replaced follow-ups' ids are read through a subquery (`ANY ((SELECT
 * $27))`) so that a plan with the values (custom) costs what the plan without them (generic) costs: with the array
 * itself the planner counted 0-2 ids in the one and 10 in the other, found the prepared statement's generic plan
 * five times dearer and planned the statement afresh for every visit (0.3-0.4 ms of PostgreSQL CPU each time).
 */
export async function writeVisit(tx: Tx, v: VisitRows): Promise<void> {
  const a = v.activity;
  const audit = auditRowsSql(v.audit, 28);
  await sql(tx).execute(
    `WITH ct AS (INSERT INTO "Contact" (id, "customerId", name, "createdAt")
                 SELECT $1::text, $2::text, $3::text, $4::timestamptz WHERE $1::text IS NOT NULL),
     act AS (INSERT INTO "Activity" (id, "customerId", "userId", "contactId", kind, summary, "rawText", "occurredAt", "nextAction", "dueAt",
                                     quantity, amount, "sourceEventId", "createdCustomer", "createdContact", "priorCustomer", "createdAt")
             VALUES ($5, $6, $7, $8, CAST($9::text AS "ActivityKind"), $10, $11, $12::timestamptz, $13, $14::timestamptz,
                     $15::int, $16::numeric, $17, $18::boolean, $19::boolean, $20::jsonb, $21::timestamptz)),
     cu AS (UPDATE "Customer" SET "lastFollowUpAt" = $23::timestamptz, stage = CAST($24::text AS "CustomerStage"), "poolWarnedAt" = NULL,
                   "updatedAt" = $25::timestamptz WHERE id = $22),
     tk AS (INSERT INTO "Task" (id, "ownerId", "customerId", "activityId", title, "dueAt", status, source, "createdAt", "updatedAt")
            SELECT t[1], t[2], t[3], t[4], t[5], t[6]::timestamptz, 'open', 'visit', t[7]::timestamptz, t[7]::timestamptz
            FROM (SELECT $26::text[] AS t) x WHERE cardinality(t) > 0),
     cancel AS (UPDATE "Task" SET status = 'cancelled', "updatedAt" = $25::timestamptz WHERE id = ANY ((SELECT $27::text[])::text[]))
     ${audit.sql}`,
    [
      v.contact?.id ?? null,
      v.contact?.customerId ?? null,
      v.contact?.name ?? null,
      iso(v.contact?.createdAt ?? null),
      a.id, a.customerId, a.userId, a.contactId, a.kind, a.summary, a.rawText, iso(a.occurredAt), a.nextAction, iso(a.dueAt),
      a.quantity, a.amount, a.sourceEventId, a.createdCustomer, a.createdContact, JSON.stringify(a.priorCustomer), iso(a.createdAt),
      v.customerUpdate.id, iso(v.customerUpdate.lastFollowUpAt), v.customerUpdate.stage, iso(v.customerUpdate.updatedAt),
      v.task ? [v.task.id, v.task.ownerId, v.task.customerId, v.task.activityId, v.task.title, iso(v.task.dueAt), iso(v.task.createdAt)] : [],
      v.cancelTaskIds,
      ...audit.params,
    ],
  );
}

