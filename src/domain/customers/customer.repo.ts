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
 * The live-customer test is written so that no index can serve it (the same test: IS NULL is never null): without
 * statistics the planner took "deletedAt IS NULL" for rare and read the whole (ownerId, stage, deletedAt) index for it
 * on every search, to AND with the name pieces' bitmap (141 -> 125 buffer reads a search at 3,000 customers, and a
 * whole index read per search grows with every customer).
 */
export async function findCustomerCandidates(tx: Tx, normalizedQuery: string, limit = 50): Promise<CustomerCandidate[]> {
  const q = normalizedQuery.trim();
  if (!q) return [];
  const chars = [...q];
  const grams = new Set<string>();
  if (chars.length <= 2) grams.add(q);
  for (let i = 0; i + 2 <= chars.length && grams.size < 12; i++) grams.add(chars[i]! + chars[i + 1]!);
  const ahead = lookAheads.get(tx);
  if (ahead && !ahead.found && chars.length >= 2) return searchLookingAhead(tx, [...grams], limit, ahead);
  // On the transaction's own connection where it has one (tx-sql.ts): this runs for every message naming a customer.
  const rows = chars.length >= 2
    ? await sql(tx).query<CustomerCandidate>(
      `SELECT c.id, c.name, c.aliases, c."ownerId"
      FROM "Customer" c
      WHERE c."nameGrams" && $1::text[] AND coalesce(c."deletedAt" IS NULL, false)
      ORDER BY ${hitsSql(grams.size)} DESC, c."updatedAt" DESC
      LIMIT $2::int`,
      [[...grams], limit],
    )
    : await likeScan(tx, [...grams], limit);
  return rows.map((r) => ({ ...r, aliases: r.aliases ?? [] }));
}

/**
 * How many of the query's pieces ($1, at most 12) a customer's names share: one `= ANY` per piece, summed, so one
 * statement text per number of pieces. The same number the count over `unnest($1)` it replaced gave (the pieces are
 * distinct, a NULL comparison counts as no hit there too), without an aggregate over a function scan for every
 * candidate: with a trade piece (电机, 重工) that is hundreds of rows a search, and it was half the search's CPU.
 */
function hitsSql(pieces: number): string {
  return Array.from({ length: pieces }, (_, i) => `CASE WHEN ($1::text[])[${i + 1}] = ANY (c."nameGrams") THEN 1 ELSE 0 END`).join(" + ");
}

/** What a visit reads of its customer (visit.repo.ts, readVisitTarget), as the search read it. */
export interface CandidateVisitState {
  id: string;
  name: string;
  ownerId: string | null;
  stage: string;
  /** ISO 8601 in UTC, milliseconds, as readVisitTarget reads it. */
  lastFollowUpAt: string | null;
  /** The customer's live contact of the visit's contact name, if any. */
  contactId: string | null;
  /** The rep's open follow-ups of this customer, by id. */
  openTaskIds: string[];
}

interface LookAhead {
  actorId: string;
  contactName: string | null;
  /** Set by the search: the candidates the rep may log a visit for (their own and the pool's), by id. */
  found: Map<string, CandidateVisitState> | null;
}

/** Per transaction (each event's handler runs alone on it, one after another): the visit waiting for its search. */
const lookAheads = new WeakMap<object, LookAhead>();

/**
 * A visit log is a customer search and then its customer's read (readVisitTarget): the next search on `tx` reads
 * both, for the candidates `actorId` may log a visit for (theirs or the pool's), in one statement instead of two.
 * Always paired with endVisitLookAhead (in a finally), so nothing read here outlives the handler that asked for it.
 */
export function startVisitLookAhead(tx: Tx, actorId: string, contactName: string | null): void {
  lookAheads.set(tx, { actorId, contactName, found: null });
}

export function endVisitLookAhead(tx: Tx): void {
  lookAheads.delete(tx);
}

/** What the search read of this customer for this visit (once; undefined when it read nothing for it). */
export function takeLookedAhead(tx: Tx, customerId: string, actorId: string, contactName: string | null): CandidateVisitState | undefined {
  const ahead = lookAheads.get(tx);
  if (!ahead?.found || ahead.actorId !== actorId || ahead.contactName !== contactName) return undefined;
  const state = ahead.found.get(customerId);
  ahead.found.delete(customerId);
  return state;
}

/**
 * The indexed search (same statement, same rows, same order: it is the inner query) with the visit's read beside
 * each candidate the rep may log a visit for. The subqueries run only for those rows, after the limit: each behind a
 * CASE, which evaluates it only when its row qualifies (as a LATERAL join with a WHERE, the planner ran them for every
 * candidate and filtered afterwards: 4x the search's buffer reads).
 */
async function searchLookingAhead(tx: Tx, grams: string[], limit: number, ahead: LookAhead): Promise<CustomerCandidate[]> {
  const rows = await sql(tx).query<CustomerCandidate & { ahead: boolean; stage: string | null; lastFollowUpAt: string | null; contactId: string | null; openTaskIds: string[] | null }>(
    `SELECT s.id, s.name, s.aliases, s."ownerId", (s."ownerId" = $3::text OR s."ownerId" IS NULL) AS ahead,
            s.stage::text AS stage, to_char(s."lastFollowUpAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastFollowUpAt",
            CASE WHEN s."ownerId" = $3::text OR s."ownerId" IS NULL THEN
              (SELECT k.id FROM "Contact" k WHERE k."customerId" = s.id AND k.name = $4::text AND k."deletedAt" IS NULL LIMIT 1) END AS "contactId",
            CASE WHEN s."ownerId" = $3::text OR s."ownerId" IS NULL THEN
              ARRAY(SELECT t.id FROM "Task" t WHERE t."ownerId" = $3::text AND t."customerId" = s.id AND t.status = 'open' ORDER BY t.id) END AS "openTaskIds"
     FROM (SELECT c.id, c.name, c.aliases, c."ownerId", c.stage, c."lastFollowUpAt"
           FROM "Customer" c
           WHERE c."nameGrams" && $1::text[] AND coalesce(c."deletedAt" IS NULL, false)
           ORDER BY ${hitsSql(grams.length)} DESC, c."updatedAt" DESC
           LIMIT $2::int) s`,
    [grams, limit, ahead.actorId, ahead.contactName],
  );
  const found = new Map<string, CandidateVisitState>();
  const out: CustomerCandidate[] = [];
  for (const r of rows) {
    out.push({ id: r.id, name: r.name, aliases: r.aliases ?? [], ownerId: r.ownerId });
    if (r.ahead) found.set(r.id, { id: r.id, name: r.name, ownerId: r.ownerId, stage: r.stage!, lastFollowUpAt: r.lastFollowUpAt, contactId: r.contactId, openTaskIds: r.openTaskIds ?? [] });
  }
  ahead.found = found;
  return out;
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
 * at once), in the same order per rep. The reps' ids are read through a subquery so that the prepared statement keeps
 * its generic plan (the same plan) instead of being planned on every call (outbox.repo.ts, enqueueMessages, says why).
 */
export async function recentCustomerNamesOf(tx: Tx, ownerIds: string[], limit = 30): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ownerIds.map((id) => [id, []]));
  if (ownerIds.length === 0) return out;
  const rows = await sql(tx).query<{ ownerId: string; name: string }>(
    `SELECT o AS "ownerId", c.name FROM unnest((SELECT $1::text[])) WITH ORDINALITY AS u(o, n),
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
