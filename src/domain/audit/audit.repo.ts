// Every change of a customer, order, approval or shipment: who, when, what (before/after).
import { toJsonValue } from "../json.ts";
import type { Tx } from "../tx.ts";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  eventId?: string | null;
  /** When it happened, if the caller's clock should decide (counting per local day); else the database's now(). */
  at?: Date;
}

const json = (v: unknown) => (v === undefined ? undefined : toJsonValue(v));

export async function audit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: e.actorId,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: json(e.before),
      after: json(e.after),
      eventId: e.eventId ?? null,
      ...(e.at ? { createdAt: e.at } : {}),
    },
  });
}

export async function auditTrail(tx: Tx, entityType: string, entityId: string) {
  return tx.auditLog.findMany({ where: { entityType, entityId }, orderBy: { id: "asc" } });
}

/**
 * Several entries as one INSERT (parameters numbered from `first`), in the order given, for a caller that writes
 * them in the same statement as its own changes (visit.repo.ts). The same rows audit() writes, one round trip.
 */
export function auditRowsSql(entries: AuditEntry[], first: number): { sql: string; params: unknown[] } {
  const now = new Date().toISOString();
  const text = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  const params: unknown[] = [
    entries.map((e) => e.actorId),
    entries.map((e) => e.action),
    entries.map((e) => e.entityType),
    entries.map((e) => e.entityId),
    entries.map((e) => text(e.before)),
    entries.map((e) => text(e.after)),
    entries.map((e) => e.eventId ?? null),
    entries.map((e) => (e.at ?? null)?.toISOString() ?? now),
  ];
  const p = (i: number) => `$${first + i}::text[]`;
  const sql = `INSERT INTO "AuditLog" ("actorId", action, "entityType", "entityId", before, after, "eventId", "createdAt")
     SELECT a, b, c, d, e::jsonb, f::jsonb, g, h::timestamptz
     FROM unnest(${[0, 1, 2, 3, 4, 5, 6, 7].map(p).join(", ")}) WITH ORDINALITY AS u(a, b, c, d, e, f, g, h, n) ORDER BY n`;
  return { sql, params };
}

/** Several entries in one statement, in order. */
export async function auditMany(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const { sql, params } = auditRowsSql(entries, 1);
  await tx.$executeRawUnsafe(sql, ...params);
}
