// Recording a visit/call and undoing it. One call records everything a visit log means: the customer
// (matched or new), the contact, the activity, the follow-up task and the audit trail.
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { Decimal, moneyText, type MoneyInput } from "../../core/money.ts";
import { CustomerStage, type ActivityKind } from "../../generated/prisma/client.ts";
import { audit, type AuditEntry } from "../audit/audit.repo.ts";
import { createCustomer, removeAliasesTaughtBy } from "../customers/customer.repo.ts";
import type { Tx } from "../tx.ts";
import type { UserInfo } from "../users/user.repo.ts";
import { newRowId } from "../row-id.ts";
import { readVisitTarget, writeVisit, type VisitTarget } from "./visit.repo.ts";

/** What an undo restores on the customer (Activity.priorCustomer), read back through this schema. */
const PriorCustomerSchema = z.object({ lastFollowUpAt: z.string().nullable().optional(), stage: z.enum(CustomerStage).optional() });
type PriorCustomer = z.infer<typeof PriorCustomerSchema>;

export type CustomerRef = { id: string } | { newName: string; normalizedName: string };

export interface VisitInput {
  customer: CustomerRef;
  contactName?: string;
  kind: ActivityKind;
  summary: string;
  rawText: string;
  occurredAt: Date;
  nextAction?: string;
  /** When the follow-up is due; the task is created only with a due time. */
  dueAt?: Date;
  quantity?: number;
  /** yuan; stored exactly, rounded to the fen */
  amount?: MoneyInput;
}

export async function recordVisit(tx: Tx, input: VisitInput, actor: UserInfo, eventId: string | null) {
  let target: VisitTarget;
  let createdCustomer = false;
  if ("id" in input.customer) {
    const found = await readVisitTarget(tx, input.customer.id, actor.id, input.contactName || null);
    if (!found) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
    if (found.customer.ownerId && found.customer.ownerId !== actor.id) {
      throw new AppError("customer_not_yours", `「${found.customer.name}」不是你负责的客户，不能记录拜访。如需转交请联系经理。`);
    }
    target = found;
  } else {
    const created = await createCustomer(tx, {
      name: input.customer.newName,
      normalizedName: input.customer.normalizedName,
      ownerId: actor.id,
      createdById: actor.id,
    });
    createdCustomer = true;
    await audit(tx, { actorId: actor.id, action: "customer.create", entityType: "customer", entityId: created.id, after: created, eventId });
    target = { customer: created, contactId: null, openTaskIds: [] };
  }
  const customer = target.customer;
  // Everything below is one statement (visit.repo.ts); the audit entries are the ones each change always had.
  const now = new Date();
  const entries: AuditEntry[] = [];
  const contact = input.contactName && !target.contactId ? { id: newRowId(), customerId: customer.id, name: input.contactName, createdAt: now } : null;
  if (contact) entries.push({ actorId: actor.id, action: "contact.create", entityType: "contact", entityId: contact.id, after: { ...contact, title: null, phone: null, deletedAt: null }, eventId });
  const contactId = contact?.id ?? (input.contactName ? target.contactId : null);

  const prior: PriorCustomer = { lastFollowUpAt: customer.lastFollowUpAt?.toISOString() ?? null, stage: customer.stage as CustomerStage };
  const amount = input.amount === undefined ? null : moneyText(input.amount);
  const activity = {
    id: newRowId(),
    customerId: customer.id,
    userId: actor.id,
    contactId,
    kind: input.kind,
    summary: input.summary,
    rawText: input.rawText,
    occurredAt: input.occurredAt,
    nextAction: input.nextAction ?? null,
    dueAt: input.dueAt ?? null,
    quantity: input.quantity ?? null,
    amount,
    sourceEventId: eventId,
    createdCustomer,
    createdContact: contact !== null,
    priorCustomer: prior,
    createdAt: now,
  };
  // As Prisma returns it (and so as the audit entry always showed it): amount as its Decimal text, undoneAt null.
  entries.push({ actorId: actor.id, action: "activity.create", entityType: "activity", entityId: activity.id, after: { ...activity, amount: amount === null ? null : new Decimal(amount).toString(), undoneAt: null }, eventId });

  const newStage = customer.stage === "lead" ? "contacted" : customer.stage;
  // A visit reported late (昨天…, 上周五…) never moves the last follow-up back: that would release the customer to
  // the pool early.
  const updated = { ...customer, lastFollowUpAt: laterOf(customer.lastFollowUpAt, input.occurredAt), stage: newStage };
  entries.push({ actorId: actor.id, action: "customer.follow_up", entityType: "customer", entityId: customer.id, before: prior, after: { lastFollowUpAt: updated.lastFollowUpAt, stage: updated.stage }, eventId });

  let task = null;
  if (input.dueAt) {
    task = { id: newRowId(), ownerId: actor.id, customerId: customer.id, activityId: activity.id, title: input.nextAction ?? `跟进${customer.name}`, dueAt: input.dueAt, createdAt: now };
    entries.push({
      actorId: actor.id, action: "task.create", entityType: "task", entityId: task.id, eventId,
      after: { ...task, status: "open", snoozedUntil: null, remindedAt: null, escalatedAt: null, source: "visit", completedAt: null, updatedAt: now },
    });
    // A visit's next step replaces the person's other open follow-ups of that customer (see REPLACED_NOTE).
    for (const id of target.openTaskIds) {
      entries.push({
        actorId: actor.id, action: "task.cancel", entityType: "task", entityId: id, before: { status: "open" },
        after: { status: "cancelled", note: REPLACED_NOTE, replacedBy: task.id, replacedByActivity: activity.id }, eventId,
      });
    }
  }
  const cancelTaskIds = task ? target.openTaskIds : [];
  await writeVisit(tx, {
    contact,
    activity,
    customerUpdate: { id: customer.id, lastFollowUpAt: updated.lastFollowUpAt, stage: newStage, updatedAt: now },
    task,
    cancelTaskIds,
    audit: entries,
  });
  return { activity, customer: updated, contactId, createdContact: contact !== null, createdCustomer, task, replaced: cancelTaskIds.length };
}

