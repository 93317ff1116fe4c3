// Correcting a recorded visit (the confirmation card's 修改): one field at a time, only by its author, only
// while it stands. The follow-up task follows the visit, and every change is audited with before/after.
import { AppError } from "../../core/app-error.ts";
import { moneyText, type MoneyInput } from "../../core/money.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Tx } from "../tx.ts";
import type { UserInfo } from "../users/user.repo.ts";

export type VisitChange =
  | { field: "due"; value: Date }
  | { field: "contact"; value: string }
  | { field: "quantity"; value: number }
  | { field: "amount"; value: MoneyInput }
  | { field: "next_action"; value: string }
  | { field: "summary"; value: string };

export async function editVisit(tx: Tx, activityId: string, change: VisitChange, actor: UserInfo, now: Date, eventId: string | null) {
  const activity = await tx.activity.findUnique({ where: { id: activityId }, include: { contact: true } });
  if (!activity) throw new AppError("activity_not_found", "没有找到这条记录。");
  if (activity.userId !== actor.id) throw new AppError("not_your_activity", "只能修改自己记录的内容。");
  if (activity.undoneAt) throw new AppError("already_undone", "这条记录已经撤销，不能再修改。");
  const task = await tx.task.findFirst({ where: { activityId, status: "open" }, orderBy: { createdAt: "desc" } });

  switch (change.field) {
    case "due": {
      if (change.value <= now) throw new AppError("due_in_past", "跟进时间要在现在之后。");
      await tx.activity.update({ where: { id: activityId }, data: { dueAt: change.value } });
      if (task) {
        const data = { dueAt: change.value, snoozedUntil: null, remindedAt: null, escalatedAt: null };
        await tx.task.update({ where: { id: task.id }, data });
        await audit(tx, { actorId: actor.id, action: "task.reschedule", entityType: "task", entityId: task.id, before: { dueAt: task.dueAt, snoozedUntil: task.snoozedUntil }, after: data, eventId });
      } else {
        const created = await tx.task.create({
          data: { ownerId: actor.id, customerId: activity.customerId, activityId, title: activity.nextAction ?? "跟进", dueAt: change.value, source: "visit" },
        });
        await audit(tx, { actorId: actor.id, action: "task.create", entityType: "task", entityId: created.id, after: created, eventId });
      }
      break;
    }
    case "contact":
      await changeContact(tx, activity, change.value, actor, now, eventId);
      break;
    case "next_action":
      await tx.activity.update({ where: { id: activityId }, data: { nextAction: change.value } });
      if (task) {
        await tx.task.update({ where: { id: task.id }, data: { title: change.value } });
        await audit(tx, { actorId: actor.id, action: "task.retitle", entityType: "task", entityId: task.id, before: { title: task.title }, after: { title: change.value }, eventId });
      }
      break;
    case "quantity":
      await tx.activity.update({ where: { id: activityId }, data: { quantity: change.value } });
      break;
    case "amount":
      // Written as its exact text, rounded to the fen like the column: a parsed 1.15万 is 11500.00, not a float.
      await tx.activity.update({ where: { id: activityId }, data: { amount: moneyText(change.value) } });
      break;
    case "summary":
      await tx.activity.update({ where: { id: activityId }, data: { summary: change.value } });
      break;
  }
  const before = { due: activity.dueAt, contact: activity.contact?.name ?? null, quantity: activity.quantity, amount: activity.amount?.toString() ?? null, next_action: activity.nextAction, summary: activity.summary }[change.field];
  await audit(tx, { actorId: actor.id, action: "activity.edit", entityType: "activity", entityId: activityId, before: { [change.field]: before }, after: { [change.field]: change.field === "amount" ? moneyText(change.value) : change.value }, eventId });
}

interface ActivityWithContact {
  id: string;
  customerId: string;
  createdContact: boolean;
  contact: { id: string; name: string } | null;
}

/** Point the visit at another contact of the same customer (created if new); drop one this visit made that nobody else uses. */
async function changeContact(tx: Tx, activity: ActivityWithContact, name: string, actor: UserInfo, now: Date, eventId: string | null): Promise<void> {
  if (activity.contact?.name === name) return;
  let contact = await tx.contact.findFirst({ where: { customerId: activity.customerId, name, deletedAt: null } });
  let created = false;
  if (!contact) {
    contact = await tx.contact.create({ data: { customerId: activity.customerId, name } });
    created = true;
    await audit(tx, { actorId: actor.id, action: "contact.create", entityType: "contact", entityId: contact.id, after: contact, eventId });
  }
  await tx.activity.update({ where: { id: activity.id }, data: { contactId: contact.id, createdContact: created } });
  const old = activity.contact;
  if (old && activity.createdContact && (await tx.activity.count({ where: { contactId: old.id, undoneAt: null } })) === 0) {
    await tx.contact.update({ where: { id: old.id }, data: { deletedAt: now } });
    await audit(tx, { actorId: actor.id, action: "contact.delete", entityType: "contact", entityId: old.id, after: { reason: "visit corrected" }, eventId });
  }
}

/** What the confirmation card shows, read back after a change. */
export async function visitForCard(tx: Tx, activityId: string) {
  return tx.activity.findUniqueOrThrow({
    where: { id: activityId },
    include: { customer: true, contact: true, tasks: { where: { status: "open" }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
}
