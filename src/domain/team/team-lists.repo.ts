// Read-only pages for the managers' lists: customers (with how long each has gone without a follow-up) and open
// follow-ups, for a set of owners or everyone. One counted query and one paged query each, in a stable order
// (ties broken by id), so the next page continues exactly where the last one ended.
import type { CustomerStage } from "../../generated/prisma/client.ts";
import type { Tx } from "../tx.ts";

const DAY_MS = 86_400_000;

export interface CustomerFilter {
  /** null = everyone's customers (pool customers are never listed here). */
  ownerIds: string[] | null;
  stage?: CustomerStage;
  /** Only customers without a follow-up since before this instant. */
  idleBefore?: Date;
}

export interface CustomerRow {
  id: string;
  name: string;
  stage: string;
  level: string | null;
  ownerName: string;
  /** Last visit, call or message (not undone), else the last recorded follow-up, else creation. */
  lastTouch: Date;
  idleDays: number;
}

// When someone last showed care for the customer: the newest activity not undone, the recorded follow-up, creation.
const LAST_TOUCH = `GREATEST(COALESCE(c."lastFollowUpAt", c."createdAt"),
  COALESCE((SELECT max(a."occurredAt") FROM "Activity" a WHERE a."customerId" = c.id AND a."undoneAt" IS NULL), c."createdAt"))`;

/** Customers of the filter, the longest without a follow-up first. */
export async function customerPage(tx: Tx, f: CustomerFilter, now: Date, offset: number, limit: number): Promise<{ total: number; rows: CustomerRow[] }> {
  const all = f.ownerIds === null;
  const ids = f.ownerIds ?? [];
  const stage = f.stage ?? null;
  const idle = f.idleBefore ?? null;
  const counted = await tx.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM (SELECT c.id, ${LAST_TOUCH} AS last FROM "Customer" c
      WHERE c."deletedAt" IS NULL AND c."ownerId" IS NOT NULL AND ($1::boolean OR c."ownerId" = ANY($2::text[]))
        AND ($3::text IS NULL OR c.stage::text = $3::text)) x
     WHERE ($4::timestamptz IS NULL OR x.last < $4::timestamptz)`,
    all, ids, stage, idle,
  );
  const rows = await tx.$queryRawUnsafe<{ id: string; name: string; stage: string; level: string | null; ownerName: string; last: Date | string }[]>(
    `SELECT * FROM (SELECT c.id, c.name, c.stage::text AS stage, c.level::text AS level, u.name AS "ownerName", ${LAST_TOUCH} AS last
        FROM "Customer" c JOIN "User" u ON u.id = c."ownerId"
       WHERE c."deletedAt" IS NULL AND c."ownerId" IS NOT NULL AND ($1::boolean OR c."ownerId" = ANY($2::text[]))
         AND ($3::text IS NULL OR c.stage::text = $3::text)) x
     WHERE ($4::timestamptz IS NULL OR x.last < $4::timestamptz)
     ORDER BY x.last ASC, x.name ASC, x.id ASC
     OFFSET $5::int LIMIT $6::int`,
    all, ids, stage, idle, offset, limit,
  );
  return {
    total: counted[0]?.n ?? 0,
    rows: rows.map((r) => {
      const lastTouch = new Date(r.last);
      return { id: r.id, name: r.name, stage: r.stage, level: r.level, ownerName: r.ownerName, lastTouch, idleDays: Math.max(0, Math.floor((now.getTime() - lastTouch.getTime()) / DAY_MS)) };
    }),
  };
}

export interface TaskFilter {
  /** null = everyone's follow-ups. */
  ownerIds: string[] | null;
  /** Only those whose effective due time (snooze, else due) is before this instant. */
  dueBefore?: Date;
  /** Grouped by person: the person with the oldest follow-up first, then each person's oldest first. */
  byOwner?: boolean;
}

export interface TaskRow {
  id: string;
  title: string;
  /** The effective due time: snoozed until, else due. */
  due: Date;
  ownerId: string;
  ownerName: string;
  customerName: string | null;
}

const DUE = `COALESCE(t."snoozedUntil", t."dueAt")`;

/** Open follow-ups of the filter, soonest (or most overdue) first. */
export async function taskPage(tx: Tx, f: TaskFilter, offset: number, limit: number): Promise<{ total: number; rows: TaskRow[] }> {
  const all = f.ownerIds === null;
  const ids = f.ownerIds ?? [];
  const before = f.dueBefore ?? null;
  // A follow-up of a customer now someone else's is not its owner's any more (as in 我的待办).
  const where = `t.status::text = 'open'
    AND (t."customerId" IS NULL OR EXISTS (SELECT 1 FROM "Customer" oc WHERE oc.id = t."customerId" AND oc."ownerId" = t."ownerId")) AND ($1::boolean OR t."ownerId" = ANY($2::text[])) AND ($3::timestamptz IS NULL OR ${DUE} < $3::timestamptz)`;
  const counted = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "Task" t WHERE ${where}`, all, ids, before);
  const rows = await tx.$queryRawUnsafe<(Omit<TaskRow, "due"> & { due: Date | string })[]>(
    `SELECT * FROM (SELECT t.id, t.title, ${DUE} AS due, t."ownerId", u.name AS "ownerName", c.name AS "customerName",
                           min(${DUE}) OVER (PARTITION BY t."ownerId") AS "ownerOldest"
                      FROM "Task" t JOIN "User" u ON u.id = t."ownerId" LEFT JOIN "Customer" c ON c.id = t."customerId"
                     WHERE ${where}) x
     ORDER BY CASE WHEN $4::boolean THEN x."ownerOldest" END ASC, CASE WHEN $4::boolean THEN x."ownerId" END ASC, x.due ASC, x.id ASC
     OFFSET $5::int LIMIT $6::int`,
    all, ids, before, f.byOwner ?? false, offset, limit,
  );
  return {
    total: counted[0]?.n ?? 0,
    rows: rows.map((r) => ({ id: r.id, title: r.title, due: new Date(r.due), ownerId: r.ownerId, ownerName: r.ownerName, customerName: r.customerName })),
  };
}
