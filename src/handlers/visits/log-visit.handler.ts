// "今天拜访了华东机电的王经理…" → customer (matched, or chosen/created on a card) → activity, follow-up, confirmation card.
import { AppError } from "../../core/app-error.ts";
import { addLocalDays } from "../../core/local-time.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { KIND_WORD, visitConfirmCard } from "../../../cards/visits/visit-confirm.card.ts";
import { endVisitLookAhead, startVisitLookAhead } from "../../domain/customers/customer.repo.ts";
import { recordVisit, type CustomerRef } from "../../domain/visits/visit.service.ts";
import { z } from "zod";
import { LogVisitSchema, normalizeCompanyName, OCCURRED_MAX_DAYS, stripSpokenFiller, type Intent } from "../../nlu/index.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer, teachAlias } from "../customers/which-customer.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export type LogVisitIntent = Extract<Intent, { intent: "log_visit" }>;

/** The visit waits while the rep picks (or confirms a new) customer; the pick resumes it. */
export const visitPick = defineCustomerPick({
  kind: "log_visit",
  schema: PickBaseSchema.extend({ intent: LogVisitSchema, rawText: z.string() }),
  allowNew: true,
  what: (data) => `记录${KIND_WORD[data.intent.kind ?? "visit"]}`,
  resume: async (ctx, data, choice) => {
    if (choice.kind === "new") {
      await recordAndConfirm(ctx, data.intent, data.rawText, { newName: choice.name, normalizedName: normalizeCompanyName(choice.name) });
    } else {
      await recordAndConfirm(ctx, data.intent, data.rawText, { id: choice.id });
      await teachAlias(ctx, choice.id, data.query);
    }
  },
  done: (choice) => `已选择「${choice.name}」并记录`,
});

export async function handleLogVisit(ctx: HandlerContext, intent: LogVisitIntent, rawText: string): Promise<void> {
  assertSalesSide(ctx.user, "记录拜访");
  // Voice input leaves fillers stuck to the name (去了那个杭州恒力泵业啊见了…): never part of a customer's name.
  const name = stripSpokenFiller(intent.customer.trim());
  if (!name) {
    throw new AppError("visit_without_customer", "没看出是哪个客户。请写上客户名称，例如：今天拜访了华东机电的王经理，下周三带报价再去");
  }
  // The search also reads what the visit needs of the customer it will most likely pick (one statement, not two).
  startVisitLookAhead(ctx.tx, ctx.user.id, intent.contact || null);
  let found: Awaited<ReturnType<typeof resolveCustomer>>;
  try {
    found = await resolveCustomer(ctx, name, "own_or_pool");
    if (found.kind === "exact") {
      await recordAndConfirm(ctx, intent, rawText, { id: found.id });
      return;
    }
  } finally {
    endVisitLookAhead(ctx.tx);
  }
  // New or ambiguous: ask on a card, record nothing yet. A rep records visits only for their own or pool
  // customers, so only those are offered; close names owned by colleagues are mentioned, not listed.
  // Nothing close enough: the nearest existing names are still offered beside 新建 (a typo, a 简称, voice input).
  const candidates = found.kind === "ask" ? found.candidates : found.closest;
  const hidden = found.kind === "ask" && found.hidden > 0;
  await askWhichCustomer(ctx, visitPick, { query: name, candidates, intent, rawText }, hidden ? "有名称相近的客户由其他同事负责；如果是同一家，请联系经理转交，不要重复建档。" : undefined, found.kind === "none");
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
      occurredAt: occurredAt(intent, ctx.now),
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
    kind: intent.kind ?? "visit",
    newCustomer: visit.createdCustomer,
    inPool: visit.customer.ownerId === null,
    contact: intent.contact,
    summary: intent.summary || rawText,
    quantity: intent.quantity,
    amount: intent.amount,
    nextAction: intent.next_action,
    dueAt: visit.task?.dueAt,
    replaced: visit.replaced,
    occurredAt: visit.activity.occurredAt.getTime() === ctx.now.getTime() ? undefined : visit.activity.occurredAt,
    timeZone: ctx.timeZone,
  });
  await ctx.out.replyCard(card, { subjectType: "activity", subjectId: visit.activity.id });
}

/**
 * When the contact happened: the time the message gave (昨天下午…) if it lies within the last
 * OCCURRED_MAX_DAYS and not in the future (a model may say anything), else now. Metrics count the visit
 * on that day.
 */
function occurredAt(intent: LogVisitIntent, now: Date): Date {
  const at = intent.occurred ? new Date(intent.occurred) : undefined;
  if (!at || Number.isNaN(at.getTime()) || at > now || now.getTime() - at.getTime() > (OCCURRED_MAX_DAYS + 1) * 86_400_000) return now;
  return at;
}

function parseDue(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new AppError("bad_due", "没看懂跟进时间，请换个说法，例如：下周三上午10点");
  return d;
}
