import type { Tx } from "../tx.ts";

export async function openTasksOf(tx: Tx, ownerId: string, limit = 20) {
  return tx.task.findMany({
    // A follow-up of a customer now owned by someone else is not this person's any more (it moves with the
    // customer; this also hides any left behind). A visit to a pool customer keeps its follow-up with the rep.
    where: { ownerId, status: "open", OR: [{ customerId: null }, { customer: { ownerId } }, { customer: { ownerId: null } }] },
    include: { customer: { select: { name: true, ownerId: true } } },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}
export type OpenTask = Awaited<ReturnType<typeof openTasksOf>>[number];

/** Open tasks whose (snoozed) time has come and that were not reminded yet. */
export async function tasksToRemind(tx: Tx, now: Date, limit = 200) {
  return tx.task.findMany({
    where: {
      status: "open",
      remindedAt: null,
      owner: { active: true }, // people who left get no reminders (the manager still hears of overdue work)
      OR: [{ snoozedUntil: null, dueAt: { lte: now } }, { snoozedUntil: { lte: now } }],
    },
    include: { customer: { select: { name: true } } },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}

/** Open tasks overdue since before `cutoff` whose owner's manager was not told yet. */
export async function tasksToEscalate(tx: Tx, cutoff: Date, limit = 200) {
  return tx.task.findMany({
    where: {
      status: "open",
      escalatedAt: null,
      OR: [{ snoozedUntil: null, dueAt: { lte: cutoff } }, { snoozedUntil: { lte: cutoff } }],
    },
    include: { customer: { select: { name: true } }, owner: { select: { id: true, name: true, managerId: true } } },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}

/** Claims the reminder (or escalation) of one task: true for exactly one caller. */
export async function markReminded(tx: Tx, taskId: string, field: "remindedAt" | "escalatedAt", at: Date): Promise<boolean> {
  const r = await tx.task.updateMany({ where: { id: taskId, status: "open", [field]: null }, data: { [field]: at } });
  return r.count === 1;
}

export async function getTask(tx: Tx, id: string) {
  return tx.task.findUnique({ where: { id }, include: { customer: { select: { name: true, ownerId: true } } } });
}
