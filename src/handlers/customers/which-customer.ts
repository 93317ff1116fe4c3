// "Which customer did you mean?", once for every flow that names a customer (visit, look-up, claim, soon
// orders): match the name, keep only customers the asker may use, and when it is not clear ask on a pick card
// whose answer resumes the waiting request through its pending kind.
import { z } from "zod";
import { newCardRef } from "../../../cards/card-ref.ts";
import { pickCustomerCard, pickCustomerSpec } from "../../../cards/customers/pick-customer.card.ts";
import { AppError } from "../../core/app-error.ts";
import { decidedCard } from "../../core/card.ts";
import { canSeeCustomer } from "../../domain/customers/customer-access.ts";
import { addCustomerAlias, customerOwners, findCustomerCandidates } from "../../domain/customers/customer.repo.ts";
import { managementChain } from "../../domain/users/management-chain.ts";
import { decideMatch, normalizeCompanyName, rankCustomers } from "../../nlu/index.ts";
import { defineCardKind, latestOpenCardOf } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { openPending, takePending, type PendingKind } from "../engine/pending.ts";

export const CandidateSchema = z.object({ id: z.string(), name: z.string() });
export type Candidate = z.infer<typeof CandidateSchema>;

/** Which customers a flow may act on: its own or pool ones (visits), what the asker may see (look-up), the pool (claim). */
export type CustomerScope = "own_or_pool" | "visible" | "pool";

export type Resolution =
  /** `sameName`: the name or a taught alias, once normalised; else a 简称, a typo or the same brand in another trade. */
  | { kind: "exact"; id: string; name: string; sameName: boolean }
  /** No match; `closest`: the nearest names in scope (best first, at most 3), to offer beside 新建. */
  | { kind: "none"; closest: Candidate[] }
  /** Unclear: these are the candidates in scope; `hidden` close names are out of scope (a colleague's). */
  | { kind: "ask"; candidates: Candidate[]; hidden: number };

/** Below the match threshold but this close, an existing name is still offered beside 新建 (never chosen for the person). */
const SUGGEST_MIN = 0.3;

export async function resolveCustomer(ctx: HandlerContext, name: string, scope: CustomerScope): Promise<Resolution> {
  const pool = await findCustomerCandidates(ctx.tx, normalizeCompanyName(name));
  const ranked = rankCustomers(name, pool);
  const match = decideMatch(ranked);
  if (match.kind === "none") {
    const near = await filterScope(ctx, ranked.filter((r) => r.score >= SUGGEST_MIN).slice(0, 6), scope);
    return { kind: "none", closest: near.slice(0, 3).map((r) => ({ id: r.id, name: r.name })) };
  }
  if (match.kind === "exact") {
    const hit = pool.find((c) => c.id === match.id);
    const query = normalizeCompanyName(name);
    const sameName = !!hit && [hit.name, ...hit.aliases].some((n) => normalizeCompanyName(n) === query);
    return { kind: "exact", id: match.id, name: hit?.name ?? name, sameName };
  }
  const close = ranked.filter((r) => match.ids.includes(r.id));
  const inScope = await filterScope(ctx, close, scope);
  return { kind: "ask", candidates: inScope.map((r) => ({ id: r.id, name: r.name })), hidden: close.length - inScope.length };
}

async function filterScope<T extends { id: string }>(ctx: HandlerContext, candidates: T[], scope: CustomerScope): Promise<T[]> {
  const owners = await customerOwners(ctx.tx, candidates.map((c) => c.id));
  const out: T[] = [];
  for (const c of candidates) {
    const ownerId = owners.get(c.id) ?? null;
    if (scope === "pool" ? ownerId === null : scope === "own_or_pool" ? ownerId === null || ownerId === ctx.user.id : canSeeCustomer(ctx.user, ownerId, ownerId ? await managementChain(ctx.tx, ownerId) : [])) out.push(c);
  }
  return out;
}

export type CustomerChoice = { kind: "new"; name: string } | { kind: "existing"; id: string; name: string };

/** What every "which customer?" request keeps: the name asked about and the candidates shown, in order. */
export const PickBaseSchema = z.object({ query: z.string(), candidates: z.array(CandidateSchema) });

