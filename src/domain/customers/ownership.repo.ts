// Who owns a customer, and the open follow-ups that go with it: when a customer changes hands (reassignment, a
// claim) its open tasks move to the new owner; when it goes to the pool they are closed (cancelled).
import type { Tx } from "../tx.ts";

export interface OwnedCustomer {
  id: string;
  name: string;
  ownerId: string | null;
}

/** Locks one customer row for this transaction (null when deleted or unknown). */
export async function lockCustomer(tx: Tx, customerId: string): Promise<OwnedCustomer | null> {
  const rows = await tx.$queryRaw<OwnedCustomer[]>`
    SELECT c.id, c.name, c."ownerId" FROM "Customer" c WHERE c.id = ${customerId} AND c."deletedAt" IS NULL FOR UPDATE OF c`;
  return rows[0] ?? null;
}

/** Customers a person owns (not deleted), by name. */
export async function customersOwnedBy(tx: Tx, ownerId: string): Promise<OwnedCustomer[]> {
  return tx.customer.findMany({ where: { ownerId, deletedAt: null }, select: { id: true, name: true, ownerId: true }, orderBy: { name: "asc" } });
}

/** Gives a customer to `toId`; false when its owner is no longer `fromId` (changed meanwhile). */
export async function changeOwner(tx: Tx, customerId: string, fromId: string | null, toId: string): Promise<boolean> {
  const r = await tx.customer.updateMany({ where: { id: customerId, ownerId: fromId, deletedAt: null }, data: { ownerId: toId, poolWarnedAt: null } });
  return r.count === 1;
}

export interface OpenTaskRow {
  id: string;
  ownerId: string;
  title: string;
}

/** The open follow-ups of a customer (whoever holds them). */
export async function openTasksOfCustomer(tx: Tx, customerId: string): Promise<OpenTaskRow[]> {
  return tx.task.findMany({ where: { customerId, status: "open" }, select: { id: true, ownerId: true, title: true }, orderBy: { dueAt: "asc" } });
}

/** Hands open follow-ups to a new owner; their reminders start afresh for that person. */
export async function moveTasks(tx: Tx, taskIds: string[], toId: string): Promise<void> {
  if (!taskIds.length) return;
  await tx.task.updateMany({ where: { id: { in: taskIds }, status: "open" }, data: { ownerId: toId, remindedAt: null, escalatedAt: null } });
}

/** Closes open follow-ups (status cancelled). */
export async function cancelTasks(tx: Tx, taskIds: string[]): Promise<void> {
  if (!taskIds.length) return;
  await tx.task.updateMany({ where: { id: { in: taskIds }, status: "open" }, data: { status: "cancelled" } });
}

/** Active people whose name (or id) is exactly `nameOrId`; with `includeInactive` also people who left. */
export async function usersNamed(tx: Tx, nameOrId: string, includeInactive = false) {
  return tx.user.findMany({
    where: { OR: [{ name: nameOrId }, { id: nameOrId }], ...(includeInactive ? {} : { active: true }) },
    select: { id: true, name: true, roles: true, managerId: true, active: true },
  });
}
