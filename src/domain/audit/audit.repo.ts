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
