// Someone left (the address book no longer has them, or the org file deactivated them): their customers and open
// follow-ups go to the nearest active person above them, else the directory's fallbackManager; each change audited
// like a reassignment (actor "system:directory"). Safe to run again: it only moves what is still theirs.
import { audit } from "../audit/audit.repo.ts";
import { moveOpenTasksWithCustomer } from "../customers/ownership.service.ts";
import { changeOwner, customersOwnedBy, moveTasks } from "../customers/ownership.repo.ts";
import type { Tx } from "../tx.ts";
import { managementChain } from "../users/management-chain.ts";
import { DIRECTORY_ACTOR } from "./directory.service.ts";

export interface Handover {
  fromId: string;
  fromName: string;
  toId: string;
  toName: string;
  customers: string[];
  tasks: number;
}

/** Inactive people who still own customers or open follow-ups. */
export async function leaversWithWork(tx: Tx): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: { active: false, OR: [{ customers: { some: { deletedAt: null } } }, { tasks: { some: { status: "open" } } }] },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.id);
}

/** Who takes over from `userId`: the nearest active person above them, else the fallback (if active), else nobody. */
export async function successorOf(tx: Tx, userId: string, fallback: string | undefined): Promise<{ id: string; name: string } | null> {
  for (const id of [...(await managementChain(tx, userId)), ...(fallback ? [fallback] : [])]) {
    const u = await tx.user.findFirst({ where: { id, active: true }, select: { id: true, name: true } });
    if (u && u.id !== userId) return u;
  }
  return null;
}

export async function userName(tx: Tx, id: string): Promise<string | null> {
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}

export async function handOver(tx: Tx, fromId: string, to: { id: string; name: string }, eventId: string, now: Date): Promise<Handover | null> {
  const from = await tx.user.findUnique({ where: { id: fromId }, select: { name: true, active: true } });
  if (!from || from.active) return null;
  const customers: string[] = [];
  let tasks = 0;
  for (const c of await customersOwnedBy(tx, fromId)) {
    if (!(await changeOwner(tx, c.id, fromId, to.id))) continue;
    await audit(tx, { actorId: DIRECTORY_ACTOR, action: "customer.reassign", entityType: "customer", entityId: c.id, before: { ownerId: fromId }, after: { ownerId: to.id, reason: "owner left" }, eventId, at: now });
    tasks += await moveOpenTasksWithCustomer(tx, c.id, to.id, DIRECTORY_ACTOR, eventId, "owner left");
    customers.push(c.name);
  }
  // Follow-ups not tied to one of those customers (or whose customer is someone else's by now).
  const rest = await tx.task.findMany({ where: { ownerId: fromId, status: "open" }, select: { id: true, customerId: true } });
  await moveTasks(tx, rest.map((t) => t.id), to.id);
  for (const t of rest) {
    await audit(tx, { actorId: DIRECTORY_ACTOR, action: "task.reassign", entityType: "task", entityId: t.id, before: { ownerId: fromId }, after: { ownerId: to.id, customerId: t.customerId, reason: "owner left" }, eventId, at: now });
  }
  tasks += rest.length;
  if (!customers.length && !tasks) return null;
  return { fromId, fromName: from.name, toId: to.id, toName: to.name, customers, tasks };
}
