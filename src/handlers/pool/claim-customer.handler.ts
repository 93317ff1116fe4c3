// "领取 华东机电" → the customer matched like a look-up; several close pool customers → asked on a card.
// Only pool customers are offered or taken; the limits of rules.pool apply (see pool.service).
import { AppError } from "../../core/app-error.ts";
import { assertMayClaim, claimCustomer } from "../../domain/customers/pool.service.ts";
import type { Intent } from "../../nlu/index.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer, teachAlias } from "../customers/which-customer.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** The claim waits while the rep picks which pool customer they meant. */
export const claimPick = defineCustomerPick({
  kind: "claim_customer",
  schema: PickBaseSchema,
  allowNew: false,
  what: "领取",
  resume: async (ctx, data, choice) => {
    if (choice.kind !== "existing") throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    await claimAndReply(ctx, choice.id); // refused (taken meanwhile, a limit): nothing changes, the card stays open
    await teachAlias(ctx, choice.id, data.query);
  },
  done: (choice) => `已领取「${choice.name}」`,
});

export async function handleClaimCustomer(ctx: HandlerContext, intent: Extract<Intent, { intent: "claim_customer" }>): Promise<void> {
  assertMayClaim(ctx.user);
  const name = intent.customer.trim();
  if (!name) throw new AppError("claim_without_customer", "请告诉我要领取哪个客户，例如：领取 华东机电");
  const found = await resolveCustomer(ctx, name, "pool");
  if (found.kind === "none") throw new AppError("customer_not_found", `没有找到客户「${name}」，请检查名称。`);
  if (found.kind === "exact") return claimAndReply(ctx, found.id);
  // Close names: only pool customers are offered; owned ones are neither listed nor named.
  if (!found.candidates.length) throw new AppError("claim_not_in_pool", `和「${name}」相近的客户都不在公海，不能领取。发送「公海客户」查看可以领取的客户。`);
  await askWhichCustomer(ctx, claimPick, { query: name, candidates: found.candidates });
}

/** Claims one customer for the asker and says so; refusals are AppErrors (nothing changes). */
export async function claimAndReply(ctx: HandlerContext, customerId: string): Promise<void> {
  const c = await claimCustomer(ctx.tx, customerId, ctx.user, ctx.now, ctx.timeZone, ctx.rules.pool, ctx.eventId);
  ctx.out.replyText(
    `已领取「${c.name}」，现在由你负责（今天已领取${c.claimedToday}/${ctx.rules.pool.maxClaimsPerDay}个）。` +
      `${ctx.rules.pool.releaseAfterDays}天内没有跟进会重新释放到公海；记录一次拜访即可保留。`,
  );
}
