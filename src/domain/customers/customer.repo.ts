import { audit } from "../audit/audit.repo.ts";
import { sql } from "../../db/tx-sql.ts";
import type { Tx } from "../tx.ts";

export interface CustomerCandidate {
  id: string;
  name: string;
  aliases: string[];
  ownerId: string | null;
}

/**
 * Customers whose normalised name or an alias shares a two-character piece with the query: a cheap pre-filter
 * that the matcher in nlu then ranks. Chinese company short names rarely share no bigram with the full name.
 * Ordered by how many pieces they share, so the best matches survive the limit however many customers there are.
 *
 * The pieces of every customer's names are kept in `nameGrams` (by a trigger, see the customer_name_grams migration)
 * under a GIN index, so only customers sharing a piece are read, not every row with a LIKE per piece. A query of one
 * character has no piece: it alone still scans with LIKE. Both give the candidates the scan over
 * `normalizedName|alias|…` gave (a query is normalised, so it holds no `|` to match across two names; property-tested).
 */
export async function findCustomerCandidates(tx: Tx, normalizedQuery: string, limit = 50): Promise<CustomerCandidate[]> {
  const q = normalizedQuery.trim();
  if (!q) return [];
  const chars = [...q];
  const grams = new Set<string>();
  if (chars.length <= 2) grams.add(q);
  for (let i = 0; i + 2 <= chars.length && grams.size < 12; i++) grams.add(chars[i]! + chars[i + 1]!);
  // On the transaction's own connection where it has one (tx-sql.ts): this runs for every message naming a customer.
  const rows = chars.length >= 2
    ? await sql(tx).query<CustomerCandidate>(
      `SELECT c.id, c.name, c.aliases, c."ownerId"
      FROM "Customer" c,
           LATERAL (SELECT count(*) AS hits FROM unnest($1::text[]) p WHERE p = ANY (c."nameGrams")) m
      WHERE c."nameGrams" && $1::text[] AND c."deletedAt" IS NULL
      ORDER BY m.hits DESC, c."updatedAt" DESC
      LIMIT $2::int`,
      [[...grams], limit],
    )
    : await likeScan(tx, [...grams], limit);
  return rows.map((r) => ({ ...r, aliases: r.aliases ?? [] }));
}

/** The scan for a one-character query (and what the index must agree with: customer-candidates test). */
export function likeScan(tx: Tx, grams: string[], limit: number): Promise<CustomerCandidate[]> {
  const patterns = grams.map((g) => `%${g.replace(/[\\%_]/g, (c) => "\\" + c)}%`);
  // Aliases are stored normalised; joined with a separator no normalised name contains.
  return sql(tx).query<CustomerCandidate>(
    `SELECT c.id, c.name, c.aliases, c."ownerId"
    FROM "Customer" c,
         LATERAL (SELECT c."normalizedName" || '|' || coalesce(array_to_string(c.aliases, '|'), '') AS hay) h,
         LATERAL (SELECT count(*) AS hits FROM unnest($1::text[]) p WHERE h.hay LIKE p) m
    WHERE c."deletedAt" IS NULL AND m.hits > 0
    ORDER BY m.hits DESC, c."updatedAt" DESC
    LIMIT $2::int`,
    [patterns, limit],
  );
}

/**
 * Remembers another name for a customer (a 简称 a rep used and then picked the customer for), so the next
 * message with that name matches at once. Stored normalised; returns false when it was already known.
 */
export async function addCustomerAlias(tx: Tx, customerId: string, normalizedAlias: string, actorId: string, eventId: string | null): Promise<boolean> {
  const alias = normalizedAlias.trim();
  const c = await tx.customer.findFirst({ where: { id: customerId, deletedAt: null }, select: { aliases: true, normalizedName: true, ownerId: true } });
  if (!c || !alias || alias === c.normalizedName || c.aliases.includes(alias)) return false;
  // Aliases are shared by everyone's matching: only the owner (or anyone, for a pool customer) may teach one,
  // so one rep's pick cannot make a short name resolve to a customer other reps may not use.
  if (c.ownerId !== null && c.ownerId !== actorId) return false;
  const aliases = [...c.aliases, alias].slice(-20);
  await tx.customer.update({ where: { id: customerId }, data: { aliases } });
  await audit(tx, { actorId, action: "customer.alias_add", entityType: "customer", entityId: customerId, before: { aliases: c.aliases }, after: { aliases }, eventId });
  return true;
}

/** Takes back the aliases that one event taught (an undone visit's pick), with an audit entry. */
export async function removeAliasesTaughtBy(tx: Tx, customerId: string, taughtByEventId: string, actorId: string, eventId: string | null): Promise<void> {
  const taught = await tx.auditLog.findMany({ where: { action: "customer.alias_add", entityType: "customer", entityId: customerId, eventId: taughtByEventId } });
  if (!taught.length) return;
  const added = new Set(taught.flatMap((t) => {
    const before = ((t.before as { aliases?: string[] } | null)?.aliases ?? []);
    return ((t.after as { aliases?: string[] } | null)?.aliases ?? []).filter((a) => !before.includes(a));
  }));
  const c = await tx.customer.findUnique({ where: { id: customerId }, select: { aliases: true } });
  if (!c) return;
  const aliases = c.aliases.filter((a) => !added.has(a));
  if (aliases.length === c.aliases.length) return;
  await tx.customer.update({ where: { id: customerId }, data: { aliases } });
  await audit(tx, { actorId, action: "customer.alias_remove", entityType: "customer", entityId: customerId, before: { aliases: c.aliases }, after: { aliases }, eventId });
}

/** Owner of each customer (null = public pool). */
export async function customerOwners(tx: Tx, ids: string[]): Promise<Map<string, string | null>> {
  const rows = await tx.customer.findMany({ where: { id: { in: ids } }, select: { id: true, ownerId: true } });
  return new Map(rows.map((r) => [r.id, r.ownerId]));
}

export async function getCustomer(tx: Tx, id: string) {
  return tx.customer.findFirst({ where: { id, deletedAt: null } });
}

export async function createCustomer(
  tx: Tx,
  data: { name: string; normalizedName: string; ownerId: string | null; createdById: string },
) {
  // nameGrams is the search index's (kept by the database), not part of the customer as the audit shows it.
  return tx.customer.create({ data: { ...data, aliases: [], tags: [] }, omit: { nameGrams: true } });
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

/**
 * recentCustomerNames for several reps in one statement (the inbox worker understands a batch of people's messages
 * at once), in the same order per rep.
 */
export async function recentCustomerNamesOf(tx: Tx, ownerIds: string[], limit = 30): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ownerIds.map((id) => [id, []]));
  if (ownerIds.length === 0) return out;
  const rows = await sql(tx).query<{ ownerId: string; name: string }>(
    `SELECT o AS "ownerId", c.name FROM unnest($1::text[]) WITH ORDINALITY AS u(o, n),
            LATERAL (SELECT name, "lastFollowUpAt", "updatedAt" FROM "Customer" WHERE "ownerId" = u.o AND "deletedAt" IS NULL
                     ORDER BY "lastFollowUpAt" DESC NULLS LAST, "updatedAt" DESC LIMIT $2::int) c
     ORDER BY u.n, c."lastFollowUpAt" DESC NULLS LAST, c."updatedAt" DESC`,
    [[...new Set(ownerIds)], limit],
  );
  for (const r of rows) out.get(r.ownerId)?.push(r.name);
  return out;
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
