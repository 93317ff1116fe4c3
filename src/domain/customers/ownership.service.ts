// When a customer leaves its owner, its open follow-ups go with it (README "Follow-ups follow the customer"):
// reassigned or claimed → they move to the new owner; released to the pool → they are closed (cancelled) with a
// note in the audit log. Every task changed has its own audit entry.
import { AppError } from "../../core/app-error.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Tx } from "../tx.ts";
import { managementChain } from "../users/management-chain.ts";
import type { UserInfo } from "../users/user.repo.ts";
import { cancelTasks, changeOwner, lockCustomer, moveTasks, openTasksOfCustomer } from "./ownership.repo.ts";
import { countOwnedCustomers } from "./pool.repo.ts";

export const RELEASE_TASK_NOTE = "客户已释放到公海，跟进自动关闭";

/** Moves a customer's open follow-ups to `toId`; returns how many moved. */
export async function moveOpenTasksWithCustomer(tx: Tx, customerId: string, toId: string, actorId: string | null, eventId: string | null, reason: string): Promise<number> {
  const tasks = (await openTasksOfCustomer(tx, customerId)).filter((t) => t.ownerId !== toId);
  await moveTasks(tx, tasks.map((t) => t.id), toId);
  for (const t of tasks) {
    await audit(tx, { actorId, action: "task.reassign", entityType: "task", entityId: t.id, before: { ownerId: t.ownerId }, after: { ownerId: toId, customerId, reason }, eventId });
  }
  return tasks.length;
}

/** Closes a customer's open follow-ups (the customer went to the pool); returns how many. */
export async function closeOpenTasksOfReleased(tx: Tx, customerId: string, actorId: string | null, eventId: string | null, at?: Date): Promise<number> {
  const tasks = await openTasksOfCustomer(tx, customerId);
  await cancelTasks(tx, tasks.map((t) => t.id));
  for (const t of tasks) {
    await audit(tx, { actorId, action: "task.cancel", entityType: "task", entityId: t.id, before: { status: "open", ownerId: t.ownerId }, after: { status: "cancelled", note: RELEASE_TASK_NOTE }, eventId, ...(at ? { at } : {}) });
  }
  return tasks.length;
}

/** Whether `actor` is above `userId` in the managerId chain (a director at the top is above everyone below). */
export async function isAbove(tx: Tx, actor: UserInfo, userId: string): Promise<boolean> {
  return (await managementChain(tx, userId)).includes(actor.id);
}

/** Whether `actor` may manage what `ownerId` owns: an admin, or anyone above the owner. */
export async function managesOwner(tx: Tx, actor: UserInfo, ownerId: string): Promise<boolean> {
  return actor.roles.includes("admin") || (await isAbove(tx, actor, ownerId));
}

/**
 * Refuses (nothing changes) when `adding` more customers would take `to` over rules.pool.maxOwnedPerRep — the
 * same limit a claim from the pool respects, so a reassignment is no way around it.
 */
export async function assertOwnedLimit(tx: Tx, to: UserInfo, adding: number, maxOwnedPerRep: number): Promise<void> {
  const owned = await countOwnedCustomers(tx, to.id);
  if (owned + adding <= maxOwnedPerRep) return;
  throw new AppError(
    "reassign_owned_limit",
    `${to.name}名下已有${owned}个客户，上限${maxOwnedPerRep}个，再转交${adding}个会超过上限，没有转交。可以转交给其他同事，或先把${to.name}不再跟进的客户转出。`,
  );
}

export interface Reassigned {
  id: string;
  name: string;
  fromId: string | null;
  tasks: number;
}

/**
 * Gives one customer to `to` (permission already checked by the caller), with its open follow-ups; audited.
 * Refuses (nothing changes) when the customer is gone, already the target's, or changed hands meanwhile.
 */
export async function reassignCustomer(tx: Tx, customerId: string, expectedOwner: string | null, to: UserInfo, actor: UserInfo, eventId: string | null, now: Date): Promise<Reassigned> {
  const c = await lockCustomer(tx, customerId);
  if (!c) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (c.ownerId === to.id) throw new AppError("reassign_same_owner", `「${c.name}」已经由${to.name}负责，不用转交。`);
  if (c.ownerId !== expectedOwner || !(await changeOwner(tx, c.id, c.ownerId, to.id))) {
    throw new AppError("reassign_changed", `「${c.name}」的负责人刚刚变了，没有转交。请重新发送。`);
  }
  await audit(tx, { actorId: actor.id, action: "customer.reassign", entityType: "customer", entityId: c.id, before: { ownerId: c.ownerId }, after: { ownerId: to.id }, eventId, at: now });
  const tasks = await moveOpenTasksWithCustomer(tx, c.id, to.id, actor.id, eventId, "customer.reassign");
  return { id: c.id, name: c.name, fromId: c.ownerId, tasks };
}
