// "客户 华东机电" → profile card, if the asker may see it. Several close names → a card to pick from.
import { AppError } from "../../core/app-error.ts";
import { customerProfileCard } from "../../../cards/customers/customer-profile.card.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { canSeeCustomer } from "../../domain/customers/customer-access.ts";
import { customerProfile } from "../../domain/customers/customer.repo.ts";
import { managementChain } from "../../domain/users/management-chain.ts";
import type { Intent } from "../../nlu/index.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer, teachAlias } from "./which-customer.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** The look-up waits while the asker picks which customer they meant. */
export const lookupPick = defineCustomerPick({
  kind: "lookup_customer",
  schema: PickBaseSchema,
  allowNew: false,
  what: "查看",
  resume: async (ctx, data, choice) => {
    if (choice.kind !== "existing") throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    if (await showCustomerProfile(ctx, choice.id, choice.name)) await teachAlias(ctx, choice.id, data.query);
  },
  done: (choice) => `已选择「${choice.name}」`,
});

export async function handleLookupCustomer(ctx: HandlerContext, intent: Extract<Intent, { intent: "lookup_customer" }>): Promise<void> {
  assertSalesSide(ctx.user, "查看客户资料");
  const name = intent.customer.trim();
  if (!name) throw new AppError("lookup_without_customer", "请告诉我客户名称，例如：客户 华东机电");
  const found = await resolveCustomer(ctx, name, "visible");
  if (found.kind === "none") {
    ctx.out.replyText(`没有找到客户「${name}」。记录一次拜访就会自动建档，例如：今天拜访了${name}的王经理`);
    return;
  }
  if (found.kind === "ask") {
    // Only names the asker may see are offered: a pick card must not list other reps' customers.
    if (!found.candidates.length) {
      ctx.out.replyText(`和「${name}」相近的客户都由其他同事负责，你没有查看权限。发送「我的客户」查看你负责的客户。`);
      return;
    }
    await askWhichCustomer(ctx, lookupPick, { query: name, candidates: found.candidates });
    return;
  }
  await showCustomerProfile(ctx, found.id, name);
}

/** Shows the profile if the asker may see it (true), else says who owns it (false). */
export async function showCustomerProfile(ctx: HandlerContext, customerId: string, askedName: string): Promise<boolean> {
  const p = await customerProfile(ctx.tx, customerId);
  if (!p) throw new AppError("customer_not_found", `没有找到客户「${askedName}」。`);
  const chain = p.ownerId ? await managementChain(ctx.tx, p.ownerId) : [];
  if (!canSeeCustomer(ctx.user, p.ownerId, chain)) {
    ctx.out.replyText(`「${p.name}」由${p.owner?.name ?? "其他同事"}负责，你没有查看权限。发送「我的客户」查看你负责的客户。`);
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
