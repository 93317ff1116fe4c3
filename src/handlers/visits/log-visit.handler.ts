// "今天拜访了华东机电的王经理…" → customer (matched, or chosen/created on a card) → activity, follow-up, confirmation card.
import { AppError } from "../../core/app-error.ts";
import { addLocalDays } from "../../core/local-time.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { visitConfirmCard } from "../../../cards/visits/visit-confirm.card.ts";
import { customerOwners, findCustomerCandidates } from "../../domain/customers/customer.repo.ts";
import { recordVisit, type CustomerRef } from "../../domain/visits/visit.service.ts";
import { decideMatch, normalizeCompanyName, rankCustomers, type Intent } from "../../nlu/index.ts";
import { askWhichCustomer } from "../customers/ask-which-customer.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export type LogVisitIntent = Extract<Intent, { intent: "log_visit" }>;

/** What we keep while the rep picks the customer. */
export interface PendingVisit {
  intent: LogVisitIntent;
  rawText: string;
  candidates: { id: string; name: string }[];
}

export async function handleLogVisit(ctx: HandlerContext, intent: LogVisitIntent, rawText: string): Promise<void> {
  const name = intent.customer.trim();
  if (!name) {
    throw new AppError("visit_without_customer", "没看出是哪个客户。请写上客户名称，例如：今天拜访了华东机电的王经理，下周三带报价再去");
  }
  const normalized = normalizeCompanyName(name);
  const ranked = rankCustomers(name, await findCustomerCandidates(ctx.tx, normalized));
  const match = decideMatch(ranked);
  if (match.kind === "exact") {
    await recordAndConfirm(ctx, intent, rawText, { id: match.id });
    return;
  }
  // New or ambiguous: ask on a card, record nothing yet. A rep records visits only for their own or pool
  // customers, so only those are offered; close names owned by colleagues are mentioned, not listed.
  const close = match.kind === "ambiguous" ? ranked.filter((r) => match.ids.includes(r.id)) : [];
  const owners = await customerOwners(ctx.tx, close.map((r) => r.id));
  const candidates = close.filter((r) => [ctx.user.id, null].includes(owners.get(r.id) ?? null)).map((r) => ({ id: r.id, name: r.name }));
  const hidden = close.length - candidates.length;
  const pending: PendingVisit = { intent, rawText, candidates };
  await askWhichCustomer(ctx, "log_visit", pending, {
    query: name, candidates, allowNew: true, what: "记录拜访",
    ...(hidden ? { note: "有名称相近的客户由其他同事负责；如果是同一家，请联系经理转交，不要重复建档。" } : {}),
  });
}

export async function recordAndConfirm(ctx: HandlerContext, intent: LogVisitIntent, rawText: string, customer: CustomerRef): Promise<void> {
  const dueAt = intent.due
    ? parseDue(intent.due)
    : addLocalDays(ctx.now, ctx.rules.followUp.defaultDays, ctx.rules.followUp.defaultHour, ctx.timeZone);
  const visit = await recordVisit(
    ctx.tx,
    {
      customer,
      contactName: intent.contact,
      kind: intent.kind ?? "visit",
      summary: intent.summary || rawText,
      rawText,
      occurredAt: ctx.now,
      nextAction: intent.next_action,
      dueAt,
      quantity: intent.quantity,
      amount: intent.amount,
    },
    ctx.user,
    ctx.eventId,
  );
  const card = visitConfirmCard({
    ref: newCardRef(),
    customerName: visit.customer.name,
    newCustomer: visit.createdCustomer,
    inPool: visit.customer.ownerId === null,
    contact: intent.contact,
    summary: intent.summary || rawText,
    quantity: intent.quantity,
    amount: intent.amount,
    nextAction: intent.next_action,
    dueAt: visit.task?.dueAt,
    timeZone: ctx.timeZone,
  });
  await ctx.out.replyCard(card, { subjectType: "activity", subjectId: visit.activity.id });
}

function parseDue(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new AppError("bad_due", "没看懂跟进时间，请换个说法，例如：下周三上午10点");
  return d;
}
