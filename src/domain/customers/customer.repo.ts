import type { Tx } from "../tx.ts";

export interface CustomerCandidate {
  id: string;
  name: string;
  aliases: string[];
  ownerId: string | null;
}

const candidateSelect = { id: true, name: true, aliases: true, ownerId: true } as const;

/**
 * Customers whose normalised name shares a two-character piece with the query: a cheap pre-filter that the
 * matcher in nlu then ranks. Chinese company short names rarely share no bigram with the full name.
 */
export async function findCustomerCandidates(tx: Tx, normalizedQuery: string, limit = 50): Promise<CustomerCandidate[]> {
  const q = normalizedQuery.trim();
  if (!q) return [];
  const grams = new Set<string>();
  if (q.length <= 2) grams.add(q);
  for (let i = 0; i + 2 <= q.length && grams.size < 12; i++) grams.add(q.slice(i, i + 2));
  return tx.customer.findMany({
    where: {
      deletedAt: null,
      OR: [...[...grams].map((g) => ({ normalizedName: { contains: g } })), { aliases: { has: q } }],
    },
    select: candidateSelect,
    take: limit,
    orderBy: { updatedAt: "desc" },
  });
}

export async function getCustomer(tx: Tx, id: string) {
  return tx.customer.findFirst({ where: { id, deletedAt: null } });
}

export async function createCustomer(
  tx: Tx,
  data: { name: string; normalizedName: string; ownerId: string | null; createdById: string },
) {
  return tx.customer.create({ data: { ...data, aliases: [], tags: [] } });
}

/** Names of the customers a rep is most likely to mention: their own, most recently touched first. */
export async function recentCustomerNames(tx: Tx, ownerId: string, limit = 30): Promise<string[]> {
  const rows = await tx.customer.findMany({
    where: { ownerId, deletedAt: null },
    select: { name: true },
    orderBy: [{ lastFollowUpAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }],
    take: limit,
  });
  return rows.map((r) => r.name);
}

export async function customerProfile(tx: Tx, id: string) {
  return tx.customer.findFirst({
    where: { id, deletedAt: null },
    include: {
      owner: { select: { id: true, name: true } },
      contacts: { where: { deletedAt: null }, orderBy: { createdAt: "asc" }, take: 5 },
      activities: {
        where: { undoneAt: null },
        orderBy: { occurredAt: "desc" },
        take: 3,
        include: { user: { select: { name: true } } },
      },
      tasks: { where: { status: "open" }, orderBy: { dueAt: "asc" }, take: 1 },
      orders: {
        where: { status: { in: ["pending_approval", "approved", "dispatched", "shipped"] } },
        orderBy: { createdAt: "desc" },
        take: 3,
      },
    },
  });
}
export type CustomerProfile = NonNullable<Awaited<ReturnType<typeof customerProfile>>>;
