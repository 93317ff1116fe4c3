import type { Tx } from "../tx.ts";

export async function openTasksOf(tx: Tx, ownerId: string, limit = 20) {
  return tx.task.findMany({
    where: { ownerId, status: "open" },
    include: { customer: { select: { name: true } } },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}
export type OpenTask = Awaited<ReturnType<typeof openTasksOf>>[number];
