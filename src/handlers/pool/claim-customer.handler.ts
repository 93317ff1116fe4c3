// "领取 华东机电" → the customer matched like a look-up; several close pool customers → asked on a card.
// Only pool customers are offered or taken; the limits of rules.pool apply (see pool.service).
import { AppError } from "../../core/app-error.ts";
import { customerOwners, findCustomerCandidates } from "../../domain/customers/customer.repo.ts";
import { assertMayClaim, claimCustomer } from "../../domain/customers/pool.service.ts";
import { decideMatch, normalizeCompanyName, rankCustomers, type Intent } from "../../nlu/index.ts";
import { askWhichCustomer } from "../customers/ask-which-customer.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** What we keep while the rep picks which pool customer they meant. */
export interface PendingClaim {
  query: string;
  candidates: { id: string; name: string }[];
}

export async function handleClaimCustomer(ctx: HandlerContext, intent: Extract<Intent, { intent: "claim_customer" }>): Promise<void> {
  assertMayClaim(ctx.user);
  const name = intent.customer.trim();
  if (!name) throw new AppError("claim_without_customer", "请告诉我要领取哪个客户，例如：领取 华东机电");
  const ranked = rankCustomers(name, await findCustomerCandidates(ctx.tx, normalizeCompanyName(name)));
  const match = decideMatch(ranked);
  if (match.kind === "none") throw new AppError("customer_not_found", `没有找到客户「${name}」，请检查名称。`);
  if (match.kind === "exact") return claimAndReply(ctx, match.id);
  // Close names: only pool customers are offered; owned ones are neither listed nor named.
  const owners = await customerOwners(ctx.tx, match.ids);
  const candidates = ranked.filter((r) => match.ids.includes(r.id) && owners.get(r.id) === null).map((r) => ({ id: r.id, name: r.name }));
  if (!candidates.length) throw new AppError("claim_not_in_pool", `和「${name}」相近的客户都不在公海，不能领取。`);
  const pending: PendingClaim = { query: name, candidates };
  await askWhichCustomer(ctx, "claim_customer", pending, { query: name, candidates, allowNew: false, what: "领取" });
}

/** Claims one customer for the asker and says so; refusals are AppErrors (nothing changes). */
export async function claimAndReply(ctx: HandlerContext, customerId: string): Promise<void> {
  const c = await claimCustomer(ctx.tx, customerId, ctx.user, ctx.now, ctx.timeZone, ctx.rules.pool, ctx.eventId);
  ctx.out.replyText(
    `已领取「${c.name}」，现在由你负责（今天已领取${c.claimedToday}/${ctx.rules.pool.maxClaimsPerDay}个）。` +
      `${ctx.rules.pool.releaseAfterDays}天内没有跟进会重新释放到公海；记录一次拜访即可保留。`,
  );
}