/**
 * A visit's next step replaces the person's other open follow-ups of that customer: they are closed (status
 * cancelled; the audit entry says which follow-up and which visit replaced them), so three visits in a day leave
 * one follow-up, not four. Undoing the visit opens them again (reopenReplaced).
 */
const laterOf = (a: Date | null, b: Date): Date => (a && a > b ? a : b);

export const REPLACED_NOTE = "被新的拜访跟进替代";

/** Undoing a visit opens again the follow-ups its next step replaced (those still closed, of a customer not moved on). */
async function reopenReplaced(tx: Tx, activityId: string, actor: UserInfo, eventId: string | null): Promise<number> {
  const entries = await tx.auditLog.findMany({ where: { action: "task.cancel", entityType: "task", after: { path: ["replacedByActivity"], equals: activityId } } });
  let reopened = 0;
  for (const e of entries) {
    const r = await tx.task.updateMany({ where: { id: e.entityId, status: "cancelled", ownerId: actor.id }, data: { status: "open" } });
    if (r.count !== 1) continue;
    reopened++;
    await audit(tx, { actorId: actor.id, action: "task.reopen", entityType: "task", entityId: e.entityId, before: { status: "cancelled" }, after: { status: "open", note: "替代它的拜访已撤销" }, eventId });
  }
  return reopened;
}

/** Reverts a visit log entirely: the activity, its tasks, and the customer/contact it created. */
export async function undoVisit(tx: Tx, activityId: string, actor: UserInfo, now: Date, eventId: string | null) {
  const activity = await tx.activity.findUnique({ where: { id: activityId }, include: { customer: true } });
  if (!activity) throw new AppError("activity_not_found", "没有找到这条记录。");
  if (activity.userId !== actor.id) throw new AppError("not_your_activity", "只能撤销自己记录的内容。发送「我的待办」查看你的跟进，或「帮助」查看用法。");
  if (activity.undoneAt) throw new AppError("already_undone", "这条记录已经撤销过了。需要的话请重新记录一次拜访。");
  await tx.activity.update({ where: { id: activityId }, data: { undoneAt: now } });
  await audit(tx, { actorId: actor.id, action: "activity.undo", entityType: "activity", entityId: activityId, before: { undoneAt: null }, after: { undoneAt: now }, eventId });

  const tasks = await tx.task.findMany({ where: { activityId, status: "open" } });
  for (const t of tasks) {
    await tx.task.update({ where: { id: t.id }, data: { status: "cancelled" } });
    await audit(tx, { actorId: actor.id, action: "task.cancel", entityType: "task", entityId: t.id, before: { status: t.status }, after: { status: "cancelled" }, eventId });
  }
  const reopened = await reopenReplaced(tx, activityId, actor, eventId);
  // The contact this visit created goes too, unless a later visit that still stands refers to it.
  const contactStillUsed = activity.contactId
    ? (await tx.activity.count({ where: { contactId: activity.contactId, undoneAt: null } })) > 0
    : false;
  if (activity.createdContact && activity.contactId && !contactStillUsed) {
    await tx.contact.update({ where: { id: activity.contactId }, data: { deletedAt: now } });
    await audit(tx, { actorId: actor.id, action: "contact.delete", entityType: "contact", entityId: activity.contactId, after: { deletedAt: now }, eventId });
  }
  const customer = activity.customer;
  // A name learned when this visit's customer was picked goes with the visit.
  if (activity.sourceEventId) await removeAliasesTaughtBy(tx, customer.id, activity.sourceEventId, actor.id, eventId);
  const otherUse = await tx.activity.count({ where: { customerId: customer.id, undoneAt: null } });
  const orders = await tx.order.count({ where: { customerId: customer.id } });
  if (activity.createdCustomer && otherUse === 0 && orders === 0) {
    await tx.customer.update({ where: { id: customer.id }, data: { deletedAt: now } });
    await audit(tx, { actorId: actor.id, action: "customer.delete", entityType: "customer", entityId: customer.id, before: customer, after: { deletedAt: now }, eventId });
  } else {
    // An unreadable prior state (an old or hand-edited row) restores nothing rather than failing the undo.
    const parsed = PriorCustomerSchema.safeParse(activity.priorCustomer ?? {});
    const prior: PriorCustomer = parsed.success ? parsed.data : {};
    const last = await tx.activity.findFirst({ where: { customerId: customer.id, undoneAt: null }, orderBy: { occurredAt: "desc" } });
    const data = {
      lastFollowUpAt: last?.occurredAt ?? (prior.lastFollowUpAt ? new Date(prior.lastFollowUpAt) : null),
      stage: last ? customer.stage : (prior.stage ?? customer.stage),
    };
    await tx.customer.update({ where: { id: customer.id }, data });
    await audit(tx, { actorId: actor.id, action: "customer.follow_up_revert", entityType: "customer", entityId: customer.id, before: { lastFollowUpAt: customer.lastFollowUpAt, stage: customer.stage }, after: data, eventId });
  }
  return { activity, customerName: customer.name, cancelledTasks: tasks.length, reopenedTasks: reopened };
}