/** A request waiting for a customer; `resume` returns what the card shows afterwards. */
export interface CustomerPickKind<D extends z.infer<typeof PickBaseSchema>> extends PendingKind<D, CustomerChoice> {
  /** Whether "create a new customer with this name" is offered. */
  allowNew: boolean;
  /** 记录拜访 / 查看 / 领取: what happens once chosen (by what is waiting: a call is 记录电话). */
  what: string | ((data: D) => string);
  resume: (ctx: HandlerContext, data: D, choice: CustomerChoice) => Promise<void>;
  done: (choice: CustomerChoice) => string;
}

const PICK_TTL_MS = 24 * 3600_000;

export function defineCustomerPick<D extends z.infer<typeof PickBaseSchema>>(k: Omit<CustomerPickKind<D>, "ttlMs"> & { ttlMs?: number }): CustomerPickKind<D> {
  return { ttlMs: PICK_TTL_MS, ...k };
}

/** `closestOnly`: nothing matched; the candidates are only the nearest existing names, offered beside 新建. */
export async function askWhichCustomer<D extends z.infer<typeof PickBaseSchema>>(ctx: HandlerContext, kind: CustomerPickKind<D>, data: D, note?: string, closestOnly = false): Promise<void> {
  const pending = await openPending(ctx, kind, data);
  const card = pickCustomerCard({ ref: newCardRef(), query: data.query, candidates: data.candidates, allowNew: kind.allowNew, what: typeof kind.what === "function" ? kind.what(data) : kind.what, ...(note ? { note } : {}), ...(closestOnly ? { closestOnly } : {}) });
  await ctx.out.replyCard(card, { subjectType: "pending_action", subjectId: pending.id, expiresAt: pending.expiresAt });
}

/** A picked name that did not match at once is taught as an alias (only by the owner or for a pool customer). */
export async function teachAlias(ctx: HandlerContext, customerId: string, query: string): Promise<void> {
  await addCustomerAlias(ctx.tx, customerId, normalizeCompanyName(query), ctx.user.id, ctx.eventId);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kinds differ in their data; each parses its own
type AnyPick = CustomerPickKind<any>;

/** The pick card: its buttons resume whichever request it was asked for. */
export function pickCustomerCardKind(kinds: readonly AnyPick[]) {
  const isPick = (k: unknown): k is AnyPick => kinds.includes(k as AnyPick);
  return defineCardKind(pickCustomerSpec, {
    actions: {
      pick: {
        run: async (ctx, card, arg) => {
          const { kind, data } = await takePending(ctx, kinds, card.subjectId, "confirmed");
          if (!isPick(kind)) throw new AppError("pending_unknown", "这条待确认的内容已无法继续，请重新发送消息。");
          const picked = data.candidates[Number(arg)];
          const choice: CustomerChoice | null = arg === "new" && kind.allowNew ? { kind: "new", name: data.query } : arg !== "new" && picked ? { kind: "existing", ...picked } : null;
          if (!choice) throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
          await kind.resume(ctx, data, choice);
          await ctx.out.updateCard(card, decidedCard(card.view, kind.done(choice)), "decided");
        },
      },
      cancel: {
        run: async (ctx, card) => {
          await takePending(ctx, kinds, card.subjectId, "cancelled");
          await ctx.out.updateCard(card, decidedCard(card.view, "已取消，没有记录任何内容", "info"), "decided");
        },
      },
    },
    typed: [
      { pattern: /^(新建|新建客户|创建)$/, verb: "pick", arg: () => "new", find: latestOpenCardOf(pickCustomerSpec.purpose), nothing: "没有等待你确认的内容。" },
      { pattern: /^选\s*([1-4])$/, verb: "pick", arg: (m) => String(Number(m[1]) - 1), find: latestOpenCardOf(pickCustomerSpec.purpose), nothing: "没有等待你确认的内容。" },
      { pattern: /^取消$/, verb: "cancel", find: latestOpenCardOf(pickCustomerSpec.purpose), nothing: "没有等待你确认的内容。" },
    ],
  });
}
