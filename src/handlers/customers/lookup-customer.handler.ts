// "客户 华东机电" → profile card, if the asker may see it. Several close names → a card to pick from.
import { AppError } from "../../core/app-error.ts";
import { customerProfileCard } from "../../../cards/customers/customer-profile.card.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { canSeeCustomer } from "../../domain/customers/customer-access.ts";
import { customerOwners, customerProfile, findCustomerCandidates } from "../../domain/customers/customer.repo.ts";
import { managementChain } from "../../domain/users/management-chain.ts";
import { decideMatch, normalizeCompanyName, rankCustomers, type Intent } from "../../nlu/index.ts";
import { askWhichCustomer } from "./ask-which-customer.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export async function handleLookupCustomer(ctx: HandlerContext, intent: Extract<Intent, { intent: "lookup_customer" }>): Promise<void> {
  const name = intent.customer.trim();
  if (!name) throw new AppError("lookup_without_customer", "请告诉我客户名称，例如：客户 华东机电");
  const ranked = rankCustomers(name, await findCustomerCandidates(ctx.tx, normalizeCompanyName(name)));
  const match = decideMatch(ranked);
  if (match.kind === "none") {
    ctx.out.replyText(`没有找到客户「${name}」。记录一次拜访就会自动建档，例如：今天拜访了${name}的王经理`);
    return;
  }
  if (match.kind === "ambiguous") {
    // Only names the asker may see are offered: a pick card must not list other reps' customers.
    const close = ranked.filter((r) => match.ids.includes(r.id));
    const candidates = (await visibleTo(ctx, close)).map((r) => ({ id: r.id, name: r.name }));
    if (!candidates.length) {
      ctx.out.replyText(`和「${name}」相近的客户都由其他同事负责，你没有查看权限。`);
      return;
    }
    const pending: PendingLookup = { query: name, candidates };
    await askWhichCustomer(ctx, "lookup_customer", pending, { query: name, candidates, allowNew: false, what: "查看" });
    return;
  }
  await showCustomerProfile(ctx, match.id, name);
}

/** What we keep while the asker picks which customer they meant. */
export interface PendingLookup {
  query: string;
  candidates: { id: string; name: string }[];
}

/** The candidates the asker may see (own, pool, their team's, or all for an admin). */
async function visibleTo<T extends { id: string }>(ctx: HandlerContext, candidates: T[]): Promise<T[]> {
  const owners = await customerOwners(ctx.tx, candidates.map((c) => c.id));
  const chains = new Map<string, string[]>();
  const out: T[] = [];
  for (const c of candidates) {
    const ownerId = owners.get(c.id) ?? null;
    if (ownerId && !chains.has(ownerId)) chains.set(ownerId, await managementChain(ctx.tx, ownerId));
    if (canSeeCustomer(ctx.user, ownerId, ownerId ? chains.get(ownerId)! : [])) out.push(c);
  }
  return out;
}

/** Shows the profile if the asker may see it (true), else says who owns it (false). */
export async function showCustomerProfile(ctx: HandlerContext, customerId: string, askedName: string): Promise<boolean> {
  const p = await customerProfile(ctx.tx, customerId);
  if (!p) throw new AppError("customer_not_found", `没有找到客户「${askedName}」。`);
  const chain = p.ownerId ? await managementChain(ctx.tx, p.ownerId) : [];
  if (!canSeeCustomer(ctx.user, p.ownerId, chain)) {
    ctx.out.replyText(`「${p.name}」由${p.owner?.name ?? "其他同事"}负责，你没有查看权限。`);
    return false;
  }
  await ctx.out.replyCard(
    customerProfileCard({
      ref: newCardRef(),
      name: p.name,
      ownerName: p.owner?.name ?? null,
      level: p.level,
      stage: p.stage,
      contacts: p.contacts.map((c) => c.name),
      lastVisits: p.activities.map((a) => ({ at: a.occurredAt, by: a.user.name, summary: a.summary })),
      openOrders: p.orders.map((o) => ({ number: o.number, status: o.status, total: o.total.toFixed(2) })),
      nextTask: p.tasks[0] ? { title: p.tasks[0].title, dueAt: p.tasks[0].dueAt } : null,
      timeZone: ctx.timeZone,
    }),
    { subjectType: "customer", subjectId: p.id },
  );
  return true;
}
